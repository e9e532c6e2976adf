#pragma once

// The value axis of a chart for the unit its metrics share (MetricUnit):
// which unit the axis counts in (bytes become B, KB, MB... as the values
// grow), and a top with round steps above the largest value shown. A new
// MetricUnit gets its axis here, and every chart of that unit follows.

#include "session/metrics.h"

#include <QString>

namespace NodeScope {

class ValueAxisScale {
public:
    // maxValue in raw units (bytes, percent...); not finite when nothing is shown.
    static ValueAxisScale forValues(MetricUnit unit, double maxValue);

    double divisor() const { return m_divisor; }
    // The axis title: "MB", "% core" (of one core: 200 is two cores busy).
    const QString& unitName() const { return m_unitName; }
    double top() const { return m_top; }
    int tickCount() const { return m_ticks; }

private:
    double m_divisor = 1; // raw units per axis unit
    QString m_unitName;
    double m_top = 1;
    int m_ticks = 5;
};

} // namespace NodeScope

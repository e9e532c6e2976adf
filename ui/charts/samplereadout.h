#pragma once

// The text the crosshair shows for a moment of the session: the sample
// nearest to it with every listed metric (or the chart's own), in the metric
// table's order and units (a total and its parts share one line: "CPU: 6.0 %
// (user 5.5 %, system 0.5 %)"), the session's marks within a few pixels, and
// the timers running then.

#include "types.h"

#include <QList>
#include <QSet>
#include <QString>

namespace NodeScope {

class SampleStore;

class SampleReadout {
public:
    explicit SampleReadout(const SampleStore* store);

    // markSlackMs: how far from wallMs a session mark still counts as under
    // the pointer (a few pixels' worth). Timers with a hidden label are left
    // out. `only`, when given, limits the figures to those metrics.
    QString describe(qint64 wallMs, double markSlackMs, const QSet<QString>& hiddenTimerLabels,
        const QList<Metric>& only = {}) const;

private:
    const SampleStore* m_store;
};

} // namespace NodeScope

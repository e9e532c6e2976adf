#pragma once

// A chart's legend, as Qt Charts draws it: one QLineSeries per metric, kept
// empty, gives each metric its entry, colour and theme, and a click on an
// entry turns the metric off and on. A hidden metric's entry stays, dimmed,
// so it can be clicked back on. The lines themselves are painted by
// TimeSeriesChart (its header says why, with the measurement).

#include "types.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QObject>

class QAbstractAxis;
class QChart;
class QLineSeries;

namespace NodeScope {

class SeriesLegend : public QObject {
    Q_OBJECT
public:
    // Adds the metrics' series to the chart, in legend order, on these axes.
    SeriesLegend(QChart* chart, const QList<Metric>& metrics, const QList<QAbstractAxis*>& axes);

    const QList<Metric>& metrics() const { return m_metrics; }
    QLineSeries* series(Metric metric) const { return m_series.value(metric); }
    bool isVisible(Metric metric) const;
    void setVisible(Metric metric, bool visible);
    // The metric's line colour in the current theme.
    QColor color(Metric metric) const;

    // After a theme change (which resets every series' pen and entry).
    void applyPalette(bool dark, const QColor& text);

Q_SIGNALS:
    // A click on the metric's entry changed its visibility.
    void toggled(NodeScope::Metric metric, bool visible);

private:
    QChart* m_chart;
    QList<Metric> m_metrics;
    QHash<Metric, QLineSeries*> m_series;
    QColor m_text;
};

} // namespace NodeScope

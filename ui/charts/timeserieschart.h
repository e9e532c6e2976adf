#pragma once

// One Qt Charts plot of the metrics of a ChartGroup (metrics.h) against
// wall-clock time. Qt Charts draws the axes, grid, legend and theme; this
// class keeps them in step with the shared TimeWindow, decimates the visible
// range (each pixel column's min and max, at their own sample times, so peaks
// survive) and paints the lines from those points. The chart never reads the
// whole session: a redraw costs the same at a thousand samples or a million.
//
// Why the lines are painted by hand rather than fed to the QLineSeries
// (which stay empty and only make the legend, see SeriesLegend):
// QXYSeries::replace() re-strokes a series' whole path for hit-testing, and
// every change of the axes (each live frame) strokes every series again.
// Measured by nodescope_chartbench (docs/performance.md, "Lines: hand
// painting or QLineSeries"; 1200x500, 5 memory series of ~2 x 1200
// decimated points, the window moving one sample a frame): replace() and the
// axis change take 19-44 ms a frame and the repaint 2.5-17 ms more, where
// the hand-painted frame's paint takes 0.8-2.2 ms. Both draw every decimated
// point (no pixel column loses its min or max): nothing is lost by hand.
//
// Everything else over the plot has a class of its own: ChartNavigator
// (wheel, drag, double-click: zoom and pan) with its RubberBand, Crosshair and
// SampleReadout (the hover line and its text), TimerLanes (timer spans) and
// ChartAnnotations (marker, baseline, session marks).

#include "charts/chartannotations.h"
#include "charts/crosshair.h"
#include "charts/plotframe.h"
#include "charts/samplereadout.h"
#include "charts/timerlanes.h"
#include "session/metrics.h"
#include "types.h"

#include <QChartView>
#include <QHash>
#include <QSet>

#include <optional>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace NodeScope {

class ChartNavigator;
class SampleStore;
class SeriesLegend;
class TimeWindow;

class TimeSeriesChart : public QChartView {
    Q_OBJECT
public:
    // The chart of a group's metrics (Metrics::inChart), which share one
    // unit (MetricUnit): the value axis counts in it.
    TimeSeriesChart(
        ChartGroup group, const SampleStore* store, TimeWindow* window, QWidget* parent = nullptr);
    ~TimeSeriesChart() override;

    ChartGroup group() const { return m_group; }
    QList<Metric> metrics() const;
    static QString metricName(Metric metric);
    static QColor metricColor(Metric metric);

    // Re-decimates the visible window at the current width. Cheap; the owner
    // calls it at most once per frame.
    void refresh();

    void setSeriesVisible(Metric metric, bool visible);
    bool isSeriesVisible(Metric metric) const;
    // The decimated points drawn for a metric (x = wall ms, y in axis units).
    qsizetype pointCount(Metric metric) const;
    QList<QPointF> points(Metric metric) const;
    // The metric's (empty, legend-only) series.
    QLineSeries* series(Metric metric) const;
    QString yUnit() const { return m_unitName; }

    void setHiddenTimerLabels(const QSet<QString>& labels);
    // The wall time of the crosshair, shared by both charts; nullopt hides it.
    void setCrosshair(std::optional<qint64> wallMs);
    // Where a vertical marker with a caption is drawn (the leak's start).
    void setMarker(std::optional<qint64> wallMs, const QString& caption);
    // A dashed reference line (x = wall ms, y = a raw value, bytes on the
    // memory chart): the post-GC heap floor.
    void setBaseline(const QList<QPointF>& points, const QString& caption);
    // Re-applies palette-dependent colors (light or dark theme).
    void applyPalette();

    // Text describing every value at a time, as the crosshair shows it.
    QString describe(qint64 wallMs) const;

Q_SIGNALS:
    void hovered(std::optional<qint64> wallMs);
    void seriesVisibilityChanged(NodeScope::Metric metric, bool visible);

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    PlotFrame frame() const;
    void layOutTimerLanes();
    void drawLines(QPainter* painter, const PlotFrame& frame) const;
    QString noDataText() const;

    ChartGroup m_group;
    MetricUnit m_unit;
    const SampleStore* m_store;
    TimeWindow* m_window;
    QDateTimeAxis* m_xAxis = nullptr;
    QValueAxis* m_yAxis = nullptr;
    SeriesLegend* m_legend = nullptr;
    ChartNavigator* m_navigator = nullptr;
    QHash<Metric, QList<QPointF>> m_points;
    QString m_unitName;
    double m_divisor = 1;
    bool m_hasData = false;
    TimerLanes m_timerLanes;
    Crosshair m_crosshair;
    SampleReadout m_readout;
    ChartAnnotations m_annotations;
};

} // namespace NodeScope

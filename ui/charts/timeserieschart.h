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
// A group whose metrics come in two units (the event loop: delays in ms,
// utilisation in %) gets a second value axis on the right; each metric is
// drawn against the axis of its unit, and an axis of one series is drawn
// in that series' colour.
//
// Everything else over the plot has a class of its own: ChartNavigator
// (wheel, drag, double-click: zoom and pan) with its RubberBand, Crosshair and
// SampleReadout (the hover line and its text), TimerLanes (timer spans),
// StallShading (event-loop stalls), CollectionMarkers (major garbage
// collections) and ChartAnnotations (marker, baseline, session marks).

#include "charts/chartannotations.h"
#include "charts/collectionmarkers.h"
#include "charts/crosshair.h"
#include "charts/plotalignment.h"
#include "charts/plotframe.h"
#include "charts/samplereadout.h"
#include "charts/stallshading.h"
#include "charts/timerlanes.h"
#include "session/metrics.h"
#include "types.h"

#include <QChartView>
#include <QHash>
#include <QSet>

#include <array>
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
    // The chart of a group's metrics (Metrics::inChart). The left value axis
    // counts in the unit most of them share, a right one in the other (two
    // units at most).
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
    // The left axis's unit ("MB", "ms"), and the right one's (empty when none).
    QString yUnit() const { return m_axes[0].unitName; }
    QString secondaryUnit() const { return m_axisCount > 1 ? m_axes[1].unitName : QString(); }
    // The value axis a metric is drawn against.
    QValueAxis* valueAxis(Metric metric) const { return m_axes[std::size_t(m_axisOf.value(metric))].axis; }

    void setHiddenTimerLabels(const QSet<QString>& labels);
    // The wall time of the crosshair, shared by both charts; nullopt hides it.
    void setCrosshair(std::optional<qint64> wallMs);
    // Where a vertical marker with a caption is drawn (the leak's start).
    void setMarker(std::optional<qint64> wallMs, const QString& caption);
    // A dashed reference line (x = wall ms, y = a raw value, bytes on the
    // memory chart): the post-GC heap floor.
    void setBaseline(const QList<QPointF>& points, const QString& caption);
    // Marks each major garbage collection of the session (the memory chart's).
    void setMajorCollectionsShown(bool shown);
    const CollectionMarkers& collectionMarkers() const { return m_collections; }
    // Since when the target's event loop has been blocked (shaded up to now),
    // or nullopt while it turns. Finished stalls come from the session.
    void setLoopBlocked(std::optional<qint64> sinceWallMs);
    // Figures this chart's readout names besides its own metrics (the
    // memory chart's: the interval's collections and their pause).
    void setExtraReadoutMetrics(const QList<Metric>& metrics) { m_extraReadoutMetrics = metrics; }
    // A last paragraph of this chart's readout (the resources' breakdown by type).
    void setReadoutFooter(const QString& footer);
    // Whether the time axis is labelled. Charts stacked on one time axis
    // label it once, under the last, and give the height to their plots.
    void setTimeLabelsVisible(bool visible);
    // Aligning stacked charts' plots: where this plot's left edge is and
    // how far its right edge is from the chart's, as the chart would lay
    // itself out; and the edges to take instead (margins make up the difference).
    double naturalPlotLeft() const;
    double naturalPlotRightInset() const;
    void alignPlot(double left, double rightInset);
    // Re-applies palette-dependent colors (light or dark theme).
    void applyPalette();

    // Text describing the chart's values at a time, as the crosshair shows it
    // (with four charts on a screen, each reads out its own: all of them would
    // not fit on one), the session's marks and timers, and the stall, the
    // collection and the footer of this chart at that moment.
    QString describe(qint64 wallMs) const;

Q_SIGNALS:
    void hovered(std::optional<qint64> wallMs);
    void seriesVisibilityChanged(NodeScope::Metric metric, bool visible);
    // The view changed size (its plot moved: stacked charts realign).
    void resized();

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    // A value axis and the unit its metrics share.
    struct ValueAxis {
        QValueAxis* axis = nullptr;
        MetricUnit unit = MetricUnit::Count;
        QString unitName;
        double divisor = 1; // raw units per axis unit
    };

    void addValueAxes();
    PlotFrame frame() const;
    void layOutTimerLanes();
    void drawLines(QPainter* painter, const PlotFrame& frame) const;
    QString noDataText() const;

    ChartGroup m_group;
    const SampleStore* m_store;
    TimeWindow* m_window;
    QDateTimeAxis* m_xAxis = nullptr;
    std::array<ValueAxis, 2> m_axes; // left, right
    int m_axisCount = 1;
    QHash<Metric, int> m_axisOf; // index into m_axes
    SeriesLegend* m_legend = nullptr;
    ChartNavigator* m_navigator = nullptr;
    QHash<Metric, QList<QPointF>> m_points; // y in the axis units of each metric's axis
    bool m_hasData = false;
    bool m_showCollections = false;
    QString m_readoutFooter;
    QList<Metric> m_extraReadoutMetrics;
    PlotAlignment m_alignment; // margins that line the plot up with the other charts'
    TimerLanes m_timerLanes;
    StallShading m_stalls;
    CollectionMarkers m_collections;
    Crosshair m_crosshair;
    SampleReadout m_readout;
    ChartAnnotations m_annotations;
};

} // namespace NodeScope

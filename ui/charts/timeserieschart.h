#pragma once

// One Qt Charts plot of a few metrics against wall-clock time (axes, grid,
// legend and theme from Qt Charts; the lines painted over its plot area from
// decimated data: each pixel column's min and max, so peaks survive), with
// timer spans as shaded bands, a crosshair that reads every value at the
// hovered time, wheel zoom and a rubber band. The chart never reads the whole
// session: a redraw costs the same at a thousand samples or a million.

#include "types.h"

#include <QChartView>
#include <QHash>
#include <QSet>

#include <optional>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace NodeScope {

class SampleStore;
class TimeWindow;

class TimeSeriesChart : public QChartView {
    Q_OBJECT
public:
    enum class Kind { Memory, Cpu };

    struct SeriesSpec {
        Metric metric;
        QString name;
        QColor color;
    };

    TimeSeriesChart(Kind kind, const SampleStore* store, TimeWindow* window, QWidget* parent = nullptr);

    Kind kind() const { return m_kind; }
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
    QLineSeries* series(Metric metric) const { return m_series.value(metric); }
    QString yUnit() const { return m_unit; }

    void setHiddenTimerLabels(const QSet<QString>& labels);
    // The wall time of the crosshair, shared by both charts; nullopt hides it.
    void setCrosshair(std::optional<qint64> wallMs);
    // Where a vertical marker with a caption is drawn (the leak's start).
    void setMarker(std::optional<qint64> wallMs, const QString& caption);
    // A dashed reference line (x = wall ms, y = bytes): the post-GC heap floor.
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
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    std::optional<qint64> wallAt(const QPointF& viewPosition) const;
    double xFor(qint64 wallMs) const;
    void computeSpanBands();
    void drawLines(QPainter* painter, const QRectF& plot) const;
    void drawTimerSpans(QPainter* painter, const QRectF& plot) const;
    struct YScale {
        double divisor = 1; // bytes per unit
        QString unit;
        double top = 1;
        int ticks = 5;
    };
    YScale yScaleFor(double maxValue) const;
    void connectLegend();

    Kind m_kind;
    const SampleStore* m_store;
    TimeWindow* m_window;
    QList<SeriesSpec> m_specs;
    QHash<Metric, QLineSeries*> m_series;
    QHash<Metric, QList<QPointF>> m_points;
    QDateTimeAxis* m_xAxis = nullptr;
    QValueAxis* m_yAxis = nullptr;
    QString m_unit;
    double m_divisor = 1;
    QSet<QString> m_hiddenLabels;
    // Timer spans as runs of pixel columns [first, last) per label.
    struct Band {
        QColor color;
        QList<QPair<int, int>> lane;
        QList<QPair<int, int>> shaded;
    };
    QList<Band> m_bands;
    std::optional<qint64> m_crosshair;
    bool m_hoveringHere = false;
    std::optional<qint64> m_marker;
    QList<QPointF> m_baseline;
    bool m_hasData = false;
    QString m_baselineCaption;
    QString m_markerCaption;
    std::optional<QPointF> m_rubberStart;
    QPointF m_rubberEnd;
};

} // namespace NodeScope

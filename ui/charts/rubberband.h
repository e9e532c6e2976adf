#pragma once

// The time span being dragged out on a chart to zoom into it: a highlight
// across the plot's full height between where the drag started and where
// the pointer is now. ChartNavigator drives it; the chart paints it.

#include <QPointF>

#include <optional>

class QColor;
class QPainter;
class QRectF;

namespace NodeScope {

class RubberBand {
public:
    bool isActive() const { return m_start.has_value(); }
    // Scene coordinates.
    QPointF start() const { return m_start.value_or(QPointF()); }
    QPointF end() const { return m_end; }

    void begin(const QPointF& scenePosition);
    void extendTo(const QPointF& scenePosition);
    void clear();

    void paint(QPainter* painter, const QRectF& plot, const QColor& highlight) const;

private:
    std::optional<QPointF> m_start;
    QPointF m_end;
};

} // namespace NodeScope

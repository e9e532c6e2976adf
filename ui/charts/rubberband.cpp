#include "charts/rubberband.h"

#include <QColor>
#include <QPainter>
#include <QRectF>

namespace NodeScope {

void RubberBand::begin(const QPointF& scenePosition)
{
    m_start = scenePosition;
    m_end = scenePosition;
}

void RubberBand::extendTo(const QPointF& scenePosition)
{
    m_end = scenePosition;
}

void RubberBand::clear()
{
    m_start.reset();
}

void RubberBand::paint(QPainter* painter, const QRectF& plot, const QColor& highlight) const
{
    if (!m_start)
        return;
    QColor band = highlight;
    band.setAlpha(60); // the lines stay readable through it
    const double left = qMin(m_start->x(), m_end.x());
    const double right = qMax(m_start->x(), m_end.x());
    painter->fillRect(QRectF(QPointF(left, plot.top()), QPointF(right, plot.bottom())), band);
}

} // namespace NodeScope

#include "charts/plotframe.h"

#include <QtGlobal>

#include <cmath>

namespace NodeScope {

PlotFrame::PlotFrame(const QRectF& plot, qint64 fromWallMs, qint64 toWallMs, double valueTop, double divisor)
    : m_plot(plot)
    , m_from(fromWallMs)
    , m_to(toWallMs)
    , m_valueTop(valueTop)
    , m_divisor(divisor)
{
}

double PlotFrame::xFor(qint64 wallMs) const
{
    if (m_to <= m_from)
        return m_plot.left();
    return m_plot.left() + m_plot.width() * double(wallMs - m_from) / double(m_to - m_from);
}

std::optional<qint64> PlotFrame::wallAt(double sceneX) const
{
    if (m_plot.width() <= 0 || sceneX < m_plot.left() - 2 || sceneX > m_plot.right() + 2)
        return std::nullopt;
    const double share = qBound(0.0, (sceneX - m_plot.left()) / m_plot.width(), 1.0);
    return m_from + qint64(std::llround(share * double(m_to - m_from)));
}

double PlotFrame::msPerPixel() const
{
    return double(m_to - m_from) / qMax(1.0, m_plot.width());
}

double PlotFrame::yForAxisValue(double axisValue) const
{
    return m_plot.bottom() - axisValue * m_plot.height() / m_valueTop;
}

} // namespace NodeScope

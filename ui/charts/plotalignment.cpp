#include "charts/plotalignment.h"

#include <QChart>
#include <QGraphicsLayout>

#include <cmath>

namespace NodeScope {

PlotAlignment::PlotAlignment(const QMargins& baseMargins)
    : m_base(baseMargins)
{
}

double PlotAlignment::naturalLeft(const QChart* chart) const
{
    return chart->plotArea().left() - m_left;
}

double PlotAlignment::naturalRightInset(const QChart* chart) const
{
    return chart->size().width() - chart->plotArea().right() - m_right;
}

void PlotAlignment::align(QChart* chart, double left, double rightInset)
{
    const int alignLeft = qMax(0, int(std::lround(left - naturalLeft(chart))));
    const int alignRight = qMax(0, int(std::lround(rightInset - naturalRightInset(chart))));
    if (alignLeft == m_left && alignRight == m_right)
        return;
    m_left = alignLeft;
    m_right = alignRight;
    chart->setMargins(m_base + QMargins(alignLeft, 0, alignRight, 0));
    // Laid out now, so the next alignment reads this one's result.
    if (chart->layout())
        chart->layout()->activate();
}

} // namespace NodeScope

#include "charts/crosshair.h"

#include "charts/plotframe.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>

namespace NodeScope {

namespace {

constexpr double kBoxGap = 12; // between the line and the box
constexpr double kBoxPaddingX = 6;
constexpr double kBoxPaddingY = 4;

} // namespace

bool Crosshair::wantsReadout(const PlotFrame& frame) const
{
    return m_hovered && m_wallMs && frame.contains(*m_wallMs);
}

void Crosshair::paint(QPainter* painter, const PlotFrame& frame, const QString& readout,
    const QPalette& palette, const QFont& font) const
{
    if (!m_wallMs || !frame.contains(*m_wallMs))
        return;
    const QRectF& plot = frame.plot();
    const double x = frame.xFor(*m_wallMs);
    QColor line = palette.color(QPalette::Text);
    line.setAlpha(150);
    painter->setPen(QPen(line, 1, Qt::DotLine));
    painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    if (!m_hovered || readout.isEmpty())
        return;
    // The box may reach past the plot, over the axis labels.
    painter->setClipping(false);
    const QFontMetricsF metrics(font);
    QRectF box = metrics.boundingRect(QRectF(0, 0, 600, 600), Qt::AlignLeft | Qt::AlignTop, readout);
    box.adjust(-kBoxPaddingX, -kBoxPaddingY, kBoxPaddingX, kBoxPaddingY);
    double left = x + kBoxGap;
    if (left + box.width() > plot.right())
        left = x - kBoxGap - box.width();
    box.moveTopLeft(QPointF(left, plot.top() + 6));
    QColor background = palette.color(QPalette::ToolTipBase);
    background.setAlpha(235);
    painter->setPen(QPen(palette.color(QPalette::Mid)));
    painter->setBrush(background);
    painter->drawRoundedRect(box, 3, 3);
    painter->setPen(palette.color(QPalette::ToolTipText));
    painter->drawText(box.adjusted(kBoxPaddingX, kBoxPaddingY, -kBoxPaddingX, -kBoxPaddingY),
        Qt::AlignLeft | Qt::AlignTop, readout);
}

} // namespace NodeScope

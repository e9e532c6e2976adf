#include "charts/chartannotations.h"

#include "charts/plotframe.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>
#include <QPolygonF>

namespace NodeScope {

namespace {

const QColor kMarkerColor(0xc0, 0x39, 0x2b); // an alarm's red, on light and dark themes
constexpr double kSessionMarkHeight = 10;

} // namespace

void ChartAnnotations::setMarker(std::optional<qint64> wallMs, const QString& caption)
{
    m_marker = wallMs;
    m_markerCaption = caption;
}

void ChartAnnotations::setBaseline(const QList<QPointF>& points, const QString& caption)
{
    m_baseline = points;
    m_baselineCaption = caption;
}

void ChartAnnotations::paint(QPainter* painter, const PlotFrame& frame, const QList<Marker>& sessionMarks,
    const QPalette& palette, const QFont& font) const
{
    const QRectF& plot = frame.plot();
    paintBaseline(painter, frame, palette, font);
    if (m_marker && frame.contains(*m_marker)) {
        const double x = frame.xFor(*m_marker);
        painter->setPen(QPen(kMarkerColor, 1.5, Qt::DashLine));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter->setPen(kMarkerColor);
        painter->drawText(QPointF(x + 4, plot.top() + 16), m_markerCaption);
    }
    QColor markColor = palette.color(QPalette::Text);
    markColor.setAlpha(160);
    painter->setPen(QPen(markColor, 1));
    for (const Marker& mark : sessionMarks) {
        if (!frame.contains(mark.wallMs))
            continue;
        const double x = frame.xFor(mark.wallMs);
        painter->drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() - kSessionMarkHeight));
    }
}

void ChartAnnotations::paintBaseline(
    QPainter* painter, const PlotFrame& frame, const QPalette& palette, const QFont& font) const
{
    if (m_baseline.size() < 2)
        return;
    QPolygonF line;
    line.reserve(m_baseline.size());
    for (const QPointF& point : m_baseline)
        line.append(QPointF(frame.xFor(qint64(point.x())), frame.yForValue(point.y())));
    // The text colour, a little faded, contrasts with every series colour
    // (the heapUsed sawtooth whose lows it follows among them).
    QColor color = palette.color(QPalette::Text);
    color.setAlpha(210);
    painter->setPen(QPen(color, 2, Qt::DashLine));
    painter->drawPolyline(line);
    const QRectF& plot = frame.plot();
    if (!m_baselineCaption.isEmpty() && line.last().x() > plot.left()) {
        const QFontMetricsF metrics(font);
        const QRectF box = baselineCaptionBox(plot, line.last(), metrics, m_baselineCaption);
        // A backing of the plot's colour keeps the series that cross the
        // caption from striking it through.
        QColor backing = palette.color(QPalette::Base);
        backing.setAlpha(200);
        painter->fillRect(box, backing);
        painter->setPen(color);
        painter->drawText(QPointF(box.left() + 2, box.top() + 1 + metrics.ascent()), m_baselineCaption);
    }
}

QRectF ChartAnnotations::baselineCaptionBox(
    const QRectF& plot, const QPointF& lineEnd, const QFontMetricsF& metrics, const QString& caption)
{
    // Under the line's end and right-aligned to it, as long as that stays in
    // the plot: a floor near zero puts it above the line instead, clear of
    // the collection and session marks along the bottom, and early in a
    // window it starts at the plot's edge, not over the axis labels.
    const double width = metrics.horizontalAdvance(caption);
    const double end = qMin(lineEnd.x(), plot.right());
    const double x = qMax(plot.left() + 4, end - width - 4);
    double top = lineEnd.y() + 4;
    if (top + metrics.height() > plot.bottom() - kSessionMarkHeight)
        top = lineEnd.y() - 4 - metrics.height();
    return QRectF(x - 2, top - 1, width + 4, metrics.height() + 2);
}

} // namespace NodeScope

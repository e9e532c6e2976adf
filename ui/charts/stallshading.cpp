#include "charts/stallshading.h"

#include "charts/plotframe.h"
#include "format.h"

#include <QDateTime>
#include <QFontMetricsF>
#include <QPainter>

namespace NodeScope {

namespace {

// A warning's amber: it reads on light and dark themes, and differs from
// every series colour and from the leak marker's red.
const QColor kStallColor(0xe6, 0x7e, 0x22);
constexpr int kShadeAlpha = 55;
constexpr double kLabelGap = 3;

} // namespace

QString StallShading::lengthText(double durationMs)
{
    return Format::duration(durationMs / 1000.0);
}

void StallShading::paint(QPainter* painter, const PlotFrame& frame, const QList<LoopStall>& stalls,
    qint64 nowWallMs, const QFont& font) const
{
    QList<LoopStall> shown;
    for (const LoopStall& stall : stalls) {
        const qint64 end = stall.startWallMs + qint64(stall.durationMs);
        if (end >= frame.from() && stall.startWallMs <= frame.to())
            shown.append(stall);
    }
    if (m_ongoingSince && *m_ongoingSince <= frame.to() && nowWallMs >= frame.from())
        shown.append({*m_ongoingSince, double(qMax<qint64>(0, nowWallMs - *m_ongoingSince))});
    if (shown.isEmpty())
        return;
    const QRectF& plot = frame.plot();
    const QFontMetricsF metrics(font);
    QColor shade = kStallColor;
    shade.setAlpha(kShadeAlpha);
    double labelsEnd = plot.left() - 1; // right edge of the last label drawn
    for (const LoopStall& stall : std::as_const(shown)) {
        const double left = qMax(plot.left(), frame.xFor(stall.startWallMs));
        const double right = qMin(plot.right(), frame.xFor(stall.startWallMs + qint64(stall.durationMs)));
        // At least a pixel and a half, so a short stall at a wide zoom still shows.
        const QRectF band(left, plot.top(), qMax(1.5, right - left), plot.height());
        painter->fillRect(band, shade);
        // The length, on the band when it fits, else just right of it; left
        // out where it would overlap the previous one.
        const QString text = lengthText(stall.durationMs);
        const double width = metrics.horizontalAdvance(text);
        double x = band.width() >= width + 2 * kLabelGap ? band.center().x() - width / 2
                                                         : band.right() + kLabelGap;
        x = qMin(x, plot.right() - width - kLabelGap);
        if (x <= labelsEnd + kLabelGap)
            continue;
        painter->setPen(kStallColor.darker(130));
        painter->drawText(QPointF(x, plot.top() + metrics.ascent() + 2 * kLabelGap + 4), text);
        labelsEnd = x + width;
    }
}

QString StallShading::describe(const QList<LoopStall>& stalls, qint64 wallMs, qint64 nowWallMs) const
{
    const auto clock = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("hh:mm:ss.zzz"));
    };
    for (const LoopStall& stall : stalls) {
        if (wallMs >= stall.startWallMs && wallMs <= stall.startWallMs + qint64(stall.durationMs))
            return QStringLiteral("■ event loop blocked for %1 from %2")
                .arg(lengthText(stall.durationMs), clock(stall.startWallMs));
    }
    if (m_ongoingSince && wallMs >= *m_ongoingSince)
        return QStringLiteral("■ event loop blocked since %1 (%2 so far)")
            .arg(clock(*m_ongoingSince), lengthText(double(nowWallMs - *m_ongoingSince)));
    return {};
}

} // namespace NodeScope

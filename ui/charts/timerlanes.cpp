#include "charts/timerlanes.h"

#include <QPainter>
#include <QRectF>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace NodeScope {

namespace {

constexpr double kLaneHeight = 4;
// A span narrower than this many pixels gets its lane but no shading: a
// sliver would only hide the lines under it.
constexpr double kShadedMinimumWidth = 3;
// Spans are kept in the order they ended, so one that ends in the window
// may have started long before it; past this much after the window's end
// no span can still reach back into it in practice.
constexpr qint64 kLongestSpanLookaheadMs = 60'000;

QList<QPair<int, int>> runsOf(const QList<bool>& covered)
{
    QList<QPair<int, int>> runs;
    for (int column = 0; column < covered.size();) {
        if (!covered[column]) {
            ++column;
            continue;
        }
        int end = column;
        while (end + 1 < covered.size() && covered[end + 1])
            ++end;
        runs.append({column, end + 1});
        column = end + 1;
    }
    return runs;
}

} // namespace

QColor TimerLanes::labelColor(const QString& label)
{
    // Spread around the hue circle. Stable while the program runs, not from
    // one run to the next: Qt seeds its string hash per process.
    const int hue = int(qHash(label, 7) % 360);
    return QColor::fromHsl(hue, 160, 120);
}

void TimerLanes::layOut(const QList<TimerSpan>& spans, qint64 fromWallMs, qint64 toWallMs, double plotWidth)
{
    m_lanes.clear();
    const int columns = qMax(1, int(std::ceil(plotWidth)));
    if (spans.isEmpty() || toWallMs <= fromWallMs)
        return;
    struct Coverage {
        QList<bool> lane; // any span at all
        QList<bool> shaded; // spans wide enough to shade
    };
    QList<Coverage> coverage;
    QStringList order;
    QList<bool> hidden;
    const double scale = plotWidth / double(toWallMs - fromWallMs);
    // Skip the spans that ended before the window with a binary search.
    const auto first = std::lower_bound(spans.cbegin(), spans.cend(), fromWallMs,
        [](const TimerSpan& span, qint64 wall) { return span.endWallMs < wall; });
    for (auto it = first; it != spans.cend(); ++it) {
        const TimerSpan& span = *it;
        if (span.startWallMs > toWallMs + kLongestSpanLookaheadMs)
            break;
        if (span.isLap || span.startWallMs > toWallMs || span.endWallMs < fromWallMs)
            continue;
        // A handful of labels repeat thousands of times: comparing with the
        // few seen so far is cheaper than hashing each one.
        qsizetype index = order.indexOf(span.label);
        if (index < 0) {
            index = order.size();
            order.append(span.label);
            hidden.append(m_hiddenLabels.contains(span.label));
            coverage.append({QList<bool>(columns, false), QList<bool>(columns, false)});
        }
        if (hidden[index])
            continue;
        Coverage* found = &coverage[index];
        const double left = double(span.startWallMs - fromWallMs) * scale;
        const double right = double(span.endWallMs - fromWallMs) * scale;
        const int a = qBound(0, int(std::floor(left)), columns - 1);
        const int b = qBound(0, int(std::floor(right)), columns - 1);
        const bool wide = right - left >= kShadedMinimumWidth;
        for (int column = a; column <= b; ++column) {
            found->lane[column] = true;
            if (wide)
                found->shaded[column] = true;
        }
    }
    for (qsizetype i = 0; i < order.size(); ++i) {
        if (!hidden[i])
            m_lanes.append(
                {order[i], labelColor(order[i]), runsOf(coverage[i].lane), runsOf(coverage[i].shaded)});
    }
}

void TimerLanes::paint(QPainter* painter, const QRectF& plot) const
{
    if (m_lanes.isEmpty())
        return;
    // Whole-pixel rectangles: no antialiasing needed (and none paid for).
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (qsizetype i = 0; i < m_lanes.size(); ++i) {
        const Lane& lane = m_lanes[i];
        QColor fill = lane.color;
        fill.setAlpha(40);
        for (const auto& [a, b] : lane.shaded)
            painter->fillRect(QRectF(plot.left() + a, plot.top(), double(b - a), plot.height()), fill);
        const double laneTop = plot.top() + double(i) * (kLaneHeight + 1);
        for (const auto& [a, b] : lane.lane)
            painter->fillRect(
                QRectF(plot.left() + a, laneTop, qMax(1.0, double(b - a)), kLaneHeight), lane.color);
    }
}

} // namespace NodeScope

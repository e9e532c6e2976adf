#include "charts/collectionmarkers.h"

#include "format.h"

#include <QColor>
#include <QPainter>
#include <QPolygonF>
#include <QRectF>

#include <algorithm>
#include <cmath>

namespace NodeScope {

namespace {

constexpr double kTriangleHalfWidth = 4;
constexpr double kTriangleHeight = 7;

} // namespace

void CollectionMarkers::layOut(
    const QList<QPair<qint64, double>>& collections, qint64 fromWallMs, qint64 toWallMs, double plotWidth)
{
    m_marks.clear();
    if (toWallMs <= fromWallMs || plotWidth <= 0)
        return;
    const double pixelsPerMs = plotWidth / double(toWallMs - fromWallMs);
    auto it = std::lower_bound(collections.cbegin(), collections.cend(), fromWallMs,
        [](const QPair<qint64, double>& collection, qint64 wallMs) { return collection.first < wallMs; });
    for (; it != collections.cend() && it->first <= toWallMs; ++it) {
        const double x = double(it->first - fromWallMs) * pixelsPerMs;
        if (!m_marks.isEmpty() && x - m_marks.last().x < kMergePixels) {
            Mark& mark = m_marks.last();
            mark.lastWallMs = it->first;
            ++mark.count;
            mark.maxPauseMs = qMax(mark.maxPauseMs, it->second);
            mark.totalPauseMs += it->second;
            continue;
        }
        m_marks.append({x, it->first, it->first, 1, it->second, it->second});
    }
}

void CollectionMarkers::paint(QPainter* painter, const QRectF& plot, const QColor& color) const
{
    if (m_marks.isEmpty())
        return;
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->setRenderHint(QPainter::Antialiasing, true);
    const double bottom = plot.bottom();
    for (const Mark& mark : m_marks) {
        const double x = plot.left() + mark.x;
        const QPolygonF triangle{QPointF(x - kTriangleHalfWidth, bottom),
            QPointF(x + kTriangleHalfWidth, bottom), QPointF(x, bottom - kTriangleHeight)};
        painter->drawPolygon(triangle);
    }
    painter->setBrush(Qt::NoBrush);
}

QString CollectionMarkers::describe(qint64 wallMs, double slackMs) const
{
    for (const Mark& mark : m_marks) {
        if (double(wallMs) < double(mark.firstWallMs) - slackMs
            || double(wallMs) > double(mark.lastWallMs) + slackMs)
            continue;
        if (mark.count == 1)
            return QStringLiteral("▲ major GC, %1 pause").arg(Format::milliseconds(mark.maxPauseMs));
        return QStringLiteral("▲ %1 major GCs, up to %2 pause (%3 in all)")
            .arg(mark.count)
            .arg(Format::milliseconds(mark.maxPauseMs), Format::milliseconds(mark.totalPauseMs));
    }
    return {};
}

} // namespace NodeScope

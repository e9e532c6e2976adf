#pragma once

// Timer spans (console.time and the stopwatch) over a chart: per label, a
// thin lane at the top of the plot wherever a span runs, and a pale shading
// of the plot below spans wide enough to be worth it. Worked out per pixel
// column once per refresh, not per paint: hovering repaints often, and a busy
// label ("DB Call" at a wide zoom) has thousands of overlapping spans that
// would otherwise pile translucent layers into an opaque block.

#include "types.h"

#include <QColor>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>

class QPainter;
class QRectF;

namespace NodeScope {

class TimerLanes {
public:
    // A colour per label, the same on every chart.
    static QColor labelColor(const QString& label);

    void setHiddenLabels(const QSet<QString>& labels) { m_hiddenLabels = labels; }
    const QSet<QString>& hiddenLabels() const { return m_hiddenLabels; }

    // Lays out the spans seen in [fromWallMs, toWallMs] across plotWidth
    // pixel columns. spans are in the order they ended (Session::timerSpans()).
    void layOut(const QList<TimerSpan>& spans, qint64 fromWallMs, qint64 toWallMs, double plotWidth);
    // Paints the last layout with its first column at plot.left().
    void paint(QPainter* painter, const QRectF& plot) const;

private:
    // Runs of pixel columns [first, last): where the lane is drawn, and
    // where the plot below it is shaded.
    struct Lane {
        QString label;
        QColor color;
        QList<QPair<int, int>> lane;
        QList<QPair<int, int>> shaded;
    };

    QSet<QString> m_hiddenLabels;
    QList<Lane> m_lanes;
};

} // namespace NodeScope

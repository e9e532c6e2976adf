#pragma once

// Major garbage collections (mark-sweep-compact) on a chart: a small
// triangle on the time axis at each one, and a readout line for the one
// under the pointer ("major GC, 12.3 ms pause"). Laid out once per refresh,
// not per paint, from the collections in the visible window only (a binary
// search finds them: the session keeps them in time order), and merged when
// closer than a few pixels: a day of collections at the whole-session zoom
// costs one mark per few pixel columns, not one per collection.

#include <QList>
#include <QPair>
#include <QString>

class QColor;
class QPainter;
class QRectF;

namespace NodeScope {

class CollectionMarkers {
public:
    // One mark on screen: one collection, or several merged.
    struct Mark {
        double x = 0; // pixels from the plot's left edge
        qint64 firstWallMs = 0;
        qint64 lastWallMs = 0;
        int count = 0;
        double maxPauseMs = 0;
        double totalPauseMs = 0;
    };

    // Marks closer than this many pixels are one mark.
    static constexpr double kMergePixels = 5;

    // collections: (wall ms, pause ms), in time order (Session::majorCollections()).
    void layOut(const QList<QPair<qint64, double>>& collections, qint64 fromWallMs, qint64 toWallMs,
        double plotWidth);
    const QList<Mark>& marks() const { return m_marks; }
    void clear() { m_marks.clear(); }

    // Paints the last layout along the bottom of the plot.
    void paint(QPainter* painter, const QRectF& plot, const QColor& color) const;
    // The readout line for a mark within slackMs of wallMs ("major GC, 12.3
    // ms pause"; merged: "3 major GCs, up to 12.3 ms pause"); empty when none.
    QString describe(qint64 wallMs, double slackMs) const;

private:
    QList<Mark> m_marks;
};

} // namespace NodeScope

#pragma once

// The worker threads of a session, each its own series of heap figures.
// Workers come and go while a process runs and their number is not known in
// advance, so they live here, beside the fixed-layout SampleStore: a
// worker's series begins when a reading first lists it and ends when one no
// longer does (it exited); an ended series stays for review and export.

#include "types.h"

#include <QJsonArray>
#include <QList>
#include <QString>

namespace NodeScope {

struct WorkerHeapPoint {
    qint64 wallMs = 0;
    qint64 heapUsedBytes = 0;
    qint64 heapTotalBytes = 0;
};

struct WorkerSeries {
    qint64 threadId = 0;
    QString title;
    QList<WorkerHeapPoint> points;
    qint64 firstSeenWallMs = 0; // the first reading that listed it
    qint64 lastSeenWallMs = 0; // the last reading that listed it
    bool alive = true;
    qint64 peakHeapUsedBytes = 0;

    // "worker 2 (grower)", or "worker 2" for a worker without a name.
    QString displayName() const;
    qint64 lastHeapUsedBytes() const { return points.isEmpty() ? 0 : points.constLast().heapUsedBytes; }
};

class WorkerStore {
public:
    // What one reading changed, by thread id.
    struct Change {
        QList<qint64> started;
        QList<qint64> ended;
        bool appended = false; // new heap figures arrived
    };

    // A reading taken at readWallMs: the workers alive then, each with its
    // latest figures (wallMs 0: none yet). A figure already held (the same
    // answer read twice) is not added again; a worker alive before and not
    // listed now has ended.
    Change add(const QList<WorkerHeap>& alive, qint64 readWallMs);
    // Ends every series still alive (the target or the probe went away).
    Change endAll();
    // A reading from a recording (the workers CSV), for review: the worker's
    // series, made ended and seen from its first point to its last, gains
    // the point. A point not later than the series' last is dropped (false).
    bool addRecorded(qint64 threadId, const QString& title, const WorkerHeapPoint& point);

    const QList<WorkerSeries>& series() const { return m_series; }
    const WorkerSeries* find(qint64 threadId) const;
    bool isEmpty() const { return m_series.isEmpty(); }
    qsizetype aliveCount() const;
    // Heap readings held, over every worker.
    qsizetype readingCount() const;
    void clear() { m_series.clear(); }

    // The summary's `workers`: [{threadId, title, peakHeapUsed, lastHeapUsed,
    // firstSeenMs, lastSeenMs}], times in ms since startWallMs.
    QJsonArray summaryJson(qint64 startWallMs) const;

private:
    WorkerSeries& startSeries(qint64 threadId, const QString& title, qint64 firstSeenWallMs);
    static void appendPoint(WorkerSeries& series, const WorkerHeapPoint& point);

    QList<WorkerSeries> m_series; // in order of first appearance
};

} // namespace NodeScope

#include "session/workerstore.h"

#include <QJsonObject>
#include <QSet>

namespace NodeScope {

QString WorkerSeries::displayName() const
{
    return title.isEmpty() ? QStringLiteral("worker %1").arg(threadId)
                           : QStringLiteral("worker %1 (%2)").arg(threadId).arg(title);
}

const WorkerSeries* WorkerStore::find(qint64 threadId) const
{
    for (const WorkerSeries& series : m_series) {
        if (series.threadId == threadId)
            return &series;
    }
    return nullptr;
}

qsizetype WorkerStore::aliveCount() const
{
    qsizetype alive = 0;
    for (const WorkerSeries& series : m_series)
        alive += series.alive ? 1 : 0;
    return alive;
}

WorkerStore::Change WorkerStore::add(const QList<WorkerHeap>& alive, qint64 readWallMs)
{
    Change change;
    QSet<qint64> listed;
    for (const WorkerHeap& worker : alive) {
        listed.insert(worker.threadId);
        WorkerSeries* series = nullptr;
        for (WorkerSeries& existing : m_series) {
            // Thread ids are never reused within a process: an ended one
            // listed again is a reading that raced its exit, not a new worker.
            if (existing.threadId == worker.threadId) {
                series = &existing;
                break;
            }
        }
        if (!series) {
            WorkerSeries fresh;
            fresh.threadId = worker.threadId;
            fresh.title = worker.title;
            fresh.firstSeenWallMs = readWallMs;
            m_series.append(fresh);
            series = &m_series.last();
            change.started.append(worker.threadId);
        } else if (!series->alive) {
            continue;
        }
        series->lastSeenWallMs = readWallMs;
        if (worker.wallMs <= 0
            || (!series->points.isEmpty() && worker.wallMs <= series->points.constLast().wallMs))
            continue;
        series->points.append({worker.wallMs, worker.heapUsedBytes, worker.heapTotalBytes});
        series->peakHeapUsedBytes = qMax(series->peakHeapUsedBytes, worker.heapUsedBytes);
        change.appended = true;
    }
    for (WorkerSeries& series : m_series) {
        if (series.alive && !listed.contains(series.threadId)) {
            series.alive = false;
            change.ended.append(series.threadId);
        }
    }
    return change;
}

WorkerStore::Change WorkerStore::endAll()
{
    // Last seen stays the last reading that listed it: nobody saw it since.
    Change change;
    for (WorkerSeries& series : m_series) {
        if (series.alive) {
            series.alive = false;
            change.ended.append(series.threadId);
        }
    }
    return change;
}

bool WorkerStore::addRecorded(qint64 threadId, const QString& title, const WorkerHeapPoint& point)
{
    WorkerSeries* series = nullptr;
    for (WorkerSeries& existing : m_series) {
        if (existing.threadId == threadId) {
            series = &existing;
            break;
        }
    }
    if (!series) {
        WorkerSeries fresh;
        fresh.threadId = threadId;
        fresh.title = title;
        fresh.alive = false;
        fresh.firstSeenWallMs = point.wallMs;
        m_series.append(fresh);
        series = &m_series.last();
    } else if (point.wallMs <= series->points.constLast().wallMs) {
        return false;
    }
    series->points.append(point);
    series->lastSeenWallMs = point.wallMs;
    series->peakHeapUsedBytes = qMax(series->peakHeapUsedBytes, point.heapUsedBytes);
    return true;
}

QJsonArray WorkerStore::summaryJson(qint64 startWallMs) const
{
    QJsonArray workers;
    for (const WorkerSeries& series : m_series) {
        workers.append(QJsonObject{
            {QStringLiteral("threadId"), double(series.threadId)},
            {QStringLiteral("title"), series.title},
            {QStringLiteral("peakHeapUsed"), double(series.peakHeapUsedBytes)},
            {QStringLiteral("lastHeapUsed"), double(series.lastHeapUsedBytes())},
            {QStringLiteral("firstSeenMs"), double(qMax<qint64>(0, series.firstSeenWallMs - startWallMs))},
            {QStringLiteral("lastSeenMs"), double(qMax<qint64>(0, series.lastSeenWallMs - startWallMs))},
        });
    }
    return workers;
}

} // namespace NodeScope

#include "session/workerstore.h"

#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace NodeScope {

namespace {

// The series of a thread in a list of them, const or not; nullptr when none.
template <typename SeriesList> auto* seriesIn(SeriesList& list, qint64 threadId)
{
    const auto found = std::find_if(list.begin(), list.end(),
        [threadId](const WorkerSeries& series) { return series.threadId == threadId; });
    return found == list.end() ? nullptr : &*found;
}

} // namespace

QString WorkerSeries::displayName() const
{
    return title.isEmpty() ? QStringLiteral("worker %1").arg(threadId)
                           : QStringLiteral("worker %1 (%2)").arg(threadId).arg(title);
}

const WorkerSeries* WorkerStore::find(qint64 threadId) const
{
    return seriesIn(m_series, threadId);
}

WorkerSeries& WorkerStore::startSeries(qint64 threadId, const QString& title, qint64 firstSeenWallMs)
{
    WorkerSeries fresh;
    fresh.threadId = threadId;
    fresh.title = title;
    fresh.firstSeenWallMs = firstSeenWallMs;
    m_series.append(fresh);
    return m_series.last();
}

void WorkerStore::appendPoint(WorkerSeries& series, const WorkerHeapPoint& point)
{
    series.points.append(point);
    series.peakHeapUsedBytes = qMax(series.peakHeapUsedBytes, point.heapUsedBytes);
}

qsizetype WorkerStore::readingCount() const
{
    qsizetype readings = 0;
    for (const WorkerSeries& series : m_series)
        readings += series.points.size();
    return readings;
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
        // Thread ids are never reused within a process: an ended one listed
        // again is a reading that raced its exit, not a new worker.
        WorkerSeries* series = seriesIn(m_series, worker.threadId);
        if (!series) {
            series = &startSeries(worker.threadId, worker.title, readWallMs);
            change.started.append(worker.threadId);
        } else if (!series->alive) {
            continue;
        }
        series->lastSeenWallMs = readWallMs;
        if (worker.wallMs <= 0
            || (!series->points.isEmpty() && worker.wallMs <= series->points.constLast().wallMs))
            continue;
        appendPoint(*series, {worker.wallMs, worker.heapUsedBytes, worker.heapTotalBytes});
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
    WorkerSeries* series = seriesIn(m_series, threadId);
    if (!series) {
        series = &startSeries(threadId, title, point.wallMs);
        series->alive = false;
    } else if (point.wallMs <= series->points.constLast().wallMs) {
        return false;
    }
    appendPoint(*series, point);
    series->lastSeenWallMs = point.wallMs;
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

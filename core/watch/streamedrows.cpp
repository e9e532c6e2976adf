#include "watch/streamedrows.h"

#include <cmath>
#include <limits>

namespace NodeScope {

void StreamedRows::reset(qint64 startWallMs, qint64 afterWallMs)
{
    m_startWallMs = startWallMs;
    m_lastRowWallMs = afterWallMs;
    m_lastReadingWallMs = 0;
    m_os.clear();
    m_carried = {};
    m_hasCarried = false;
}

void StreamedRows::addOsSample(const Sample& sample)
{
    m_os.push_back(sample);
    while (!m_os.empty() && m_os.front().wallMs < sample.wallMs - kKeepOsMs)
        m_os.pop_front();
}

const Sample* StreamedRows::nearestOs(qint64 wallMs) const
{
    const Sample* nearest = nullptr;
    qint64 best = std::numeric_limits<qint64>::max();
    // Newest first: the readings are recent, the search ends at the first
    // sample that is further away than the one before.
    for (auto it = m_os.rbegin(); it != m_os.rend(); ++it) {
        const qint64 distance = std::abs(it->wallMs - wallMs);
        if (distance > best)
            break;
        best = distance;
        nearest = &*it;
    }
    return nearest;
}

void StreamedRows::carry(const TargetReading& dropped)
{
    if (!m_hasCarried) {
        m_carried = {};
        m_hasCarried = true;
    }
    RuntimeSample& into = m_carried.runtime;
    const RuntimeSample& from = dropped.runtime;
    if (from.gcCount >= 0) {
        into.gcCount = qMax(0, into.gcCount) + from.gcCount;
        into.gcPauseMs = (std::isnan(into.gcPauseMs) ? 0.0f : into.gcPauseMs) + from.gcPauseMs;
    }
    if (!std::isnan(from.loopDelayMaxMs)
        && (std::isnan(into.loopDelayMaxMs) || from.loopDelayMaxMs > into.loopDelayMaxMs)) {
        into.loopDelayP50Ms = from.loopDelayP50Ms;
        into.loopDelayP99Ms = from.loopDelayP99Ms;
        into.loopDelayMaxMs = from.loopDelayMaxMs;
    }
    for (std::size_t kind = 0; kind < m_carried.collections.count.size(); ++kind) {
        m_carried.collections.count[kind] += dropped.collections.count[kind];
        m_carried.collections.pauseMs[kind] += dropped.collections.pauseMs[kind];
    }
    m_carried.collections.major += dropped.collections.major;
}

QList<StreamedRows::Row> StreamedRows::rowsFor(const QList<TargetReading>& readings)
{
    QList<Row> rows;
    for (const TargetReading& reading : readings) {
        const qint64 gap = m_lastReadingWallMs > 0 ? reading.wallMs - m_lastReadingWallMs : 0;
        const Sample* os = nearestOs(reading.wallMs);
        // Time already shown (rows of a stretch without readings), a
        // reading from before the session, or no /proc sample yet: its
        // collections go with the next row.
        if (reading.wallMs <= m_lastRowWallMs || reading.wallMs < m_startWallMs || !os) {
            carry(reading);
            if (reading.wallMs > m_lastReadingWallMs)
                m_lastReadingWallMs = reading.wallMs;
            continue;
        }
        Row row;
        row.sample = *os;
        row.sample.wallMs = reading.wallMs;
        row.sample.elapsedMs = quint32(reading.wallMs - m_startWallMs);
        row.sample.heapTotalBytes = reading.heapTotalBytes;
        row.sample.heapUsedBytes = reading.heapUsedBytes;
        row.sample.externalBytes = reading.externalBytes;
        row.sample.arrayBuffersBytes = reading.arrayBuffersBytes;
        row.reading = reading;
        row.gapMs = qMax<qint64>(0, gap);
        if (m_hasCarried) {
            carry(reading); // adds this reading's own figures to what was carried
            RuntimeSample& runtime = row.reading.runtime;
            runtime.gcCount = m_carried.runtime.gcCount;
            runtime.gcPauseMs = m_carried.runtime.gcPauseMs;
            runtime.loopDelayP50Ms = m_carried.runtime.loopDelayP50Ms;
            runtime.loopDelayP99Ms = m_carried.runtime.loopDelayP99Ms;
            runtime.loopDelayMaxMs = m_carried.runtime.loopDelayMaxMs;
            row.reading.collections = m_carried.collections;
            m_hasCarried = false;
        }
        m_lastRowWallMs = reading.wallMs;
        m_lastReadingWallMs = reading.wallMs;
        rows.append(row);
    }
    return rows;
}

QList<Sample> StreamedRows::uncoveredBefore(qint64 beforeWallMs)
{
    QList<Sample> rows;
    for (const Sample& sample : m_os) {
        if (sample.wallMs <= m_lastRowWallMs || sample.wallMs >= beforeWallMs)
            continue;
        rows.append(sample);
        m_lastRowWallMs = sample.wallMs;
    }
    return rows;
}

} // namespace NodeScope

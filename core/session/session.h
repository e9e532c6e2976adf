#pragma once

// Everything recorded while watching one process: samples in time order,
// markers, finished timer spans and what we know about the target.
// Append-only, so views may keep indices into it and export never races a
// rewrite.

#include "types.h"

#include <QList>

namespace NodeScope {

struct SessionInfo {
    qint64 pid = 0;
    QString processName;
    QString commandLine;
    QString nodeVersion;
    qint64 heapLimitBytes = 0;
    qint64 startWallMs = 0;
    QString source; // "pid", "address host:port", "csv path" -- where the data came from
};

class Session {
public:
    Session() = default;
    explicit Session(const SessionInfo& info)
        : m_info(info)
    {
    }

    const SessionInfo& info() const { return m_info; }
    SessionInfo& info() { return m_info; }

    // Returns false (and keeps nothing) for a sample older than the last one.
    bool append(const Sample& sample);
    void addMarker(const Marker& marker) { m_markers.append(marker); }
    void addTimerSpan(const TimerSpan& span) { m_timerSpans.append(span); }

    const QList<Sample>& samples() const { return m_samples; }
    const QList<Marker>& markers() const { return m_markers; }
    const QList<TimerSpan>& timerSpans() const { return m_timerSpans; }
    qsizetype size() const { return m_samples.size(); }
    bool isEmpty() const { return m_samples.isEmpty(); }

    // Index of the first sample at or after elapsedMs (size() when none).
    qsizetype lowerBound(quint32 elapsedMs) const;
    quint32 durationMs() const { return m_samples.isEmpty() ? 0 : m_samples.constLast().elapsedMs; }

    // Bytes used by the sample store, for the memory budget.
    qsizetype sampleBytes() const { return m_samples.capacity() * qsizetype(sizeof(Sample)); }

private:
    SessionInfo m_info;
    QList<Sample> m_samples;
    QList<Marker> m_markers;
    QList<TimerSpan> m_timerSpans;
};

} // namespace NodeScope

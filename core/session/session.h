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
    bool append(const Sample& sample, const RuntimeSample& runtime = {});
    // The runtime figures of sample i (empty when the session has none).
    const RuntimeSample& runtimeAt(qsizetype index) const;
    bool hasRuntime() const { return !m_runtime.isEmpty(); }
    void addStall(const LoopStall& stall) { m_stalls.append(stall); }
    const QList<LoopStall>& stalls() const { return m_stalls; }
    // Major collections: wall ms and pause.
    void addMajorCollection(qint64 wallMs, double pauseMs) { m_majorCollections.append({wallMs, pauseMs}); }
    const QList<QPair<qint64, double>>& majorCollections() const { return m_majorCollections; }
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
    qsizetype sampleBytes() const
    {
        return m_samples.capacity() * qsizetype(sizeof(Sample))
            + m_runtime.capacity() * qsizetype(sizeof(RuntimeSample));
    }

private:
    SessionInfo m_info;
    QList<Sample> m_samples;
    // Parallel to m_samples once the first runtime figures arrive; empty until then.
    QList<RuntimeSample> m_runtime;
    QList<LoopStall> m_stalls;
    QList<QPair<qint64, double>> m_majorCollections;
    QList<Marker> m_markers;
    QList<TimerSpan> m_timerSpans;
};

} // namespace NodeScope

#pragma once

// Plain value types that travel between the sampler, the session store and the
// views. They are copied through queued signals, so they stay small and free
// of pointers into shared state.

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QtGlobal>

#include <array>
#include <cmath>
#include <limits>

namespace NodeScope {

// Where a process's Node inspector stands, as far as /proc can tell without
// talking to it.
struct InspectorStatus {
    enum class State { Open, Closed, Unavailable };
    State state = State::Unavailable;
    quint16 port = 0; // listening port when Open
    QString reason; // why it is Unavailable (or a note for Closed/Open)
};

struct ProcessInfo {
    qint64 pid = 0;
    qint64 ppid = 0;
    uint uid = 0;
    QString user;
    QString name; // comm, or process.title for Node
    QString exePath; // target of /proc/PID/exe, empty when unreadable
    QString commandLine; // arguments joined by spaces
    quint64 startTimeTicks = 0; // field 22 of /proc/PID/stat, for PID-reuse checks
    double uptimeSeconds = 0;
    qint64 rssBytes = 0;
    int threads = 0;
    bool isNode = false;
    InspectorStatus inspector;
};

// One tick of sampling. Kept at 64 bytes so a day at 10 Hz fits in ~55 MB.
// A value that was not sampled is marked missing (kMissingBytes / NaN), never 0.
struct Sample {
    static constexpr qint64 kMissingBytes = -1;

    qint64 wallMs = 0; // wall clock, ms since the epoch
    quint32 elapsedMs = 0; // monotonic ms since the session started (49 days max)
    quint16 threads = 0; // 0 when not sampled
    quint16 reserved = 0;
    qint64 rssBytes = kMissingBytes;
    qint64 heapTotalBytes = kMissingBytes;
    qint64 heapUsedBytes = kMissingBytes;
    qint64 externalBytes = kMissingBytes;
    qint64 arrayBuffersBytes = kMissingBytes;
    float cpuUserPercent = std::numeric_limits<float>::quiet_NaN(); // 100 = one core
    float cpuSystemPercent = std::numeric_limits<float>::quiet_NaN(); // 100 = one core

    bool hasOs() const { return rssBytes != kMissingBytes; }
    bool hasHeap() const { return heapUsedBytes != kMissingBytes; }
    bool hasCpu() const { return !std::isnan(cpuUserPercent) && !std::isnan(cpuSystemPercent); }
    double cpuPercent() const { return double(cpuUserPercent) + double(cpuSystemPercent); }
};
static_assert(sizeof(Sample) == 64, "Sample must stay compact");

// The runtime health of one sampling interval, from NodeScope's probe in the
// target: event-loop utilisation and delay, garbage collections and active
// resources. Kept beside the Sample (Session::runtimeAt()), not in it: a
// session without these figures -- a non-Node process, an older CSV, a
// target watched through the inspector -- pays nothing for them.
struct RuntimeSample {
    float elu = std::numeric_limits<float>::quiet_NaN(); // share of the interval the loop was busy, 0..1
    // Event-loop delay over the interval, beyond the 10 ms resolution of the
    // histogram that measures it: how late a timer due now would run.
    float loopDelayP50Ms = std::numeric_limits<float>::quiet_NaN();
    float loopDelayP99Ms = std::numeric_limits<float>::quiet_NaN();
    float loopDelayMaxMs = std::numeric_limits<float>::quiet_NaN();
    float gcPauseMs = std::numeric_limits<float>::quiet_NaN(); // total pause of the interval's collections
    qint32 gcCount = -1; // collections in the interval, -1 when not sampled
    qint32 activeResources = -1; // handles and requests keeping the loop alive, -1 when not sampled

    bool isEmpty() const
    {
        return std::isnan(elu) && std::isnan(loopDelayMaxMs) && gcCount < 0 && activeResources < 0;
    }
};

// Collections of one interval by kind, as perf_hooks reports them.
struct CollectionCounts {
    enum Kind { Minor, Major, Incremental, WeakCallbacks, KindCount };
    std::array<qint32, KindCount> count{};
    std::array<double, KindCount> pauseMs{};
    // Major (mark-sweep-compact) collections: wall ms and pause, for markers.
    QList<QPair<qint64, double>> major;
};

// A span of time the event loop did not turn: no timer, no I/O callback ran.
struct LoopStall {
    qint64 startWallMs = 0;
    double durationMs = 0;
};

// The metrics a Sample (and its RuntimeSample) carries, in CSV order;
// session/metrics.h describes each.
enum class Metric {
    Rss,
    HeapTotal,
    HeapUsed,
    External,
    ArrayBuffers,
    Cpu,
    CpuUser,
    CpuSystem,
    Threads,
    EventLoopUtilization,
    LoopDelayP50,
    LoopDelayP99,
    LoopDelayMax,
    GcCount,
    GcPause,
    ActiveResources,
    Count
};

// A labeled mark on the session's time axis (attach, detach, interval change...).
struct Marker {
    qint64 wallMs = 0;
    quint32 elapsedMs = 0;
    QString text;
};

// A finished timer span: the user's stopwatch or the process's console.time.
struct TimerSpan {
    enum class Source { User, Process };
    Source source = Source::User;
    QString label;
    qint64 startWallMs = 0;
    qint64 endWallMs = 0;
    double durationMs = 0;
    bool isLap = false; // a split taken without stopping (console.timeLog, Lap)
};

// One reading of a worker thread's heap (V8's Runtime.getHeapUsage in that
// thread). A worker's heap is its own isolate's: not part of the main
// thread's heapUsed/heapTotal, but part of the process's rss.
struct WorkerHeap {
    qint64 threadId = 0; // worker_threads.threadId: never reused within a process
    QString title; // the Worker's `name` option, empty when none was given
    qint64 wallMs = 0; // the target's clock when the worker answered
    qint64 heapUsedBytes = 0;
    qint64 heapTotalBytes = 0;
};

// What an attach found out about the target, once.
struct TargetInfo {
    qint64 pid = 0;
    QString nodeVersion; // "v20.20.2", empty when not attached
    qint64 heapLimitBytes = 0; // V8 heap_size_limit, 0 when unknown
    quint16 inspectorPort = 0;
    QString inspectorHost;
    bool inspectorOpenedByUs = false;
};

} // namespace NodeScope

Q_DECLARE_METATYPE(NodeScope::ProcessInfo)
Q_DECLARE_METATYPE(NodeScope::Sample)
Q_DECLARE_METATYPE(NodeScope::RuntimeSample)
Q_DECLARE_METATYPE(NodeScope::CollectionCounts)
Q_DECLARE_METATYPE(NodeScope::LoopStall)
Q_DECLARE_METATYPE(NodeScope::Marker)
Q_DECLARE_METATYPE(NodeScope::TimerSpan)
Q_DECLARE_METATYPE(NodeScope::TargetInfo)
Q_DECLARE_METATYPE(NodeScope::WorkerHeap)

#pragma once

// Samples one process at a fixed interval: /proc for rss and CPU (any
// process), and one reading of the target's own figures per tick through
// TargetAccess -- the probe's socket when it runs, the inspector until then. Everything is asynchronous, so
// the sampler never blocks the thread it lives on; the dashboard moves it to a worker thread, the command
// line keeps it on the main one.
//
// At most one heap request is in flight and ticks never overlap: a tick that
// finds the previous reply outstanding is skipped, and once that reply is a
// second late (a target stuck in native code) samples go on with their OS
// figures and empty heap cells, so rss and CPU keep flowing.

#include "analysis/allocationprofile.h"
#include "inspector/consoletimerparser.h"
#include "proc/ossampler.h"
#include "types.h"
#include "watch/streamedrows.h"
#include "watch/targetaccess.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <optional>

class QTimer;

namespace NodeScope {

class Sampler : public QObject {
    Q_OBJECT
public:
    static constexpr int kMinIntervalMs = 10;
    static constexpr int kMaxIntervalMs = 60000;
    static constexpr int kDefaultIntervalMs = 250;
    // A loop that does not turn for longer than this is a stall.
    static constexpr int kDefaultStallThresholdMs = 500;
    // Below this interval the probe streams its readings (StreamedRows): a
    // request and a reply per reading cost a busy target several times more
    // than the reading itself (docs/performance.md).
    static constexpr int kStreamBelowMs = 50;
    // How often the streaming probe sends what it read: the rows' latency.
    static constexpr int kStreamBatchMs = 100;
    // How often the sampling heap profile is read while it runs.
    static constexpr int kHeapProfileEveryMs = 5000;
    // How often worker threads are looked for (in /proc, free to the target)
    // and, while the process has any, their heaps read through the probe.
    static constexpr int kWorkersEveryMs = 1000;

    struct Options {
        int intervalMs = kDefaultIntervalMs;
        bool attachInspector = true;
        // Start ticking only once the attach has succeeded or failed, so the
        // first sample already has heap figures (the command line wants this).
        bool waitForAttach = false;
        // Capture the target's console.timeEnd/timeLog (Runtime.enable). Costs
        // the target ~50 us per console call while on; see README.
        bool captureConsoleTimers = true;
        // Install NodeScope's probe and close the inspector again (see
        // TargetAccess); false keeps the inspector open (comparisons).
        bool installProbe = true;
        // Read the heaps of the target's worker threads. Off by default:
        // while the process has workers, the probe keeps an in-process
        // inspector session attached to them, and console calls on every
        // thread then cost about twice as much (README, "Worker threads").
        bool watchWorkers = false;
    };

    explicit Sampler(QObject* parent = nullptr);
    ~Sampler() override;

    static int clampInterval(int intervalMs);

    TargetAccess* access() const { return m_access; }
    bool isRunning() const { return m_running; }
    int intervalMs() const { return m_intervalMs; }
    // Samples published without heap figures because the reply was late or failed.
    qint64 skippedHeapReadings() const { return m_skippedHeapReadings; }
    // Ticks skipped while waiting for a late heap reply.
    qint64 skippedTicks() const { return m_skippedTicks; }

public Q_SLOTS:
    // Watches a local process. Emits started() with the session's time origin.
    void watchPid(qint64 pid, const NodeScope::Sampler::Options& options);
    // Watches a remote inspector: heap figures only, no /proc.
    void watchAddress(const QString& host, quint16 port, const NodeScope::Sampler::Options& options);
    void setIntervalMs(int intervalMs);
    void setStallThresholdMs(int thresholdMs) { m_stallThresholdMs = qMax(50, thresholdMs); }
    // Pauses or resumes ticking; the session clock keeps running.
    void setPaused(bool paused);
    // Turns capture of the target's console timers on or off while attached.
    void setConsoleTimerCapture(bool capture);
    // Turns reading the worker threads' heaps on or off while attached; off
    // closes the probe's worker session at once.
    void setWorkerWatching(bool on);
    // Forces a full garbage collection in the target (HeapProfiler.collectGarbage;
    // it pauses the process for the collection), then reads heapUsed: the
    // live heap, a confirmed floor for the leak detector.
    void collectGarbage();
    // Reads V8's heap spaces once; the answer comes as heapSpacesRead().
    void readHeapSpaces();
    // Runs V8's sampling heap profiler in the target (LeakSuspects::costNote)
    // and reads its profile every kHeapProfileEveryMs, or stops it. It
    // follows the route: a new profiler session starts when the probe takes
    // over (heapSamplingChanged(true) again).
    void setHeapSampling(bool on);
    // Writes a heap snapshot of the target to path, chunk by chunk as it
    // comes (see HeapSnapshotWriter); heapSnapshotWritten() answers.
    void takeHeapSnapshot(const QString& path);
    // Stops ticking and detaches (closing an inspector we opened); emits stopped().
    void stop();

Q_SIGNALS:
    void started(qint64 pid, qint64 startWallMs);
    void sampleReady(const NodeScope::Sample& sample, const NodeScope::RuntimeSample& runtime);
    // Collections the probe saw in an interval, by kind, with the major ones' times.
    void collectionsSeen(const NodeScope::CollectionCounts& counts);
    // Active resources by type, when they changed (the probe counts at most once a second).
    void resourcesChanged(qint64 wallMs, const QList<QPair<QString, int>>& byType);
    // The target's event loop has not turned since sinceWallMs, longer than
    // the stall threshold (seen through the probe only); loopStalled follows
    // once it turns again, with the stall's length.
    void loopBlocked(qint64 sinceWallMs);
    void loopStalled(const NodeScope::LoopStall& stall);
    void attachProgress(const QString& message);
    void attached(const NodeScope::TargetInfo& target);
    void attachFailed(const QString& reason);
    // The inspector went away while the process may live on; OS figures go on.
    void inspectorLost(const QString& reason);
    // The process is gone (exited, killed, PID reused); sampling has stopped.
    void targetExited(const QString& reason);
    // A console.timeEnd / console.timeLog of the target (a worker's is
    // labelled "worker N: label").
    void processTimer(const NodeScope::TimerSpan& span);
    // The worker threads alive now, each with its latest heap figures
    // (wallMs 0 for one that has not answered yet); an empty list once the
    // last has gone. Only while workers are watched and the probe runs.
    void workersRead(const QList<NodeScope::WorkerHeap>& workers);
    // The probe took over from the inspector (Route::Probe), or the way in changed.
    void routeChanged(NodeScope::TargetAccess::Route route);
    // The outcome of collectGarbage(): ok=false with a reason when it failed.
    void heapSpacesRead(const QList<NodeScope::HeapSpace>& spaces, const QString& error);
    void garbageCollected(
        bool ok, quint32 elapsedMs, qint64 heapUsedAfter, double pauseMs, const QString& error);
    // The sampling heap profiler started (a new profile: readings of an
    // earlier one do not continue it) or stopped; error says why it could not start.
    void heapSamplingChanged(bool on, const QString& error);
    void heapProfileRead(const NodeScope::AllocationProfile& profile);
    // The outcome of takeHeapSnapshot(): the bytes written, or why not.
    void heapSnapshotWritten(const QString& path, qint64 bytes, const QString& error);
    void stopped();

private:
    void begin(const Options& options);
    void tick();
    void emitPending();
    std::optional<Sample> osSample(); // nullopt when the process is gone (targetExited is emitted)
    void fill(Sample& sample, const TargetReading& reading) const;
    void noticeBlockedLoop();
    void noteRuntime(TargetReading& reading);
    void noteHealth(const TargetReading& reading);
    // Starts, restarts or ends the probe's stream to suit the interval and state.
    void applyStreaming();
    void streamTick();
    // The /proc samples before beforeWallMs no streamed reading covered, as
    // rows without heap figures (a loop that sent nothing).
    void emitUncovered(qint64 beforeWallMs);
    void takeStreamed(const QList<TargetReading>& readings);
    void startTicking();
    void finishStop();
    void applyConsoleCapture();
    void handleInspectorEvent(
        const QString& method, const QJsonObject& params, qint64 workerThreadId, const QString& workerTitle);
    void pollWorkers();
    void stopWatchingWorkers();
    void applyHeapSampling();
    void readHeapProfile();
    // Lets the in-process CDP session go once no feature needs it.
    void releaseCdpIfUnused();

    TargetAccess* m_access = nullptr;
    QTimer* m_timer = nullptr;
    std::optional<OsSampler> m_os;
    QElapsedTimer m_clock;
    qint64 m_startWallMs = 0;
    int m_intervalMs = kDefaultIntervalMs;
    bool m_running = false;
    bool m_paused = false;
    bool m_waitingForAttach = false;
    bool m_stopping = false;
    bool m_finishStopOnReply = false;
    // The sample whose heap reply is outstanding, if any.
    std::optional<Sample> m_pending;
    RuntimeSample m_pendingRuntime;
    QElapsedTimer m_requestClock; // since the outstanding reading was asked for
    qint64 m_requestWallMs = 0;
    bool m_loopBlockedReported = false;
    int m_stallThresholdMs = kDefaultStallThresholdMs;
    QList<QPair<QString, int>> m_lastResources;
    int m_pendingGeneration = 0;
    bool m_requestInFlight = false;
    qint64 m_skippedHeapReadings = 0;
    qint64 m_skippedTicks = 0;
    qint64 m_pid = 0;
    bool m_captureConsole = true;
    // Console events count only after the Runtime.enable reply: V8 replays
    // its buffer of older messages before that reply.
    bool m_consoleLive = false;
    ConsoleTimerParser m_consoleParser;
    QTimer* m_profileTimer = nullptr;
    bool m_heapSampling = false; // wanted
    bool m_profileInFlight = false;
    int m_samplingGeneration = 0; // bumps on every start and stop
    bool m_snapshotInFlight = false;
    QTimer* m_workersTimer = nullptr;
    bool m_watchWorkers = false;
    bool m_workersInFlight = false;
    bool m_workersWatched = false; // the probe's worker session is open
    int m_workersGeneration = 0;
    // Looks left after a new thread appeared: a worker's thread exists a
    // moment before the inspector knows of it, so one look more follows.
    int m_workerLooksLeft = 0;
    QSet<qint64> m_knownThreads;
    QHash<qint64, ConsoleTimerParser> m_workerConsoleParsers; // by thread id
    bool m_workerConsoleSent = false; // the last reading asked for the workers' console
    qint64 m_workerConsoleSinceWallMs = 0;
    // The probe will take over from the inspector: sampling starts there, not
    // on the inspector session, whose close would stop V8's profiler for all.
    bool m_probeExpected = false;
    // Fast sampling: the probe streams (see applyStreaming()).
    StreamedRows m_streamed;
    bool m_streaming = false;
    bool m_streamRefused = false; // the probe said no: requests per tick
    int m_streamEveryMs = 0;
    int m_streamGeneration = 0;
    QElapsedTimer m_streamClock; // since the last batch came (or the stream began)
};

} // namespace NodeScope

Q_DECLARE_METATYPE(NodeScope::Sampler::Options)

#pragma once

// What the dashboard watches: one target sampled on a worker thread, the
// shared SessionPipeline (samples, verdicts, timer statistics) on the owner's
// thread, the user's stopwatch, and the session's state (attaching, live,
// paused, ended, review). Everything the window shows comes from here, and
// nothing here needs a widget, so it is tested headless.
//
// A session outlives its target: when the process exits, the inspector drops
// or the user detaches, the data stays for review and export. Only
// newSession() (or watching another target) starts over.

#include "analysis/heapsnapshotestimate.h"
#include "inspector/stacksnapshot.h"
#include "types.h"
#include "watch/sampler.h"
#include "watch/sessionpipeline.h"
#include "watch/stopwatch.h"

#include <QObject>
#include <QThread>

namespace NodeScope {

class LiveSession : public QObject {
    Q_OBJECT
public:
    enum class State {
        Empty, // nothing watched or loaded yet
        Attaching, // sampling may have begun (OS figures), inspector on its way
        Watching, // sampling
        Paused, // recording paused by the user
        Ended, // target gone or detached: data kept for review and export
        Review, // loaded from a CSV
    };
    Q_ENUM(State)

    explicit LiveSession(QObject* parent = nullptr);
    // Detaches (closing any inspector we opened) before the worker stops.
    ~LiveSession() override;

    State state() const { return m_state; }
    bool isLive() const
    {
        return m_state == State::Attaching || m_state == State::Watching || m_state == State::Paused;
    }
    const SessionPipeline& pipeline() const { return m_pipeline; }
    const SampleStore& store() const { return m_pipeline.store(); }
    const TargetInfo& target() const { return m_pipeline.target(); }
    const TimerStatistics& timerStatistics() const { return m_pipeline.timerStatistics(); }
    Stopwatch* stopwatch() const { return m_stopwatch; }
    const LeakDetector& leakDetector() const { return m_pipeline.leakDetector(); }
    // What a heap snapshot of the watched process would cost now, written to path's disk.
    HeapSnapshotEstimate snapshotEstimate(const QString& path) const;
    bool canTakeHeapSnapshot() const { return m_sampler && !target().nodeVersion.isEmpty(); }
    void setLeakSettings(const LeakSettings& settings);
    int intervalMs() const { return m_intervalMs; }
    bool consoleCapture() const { return m_consoleCapture; }
    bool workerWatching() const { return m_workerWatching; }
    // The worker threads seen, each its own heap series.
    const WorkerStore& workers() const { return m_pipeline.workers(); }
    bool sampleThroughInspector() const { return m_throughInspector; }
    // A short description of what is watched: "server.js — PID 123".
    QString title() const { return m_title; }
    // Whether the samples were saved since the last change.
    bool isSaved() const { return m_saved; }
    void markSaved() { m_saved = true; }

    void setIntervalMs(int intervalMs);
    void setConsoleCapture(bool capture);
    // Reads the worker threads' heaps (Sampler::Options::watchWorkers).
    void setWorkerWatching(bool on);
    // Keep the inspector open instead of installing the probe: heap figures
    // during stalls, at the inspector's cost. Applies from the next attach.
    void setSampleThroughInspector(bool through) { m_throughInspector = through; }

public Q_SLOTS:
    // Starts a new session on a local process; attach=false samples OS figures only.
    void watchProcess(const NodeScope::ProcessInfo& process, bool attach = true);
    // Starts a new session on an inspector address (heap figures only).
    void watchAddress(const QString& host, quint16 port);
    // Replaces the session with one loaded from disk.
    void review(const NodeScope::Session& session, const NodeScope::WorkerStore& workers = {});
    void setPaused(bool paused);
    // Stops sampling; the data stays. Emits detached() once the inspector is closed.
    void detach();
    // HeapProfiler.collectGarbage in the target (pauses it), to confirm the
    // heap floor; the outcome comes as a message and a leak verdict update.
    void forceGarbageCollection();
    // Reads V8's heap spaces of the watched process; heapSpacesRead() answers.
    void readHeapSpaces();
    // The main thread's JavaScript stack now (StackGrab); stackGrabbed() answers.
    void grabStack();
    // Records a CPU profile for this long; cpuProfileStarted() and then
    // cpuProfileRecorded() answer. One at a time.
    void recordCpuProfile(double seconds);
    // Looks for leak suspects now, whatever the verdict (on), or leaves it to
    // the verdict again (off). See SessionPipeline::findSuspects().
    void findLeakSuspects(bool on);
    // Writes a heap snapshot of the watched process; heapSnapshotWritten()
    // answers. Weigh snapshotEstimate() first: it can freeze the process for
    // seconds and grow it by several times its heap.
    void takeHeapSnapshot(const QString& path);
    // Forgets everything.
    void clear();
    // Blocks (up to timeoutMs) until sampling has stopped and any inspector we
    // opened is closed: for application exit.
    void shutdown(int timeoutMs = 3000);

Q_SIGNALS:
    void stateChanged(NodeScope::LiveSession::State state);
    // A status line for the user; error=true for things that went wrong.
    void message(const QString& text, bool error);
    // A new session begun (or loaded): views drop what they held.
    void reset();
    void samplesAppended();
    void timerSpanAdded(const NodeScope::TimerSpan& span);
    // Worker threads started, ended or gave new heap figures (workers()).
    void workersUpdated();
    void targetChanged(const NodeScope::TargetInfo& target);
    void detached();
    // The JS or native verdict changed state (learning/ok/suspect/leak) or
    // its explanation moved on.
    void leakVerdictChanged();
    // The target's event loop stopped turning (since when) or turned again.
    void loopBlockedChanged(bool blocked, qint64 sinceWallMs);
    // The answer to readHeapSpaces(): the spaces, or why not.
    void heapSpacesRead(const QList<NodeScope::HeapSpace>& spaces, const QString& error);
    // The answer to grabStack(): the stack, or why not (error not empty).
    void stackGrabbed(const NodeScope::StackSnapshot& snapshot, const QString& error);
    void cpuProfileStarted(double seconds);
    // The answer to recordCpuProfile(): the .cpuprofile, or why not (error not empty).
    void cpuProfileRecorded(const QJsonObject& profile, const QString& error);
    // The leak suspects' ranking moved on, or the profiler started or stopped.
    void suspectsChanged();
    // The answer to takeHeapSnapshot(): bytes written, or why not.
    void heapSnapshotWritten(const QString& path, qint64 bytes, const QString& error);

private:
    void begin(const QString& title, const SessionInfo& info);
    void setState(State state);
    void addUserSpan(const TimerSpan& span);
    void startSampler();
    void dropSampler();
    void endCpuProfile(const QString& why);

    QThread m_worker;
    Sampler* m_sampler = nullptr;
    SessionPipeline m_pipeline;
    Stopwatch* m_stopwatch = nullptr;
    State m_state = State::Empty;
    QString m_title;
    int m_intervalMs = Sampler::kDefaultIntervalMs;
    bool m_consoleCapture = false;
    bool m_workerWatching = false;
    bool m_throughInspector = false;
    bool m_saved = true;
    bool m_profiling = false;
};

} // namespace NodeScope

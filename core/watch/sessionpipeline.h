#pragma once

// Samples in, analyses out: the one pipeline both front ends drive. It keeps
// the session (samples in a SampleStore, timer spans, markers), feeds the leak
// detector and the timer statistics, and words what happens -- attach
// progress, lost connections, leak state changes -- once, so the dashboard's
// status line and `nodescope record`'s stderr say the same thing at the same
// moment. What a front end *does* about an event (the dashboard keeps
// watching rss and CPU when the attach fails; `record` exits with 3) stays
// with the front end, which listens to the lifecycle signals below.
//
// The pipeline lives on its owner's thread; the Sampler it follows may live
// on another one (the dashboard's worker): its signals arrive queued, and
// anything still queued from a sampler it no longer follows is dropped.

#include "analysis/confirmingcollection.h"
#include "analysis/leakdetector.h"
#include "analysis/leaksuspects.h"
#include "analysis/runtimestatistics.h"
#include "analysis/timerstatistics.h"
#include "session/samplestore.h"
#include "session/workerstore.h"
#include "types.h"

#include <QObject>
#include <QPointer>

namespace NodeScope {

class Sampler;

class SessionPipeline : public QObject {
    Q_OBJECT
public:
    // When V8's sampling heap profiler runs to find leak suspects: while the
    // JavaScript verdict is suspect or leak (Auto), all the time, or never.
    // findSuspects() runs it on demand in Auto and Off too.
    enum class SuspectsMode { Auto, Always, Off };

    explicit SessionPipeline(QObject* parent = nullptr);

    // `record` streams samples to disk and keeps none in memory (a day at
    // 100 Hz would be ~650 MB); the analyses are fed all the same.
    void setKeepSamples(bool keep) { m_keepSamples = keep; }

    // Starts over with a new, empty session; stops following any sampler.
    void begin(const SessionInfo& info);
    // Replaces the session with a finished one (a file): spans and the leak
    // verdict are rebuilt from it, and its stalls from the loop delay when
    // it has none of its own (a CSV keeps no stalls).
    void load(const Session& session, const WorkerStore& workers = {});
    // The stalls a session's loop-delay figures tell of: each stall's
    // length is the longest delay of the row after it.
    static QList<LoopStall> stallsFromLoopDelay(const Session& session);
    // Follows a sampler's signals until begin(), load() or unfollow().
    void follow(Sampler* sampler);
    void unfollow();

    const SampleStore& store() const { return m_store; }
    // The worker threads seen, each its own heap series (a session loaded
    // from a file has those of its workers file, all ended).
    const WorkerStore& workers() const { return m_workers; }
    const Session& session() const { return m_store.session(); }
    const TargetInfo& target() const { return m_target; }
    const TimerStatistics& timerStatistics() const { return m_timerStatistics; }
    const RuntimeStatistics& runtimeStatistics() const { return m_runtimeStatistics; }
    // Active resources by type, as last counted (empty when never), and when
    // (the target's wall clock; the probe counts them at most once a second).
    const QList<QPair<QString, int>>& resourcesByType() const { return m_resources; }
    qint64 resourcesByTypeWallMs() const { return m_resourcesWallMs; }
    // Since when the target's event loop has not turned (0 while it turns).
    qint64 loopBlockedSinceWallMs() const { return m_blockedSinceWallMs; }
    const LeakDetector& leakDetector() const { return m_leak; }
    // Whether either verdict reached `leak` at some point, and when first.
    bool leakFound() const { return m_leakFoundWallMs != 0; }
    qint64 leakFoundWallMs() const { return m_leakFoundWallMs; }

    // The detector starts over with these settings and relearns the session so far.
    void setLeakSettings(const LeakSettings& settings);
    // A finished timer span (the user's stopwatch, or the process's own).
    void addSpan(const TimerSpan& span);
    // A labeled moment on the session's time axis (attach, pause, forced GC...).
    void mark(const QString& text);

    void setSuspectsMode(SuspectsMode mode);
    SuspectsMode suspectsMode() const { return m_suspectsMode; }
    // Runs the profiler now, whatever the verdict, until stopFindingSuspects().
    void findSuspects();
    void stopFindingSuspects();
    bool isSamplingHeap() const { return m_heapSamplingOn; }
    bool isFindingSuspectsOnDemand() const { return m_suspectsOnDemand; }
    const LeakSuspects& leakSuspects() const { return m_suspects; }
    // The ranking as last computed: kept when sampling stops, so the summary
    // and the panel still have it.
    const QList<LeakSuspect>& suspects() const { return m_ranking; }

Q_SIGNALS:
    // The first sample's wall time: the session's time origin.
    void started(qint64 startWallMs);
    void sampleAppended(const NodeScope::Sample& sample, const NodeScope::RuntimeSample& runtime);
    // The event loop stopped turning (blocked=true, since when) or turned again.
    void loopBlockedChanged(bool blocked, qint64 sinceWallMs);
    void spanAdded(const NodeScope::TimerSpan& span);
    // Worker threads started, ended or gave new heap figures (workers()).
    void workersUpdated();
    // A line for the user; error=true for what went wrong or needs attention.
    void notice(const QString& text, bool error);
    // A verdict changed state, or its wording moved on (at most every few seconds).
    void leakVerdictChanged();
    // The suspects' ranking moved on (a new profile reading), or sampling
    // started or stopped (isSamplingHeap()).
    void suspectsChanged();

    // The sampler's lifecycle, after the pipeline has noted it.
    void attached(const NodeScope::TargetInfo& target);
    void attachFailed(const QString& reason);
    void inspectorLost(const QString& reason);
    void targetExited(const QString& reason);

private:
    void appendSample(const Sample& sample, const RuntimeSample& runtime);
    void noteCollections(const CollectionCounts& counts);
    // Tells the leak detector of a full collection at wallMs (one of this session's).
    void noteFullCollectionAt(qint64 wallMs);
    // Gives the leak detector the session so far, in time order: its
    // samples and the full collections the probe reported between them.
    void replayIntoLeakDetector();
    void noteWorkers(const QList<WorkerHeap>& alive);
    void announceWorkerChange(const WorkerStore::Change& change);
    void noteStall(const LoopStall& stall);
    void judgeLeaks(qint64 wallMs);
    // Forces a collection in the followed sampler when the leak settings'
    // pause budget allows one and the rising floor wants one.
    void confirmRisingFloor(const Sample& sample);
    void noteCollection(
        bool ok, quint32 elapsedMs, qint64 heapUsedAfter, double pauseMs, const QString& error);
    void resetAnalyses();
    void updateHeapSampling();
    void noteHeapSampling(bool on, const QString& error);
    void noteHeapProfile(const AllocationProfile& profile);
    void announceSuspects();

    SampleStore m_store;
    WorkerStore m_workers;
    TargetInfo m_target;
    TimerStatistics m_timerStatistics;
    RuntimeStatistics m_runtimeStatistics;
    QList<QPair<QString, int>> m_resources;
    qint64 m_resourcesWallMs = 0;
    qint64 m_blockedSinceWallMs = 0;
    LeakDetector m_leak;
    // The session comes from a sampler (follow()), whose probe reports each
    // full collection; one reopened from CSV (load()) has collection counts
    // but not their kinds, so the detector keeps guessing them from heapUsed.
    bool m_collectionsFromProbe = false;
    ConfirmingCollection m_confirming;
    qint64 m_lastHeapUsedBytes = -1;
    LeakVerdict::State m_lastJsState = LeakVerdict::State::Learning;
    LeakVerdict::State m_lastNativeState = LeakVerdict::State::Learning;
    qint64 m_lastVerdictSignalMs = 0;
    qint64 m_leakFoundWallMs = 0;
    qint64 m_lastSampleWallMs = 0;
    bool m_keepSamples = true;
    int m_generation = 0; // bumps when the followed sampler changes
    QPointer<Sampler> m_sampler; // the Sampler followed: collections and the heap profiler run in it
    LeakSuspects m_suspects;
    QList<LeakSuspect> m_ranking;
    SuspectsMode m_suspectsMode = SuspectsMode::Auto;
    bool m_suspectsOnDemand = false;
    bool m_heapSamplingWanted = false; // asked of the sampler
    bool m_heapSamplingOn = false; // the sampler says it runs
    bool m_announceSuspects = false; // name the top three once the ranking is ready
};

} // namespace NodeScope

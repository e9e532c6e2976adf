#include "watch/sessionpipeline.h"

#include "format.h"
#include "watch/sampler.h"

#include <QDateTime>
#include <QStringList>

#include <cmath>

namespace NodeScope {

namespace {

// How often a verdict's wording ("since", "+N MB") may move on without a
// state change: about as fast as a person reads it.
constexpr qint64 kVerdictRefreshMs = 5000;

QString leakLine(const LeakVerdict& verdict)
{
    return QStringLiteral("Leak check: %1: %2")
        .arg(LeakVerdict::stateName(verdict.state), verdict.explanation());
}

} // namespace

SessionPipeline::SessionPipeline(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<NodeScope::Sample>();
    qRegisterMetaType<NodeScope::TimerSpan>();
    qRegisterMetaType<NodeScope::TargetInfo>();
}

void SessionPipeline::resetAnalyses()
{
    m_timerStatistics.clear();
    m_runtimeStatistics.clear();
    m_resources.clear();
    m_resourcesWallMs = 0;
    m_blockedSinceWallMs = 0;
    m_leak.reset();
    m_confirming.reset();
    m_lastHeapUsedBytes = -1;
    m_lastJsState = LeakVerdict::State::Learning;
    m_lastNativeState = LeakVerdict::State::Learning;
    m_lastVerdictSignalMs = 0;
    m_leakFoundWallMs = 0;
    m_lastSampleWallMs = 0;
    m_suspects.reset();
    m_ranking.clear();
    m_announceSuspects = false;
    m_suspectsOnDemand = false;
}

void SessionPipeline::begin(const SessionInfo& info)
{
    unfollow();
    m_store.reset(Session(info));
    m_workers.clear();
    resetAnalyses();
    m_target = TargetInfo{};
    m_target.pid = info.pid;
}

void SessionPipeline::load(const Session& session, const WorkerStore& workers)
{
    unfollow();
    m_store.reset(session);
    m_workers = workers;
    resetAnalyses();
    m_collectionsFromProbe = false;
    for (const TimerSpan& span : session.timerSpans())
        m_timerStatistics.add(span);
    for (qsizetype i = 0; i < session.size(); ++i)
        m_runtimeStatistics.add(session.runtimeAt(i), session.samples().at(i).wallMs);
    if (session.stalls().isEmpty()) {
        for (const LoopStall& stall : stallsFromLoopDelay(session))
            m_store.session().addStall(stall);
    }
    for (const LoopStall& stall : m_store.session().stalls())
        m_runtimeStatistics.addStall(stall);
    m_target = TargetInfo{};
    m_target.pid = session.info().pid;
    m_target.nodeVersion = session.info().nodeVersion;
    m_target.heapLimitBytes = session.info().heapLimitBytes;
    m_leak.setHeapLimitBytes(session.info().heapLimitBytes);
    replayIntoLeakDetector();
    m_lastJsState = m_leak.jsVerdict().state;
    m_lastNativeState = m_leak.nativeVerdict().state;
    Q_EMIT leakVerdictChanged();
    Q_EMIT workersUpdated();
}

QList<LoopStall> SessionPipeline::stallsFromLoopDelay(const Session& session)
{
    // The sampler writes a stall's length into the loop delay of the row
    // that follows it (Sampler::noteRuntime), taken when the loop turned
    // again: that row's time, less the delay, is when it began. Rows that
    // tell of the same stall twice overlap it; the longer telling is kept.
    QList<LoopStall> stalls;
    if (!session.hasRuntime())
        return stalls;
    for (qsizetype i = 0; i < session.size(); ++i) {
        const double delayMs = double(session.runtimeAt(i).loopDelayMaxMs);
        if (std::isnan(delayMs) || delayMs < Sampler::kDefaultStallThresholdMs)
            continue;
        const LoopStall stall{session.samples().at(i).wallMs - qint64(delayMs), delayMs};
        if (!stalls.isEmpty()) {
            LoopStall& last = stalls.last();
            if (stall.startWallMs <= last.startWallMs + qint64(last.durationMs)) {
                if (stall.durationMs > last.durationMs)
                    last = stall;
                continue;
            }
        }
        stalls.append(stall);
    }
    return stalls;
}

void SessionPipeline::unfollow()
{
    ++m_generation;
    m_sampler = nullptr;
    m_heapSamplingWanted = false;
    if (m_heapSamplingOn) {
        m_heapSamplingOn = false;
        Q_EMIT suspectsChanged();
    }
}

void SessionPipeline::follow(Sampler* sampler)
{
    unfollow();
    m_sampler = sampler;
    m_collectionsFromProbe = true;
    const int generation = m_generation;
    // Every connection checks the generation: a signal of an earlier sampler
    // still queued must not land in this session.
    const auto current = [this, generation] { return generation == m_generation; };

    connect(sampler, &Sampler::started, this, [this, current](qint64, qint64 startWallMs) {
        if (!current())
            return;
        m_store.session().info().startWallMs = startWallMs;
        Q_EMIT started(startWallMs);
    });
    connect(sampler, &Sampler::sampleReady, this,
        [this, current](const Sample& sample, const RuntimeSample& runtime) {
            if (current())
                appendSample(sample, runtime);
        });
    connect(sampler, &Sampler::workersRead, this, [this, current](const QList<WorkerHeap>& alive) {
        if (current())
            noteWorkers(alive);
    });
    connect(sampler, &Sampler::collectionsSeen, this, [this, current](const CollectionCounts& counts) {
        if (current())
            noteCollections(counts);
    });
    connect(sampler, &Sampler::resourcesChanged, this,
        [this, current](qint64 wallMs, const QList<QPair<QString, int>>& byType) {
            if (!current())
                return;
            m_resources = byType;
            m_resourcesWallMs = wallMs;
        });
    connect(sampler, &Sampler::loopBlocked, this, [this, current](qint64 sinceWallMs) {
        if (!current())
            return;
        m_blockedSinceWallMs = sinceWallMs;
        Q_EMIT notice(
            QStringLiteral("The event loop has not turned since %1: busy in synchronous code?")
                .arg(QDateTime::fromMSecsSinceEpoch(sinceWallMs).toString(QStringLiteral("HH:mm:ss"))),
            true);
        Q_EMIT loopBlockedChanged(true, sinceWallMs);
    });
    connect(sampler, &Sampler::loopStalled, this, [this, current](const LoopStall& stall) {
        if (current())
            noteStall(stall);
    });
    connect(sampler, &Sampler::processTimer, this, [this, current](const TimerSpan& span) {
        if (current())
            addSpan(span);
    });
    // Reasons and versions can carry what the target or its inspector said:
    // every text passed on below is made printable (Format::printable), so a
    // target cannot write control sequences to a terminal or a status line.
    connect(sampler, &Sampler::attachProgress, this, [this, current](const QString& text) {
        if (current())
            Q_EMIT notice(Format::printable(text), false);
    });
    connect(sampler, &Sampler::attached, this, [this, current](const TargetInfo& reported) {
        if (!current())
            return;
        TargetInfo target = reported;
        target.nodeVersion = Format::printable(target.nodeVersion);
        m_target = target;
        SessionInfo& info = m_store.session().info();
        info.nodeVersion = target.nodeVersion;
        info.heapLimitBytes = target.heapLimitBytes;
        m_leak.setHeapLimitBytes(target.heapLimitBytes);
        mark(QStringLiteral("attached (Node %1)").arg(target.nodeVersion));
        Q_EMIT notice(QStringLiteral("Attached to PID %1 (Node %2)%3")
                          .arg(target.pid)
                          .arg(target.nodeVersion)
                          .arg(target.inspectorOpenedByUs
                                  ? QStringLiteral(": it printed \"Debugger attached.\" on its stderr")
                                  : QString()),
            false);
        Q_EMIT attached(target);
    });
    connect(sampler, &Sampler::attachFailed, this, [this, current](const QString& reason) {
        if (current())
            Q_EMIT attachFailed(Format::printable(reason));
    });
    connect(sampler, &Sampler::garbageCollected, this,
        [this, current](
            bool ok, quint32 elapsedMs, qint64 heapUsedAfter, double pauseMs, const QString& error) {
            if (current())
                noteCollection(ok, elapsedMs, heapUsedAfter, pauseMs, Format::printable(error));
        });
    connect(sampler, &Sampler::inspectorLost, this, [this, current](const QString& raw) {
        if (!current())
            return;
        const QString reason = Format::printable(raw);
        mark(QStringLiteral("inspector lost"));
        announceWorkerChange(m_workers.endAll());
        Q_EMIT notice(QStringLiteral("Inspector connection lost (%1); rss and CPU go on").arg(reason), true);
        Q_EMIT inspectorLost(reason);
    });
    connect(sampler, &Sampler::heapSamplingChanged, this, [this, current](bool on, const QString& error) {
        if (current())
            noteHeapSampling(on, Format::printable(error));
    });
    connect(sampler, &Sampler::heapProfileRead, this, [this, current](const AllocationProfile& profile) {
        if (current())
            noteHeapProfile(profile);
    });
    connect(sampler, &Sampler::targetExited, this, [this, current](const QString& raw) {
        if (!current())
            return;
        const QString reason = Format::printable(raw);
        mark(QStringLiteral("target exited"));
        announceWorkerChange(m_workers.endAll());
        Q_EMIT notice(reason, true);
        Q_EMIT targetExited(reason);
    });
    updateHeapSampling();
}

void SessionPipeline::appendSample(const Sample& sample, const RuntimeSample& runtime)
{
    // Older than the last one: a clock step, not a sample.
    if (sample.wallMs < m_lastSampleWallMs || (m_keepSamples && !m_store.append(sample, runtime)))
        return;
    m_lastSampleWallMs = sample.wallMs;
    if (runtime.gcCount >= 0)
        m_leak.setCollectionsReported(true);
    m_leak.addSample(sample);
    m_runtimeStatistics.add(runtime, sample.wallMs);
    judgeLeaks(sample.wallMs);
    Q_EMIT sampleAppended(sample, runtime);
    if (sample.hasHeap()) {
        m_lastHeapUsedBytes = sample.heapUsedBytes;
        confirmRisingFloor(sample);
    }
}

void SessionPipeline::noteWorkers(const QList<WorkerHeap>& alive)
{
    // A worker's name is the app's own text: made printable like any other.
    QList<WorkerHeap> workers = alive;
    for (WorkerHeap& worker : workers)
        worker.title = Format::printable(worker.title);
    announceWorkerChange(m_workers.add(workers, QDateTime::currentMSecsSinceEpoch()));
}

void SessionPipeline::announceWorkerChange(const WorkerStore::Change& change)
{
    for (const qint64 threadId : change.started) {
        if (const WorkerSeries* series = m_workers.find(threadId))
            Q_EMIT notice(QStringLiteral("Worker thread started: %1").arg(series->displayName()), false);
    }
    for (const qint64 threadId : change.ended) {
        if (const WorkerSeries* series = m_workers.find(threadId))
            Q_EMIT notice(QStringLiteral("Worker thread ended: %1").arg(series->displayName()), false);
    }
    if (!change.started.isEmpty() || !change.ended.isEmpty() || change.appended)
        Q_EMIT workersUpdated();
}

void SessionPipeline::noteCollections(const CollectionCounts& counts)
{
    m_runtimeStatistics.addCollections(counts);
    for (const auto& [wallMs, pauseMs] : counts.major) {
        m_store.session().addMajorCollection(wallMs, pauseMs);
        noteFullCollectionAt(wallMs);
    }
}

void SessionPipeline::noteFullCollectionAt(qint64 wallMs)
{
    const qint64 start = m_store.session().info().startWallMs;
    if (start > 0 && wallMs >= start)
        m_leak.noteFullCollection(quint32(wallMs - start));
}

void SessionPipeline::replayIntoLeakDetector()
{
    const Session& session = m_store.session();
    const QList<QPair<qint64, double>>& majors = session.majorCollections();
    qsizetype nextMajor = 0;
    for (qsizetype i = 0; i < session.size(); ++i) {
        const Sample& sample = session.samples().at(i);
        for (; nextMajor < majors.size() && majors.at(nextMajor).first <= sample.wallMs; ++nextMajor)
            noteFullCollectionAt(majors.at(nextMajor).first);
        if (m_collectionsFromProbe && session.runtimeAt(i).gcCount >= 0)
            m_leak.setCollectionsReported(true);
        m_leak.addSample(sample);
    }
}

void SessionPipeline::noteStall(const LoopStall& stall)
{
    m_runtimeStatistics.addStall(stall);
    m_store.session().addStall(stall);
    m_blockedSinceWallMs = 0;
    Q_EMIT notice(
        QStringLiteral("The event loop was blocked for %1 (from %2)")
            .arg(Format::milliseconds(stall.durationMs),
                QDateTime::fromMSecsSinceEpoch(stall.startWallMs).toString(QStringLiteral("HH:mm:ss.zzz"))),
        true);
    Q_EMIT loopBlockedChanged(false, stall.startWallMs);
}

void SessionPipeline::judgeLeaks(qint64 wallMs)
{
    const LeakVerdict js = m_leak.jsVerdict();
    const LeakVerdict native = m_leak.nativeVerdict();
    const bool jsChanged = js.state != m_lastJsState;
    const bool nativeChanged = native.state != m_lastNativeState;
    m_lastJsState = js.state;
    m_lastNativeState = native.state;
    for (const LeakVerdict* verdict : {&js, &native}) {
        if ((verdict == &js ? jsChanged : nativeChanged)) {
            // What the allocation sites say, when the profiler has seen
            // enough: words beside the verdict, never part of it.
            const QString sites = verdict == &js ? m_suspects.growthWording() : QString();
            Q_EMIT notice(leakLine(*verdict) + (sites.isEmpty() ? QString() : QStringLiteral("; ") + sites),
                verdict->isGrowing());
        }
        if (verdict->state == LeakVerdict::State::Leak && m_leakFoundWallMs == 0)
            m_leakFoundWallMs = wallMs;
    }
    if (jsChanged) {
        // A verdict that moves to suspect or leak names its suspects, now or
        // as soon as the profiler has seen enough.
        m_announceSuspects = js.isGrowing();
        updateHeapSampling();
        announceSuspects();
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (jsChanged || nativeChanged || now - m_lastVerdictSignalMs >= kVerdictRefreshMs) {
        m_lastVerdictSignalMs = now;
        Q_EMIT leakVerdictChanged();
    }
}

void SessionPipeline::confirmRisingFloor(const Sample& sample)
{
    auto* sampler = qobject_cast<Sampler*>(m_sampler.data());
    if (!sampler || !m_confirming.wanted(m_leak.jsVerdict(), sample.heapUsedBytes, sample.elapsedMs))
        return;
    m_confirming.requested(sample.elapsedMs);
    Q_EMIT notice(
        QStringLiteral("Forcing a full collection to confirm the rising heap floor: the process "
                       "pauses for it, about %1 with %2 in use (budget %3)")
            .arg(Format::milliseconds(m_confirming.expectedPauseMs(sample.heapUsedBytes)),
                Format::bytes(double(sample.heapUsedBytes)), Format::milliseconds(m_confirming.budgetMs())),
        false);
    QMetaObject::invokeMethod(sampler, &Sampler::collectGarbage, Qt::QueuedConnection);
}

void SessionPipeline::setLeakSettings(const LeakSettings& settings)
{
    m_confirming.setBudgetMs(settings.collectionBudgetMs);
    m_leak.setSettings(settings);
    m_leak.setHeapLimitBytes(m_target.heapLimitBytes);
    // The detector starts over; give it the history it has missed.
    replayIntoLeakDetector();
    m_lastJsState = m_leak.jsVerdict().state;
    m_lastNativeState = m_leak.nativeVerdict().state;
    updateHeapSampling();
    Q_EMIT leakVerdictChanged();
}

void SessionPipeline::noteCollection(
    bool ok, quint32 elapsedMs, qint64 heapUsedAfter, double pauseMs, const QString& error)
{
    if (!ok) {
        m_confirming.failed();
        Q_EMIT notice(QStringLiteral("Forced collection failed: %1").arg(error), true);
        return;
    }
    // Ours or the user's, its pause scales the next one's expectation.
    m_confirming.measured(m_lastHeapUsedBytes, pauseMs);
    m_leak.noteForcedCollection(elapsedMs, heapUsedAfter);
    mark(QStringLiteral("forced GC: %1 live").arg(Format::bytes(double(heapUsedAfter))));
    Q_EMIT notice(QStringLiteral("Forced a full collection: %1 live on the heap (the process paused %2)")
                      .arg(Format::bytes(double(heapUsedAfter)), Format::milliseconds(pauseMs)),
        false);
    const qint64 start = m_store.session().info().startWallMs;
    judgeLeaks(start + elapsedMs);
    Q_EMIT leakVerdictChanged();
}

void SessionPipeline::setSuspectsMode(SuspectsMode mode)
{
    m_suspectsMode = mode;
    updateHeapSampling();
}

void SessionPipeline::findSuspects()
{
    m_suspectsOnDemand = true;
    m_announceSuspects = true;
    updateHeapSampling();
}

void SessionPipeline::stopFindingSuspects()
{
    m_suspectsOnDemand = false;
    updateHeapSampling();
}

void SessionPipeline::updateHeapSampling()
{
    const bool growing = m_leak.jsVerdict().isGrowing();
    const bool want = m_suspectsMode == SuspectsMode::Always || m_suspectsOnDemand
        || (m_suspectsMode == SuspectsMode::Auto && growing);
    if (!m_sampler || want == m_heapSamplingWanted)
        return;
    m_heapSamplingWanted = want;
    QMetaObject::invokeMethod(
        m_sampler.data(),
        [sampler = m_sampler, want] {
            if (sampler)
                sampler->setHeapSampling(want);
        },
        Qt::QueuedConnection);
    if (want) {
        const QString until = m_suspectsMode == SuspectsMode::Always
            ? QStringLiteral("for the whole recording")
            : m_suspectsOnDemand ? QStringLiteral("until you stop it")
                                 : QStringLiteral("while the heap floor grows");
        Q_EMIT notice(
            QStringLiteral("Looking for leak suspects %1: %2").arg(until, LeakSuspects::costNote()), false);
    }
}

void SessionPipeline::noteHeapSampling(bool on, const QString& error)
{
    const bool was = m_heapSamplingOn;
    m_heapSamplingOn = on;
    if (on) {
        // A new profile starts from nothing: earlier readings do not continue it.
        m_suspects.reset();
    } else if (!error.isEmpty()) {
        m_heapSamplingWanted = false;
        m_suspectsOnDemand = false;
        Q_EMIT notice(QStringLiteral("Cannot look for leak suspects: %1").arg(error), true);
    } else if (was) {
        Q_EMIT notice(QStringLiteral("Stopped looking for leak suspects: the sampling heap profiler is off "
                                     "again"),
            false);
    }
    Q_EMIT suspectsChanged();
}

void SessionPipeline::noteHeapProfile(const AllocationProfile& profile)
{
    m_suspects.addProfile(profile);
    if (!m_suspects.isReady())
        return;
    m_ranking = m_suspects.ranked();
    announceSuspects();
    Q_EMIT suspectsChanged();
}

void SessionPipeline::announceSuspects()
{
    if (!m_announceSuspects || m_ranking.isEmpty())
        return;
    m_announceSuspects = false;
    QStringList named;
    for (qsizetype i = 0; i < qMin<qsizetype>(3, m_ranking.size()); ++i) {
        const LeakSuspect& suspect = m_ranking.at(i);
        named.append(
            QStringLiteral("%1. %2 (%3, %4 of the growth)")
                .arg(i + 1)
                .arg(Format::printable(suspect.frame.text()), Format::bytesPerMinute(suspect.bytesPerMin),
                    Format::percent(suspect.share * 100)));
    }
    Q_EMIT notice(QStringLiteral("Leak suspects: %1").arg(named.join(QStringLiteral("; "))), true);
}

void SessionPipeline::addSpan(const TimerSpan& span)
{
    m_store.session().addTimerSpan(span);
    m_timerStatistics.add(span);
    Q_EMIT spanAdded(span);
}

void SessionPipeline::mark(const QString& text)
{
    Marker marker;
    marker.wallMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 start = m_store.session().info().startWallMs;
    marker.elapsedMs = start > 0 ? quint32(qMax<qint64>(0, marker.wallMs - start)) : 0;
    marker.text = text;
    m_store.session().addMarker(marker);
}

} // namespace NodeScope

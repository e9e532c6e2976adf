#include "watch/sampler.h"

#include "analysis/leaksuspects.h"
#include "inspector/inspectorconnection.h"
#include "proc/procfs.h"
#include "watch/heapsnapshotwriter.h"

#include <QDateTime>
#include <QJsonObject>
#include <QTimer>

#include <cmath>
#include <memory>
#include <utility>

namespace NodeScope {

namespace {

// How long one heap reading may take before it is given up. Long enough for
// a target in a long GC pause, short enough that a dead socket is noticed.
constexpr int kHeapTimeoutMs = 10000;
// How long ticks wait for a late heap reply before sampling on without it.
constexpr qint64 kHeapGraceMs = 1000;
// The probe's reply waits for the target's event loop, which a long
// synchronous computation can block for minutes: its reply still comes, with
// the stall's figures. A dead socket fails the request at once instead.
constexpr int kProbePatienceMs = 15 * 60 * 1000;
// How long stop() waits for the last sample's heap reply.
constexpr int kStopWaitMs = 1000;

} // namespace

Sampler::Sampler(QObject* parent)
    : QObject(parent)
    , m_access(new TargetAccess(this))
    , m_timer(new QTimer(this))
    , m_profileTimer(new QTimer(this))
    , m_workersTimer(new QTimer(this))
{
    qRegisterMetaType<NodeScope::Sample>();
    qRegisterMetaType<NodeScope::RuntimeSample>();
    qRegisterMetaType<NodeScope::CollectionCounts>();
    qRegisterMetaType<NodeScope::LoopStall>();
    qRegisterMetaType<QList<NodeScope::HeapSpace>>();
    qRegisterMetaType<NodeScope::TargetInfo>();
    qRegisterMetaType<NodeScope::Sampler::Options>();
    qRegisterMetaType<NodeScope::AllocationProfile>();
    qRegisterMetaType<QList<NodeScope::WorkerHeap>>();
    m_timer->setTimerType(Qt::PreciseTimer);
    m_workersTimer->setInterval(kWorkersEveryMs);
    connect(m_workersTimer, &QTimer::timeout, this, &Sampler::pollWorkers);
    connect(m_timer, &QTimer::timeout, this, &Sampler::tick);
    m_profileTimer->setInterval(kHeapProfileEveryMs);
    connect(m_profileTimer, &QTimer::timeout, this, &Sampler::readHeapProfile);
    connect(m_access, &TargetAccess::progress, this, &Sampler::attachProgress);
    connect(m_access, &TargetAccess::attached, this, [this](const TargetInfo& target) {
        Q_EMIT attached(target);
        applyConsoleCapture();
        if (m_heapSampling && !m_probeExpected)
            applyHeapSampling();
        if (m_waitingForAttach)
            startTicking();
    });
    connect(m_access, &TargetAccess::attachFailed, this, [this](const QString& reason) {
        Q_EMIT attachFailed(reason);
        if (m_waitingForAttach && !m_stopping)
            startTicking();
    });
    connect(m_access, &TargetAccess::routeChanged, this,
        [this](TargetAccess::Route route, const QString& message) {
            if (!message.isEmpty())
                Q_EMIT attachProgress(message);
            // The probe took over: features that were on follow it there.
            if (route == TargetAccess::Route::Probe) {
                applyStreaming();
                if (m_captureConsole)
                    applyConsoleCapture();
                if (m_heapSampling)
                    applyHeapSampling();
                if (m_watchWorkers && m_os) {
                    m_workersTimer->start();
                    pollWorkers();
                }
                Q_EMIT routeChanged(route);
            } else {
                // The probe is gone, and its stream and worker session with it.
                m_streaming = false;
                ++m_streamGeneration;
                m_workersTimer->stop();
                ++m_workersGeneration;
                m_workersInFlight = false;
                if (std::exchange(m_workersWatched, false))
                    Q_EMIT workersRead({});
            }
        });
    connect(m_access, &TargetAccess::lost, this, [this](const QString& reason) {
        if (!m_os && m_running) { // a remote target: nothing left to sample
            m_timer->stop();
            m_running = false;
            Q_EMIT targetExited(QStringLiteral("the inspector connection closed: %1").arg(reason));
            return;
        }
        Q_EMIT inspectorLost(reason);
    });
    connect(m_access, &TargetAccess::targetFinishing, this, [this] {
        if (!m_os && m_running) {
            m_timer->stop();
            m_running = false;
            Q_EMIT targetExited(QStringLiteral("the target finished its work"));
        }
    });
    connect(m_access, &TargetAccess::cdpEvent, this, &Sampler::handleInspectorEvent);
    connect(m_access, &TargetAccess::readingsStreamed, this, &Sampler::takeStreamed);
}

Sampler::~Sampler() = default;

int Sampler::clampInterval(int intervalMs)
{
    return qBound(kMinIntervalMs, intervalMs, kMaxIntervalMs);
}

void Sampler::begin(const Options& options)
{
    m_timer->stop();
    m_pending.reset();
    ++m_pendingGeneration;
    m_requestInFlight = false;
    m_skippedHeapReadings = 0;
    m_skippedTicks = 0;
    m_stopping = false;
    m_finishStopOnReply = false;
    m_paused = false;
    m_intervalMs = clampInterval(options.intervalMs);
    m_timer->setInterval(m_intervalMs);
    m_captureConsole = options.captureConsoleTimers;
    m_consoleLive = false;
    m_watchWorkers = options.watchWorkers;
    m_workersTimer->stop();
    ++m_workersGeneration;
    m_workersInFlight = false;
    m_workersWatched = false;
    m_workerLooksLeft = 0;
    m_knownThreads.clear();
    m_workerConsoleParsers.clear();
    m_workerConsoleSent = false;
    m_streaming = false;
    m_streamRefused = false;
    ++m_streamGeneration;
    m_clock.invalidate();
    m_running = true;
}

void Sampler::watchPid(qint64 pid, const Options& options)
{
    m_pid = pid;
    m_os.emplace(pid);
    QString whyNot;
    if (!m_os->start(&whyNot)) {
        m_os.reset();
        m_running = false;
        Q_EMIT targetExited(whyNot);
        return;
    }
    begin(options);
    m_probeExpected = options.installProbe;
    m_waitingForAttach = options.attachInspector && options.waitForAttach;
    if (options.attachInspector)
        m_access->attachToPid(pid, {options.installProbe});
    if (!m_waitingForAttach)
        startTicking();
}

void Sampler::watchAddress(const QString& host, quint16 port, const Options& options)
{
    m_pid = 0;
    m_os.reset();
    begin(options);
    m_probeExpected = false; // an inspector elsewhere: no probe
    // Without /proc there is nothing to sample until the inspector answers.
    m_waitingForAttach = true;
    m_access->attachToAddress(host, port);
}

void Sampler::startTicking()
{
    m_waitingForAttach = false;
    if (!m_running || m_paused)
        return;
    if (!m_os && !m_access->isAttached()) {
        m_running = false;
        return;
    }
    if (!m_clock.isValid()) {
        // The session's time origin: its first sample.
        m_clock.start();
        m_startWallMs = QDateTime::currentMSecsSinceEpoch();
        Q_EMIT started(m_pid, m_startWallMs);
    }
    tick(); // a first sample right away, not one interval later
    if (m_running)
        m_timer->start();
    applyStreaming();
}

void Sampler::setIntervalMs(int intervalMs)
{
    m_intervalMs = clampInterval(intervalMs);
    m_timer->setInterval(m_intervalMs);
    applyStreaming();
}

void Sampler::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused) {
        m_timer->stop();
    } else if (m_running && !m_waitingForAttach) {
        m_timer->start();
    }
    applyStreaming();
}

void Sampler::setConsoleTimerCapture(bool capture)
{
    if (capture == m_captureConsole)
        return;
    m_captureConsole = capture;
    applyConsoleCapture();
}

void Sampler::setWorkerWatching(bool on)
{
    if (on == m_watchWorkers)
        return;
    m_watchWorkers = on;
    if (!on) {
        stopWatchingWorkers();
        return;
    }
    m_knownThreads.clear(); // every thread is new: the next poll looks
    if (m_os && m_access->route() == TargetAccess::Route::Probe) {
        m_workersTimer->start();
        pollWorkers();
    }
}

void Sampler::stopWatchingWorkers()
{
    m_workersTimer->stop();
    ++m_workersGeneration;
    m_workersInFlight = false;
    if (m_workersWatched && m_access->route() == TargetAccess::Route::Probe)
        m_access->stopReadingWorkers();
    if (std::exchange(m_workersWatched, false))
        Q_EMIT workersRead({});
}

void Sampler::pollWorkers()
{
    if (!m_watchWorkers || m_paused || m_workersInFlight || !m_os
        || m_access->route() != TargetAccess::Route::Probe)
        return;
    // A worker is a thread of its own: a new thread in /proc is the one sign
    // of a new worker that costs the process nothing to read. Only then does
    // the probe look (and keeps looking while the process has workers).
    const QSet<qint64> threads = Procfs::threadIds(m_pid);
    for (const qint64 id : threads) {
        if (!m_knownThreads.contains(id)) {
            m_workerLooksLeft = 2;
            break;
        }
    }
    m_knownThreads = threads;
    const bool look = !m_workersWatched && m_workerLooksLeft > 0;
    if (!m_workersWatched && !look)
        return;
    if (m_workerLooksLeft > 0)
        --m_workerLooksLeft;
    // Workers replay the console messages they buffered when their console
    // is first asked for: only those after this moment count.
    if (m_captureConsole && (look || !m_workerConsoleSent)) {
        m_workerConsoleSinceWallMs = QDateTime::currentMSecsSinceEpoch();
        m_workerConsoleParsers.clear();
    }
    m_workerConsoleSent = m_captureConsole;
    m_workersInFlight = true;
    const int generation = m_workersGeneration;
    m_access->readWorkers(
        look, m_captureConsole, [this, generation](std::optional<WorkersReading> reading, const QString&) {
            if (generation != m_workersGeneration)
                return;
            m_workersInFlight = false;
            if (!reading)
                return; // a busy main thread: the next poll asks again
            const bool wasWatched = m_workersWatched;
            m_workersWatched = reading->watching;
            if (reading->watching)
                m_workerLooksLeft = 0;
            if (reading->watching || wasWatched)
                Q_EMIT workersRead(reading->workers);
        });
}

void Sampler::applyConsoleCapture()
{
    if (!m_access->isAttached())
        return;
    m_consoleLive = false;
    if (!m_captureConsole) {
        m_access->cdp(
            QStringLiteral("Runtime.disable"), {}, [](const CdpReply&) {}, 3000);
        // On the probe this closes its in-process session: no cost left.
        releaseCdpIfUnused();
        return;
    }
    m_access->cdp(
        QStringLiteral("Runtime.enable"), {},
        [this](const CdpReply& reply) {
            if (!reply.ok || !m_captureConsole)
                return;
            m_consoleParser.reset();
            m_consoleParser.setAcceptAfterWallMs(QDateTime::currentMSecsSinceEpoch() - 1000);
            m_consoleLive = true;
        },
        5000);
    // Stack traces make each console message ~6x bigger to serialise: the
    // timers don't need them.
    m_access->cdp(
        QStringLiteral("Runtime.setMaxCallStackSizeToCapture"), {{QStringLiteral("size"), 0}},
        [](const CdpReply&) {}, 3000);
}

void Sampler::readHeapSpaces()
{
    m_access->heapSpaces([this](std::optional<QList<HeapSpace>> spaces, const QString& error) {
        Q_EMIT heapSpacesRead(spaces.value_or(QList<HeapSpace>()), spaces ? QString() : error);
    });
}

void Sampler::collectGarbage()
{
    if (!m_access->isAttached()) {
        Q_EMIT garbageCollected(false, 0, 0, 0, QStringLiteral("not attached to the process"));
        return;
    }
    auto pause = std::make_shared<QElapsedTimer>();
    pause->start();
    m_access->cdp(
        QStringLiteral("HeapProfiler.collectGarbage"), {},
        [this, pause](const CdpReply& reply) {
            const double pauseMs = double(pause->nsecsElapsed()) / 1e6;
            releaseCdpIfUnused();
            if (!reply.ok) {
                Q_EMIT garbageCollected(false, 0, 0, pauseMs, reply.error);
                return;
            }
            m_access->read(
                [this, pauseMs](std::optional<TargetReading> reading, const QString& error) {
                    const quint32 elapsed = m_clock.isValid() ? quint32(m_clock.elapsed()) : 0;
                    if (!reading || reading->heapUsedBytes == Sample::kMissingBytes)
                        Q_EMIT garbageCollected(
                            false, elapsed, 0, pauseMs, reading ? QStringLiteral("no heapUsed") : error);
                    else
                        Q_EMIT garbageCollected(true, elapsed, reading->heapUsedBytes, pauseMs, {});
                },
                5000);
        },
        30000);
}

void Sampler::releaseCdpIfUnused()
{
    if (!m_captureConsole && !m_heapSampling && !m_snapshotInFlight)
        m_access->releaseCdp();
}

void Sampler::setHeapSampling(bool on)
{
    if (on == m_heapSampling)
        return;
    m_heapSampling = on;
    if (on) {
        applyHeapSampling();
        return;
    }
    ++m_samplingGeneration;
    m_profileTimer->stop();
    m_profileInFlight = false;
    if (m_access->isAttached()) {
        m_access->cdp(
            QStringLiteral("HeapProfiler.stopSampling"), {},
            [this](const CdpReply&) { releaseCdpIfUnused(); }, 30000);
    }
    Q_EMIT heapSamplingChanged(false, {});
}

void Sampler::applyHeapSampling()
{
    if (!m_access->isAttached())
        return;
    const int generation = ++m_samplingGeneration;
    m_profileTimer->stop();
    m_profileInFlight = false;
    m_access->cdp(
        QStringLiteral("HeapProfiler.startSampling"),
        {{QStringLiteral("samplingInterval"), LeakSuspects::kSamplingIntervalBytes}},
        [this, generation](const CdpReply& reply) {
            if (generation != m_samplingGeneration)
                return;
            if (!reply.ok) {
                m_heapSampling = false;
                releaseCdpIfUnused();
                Q_EMIT heapSamplingChanged(false, reply.error);
                return;
            }
            m_profileTimer->start();
            Q_EMIT heapSamplingChanged(true, {});
        },
        10000);
}

void Sampler::readHeapProfile()
{
    if (m_profileInFlight || !m_access->isAttached())
        return;
    m_profileInFlight = true;
    const int generation = m_samplingGeneration;
    m_access->cdp(
        QStringLiteral("HeapProfiler.getSamplingProfile"), {},
        [this, generation](const CdpReply& reply) {
            if (generation != m_samplingGeneration)
                return;
            m_profileInFlight = false;
            if (!reply.ok) {
                // V8's profiler is per process: whoever stops it stops it for
                // all (another session closing). Start it again, anew.
                if (reply.error.contains(QLatin1String("not started")))
                    applyHeapSampling();
                return; // otherwise a target busy for a while: the next reading comes
            }
            QString error;
            const std::optional<AllocationProfile> profile
                = AllocationProfile::fromCdp(reply.result, QDateTime::currentMSecsSinceEpoch(), &error);
            if (profile)
                Q_EMIT heapProfileRead(*profile);
            else
                Q_EMIT attachProgress(QStringLiteral("Unreadable heap profile: %1").arg(error));
        },
        60000);
}

void Sampler::takeHeapSnapshot(const QString& path)
{
    if (!m_access->isAttached()) {
        Q_EMIT heapSnapshotWritten(path, 0, QStringLiteral("a heap snapshot needs an attached Node process"));
        return;
    }
    if (m_snapshotInFlight) {
        Q_EMIT heapSnapshotWritten(path, 0, QStringLiteral("a heap snapshot is already being taken"));
        return;
    }
    m_snapshotInFlight = true;
    auto* writer = new HeapSnapshotWriter(m_access, this);
    connect(writer, &HeapSnapshotWriter::finished, this,
        [this, writer](const QString& written, qint64 bytes, const QString& error) {
            writer->deleteLater();
            m_snapshotInFlight = false;
            releaseCdpIfUnused();
            Q_EMIT heapSnapshotWritten(written, bytes, error);
        });
    writer->start(path);
}

void Sampler::handleInspectorEvent(
    const QString& method, const QJsonObject& params, qint64 workerThreadId, const QString&)
{
    if (workerThreadId > 0) {
        if (!m_captureConsole || method != QLatin1String("Runtime.consoleAPICalled"))
            return;
        // One parser per thread: each pairs its own timeEnd with its echo.
        auto parser = m_workerConsoleParsers.find(workerThreadId);
        if (parser == m_workerConsoleParsers.end()) {
            parser = m_workerConsoleParsers.insert(workerThreadId, ConsoleTimerParser());
            parser->setAcceptAfterWallMs(m_workerConsoleSinceWallMs);
        }
        if (const std::optional<ConsoleTimerEvent> event = parser->parse(params)) {
            TimerSpan span = event->toSpan();
            span.label = QStringLiteral("worker %1: %2").arg(workerThreadId).arg(span.label);
            Q_EMIT processTimer(span);
        }
        return;
    }
    if (m_consoleLive && method == QLatin1String("Runtime.consoleAPICalled")) {
        if (const std::optional<ConsoleTimerEvent> event = m_consoleParser.parse(params))
            Q_EMIT processTimer(event->toSpan());
    }
}

void Sampler::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_timer->stop();
    m_running = false;
    m_waitingForAttach = false;
    if (m_streaming) {
        // The probe sends the batch in hand before its reply: the last
        // readings become rows before the session ends.
        m_finishStopOnReply = true;
        const int generation = ++m_streamGeneration;
        const auto finish = [this] {
            // A stop in a stall keeps the stall's /proc rows; in normal flow
            // no /proc sample is that much older than the last reading.
            emitUncovered(m_startWallMs + m_clock.elapsed() - 2 * kStreamBatchMs);
            finishStop();
        };
        m_access->streamReadings(0, 0, [this, generation, finish](bool) {
            if (generation == m_streamGeneration && m_finishStopOnReply)
                finish();
        });
        QTimer::singleShot(kStopWaitMs, this, [this, finish] {
            if (m_finishStopOnReply)
                finish();
        });
        return;
    }
    if (m_pending && m_requestInFlight) {
        // The last sample's heap reply is normally a fraction of a millisecond
        // away: let it complete the sample rather than end on empty cells.
        m_finishStopOnReply = true;
        QTimer::singleShot(kStopWaitMs, this, [this] {
            if (m_finishStopOnReply)
                finishStop();
        });
        return;
    }
    finishStop();
}

void Sampler::finishStop()
{
    m_finishStopOnReply = false;
    m_streaming = false;
    ++m_streamGeneration;
    emitPending();
    // The probe's stop closes its worker session; no more readings.
    m_workersTimer->stop();
    ++m_workersGeneration;
    m_workersInFlight = false;
    m_workersWatched = false;
    if (m_heapSampling) {
        // Left as found: the profiler ends before the session that started it.
        m_heapSampling = false;
        ++m_samplingGeneration;
        m_profileTimer->stop();
        if (m_access->isAttached())
            m_access->cdp(
                QStringLiteral("HeapProfiler.stopSampling"), {}, [](const CdpReply&) {}, 3000);
        Q_EMIT heapSamplingChanged(false, {});
    }
    if (m_access->isAttached() || m_access->inspector()->phase() == InspectorConnection::Phase::Attaching) {
        connect(
            m_access, &TargetAccess::detached, this,
            [this] {
                m_stopping = false;
                Q_EMIT stopped();
            },
            Qt::SingleShotConnection);
        m_access->detach();
        return;
    }
    m_stopping = false;
    QTimer::singleShot(0, this, &Sampler::stopped);
}

void Sampler::emitPending()
{
    if (!m_pending)
        return;
    const Sample sample = *m_pending;
    const RuntimeSample runtime = m_pendingRuntime;
    m_pending.reset();
    m_pendingRuntime = {};
    if (!m_os && !sample.hasHeap()) // a remote sample without heap figures holds nothing
        return;
    // A pending sample was taken while attached: published without heap
    // figures (late, failed, or cut off by stop()), it is a missed reading.
    if (!sample.hasHeap())
        ++m_skippedHeapReadings;
    Q_EMIT sampleReady(sample, runtime);
}

std::optional<Sample> Sampler::osSample()
{
    Sample sample;
    sample.elapsedMs = quint32(m_clock.elapsed());
    sample.wallMs = m_startWallMs + sample.elapsedMs;
    if (!m_os)
        return sample;
    const std::optional<OsReading> reading = m_os->sample();
    if (!reading) {
        m_timer->stop();
        m_running = false;
        Q_EMIT targetExited(m_os->lastError());
        return std::nullopt;
    }
    sample.rssBytes = reading->rssBytes;
    sample.threads = quint16(qBound(0, reading->threads, 65535));
    if (!std::isnan(reading->cpuUserPercent)) {
        sample.cpuUserPercent = float(reading->cpuUserPercent);
        sample.cpuSystemPercent = float(reading->cpuSystemPercent);
    }
    return sample;
}

void Sampler::tick()
{
    if (!m_running)
        return;
    if (m_streaming) {
        streamTick();
        return;
    }
    noticeBlockedLoop();
    if (m_pending) {
        // The previous heap reply is late. Ticks never overlap: wait for it a
        // while (a loaded machine, a GC pause), then publish that sample
        // without heap figures so rss and CPU keep flowing while the target
        // is stuck in native code.
        if (m_clock.elapsed() - qint64(m_pending->elapsedMs) < kHeapGraceMs) {
            ++m_skippedTicks;
            return;
        }
        emitPending();
    }

    const std::optional<Sample> sample = osSample();
    if (!sample)
        return;
    if (!m_access->isAttached() || m_requestInFlight) {
        if (!m_os)
            return;
        // Attached, but the last reading has not come back (a stopped or
        // stuck target): this row lacks heap figures too, and counts.
        if (m_access->isAttached())
            ++m_skippedHeapReadings;
        Q_EMIT sampleReady(*sample, {});
        return;
    }

    m_pending = sample;
    m_pendingRuntime = {};
    m_requestInFlight = true;
    m_requestClock.start();
    m_requestWallMs = sample->wallMs;
    const bool throughProbe = m_access->route() == TargetAccess::Route::Probe;
    const int generation = ++m_pendingGeneration;
    m_access->read(
        [this, generation, throughProbe](std::optional<TargetReading> reading, const QString&) {
            if (generation != m_pendingGeneration) {
                // A reply after a restart belongs to nothing we hold.
                return;
            }
            m_requestInFlight = false;
            if (reading && throughProbe)
                noteRuntime(*reading);
            else
                m_loopBlockedReported = false;
            if (!m_pending) {
                // Late: its sample went out without heap figures. A reply
                // after a blocked loop carries that interval's delay and
                // collections: published now, with fresh OS figures.
                if (reading && throughProbe && m_running) {
                    if (std::optional<Sample> late = osSample()) {
                        fill(*late, *reading);
                        Q_EMIT sampleReady(*late, reading->runtime);
                    }
                }
                if (m_finishStopOnReply)
                    finishStop();
                return;
            }
            if (reading) {
                fill(*m_pending, *reading);
                m_pendingRuntime = reading->runtime;
            }
            emitPending(); // counts a reading that failed or had no heapUsed
            if (m_finishStopOnReply)
                finishStop();
        },
        throughProbe ? kProbePatienceMs : kHeapTimeoutMs);
}

void Sampler::fill(Sample& sample, const TargetReading& reading) const
{
    sample.heapTotalBytes = reading.heapTotalBytes;
    sample.heapUsedBytes = reading.heapUsedBytes;
    sample.externalBytes = reading.externalBytes;
    sample.arrayBuffersBytes = reading.arrayBuffersBytes;
    if (!m_os) // remote: the process's own rss is all we have
        sample.rssBytes = reading.rssBytes;
}

void Sampler::noticeBlockedLoop()
{
    // Only the probe's replies wait for the event loop (the inspector
    // answers by interrupt): a reply this late means the loop has not turned.
    if (!m_requestInFlight || m_loopBlockedReported || m_access->route() != TargetAccess::Route::Probe)
        return;
    if (m_requestClock.elapsed() < m_stallThresholdMs)
        return;
    m_loopBlockedReported = true;
    Q_EMIT loopBlocked(m_requestWallMs);
}

void Sampler::noteRuntime(TargetReading& reading)
{
    const qint64 latencyMs = m_requestClock.isValid() ? m_requestClock.elapsed() : 0;
    const double delayMaxMs
        = std::isnan(reading.runtime.loopDelayMaxMs) ? 0 : double(reading.runtime.loopDelayMaxMs);
    const double stallMs = qMax(double(latencyMs), delayMaxMs);
    if (m_loopBlockedReported || stallMs >= m_stallThresholdMs) {
        const qint64 nowWall = m_startWallMs + m_clock.elapsed();
        Q_EMIT loopStalled({nowWall - qint64(stallMs), stallMs});
        // The loop-delay histogram only records a blocked stretch at its
        // next tick, after this reply has read and reset it (so it never
        // does): the reply's own wait is the interval's longest delay.
        if (std::isnan(reading.runtime.loopDelayMaxMs) || stallMs > delayMaxMs)
            reading.runtime.loopDelayMaxMs = float(stallMs);
    }
    m_loopBlockedReported = false;
    noteHealth(reading);
}

void Sampler::noteHealth(const TargetReading& reading)
{
    if (reading.runtime.gcCount > 0 || !reading.collections.major.isEmpty())
        Q_EMIT collectionsSeen(reading.collections);
    if (reading.resources && *reading.resources != m_lastResources) {
        m_lastResources = *reading.resources;
        Q_EMIT resourcesChanged(reading.wallMs, m_lastResources);
    }
}

void Sampler::applyStreaming()
{
    const bool want = m_running && !m_paused && !m_stopping && !m_waitingForAttach && m_os && !m_streamRefused
        && m_access->route() == TargetAccess::Route::Probe && m_intervalMs < kStreamBelowMs;
    if (want == m_streaming && (!want || m_streamEveryMs == m_intervalMs))
        return;
    const int generation = ++m_streamGeneration;
    if (!want) {
        // Readings still on their way are dropped: ticks ask again from now.
        m_streaming = false;
        m_access->streamReadings(0, 0, [](bool) {});
        return;
    }
    if (!m_streaming) {
        m_streamed.reset(m_startWallMs, m_startWallMs + m_clock.elapsed());
        m_streamClock.start();
        m_loopBlockedReported = false;
    }
    m_streaming = true;
    m_streamEveryMs = m_intervalMs;
    m_access->streamReadings(m_intervalMs, kStreamBatchMs, [this, generation](bool streaming) {
        if (streaming || generation != m_streamGeneration || !m_streaming)
            return;
        // The probe would not stream: a reading per tick, as at slower rates.
        m_streaming = false;
        m_streamRefused = true;
    });
}

void Sampler::streamTick()
{
    // Silence from the probe longer than a batch and the stall threshold: its
    // timer has not run, so the loop has not turned.
    if (!m_loopBlockedReported && m_streamClock.elapsed() >= m_stallThresholdMs + kStreamBatchMs) {
        m_loopBlockedReported = true;
        const qint64 since = m_streamed.lastReadingWallMs();
        Q_EMIT loopBlocked(since > 0 ? since : m_startWallMs + m_clock.elapsed() - m_streamClock.elapsed());
    }
    const std::optional<Sample> sample = osSample();
    if (!sample)
        return;
    m_streamed.addOsSample(*sample);
    // No reading for a second: rss and CPU go on without heap figures.
    emitUncovered(sample->wallMs - kHeapGraceMs);
}

void Sampler::emitUncovered(qint64 beforeWallMs)
{
    for (const Sample& row : m_streamed.uncoveredBefore(beforeWallMs)) {
        ++m_skippedHeapReadings;
        Q_EMIT sampleReady(row, {});
    }
}

void Sampler::takeStreamed(const QList<TargetReading>& readings)
{
    if (!m_streaming)
        return;
    m_streamClock.start();
    for (StreamedRows::Row& row : m_streamed.rowsFor(readings)) {
        TargetReading& reading = row.reading;
        // A timer due every interval that ran this much later: the loop did
        // not turn in between (or the histogram saw a longer delay).
        const double lateMs = double(qMax<qint64>(0, row.gapMs - m_streamEveryMs));
        const double delayMaxMs
            = std::isnan(reading.runtime.loopDelayMaxMs) ? 0 : double(reading.runtime.loopDelayMaxMs);
        const double stallMs = qMax(lateMs, delayMaxMs);
        if (m_loopBlockedReported || stallMs >= m_stallThresholdMs) {
            Q_EMIT loopStalled({row.sample.wallMs - qint64(stallMs), stallMs});
            if (std::isnan(reading.runtime.loopDelayMaxMs) || stallMs > delayMaxMs)
                reading.runtime.loopDelayMaxMs = float(stallMs);
        }
        m_loopBlockedReported = false;
        noteHealth(reading);
        Q_EMIT sampleReady(row.sample, reading.runtime);
    }
}

} // namespace NodeScope

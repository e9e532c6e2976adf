#include "watch/livesession.h"

#include "format.h"
#include "proc/processtable.h"
#include "watch/cpuprofilerecorder.h"
#include "watch/stackgrab.h"

#include <QDateTime>
#include <QFileInfo>
#include <QPointer>
#include <QSemaphore>
#include <QStorageInfo>

#include <memory>

namespace NodeScope {

LiveSession::LiveSession(QObject* parent)
    : QObject(parent)
    , m_stopwatch(new Stopwatch(this))
{
    qRegisterMetaType<NodeScope::ProcessInfo>();
    m_worker.setObjectName(QStringLiteral("nodescope-sampler"));
    m_worker.start();
    connect(m_stopwatch, &Stopwatch::spanFinished, this, &LiveSession::addUserSpan);

    // What the pipeline worded goes to the status line as it is; what
    // happens to the session's state is decided here.
    connect(&m_pipeline, &SessionPipeline::notice, this, &LiveSession::message);
    connect(&m_pipeline, &SessionPipeline::leakVerdictChanged, this, &LiveSession::leakVerdictChanged);
    connect(&m_pipeline, &SessionPipeline::loopBlockedChanged, this, &LiveSession::loopBlockedChanged);
    connect(&m_pipeline, &SessionPipeline::suspectsChanged, this, &LiveSession::suspectsChanged);
    connect(&m_pipeline, &SessionPipeline::sampleAppended, this, [this] {
        m_saved = false;
        Q_EMIT samplesAppended();
    });
    connect(&m_pipeline, &SessionPipeline::workersUpdated, this, &LiveSession::workersUpdated);
    connect(&m_pipeline, &SessionPipeline::spanAdded, this, [this](const TimerSpan& span) {
        m_saved = false;
        Q_EMIT timerSpanAdded(span);
    });
    connect(&m_pipeline, &SessionPipeline::attached, this, [this](const TargetInfo& target) {
        if (m_state == State::Attaching)
            setState(State::Watching);
        Q_EMIT targetChanged(target);
    });
    connect(&m_pipeline, &SessionPipeline::attachFailed, this, [this](const QString& reason) {
        if (target().pid > 0 && m_state == State::Attaching) {
            // Local process: rss and CPU go on without the inspector.
            setState(State::Watching);
            Q_EMIT message(
                QStringLiteral("No heap figures: %1. Showing rss and CPU only.").arg(reason), true);
        } else {
            Q_EMIT message(QStringLiteral("Cannot attach: %1").arg(reason), true);
            dropSampler();
            setState(store().size() > 0 ? State::Ended : State::Empty);
        }
    });
    connect(&m_pipeline, &SessionPipeline::targetExited, this, [this] {
        dropSampler();
        setState(State::Ended);
    });
}

LiveSession::~LiveSession()
{
    shutdown();
    m_worker.quit();
    m_worker.wait();
}

void LiveSession::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void LiveSession::endCpuProfile(const QString& why)
{
    if (std::exchange(m_profiling, false))
        Q_EMIT cpuProfileRecorded({}, why);
}

void LiveSession::dropSampler()
{
    endCpuProfile(QStringLiteral("the session ended before the profile did"));
    m_pipeline.unfollow();
    if (Sampler* sampler = std::exchange(m_sampler, nullptr))
        QMetaObject::invokeMethod(sampler, &QObject::deleteLater, Qt::QueuedConnection);
}

void LiveSession::shutdown(int timeoutMs)
{
    if (!m_sampler)
        return;
    Sampler* sampler = std::exchange(m_sampler, nullptr);
    m_pipeline.unfollow();
    endCpuProfile(QStringLiteral("the session ended before the profile did"));
    // The detach runs on the worker's event loop while we wait here, so no
    // nested event loop is needed on this thread.
    const auto done = std::make_shared<QSemaphore>();
    connect(
        sampler, &Sampler::stopped, sampler, [done] { done->release(); }, Qt::DirectConnection);
    QMetaObject::invokeMethod(sampler, &Sampler::stop, Qt::QueuedConnection);
    done->tryAcquire(1, timeoutMs);
    QMetaObject::invokeMethod(sampler, &QObject::deleteLater, Qt::QueuedConnection);
    if (isLive())
        setState(State::Ended);
}

void LiveSession::begin(const QString& title, const SessionInfo& info)
{
    shutdown();
    m_pipeline.begin(info);
    m_title = title;
    m_saved = true;
    Q_EMIT reset();
    Q_EMIT targetChanged(target());
}

void LiveSession::startSampler()
{
    m_sampler = new Sampler;
    m_sampler->moveToThread(&m_worker);
    m_pipeline.follow(m_sampler);
    // An error can carry what the target said: made printable, as the pipeline does.
    connect(m_sampler, &Sampler::heapSpacesRead, this,
        [this](const QList<HeapSpace>& spaces, const QString& error) {
            Q_EMIT heapSpacesRead(spaces, Format::printable(error));
        });
    connect(m_sampler, &Sampler::heapSnapshotWritten, this,
        [this](const QString& path, qint64 bytes, const QString& error) {
            if (error.isEmpty()) {
                m_pipeline.mark(QStringLiteral("heap snapshot"));
                Q_EMIT message(
                    QStringLiteral("Wrote a heap snapshot of %1 to %2 (opens in DevTools' Memory tab)")
                        .arg(Format::bytes(double(bytes)), path),
                    false);
            } else {
                Q_EMIT message(QStringLiteral("No heap snapshot: %1").arg(Format::printable(error)), true);
            }
            Q_EMIT heapSnapshotWritten(path, bytes, error);
        });
}

void LiveSession::watchProcess(const ProcessInfo& process, bool attach)
{
    SessionInfo info;
    info.pid = process.pid;
    info.processName = process.name;
    info.commandLine = process.commandLine;
    info.source = QStringLiteral("pid %1").arg(process.pid);
    begin(QStringLiteral("%1 · PID %2").arg(ProcessTable::displayName(process)).arg(process.pid), info);
    startSampler();
    setState(State::Attaching);
    Sampler::Options options;
    options.intervalMs = m_intervalMs;
    options.attachInspector = attach && process.isNode;
    options.captureConsoleTimers = m_consoleCapture;
    options.installProbe = !m_throughInspector;
    options.watchWorkers = m_workerWatching;
    QMetaObject::invokeMethod(
        m_sampler, [sampler = m_sampler, pid = process.pid, options] { sampler->watchPid(pid, options); },
        Qt::QueuedConnection);
    if (!options.attachInspector)
        setState(State::Watching);
}

void LiveSession::watchAddress(const QString& host, quint16 port)
{
    SessionInfo info;
    info.source = QStringLiteral("address %1:%2").arg(host).arg(port);
    begin(QStringLiteral("inspector at %1:%2").arg(host).arg(port), info);
    startSampler();
    setState(State::Attaching);
    Sampler::Options options;
    options.intervalMs = m_intervalMs;
    options.captureConsoleTimers = m_consoleCapture;
    QMetaObject::invokeMethod(
        m_sampler, [sampler = m_sampler, host, port, options] { sampler->watchAddress(host, port, options); },
        Qt::QueuedConnection);
}

void LiveSession::review(const Session& session, const WorkerStore& workers)
{
    begin(QStringLiteral("review of %1").arg(session.info().source), session.info());
    m_pipeline.load(session, workers);
    setState(State::Review);
    Q_EMIT targetChanged(target());
    Q_EMIT samplesAppended();
}

void LiveSession::setLeakSettings(const LeakSettings& settings)
{
    m_pipeline.setLeakSettings(settings);
}

void LiveSession::readHeapSpaces()
{
    // Why not, as the user sees the session (not as the sampler stands).
    QString whyNot;
    if (m_state == State::Review)
        whyNot = QStringLiteral("a recording has none (they are read from a live Node process)");
    else if (!m_sampler)
        whyNot = QStringLiteral("no process is attached (pick a Node.js process and attach to it)");
    else if (m_state == State::Attaching)
        whyNot = QStringLiteral("still attaching to the process; try again in a moment");
    else if (target().nodeVersion.isEmpty())
        whyNot = QStringLiteral("PID %1 is watched without Node's own figures (it is not a Node process, or "
                                "NodeScope could not reach its inspector): only rss and CPU")
                     .arg(target().pid);
    if (!whyNot.isEmpty()) {
        Q_EMIT heapSpacesRead({}, whyNot);
        return;
    }
    QMetaObject::invokeMethod(m_sampler, &Sampler::readHeapSpaces, Qt::QueuedConnection);
}

void LiveSession::grabStack()
{
    if (!m_sampler || target().nodeVersion.isEmpty()) {
        Q_EMIT stackGrabbed({}, QStringLiteral("a stack needs an attached Node process"));
        return;
    }
    // The grab lives on the sampler's thread, beside the TargetAccess it uses,
    // and goes with the sampler if the session ends first.
    QPointer<LiveSession> self(this);
    QMetaObject::invokeMethod(
        m_sampler,
        [sampler = m_sampler, self] {
            auto* grab = new StackGrab(sampler);
            connect(grab, &StackGrab::captured, self.data(), [self](const StackSnapshot& snapshot) {
                Q_EMIT self->message(snapshot.idle
                        ? QStringLiteral("PID %1 ran no JavaScript: its main thread is idle")
                              .arg(snapshot.pid)
                        : QStringLiteral("Took PID %1's stack; its main thread was held for %2")
                              .arg(snapshot.pid)
                              .arg(Format::milliseconds(snapshot.pausedMs)),
                    false);
                Q_EMIT self->stackGrabbed(snapshot, {});
            });
            connect(grab, &StackGrab::failed, self.data(), [self](const QString& reason) {
                Q_EMIT self->message(QStringLiteral("No stack: %1").arg(reason), true);
                Q_EMIT self->stackGrabbed({}, reason);
            });
            connect(grab, &StackGrab::progress, self.data(),
                [self](const QString& text) { Q_EMIT self->message(text, false); });
            connect(grab, &StackGrab::finished, grab, [grab, self](const QString& note) {
                grab->deleteLater();
                if (!note.isEmpty() && self)
                    QMetaObject::invokeMethod(
                        self.data(), [self, note] { Q_EMIT self->message(note, false); });
            });
            grab->grabThrough(sampler->access(), {});
        },
        Qt::QueuedConnection);
}

void LiveSession::recordCpuProfile(double seconds)
{
    if (!m_sampler || target().nodeVersion.isEmpty()) {
        Q_EMIT cpuProfileRecorded({}, QStringLiteral("a CPU profile needs an attached Node process"));
        return;
    }
    if (m_profiling) {
        Q_EMIT cpuProfileRecorded({}, QStringLiteral("a CPU profile is already being recorded"));
        return;
    }
    m_profiling = true;
    QPointer<LiveSession> self(this);
    QMetaObject::invokeMethod(
        m_sampler,
        [sampler = m_sampler, self, seconds] {
            auto* recorder = new CpuProfileRecorder(sampler->access(), sampler);
            connect(recorder, &CpuProfileRecorder::started, self.data(), [self](double length) {
                if (self->m_profiling)
                    Q_EMIT self->cpuProfileStarted(length);
            });
            const auto done = [self](const QJsonObject& profile, const QString& error) {
                if (std::exchange(self->m_profiling, false))
                    Q_EMIT self->cpuProfileRecorded(profile, error);
            };
            connect(recorder, &CpuProfileRecorder::finished, self.data(),
                [done](const QJsonObject& profile) { done(profile, {}); });
            connect(recorder, &CpuProfileRecorder::failed, self.data(),
                [done](const QString& reason) { done({}, reason); });
            connect(recorder, &CpuProfileRecorder::finished, recorder, &QObject::deleteLater);
            connect(recorder, &CpuProfileRecorder::failed, recorder, &QObject::deleteLater);
            CpuProfileRecorder::Options options;
            options.seconds = seconds;
            recorder->start(options);
        },
        Qt::QueuedConnection);
}

void LiveSession::findLeakSuspects(bool on)
{
    if (on)
        m_pipeline.findSuspects();
    else
        m_pipeline.stopFindingSuspects();
}

HeapSnapshotEstimate LiveSession::snapshotEstimate(const QString& path) const
{
    const QList<Sample>& samples = store().session().samples();
    qint64 heapUsed = 0;
    for (auto it = samples.crbegin(); it != samples.crend(); ++it) {
        if (it->heapUsedBytes != Sample::kMissingBytes) {
            heapUsed = it->heapUsedBytes;
            break;
        }
    }
    const QStorageInfo disk(QFileInfo(path).absolutePath());
    // A process behind an inspector address is elsewhere: its PID means nothing here.
    const qint64 localPid = store().session().info().pid;
    const MemoryLimits limits = localPid > 0 ? MemoryLimits::ofProcess(localPid) : MemoryLimits{};
    return HeapSnapshotEstimate::of(
        heapUsed, limits, disk.isValid() ? disk.bytesAvailable() : MemoryLimits::kUnknown);
}

void LiveSession::takeHeapSnapshot(const QString& path)
{
    if (!canTakeHeapSnapshot()) {
        Q_EMIT heapSnapshotWritten(path, 0, QStringLiteral("a heap snapshot needs an attached Node process"));
        return;
    }
    Q_EMIT message(
        QStringLiteral("Taking a heap snapshot (the process is frozen until it is built)…"), false);
    QMetaObject::invokeMethod(
        m_sampler, [sampler = m_sampler, path] { sampler->takeHeapSnapshot(path); }, Qt::QueuedConnection);
}

void LiveSession::forceGarbageCollection()
{
    if (!m_sampler || target().nodeVersion.isEmpty()) {
        Q_EMIT message(QStringLiteral("A forced collection needs an attached inspector"), true);
        return;
    }
    Q_EMIT message(
        QStringLiteral("Forcing a full garbage collection (the process pauses while it runs)…"), false);
    QMetaObject::invokeMethod(m_sampler, &Sampler::collectGarbage, Qt::QueuedConnection);
}

void LiveSession::addUserSpan(const TimerSpan& span)
{
    if (isLive()) // timers only mean something against live samples
        m_pipeline.addSpan(span);
}

void LiveSession::setIntervalMs(int intervalMs)
{
    const int previous = m_intervalMs;
    m_intervalMs = Sampler::clampInterval(intervalMs);
    if (m_sampler && m_intervalMs != previous)
        m_pipeline.mark(QStringLiteral("sampling every %1 ms").arg(m_intervalMs));
    if (m_sampler) {
        QMetaObject::invokeMethod(
            m_sampler, [sampler = m_sampler, interval = m_intervalMs] { sampler->setIntervalMs(interval); },
            Qt::QueuedConnection);
    }
}

void LiveSession::setConsoleCapture(bool capture)
{
    m_consoleCapture = capture;
    if (m_sampler) {
        QMetaObject::invokeMethod(
            m_sampler, [sampler = m_sampler, capture] { sampler->setConsoleTimerCapture(capture); },
            Qt::QueuedConnection);
    }
}

void LiveSession::setWorkerWatching(bool on)
{
    m_workerWatching = on;
    if (m_sampler) {
        QMetaObject::invokeMethod(
            m_sampler, [sampler = m_sampler, on] { sampler->setWorkerWatching(on); }, Qt::QueuedConnection);
    }
}

void LiveSession::setPaused(bool paused)
{
    if (!m_sampler || !(m_state == State::Watching || m_state == State::Paused))
        return;
    QMetaObject::invokeMethod(
        m_sampler, [sampler = m_sampler, paused] { sampler->setPaused(paused); }, Qt::QueuedConnection);
    setState(paused ? State::Paused : State::Watching);
    m_pipeline.mark(paused ? QStringLiteral("recording paused") : QStringLiteral("recording resumed"));
    Q_EMIT message(paused ? QStringLiteral("Recording paused") : QStringLiteral("Recording resumed"), false);
}

void LiveSession::detach()
{
    if (!m_sampler)
        return;
    Sampler* sampler = std::exchange(m_sampler, nullptr);
    endCpuProfile(QStringLiteral("detached before the profile ended"));
    // The last sample and the detach still come through; then nothing more.
    connect(sampler, &Sampler::stopped, this, [this, sampler] {
        sampler->deleteLater();
        m_pipeline.unfollow();
        Q_EMIT detached();
    });
    QMetaObject::invokeMethod(sampler, &Sampler::stop, Qt::QueuedConnection);
    m_pipeline.mark(QStringLiteral("detached"));
    setState(State::Ended);
    Q_EMIT message(QStringLiteral("Detached; the session stays open for review and export"), false);
}

void LiveSession::clear()
{
    begin(QString(), SessionInfo{});
    setState(State::Empty);
}

} // namespace NodeScope

#include "watch/livesession.h"

#include "format.h"
#include "proc/processtable.h"

#include <QDateTime>
#include <QSemaphore>

#include <memory>

namespace NodeScope {

LiveSession::LiveSession(QObject* parent)
    : QObject(parent)
    , m_stopwatch(new Stopwatch(this))
{
    qRegisterMetaType<NodeScope::ProcessInfo>();
    qRegisterMetaType<NodeScope::TimerSpan>();
    m_worker.setObjectName(QStringLiteral("nodescope-sampler"));
    m_worker.start();
    connect(m_stopwatch, &Stopwatch::spanFinished, this, &LiveSession::addSpan);
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

void LiveSession::shutdown(int timeoutMs)
{
    if (!m_sampler)
        return;
    Sampler* sampler = std::exchange(m_sampler, nullptr);
    ++m_generation;
    // The detach runs on the worker's event loop while we wait here, so no
    // nested event loop is needed on this thread.
    const auto done = std::make_shared<QSemaphore>();
    connect(sampler, &Sampler::stopped, sampler, [done] { done->release(); }, Qt::DirectConnection);
    QMetaObject::invokeMethod(sampler, &Sampler::stop, Qt::QueuedConnection);
    done->tryAcquire(1, timeoutMs);
    sampler->disconnect(this);
    QMetaObject::invokeMethod(sampler, &QObject::deleteLater, Qt::QueuedConnection);
    if (isLive())
        setState(State::Ended);
}

void LiveSession::begin(const QString& title, const SessionInfo& info)
{
    shutdown();
    ++m_generation;
    Session session(info);
    m_store.reset(std::move(session));
    m_timerStatistics.clear();
    m_leak.reset();
    m_lastJsState = LeakVerdict::State::Learning;
    m_lastNativeState = LeakVerdict::State::Learning;
    m_target = TargetInfo {};
    m_target.pid = info.pid;
    m_title = title;
    m_saved = true;
    Q_EMIT reset();
    Q_EMIT targetChanged(m_target);
}

void LiveSession::connectSampler()
{
    m_sampler = new Sampler;
    m_sampler->moveToThread(&m_worker);
    const int generation = m_generation;
    // Queued through lambdas that check the generation: a sample of the
    // previous target still in the queue must not land in this session.
    connect(m_sampler, &Sampler::started, this, [this, generation](qint64, qint64 startWallMs) {
        if (generation == m_generation)
            m_store.session().info().startWallMs = startWallMs;
    });
    connect(m_sampler, &Sampler::sampleReady, this, [this, generation](const Sample& sample) {
        if (generation == m_generation)
            appendSample(sample);
    });
    connect(m_sampler, &Sampler::processTimer, this, [this, generation](const TimerSpan& span) {
        if (generation == m_generation)
            addSpan(span);
    });
    connect(m_sampler, &Sampler::attachProgress, this, [this, generation](const QString& text) {
        if (generation == m_generation)
            Q_EMIT message(text, false);
    });
    connect(m_sampler, &Sampler::attached, this, [this, generation](const TargetInfo& target) {
        if (generation != m_generation)
            return;
        m_target = target;
        m_store.session().info().nodeVersion = target.nodeVersion;
        m_store.session().info().heapLimitBytes = target.heapLimitBytes;
        m_leak.setHeapLimitBytes(target.heapLimitBytes);
        mark(QStringLiteral("attached (Node %1)").arg(target.nodeVersion));
        if (m_state == State::Attaching)
            setState(State::Watching);
        Q_EMIT targetChanged(m_target);
        Q_EMIT message(QStringLiteral("Attached to PID %1 (Node %2)%3")
                           .arg(target.pid)
                           .arg(target.nodeVersion)
                           .arg(target.inspectorOpenedByUs
                                   ? QStringLiteral(": it printed \"Debugger attached.\" on its stderr")
                                   : QString()),
            false);
    });
    connect(m_sampler, &Sampler::attachFailed, this, [this, generation](const QString& reason) {
        if (generation != m_generation)
            return;
        if (m_target.pid > 0 && m_state == State::Attaching) {
            // Local process: rss and CPU go on without the inspector.
            setState(State::Watching);
            Q_EMIT message(QStringLiteral("No heap figures: %1. Showing rss and CPU only.").arg(reason), true);
        } else {
            Q_EMIT message(QStringLiteral("Cannot attach: %1").arg(reason), true);
            setState(m_store.size() > 0 ? State::Ended : State::Empty);
        }
    });
    connect(m_sampler, &Sampler::garbageCollected, this,
        [this, generation](bool ok, quint32 elapsedMs, qint64 heapUsedAfter, double pauseMs, const QString& error) {
            if (generation != m_generation)
                return;
            if (!ok) {
                Q_EMIT message(QStringLiteral("Forced collection failed: %1").arg(error), true);
                return;
            }
            m_leak.noteForcedCollection(elapsedMs, heapUsedAfter);
            mark(QStringLiteral("forced GC: %1 live").arg(Format::bytes(double(heapUsedAfter))));
            Q_EMIT message(QStringLiteral("Forced a full collection: %1 live on the heap (the process paused %2)")
                               .arg(Format::bytes(double(heapUsedAfter)), Format::milliseconds(pauseMs)),
                false);
            judgeLeaks();
            Q_EMIT leakVerdictChanged();
        });
    connect(m_sampler, &Sampler::inspectorLost, this, [this, generation](const QString& reason) {
        if (generation != m_generation)
            return;
        mark(QStringLiteral("inspector lost"));
        Q_EMIT message(QStringLiteral("Inspector connection lost (%1); rss and CPU go on").arg(reason), true);
    });
    connect(m_sampler, &Sampler::targetExited, this, [this, generation](const QString& reason) {
        if (generation != m_generation)
            return;
        mark(QStringLiteral("target exited"));
        Q_EMIT message(QStringLiteral("%1; the session stays open for review and export").arg(reason), true);
        if (m_sampler) {
            Sampler* sampler = std::exchange(m_sampler, nullptr);
            QMetaObject::invokeMethod(sampler, &QObject::deleteLater, Qt::QueuedConnection);
        }
        setState(State::Ended);
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
    connectSampler();
    setState(State::Attaching);
    Sampler::Options options;
    options.intervalMs = m_intervalMs;
    options.attachInspector = attach && process.isNode;
    options.captureConsoleTimers = m_consoleCapture;
    QMetaObject::invokeMethod(m_sampler, [sampler = m_sampler, pid = process.pid, options] {
        sampler->watchPid(pid, options);
    }, Qt::QueuedConnection);
    if (!options.attachInspector)
        setState(State::Watching);
}

void LiveSession::watchAddress(const QString& host, quint16 port)
{
    SessionInfo info;
    info.source = QStringLiteral("address %1:%2").arg(host).arg(port);
    begin(QStringLiteral("inspector at %1:%2").arg(host).arg(port), info);
    connectSampler();
    setState(State::Attaching);
    Sampler::Options options;
    options.intervalMs = m_intervalMs;
    options.captureConsoleTimers = m_consoleCapture;
    QMetaObject::invokeMethod(m_sampler, [sampler = m_sampler, host, port, options] {
        sampler->watchAddress(host, port, options);
    }, Qt::QueuedConnection);
}

void LiveSession::review(const Session& session, const QList<TimerSpan>& spans)
{
    begin(QStringLiteral("review of %1").arg(session.info().source), session.info());
    m_store.reset(session);
    for (const TimerSpan& span : spans) {
        m_store.session().addTimerSpan(span);
        m_timerStatistics.add(span);
    }
    m_leak.setHeapLimitBytes(session.info().heapLimitBytes);
    for (const Sample& sample : m_store.session().samples())
        m_leak.addSample(sample);
    judgeLeaks();
    Q_EMIT leakVerdictChanged();
    m_target.pid = session.info().pid;
    m_target.nodeVersion = session.info().nodeVersion;
    m_target.heapLimitBytes = session.info().heapLimitBytes;
    setState(State::Review);
    Q_EMIT targetChanged(m_target);
    Q_EMIT samplesAppended();
}

void LiveSession::appendSample(const Sample& sample)
{
    m_store.append(sample);
    m_leak.addSample(sample);
    m_saved = false;
    judgeLeaks();
    Q_EMIT samplesAppended();
}

void LiveSession::judgeLeaks()
{
    const LeakVerdict::State js = m_leak.jsVerdict().state;
    const LeakVerdict::State native = m_leak.nativeVerdict().state;
    // A state change at once; the wording ("since", "+N MB") about every few
    // seconds, which is as fast as a person reads it.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (js != m_lastJsState || native != m_lastNativeState || now - m_lastVerdictNoticeMs >= 5000) {
        const bool becameLeak = (js == LeakVerdict::State::Leak && m_lastJsState != LeakVerdict::State::Leak)
            || (native == LeakVerdict::State::Leak && m_lastNativeState != LeakVerdict::State::Leak);
        m_lastJsState = js;
        m_lastNativeState = native;
        m_lastVerdictNoticeMs = now;
        Q_EMIT leakVerdictChanged();
        if (becameLeak) {
            const LeakVerdict verdict = js == LeakVerdict::State::Leak ? m_leak.jsVerdict() : m_leak.nativeVerdict();
            Q_EMIT message(QStringLiteral("Memory leak: %1").arg(verdict.explanation()), true);
        }
    }
}

void LiveSession::mark(const QString& text)
{
    Marker marker;
    marker.wallMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 start = m_store.session().info().startWallMs;
    marker.elapsedMs = start > 0 ? quint32(qMax<qint64>(0, marker.wallMs - start)) : 0;
    marker.text = text;
    m_store.session().addMarker(marker);
}

void LiveSession::setLeakSettings(const LeakSettings& settings)
{
    m_leak.setSettings(settings);
    // The detector starts over; give it the history it has missed.
    for (const Sample& sample : m_store.session().samples())
        m_leak.addSample(sample);
    judgeLeaks();
    Q_EMIT leakVerdictChanged();
}

void LiveSession::forceGarbageCollection()
{
    if (!m_sampler || m_target.nodeVersion.isEmpty()) {
        Q_EMIT message(QStringLiteral("A forced collection needs an attached inspector"), true);
        return;
    }
    Q_EMIT message(QStringLiteral("Forcing a full garbage collection (the process pauses while it runs)…"), false);
    QMetaObject::invokeMethod(m_sampler, &Sampler::collectGarbage, Qt::QueuedConnection);
}

void LiveSession::addSpan(const TimerSpan& span)
{
    if (!isLive())
        return; // timers only mean something against live samples
    m_store.session().addTimerSpan(span);
    m_timerStatistics.add(span);
    m_saved = false;
    Q_EMIT timerSpanAdded(span);
}

void LiveSession::setIntervalMs(int intervalMs)
{
    const int previous = m_intervalMs;
    m_intervalMs = Sampler::clampInterval(intervalMs);
    if (m_sampler && m_intervalMs != previous)
        mark(QStringLiteral("sampling every %1 ms").arg(m_intervalMs));
    if (m_sampler) {
        QMetaObject::invokeMethod(m_sampler, [sampler = m_sampler, interval = m_intervalMs] {
            sampler->setIntervalMs(interval);
        }, Qt::QueuedConnection);
    }
}

void LiveSession::setConsoleCapture(bool capture)
{
    m_consoleCapture = capture;
    if (m_sampler) {
        QMetaObject::invokeMethod(m_sampler, [sampler = m_sampler, capture] {
            sampler->setConsoleTimerCapture(capture);
        }, Qt::QueuedConnection);
    }
}

void LiveSession::setPaused(bool paused)
{
    if (!m_sampler || !(m_state == State::Watching || m_state == State::Paused))
        return;
    QMetaObject::invokeMethod(m_sampler, [sampler = m_sampler, paused] { sampler->setPaused(paused); },
        Qt::QueuedConnection);
    setState(paused ? State::Paused : State::Watching);
    mark(paused ? QStringLiteral("recording paused") : QStringLiteral("recording resumed"));
    Q_EMIT message(paused ? QStringLiteral("Recording paused") : QStringLiteral("Recording resumed"), false);
}

void LiveSession::detach()
{
    if (!m_sampler)
        return;
    Sampler* sampler = std::exchange(m_sampler, nullptr);
    const int generation = m_generation;
    connect(sampler, &Sampler::stopped, this, [this, sampler, generation] {
        sampler->deleteLater();
        if (generation == m_generation)
            Q_EMIT detached();
    });
    QMetaObject::invokeMethod(sampler, &Sampler::stop, Qt::QueuedConnection);
    mark(QStringLiteral("detached"));
    setState(State::Ended);
    Q_EMIT message(QStringLiteral("Detached; the session stays open for review and export"), false);
}

void LiveSession::clear()
{
    begin(QString(), SessionInfo {});
    setState(State::Empty);
}

} // namespace NodeScope

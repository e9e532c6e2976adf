#include "livesession.h"

#include "processtable.h"

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
    connect(m_sampler, &Sampler::inspectorLost, this, [this, generation](const QString& reason) {
        if (generation == m_generation)
            Q_EMIT message(QStringLiteral("Inspector connection lost (%1); rss and CPU go on").arg(reason), true);
    });
    connect(m_sampler, &Sampler::targetExited, this, [this, generation](const QString& reason) {
        if (generation != m_generation)
            return;
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
    QString command = process.commandLine.isEmpty() ? process.name : process.commandLine;
    if (command.size() > 80)
        command = command.left(79) + QChar(0x2026);
    begin(QStringLiteral("PID %1 %2").arg(process.pid).arg(command), info);
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
    m_saved = false;
    Q_EMIT samplesAppended();
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
    m_intervalMs = Sampler::clampInterval(intervalMs);
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
    setState(State::Ended);
    Q_EMIT message(QStringLiteral("Detached; the session stays open for review and export"), false);
}

void LiveSession::clear()
{
    begin(QString(), SessionInfo {});
    setState(State::Empty);
}

} // namespace NodeScope

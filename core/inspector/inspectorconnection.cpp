#include "inspector/inspectorconnection.h"

#include "inspector/inspectorendpoint.h"
#include "jsonnumber.h"
#include "proc/attachcheck.h"
#include "proc/listeningports.h"
#include "proc/processtable.h"
#include "proc/procfs.h"
#include "proc/startenvironment.h"

#include <QDateTime>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include <signal.h>
#include <unistd.h>

namespace NodeScope {

namespace {

// Identity and facts in one round trip. `require` exists only in the
// command-line API scope (includeCommandLineAPI), in CommonJS and ESM apps
// alike, and on Node 18 as well as 20+.
const QLatin1String kIdentityExpression(
    "(() => { let heapLimit = 0; try { heapLimit = require('v8').getHeapStatistics().heap_size_limit; } "
    "catch (e) {}"
    " return { pid: process.pid, version: process.version, heapLimit }; })()");

// Closes an inspector we opened. At the next turn of the event loop, never
// at once: a SIGUSR1 also queues a start of the inspector on the loop, and a
// process that was busy when signalled runs that start on its first free
// turn -- a close before it would be undone. setImmediate runs after it.
// Any error is swallowed: an exception here would be uncaught in the target.
const QLatin1String kCloseExpression("(() => { const inspector = require('inspector');"
                                     " setImmediate(() => { try { inspector.close(); } catch (e) {} });"
                                     " return true; })()");

constexpr int kPollIntervalMs = 50;
// How long the target has to close our session itself after it closed its
// inspector, before we close our side.
constexpr int kTargetCloseWaitMs = 5000;
// A Node process younger than this may not have installed its SIGUSR1
// handler yet: it is waited for instead of refused.
constexpr double kYoungProcessSeconds = 3.0;
// How long to wait for port 9229 when another Node process holds it (another
// debugger may be moving that inspector away, as NodeScope itself does).
constexpr qint64 kPortWaitMs = 3000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

InspectorConnection::InspectorConnection(QObject* parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_pollTimer(new QTimer(this))
{
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_pollTimer->setInterval(kPollIntervalMs);
}

InspectorConnection::~InspectorConnection()
{
    ++m_generation;
    delete m_client;
}

void InspectorConnection::fail(const QString& reason)
{
    if (m_closeWhenVerified) {
        // Leaving anyway: the attach could not get far enough to close.
        finishDetach();
        return;
    }
    ++m_generation;
    m_pollTimer->stop();
    m_pollTimer->disconnect();
    closeClient();
    m_phase = Phase::Closed;
    Q_EMIT attachFailed(reason);
}

double InspectorConnection::processAgeSeconds() const
{
    const auto stat = Procfs::parseStat(Procfs::readFile(QStringLiteral("/proc/%1/stat").arg(m_pid)));
    const auto uptime = Procfs::parseUptime(Procfs::readFile(QStringLiteral("/proc/uptime")));
    static const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    if (!stat || !uptime)
        return -1;
    return *uptime - double(stat->startTimeTicks) / double(ticksPerSecond);
}

bool InspectorConnection::targetStillThere(QString* why) const
{
    const auto stat = Procfs::parseStat(Procfs::readFile(QStringLiteral("/proc/%1/stat").arg(m_pid)));
    if (!stat || stat->state == 'Z' || stat->state == 'X' || stat->startTimeTicks != m_startTimeTicks) {
        *why = QStringLiteral("PID %1 exited during attach").arg(m_pid);
        return false;
    }
    return true;
}

QSet<quint16> InspectorConnection::loopbackPorts() const
{
    QSet<quint16> ports;
    const auto sockets = ListeningPorts::ofProcess(m_pid);
    for (const Procfs::ListeningSocket& socket : sockets.value_or(QList<Procfs::ListeningSocket>())) {
        if (socket.isLoopbackOrAny())
            ports.insert(socket.port);
    }
    return ports;
}

void InspectorConnection::attachToPid(qint64 pid)
{
    ++m_generation;
    closeClient();
    m_phase = Phase::Attaching;
    m_pid = pid;
    m_closeWhenVerified = false;
    m_portWaitDeadlineMs = 0;
    m_signalRetries = 0;
    m_waitingForHandler = false;
    m_target = TargetInfo{};
    m_target.pid = pid;
    m_target.inspectorHost = QStringLiteral("127.0.0.1");

    const AttachCheck check = AttachCheck::of(pid);
    if (!check.canAttach())
        return fail(check.reason());
    const std::optional<ProcessInfo>& info = check.process();
    m_startTimeTicks = info->startTimeTicks;

    m_flags = NodeCommandLine::parse(
        Procfs::parseCmdline(Procfs::readFile(QStringLiteral("/proc/%1/cmdline").arg(pid))),
        StartEnvironment::ofProcess(pid).nodeOptions());

    // Known inspector ports first, then any other port it listens on (an
    // inspector opened on a random port by someone else).
    const QSet<quint16> listening = loopbackPorts();
    QList<quint16> candidates;
    const auto addCandidate = [&](quint16 port) {
        if (port != 0 && listening.contains(port) && !candidates.contains(port))
            candidates.append(port);
    };
    addCandidate(m_flags.requestedPort().value_or(0));
    addCandidate(m_flags.signalPort());
    QList<quint16> others(listening.cbegin(), listening.cend());
    std::sort(others.begin(), others.end());
    // Probing an app's own HTTP port is a visible request in its logs: only
    // do it when the process was started with an inspector we can't place.
    if (m_flags.inspectRequested()) {
        for (quint16 port : others)
            addCandidate(port);
    }

    Q_EMIT progress(QStringLiteral("Looking for an inspector in PID %1").arg(pid));
    const int generation = m_generation;
    tryPorts(candidates, {}, [this, generation](const QString& lastError) {
        if (generation == m_generation)
            activateBySignal(lastError);
    });
}

void InspectorConnection::attachToAddress(const QString& host, quint16 port, qint64 expectedPid)
{
    ++m_generation;
    closeClient();
    m_phase = Phase::Attaching;
    m_pid = expectedPid;
    m_closeWhenVerified = false;
    m_target = TargetInfo{};
    m_target.pid = expectedPid;
    m_target.inspectorHost = host;
    Q_EMIT progress(QStringLiteral("Connecting to the inspector at %1:%2").arg(host).arg(port));
    tryPorts({port}, {}, [this](const QString& lastError) { fail(lastError); });
}

void InspectorConnection::tryPorts(
    QList<quint16> ports, const QString& lastError, const FailStep& whenNoneAnswers)
{
    if (ports.isEmpty())
        return whenNoneAnswers(lastError);
    const quint16 port = ports.takeFirst();
    const int generation = m_generation;
    const QString host = m_target.inspectorHost;
    InspectorEndpoint::fetch(m_network, host, port, m_timeouts.endpointMs, this,
        [this, generation, ports, port, whenNoneAnswers](const InspectorEndpoint::Result& result) {
            if (generation != m_generation)
                return;
            if (!result.found())
                return tryPorts(ports, result.error, whenNoneAnswers);
            connectAndVerify(result.webSocketUrl, port, [this, ports, whenNoneAnswers](const QString& error) {
                tryPorts(ports, error, whenNoneAnswers);
            });
        });
}

void InspectorConnection::activateBySignal(const QString& whyNoInspector)
{
    if (m_pid == 0)
        return fail(whyNoInspector);
    QString why;
    if (!targetStillThere(&why))
        return fail(why);

    // Re-read the signal mask right before signalling: this is the one check
    // that stands between us and killing the process.
    const auto status = Procfs::parseStatus(Procfs::readFile(QStringLiteral("/proc/%1/status").arg(m_pid)));
    if (!status)
        return fail(QStringLiteral("PID %1 exited during attach").arg(m_pid));
    if (m_flags.sigusr1Disabled())
        return fail(QStringLiteral("PID %1 was started with --disable-sigusr1: it cannot open its inspector "
                                   "on a signal. Start it with --inspect=0 instead")
                        .arg(m_pid));
    if (!(status->sigCgt & Procfs::kSigUsr1Mask)) {
        // Node installs its SIGUSR1 handler a little after it starts (~0.3 s
        // under load): a young process is waited for, never signalled early.
        const double age = processAgeSeconds();
        if (age >= 0 && age < kYoungProcessSeconds) {
            if (!m_waitingForHandler) {
                m_waitingForHandler = true;
                Q_EMIT progress(
                    QStringLiteral("PID %1 is starting up; waiting for Node to install its SIGUSR1 handler")
                        .arg(m_pid));
            }
            const int generation = m_generation;
            QTimer::singleShot(kPollIntervalMs, this, [this, generation, whyNoInspector] {
                if (generation == m_generation)
                    activateBySignal(whyNoInspector);
            });
            return;
        }
        return fail(QStringLiteral("PID %1 does not catch SIGUSR1 (started with --disable-sigusr1?): "
                                   "the signal would kill it. Start it with --inspect=0 instead")
                        .arg(m_pid));
    }
    m_waitingForHandler = false;
    const quint16 signalPort = m_flags.signalPort();
    // The process itself holds the port a signal would open its inspector
    // on, and what listens there did not answer as an inspector (its own
    // server, or an inspector that is broken): a signal could only make it
    // fail to bind. Say what that port did instead.
    if (signalPort != 0 && ListeningPorts::holderOf(signalPort) == m_pid) {
        return fail(QStringLiteral("PID %1 holds port %2 itself, where SIGUSR1 would open its inspector, "
                                   "and that port does not answer as a Node inspector: %3")
                        .arg(m_pid)
                        .arg(signalPort)
                        .arg(whyNoInspector.isEmpty() ? QStringLiteral("no answer") : whyNoInspector));
    }
    // Port 0 (the target ran with --inspect=0) means a random port: no clash.
    if (const std::optional<qint64> holder = signalPort ? ListeningPorts::holderOf(signalPort) : std::nullopt;
        holder && *holder != m_pid) {
        QString who = QStringLiteral("another process");
        bool holderIsNode = false;
        if (*holder > 0) {
            const auto stat
                = Procfs::parseStat(Procfs::readFile(QStringLiteral("/proc/%1/stat").arg(*holder)));
            who = QStringLiteral("PID %1%2")
                      .arg(*holder)
                      .arg(stat ? QStringLiteral(" (%1)").arg(stat->comm) : QString());
            holderIsNode = ProcessTable::isNodeExecutable(
                Procfs::readLink(QStringLiteral("/proc/%1/exe").arg(*holder)));
        }
        // Another debugger (another NodeScope) may be moving that process's
        // inspector off the port right now: give it a moment.
        if (holderIsNode) {
            if (m_portWaitDeadlineMs == 0) {
                m_portWaitDeadlineMs = nowMs() + kPortWaitMs;
                Q_EMIT progress(QStringLiteral("Port %1 is held by %2; waiting for it to be freed")
                                    .arg(signalPort)
                                    .arg(who));
            }
            if (nowMs() < m_portWaitDeadlineMs) {
                const int generation = m_generation;
                QTimer::singleShot(kPollIntervalMs * 2, this, [this, generation, whyNoInspector] {
                    if (generation == m_generation)
                        activateBySignal(whyNoInspector);
                });
                return;
            }
        }
        return fail(QStringLiteral("port %1 is held by %2, so PID %3 cannot open its inspector there; "
                                   "free the port or start the target with --inspect=0")
                        .arg(signalPort)
                        .arg(who)
                        .arg(m_pid));
    }

    m_portWaitDeadlineMs = 0;
    // Ports from before the first signal: whatever appears after it is the
    // inspector we opened, even if it shows up only after the second signal.
    if (m_signalRetries == 0)
        m_portsBeforeSignal = loopbackPorts();
    const QSet<quint16> before = m_portsBeforeSignal;
    if (::kill(pid_t(m_pid), SIGUSR1) != 0) {
        return fail(QStringLiteral("cannot signal PID %1: %2")
                        .arg(m_pid)
                        .arg(QString::fromLocal8Bit(std::strerror(errno))));
    }
    m_target.inspectorOpenedByUs = true;
    Q_EMIT progress(
        QStringLiteral("Opening the inspector of PID %1 with SIGUSR1 "
                       "(it prints \"Debugger listening\" and \"Debugger attached.\" on its stderr)")
            .arg(m_pid));
    // Activation takes ~100 ms. If another debugger took the port between
    // our check and the signal (two attaches at once), the target's
    // inspector failed to bind: then, and only then, it is signalled once
    // more when the port is free. Otherwise one signal is all it gets.
    m_signalPortTaken = false;
    m_watchedSignalPort = signalPort;
    const qint64 allowance = m_signalRetries == 0 ? m_timeouts.activationMs / 2 : m_timeouts.activationMs;
    pollForNewPort(before, nowMs() + allowance, [this, signalPort, before, whyNoInspector] {
        m_watchedSignalPort = 0;
        if (m_signalPortTaken && m_signalRetries++ == 0) {
            Q_EMIT progress(QStringLiteral("Port %1 was taken by another process meanwhile; "
                                           "signalling PID %2 again once it is free")
                                .arg(signalPort)
                                .arg(m_pid));
            m_target.inspectorOpenedByUs = false;
            return activateBySignal(whyNoInspector);
        }
        QString reason;
        if (const auto holder = signalPort ? ListeningPorts::holderOf(signalPort) : std::nullopt;
            holder && *holder != m_pid) {
            reason = QStringLiteral(
                "port %1 was taken by PID %2 meanwhile, so PID %3 could not open its inspector")
                         .arg(signalPort)
                         .arg(*holder)
                         .arg(m_pid);
        } else {
            reason = QStringLiteral("PID %1 did not open its inspector when signalled: it handles SIGUSR1 "
                                    "itself (process.on('SIGUSR1') replaces Node's own handler). "
                                    "Start it with --inspect=0 to watch it")
                         .arg(m_pid);
        }
        // SIGUSR1 does nothing to an inspector that is already active: one
        // opened with inspector.open() on a random port, or left behind by a
        // debugger that died. Only now are its other ports worth a probe.
        QList<quint16> existing(before.cbegin(), before.cend());
        std::sort(existing.begin(), existing.end());
        m_target.inspectorOpenedByUs = false;
        tryPorts(existing, reason, [this, reason](const QString&) { fail(reason); });
    });
}

void InspectorConnection::pollForNewPort(
    const QSet<quint16>& before, qint64 deadlineMs, const Step& onTimeout)
{
    m_pollTimer->stop();
    m_pollTimer->disconnect();
    const int generation = m_generation;
    connect(m_pollTimer, &QTimer::timeout, this, [this, generation, before, deadlineMs, onTimeout] {
        if (generation != m_generation) {
            m_pollTimer->stop();
            return;
        }
        QString why;
        if (!targetStillThere(&why)) {
            m_pollTimer->stop();
            return fail(why);
        }
        QList<quint16> fresh;
        const QSet<quint16> ports = loopbackPorts();
        for (quint16 port : ports) {
            if (!before.contains(port))
                fresh.append(port);
        }
        if (m_watchedSignalPort != 0 && !ports.contains(m_watchedSignalPort)) {
            if (const auto holder = ListeningPorts::holderOf(m_watchedSignalPort); holder && *holder != m_pid)
                m_signalPortTaken = true;
        }
        if (!fresh.isEmpty()) {
            m_pollTimer->stop();
            std::sort(fresh.begin(), fresh.end());
            Q_EMIT progress(
                QStringLiteral("Inspector of PID %1 is listening on port %2").arg(m_pid).arg(fresh.first()));
            return tryPorts(fresh, {}, [this](const QString& error) { fail(error); });
        }
        if (nowMs() >= deadlineMs) {
            m_pollTimer->stop();
            onTimeout();
        }
    });
    m_pollTimer->start();
}

void InspectorConnection::connectAndVerify(const QUrl& url, quint16 port, const FailStep& onFailure)
{
    closeClient();
    auto* client = new CdpClient(this);
    m_client = client;
    const int generation = m_generation;
    Q_EMIT progress(QStringLiteral("Connecting to %1").arg(url.toString(QUrl::RemovePath)));

    connect(client, &CdpClient::closed, this, [this, client, generation, onFailure](const QString& reason) {
        if (generation != m_generation || client != m_client)
            return;
        if (m_phase == Phase::Attaching) {
            closeClient();
            return onFailure(reason);
        }
        handleClientClosed(reason);
    });
    connect(client, &CdpClient::eventReceived, this, &InspectorConnection::handleEvent);
    connect(client, &CdpClient::opened, this, [this, client, generation, port, onFailure] {
        if (generation != m_generation || client != m_client)
            return;
        // First of all: a target that finishes its work while we attach
        // must be let go at once, not wait for the debugger to disconnect.
        client->call(
            QStringLiteral("NodeRuntime.notifyWhenWaitingForDisconnect"), {{QStringLiteral("enabled"), true}},
            [](const CdpReply&) {}, m_timeouts.requestMs);
        QJsonObject params{{QStringLiteral("expression"), kIdentityExpression},
            {QStringLiteral("returnByValue"), true}, {QStringLiteral("includeCommandLineAPI"), true},
            {QStringLiteral("silent"), true}};
        client->call(
            QStringLiteral("Runtime.evaluate"), params,
            [this, client, generation, port, onFailure](const CdpReply& reply) {
                if (generation != m_generation || client != m_client)
                    return;
                const QJsonObject value = reply.result.value(QLatin1String("result"))
                                              .toObject()
                                              .value(QLatin1String("value"))
                                              .toObject();
                // A pid that is not a positive 32-bit number is no process id at all.
                const std::optional<qint64> reportedPid = JsonNumber::toInt64(
                    value.value(QLatin1String("pid")), 1, std::numeric_limits<qint32>::max());
                if (!reply.ok || !reportedPid) {
                    closeClient();
                    return onFailure(
                        QStringLiteral("the inspector on port %1 did not say which process it is: %2")
                            .arg(port)
                            .arg(reply.ok ? QStringLiteral("unexpected reply") : reply.error));
                }
                const qint64 theirPid = *reportedPid;
                if (m_pid != 0 && theirPid != m_pid) {
                    // Never sample (or close!) someone else's inspector.
                    closeClient();
                    return fail(
                        QStringLiteral("the inspector on port %1 belongs to PID %2, not PID %3; refusing it")
                            .arg(port)
                            .arg(theirPid)
                            .arg(m_pid));
                }
                if (m_pid == 0)
                    m_target.pid = theirPid;
                m_target.nodeVersion = value.value(QLatin1String("version")).toString();
                m_target.heapLimitBytes
                    = JsonNumber::toInt64(value.value(QLatin1String("heapLimit")), 0).value_or(0);
                m_target.inspectorPort = port;
                if (m_closeWhenVerified)
                    return closeAndFinishDetach();
                finishAttach();
            },
            m_timeouts.requestMs);
    });
    client->open(url, m_timeouts.handshakeMs);
}

void InspectorConnection::finishAttach()
{
    m_phase = Phase::Attached;
    Q_EMIT progress(QStringLiteral("Attached to PID %1 (Node %2) on port %3")
                        .arg(m_target.pid)
                        .arg(m_target.nodeVersion)
                        .arg(m_target.inspectorPort));
    Q_EMIT attached(m_target);
}

void InspectorConnection::handleEvent(const QString& method, const QJsonObject& params)
{
    if (sender() != m_client)
        return;
    if (method == QLatin1String("NodeRuntime.waitingForDisconnect")) {
        if (m_phase == Phase::Attaching) {
            // Finished its work before the attach completed: let it go.
            return fail(QStringLiteral("PID %1 finished its work and is exiting").arg(m_target.pid));
        }
        ++m_generation;
        closeClient();
        m_phase = Phase::Closed;
        Q_EMIT targetFinishing();
        return;
    }
    if (m_phase == Phase::Attached)
        Q_EMIT eventReceived(method, params);
}

void InspectorConnection::handleClientClosed(const QString& reason)
{
    if (m_phase == Phase::Attached) {
        ++m_generation;
        m_phase = Phase::Closed;
        closeClient();
        Q_EMIT connectionLost(reason);
    }
}

void InspectorConnection::closeClient()
{
    if (!m_client)
        return;
    CdpClient* client = m_client;
    m_client = nullptr;
    client->disconnect(this);
    client->close();
    client->deleteLater();
}

void InspectorConnection::detach()
{
    const Phase phase = m_phase;
    if (phase == Phase::Detaching || m_closeWhenVerified)
        return; // already on its way out
    if (phase == Phase::Attached && m_target.inspectorOpenedByUs && m_client && m_client->isOpen()) {
        ++m_generation;
        m_phase = Phase::Detaching;
        closeAndFinishDetach();
        return;
    }
    if (phase == Phase::Attaching && m_target.inspectorOpenedByUs) {
        // We signalled it open and have not closed it yet: see the attach
        // through to where it can be closed again (bounded), rather than
        // leave an open port with nobody attached.
        m_closeWhenVerified = true;
        Q_EMIT progress(
            QStringLiteral("Closing the inspector PID %1 opened for us before leaving").arg(m_pid));
        const int generation = m_generation;
        QTimer::singleShot(m_timeouts.activationMs + m_timeouts.handshakeMs + m_timeouts.requestMs, this,
            [this, generation] {
                if (generation == m_generation && m_closeWhenVerified)
                    finishDetach();
            });
        return; // the identity check (or the attach's failure) takes it from here
    }
    finishDetach();
}

void InspectorConnection::closeAndFinishDetach()
{
    m_phase = Phase::Detaching;
    const int generation = ++m_generation;
    evaluate(
        kCloseExpression,
        [this, generation](bool, const QJsonValue&, const QString&) {
            if (generation != m_generation)
                return;
            awaitTargetClose([this] { QTimer::singleShot(0, this, &InspectorConnection::detached); });
        },
        m_timeouts.requestMs, true);
}

void InspectorConnection::finishDetach()
{
    ++m_generation;
    m_closeWhenVerified = false;
    m_pollTimer->stop();
    m_pollTimer->disconnect();
    closeClient();
    m_phase = Phase::Closed;
    QTimer::singleShot(0, this, &InspectorConnection::detached);
}

void InspectorConnection::awaitTargetClose(const std::function<void()>& done)
{
    const int generation = ++m_generation;
    m_closeWhenVerified = false;
    m_pollTimer->stop();
    m_pollTimer->disconnect();
    m_phase = Phase::Detaching;
    CdpClient* client = m_client;
    if (!client || !client->isOpen()) {
        closeClient();
        m_phase = Phase::Closed;
        done();
        return;
    }
    // Only the target closes the socket now: when both ends close at the
    // same moment, Node's inspector can crash (docs/attach.md). Our side
    // closes only if the target has not within the wait.
    client->disconnect(this);
    auto finished = std::make_shared<bool>(false);
    const auto finish = [this, client, generation, finished, done] {
        if (std::exchange(*finished, true))
            return;
        if (m_client == client)
            closeClient();
        if (generation == m_generation)
            m_phase = Phase::Closed;
        done();
    };
    connect(client, &CdpClient::closed, this, finish);
    // A target that reaches its end meanwhile waits for us to go instead:
    // then we close, and it does not close at the same moment.
    connect(client, &CdpClient::eventReceived, this, [finish](const QString& method, const QJsonObject&) {
        if (method == QLatin1String("NodeRuntime.waitingForDisconnect"))
            finish();
    });
    QTimer::singleShot(kTargetCloseWaitMs, this, finish);
}

void InspectorConnection::release()
{
    ++m_generation;
    m_pollTimer->stop();
    closeClient();
    m_phase = Phase::Closed;
}

void InspectorConnection::call(
    const QString& method, const QJsonObject& params, CdpClient::Callback callback, int timeoutMs)
{
    if (!m_client || !m_client->isOpen()) {
        QTimer::singleShot(0, this, [callback] { callback({false, {}, QStringLiteral("not attached")}); });
        return;
    }
    m_client->call(method, params, std::move(callback), timeoutMs);
}

void InspectorConnection::evaluate(const QString& expression,
    std::function<void(bool ok, const QJsonValue& value, const QString& error)> callback, int timeoutMs,
    bool commandLineApi)
{
    QJsonObject params{{QStringLiteral("expression"), expression}, {QStringLiteral("returnByValue"), true},
        {QStringLiteral("silent"), true}};
    if (commandLineApi)
        params.insert(QStringLiteral("includeCommandLineAPI"), true);
    call(
        QStringLiteral("Runtime.evaluate"), params,
        [callback](const CdpReply& reply) {
            if (!reply.ok)
                return callback(false, {}, reply.error);
            if (reply.result.contains(QLatin1String("exceptionDetails"))) {
                const QJsonObject details = reply.result.value(QLatin1String("exceptionDetails")).toObject();
                QString text = details.value(QLatin1String("exception"))
                                   .toObject()
                                   .value(QLatin1String("description"))
                                   .toString();
                if (text.isEmpty())
                    text = details.value(QLatin1String("text")).toString();
                return callback(false, {}, text.section(QLatin1Char('\n'), 0, 0));
            }
            callback(true,
                reply.result.value(QLatin1String("result")).toObject().value(QLatin1String("value")), {});
        },
        timeoutMs);
}

} // namespace NodeScope

#include "watch/targetaccess.h"

#include "inspector/inspectorconnection.h"
#include "jsonnumber.h"
#include "probe/probechannel.h"
#include "probe/probescript.h"
#include "proc/procfs.h"
#include "watch/probereading.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimer>

namespace NodeScope {

namespace {

const QLatin1String kMemoryExpression("process.memoryUsage()");

// How long the probe has to say hello before we tell the user why we stay
// on the inspector: a process busy in synchronous code turns no event loop.
constexpr int kHelloPatienceMs = 3000;
constexpr int kProbeRequestMs = 3000;
// How much longer than the probe may act on a request we wait for its reply.
constexpr int kLateReplyMarginMs = 1000;
// A worker's title is the app's own string: kept to a printable length.
constexpr int kMaxWorkerTitle = 80;
// More workers than this in one reply is not a process we can chart.
constexpr int kMaxWorkers = 256;

qint64 bytesOf(const QJsonValue& value)
{
    return JsonNumber::toBytes(value).value_or(Sample::kMissingBytes);
}

} // namespace

TargetAccess::TargetAccess(QObject* parent)
    : QObject(parent)
    , m_inspector(new InspectorConnection(this))
    , m_probe(new ProbeChannel(this))
    , m_helloTimer(new QTimer(this))
{
    qRegisterMetaType<NodeScope::TargetAccess::Route>();
    m_helloTimer->setSingleShot(true);
    connect(m_helloTimer, &QTimer::timeout, this, [this] {
        if (m_route == Route::Inspector && m_probe->isListening())
            Q_EMIT progress(
                QStringLiteral("PID %1 has not turned its event loop for %2 s (busy in synchronous code?): "
                               "sampling through the inspector until it does")
                    .arg(m_pid)
                    .arg(kHelloPatienceMs / 1000));
    });

    connect(m_inspector, &InspectorConnection::progress, this, &TargetAccess::progress);
    connect(m_inspector, &InspectorConnection::attached, this, [this](const TargetInfo& target) {
        m_target = target;
        m_route = Route::Inspector;
        Q_EMIT attached(target);
        if (m_pid > 0 && m_options.installProbe)
            installProbe();
    });
    connect(m_inspector, &InspectorConnection::attachFailed, this, [this](const QString& reason) {
        if (!m_detaching)
            Q_EMIT attachFailed(reason);
    });
    connect(m_inspector, &InspectorConnection::connectionLost, this, [this](const QString& reason) {
        if (m_detaching || m_route != Route::Inspector)
            return; // the probe carries on; the inspector's close was ours
        m_probe->close(QStringLiteral("the inspector went away first"));
        setRoute(Route::None, {});
        Q_EMIT lost(reason);
    });
    connect(m_inspector, &InspectorConnection::targetFinishing, this, [this] {
        if (m_route == Route::Inspector) {
            m_probe->close(QStringLiteral("the target is exiting"));
            setRoute(Route::None, {});
            Q_EMIT targetFinishing();
        }
    });
    connect(m_inspector, &InspectorConnection::eventReceived, this,
        [this](const QString& method, const QJsonObject& params) {
            if (m_route != Route::Inspector)
                return;
            if (method == QLatin1String("HeapProfiler.addHeapSnapshotChunk"))
                Q_EMIT heapSnapshotChunk(params.value(QLatin1String("chunk")).toString());
            else
                Q_EMIT cdpEvent(method, params);
        });

    connect(m_probe, &ProbeChannel::connected, this, &TargetAccess::probeConnected);
    connect(m_probe, &ProbeChannel::closed, this, &TargetAccess::probeClosed);
    connect(m_probe, &ProbeChannel::readingsReceived, this, [this](const QJsonArray& batch) {
        if (m_route != Route::Probe)
            return;
        QList<TargetReading> readings;
        readings.reserve(batch.size());
        for (const QJsonValue& value : batch) {
            if (std::optional<TargetReading> reading = ProbeReading::parse(value.toObject()))
                readings.append(*reading);
        }
        if (!readings.isEmpty())
            Q_EMIT readingsStreamed(readings);
    });
    connect(m_probe, &ProbeChannel::eventReceived, this,
        [this](const QString& method, const QJsonObject& params, const QJsonArray& worker) {
            if (m_route != Route::Probe)
                return;
            if (method == QLatin1String("NodeScope.heapSnapshotChunk"))
                Q_EMIT heapSnapshotChunk(params.value(QLatin1String("chunk")).toString());
            else if (!worker.isEmpty())
                Q_EMIT cdpEvent(method, params, qint64(qBound(0.0, worker.at(0).toDouble(), 1.0e15)),
                    worker.at(1).toString().left(kMaxWorkerTitle));
            else
                Q_EMIT cdpEvent(method, params);
        });
}

TargetAccess::~TargetAccess() = default;

void TargetAccess::setRoute(Route route, const QString& message)
{
    const bool changed = route != m_route;
    m_route = route;
    if (route != Route::Probe)
        m_cdpSessionOpen = false;
    if (changed)
        Q_EMIT routeChanged(route, message);
}

void TargetAccess::attachToPid(qint64 pid, const Options& options)
{
    m_probe->close(QStringLiteral("restarted"));
    m_helloTimer->stop();
    m_route = Route::None;
    m_cdpSessionOpen = false;
    m_detaching = false;
    m_options = options;
    m_pid = pid;
    m_target = TargetInfo{};
    m_inspector->attachToPid(pid);
}

void TargetAccess::attachToAddress(const QString& host, quint16 port)
{
    m_probe->close(QStringLiteral("restarted"));
    m_helloTimer->stop();
    m_route = Route::None;
    m_cdpSessionOpen = false;
    m_detaching = false;
    m_pid = 0;
    m_target = TargetInfo{};
    m_inspector->attachToAddress(host, port);
}

void TargetAccess::installProbe()
{
    QString error;
    const auto status = Procfs::parseStatus(Procfs::readFile(QStringLiteral("/proc/%1/status").arg(m_pid)));
    if (!status || !m_probe->listen(m_pid, status->realUid, &error)) {
        if (!status)
            error = QStringLiteral("PID %1 is gone").arg(m_pid);
        Q_EMIT progress(QStringLiteral("No probe (%1): sampling through the inspector, which stays open "
                                       "and costs the process more")
                            .arg(error));
        return;
    }
    Q_EMIT progress(QStringLiteral("Installing NodeScope's probe in PID %1").arg(m_pid));
    m_inspector->evaluate(
        ProbeScript::installExpression(m_probe->targetPath(), m_probe->token()),
        [this](bool ok, const QJsonValue&, const QString& why) {
            // The probe may say hello before this reply (and our session then goes).
            if (m_detaching || m_route != Route::Inspector || m_probe->isConnected())
                return;
            if (!ok) {
                m_probe->close(QStringLiteral("not installed"));
                Q_EMIT progress(
                    QStringLiteral("The probe could not be installed (%1): sampling through the inspector, "
                                   "which stays open and costs the process more")
                        .arg(why));
                return;
            }
            if (!m_probe->isConnected())
                m_helloTimer->start(kHelloPatienceMs);
        },
        kProbeRequestMs, true);
}

void TargetAccess::probeConnected(const QJsonObject& hello)
{
    m_helloTimer->stop();
    if (m_detaching) {
        m_probe->stop();
        return;
    }
    if (m_target.heapLimitBytes <= 0)
        m_target.heapLimitBytes = bytesOf(hello.value(QLatin1String("heapLimit")));
    const bool openedByUs = m_target.inspectorOpenedByUs;
    const quint16 port = m_target.inspectorPort;
    setRoute(Route::Probe,
        openedByUs
            ? QStringLiteral("Watching through NodeScope's probe; the inspector is closed again, so watching "
                             "costs the process next to nothing")
            : QStringLiteral("Watching through NodeScope's probe; the process's own inspector on port %1 is "
                             "left as it was")
                  .arg(port));
    if (!openedByUs) {
        m_inspector->release(); // the process's own inspector stays open, as we found it
        return;
    }
    // The probe closes the inspector we opened, in a turn of the process's
    // own event loop, and the target then closes our session itself.
    m_inspector->awaitTargetClose([] {});
    m_probe->request(
        QJsonObject{{QStringLiteral("op"), QStringLiteral("closeInspector")}},
        [this, port](const ProbeChannel::Reply& reply) {
            if (!reply.ok)
                Q_EMIT progress(
                    QStringLiteral("The probe could not close the inspector (%1): it stays open on port %2")
                        .arg(reply.error)
                        .arg(port));
        },
        kProbeRequestMs);
}

void TargetAccess::probeClosed(const QString& reason)
{
    m_helloTimer->stop();
    if (m_detaching || m_route != Route::Probe)
        return;
    setRoute(Route::None, {});
    // A process that exited closes its end too: the OS figures tell that.
    if (QFileInfo::exists(QStringLiteral("/proc/%1").arg(m_pid)))
        Q_EMIT lost(QStringLiteral("the probe's connection closed (%1)").arg(reason));
}

void TargetAccess::streamReadings(int everyMs, int batchMs, std::function<void(bool streaming)> done)
{
    if (m_route != Route::Probe) {
        QTimer::singleShot(0, this, [done] { done(false); });
        return;
    }
    m_probe->request(
        QJsonObject{{QStringLiteral("op"), QStringLiteral("stream")}, {QStringLiteral("everyMs"), everyMs},
            {QStringLiteral("batchMs"), batchMs}},
        [done](const ProbeChannel::Reply& reply) {
            done(reply.ok && reply.message.value(QLatin1String("streaming")).toBool());
        },
        kProbeRequestMs);
}

void TargetAccess::read(
    std::function<void(std::optional<TargetReading>, const QString&)> callback, int timeoutMs)
{
    if (m_route == Route::Probe) {
        m_probe->request(
            QJsonObject{{QStringLiteral("op"), QStringLiteral("sample")}},
            [callback](const ProbeChannel::Reply& reply) {
                if (!reply.ok)
                    return callback(std::nullopt, reply.error);
                const std::optional<TargetReading> reading = ProbeReading::parse(reply.message);
                callback(reading,
                    reading ? QString() : QStringLiteral("the probe's sample had no memory figures"));
            },
            timeoutMs);
        return;
    }
    if (m_route == Route::Inspector) {
        m_inspector->evaluate(
            kMemoryExpression,
            [this, callback, timeoutMs](bool ok, const QJsonValue& value, const QString& error) {
                // The probe took over while this was under way, and releasing
                // the inspector session failed it: ask the probe instead of
                // losing the sample's heap figures.
                if (!ok && m_route == Route::Probe)
                    return read(callback, timeoutMs);
                if (!ok || !value.isObject())
                    return callback(
                        std::nullopt, ok ? QStringLiteral("process.memoryUsage() gave no object") : error);
                const QJsonObject usage = value.toObject();
                TargetReading reading;
                reading.rssBytes = bytesOf(usage.value(QLatin1String("rss")));
                reading.heapTotalBytes = bytesOf(usage.value(QLatin1String("heapTotal")));
                reading.heapUsedBytes = bytesOf(usage.value(QLatin1String("heapUsed")));
                reading.externalBytes = bytesOf(usage.value(QLatin1String("external")));
                reading.arrayBuffersBytes = bytesOf(usage.value(QLatin1String("arrayBuffers")));
                callback(reading, {});
            },
            timeoutMs);
        return;
    }
    QTimer::singleShot(0, this, [callback] { callback(std::nullopt, QStringLiteral("not attached")); });
}

namespace {

QList<HeapSpace> heapSpacesFrom(const QJsonArray& spaces)
{
    QList<HeapSpace> result;
    for (const QJsonValue& value : spaces) {
        const QJsonObject space = value.toObject();
        HeapSpace entry;
        entry.name = space.value(QLatin1String("space_name")).toString().left(64);
        entry.sizeBytes = qMax<qint64>(0, bytesOf(space.value(QLatin1String("space_size"))));
        entry.usedBytes = qMax<qint64>(0, bytesOf(space.value(QLatin1String("space_used_size"))));
        entry.availableBytes = qMax<qint64>(0, bytesOf(space.value(QLatin1String("space_available_size"))));
        entry.physicalBytes = qMax<qint64>(0, bytesOf(space.value(QLatin1String("physical_space_size"))));
        if (!entry.name.isEmpty())
            result.append(entry);
    }
    return result;
}

} // namespace

void TargetAccess::heapSpaces(std::function<void(std::optional<QList<HeapSpace>>, const QString&)> callback)
{
    if (m_route == Route::Probe) {
        m_probe->request(
            QJsonObject{{QStringLiteral("op"), QStringLiteral("heapSpaces")}},
            [callback](const ProbeChannel::Reply& reply) {
                if (!reply.ok)
                    return callback(std::nullopt, reply.error);
                callback(heapSpacesFrom(reply.message.value(QLatin1String("spaces")).toArray()), {});
            },
            kProbeRequestMs);
        return;
    }
    if (m_route == Route::Inspector) {
        // The command-line API provides require where getBuiltinModule is missing (Node < 20.16).
        m_inspector->evaluate(
            QStringLiteral("(typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('v8') "
                           ": require('v8')).getHeapSpaceStatistics()"),
            [callback](bool ok, const QJsonValue& value, const QString& error) {
                if (!ok)
                    return callback(std::nullopt, error);
                callback(heapSpacesFrom(value.toArray()), {});
            },
            kProbeRequestMs, true);
        return;
    }
    QTimer::singleShot(0, this, [callback] { callback(std::nullopt, QStringLiteral("not attached")); });
}

void TargetAccess::cdp(
    const QString& method, const QJsonObject& params, CdpClient::Callback callback, int timeoutMs)
{
    if (m_route == Route::Probe)
        m_cdpSessionOpen = true;
    cdpInSession({}, method, params, std::move(callback), timeoutMs);
}

void TargetAccess::cdpInSession(const QString& session, const QString& method, const QJsonObject& params,
    CdpClient::Callback callback, int timeoutMs)
{
    if (m_route == Route::Probe) {
        QJsonObject message{
            {QStringLiteral("op"), QStringLiteral("cdp")}, {QStringLiteral("method"), method}};
        if (!params.isEmpty())
            message.insert(QStringLiteral("params"), params);
        if (!session.isEmpty())
            message.insert(QStringLiteral("session"), session);
        m_probe->request(
            message,
            [callback](const ProbeChannel::Reply& reply) {
                CdpReply result;
                result.ok = reply.ok;
                result.error = reply.error;
                result.result = reply.message.value(QLatin1String("result")).toObject();
                callback(result);
            },
            timeoutMs);
        return;
    }
    m_inspector->call(method, params, std::move(callback), timeoutMs);
}

void TargetAccess::takeHeapSnapshot(std::function<void(bool, const QString&)> done, int timeoutMs)
{
    if (m_route == Route::Probe) {
        m_probe->request(
            QJsonObject{{QStringLiteral("op"), QStringLiteral("heapSnapshot")}},
            [done](const ProbeChannel::Reply& reply) { done(reply.ok, reply.error); }, timeoutMs);
        return;
    }
    m_inspector->call(
        QStringLiteral("HeapProfiler.takeHeapSnapshot"),
        {{QStringLiteral("reportProgress"), false}, {QStringLiteral("captureNumericValue"), false}},
        [done](const CdpReply& reply) { done(reply.ok, reply.error); }, timeoutMs);
}

void TargetAccess::releaseCdp()
{
    if (m_route != Route::Probe || !m_cdpSessionOpen)
        return;
    m_cdpSessionOpen = false;
    m_probe->request(
        QJsonObject{{QStringLiteral("op"), QStringLiteral("closeSession")}},
        [](const ProbeChannel::Reply&) {}, kProbeRequestMs);
}

void TargetAccess::releaseCdpSession(const QString& session)
{
    if (m_route != Route::Probe)
        return;
    m_probe->request(
        QJsonObject{
            {QStringLiteral("op"), QStringLiteral("closeSession")}, {QStringLiteral("session"), session}},
        [](const ProbeChannel::Reply&) {}, kProbeRequestMs);
}

void TargetAccess::readWorkers(bool look, bool consoleTimers,
    std::function<void(std::optional<WorkersReading>, const QString&)> callback)
{
    if (m_route != Route::Probe) {
        QTimer::singleShot(0, this, [callback] { callback(std::nullopt, QStringLiteral("no probe")); });
        return;
    }
    // The reply never waits for a worker (the probe answers with what the
    // workers last said), only for the main thread's event loop.
    m_probe->request(
        QJsonObject{{QStringLiteral("op"), QStringLiteral("workers")}, {QStringLiteral("look"), look},
            {QStringLiteral("console"), consoleTimers}},
        [callback](const ProbeChannel::Reply& reply) {
            if (!reply.ok)
                return callback(std::nullopt, reply.error);
            // [[threadId, title, heapUsed, heapTotal, wallMs]...]; figures
            // null until the worker first answered.
            WorkersReading reading;
            reading.watching = reply.message.value(QLatin1String("watching")).toBool();
            const QJsonArray workers = reply.message.value(QLatin1String("workers")).toArray();
            for (const QJsonValue& value : workers) {
                const QJsonArray entry = value.toArray();
                const qint64 threadId = bytesOf(entry.at(0));
                if (threadId <= 0 || reading.workers.size() >= kMaxWorkers)
                    continue;
                WorkerHeap worker;
                worker.threadId = threadId;
                worker.title = entry.at(1).toString().left(kMaxWorkerTitle);
                const qint64 used = bytesOf(entry.at(2));
                const qint64 total = bytesOf(entry.at(3));
                const qint64 wallMs = bytesOf(entry.at(4));
                if (used != Sample::kMissingBytes && total != Sample::kMissingBytes && wallMs > 0) {
                    worker.heapUsedBytes = used;
                    worker.heapTotalBytes = total;
                    worker.wallMs = wallMs;
                }
                reading.workers.append(worker);
            }
            callback(reading, {});
        },
        kProbeRequestMs);
}

void TargetAccess::stopReadingWorkers()
{
    if (m_route != Route::Probe)
        return;
    m_probe->request(
        QJsonObject{{QStringLiteral("op"), QStringLiteral("workers")}, {QStringLiteral("close"), true}},
        [](const ProbeChannel::Reply&) {}, kProbeRequestMs);
}

void TargetAccess::openInspector(int patienceMs, InspectorOpened callback)
{
    if (m_route != Route::Probe) {
        QTimer::singleShot(0, this, [callback] { callback({}, false, QStringLiteral("no probe")); });
        return;
    }
    // The probe compares with its own clock: the same machine's. We wait a
    // second longer than it may act, so an inspector it opens at the last
    // moment is never one we have stopped waiting for (and would not close).
    const qint64 until = QDateTime::currentMSecsSinceEpoch() + patienceMs;
    m_probe->request(
        QJsonObject{{QStringLiteral("op"), QStringLiteral("openInspector")},
            {QStringLiteral("until"), double(until)}},
        [callback](const ProbeChannel::Reply& reply) {
            if (!reply.ok)
                return callback({}, false, reply.error);
            const QUrl url(reply.message.value(QLatin1String("url")).toString());
            if (!url.isValid() || url.port() <= 0)
                return callback({}, false, QStringLiteral("the probe gave no inspector address"));
            callback(url, reply.message.value(QLatin1String("openedByProbe")).toBool(), {});
        },
        patienceMs + kLateReplyMarginMs);
}

void TargetAccess::closeInspector(std::function<void(const QString&)> callback)
{
    m_probe->request(
        QJsonObject{{QStringLiteral("op"), QStringLiteral("closeInspector")}},
        [callback](const ProbeChannel::Reply& reply) { callback(reply.ok ? QString() : reply.error); },
        kProbeRequestMs);
}

void TargetAccess::detach()
{
    if (m_detaching)
        return;
    m_detaching = true;
    m_helloTimer->stop();
    // The probe removes itself (and anything it opened); a probe that never
    // connected finds no socket and removes itself when it tries.
    if (m_probe->isConnected())
        m_probe->stop();
    else
        m_probe->close(QStringLiteral("detached"));
    const InspectorConnection::Phase phase = m_inspector->phase();
    if (phase == InspectorConnection::Phase::Attached || phase == InspectorConnection::Phase::Attaching) {
        connect(m_inspector, &InspectorConnection::detached, this, &TargetAccess::finishDetach,
            Qt::SingleShotConnection);
        m_inspector->detach();
        return;
    }
    QTimer::singleShot(0, this, &TargetAccess::finishDetach);
}

void TargetAccess::finishDetach()
{
    m_detaching = false;
    setRoute(Route::None, {});
    Q_EMIT detached();
}

} // namespace NodeScope

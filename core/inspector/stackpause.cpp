#include "inspector/stackpause.h"

#include "inspector/inspectorconnection.h"

#include <QDateTime>
#include <QTimer>

namespace NodeScope {

namespace {

// Scripts remembered for frames without a URL: an app with more is rare,
// and one frame without a URL is no loss.
constexpr int kMaxScripts = 100000;

double elapsedMs(const QElapsedTimer& clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

} // namespace

StackPause::StackPause(InspectorConnection* connection, QObject* parent)
    : QObject(parent)
    , m_connection(connection)
    , m_idleTimer(new QTimer(this))
{
    m_idleTimer->setSingleShot(true);
    connect(m_idleTimer, &QTimer::timeout, this, &StackPause::giveUpWaiting);
    connect(connection, &InspectorConnection::eventReceived, this, &StackPause::handleEvent);
    connect(connection, &InspectorConnection::connectionLost, this, [this](const QString& reason) {
        fail(QStringLiteral("the inspector connection closed: %1").arg(reason));
    });
}

StackPause::~StackPause() = default;

void StackPause::run(int idleWaitMs)
{
    if (!m_connection || !m_connection->isAttached())
        return fail(QStringLiteral("no inspector session"));
    m_phase = Phase::Enabling;
    m_connection->call(
        QStringLiteral("Debugger.enable"), {},
        [this, idleWaitMs](const CdpReply& reply) {
            if (m_phase != Phase::Enabling)
                return;
            if (!reply.ok)
                return fail(QStringLiteral("Debugger.enable failed: %1").arg(reply.error));
            m_phase = Phase::WaitingForPause;
            m_connection->call(
                QStringLiteral("Debugger.pause"), {},
                [this](const CdpReply& pauseReply) {
                    if (!pauseReply.ok && m_phase == Phase::WaitingForPause)
                        fail(QStringLiteral("Debugger.pause failed: %1").arg(pauseReply.error));
                },
                kRequestTimeoutMs);
            m_idleTimer->start(idleWaitMs);
        },
        kRequestTimeoutMs);
}

void StackPause::handleEvent(const QString& method, const QJsonObject& params)
{
    if (method == QLatin1String("Debugger.scriptParsed")) {
        if (m_scriptUrls.size() < kMaxScripts)
            m_scriptUrls.insert(params.value(QLatin1String("scriptId")).toString(),
                params.value(QLatin1String("url")).toString());
        return;
    }
    if (method != QLatin1String("Debugger.paused") || !m_connection)
        return;
    if (m_phase != Phase::WaitingForPause) {
        // A pause we had called off came anyway: never leave the process held.
        m_connection->call(
            QStringLiteral("Debugger.resume"), {}, [](const CdpReply&) {}, kRequestTimeoutMs);
        return;
    }
    m_idleTimer->stop();
    // Held from the break to the resume: from the paused event here to the
    // resume's reply here, the two messages' travel roughly cancelling out.
    m_pauseClock.start();
    m_phase = Phase::Resuming;
    const qint64 wallMs = QDateTime::currentMSecsSinceEpoch();
    // Resume first, read the frames after: the process waits for nothing of ours.
    m_connection->call(
        QStringLiteral("Debugger.resume"), {},
        [this, params, wallMs](const CdpReply& reply) {
            if (m_phase != Phase::Resuming)
                return;
            if (!reply.ok)
                return fail(QStringLiteral("Debugger.resume failed: %1").arg(reply.error));
            const double pausedMs = elapsedMs(m_pauseClock);
            StackSnapshot snapshot = StackSnapshot::fromPausedEvent(params, m_scriptUrls);
            snapshot.wallMs = wallMs;
            snapshot.pausedMs = pausedMs;
            finish(snapshot);
        },
        kRequestTimeoutMs);
}

void StackPause::giveUpWaiting()
{
    if (m_phase != Phase::WaitingForPause)
        return;
    StackSnapshot snapshot;
    snapshot.idle = true;
    snapshot.pausedMs = 0;
    snapshot.wallMs = QDateTime::currentMSecsSinceEpoch();
    finish(snapshot);
}

void StackPause::finish(const StackSnapshot& snapshot)
{
    m_phase = Phase::Done;
    // Disabling calls off a pause still pending (an idle process) and lets
    // V8 drop its debugging state.
    if (m_connection)
        m_connection->call(
            QStringLiteral("Debugger.disable"), {}, [](const CdpReply&) {}, kRequestTimeoutMs);
    Q_EMIT captured(snapshot);
}

void StackPause::fail(const QString& reason)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_idleTimer->stop();
    if (m_connection && m_connection->isAttached())
        m_connection->call(
            QStringLiteral("Debugger.disable"), {}, [](const CdpReply&) {}, kRequestTimeoutMs);
    Q_EMIT failed(reason);
}

} // namespace NodeScope

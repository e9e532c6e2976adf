#pragma once

// One verified inspector session with one Node process.
//
// Attaching to a PID: use an inspector it already has (found through /proc,
// asked for its WebSocket URL), or open one with SIGUSR1 -- only when the
// process catches that signal, because it kills a process that doesn't. Every
// connection is verified: the target's own process.pid must be the PID asked
// for. NodeRuntime.notifyWhenWaitingForDisconnect is the first thing sent and
// honoured at once, so a target that finishes its work exits instead of
// waiting for the debugger. An inspector NodeScope opened is closed again:
// by the probe once it runs (TargetAccess), or here on detach, at the next
// turn of the target's event loop.

#include "inspector/cdpclient.h"
#include "proc/nodecommandline.h"
#include "types.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace NodeScope {

class InspectorConnection : public QObject {
    Q_OBJECT
public:
    enum class Phase { Idle, Attaching, Attached, Detaching, Closed };

    struct Timeouts {
        int endpointMs = 1000; // GET /json/list
        int handshakeMs = 3000; // WebSocket open
        int requestMs = 3000; // each CDP request during attach/detach
        int activationMs = 3000; // SIGUSR1 until the port listens (it takes ~100 ms)
    };

    explicit InspectorConnection(QObject* parent = nullptr);
    ~InspectorConnection() override;

    void setTimeouts(const Timeouts& timeouts) { m_timeouts = timeouts; }

    // Emits attached() or attachFailed(), never both, never neither.
    void attachToPid(qint64 pid);
    // An inspector elsewhere (container, tunnel): nothing to open or close.
    // With expectedPid the target must say it is that process.
    void attachToAddress(const QString& host, quint16 port, qint64 expectedPid = 0);
    // Closes what we opened and disconnects; emits detached() once done.
    // Mid-attach after signalling the target, it first gets far enough to
    // close the inspector the signal opened (bounded by the timeouts).
    void detach();
    // Lets the session go without closing the inspector (it was the
    // process's own). No signal follows.
    void release();
    // The target is closing its inspector (the probe was asked to): waits
    // for it to close our session rather than closing from our side too,
    // then calls done (our side closes after a few seconds at the latest).
    void awaitTargetClose(const std::function<void()>& done);

    Phase phase() const { return m_phase; }
    bool isAttached() const { return m_phase == Phase::Attached; }
    TargetInfo target() const { return m_target; }

    // A CDP request on the attached session; fails at once when not attached.
    void call(const QString& method, const QJsonObject& params, CdpClient::Callback callback, int timeoutMs);
    // Runtime.evaluate with returnByValue; the callback gets the value or an error.
    void evaluate(const QString& expression,
        std::function<void(bool ok, const QJsonValue& value, const QString& error)> callback, int timeoutMs,
        bool commandLineApi = false);

Q_SIGNALS:
    void progress(const QString& message);
    void attached(const NodeScope::TargetInfo& target);
    void attachFailed(const QString& reason);
    // The session ended without us asking (socket dropped, target gone).
    void connectionLost(const QString& reason);
    // The target finished its work and waited for us; we let it go.
    void targetFinishing();
    void detached();
    // Every CDP event of the attached session (Runtime.consoleAPICalled...).
    void eventReceived(const QString& method, const QJsonObject& params);

private:
    using Step = std::function<void()>;
    using FailStep = std::function<void(const QString&)>;

    void fail(const QString& reason);
    void tryPorts(QList<quint16> ports, const QString& lastError, const FailStep& whenNoneAnswers);
    void activateBySignal(const QString& whyNoInspector);
    void pollForNewPort(const QSet<quint16>& before, qint64 deadlineMs, const Step& onTimeout);
    void connectAndVerify(const QUrl& url, quint16 port, const FailStep& onFailure);
    void finishAttach();
    void closeAndFinishDetach();
    void finishDetach();
    void closeClient();
    QSet<quint16> loopbackPorts() const;
    bool targetStillThere(QString* why) const;
    double processAgeSeconds() const; // -1 when unknown
    void handleClientClosed(const QString& reason);
    void handleEvent(const QString& method, const QJsonObject& params);

    Timeouts m_timeouts;
    Phase m_phase = Phase::Idle;
    int m_generation = 0; // bumps on every attach/detach; stale callbacks check it
    qint64 m_pid = 0;
    quint64 m_startTimeTicks = 0;
    NodeCommandLine m_flags;
    bool m_closeWhenVerified = false; // detach() came mid-attach: close what we opened, then leave
    qint64 m_portWaitDeadlineMs = 0; // waiting for another process to free the signal port
    int m_signalRetries = 0;
    bool m_waitingForHandler = false;
    quint16 m_watchedSignalPort = 0; // while waiting for our signal to open it
    bool m_signalPortTaken = false; // someone else held it meanwhile
    QSet<quint16> m_portsBeforeSignal;
    TargetInfo m_target;
    QNetworkAccessManager* m_network = nullptr;
    QPointer<CdpClient> m_client;
    QTimer* m_pollTimer = nullptr;
};

} // namespace NodeScope

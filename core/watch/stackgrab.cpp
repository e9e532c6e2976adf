#include "watch/stackgrab.h"

#include "inspector/inspectorconnection.h"
#include "inspector/stackpause.h"
#include "proc/listeningports.h"
#include "watch/targetaccess.h"

#include <QTimer>

namespace NodeScope {

StackGrab::StackGrab(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<NodeScope::StackSnapshot>();
}

StackGrab::~StackGrab() = default;

void StackGrab::begin()
{
    m_clock.start();
    m_reachedProcess = false;
    m_finished = false;
    m_probeOpened = false;
    m_nodeVersion.clear();
}

InspectorConnection* StackGrab::freshConnection()
{
    if (m_own) {
        m_own->disconnect(this);
        m_own->deleteLater();
    }
    m_own = new InspectorConnection(this);
    connect(m_own, &InspectorConnection::progress, this, &StackGrab::progress);
    return m_own;
}

void StackGrab::grabFromPid(qint64 pid, const Options& options)
{
    begin();
    m_options = options;
    m_pid = pid;
    attachBySignal({});
}

void StackGrab::attachBySignal(const QString& why)
{
    InspectorConnection* connection = freshConnection();
    connect(connection, &InspectorConnection::attached, this, [this, connection](const TargetInfo& target) {
        m_nodeVersion = target.nodeVersion;
        grabOn(connection,
            target.inspectorOpenedByUs
                ? QStringLiteral("its inspector, opened with SIGUSR1 for this and closed again")
                : QStringLiteral("its own inspector on port %1, left open as found")
                      .arg(target.inspectorPort));
    });
    connect(connection, &InspectorConnection::attachFailed, this, [this, why](const QString& reason) {
        Q_EMIT failed(why.isEmpty() ? reason : QStringLiteral("%1; %2").arg(why, reason));
        finish({});
    });
    connection->attachToPid(m_pid);
}

void StackGrab::grabThrough(TargetAccess* access, const Options& options)
{
    begin();
    m_options = options;
    m_access = access;
    m_pid = access ? access->pid() : 0;
    if (!access || !access->isAttached()) {
        QTimer::singleShot(0, this, [this] {
            Q_EMIT failed(QStringLiteral("a stack needs an attached Node process"));
            finish({});
        });
        return;
    }
    m_nodeVersion = access->target().nodeVersion;
    if (access->route() == TargetAccess::Route::Inspector) {
        QTimer::singleShot(0, this, [this] {
            if (m_access && m_access->route() == TargetAccess::Route::Inspector) {
                // The probe taking over closes this session under the grab.
                connect(m_access, &TargetAccess::routeChanged, this, &StackGrab::wayInChanged);
                grabOn(m_access->inspector(), QStringLiteral("NodeScope's inspector session"));
            } else
                attachBySignal({});
        });
        return;
    }
    Q_EMIT progress(QStringLiteral("Asking NodeScope's probe in PID %1 to open its inspector").arg(m_pid));
    access->openInspector(
        m_options.probePatienceMs, [this](const QUrl& url, bool openedByProbe, const QString& error) {
            if (!error.isEmpty()) {
                // A blocked loop cannot answer; the inspector still can, by interrupt.
                const QString why = QStringLiteral("the probe did not open the inspector (%1)").arg(error);
                Q_EMIT progress(
                    QStringLiteral("%1: reaching PID %2 the way an attach does").arg(why).arg(m_pid));
                return attachBySignal(why);
            }
            m_probeOpened = openedByProbe;
            InspectorConnection* connection = freshConnection();
            connect(connection, &InspectorConnection::attached, this, [this, connection, url, openedByProbe] {
                grabOn(connection,
                    openedByProbe
                        ? QStringLiteral("its inspector, opened by NodeScope's probe on port %1 for this and "
                                         "closed again")
                              .arg(url.port())
                        : QStringLiteral("its own inspector on port %1, left open as found").arg(url.port()));
            });
            connect(connection, &InspectorConnection::attachFailed, this, [this](const QString& reason) {
                Q_EMIT failed(reason);
                leave();
            });
            connection->attachToAddress(QStringLiteral("127.0.0.1"), quint16(url.port()), m_pid);
        });
}

void StackGrab::wayInChanged()
{
    if (m_access)
        m_access->disconnect(this);
    if (!m_pause || m_finished)
        return;
    m_pause->disconnect(this);
    Q_EMIT failed(QStringLiteral("NodeScope's probe took over from the inspector while the stack was being "
                                 "taken; take it again"));
    finish({});
}

void StackGrab::grabOn(InspectorConnection* connection, const QString& via)
{
    m_via = via;
    m_reachedProcess = true;
    Q_EMIT progress(QStringLiteral("Pausing PID %1's main thread for its stack").arg(m_pid));
    delete m_pause;
    m_pause = new StackPause(connection, this);
    connect(m_pause, &StackPause::captured, this, [this](const StackSnapshot& taken) {
        StackSnapshot snapshot = taken;
        snapshot.pid = m_pid;
        snapshot.nodeVersion = m_nodeVersion;
        snapshot.via = m_via;
        snapshot.tookMs = double(m_clock.nsecsElapsed()) / 1e6;
        Q_EMIT captured(snapshot);
        leave();
    });
    connect(m_pause, &StackPause::failed, this, [this](const QString& reason) {
        Q_EMIT failed(reason);
        leave();
    });
    m_pause->run(m_options.idleWaitMs);
}

void StackGrab::leave()
{
    if (m_access)
        m_access->disconnect(this);
    InspectorConnection* connection = m_own;
    if (!connection) // the watching session's own inspector: nothing of ours to close
        return finish({});
    const TargetInfo target = connection->target();
    if (m_probeOpened && m_access) {
        // The probe closes what it opened; the target then closes our session
        // (closing both ends at once can crash Node's inspector: docs/attach.md).
        connection->awaitTargetClose([this] { finish({}); });
        m_access->closeInspector([this](const QString& error) {
            if (!error.isEmpty())
                Q_EMIT progress(QStringLiteral("The probe could not close the inspector: %1").arg(error));
        });
        return;
    }
    if (m_probeOpened || connection->phase() != InspectorConnection::Phase::Attached
        || !target.inspectorOpenedByUs) {
        connection->release(); // the process's own inspector (or none) stays as it was
        return finish({});
    }
    connect(connection, &InspectorConnection::detached, this, [this, target] {
        // Node closes the inspector the signal opened at its next loop turn.
        QString note;
        const auto ports = ListeningPorts::ofProcess(m_pid);
        for (const Procfs::ListeningSocket& socket : ports.value_or(QList<Procfs::ListeningSocket>())) {
            if (socket.port == target.inspectorPort)
                note = QStringLiteral("PID %1 is busy in synchronous code: the inspector NodeScope opened on "
                                      "port %2 closes at its next event-loop turn")
                           .arg(m_pid)
                           .arg(target.inspectorPort);
        }
        finish(note);
    });
    connection->detach();
}

void StackGrab::finish(const QString& note)
{
    if (m_finished)
        return;
    m_finished = true;
    QTimer::singleShot(0, this, [this, note] { Q_EMIT finished(note); });
}

} // namespace NodeScope

#pragma once

// "What is it doing?": the main thread's JavaScript stack of one Node
// process, now, taken so that the process is left as it was found.
//
// A stack needs an inspector session on another thread than the one it
// stops (StackPause), so:
// - a process watched through its inspector (TargetAccess on the inspector
//   route) is asked on that session;
// - a process watched through the probe is asked to open its inspector on a
//   random loopback port (no clash with 9229, a PID check as on every
//   connection), and closes it again right after. During a stall the probe
//   cannot answer, and a request it reaches late is refused there; then,
// - as for a process nobody watches (`nodescope stack`), the attach path of
//   InspectorConnection: an inspector the process has, or SIGUSR1 with all
//   its safety checks. An inspector opened by signal is closed at the
//   process's next event-loop turn (a close before it would be undone by
//   Node), so a process spinning for good keeps it open until it turns:
//   the snapshot's note says so.

#include "inspector/stacksnapshot.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace NodeScope {

class InspectorConnection;
class StackPause;
class TargetAccess;

class StackGrab : public QObject {
    Q_OBJECT
public:
    struct Options {
        int idleWaitMs = 1000; // no JavaScript ran within this: the thread is idle
        int probePatienceMs = 1000; // the probe's answer to "open the inspector"
    };

    explicit StackGrab(QObject* parent = nullptr);
    ~StackGrab() override;

    // A process NodeScope does not watch: its own inspector, or SIGUSR1.
    void grabFromPid(qint64 pid, const Options& options);
    // A process a TargetAccess watches (through the probe or the inspector).
    void grabThrough(TargetAccess* access, const Options& options);
    // Whether a verified inspector session was reached (a failure after it
    // is not the process's being unreachable).
    bool reachedProcess() const { return m_reachedProcess; }

Q_SIGNALS:
    void progress(const QString& message);
    // The stack (captured) or why not (failed), once; cleanup may go on.
    void captured(const NodeScope::StackSnapshot& snapshot);
    void failed(const QString& reason);
    // Everything this grab opened is closed again (or, see note, closing at
    // the next turn of the process's loop). Always follows captured/failed.
    void finished(const QString& note);

private:
    void begin();
    void attachBySignal(const QString& why);
    void grabOn(InspectorConnection* connection, const QString& via);
    void leave();
    void wayInChanged();
    void finish(const QString& note);
    InspectorConnection* freshConnection();

    QPointer<TargetAccess> m_access;
    InspectorConnection* m_own = nullptr;
    StackPause* m_pause = nullptr;
    Options m_options;
    qint64 m_pid = 0;
    QString m_nodeVersion;
    QString m_via;
    bool m_probeOpened = false; // the probe opened the inspector we use, and closes it
    bool m_reachedProcess = false;
    bool m_finished = false;
    QElapsedTimer m_clock;
};

} // namespace NodeScope

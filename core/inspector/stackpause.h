#pragma once

// Takes the main thread's JavaScript stack through one attached inspector
// session: Debugger.enable, Debugger.pause, the callFrames of
// Debugger.paused, Debugger.resume, Debugger.disable. This works while the
// process spins in synchronous code, because the inspector is served by
// interrupting the isolate; it cannot work on an in-process session of the
// same thread (that thread would pause itself).
//
// What it costs the process: Debugger.enable makes V8 report every script it
// knows (a message each) and keep its debugging state until disable; the
// thread is held only from the pause to the resume, a millisecond or two.
// A process running no JavaScript (idle in its event loop) would pause only
// at its next call: after idleWaitMs the pause is called off (disable) and
// the stack reported idle.

#include "inspector/stacksnapshot.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QTimer;

namespace NodeScope {

class InspectorConnection;

class StackPause : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultIdleWaitMs = 1000;
    static constexpr int kRequestTimeoutMs = 5000;

    explicit StackPause(InspectorConnection* connection, QObject* parent = nullptr);
    ~StackPause() override;

    // Emits captured() or failed(), once.
    void run(int idleWaitMs = kDefaultIdleWaitMs);

Q_SIGNALS:
    void captured(const NodeScope::StackSnapshot& snapshot);
    void failed(const QString& reason);

private:
    enum class Phase { Idle, Enabling, WaitingForPause, Resuming, Done };

    void handleEvent(const QString& method, const QJsonObject& params);
    void giveUpWaiting();
    void finish(const StackSnapshot& snapshot);
    void fail(const QString& reason);

    QPointer<InspectorConnection> m_connection;
    QTimer* m_idleTimer = nullptr;
    Phase m_phase = Phase::Idle;
    QHash<QString, QString> m_scriptUrls; // scriptId -> url, from Debugger.scriptParsed
    QElapsedTimer m_pauseClock;
};

} // namespace NodeScope

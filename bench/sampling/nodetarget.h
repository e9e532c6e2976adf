#pragma once

// A Node script the benchmark starts itself (node from PATH). Every run gets a
// fresh process, so that neither a JIT warmed by an earlier run nor what an
// earlier attach left behind can flatter or penalise the next one.

#include <QProcess>
#include <QStringList>

namespace NodeScope {

class NodeTarget {
public:
    NodeTarget() = default;
    ~NodeTarget();
    NodeTarget(const NodeTarget&) = delete;
    NodeTarget& operator=(const NodeTarget&) = delete;

    // Starts `node script args...` with stdout to /dev/null (the console.timeEnd
    // lines) and waits for "listening on PORT" on its stderr. With cpu >= 0
    // every thread of it runs on that CPU only.
    // nodeArgs go before the script (--inspect=0).
    bool start(const QString& script, const QStringList& args, QString* error, int cpu = -1,
        const QStringList& nodeArgs = {});
    // SIGTERM, then SIGKILL if it lingers.
    void stop();

    qint64 pid() const { return m_process.processId(); }
    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace NodeScope

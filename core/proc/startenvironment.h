#pragma once

// The environment a process was started with, as /proc/PID/environ keeps
// it: the NUL-separated NAME=value entries execve() was given. What the
// process set later is not in it; what Node reads at startup, such as
// NODE_OPTIONS, is.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace NodeScope {

class StartEnvironment {
public:
    explicit StartEnvironment(const QByteArray& environBytes);
    // Empty when the file cannot be read (another user's process, gone).
    static StartEnvironment ofProcess(qint64 pid);

    // What getenv(name) gave the process: execve() takes a name twice, and
    // glibc's getenv (under Node's SafeGetenv and process.env) returns the
    // FIRST entry; so does Node 18 to 24 with NODE_OPTIONS given twice.
    std::optional<QByteArray> value(QByteArrayView name) const;
    // NODE_OPTIONS as Node read it; empty when unset.
    QString nodeOptions() const;

private:
    QByteArray m_bytes;
};

} // namespace NodeScope

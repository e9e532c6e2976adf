#pragma once

// How much memory a process may still take before something gives: the
// machine's MemAvailable (/proc/meminfo) and the room left under its
// cgroup's limit (memory.max minus memory.current, the tightest of its
// cgroup and every parent; cgroup v1's memory.limit_in_bytes where v2 is
// absent). What a heap snapshot is weighed against before it is taken.

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace NodeScope {

struct MemoryLimits {
    static constexpr qint64 kUnknown = -1;

    qint64 memAvailableBytes = kUnknown;
    qint64 cgroupLimitBytes = kUnknown; // the limit of the tightest cgroup; kUnknown: none or unreadable
    qint64 cgroupHeadroomBytes = kUnknown; // that cgroup's limit minus its use
    QString cgroupPath; // e.g. /system.slice/app.service

    bool hasCgroupLimit() const { return cgroupLimitBytes != kUnknown; }

    // Reads them for PID under root (a test passes a fake tree): root/proc/meminfo,
    // root/proc/PID/cgroup and root/sys/fs/cgroup/...
    static MemoryLimits ofProcess(qint64 pid, const QString& root = QStringLiteral("/"));

    // "MemAvailable:  123456 kB" -> bytes; kUnknown when absent.
    static qint64 parseMemAvailable(const QByteArray& meminfo);
    // memory.max / memory.limit_in_bytes: bytes, kUnknown for "max" or a
    // v1 "no limit" (any figure beyond 2^62).
    static qint64 parseLimit(const QByteArray& text);
};

} // namespace NodeScope

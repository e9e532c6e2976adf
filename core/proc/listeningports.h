#pragma once

// Which TCP ports a process listens on, from /proc alone: the socket inodes
// among its open file descriptors matched against the LISTEN rows of its own
// network namespace's tcp and tcp6 tables.

#include "proc/procfs.h"

#include <QList>

#include <optional>

namespace NodeScope {

class ListeningPorts {
public:
    // Listening sockets owned by pid, or nullopt when its fds can't be read
    // (another user's process, or it exited). `listeners` are the LISTEN rows
    // of its network namespace (SocketTables); without them they are read.
    static std::optional<QList<Procfs::ListeningSocket>> ofProcess(qint64 pid);
    static std::optional<QList<Procfs::ListeningSocket>> ofProcess(
        qint64 pid, const QList<Procfs::ListeningSocket>& listeners);

    // The process holding a listening socket on this port in our network
    // namespace, if it can be found among the processes we may inspect.
    // Returns 0 when the port is listening but its owner is hidden from us,
    // nullopt when nothing listens on it.
    static std::optional<qint64> holderOf(quint16 port);
    static std::optional<qint64> holderOf(quint16 port, const QList<Procfs::ListeningSocket>& ourListeners);

    // Whether the process shares our network namespace, so that its loopback
    // is ours. Unknown (unreadable) counts as shared.
    static bool sharesOurNetworkNamespace(qint64 pid);

private:
    static QList<quint64> socketInodes(qint64 pid, bool* readable);
};

} // namespace NodeScope

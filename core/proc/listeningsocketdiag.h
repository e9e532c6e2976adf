#pragma once

// The listening TCP sockets of NodeScope's own network namespace, asked of
// the kernel over NETLINK_SOCK_DIAG with a LISTEN-only state filter.
//
// Reading /proc/PID/net/tcp makes the kernel walk its whole established-
// socket hash, every bucket, to print a table we keep a few rows of: a
// profile of the dashboard showed that read as a quarter of its own CPU
// while watching (the picker rescans every 2 s). Asked for LISTEN sockets
// only, the kernel walks just the listening hash. Other namespaces can't be
// asked this way without entering them, so SocketTables still reads their
// /proc files.

#include "proc/procfs.h"

#include <QList>

#include <optional>

namespace NodeScope {

class ListeningSocketDiag {
public:
    // tcp and tcp6 listeners of our own namespace; nullopt when the kernel
    // has no sock_diag (the caller reads /proc instead).
    static std::optional<QList<Procfs::ListeningSocket>> ownNamespace();
};

} // namespace NodeScope

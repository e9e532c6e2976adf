#pragma once

// The LISTEN rows of the TCP tables, read once per network namespace for the
// length of one process-table scan. Reading /proc/PID/net/tcp makes the
// kernel walk its whole socket hash (~2 ms here), and every process in a
// namespace sees the same table, so a scan of many Node processes would
// otherwise pay that many times over. Our own namespace's table is asked of
// the kernel instead (ListeningSocketDiag), which walks only the listeners.

#include "proc/procfs.h"

#include <QHash>
#include <QList>

#include <optional>

namespace NodeScope {

class SocketTables {
public:
    // tcp and tcp6 listeners of the namespace pid lives in.
    const QList<Procfs::ListeningSocket>& listenersFor(qint64 pid);
    // The process listening on port in our own namespace: nullopt when
    // nothing listens, 0 when the owner is hidden from us.
    std::optional<qint64> holderOf(quint16 port);

private:
    const QList<Procfs::ListeningSocket>& table(const QString& procDir, const QString& namespaceId);

    QHash<QString, QList<Procfs::ListeningSocket>> m_tables; // by network namespace
    QHash<quint16, std::optional<qint64>> m_holders;
};

} // namespace NodeScope

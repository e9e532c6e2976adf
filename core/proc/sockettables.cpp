#include "proc/sockettables.h"

#include "proc/listeningports.h"
#include "proc/listeningsocketdiag.h"

namespace NodeScope {

const QList<Procfs::ListeningSocket>& SocketTables::table(const QString& procDir, const QString& namespaceId)
{
    auto it = m_tables.find(namespaceId);
    if (it != m_tables.end())
        return *it;
    QList<Procfs::ListeningSocket> listeners;
    // Our own namespace (nearly always the target's too): the kernel's
    // LISTEN-only dump instead of a walk of every socket.
    static const QString ownNamespace = Procfs::readLink(QStringLiteral("/proc/self/ns/net"));
    std::optional<QList<Procfs::ListeningSocket>> asked;
    if (!namespaceId.isEmpty() && namespaceId == ownNamespace)
        asked = ListeningSocketDiag::ownNamespace();
    if (asked) {
        listeners = std::move(*asked);
    } else {
        for (const char* name : {"net/tcp", "net/tcp6"})
            listeners += Procfs::parseListeningSockets(Procfs::readFile(procDir + QLatin1String(name)));
    }
    // An unreadable namespace link (another user's process) is not cached
    // under a shared key: each such process reads its own view.
    if (namespaceId.isEmpty())
        return *m_tables.insert(procDir, listeners);
    return *m_tables.insert(namespaceId, listeners);
}

const QList<Procfs::ListeningSocket>& SocketTables::listenersFor(qint64 pid)
{
    const QString procDir = QStringLiteral("/proc/%1/").arg(pid);
    return table(procDir, Procfs::readLink(procDir + QLatin1String("ns/net")));
}

std::optional<qint64> SocketTables::holderOf(quint16 port)
{
    if (const auto it = m_holders.constFind(port); it != m_holders.cend())
        return *it;
    const QList<Procfs::ListeningSocket>& ours
        = table(QStringLiteral("/proc/self/"), Procfs::readLink(QStringLiteral("/proc/self/ns/net")));
    const std::optional<qint64> holder = ListeningPorts::holderOf(port, ours);
    m_holders.insert(port, holder);
    return holder;
}

} // namespace NodeScope

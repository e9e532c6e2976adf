#include "proc/listeningports.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <algorithm>

namespace NodeScope {

QList<quint64> ListeningPorts::socketInodes(qint64 pid, bool* readable)
{
    QList<quint64> inodes;
    QDir fdDir(QStringLiteral("/proc/%1/fd").arg(pid));
    const QStringList fds = fdDir.entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System);
    // An unreadable fd directory lists nothing; tell that apart from "no fds".
    *readable = fdDir.exists() && QFileInfo(fdDir.path()).isReadable();
    for (const QString& fd : fds) {
        if (const auto inode = Procfs::parseSocketInode(Procfs::readLink(fdDir.filePath(fd))))
            inodes.append(*inode);
    }
    return inodes;
}

std::optional<QList<Procfs::ListeningSocket>> ListeningPorts::ofProcess(qint64 pid)
{
    QList<Procfs::ListeningSocket> listeners;
    for (const char* table : {"tcp", "tcp6"})
        listeners += Procfs::parseListeningSockets(
            Procfs::readFile(QStringLiteral("/proc/%1/net/%2").arg(pid).arg(QLatin1String(table))));
    return ofProcess(pid, listeners);
}

std::optional<QList<Procfs::ListeningSocket>> ListeningPorts::ofProcess(
    qint64 pid, const QList<Procfs::ListeningSocket>& listeners)
{
    bool readable = false;
    const QList<quint64> inodes = socketInodes(pid, &readable);
    if (!readable)
        return std::nullopt;
    QList<Procfs::ListeningSocket> result;
    if (inodes.isEmpty())
        return result;
    const QSet<quint64> owned(inodes.cbegin(), inodes.cend());
    for (const Procfs::ListeningSocket& socket : listeners) {
        if (owned.contains(socket.inode))
            result.append(socket);
    }
    return result;
}

std::optional<qint64> ListeningPorts::holderOf(quint16 port)
{
    QList<Procfs::ListeningSocket> ours;
    for (const char* table : {"tcp", "tcp6"})
        ours += Procfs::parseListeningSockets(
            Procfs::readFile(QStringLiteral("/proc/self/net/%1").arg(QLatin1String(table))));
    return holderOf(port, ours);
}

std::optional<qint64> ListeningPorts::holderOf(
    quint16 port, const QList<Procfs::ListeningSocket>& ourListeners)
{
    QSet<quint64> inodes;
    for (const Procfs::ListeningSocket& socket : ourListeners) {
        if (socket.port == port && socket.isLoopbackOrAny())
            inodes.insert(socket.inode);
    }
    if (inodes.isEmpty())
        return std::nullopt;
    QList<qint64> pids = Procfs::numericEntries(QStringLiteral("/proc"));
    std::sort(pids.begin(), pids.end());
    for (const qint64 pid : std::as_const(pids)) {
        bool readable = false;
        for (quint64 inode : socketInodes(pid, &readable)) {
            if (inodes.contains(inode))
                return pid;
        }
    }
    return 0;
}

bool ListeningPorts::sharesOurNetworkNamespace(qint64 pid)
{
    const QString theirs = Procfs::readLink(QStringLiteral("/proc/%1/ns/net").arg(pid));
    const QString ours = Procfs::readLink(QStringLiteral("/proc/self/ns/net"));
    if (theirs.isEmpty() || ours.isEmpty())
        return true;
    return theirs == ours;
}

} // namespace NodeScope

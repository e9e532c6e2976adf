#include "proc/listeningsocketdiag.h"
#include "proc/procfs.h"

#include "testmain.h"

#include <QTcpServer>

#include <algorithm>

using namespace NodeScope;

namespace {
// The listeners as the /proc tables print them: what the kernel's dump must match.
QList<Procfs::ListeningSocket> fromProcTables()
{
    QList<Procfs::ListeningSocket> sockets;
    for (const char* name : {"/proc/self/net/tcp", "/proc/self/net/tcp6"})
        sockets += Procfs::parseListeningSockets(Procfs::readFile(QLatin1String(name)));
    return sockets;
}

QStringList described(QList<Procfs::ListeningSocket> sockets)
{
    QStringList lines;
    for (const Procfs::ListeningSocket& socket : sockets)
        lines << QStringLiteral("%1 %2:%3").arg(socket.inode).arg(socket.address).arg(socket.port);
    lines.sort();
    return lines;
}
} // namespace

class TestListeningSocketDiag : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void findsOurOwnListeners()
    {
        QTcpServer ipv4;
        QVERIFY(ipv4.listen(QHostAddress::LocalHost, 0));
        QTcpServer any;
        QVERIFY(any.listen(QHostAddress::Any, 0)); // Qt's Any is dual-stack: a tcp6 row where IPv6 exists
        const auto sockets = ListeningSocketDiag::ownNamespace();
        QVERIFY2(sockets, "this Linux has NETLINK_SOCK_DIAG");
        const auto has = [&](quint16 port) {
            return std::any_of(
                sockets->cbegin(), sockets->cend(), [port](const Procfs::ListeningSocket& socket) {
                    return socket.port == port && socket.inode > 0;
                });
        };
        QVERIFY(has(ipv4.serverPort()));
        QVERIFY(has(any.serverPort()));
        for (const Procfs::ListeningSocket& socket : *sockets) {
            if (socket.port == ipv4.serverPort())
                QCOMPARE(socket.address, QStringLiteral("127.0.0.1"));
        }
    }

    void matchesTheProcTablesRowForRow()
    {
        QTcpServer ipv4;
        QVERIFY(ipv4.listen(QHostAddress::LocalHost, 0));
        QTcpServer ipv6;
        const bool haveIpv6 = ipv6.listen(QHostAddress::LocalHostIPv6, 0);
        const auto sockets = ListeningSocketDiag::ownNamespace();
        QVERIFY(sockets);
        QCOMPARE(described(*sockets), described(fromProcTables()));
        if (haveIpv6)
            QVERIFY(described(*sockets)
                        .join(QLatin1Char('\n'))
                        .contains(QStringLiteral("::1:%1").arg(ipv6.serverPort())));
    }

    void closedListenersAreGone()
    {
        quint16 port = 0;
        {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost, 0));
            port = server.serverPort();
        }
        const auto sockets = ListeningSocketDiag::ownNamespace();
        QVERIFY(sockets);
        for (const Procfs::ListeningSocket& socket : *sockets)
            QVERIFY(socket.port != port);
    }
};

NODESCOPE_TEST_MAIN(TestListeningSocketDiag)
#include "tst_listeningsocketdiag.moc"

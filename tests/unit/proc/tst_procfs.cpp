#include "proc/procfs.h"

#include "testmain.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>

#include <unistd.h>

using namespace NodeScope;

namespace {
QByteArray fixture(const char* name)
{
    QFile file(QStringLiteral(NODESCOPE_FIXTURES_DIR "/proc/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}
} // namespace

class TestProcfs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void numericEntriesAreThePidsAndThreadIds()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const char* name : {"12", "7", "abc", "0", "007", "123x", "99999999999999999999"})
            QVERIFY(QDir(dir.path()).mkdir(QString::fromLatin1(name)));
        QList<qint64> numbers = Procfs::numericEntries(dir.path());
        std::sort(numbers.begin(), numbers.end());
        QCOMPARE(numbers, (QList<qint64>{7, 12})); // no zero, no leading zero, no overflow
        QVERIFY(Procfs::numericEntries(dir.filePath(QStringLiteral("missing"))).isEmpty());
        // Our own process and its main thread, as the sampler lists them.
        QVERIFY(Procfs::numericEntries(QStringLiteral("/proc")).contains(QCoreApplication::applicationPid()));
        QVERIFY(Procfs::numericEntries(QStringLiteral("/proc/self/task"))
                    .contains(QCoreApplication::applicationPid()));
    }

    void readFileReadsProcFilesWhole()
    {
        const QByteArray stat = Procfs::readFile(QStringLiteral("/proc/self/stat"));
        const auto parsed = Procfs::parseStat(stat);
        QVERIFY(parsed);
        // Longer than one read: every byte, in order.
        QTemporaryDir dir;
        QFile big(dir.filePath(QStringLiteral("big")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QByteArray content;
        for (int i = 0; i < 3000; ++i)
            content += QByteArray::number(i) + ' ';
        big.write(content);
        big.close();
        QCOMPARE(Procfs::readFile(big.fileName()), content);
        QVERIFY(Procfs::readFile(dir.filePath(QStringLiteral("missing"))).isEmpty());
    }

    void statParsesFields()
    {
        const auto stat = Procfs::parseStat(fixture("stat-node"));
        QVERIFY(stat);
        QCOMPARE(stat->comm, QStringLiteral("node"));
        QCOMPARE(stat->state, 'S');
        QCOMPARE(stat->ppid, 1);
        QCOMPARE(stat->utimeTicks, 173u);
        QCOMPARE(stat->stimeTicks, 41u);
        QCOMPARE(stat->numThreads, 11);
        QCOMPARE(stat->startTimeTicks, 123456u);
        QCOMPARE(stat->rssPages, 11234);
    }

    void statNameWithSpacesAndParentheses()
    {
        // process.title can be anything: the fields start after the LAST ')'.
        const auto stat = Procfs::parseStat(fixture("stat-parens-spaces"));
        QVERIFY(stat);
        QCOMPARE(stat->comm, QStringLiteral("my (weird) app) name"));
        QCOMPARE(stat->state, 'R');
        QCOMPARE(stat->ppid, 12);
        QCOMPARE(stat->utimeTicks, 5u);
        QCOMPARE(stat->stimeTicks, 7u);
        QCOMPARE(stat->numThreads, 3);
        QCOMPARE(stat->startTimeTicks, 999u);
        QCOMPARE(stat->rssPages, 2048);
    }

    void statEmptyNameZombie()
    {
        const auto stat = Procfs::parseStat(fixture("stat-zombie-empty-name"));
        QVERIFY(stat);
        QCOMPARE(stat->comm, QString());
        QCOMPARE(stat->state, 'Z');
    }

    void statRejectsBadInput_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("truncated") << fixture("stat-truncated");
        QTest::newRow("garbage") << fixture("stat-garbage");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("only parens") << QByteArray("1 (x)");
        QTest::newRow("close before open") << QByteArray("1 )x( S 1 2 3");
        QTest::newRow("non-numeric field")
            << QByteArray("1 (x) S one 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 0 7 0 0 0");
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe(\x01)\x02", 8);
    }
    void statRejectsBadInput()
    {
        QFETCH(QByteArray, bytes);
        QVERIFY(!Procfs::parseStat(bytes));
    }

    void statusParsesUidAndSignals()
    {
        const auto status = Procfs::parseStatus(fixture("status-node"));
        QVERIFY(status);
        QCOMPARE(status->name, QStringLiteral("node"));
        QCOMPARE(status->realUid, 1000u);
        QCOMPARE(status->effectiveUid, 1000u);
        QCOMPARE(status->threads, 11);
        QCOMPARE(status->vmRssKb, 44936);
        QVERIFY(status->sigCgt & Procfs::kSigUsr1Mask); // node catches SIGUSR1
        QCOMPARE(status->sigCgt, 0x100004602ull);
    }

    void statusOfProcessNotCatchingSigusr1()
    {
        const auto status = Procfs::parseStatus(fixture("status-sleep-as-node"));
        QVERIFY(status);
        QVERIFY(!(status->sigCgt & Procfs::kSigUsr1Mask));
    }

    void statusRejectsTruncated()
    {
        QVERIFY(!Procfs::parseStatus(fixture("status-truncated")));
        QVERIFY(!Procfs::parseStatus(QByteArray()));
        QVERIFY(!Procfs::parseStatus(QByteArray("Uid:\tabc\nSigCgt:\tzz\n")));
    }

    void listeningSocketsIpv4()
    {
        const QList<Procfs::ListeningSocket> sockets = Procfs::parseListeningSockets(fixture("net-tcp"));
        // The ESTABLISHED row (st 01) is not a listener.
        QCOMPARE(sockets.size(), 3);
        QCOMPARE(sockets[0].address, QStringLiteral("127.0.0.1"));
        QCOMPARE(sockets[0].port, quint16(9229));
        QCOMPARE(sockets[0].inode, 51234u);
        QVERIFY(sockets[0].isLoopbackOrAny());
        QCOMPARE(sockets[1].address, QStringLiteral("0.0.0.0"));
        QCOMPARE(sockets[1].port, quint16(3000));
        QVERIFY(sockets[1].isLoopbackOrAny());
        QCOMPARE(sockets[2].address, QStringLiteral("10.0.2.15"));
        QCOMPARE(sockets[2].port, quint16(22));
        QVERIFY(!sockets[2].isLoopbackOrAny());
    }

    void listeningSocketsIpv6()
    {
        const QList<Procfs::ListeningSocket> sockets = Procfs::parseListeningSockets(fixture("net-tcp6"));
        QCOMPARE(sockets.size(), 2);
        QCOMPARE(sockets[0].address, QStringLiteral("::1"));
        QCOMPARE(sockets[0].port, quint16(41201));
        QCOMPARE(sockets[0].inode, 61234u);
        QVERIFY(sockets[0].isLoopbackOrAny());
        QCOMPARE(sockets[1].address, QStringLiteral("::"));
        QCOMPARE(sockets[1].port, quint16(8080));
    }

    void listeningSocketsGarbage()
    {
        QVERIFY(
            Procfs::parseListeningSockets(QByteArray("header\n0: zz:zz 00:00 0A x x x x x x\n")).isEmpty());
        QVERIFY(Procfs::parseListeningSockets(fixture("net-tcp").left(200)).isEmpty());
        QVERIFY(Procfs::parseListeningSockets(QByteArray()).isEmpty());
    }

    void cmdline()
    {
        QCOMPARE(Procfs::parseCmdline(fixture("cmdline-node")),
            QStringList({QStringLiteral("node"), QStringLiteral("--inspect=0"), QStringLiteral("server.js"),
                QStringLiteral("--port"), QStringLiteral("300 0")}));
        QVERIFY(Procfs::parseCmdline(QByteArray()).isEmpty());
    }

    void socketInode_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<qint64>("inode"); // -1: not a socket
        QTest::newRow("socket") << QStringLiteral("socket:[51234]") << qint64(51234);
        QTest::newRow("file") << QStringLiteral("/dev/null") << qint64(-1);
        QTest::newRow("pipe") << QStringLiteral("pipe:[77]") << qint64(-1);
        QTest::newRow("broken") << QStringLiteral("socket:[12") << qint64(-1);
        QTest::newRow("not a number") << QStringLiteral("socket:[x]") << qint64(-1);
    }
    void socketInode()
    {
        QFETCH(QString, link);
        QFETCH(qint64, inode);
        const auto parsed = Procfs::parseSocketInode(link);
        QCOMPARE(parsed.has_value(), inode >= 0);
        if (parsed)
            QCOMPARE(qint64(*parsed), inode);
    }

    void uptime()
    {
        QCOMPARE(Procfs::parseUptime(fixture("uptime")).value_or(-1), 12345.67);
        QVERIFY(!Procfs::parseUptime(fixture("uptime-garbage")));
        // Qt's toDouble reads these as numbers (found by fuzz/fuzz_procuptime.cpp).
        QVERIFY(!Procfs::parseUptime("inf 12.0\n"));
        QVERIFY(!Procfs::parseUptime("nan 12.0\n"));
    }

    void readsItsOwnProcEntry()
    {
        const auto stat = Procfs::parseStat(Procfs::readFile(QStringLiteral("/proc/self/stat")));
        QVERIFY(stat);
        QCOMPARE(stat->ppid, qint64(getppid()));
        QVERIFY(stat->numThreads >= 1);
        QVERIFY(stat->rssPages > 0);
        const auto status = Procfs::parseStatus(Procfs::readFile(QStringLiteral("/proc/self/status")));
        QVERIFY(status);
        QCOMPARE(status->realUid, uint(getuid()));
        QVERIFY(Procfs::readLink(QStringLiteral("/proc/self/exe")).endsWith(QLatin1String("tst_procfs")));
    }
};

NODESCOPE_TEST_MAIN(TestProcfs)
#include "tst_procfs.moc"

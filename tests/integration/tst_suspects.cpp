// Leak suspects and heap snapshots against real node processes: the
// `nodescope` binary's `record --leak-suspects` and `snapshot`.

#include "commandrun.h"
#include "jsonfile.h"
#include "nodeprocess.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

namespace {

// What the target says it has in it: {sampling, inspectorOpen, probes}.
QJsonObject targetState(NodeProcess& node)
{
    node.process().write("check\n");
    QString line;
    if (!node.waitForLine(QStringLiteral("state "), 10000, &line))
        return {};
    return QJsonDocument::fromJson(line.mid(6).toUtf8()).object();
}

} // namespace

class TestSuspects : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

private Q_SLOTS:
    void snapshotUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString file = path("usage.heapsnapshot");
        const QString self = QString::number(QCoreApplication::applicationPid());
        // Worded as record and stack word them (app/commandparser.h).
        QTest::newRow("no pid") << QStringList{QStringLiteral("--out"), file}
                                << QStringLiteral("nodescope snapshot: --pid is required");
        QTest::newRow("bad pid") << QStringList{QStringLiteral("--pid"), QStringLiteral("x"),
            QStringLiteral("--out"), file}
                                 << QStringLiteral("--pid must be a process id, not \"x\"");
        QTest::newRow("pid twice") << QStringList{QStringLiteral("--pid"), self, QStringLiteral("--pid"),
            QStringLiteral("1"), QStringLiteral("--out"), file}
                                   << QStringLiteral("--pid given 2 times (%1, 1); give it once").arg(self);
        QTest::newRow("no out") << QStringList{QStringLiteral("--pid"), self}
                                << QStringLiteral("--out FILE is required");
        QTest::newRow("option as the file")
            << QStringList{QStringLiteral("--pid"), self, QStringLiteral("--out"), QStringLiteral("--force")}
            << QStringLiteral("--out needs a value, not the option --force");
        QTest::newRow("stray argument") << QStringList{QStringLiteral("--pid"), self, QStringLiteral("--out"),
            file, QStringLiteral("now")} << QStringLiteral("unexpected argument now");
    }
    void snapshotUsageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CommandRun run = runNodescope(QStringList{QStringLiteral("snapshot")} + arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY2(run.err.contains(QLatin1String("usage: nodescope snapshot --pid PID --out FILE")),
            qPrintable(run.err));
        QVERIFY(!QFile::exists(path("usage.heapsnapshot")));
        QVERIFY(!QFile::exists(QStringLiteral("--force")));
    }

    void theNamedLeakingFunctionIsTheFirstSuspect()
    {
        NodeProcess node;
        QVERIFY(node.startNode("named-leak.js"));
        QCOMPARE(targetState(node).value(QLatin1String("sampling")).toBool(), false);
        // Short leak settings, so the verdict turns within a minute and the
        // profiler (auto: while the floor grows) has time to rank.
        const CommandRun run = runNodescope(
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), path("leak.csv"), QStringLiteral("--summary"), path("leak.json"),
                QStringLiteral("--interval"), QStringLiteral("100"), QStringLiteral("--duration"),
                QStringLiteral("75"), QStringLiteral("--leak-window"), QStringLiteral("60"),
                QStringLiteral("--leak-min-growth"), QStringLiteral("2"), QStringLiteral("--leak-confirm"),
                QStringLiteral("15")},
            150000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // Where the profiler is turned on, its cost is said.
        QVERIFY2(run.err.contains(QLatin1String("Looking for leak suspects while the heap floor grows: "
                                                "V8's sampling heap profiler")),
            qPrintable(run.err));
        QVERIFY2(run.err.contains(QLatin1String("Leak suspects: 1. retainOrders ")), qPrintable(run.err));

        const QJsonObject leak = readJson(path("leak.json")).value(QLatin1String("leak")).toObject();
        QVERIFY(leak.value(QLatin1String("state")).toString() != QLatin1String("ok"));
        const QJsonArray suspects = leak.value(QLatin1String("suspects")).toArray();
        QVERIFY2(!suspects.isEmpty(), qPrintable(run.err));
        const QJsonObject first = suspects.first().toObject();
        QCOMPARE(first.value(QLatin1String("function")).toString(), QStringLiteral("retainOrders"));
        QVERIFY(
            first.value(QLatin1String("url")).toString().endsWith(QLatin1String("scripts/named-leak.js")));
        QCOMPARE(first.value(QLatin1String("line")).toInt(), 15); // function retainOrders() {
        // ~1 MB/s retained: tens of MB a minute, and most of the growth.
        const double mbPerMin = first.value(QLatin1String("bytesPerMin")).toDouble() / (1024 * 1024);
        QVERIFY2(mbPerMin > 20 && mbPerMin < 150, qPrintable(QString::number(mbPerMin)));
        QVERIFY2(first.value(QLatin1String("share")).toDouble() > 0.7,
            qPrintable(QString::number(first.value(QLatin1String("share")).toDouble())));
        QVERIFY(first.value(QLatin1String("liveBytes")).toDouble() > 1024 * 1024);
        const QJsonArray stack = first.value(QLatin1String("stack")).toArray();
        QVERIFY(!stack.isEmpty());
        for (const QJsonValue& frame : stack)
            QVERIFY(frame.toObject().contains(QLatin1String("column")));
        for (const QJsonValue& other : suspects)
            QVERIFY(
                other.toObject().value(QLatin1String("function")).toString() != QLatin1String("buildReplies")
                || other.toObject().value(QLatin1String("share")).toDouble() < 0.1);

        // Left as found: no profiler, no inspector, no probe.
        const QJsonObject after = targetState(node);
        QCOMPARE(after.value(QLatin1String("sampling")).toBool(true), false);
        QCOMPARE(after.value(QLatin1String("inspectorOpen")).toBool(true), false);
        QCOMPARE(after.value(QLatin1String("probes")).toInt(-1), 0);
    }

    void offMeansNoProfiler()
    {
        NodeProcess node;
        QVERIFY(node.startNode("named-leak.js"));
        const CommandRun run
            = runNodescope({QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                               QStringLiteral("--csv"), path("off.csv"), QStringLiteral("--summary"),
                               path("off.json"), QStringLiteral("--duration"), QStringLiteral("3"),
                               QStringLiteral("--leak-suspects"), QStringLiteral("off")},
                60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(!run.err.contains(QLatin1String("sampling heap profiler")));
        const QJsonObject leak = readJson(path("off.json")).value(QLatin1String("leak")).toObject();
        QVERIFY(leak.value(QLatin1String("suspects")).isArray());
        QVERIFY(leak.value(QLatin1String("suspects")).toArray().isEmpty());
    }

    void aBadSuspectsModeIsAUsageError()
    {
        const CommandRun run = runNodescope(
            {QStringLiteral("record"), QStringLiteral("--pid"), QStringLiteral("1"), QStringLiteral("--csv"),
                path("x.csv"), QStringLiteral("--leak-suspects"), QStringLiteral("sometimes")},
            10000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(QLatin1String("--leak-suspects must be auto, always or off")));
    }

    void aSnapshotIsAValidHeapSnapshotAndTheTargetIsLeftAsFound()
    {
        NodeProcess node;
        QVERIFY(node.startNode("named-leak.js"));
        QTest::qWait(1000);
        const QString file = path("target.heapsnapshot");
        const CommandRun run = runNodescope({QStringLiteral("snapshot"), QStringLiteral("--pid"),
                                                QString::number(node.pid()), QStringLiteral("--out"), file},
            120000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // The estimate is said before it is taken.
        QVERIFY2(
            run.err.contains(QLatin1String("the snapshot file will be up to about")), qPrintable(run.err));
        QVERIFY(run.err.contains(QLatin1String("Wrote ")));

        QFile snapshot(file);
        QVERIFY(snapshot.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonObject parsed = QJsonDocument::fromJson(snapshot.readAll(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject meta
            = parsed.value(QLatin1String("snapshot")).toObject().value(QLatin1String("meta")).toObject();
        QVERIFY(meta.value(QLatin1String("node_fields")).toArray().contains(QStringLiteral("self_size")));
        QVERIFY(parsed.value(QLatin1String("snapshot")).toObject().value(QLatin1String("node_count")).toInt()
            > 1000);
        QVERIFY(!parsed.value(QLatin1String("strings")).toArray().isEmpty());
        // Its strings include the app's own function.
        QVERIFY(parsed.value(QLatin1String("strings")).toArray().contains(QStringLiteral("retainOrders")));
        QVERIFY(!QFileInfo::exists(file + QStringLiteral(".tmp")));

        QVERIFY(node.isRunning());
        const QJsonObject after = targetState(node);
        QCOMPARE(after.value(QLatin1String("inspectorOpen")).toBool(true), false);
        QCOMPARE(after.value(QLatin1String("probes")).toInt(-1), 0);
        QVERIFY(NodeProcess::listeningPorts(node.pid()).isEmpty());
    }

    void aSnapshotOfANonNodeProcessIsRefused()
    {
        QProcess sleeper;
        sleeper.start(QStringLiteral("sleep"), {QStringLiteral("30")});
        QVERIFY(sleeper.waitForStarted());
        const QString file = path("none.heapsnapshot");
        const CommandRun run
            = runNodescope({QStringLiteral("snapshot"), QStringLiteral("--pid"),
                               QString::number(sleeper.processId()), QStringLiteral("--out"), file},
                20000);
        sleeper.kill();
        sleeper.waitForFinished();
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.err.contains(QLatin1String("not a Node.js process")));
        QVERIFY(!QFileInfo::exists(file));
    }
};

NODESCOPE_TEST_MAIN(TestSuspects)
#include "tst_suspects.moc"

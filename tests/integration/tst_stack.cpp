// "What is it doing?" against real node processes: `nodescope stack` on a
// plain process and on one stuck in synchronous code, StackGrab through the
// probe and during a stall, and `record --cpu-profile`. Every case checks
// that the process is left as found: no inspector port open afterwards.

#include "analysis/cpuprofile.h"
#include "watch/sampler.h"
#include "watch/stackgrab.h"

#include "commandrun.h"
#include "nodeprocess.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace NodeScope;

namespace {

// One StackGrab through a watched process, to its end.
struct GrabResult {
    std::optional<StackSnapshot> snapshot;
    QString failure;
    QString note; // what finished() said was left behind
    QStringList progress;
};

GrabResult grabThrough(TargetAccess* access)
{
    StackGrab grab;
    GrabResult result;
    bool finished = false;
    QObject::connect(
        &grab, &StackGrab::captured, [&](const StackSnapshot& taken) { result.snapshot = taken; });
    QObject::connect(&grab, &StackGrab::failed, [&](const QString& reason) { result.failure = reason; });
    QObject::connect(&grab, &StackGrab::progress, [&](const QString& line) { result.progress.append(line); });
    QObject::connect(&grab, &StackGrab::finished, [&](const QString& note) {
        result.note = note;
        finished = true;
    });
    grab.grabThrough(access, {});
    if (!QTest::qWaitFor([&] { return finished; }, 20000))
        result.failure = QStringLiteral("the grab did not finish within 20 s");
    return result;
}

bool touch(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly);
}

} // namespace

class TestStack : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

    // Starts a sampler on the process and waits until the probe has taken over.
    static bool watchThroughProbe(Sampler& sampler, qint64 pid)
    {
        QSignalSpy attached(&sampler, &Sampler::attached);
        sampler.watchPid(pid, {250, true, true});
        if (!attached.wait(15000))
            return false;
        return QTest::qWaitFor(
            [&] { return sampler.access()->route() == TargetAccess::Route::Probe; }, 10000);
    }

    static bool probeStillSamples(Sampler& sampler)
    {
        bool answered = false;
        bool ok = false;
        sampler.access()->read(
            [&](std::optional<TargetReading> reading, const QString&) {
                answered = true;
                ok = reading && reading->heapUsedBytes > 0;
            },
            5000);
        return QTest::qWaitFor([&] { return answered; }, 6000) && ok;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!NodeProcess::nodeBinary().isEmpty(), "node is not installed; scripts/test.sh installs it");
        QVERIFY(m_dir.isValid());
    }

    // The test of issue 12: a process spinning in a named function, stuck in
    // synchronous code, nobody watching it.
    void stackOfAProcessStuckInSynchronousCode()
    {
        const QString stop = path("stop-stuck");
        NodeProcess node;
        QVERIFY(node.startNode("spinner.js", {}, {QStringLiteral("forever"), stop}));
        QVERIFY(node.waitForLine(QStringLiteral("spinning"), 5000));

        const CommandRun run
            = runNodescope({QStringLiteral("stack"), QStringLiteral("--pid"), QString::number(node.pid())});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList frames = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(!frames.isEmpty(), qPrintable(run.err));
        // Innermost first, one frame a line: "function url:line:column".
        QVERIFY2(frames.first().startsWith(QLatin1String("spinUntilReleased file://")), qPrintable(run.out));
        QVERIFY2(frames.first().contains(QLatin1String("spinner.js:")), qPrintable(run.out));
        QVERIFY(run.err.contains(QLatin1String("SIGUSR1")));
        // The inspector the signal opened closes at the next loop turn, and
        // the stack says so while the process is still stuck.
        QVERIFY2(run.err.contains(QLatin1String("next event-loop turn")), qPrintable(run.err));
        QVERIFY(node.isRunning());

        QVERIFY(touch(stop));
        QVERIFY(node.waitForLine(QStringLiteral("released"), 10000));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        QVERIFY(node.isRunning());
    }

    void stackAsJson()
    {
        NodeProcess node;
        QVERIFY(node.startNode("spinner.js", {}, {QStringLiteral("slices")}));
        const CommandRun run = runNodescope({QStringLiteral("stack"), QStringLiteral("--pid"),
            QString::number(node.pid()), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QJsonParseError error{};
        const QJsonObject stack = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(run.out));
        QCOMPARE(stack.value(QLatin1String("pid")).toInteger(), node.pid());
        QVERIFY(stack.value(QLatin1String("nodeVersion")).toString().startsWith(QLatin1Char('v')));
        QCOMPARE(stack.value(QLatin1String("idle")).toBool(true), false);
        QVERIFY(stack.value(QLatin1String("pausedMs")).toDouble(-1) >= 0);
        QVERIFY(!stack.value(QLatin1String("time")).toString().isEmpty());
        const QJsonArray frames = stack.value(QLatin1String("frames")).toArray();
        QVERIFY(!frames.isEmpty());
        const QJsonObject top = frames.first().toObject();
        QCOMPARE(top.value(QLatin1String("function")).toString(), QStringLiteral("spinSlice"));
        QVERIFY(top.value(QLatin1String("url")).toString().endsWith(QLatin1String("/spinner.js")));
        QVERIFY(top.value(QLatin1String("line")).toInt() > 0);
        QVERIFY(top.value(QLatin1String("column")).toInt() > 0);
        QCOMPARE(top.value(QLatin1String("origin")).toString(), QStringLiteral("app"));
        // Whatever called it is Node's own (the immediate queue).
        bool nodeFrame = false;
        for (const QJsonValue& frame : frames)
            nodeFrame = nodeFrame
                || frame.toObject().value(QLatin1String("origin")).toString() == QLatin1String("node");
        QVERIFY2(nodeFrame, qPrintable(run.out));
        // Its loop turns: the inspector is closed again right away.
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(node.isRunning());
    }

    void idleProcessHasNoStack()
    {
        NodeProcess node;
        QVERIFY(node.startNode("spinner.js", {}, {QStringLiteral("quiet")}));
        const CommandRun run = runNodescope({QStringLiteral("stack"), QStringLiteral("--pid"),
            QString::number(node.pid()), QStringLiteral("--idle-wait"), QStringLiteral("300")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out, QString());
        QVERIFY2(run.err.contains(QLatin1String("idle")), qPrintable(run.err));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(node.isRunning());
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no pid") << QStringList{QStringLiteral("stack")} << 2
                                << QStringLiteral("--pid is required");
        QTest::newRow("bad pid") << QStringList{QStringLiteral("stack"), QStringLiteral("--pid"),
            QStringLiteral("x")} << 2
                                 << QStringLiteral("process id");
        // The checks every command shares (app/commandparser.h), worded alike.
        QTest::newRow("pid twice") << QStringList{QStringLiteral("stack"), QStringLiteral("--pid"),
            QStringLiteral("1"), QStringLiteral("--pid"), QStringLiteral("2")}
                                   << 2 << QStringLiteral("--pid given 2 times (1, 2); give it once");
        QTest::newRow("option as a value")
            << QStringList{QStringLiteral("stack"), QStringLiteral("--pid"), QStringLiteral("1"),
                   QStringLiteral("--idle-wait"), QStringLiteral("--json")}
            << 2 << QStringLiteral("--idle-wait needs a value, not the option --json");
        QTest::newRow("stray argument") << QStringList{QStringLiteral("stack"), QStringLiteral("--pid"),
            QStringLiteral("1"), QStringLiteral("now")}
                                        << 2 << QStringLiteral("unexpected argument now");
        QTest::newRow("gone") << QStringList{QStringLiteral("stack"), QStringLiteral("--pid"),
            QStringLiteral("999999999")}
                              << 3 << QStringLiteral("999999999");
        QTest::newRow("not node") << QStringList{QStringLiteral("stack"), QStringLiteral("--pid"),
            QString::number(QCoreApplication::applicationPid())}
                                  << 3 << QStringLiteral("not a Node.js process");
    }
    void refusals()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CommandRun run = runNodescope(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.out, QString());
    }

    // Watched through the probe: the probe opens the inspector on a random
    // port for the stack and closes it again; the probe carries on.
    void stackThroughTheProbe()
    {
        NodeProcess node;
        QVERIFY(node.startNode("spinner.js", {}, {QStringLiteral("slices")}));
        Sampler sampler;
        QVERIFY(watchThroughProbe(sampler, node.pid()));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);

        const GrabResult grab = grabThrough(sampler.access());
        QVERIFY2(grab.snapshot, qPrintable(grab.failure));
        const StackSnapshot& snapshot = *grab.snapshot;
        QVERIFY(!snapshot.frames.isEmpty());
        QCOMPARE(snapshot.frames.first().function, QStringLiteral("spinSlice"));
        QCOMPARE(snapshot.frames.first().origin(), CodeOrigin::App);
        QVERIFY2(snapshot.via.contains(QLatin1String("probe")), qPrintable(snapshot.via));
        qInfo("through the probe: held %.2f ms, whole grab %.0f ms", snapshot.pausedMs, snapshot.tookMs);
        QCOMPARE(grab.note, QString());

        QCOMPARE(sampler.access()->route(), TargetAccess::Route::Probe);
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(probeStillSamples(sampler));
        // The random port is not left as the process's signal port either: a
        // second stack (another NodeScope's attach) works as the first did.
        const CommandRun again
            = runNodescope({QStringLiteral("stack"), QStringLiteral("--pid"), QString::number(node.pid())});
        QVERIFY2(
            again.exitCode == 0 && again.out.startsWith(QLatin1String("spinSlice ")), qPrintable(again.err));
        QVERIFY2(again.err.contains(QLatin1String("9229")), qPrintable(again.err));

        QSignalSpy stopped(&sampler, &Sampler::stopped);
        sampler.stop();
        QVERIFY(stopped.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(node.isRunning());
    }

    // Watched through the probe, then stuck: the probe cannot answer, so the
    // stack is taken the way an attach is (SIGUSR1), and the inspector closes
    // once the stall ends.
    void stackDuringAStallWithTheProbe()
    {
        const QString go = path("go-stall");
        const QString stop = path("stop-stall");
        NodeProcess node;
        QVERIFY(node.startNode("spinner.js", {}, {QStringLiteral("stall"), go, stop}));
        Sampler sampler;
        QVERIFY(watchThroughProbe(sampler, node.pid()));
        QVERIFY(touch(go));
        QVERIFY(node.waitForLine(QStringLiteral("spinning"), 5000));

        const GrabResult grab = grabThrough(sampler.access());
        QVERIFY2(grab.snapshot, qPrintable(grab.failure));
        const StackSnapshot& snapshot = *grab.snapshot;
        QVERIFY(!snapshot.frames.isEmpty());
        QCOMPARE(snapshot.frames.first().function, QStringLiteral("spinUntilReleased"));
        QVERIFY2(snapshot.via.contains(QLatin1String("SIGUSR1")), qPrintable(snapshot.via));
        qInfo("during a stall: held %.2f ms, whole grab %.0f ms", snapshot.pausedMs, snapshot.tookMs);
        QVERIFY2(grab.progress.join(QLatin1Char('\n')).contains(QLatin1String("probe did not open")),
            qPrintable(grab.progress.join(QLatin1Char('\n'))));
        QVERIFY2(grab.note.contains(QLatin1String("next event-loop turn")), qPrintable(grab.note));

        QVERIFY(touch(stop));
        QVERIFY(node.waitForLine(QStringLiteral("released"), 10000));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        // The probe's late "open the inspector" was refused in the process, not obeyed.
        QTest::qWait(500);
        QVERIFY(NodeProcess::listeningPorts(node.pid()).isEmpty());
        QVERIFY(probeStillSamples(sampler));
        QSignalSpy stopped(&sampler, &Sampler::stopped);
        sampler.stop();
        QVERIFY(stopped.wait(5000));
        QVERIFY(node.isRunning());
    }

    void recordWritesACpuProfile()
    {
        NodeProcess node;
        QVERIFY(node.startNode("spinner.js", {}, {QStringLiteral("chunks")}));
        const QString profilePath = path("spin.cpuprofile");
        const QString summaryPath = path("spin-summary.json");
        const CommandRun run
            = runNodescope({QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), path("spin.csv"), QStringLiteral("--duration"), QStringLiteral("4"),
                QStringLiteral("--cpu-profile"), profilePath, QStringLiteral("--profile-seconds"),
                QStringLiteral("1.5"), QStringLiteral("--summary"), summaryPath});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(QLatin1String("Wrote a CPU profile")), qPrintable(run.err));
        QFile file(profilePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString error;
        const std::optional<CpuProfile> profile = CpuProfile::parse(file.readAll(), &error);
        QVERIFY2(profile, qPrintable(error));
        // 1.5 s long (the profile ends a moment after it is asked to).
        QVERIFY2(profile->durationMs() > 1300 && profile->durationMs() < 3000,
            qPrintable(QString::number(profile->durationMs())));
        QVERIFY(profile->sampleCount() > 100); // fewer than one a ms on a loaded machine
        // The spinning code: burnChunk, or spinChunks where V8 inlined it.
        const ProfileFunction top = profile->topBySelf(1, true).first();
        QVERIFY2(top.function == QLatin1String("burnChunk") || top.function == QLatin1String("spinChunks"),
            qPrintable(top.function));
        // Between them the two spend most of the time (Node 20 splits it about evenly).
        double spinningSelfMs = 0;
        for (const ProfileFunction& f : profile->functions()) {
            if (f.function == QLatin1String("burnChunk") || f.function == QLatin1String("spinChunks"))
                spinningSelfMs += f.selfMs;
        }
        QVERIFY2(profile->percentOf(spinningSelfMs) > 50,
            qPrintable(QString::number(profile->percentOf(spinningSelfMs))));
        const auto spin = std::find_if(profile->functions().cbegin(), profile->functions().cend(),
            [](const ProfileFunction& f) { return f.function == QLatin1String("spinChunks"); });
        QVERIFY(spin != profile->functions().cend());
        QVERIFY(profile->percentOf(spin->totalMs) > 50);
        qInfo("%s: %.1f %% self, spinChunks %.1f %% total, of %.0f ms, %lld samples",
            qPrintable(top.function), profile->percentOf(top.selfMs), profile->percentOf(spin->totalMs),
            profile->durationMs(), profile->sampleCount());

        QFile summaryFile(summaryPath);
        QVERIFY(summaryFile.open(QIODevice::ReadOnly));
        const QJsonObject cpu = QJsonDocument::fromJson(summaryFile.readAll())
                                    .object()
                                    .value(QLatin1String("cpuProfile"))
                                    .toObject();
        QCOMPARE(cpu.value(QLatin1String("file")).toString(), QFileInfo(profilePath).absoluteFilePath());
        const QString summaryTop = cpu.value(QLatin1String("top"))
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(QLatin1String("function"))
                                       .toString();
        QVERIFY2(summaryTop == top.function || summaryTop == QLatin1String("(garbage collector)"),
            qPrintable(summaryTop));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(node.isRunning());
    }

    void recordProfileRefusals()
    {
        const CommandRun noFile = runNodescope(
            {QStringLiteral("record"), QStringLiteral("--pid"), QStringLiteral("1"), QStringLiteral("--csv"),
                path("x.csv"), QStringLiteral("--profile-seconds"), QStringLiteral("2")});
        QCOMPARE(noFile.exitCode, 2);
        QVERIFY(noFile.err.contains(QLatin1String("--profile-seconds needs --cpu-profile")));
        const CommandRun noAttach = runNodescope({QStringLiteral("record"), QStringLiteral("--pid"),
            QStringLiteral("1"), QStringLiteral("--csv"), path("x.csv"), QStringLiteral("--cpu-profile"),
            path("x.cpuprofile"), QStringLiteral("--no-attach")});
        QCOMPARE(noAttach.exitCode, 2);
        QVERIFY(noAttach.err.contains(QLatin1String("drop --no-attach")));
        const CommandRun badSeconds = runNodescope({QStringLiteral("record"), QStringLiteral("--pid"),
            QStringLiteral("1"), QStringLiteral("--csv"), path("x.csv"), QStringLiteral("--cpu-profile"),
            path("x.cpuprofile"), QStringLiteral("--profile-seconds"), QStringLiteral("nan")});
        QCOMPARE(badSeconds.exitCode, 2);
        QVERIFY(badSeconds.err.contains(QLatin1String("0.1 to 3600")));
        QVERIFY(!QFile::exists(path("x.csv")));
    }
};

NODESCOPE_TEST_MAIN(TestStack)
#include "tst_stack.moc"

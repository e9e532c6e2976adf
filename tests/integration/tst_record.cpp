// `nodescope record` end to end: the real binary against real node processes.

#include "format.h"
#include "proc/listeningports.h"
#include "session/samplecsv.h"
#include "session/timerscsv.h"

#include "commandrun.h"
#include "fakeinspector.h"
#include "jsonfile.h"
#include "nodeprocess.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <csignal>

#include <sys/stat.h>
#include <unistd.h>

using namespace NodeScope;

namespace {

// Data rows in a CSV file (header excluded).
qsizetype csvRows(const QString& path)
{
    const SampleCsv::ReadResult result = SampleCsv::read(path);
    return result.session ? result.session->size() : -1;
}

bool isCharacterDevice(const char* path)
{
    struct stat info { };
    return ::stat(path, &info) == 0 && S_ISCHR(info.st_mode);
}

QStringList nodescopeRecord(const QStringList& arguments)
{
    return QStringList{QStringLiteral(NODESCOPE_BINARY), QStringLiteral("record")} + arguments;
}

} // namespace

class TestRecord : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

    // Runs a command line (program first) to its end while this process's
    // event loop keeps turning, for tests that serve something themselves.
    static CommandRun runServing(const QStringList& commandLine, int timeoutMs = 30000)
    {
        return runCommand(commandLine.first(), commandLine.mid(1), timeoutMs, WhileRunning::TurnEventLoop);
    }

    static CommandRun runToEnd(const QStringList& recordArguments, int timeoutMs = 60000)
    {
        return runNodescope(QStringList{QStringLiteral("record")} + recordArguments, timeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!NodeProcess::nodeBinary().isEmpty(), "node is not installed; scripts/test.sh installs it");
        QVERIFY(m_dir.isValid());
    }

    void recordsForTheDurationAndClosesWhatItOpened()
    {
        NodeProcess node;
        QVERIFY(node.startNode("busy.js"));
        const QString csv = path("duration.csv");
        const QString summaryPath = path("duration.json");
        const CommandRun run = runToEnd({QStringLiteral("--pid"), QString::number(node.pid()),
            QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QStringLiteral("100"),
            QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--summary"), summaryPath});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        const QJsonObject summary = readJson(summaryPath);
        QCOMPARE(summary.value(QLatin1String("endReason")).toString(), QStringLiteral("duration"));
        QCOMPARE(summary.value(QLatin1String("pid")).toInteger(), node.pid());
        QVERIFY(summary.value(QLatin1String("nodeVersion")).toString().startsWith(QLatin1Char('v')));
        QVERIFY(Format::parseWallTime(summary.value(QLatin1String("startTime")).toString()));
        QVERIFY(Format::parseWallTime(summary.value(QLatin1String("endTime")).toString()));
        const qint64 samples = summary.value(QLatin1String("samples")).toInteger();
        QCOMPARE(csvRows(csv), samples);
        QVERIFY2(samples >= 15 && samples <= 22, qPrintable(QString::number(samples))); // ~2 s at 10 Hz

        const SampleCsv::ReadResult result = SampleCsv::read(csv);
        const QList<Sample>& rows = result.session->samples();
        for (qsizetype i = 0; i < rows.size(); ++i) {
            QVERIFY(rows[i].hasOs());
            QVERIFY(rows[i].hasHeap());
            if (i > 0)
                QVERIFY(rows[i].hasCpu());
        }
        // busy.js burns ~50 % of a core; the average must show it.
        double cpu = 0;
        for (qsizetype i = 1; i < rows.size(); ++i)
            cpu += rows[i].cpuPercent();
        cpu /= double(rows.size() - 1);
        QVERIFY2(cpu > 20 && cpu < 120, qPrintable(QString::number(cpu)));

        // (g) The inspector NodeScope opened is closed again; the target lives on.
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(node.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(node.standardError().contains(QLatin1String("Debugger attached.")), 3000);
    }

    void targetThatFinishesItsWorkExitsPromptly()
    {
        NodeProcess node;
        QVERIFY(node.startNode("finite-work.js", {}, {QStringLiteral("1500")}));
        QProcess recorder;
        const QString summaryPath = path("finish.json");
        recorder.start(QStringLiteral(NODESCOPE_BINARY),
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), path("finish.csv"), QStringLiteral("--interval"),
                QStringLiteral("50"), QStringLiteral("--summary"), summaryPath});
        QVERIFY(recorder.waitForStarted());
        QString doneLine;
        QVERIFY(node.waitForLine(QStringLiteral("done"), 15000, &doneLine));
        QElapsedTimer sinceDone;
        sinceDone.start();
        // Without NodeRuntime.waitingForDisconnect handling it would hang here
        // in "Waiting for the debugger to disconnect..." for as long as we stay.
        QTRY_VERIFY_WITH_TIMEOUT(!node.isRunning(), 5000);
        QVERIFY2(sinceDone.elapsed() < 1000, qPrintable(QString::number(sinceDone.elapsed())));
        QCOMPARE(node.process().exitCode(), 0);
        const bool finished = recorder.state() == QProcess::NotRunning || recorder.waitForFinished(10000);
        QVERIFY2(finished && recorder.exitCode() == 0, recorder.readAllStandardError().constData());
        const QJsonObject summary = readJson(summaryPath);
        QCOMPARE(summary.value(QLatin1String("endReason")).toString(), QStringLiteral("target-exited"));
        QVERIFY(summary.value(QLatin1String("samples")).toInteger() >= 10);
    }

    void targetKilledMidRecordingLeavesEverySample()
    {
        NodeProcess node;
        QVERIFY(node.startNode("busy.js"));
        QProcess recorder;
        const QString csv = path("killed.csv");
        const QString summaryPath = path("killed.json");
        recorder.start(QStringLiteral(NODESCOPE_BINARY),
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QStringLiteral("50"),
                QStringLiteral("--summary"), summaryPath});
        QVERIFY(recorder.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(csvRows(csv) >= 20, 15000);
        ::kill(pid_t(node.pid()), SIGKILL);
        QVERIFY(recorder.state() == QProcess::NotRunning || recorder.waitForFinished(10000));
        QCOMPARE(recorder.exitCode(), 0);
        const QJsonObject summary = readJson(summaryPath);
        QCOMPARE(summary.value(QLatin1String("endReason")).toString(), QStringLiteral("target-exited"));
        const qint64 samples = summary.value(QLatin1String("samples")).toInteger();
        QVERIFY(samples >= 20);
        QCOMPARE(csvRows(csv), samples);
        QVERIFY(QString::fromUtf8(recorder.readAllStandardError())
                    .contains(QStringLiteral("PID %1 exited").arg(node.pid())));
    }

    void sigintFinishesTheRecordingCleanly()
    {
        NodeProcess node;
        QVERIFY(node.startNode("idle.js"));
        QProcess recorder;
        const QString csv = path("sigint.csv");
        const QString summaryPath = path("sigint.json");
        recorder.start(QStringLiteral(NODESCOPE_BINARY),
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QStringLiteral("50"),
                QStringLiteral("--summary"), summaryPath});
        QVERIFY(recorder.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(csvRows(csv) >= 5, 15000);
        ::kill(pid_t(recorder.processId()), SIGINT);
        QVERIFY(recorder.state() == QProcess::NotRunning || recorder.waitForFinished(10000));
        QCOMPARE(recorder.exitStatus(), QProcess::NormalExit);
        QCOMPARE(recorder.exitCode(), 0);
        const QJsonObject summary = readJson(summaryPath);
        QCOMPARE(summary.value(QLatin1String("endReason")).toString(), QStringLiteral("signal"));
        QCOMPARE(csvRows(csv), summary.value(QLatin1String("samples")).toInteger());
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(node.isRunning());
    }

    void capturesTheProcessesConsoleTimers()
    {
        NodeProcess node;
        QVERIFY(node.startNode("timed-work.js"));
        const QString timersCsv = path("timers.csv");
        const QString summaryPath = path("timers.json");
        const CommandRun run
            = runToEnd({QStringLiteral("--pid"), QString::number(node.pid()), QStringLiteral("--csv"),
                path("timers-samples.csv"), QStringLiteral("--duration"), QStringLiteral("3"),
                QStringLiteral("--summary"), summaryPath, QStringLiteral("--timers-csv"), timersCsv});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        QList<TimerSpan> spans;
        QString error;
        QVERIFY2(TimersCsv::readFile(timersCsv, &spans, &error), qPrintable(error));
        QList<TimerSpan> sleeps;
        int laps = 0;
        int colonLabel = 0;
        for (const TimerSpan& span : std::as_const(spans)) {
            QCOMPARE(span.source, TimerSpan::Source::Process);
            if (span.label == QLatin1String("GET /api: users") && !span.isLap)
                ++colonLabel;
            if (span.label != QLatin1String("sleep50"))
                continue;
            if (span.isLap) {
                ++laps;
                // Half of the sleep, which never ends early; how much longer
                // a span takes is the machine's load, not ours to judge.
                QVERIFY2(span.durationMs >= 25, qPrintable(QString::number(span.durationMs)));
            } else {
                sleeps.append(span);
                // 50 ms of sleep, measured by V8 in the target.
                QVERIFY2(span.durationMs >= 50, qPrintable(QString::number(span.durationMs)));
            }
        }
        QVERIFY2(sleeps.size() >= 10, qPrintable(QString::number(sleeps.size())));
        QCOMPARE(colonLabel, sleeps.size());
        QVERIFY(laps >= sleeps.size() - 1);

        // Exactly the timeEnds the script did inside the captured window:
        // nothing missed, nothing counted twice (Node echoes each timeEnd).
        const qint64 firstEnd = sleeps.first().endWallMs;
        const qint64 lastEnd = sleeps.last().endWallMs;
        // The script's stdout was not read while runToEnd() blocked.
        QVERIFY(node.waitForLine(QStringLiteral("timeEnd"), 5000));
        QTest::qWait(300);
        int expected = 0;
        for (const QString& line : node.lines()) {
            const QStringList parts = line.split(QLatin1Char(' '));
            if (parts.size() == 3 && parts[0] == QLatin1String("timeEnd")) {
                const qint64 at = parts[2].toLongLong();
                if (at >= firstEnd - 5 && at <= lastEnd + 5)
                    ++expected;
            }
        }
        QCOMPARE(sleeps.size(), expected);

        const QJsonArray timers = readJson(summaryPath).value(QLatin1String("timers")).toArray();
        bool found = false;
        for (const QJsonValue& value : timers) {
            const QJsonObject timer = value.toObject();
            if (timer.value(QLatin1String("label")).toString() != QLatin1String("sleep50"))
                continue;
            found = true;
            QCOMPARE(timer.value(QLatin1String("source")).toString(), QStringLiteral("process"));
            QCOMPARE(timer.value(QLatin1String("count")).toInteger(), sleeps.size());
            QVERIFY(timer.value(QLatin1String("minMs")).toDouble() >= 50);
            QVERIFY(timer.value(QLatin1String("p50Ms")).toDouble() >= 50);
            QVERIFY(timer.value(QLatin1String("maxMs")).toDouble() <= 80);
        }
        QVERIFY(found);
    }

    void failOnLeakTellsALeakFromASawtooth()
    {
        // Two targets recorded side by side with short leak settings, so the
        // test takes a minute rather than the default ten.
        NodeProcess leaky;
        NodeProcess healthy;
        QVERIFY(leaky.startNode("leaky.js"));
        QVERIFY(healthy.startNode("churn.js"));
        const QStringList common{QStringLiteral("--interval"), QStringLiteral("100"),
            QStringLiteral("--duration"), QStringLiteral("75"), QStringLiteral("--leak-window"),
            QStringLiteral("60"), QStringLiteral("--leak-min-growth"), QStringLiteral("2"),
            QStringLiteral("--leak-confirm"), QStringLiteral("15"), QStringLiteral("--fail-on-leak"),
            QStringLiteral("--no-console-timers")};
        QProcess leakRecorder;
        QProcess healthyRecorder;
        // The leaky one may also confirm its rising floor with forced
        // collections within a generous pause budget.
        leakRecorder.start(QStringLiteral(NODESCOPE_BINARY),
            QStringList{QStringLiteral("record"), QStringLiteral("--pid"), QString::number(leaky.pid()),
                QStringLiteral("--csv"), path("leaky.csv"), QStringLiteral("--summary"), path("leaky.json"),
                QStringLiteral("--leak-gc-budget"), QStringLiteral("500")}
                + common);
        healthyRecorder.start(QStringLiteral(NODESCOPE_BINARY),
            QStringList{QStringLiteral("record"), QStringLiteral("--pid"), QString::number(healthy.pid()),
                QStringLiteral("--csv"), path("healthy.csv"), QStringLiteral("--summary"),
                path("healthy.json")}
                + common);
        QVERIFY(leakRecorder.state() == QProcess::NotRunning || leakRecorder.waitForFinished(150000));
        const QString leakStderr = QString::fromUtf8(leakRecorder.readAllStandardError());
        QVERIFY2(leakRecorder.exitCode() == 4, qPrintable(leakStderr));
        // Asked for while the floor rose, answered with the live heap and the pause it cost.
        QVERIFY2(
            leakStderr.contains(QStringLiteral("Forcing a full collection to confirm the rising heap floor"))
                && leakStderr.contains(QStringLiteral("(budget 500 ms)")),
            qPrintable(leakStderr));
        static const QRegularExpression answered(
            QStringLiteral("Forced a full collection: [0-9.]+ [KMG]?B live on the heap \\(the process paused "
                           "[0-9.]+ m?s\\)"));
        QVERIFY2(answered.match(leakStderr).hasMatch(), qPrintable(leakStderr));
        QVERIFY(healthyRecorder.state() == QProcess::NotRunning || healthyRecorder.waitForFinished(30000));

        const QJsonObject leakSummary = readJson(path("leaky.json"));
        const QJsonObject leak = leakSummary.value(QLatin1String("leak")).toObject();
        QCOMPARE(leak.value(QLatin1String("state")).toString(), QStringLiteral("leak"));
        QVERIFY(leakSummary.value(QLatin1String("leakFound")).toBool());
        // ~1 MB/s retained: the slope must say tens of MB a minute, not noise.
        const double slopeMbPerMin = leak.value(QLatin1String("slopeBytesPerMin")).toDouble() / (1024 * 1024);
        QVERIFY2(slopeMbPerMin > 20 && slopeMbPerMin < 150, qPrintable(QString::number(slopeMbPerMin)));
        QVERIFY(Format::parseWallTime(leak.value(QLatin1String("since")).toString()));
        QVERIFY(Format::parseWallTime(leak.value(QLatin1String("projectedOomTime")).toString()));

        const QJsonObject healthySummary = readJson(path("healthy.json"));
        QVERIFY2(healthyRecorder.exitCode() == 0,
            qPrintable(QString::fromUtf8(healthyRecorder.readAllStandardError())));
        const QString healthyState
            = healthySummary.value(QLatin1String("leak")).toObject().value(QLatin1String("state")).toString();
        QVERIFY2(healthyState == QLatin1String("ok") || healthyState == QLatin1String("learning"),
            qPrintable(healthyState));
        QVERIFY(!healthySummary.value(QLatin1String("leakFound")).toBool());
    }

    void noAttachRecordsAnyProcessWithEmptyHeapCells()
    {
        QProcess sleeper;
        sleeper.start(QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
        QVERIFY(sleeper.waitForStarted());
        const QString csv = path("noattach.csv");
        const CommandRun run = runToEnd({QStringLiteral("--pid"), QString::number(sleeper.processId()),
            QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QStringLiteral("100"),
            QStringLiteral("--duration"), QStringLiteral("1"), QStringLiteral("--no-attach")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const SampleCsv::ReadResult result = SampleCsv::read(csv);
        QVERIFY(result.session && result.session->size() >= 5);
        for (const Sample& sample : result.session->samples()) {
            QVERIFY(sample.hasOs());
            QVERIFY(!sample.hasHeap());
        }
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        file.readLine();
        QVERIFY(file.readLine().contains(",,,,,")); // empty cells, never 0
        QCOMPARE(sleeper.state(), QProcess::Running);
        sleeper.kill();
        sleeper.waitForFinished();
    }

    void badInputGetsAClearMessageAndExitCode_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString csv = path("bad.csv");
        QTest::newRow("missing pid") << QStringList{QStringLiteral("--csv"), csv} << 2
                                     << QStringLiteral("--pid is required");
        QTest::newRow("missing csv") << QStringList{QStringLiteral("--pid"), QStringLiteral("1")} << 2
                                     << QStringLiteral("--csv FILE is required");
        QTest::newRow("bad pid") << QStringList{QStringLiteral("--pid"), QStringLiteral("abc"),
            QStringLiteral("--csv"), csv}
                                 << 2 << QStringLiteral("--pid must be a process id");
        QTest::newRow("interval too small") << QStringList{QStringLiteral("--pid"), QStringLiteral("1"),
            QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QStringLiteral("5")}
                                            << 2 << QStringLiteral("--interval must be 10 to 60000 ms");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--bogus")} << 2 << QStringLiteral("Unknown option");
        QTest::newRow("no such process") << QStringList{QStringLiteral("--pid"), QStringLiteral("1073741800"),
            QStringLiteral("--csv"), csv} << 3
                                         << QStringLiteral("PID 1073741800 does not exist");
        QTest::newRow("not node") << QStringList{QStringLiteral("--pid"), QString::number(getpid()),
            QStringLiteral("--csv"), csv}
                                  << 3 << QStringLiteral("is not a Node.js process; use --no-attach");
        QTest::newRow("duration nan") << QStringList{QStringLiteral("--pid"), QStringLiteral("1"),
            QStringLiteral("--csv"), csv, QStringLiteral("--duration"), QStringLiteral("nan")}
                                      << 2 << QStringLiteral("--duration must be a number of seconds");
        QTest::newRow("duration inf") << QStringList{QStringLiteral("--pid"), QStringLiteral("1"),
            QStringLiteral("--csv"), csv, QStringLiteral("--duration"), QStringLiteral("inf")}
                                      << 2 << QStringLiteral("--duration must be a number of seconds");
        QTest::newRow("duration below a millisecond") << QStringList{QStringLiteral("--pid"),
            QStringLiteral("1"), QStringLiteral("--csv"), csv, QStringLiteral("--duration"),
            QStringLiteral("0.0001")} << 2 << QStringLiteral("--duration must be at least 0.001 seconds");
        QTest::newRow("option as a value")
            << QStringList{QStringLiteral("--pid"), QStringLiteral("1"), QStringLiteral("--csv"),
                   QStringLiteral("--no-attach")}
            << 2 << QStringLiteral("--csv needs a value, not the option --no-attach");
        QTest::newRow("pid twice") << QStringList{QStringLiteral("--pid"), QStringLiteral("1"),
            QStringLiteral("--pid"), QStringLiteral("2"), QStringLiteral("--csv"), csv}
                                   << 2 << QStringLiteral("--pid given 2 times (1, 2)");
        QTest::newRow("csv twice") << QStringList{QStringLiteral("--pid"), QStringLiteral("1"),
            QStringLiteral("--csv"), csv, QStringLiteral("--csv"), path("other.csv")}
                                   << 2 << QStringLiteral("--csv given 2 times");
        QTest::newRow("pid and inspector") << QStringList{QStringLiteral("--pid"), QStringLiteral("1"),
            QStringLiteral("--inspector"), QStringLiteral("127.0.0.1:9229"), QStringLiteral("--csv"),
            csv} << 2 << QStringLiteral("--pid and --inspector name the target twice");
        QTest::newRow("inspector without port") << QStringList{QStringLiteral("--inspector"),
            QStringLiteral("localhost"), QStringLiteral("--csv"), csv}
                                                << 2 << QStringLiteral("--inspector must be HOST:PORT");
        QTest::newRow("inspector without attach") << QStringList{QStringLiteral("--inspector"),
            QStringLiteral("127.0.0.1:9229"), QStringLiteral("--csv"), csv,
            QStringLiteral("--no-attach")} << 2 << QStringLiteral("--no-attach leaves nothing to record");
        QTest::newRow("timers on and off")
            << QStringList{QStringLiteral("--pid"), QStringLiteral("1"), QStringLiteral("--csv"), csv,
                   QStringLiteral("--console-timers"), QStringLiteral("--no-console-timers")}
            << 2 << QStringLiteral("--console-timers and --no-console-timers contradict");
        QTest::newRow("summary is a directory")
            << QStringList{QStringLiteral("--pid"), QString::number(getpid()), QStringLiteral("--csv"), csv,
                   QStringLiteral("--no-attach"), QStringLiteral("--summary"), m_dir.path()}
            << 2 << QStringLiteral("cannot write %1: it is a directory").arg(m_dir.path());
        QTest::newRow("unwritable csv") << QStringList{QStringLiteral("--pid"), QString::number(getpid()),
            QStringLiteral("--csv"), QStringLiteral("/nonexistent-dir/x.csv"), QStringLiteral("--no-attach")}
                                        << 2 << QStringLiteral("cannot write /nonexistent-dir/x.csv");
    }
    void badInputGetsAClearMessageAndExitCode()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CommandRun run = runToEnd(arguments, 15000);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(!QFile::exists(path("bad.csv"))); // nothing recorded, nothing left behind
        QVERIFY(!QFile::exists(QStringLiteral("--no-attach")));
    }

    void dashboardOptionsAreCheckedBeforeTheDisplay_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--bogus")} << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("pid twice") << QStringList{QStringLiteral("--pid"), QStringLiteral("1"),
            QStringLiteral("--pid"), QStringLiteral("2")}
                                   << QStringLiteral("--pid given 2 times");
        QTest::newRow("bad pid") << QStringList{QStringLiteral("--pid"), QStringLiteral("x")}
                                 << QStringLiteral("--pid must be a process id");
        QTest::newRow("missing recording") << QStringList{QStringLiteral("/nonexistent/run.csv")}
                                           << QStringLiteral("/nonexistent/run.csv is not a file");
        QTest::newRow("two recordings") << QStringList{QStringLiteral("a.csv"), QStringLiteral("b.csv")}
                                        << QStringLiteral("one recording at a time, not 2 (a.csv, b.csv)");
        QTest::newRow("recording and pid")
            << QStringList{QStringLiteral("--pid"), QStringLiteral("1"), QStringLiteral(NODESCOPE_BINARY)}
            << QStringLiteral("--pid and a recording to open");
    }
    void dashboardOptionsAreCheckedBeforeTheDisplay()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcess dashboard;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(QLatin1String(name));
        dashboard.setProcessEnvironment(environment);
        dashboard.start(QStringLiteral(NODESCOPE_BINARY), arguments);
        QVERIFY(dashboard.state() == QProcess::NotRunning || dashboard.waitForFinished(10000));
        const QString err = QString::fromUtf8(dashboard.readAllStandardError());
        QCOMPARE(dashboard.exitCode(), 2);
        QVERIFY2(err.contains(message) && !err.contains(QLatin1String("no display")), qPrintable(err));
    }

    void fractionalDurationRecordsThatLong()
    {
        QProcess sleeper;
        sleeper.start(QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
        QVERIFY(sleeper.waitForStarted());
        const QString csv = path("fraction.csv");
        const CommandRun run = runToEnd({QStringLiteral("--pid"), QString::number(sleeper.processId()),
            QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QStringLiteral("20"),
            QStringLiteral("--duration"), QStringLiteral("0.3"), QStringLiteral("--no-attach"),
            QStringLiteral("--summary"), path("fraction.json")});
        sleeper.kill();
        sleeper.waitForFinished();
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const SampleCsv::ReadResult result = SampleCsv::read(csv);
        QVERIFY(result.session && result.session->size() >= 5);
        // 0.3 s, not rounded to a whole second.
        const quint32 lastMs = result.session->samples().last().elapsedMs;
        QVERIFY2(lastMs >= 250 && lastMs <= 700, qPrintable(QString::number(lastMs)));
        QCOMPARE(readJson(path("fraction.json")).value(QLatin1String("endReason")).toString(),
            QStringLiteral("duration"));
    }

    void outputsGoThroughFifosAndDevices()
    {
        QProcess sleeper;
        sleeper.start(QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
        QVERIFY(sleeper.waitForStarted());
        const QString pid = QString::number(sleeper.processId());

        // A FIFO someone reads gets the rows; it stays a FIFO.
        const QString fifo = path("rows.fifo");
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        QProcess reader;
        reader.setStandardOutputFile(path("from-fifo.csv"));
        reader.start(QStringLiteral("/bin/cat"), {fifo});
        QVERIFY(reader.waitForStarted());
        QTest::qWait(200); // cat has the FIFO open
        CommandRun run = runToEnd(
            {QStringLiteral("--pid"), pid, QStringLiteral("--csv"), fifo, QStringLiteral("--interval"),
                QStringLiteral("50"), QStringLiteral("--duration"), QStringLiteral("0.5"),
                QStringLiteral("--no-attach"), QStringLiteral("--summary"), QStringLiteral("/dev/null")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(reader.state() == QProcess::NotRunning
            || reader.waitForFinished(5000)); // our close ended its input
        QVERIFY(csvRows(path("from-fifo.csv")) >= 5);
        struct stat info { };
        QVERIFY(::stat(QFile::encodeName(fifo).constData(), &info) == 0 && S_ISFIFO(info.st_mode));
        QVERIFY(isCharacterDevice("/dev/null")); // written through, never replaced

        // A FIFO nobody reads is refused, not waited on forever.
        run = runToEnd(
            {QStringLiteral("--pid"), pid, QStringLiteral("--csv"), fifo, QStringLiteral("--no-attach")},
            15000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QLatin1String("nobody is reading from that FIFO")), qPrintable(run.err));

        // A summary that cannot be written is an I/O error: exit 1, with why.
        if (isCharacterDevice("/dev/full")) {
            run = runToEnd({QStringLiteral("--pid"), pid, QStringLiteral("--csv"), path("full-summary.csv"),
                QStringLiteral("--duration"), QStringLiteral("0.2"), QStringLiteral("--no-attach"),
                QStringLiteral("--summary"), QStringLiteral("/dev/full")});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(QLatin1String("cannot write /dev/full: No space left on device")),
                qPrintable(run.err));
            QVERIFY(isCharacterDevice("/dev/full"));
            QVERIFY(csvRows(path("full-summary.csv")) >= 1); // the rows are kept
        }
        sleeper.kill();
        sleeper.waitForFinished();
    }

    void fullDiskSaysSoAndKeepsOnlyWholeRows()
    {
        QProcess sleeper;
        sleeper.start(QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
        QVERIFY(sleeper.waitForStarted());
        const QString pid = QString::number(sleeper.processId());
        if (isCharacterDevice("/dev/full")) {
            const CommandRun run = runToEnd({QStringLiteral("--pid"), pid, QStringLiteral("--csv"),
                QStringLiteral("/dev/full"), QStringLiteral("--no-attach")});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(QLatin1String("cannot write /dev/full: No space left on device")),
                qPrintable(run.err));
            QVERIFY(isCharacterDevice("/dev/full"));
        }

        // A file size limit (prlimit sets RLIMIT_FSIZE for the recorder only)
        // cuts a row in the middle: the row goes, the ones before stay.
        const QString prlimit = QStandardPaths::findExecutable(QStringLiteral("prlimit"));
        if (prlimit.isEmpty())
            QSKIP("prlimit (util-linux) is missing");
        const QString csv = path("limited.csv");
        const QString summaryPath = path("limited.json");
        const CommandRun run = runServing(QStringList{prlimit, QStringLiteral("--fsize=3000")}
            + nodescopeRecord(
                {QStringLiteral("--pid"), pid, QStringLiteral("--csv"), csv, QStringLiteral("--interval"),
                    QStringLiteral("10"), QStringLiteral("--duration"), QStringLiteral("20"),
                    QStringLiteral("--no-attach"), QStringLiteral("--summary"), summaryPath}));
        sleeper.kill();
        sleeper.waitForFinished();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("cannot write %1: File too large").arg(csv)),
            qPrintable(run.err));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY2(
            content.size() > 1000 && content.size() <= 3000, qPrintable(QString::number(content.size())));
        QVERIFY(content.endsWith("\r\n"));
        const SampleCsv::ReadResult result = SampleCsv::read(csv);
        QCOMPARE(result.skippedRows, 0);
        const QJsonObject summary = readJson(summaryPath);
        QCOMPARE(summary.value(QLatin1String("endReason")).toString(), QStringLiteral("error"));
        QCOMPARE(summary.value(QLatin1String("samples")).toInteger(), result.session->size());
    }

    void heapReadingFailuresAreToldAndCounted()
    {
        NodeProcess node;
        QVERIFY(node.startNode("idle.js"));
        QProcess recorder;
        const QString csv = path("stopped.csv");
        const QString summaryPath = path("stopped.json");
        recorder.start(QStringLiteral(NODESCOPE_BINARY),
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QStringLiteral("100"),
                QStringLiteral("--summary"), summaryPath});
        QVERIFY(recorder.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(csvRows(csv) >= 10, 15000);
        ::kill(pid_t(node.pid()), SIGSTOP);
        QTest::qWait(4000);
        ::kill(pid_t(node.pid()), SIGCONT);
        QTest::qWait(2000);
        ::kill(pid_t(recorder.processId()), SIGINT);
        QVERIFY(recorder.state() == QProcess::NotRunning || recorder.waitForFinished(10000));
        const QString err = QString::fromUtf8(recorder.readAllStandardError());
        QVERIFY2(recorder.exitCode() == 0, qPrintable(err));

        const SampleCsv::ReadResult result = SampleCsv::read(csv);
        qint64 withoutHeap = 0;
        for (const Sample& sample : result.session->samples())
            withoutHeap += sample.hasHeap() ? 0 : 1;
        QVERIFY2(withoutHeap >= 20, qPrintable(QString::number(withoutHeap))); // ~3-4 s at 10 Hz
        QCOMPARE(readJson(summaryPath).value(QLatin1String("missedHeapReadings")).toInteger(), withoutHeap);
        // Said once as it started, with the reason, and once as it ended, with the count.
        QCOMPARE(err.count(QLatin1String("Heap readings are failing")), 1);
        QVERIFY2(err.contains(QStringLiteral("PID %1 is stopped").arg(node.pid())), qPrintable(err));
        QCOMPARE(err.count(QLatin1String("Heap readings are back")), 1);
        QVERIFY2(err.contains(QStringLiteral("Heap readings are back: %1 row(s)").arg(withoutHeap)),
            qPrintable(err));
        QVERIFY(result.session->samples().last().hasHeap());
    }

    void recordsThroughAnInspectorAddress()
    {
        NodeProcess node;
        QVERIFY(node.startNode("idle.js", {QStringLiteral("--inspect=0")}));
        QTRY_VERIFY_WITH_TIMEOUT(!NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        const quint16 port = *NodeProcess::listeningPorts(node.pid()).cbegin();
        const QString csv = path("remote.csv");
        const QString summaryPath = path("remote.json");
        const CommandRun run = runToEnd(
            {QStringLiteral("--inspector"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--csv"),
                csv, QStringLiteral("--interval"), QStringLiteral("100"), QStringLiteral("--duration"),
                QStringLiteral("1.5"), QStringLiteral("--summary"), summaryPath});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // Identity as the remote reports it.
        QVERIFY2(
            run.err.contains(QStringLiteral("reports PID %1, Node v").arg(node.pid())), qPrintable(run.err));
        const QJsonObject summary = readJson(summaryPath);
        QCOMPARE(summary.value(QLatin1String("pid")).toInteger(), node.pid());
        QVERIFY(summary.value(QLatin1String("nodeVersion")).toString().startsWith(QLatin1Char('v')));
        QCOMPARE(
            summary.value(QLatin1String("inspector")).toString(), QStringLiteral("127.0.0.1:%1").arg(port));
        const SampleCsv::ReadResult result = SampleCsv::read(csv);
        QVERIFY(result.session && result.session->size() >= 10);
        for (const Sample& sample : result.session->samples()) {
            QVERIFY(sample.hasHeap());
            QVERIFY(!sample.hasCpu()); // no /proc through an address
        }
        QVERIFY(node.isRunning());
    }

    void remoteTextIsPrintedSafely()
    {
        // What an inspector says about itself reaches our stderr without raw
        // control characters, and its out-of-range numbers are not believed.
        FakeInspector fake;
        fake.evaluator = [](const QString& expression) -> QJsonValue {
            if (expression.contains(QLatin1String("memoryUsage")))
                return QJsonObject{{QStringLiteral("rss"), 1000}, {QStringLiteral("heapTotal"), 800},
                    {QStringLiteral("heapUsed"), 600}, {QStringLiteral("external"), 50},
                    {QStringLiteral("arrayBuffers"), 10}};
            return QJsonObject{{QStringLiteral("pid"), 4242},
                {QStringLiteral("version"), QStringLiteral("v20\x1b[2J\nnodescope: forged")},
                {QStringLiteral("heapLimit"), 1e300}};
        };
        const QString summaryPath = path("fake-remote.json");
        const CommandRun run = runServing(nodescopeRecord({QStringLiteral("--inspector"),
            QStringLiteral("127.0.0.1:%1").arg(fake.port()), QStringLiteral("--csv"), path("fake-remote.csv"),
            QStringLiteral("--interval"), QStringLiteral("50"), QStringLiteral("--duration"),
            QStringLiteral("0.5"), QStringLiteral("--summary"), summaryPath}));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(QLatin1String("reports PID 4242, Node v20\\x1b[2J\\x0anodescope: forged")),
            qPrintable(run.err));
        QVERIFY(!run.err.contains(QChar(0x1b)));
        QVERIFY(!run.err.contains(QLatin1String("\nnodescope: forged")));
        const QJsonObject summary = readJson(summaryPath);
        QCOMPARE(summary.value(QLatin1String("pid")).toInteger(), 4242);
        QVERIFY(summary.value(QLatin1String("heapLimitBytes")).isNull());
    }

    void consoleTimersAreCapturedOnlyWhenAsked()
    {
        NodeProcess node;
        QVERIFY(node.startNode("timed-work.js"));
        const QStringList common{QStringLiteral("--pid"), QString::number(node.pid()),
            QStringLiteral("--csv"), path("capture.csv"), QStringLiteral("--duration"),
            QStringLiteral("1.5")};
        const auto timerCount = [](const QJsonObject& summary) {
            return summary.value(QLatin1String("timers")).toArray().size();
        };
        CommandRun run
            = runToEnd(common + QStringList{QStringLiteral("--summary"), path("capture-default.json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(
            timerCount(readJson(path("capture-default.json"))), 0); // off by default: it costs the target
        run = runToEnd(common
            + QStringList{QStringLiteral("--no-console-timers"), QStringLiteral("--summary"),
                path("capture-off.json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(timerCount(readJson(path("capture-off.json"))), 0);
        run = runToEnd(common
            + QStringList{
                QStringLiteral("--console-timers"), QStringLiteral("--summary"), path("capture-on.json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(timerCount(readJson(path("capture-on.json"))) >= 1);
        QVERIFY2(run.err.contains(QLatin1String("with the process's console timers")), qPrintable(run.err));
    }

    void dashboardWithoutADisplayPointsToRecord()
    {
        QProcess dashboard;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(QLatin1String(name));
        dashboard.setProcessEnvironment(environment);
        dashboard.start(QStringLiteral(NODESCOPE_BINARY), {});
        QVERIFY(dashboard.state() == QProcess::NotRunning || dashboard.waitForFinished(10000));
        QCOMPARE(dashboard.exitCode(), 1);
        const QString err = QString::fromUtf8(dashboard.readAllStandardError());
        QVERIFY2(err.contains(QLatin1String("no display")) && err.contains(QLatin1String("nodescope record")),
            qPrintable(err));
    }

    void listCommand()
    {
        NodeProcess node;
        QVERIFY(node.startNode("idle.js", {QStringLiteral("--inspect=0")}));
        QTRY_VERIFY_WITH_TIMEOUT(!NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        const CommandRun nodeOnly = runNodescope({QStringLiteral("list"), QStringLiteral("--json")}, 15000);
        QVERIFY2(nodeOnly.exitCode == 0, qPrintable(nodeOnly.err));
        const QJsonArray processes = QJsonDocument::fromJson(nodeOnly.out.toUtf8()).array();
        bool found = false;
        for (const QJsonValue& value : processes) {
            const QJsonObject process = value.toObject();
            for (const char* key :
                {"pid", "user", "name", "commandLine", "uptimeSeconds", "rssBytes", "isNode", "inspector"})
                QVERIFY2(process.contains(QLatin1String(key)), key);
            QVERIFY(process.value(QLatin1String("isNode")).toBool()); // without --all: Node only
            if (process.value(QLatin1String("pid")).toInteger() != node.pid())
                continue;
            found = true;
            const QJsonObject inspector = process.value(QLatin1String("inspector")).toObject();
            QCOMPARE(inspector.value(QLatin1String("state")).toString(), QStringLiteral("open"));
            QCOMPARE(inspector.value(QLatin1String("port")).toInt(),
                int(*NodeProcess::listeningPorts(node.pid()).cbegin()));
            QVERIFY(process.value(QLatin1String("rssBytes")).toInteger() > 1024 * 1024);
            QVERIFY(
                process.value(QLatin1String("commandLine")).toString().contains(QLatin1String("idle.js")));
        }
        QVERIFY(found);

        // --all adds processes that are not Node, this test among them.
        const CommandRun every = runNodescope(
            {QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--json")}, 15000);
        QVERIFY2(every.exitCode == 0, qPrintable(every.err));
        const QJsonArray all = QJsonDocument::fromJson(every.out.toUtf8()).array();
        QVERIFY(all.size() > processes.size());
        bool self = false;
        for (const QJsonValue& value : all) {
            if (value.toObject().value(QLatin1String("pid")).toInteger() == getpid()) {
                self = true;
                QVERIFY(!value.toObject().value(QLatin1String("isNode")).toBool());
                QCOMPARE(value.toObject()
                             .value(QLatin1String("inspector"))
                             .toObject()
                             .value(QLatin1String("state"))
                             .toString(),
                    QStringLiteral("unavailable"));
            }
        }
        QVERIFY(self);
    }

    void refusesAnotherUsersProcess()
    {
        if (geteuid() != 0)
            QSKIP("needs root to run NodeScope as another user (CI runs as root)");
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (setpriv.isEmpty())
            QSKIP("setpriv (util-linux) is missing");
        NodeProcess node; // owned by root
        QVERIFY(node.startNode("idle.js"));
        // A copy of the binary where user nobody can reach it (the build tree
        // may sit under a home directory nobody may not enter).
        QTemporaryDir shared;
        QVERIFY(QFile::setPermissions(shared.path(), QFileDevice::Permissions(0x7777)));
        const QString binary = shared.filePath(QStringLiteral("nodescope"));
        QVERIFY(QFile::copy(QStringLiteral(NODESCOPE_BINARY), binary));
        QVERIFY(QFile::setPermissions(binary, QFileDevice::Permissions(0x7755)));
        QProcess recorder;
        // NodeScope as nobody, targeting root's process.
        recorder.start(setpriv,
            {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                QStringLiteral("--clear-groups"), binary, QStringLiteral("record"), QStringLiteral("--pid"),
                QString::number(node.pid()), QStringLiteral("--csv"),
                shared.filePath(QStringLiteral("nobody.csv"))});
        QVERIFY(recorder.state() == QProcess::NotRunning || recorder.waitForFinished(15000));
        const QString err = QString::fromUtf8(recorder.readAllStandardError());
        QCOMPARE(recorder.exitCode(), 3);
        QVERIFY2(err.contains(QLatin1String("can only attach to your own processes")), qPrintable(err));
        QVERIFY(node.isRunning());
        QVERIFY(NodeProcess::listeningPorts(node.pid()).isEmpty());
    }
};

NODESCOPE_TEST_MAIN(TestRecord)
#include "tst_record.moc"

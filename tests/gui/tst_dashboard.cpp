// The dashboard as a user drives it, offscreen, against a real node process:
// pick it in the list, attach, watch samples reach the charts, switch window
// lengths, time things, export and re-open, detach.

#include "charts/timeserieschart.h"
#include "charts/timewindow.h"
#include "charts/workerschart.h"
#include "mainwindow.h"
#include "models/heapspacesmodel.h"
#include "models/leaksuspectsmodel.h"
#include "models/livefiguresmodel.h"
#include "models/processlistmodel.h"
#include "models/stallsmodel.h"
#include "models/timerspansmodel.h"
#include "models/timerstatsmodel.h"
#include "panels/heapspacesdialog.h"
#include "panels/leakbanner.h"
#include "panels/leakindicator.h"
#include "panels/leaksuspectspanel.h"
#include "panels/processpicker.h"
#include "panels/stallspanel.h"
#include "panels/stopwatchpanel.h"
#include "proc/listeningports.h"
#include "proc/processscanner.h"
#include "session/samplecsv.h"
#include "session/timerscsv.h"
#include "settings.h"
#include "watch/livesession.h"

#include "nodeprocess.h"
#include "testmain.h"

#include <algorithm>

#include <QDateTime>
#include <QDockWidget>
#include <QLabel>
#include <QLineSeries>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>

using namespace NodeScope;

class TestDashboard : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!NodeProcess::nodeBinary().isEmpty(), "node is not installed; scripts/test.sh installs it");
        // Keep the user's settings out of the test and the test's out of theirs.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("NodeScopeTest"));
        QSettings().clear();
    }

    void attachThroughThePickerAndWatch()
    {
        NodeProcess node;
        QVERIFY(node.startNode("timed-work.js"));
        MainWindow window;
        window.setConfirmDiscard(false);
        window.resize(1400, 900);
        window.show();
        window.setIntervalMs(50);
        // Capturing the process's console timers is off by default (it costs
        // a process that logs a lot); this user turns it on.
        window.settings()->setConsoleCapture(true);

        // The picker lists it (live refresh) and Attach watches it.
        ProcessPicker* picker = window.picker();
        picker->scanner()->setIntervalMs(200);
        QTRY_VERIFY_WITH_TIMEOUT(picker->model()->rowOf(node.pid()) >= 0, 10000);
        const int row = picker->model()->rowOf(node.pid());
        QCOMPARE(picker->model()->index(row, ProcessListModel::Inspector).data().toString(),
            QStringLiteral("opens on attach"));
        picker->selectPid(node.pid());
        QCOMPARE(picker->selectedProcess()->pid, node.pid());
        picker->attachSelected();

        LiveSession* session = window.session();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), LiveSession::State::Watching, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!session->target().nodeVersion.isEmpty(), 15000);
        QCOMPARE(session->target().pid, node.pid());

        // Samples reach the chart series (decimated, heap and CPU).
        QTRY_VERIFY_WITH_TIMEOUT(session->store().statistics(Metric::HeapUsed).count() >= 20, 15000);
        window.updateViews();
        QVERIFY(window.memoryChart()->pointCount(Metric::HeapUsed) > 0);
        QVERIFY(window.memoryChart()->pointCount(Metric::Rss) > 0);
        QVERIFY(window.cpuChart()->pointCount(Metric::Cpu) > 0);
        const QPointF last = window.memoryChart()->points(Metric::HeapUsed).last();
        QVERIFY(last.y() > 0);
        // The newest sample with a heap figure (on a loaded machine the
        // newest one may have only /proc's, its heap read having timed out).
        const QList<Sample>& samples = session->store().session().samples();
        const auto withHeap = std::find_if(samples.crbegin(), samples.crend(),
            [](const Sample& sample) { return sample.heapUsedBytes != Sample::kMissingBytes; });
        QVERIFY(withHeap != samples.crend());
        QCOMPARE(qint64(last.x()), withHeap->wallMs);

        // Legend toggle hides a series (and it stays toggled in the chart).
        window.memoryChart()->setSeriesVisible(Metric::External, false);
        QVERIFY(!window.memoryChart()->isSeriesVisible(Metric::External));
        window.memoryChart()->setSeriesVisible(Metric::External, true);

        // Window lengths switch the visible range; "whole session" starts at the first sample.
        window.setWindowLength(60 * 1000);
        window.updateViews();
        QCOMPARE(window.timeWindow()->to() - window.timeWindow()->from(), 60 * 1000);
        window.setWindowLength(0);
        window.updateViews();
        QCOMPARE(window.timeWindow()->from(), session->store().session().samples().first().wallMs);
        window.timeWindow()->zoomTo(window.timeWindow()->from(), window.timeWindow()->from() + 500);
        QVERIFY(!window.timeWindow()->isFollowing());
        window.timeWindow()->reset();
        QVERIFY(window.timeWindow()->isFollowing());

        // The process's console timers arrive (timed-work.js: 'sleep50' every ~150 ms).
        QTRY_VERIFY_WITH_TIMEOUT(
            session->timerStatistics().stats(TimerSpan::Source::Process, QStringLiteral("sleep50")), 10000);
        const TimerStats sleep50
            = *session->timerStatistics().stats(TimerSpan::Source::Process, QStringLiteral("sleep50"));
        // The sleep never ends early, so every span is at least 50 ms; how
        // much longer depends on the machine's load, which a test must not judge.
        QVERIFY(sleep50.count >= 1);
        QVERIFY(sleep50.minMs >= 50 && sleep50.maxMs >= sleep50.minMs);

        // The user's stopwatch: start, lap, duplicate refused, stop.
        StopwatchPanel* panel = window.stopwatchPanel();
        QSignalSpy messages(panel, &StopwatchPanel::message);
        QVERIFY(panel->startTimer(QStringLiteral("load test")));
        QVERIFY(!panel->startTimer(QStringLiteral("load test")));
        QVERIFY(messages.last().at(0).toString().contains(QLatin1String("already running")));
        QVERIFY(messages.last().at(1).toBool()); // shown as an error
        QTest::qWait(120);
        QVERIFY(panel->lapTimer(QStringLiteral("load test")));
        QTest::qWait(120);
        QVERIFY(panel->stopTimer(QStringLiteral("load test")));
        QVERIFY(!panel->stopTimer(QStringLiteral("load test")));
        const auto user
            = session->timerStatistics().stats(TimerSpan::Source::User, QStringLiteral("load test"));
        QVERIFY(user);
        QCOMPARE(user->count, 1);
        QVERIFY(user->lastMs >= 240);
        window.updateViews();
        QVERIFY(panel->spansModel()->rowCount() >= 3); // process spans, the lap and the stop
        QVERIFY(panel->toggleLastTimer()); // Ctrl+T starts "load test" again...
        QVERIFY(panel->toggleLastTimer()); // ...and stops it
        QCOMPARE(
            session->timerStatistics().stats(TimerSpan::Source::User, QStringLiteral("load test"))->count, 2);

        QTRY_COMPARE_WITH_TIMEOUT(window.findChild<QLabel*>(QStringLiteral("followLabel"))->text(),
            QStringLiteral("following live"), 5000);

        // Export, then review the file with the same charts.
        const QString csv = m_dir.filePath(QStringLiteral("session.csv"));
        QVERIFY(window.exportCsv(csv));
        QVERIFY(session->isSaved());
        const qsizetype exported = session->store().size();
        const Sample lastExported = session->store().session().samples().last();
        QVERIFY(QFileInfo::exists(TimersCsv::pathFor(csv)));
        const QString png = m_dir.filePath(QStringLiteral("charts.png"));
        QVERIFY(window.saveChartPng(png));
        QVERIFY(QImage(png).width() > 400);

        // Detach: the inspector NodeScope opened is closed, the data stays.
        QSignalSpy detached(session, &LiveSession::detached);
        session->detach();
        QVERIFY(detached.wait(5000));
        QCOMPARE(session->state(), LiveSession::State::Ended);
        QVERIFY(session->store().size() >= exported);
        // The session's markers tell what happened when.
        QStringList marks;
        for (const Marker& marker : session->store().session().markers())
            marks.append(marker.text);
        QVERIFY2(marks.first().startsWith(QLatin1String("attached (Node v")),
            qPrintable(marks.join(QLatin1Char('|'))));
        QCOMPARE(marks.last(), QStringLiteral("detached"));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(node.isRunning());

        QVERIFY(window.openCsv(csv));
        QCOMPARE(session->state(), LiveSession::State::Review);
        QCOMPARE(session->store().size(), exported);
        const Sample reviewed = session->store().session().samples().last();
        QCOMPARE(reviewed.wallMs, lastExported.wallMs);
        QCOMPARE(reviewed.heapUsedBytes, lastExported.heapUsedBytes);
        QCOMPARE(reviewed.rssBytes, lastExported.rssBytes);
        QVERIFY(session->timerStatistics().stats(TimerSpan::Source::User, QStringLiteral("load test")));
        window.updateViews();
        QVERIFY(window.memoryChart()->pointCount(Metric::HeapUsed) > 0);
        // A recording has no "live" to follow.
        const auto* follow = window.findChild<QLabel*>(QStringLiteral("followLabel"));
        QVERIFY(follow);
        QCOMPARE(follow->text(), QStringLiteral("showing the end"));
    }

    void aBlockedLoopIsCountedShadedAndListed()
    {
        // blocker.js blocks its event loop for 1.8 s every 4 s.
        NodeProcess node;
        QVERIFY(node.startNode("blocker.js"));
        MainWindow window;
        window.setConfirmDiscard(false);
        window.resize(1400, 900);
        window.show();
        window.setIntervalMs(100);
        window.attachToPid(node.pid());
        LiveSession* session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(!session->target().nodeVersion.isEmpty(), 15000);

        // While it lasts, the status bar counts it and every chart shades it...
        QTRY_VERIFY_WITH_TIMEOUT(!window.loopBlockedText().isEmpty(), 15000);
        QVERIFY2(window.loopBlockedText().startsWith(QStringLiteral("Event loop blocked for ")),
            qPrintable(window.loopBlockedText()));
        window.updateViews();
        const qint64 during = QDateTime::currentMSecsSinceEpoch();
        QVERIFY2(window.cpuChart()->describe(during).contains(QLatin1String("event loop blocked since")),
            qPrintable(window.cpuChart()->describe(during)));
        // ...and once the loop turns again the count goes and the stall is listed, with its length.
        StallsModel* stalls = window.stallsPanel()->model();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                window.updateViews();
                return stalls->rowCount() >= 1;
            }(),
            15000);
        QTRY_VERIFY_WITH_TIMEOUT(window.loopBlockedText().isEmpty(), 5000);
        const LoopStall stall = stalls->stall(0);
        QVERIFY2(stall.durationMs >= 1300 && stall.durationMs <= 2600,
            qPrintable(QString::number(stall.durationMs)));
        QVERIFY(window.eventLoopChart()
                    ->describe(stall.startWallMs + 500)
                    .contains(QLatin1String("blocked for")));
        QVERIFY(window.eventLoopChart()->pointCount(Metric::LoopDelayMax) > 0);
        QVERIFY(window.eventLoopChart()->pointCount(Metric::EventLoopUtilization) > 0);
        // A click on it zooms the charts to it.
        window.stallsPanel()->zoomTo(0);
        QVERIFY(!window.timeWindow()->isFollowing());
        QVERIFY(window.timeWindow()->from() < stall.startWallMs);
        QVERIFY(window.timeWindow()->to() > stall.startWallMs + qint64(stall.durationMs));

        // The resources chart's readout breaks the count down by type (the interval is a Timeout).
        QTRY_VERIFY_WITH_TIMEOUT(!session->pipeline().resourcesByType().isEmpty(), 10000);
        window.timeWindow()->reset();
        window.updateViews();
        QVERIFY(window.resourcesChart()->pointCount(Metric::ActiveResources) > 0);
        const qint64 last = session->store().session().samples().last().wallMs;
        QVERIFY2(window.resourcesChart()->describe(last).contains(QLatin1String("Timeout ")),
            qPrintable(window.resourcesChart()->describe(last)));

        // Heap spaces, read from the process through the probe.
        window.heapSpacesAction()->trigger();
        HeapSpacesDialog* dialog = window.heapSpacesDialog();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isShowingSpaces(), 10000);
        QStringList names;
        for (const HeapSpace& space : dialog->model()->spaces())
            names.append(space.name);
        QVERIFY2(names.contains(QStringLiteral("old_space")) && names.contains(QStringLiteral("new_space")),
            qPrintable(names.join(QLatin1Char(','))));
        QVERIFY(dialog->stateText().contains(QStringLiteral("of PID %1").arg(node.pid())));
        if (!qEnvironmentVariableIsEmpty("NODESCOPE_KEEP_PNG"))
            window.saveChartPng(QStringLiteral("/tmp/blocker-charts.png"));

        // Once detached, nothing is blocked any more and the dialog says why it has nothing new.
        QSignalSpy detached(session, &LiveSession::detached);
        session->detach();
        QVERIFY(detached.wait(5000));
        QVERIFY(window.loopBlockedText().isEmpty());
        dialog->refresh();
        QVERIFY(!dialog->isShowingSpaces());
        QVERIFY2(dialog->stateText().contains(QLatin1String("no process is attached")),
            qPrintable(dialog->stateText()));
    }

    void badFilesAndPathsGetMessagesNotCrashes()
    {
        MainWindow window;
        window.setConfirmDiscard(false);
        QSignalSpy stateChanges(window.session(), &LiveSession::stateChanged);
        // Not ours.
        const QString foreign = m_dir.filePath(QStringLiteral("foreign.csv"));
        QFile file(foreign);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("name,age\nbob,42\n");
        file.close();
        QVERIFY(!window.openCsv(foreign));
        QVERIFY(!window.openCsv(m_dir.filePath(QStringLiteral("missing.csv"))));
        QCOMPARE(window.session()->state(), LiveSession::State::Empty);

        // Truncated: opens with the rows that parse.
        Session recorded;
        for (int i = 0; i < 10; ++i) {
            Sample sample;
            sample.elapsedMs = quint32(i * 100);
            sample.wallMs = 1'795'000'000'000LL + i * 100;
            sample.rssBytes = 1000 + i;
            recorded.append(sample);
        }
        const QString cut = m_dir.filePath(QStringLiteral("cut.csv"));
        QString error;
        QVERIFY(SampleCsv::write(recorded, cut, &error));
        QFile cutFile(cut);
        QVERIFY(cutFile.open(QIODevice::ReadWrite));
        cutFile.resize(cutFile.size() - 12);
        cutFile.close();
        QVERIFY(window.openCsv(cut));
        QCOMPARE(window.session()->store().size(), 9);

        // Exporting to an unwritable place says so and keeps the session.
        QVERIFY(!window.exportCsv(QStringLiteral("/nonexistent-dir/x.csv")));
        QCOMPARE(window.session()->store().size(), 9);
        QVERIFY(!window.session()->isSaved() || window.session()->state() == LiveSession::State::Review);
    }

    void leakVerdictIsAlwaysShownAndALeakRaisesTheBanner_data()
    {
        QTest::addColumn<double>("growthMbPerMin");
        QTest::addColumn<int>("state");
        QTest::newRow("healthy sawtooth") << 0.0 << int(LeakVerdict::State::Ok);
        QTest::newRow("leak of 3 MB/min") << 3.0 << int(LeakVerdict::State::Leak);
    }
    void leakVerdictIsAlwaysShownAndALeakRaisesTheBanner()
    {
        QFETCH(double, growthMbPerMin);
        QFETCH(int, state);
        // 30 minutes at 1 Hz: a GC sawtooth (collections every 20 s) on a floor
        // that grows or not.
        Session recorded;
        for (int i = 0; i < 1800; ++i) {
            Sample sample;
            sample.elapsedMs = quint32(i) * 1000;
            sample.wallMs = 1'795'000'000'000LL + sample.elapsedMs;
            const double floor = 40e6 + growthMbPerMin * 1024 * 1024 * (i / 60.0);
            sample.heapUsedBytes = qint64(floor + (i % 20) * 1.5e6);
            sample.heapTotalBytes = qint64(floor + 40e6);
            sample.externalBytes = 2'000'000;
            sample.rssBytes = sample.heapTotalBytes + 30'000'000;
            recorded.append(sample);
        }
        const QString path = m_dir.filePath(QStringLiteral("leak-%1.csv").arg(growthMbPerMin));
        QString error;
        QVERIFY(SampleCsv::write(recorded, path, &error));

        MainWindow window;
        window.setConfirmDiscard(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(window.openCsv(path));
        QCOMPARE(int(window.session()->leakDetector().jsVerdict().state), state);
        QCOMPARE(int(window.leakIndicator()->shownState()), state);
        QVERIFY(!window.leakIndicator()->text().isEmpty());
        const bool leak = LeakVerdict::State(state) == LeakVerdict::State::Leak;
        QCOMPARE(window.leakBanner()->isVisible(), leak);
        if (leak) {
            QVERIFY2(window.leakBanner()->text().contains(QLatin1String("MB/min")),
                qPrintable(window.leakBanner()->text()));
            QVERIFY(window.session()->leakDetector().jsVerdict().hasSince());
        }
        QVERIFY(window.saveChartPng(m_dir.filePath(QStringLiteral("leak-%1.png").arg(growthMbPerMin))));
        if (!qEnvironmentVariableIsEmpty("NODESCOPE_KEEP_PNG"))
            window.saveChartPng(QStringLiteral("/tmp/leak-%1.png").arg(growthMbPerMin));
    }

    // A live leak: as the verdict turns, the suspects come up and rank the
    // leaking function first, with its stack.
    void aGrowingHeapBringsUpTheLeakSuspects()
    {
        NodeProcess node;
        QVERIFY(node.startNode("named-leak.js"));
        MainWindow window;
        window.setConfirmDiscard(false);
        window.resize(1400, 900);
        window.show();
        window.setIntervalMs(100);
        LeakSettings quick;
        quick.windowSeconds = 60;
        quick.minGrowthBytes = 2 * 1024 * 1024;
        quick.confirmSeconds = 15;
        window.settings()->setLeakSettings(quick);
        window.attachToPid(node.pid());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), LiveSession::State::Watching, 15000);
        QVERIFY(!window.suspectsDock()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->leakDetector().jsVerdict().isGrowing(), 90000);
        QVERIFY(window.suspectsDock()->isVisible());
        LeakSuspectsPanel* panel = window.suspectsPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->model()->rowCount() > 0, 45000);
        QCOMPARE(panel->model()->index(0, LeakSuspectsModel::Function).data().toString(),
            QStringLiteral("retainOrders"));
        QVERIFY2(
            panel->stackText().contains(QLatin1String("named-leak.js:15:")), qPrintable(panel->stackText()));
        if (!qEnvironmentVariableIsEmpty("NODESCOPE_KEEP_PNG"))
            window.grab().save(QStringLiteral("/tmp/suspects-dashboard.png"));
    }

    // A worker thread appears as its own series under the memory chart, in
    // the legend and in the figures table, and one that exits says so.
    void aWorkerThreadAppearsAsItsOwnSeries()
    {
        NodeProcess node;
        QVERIFY(node.startNode("worker-heap.js"));
        qint64 grower = 0;
        qint64 brief = 0;
        for (const QString& line : node.lines()) {
            const QStringList parts = line.split(QLatin1Char(' '));
            if (parts.size() == 3 && parts[0] == QLatin1String("worker"))
                (parts[1] == QLatin1String("grower") ? grower : brief) = parts[2].toLongLong();
        }
        QVERIFY(grower > 0 && brief > 0);
        MainWindow window;
        window.setConfirmDiscard(false);
        window.resize(1400, 1000);
        window.show();
        window.setIntervalMs(100);
        window.settings()->setWorkerWatching(true); // off by default
        WorkersChart* chart = window.workersChart();
        QVERIFY(chart->isHidden()); // nothing to show before a worker is seen
        window.attachToPid(node.pid());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), LiveSession::State::Watching, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!chart->isHidden(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(chart->points(grower).size() >= 3, 15000);
        QCOMPARE(chart->series(grower)->name(), QStringLiteral("worker %1 (grower)").arg(grower));
        QVERIFY(chart->series(brief));
        // The line rises: the grower keeps what it allocates.
        QTRY_VERIFY_WITH_TIMEOUT(
            chart->points(grower).last().y() - chart->points(grower).first().y() > 10, 20000);

        // A row per worker after the metrics in the figures table.
        LiveFiguresModel* figures = window.figuresModel();
        const int metricRows = int(LiveFiguresModel::rowMetrics().size());
        QTRY_COMPARE_WITH_TIMEOUT(figures->rowCount(), metricRows + 2, 5000);
        QStringList names;
        for (int row = metricRows; row < figures->rowCount(); ++row)
            names << figures->index(row, LiveFiguresModel::Name).data().toString();
        QVERIFY2(
            names.contains(QStringLiteral("worker %1 (grower)").arg(grower)), qPrintable(names.join(u'|')));
        QVERIFY(figures->index(metricRows, LiveFiguresModel::Current).data().toString().endsWith(u'B'));

        node.process().write("end-brief\n");
        QVERIFY(node.waitForLine(QStringLiteral("exited brief"), 5000));
        QTRY_COMPARE_WITH_TIMEOUT(
            chart->series(brief)->name(), QStringLiteral("worker %1 (brief), ended").arg(brief), 10000);
        if (!qEnvironmentVariableIsEmpty("NODESCOPE_KEEP_PNG"))
            window.grab().save(QStringLiteral("/tmp/workers-dashboard.png"));
        // Export writes the workers' series beside the samples, as `record` does.
        const QString csv = m_dir.filePath(QStringLiteral("workers-export.csv"));
        QVERIFY(window.exportCsv(csv));
        QFile workersCsv(m_dir.filePath(QStringLiteral("workers-export-workers.csv")));
        QVERIFY(workersCsv.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = workersCsv.readAll().split('\n');
        const auto growerRows = std::count_if(rows.cbegin(), rows.cend(), [grower](const QByteArray& row) {
            return row.contains(QStringLiteral(",%1,grower,").arg(grower).toUtf8());
        });
        QCOMPARE(growerRows, qsizetype(window.session()->workers().find(grower)->points.size()));
        QSignalSpy detached(window.session(), &LiveSession::detached);
        window.session()->detach();
        QVERIFY(detached.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        QVERIFY(node.isRunning());

        // File > Open reads them back beside the samples: the same readings,
        // each worker an ended series on its own chart.
        QVERIFY(window.openCsv(csv));
        QCOMPARE(window.session()->state(), LiveSession::State::Review);
        QVERIFY(window.session()->workers().find(brief));
        QCOMPARE(window.session()->workers().find(grower)->points.size(), qsizetype(growerRows));
        window.updateViews();
        QVERIFY(!chart->isHidden());
        QCOMPARE(chart->series(grower)->name(), QStringLiteral("worker %1 (grower), ended").arg(grower));
        QVERIFY(chart->points(grower).size() >= 3);
        QTRY_COMPARE_WITH_TIMEOUT(figures->rowCount(), metricRows + 2, 5000);
    }

    void attachingToAMissingProcessIsAMessage()
    {
        MainWindow window;
        window.setConfirmDiscard(false);
        window.attachToPid(0x3ffffff0);
        QCOMPARE(window.session()->state(), LiveSession::State::Empty);
    }
};

NODESCOPE_TEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"

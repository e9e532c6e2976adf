// Every item model of the dashboard under QAbstractItemModelTester, plus the
// merge-not-reset behaviour the picker relies on.

#include "charts/timewindow.h"
#include "models/leaksuspectsmodel.h"
#include "models/livefiguresmodel.h"
#include "models/processfiltermodel.h"
#include "models/processlistmodel.h"
#include "models/runningtimersmodel.h"
#include "models/timerspansmodel.h"
#include "models/timerstatsmodel.h"
#include "panels/leaksuspectspanel.h"
#include "panels/processpicker.h"
#include "proc/processtable.h"
#include "watch/livesession.h"

#include "session/metrics.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>

using namespace NodeScope;

namespace {

ProcessInfo process(qint64 pid, bool isNode, const QString& command, qint64 rss = 1000)
{
    ProcessInfo info;
    info.pid = pid;
    info.startTimeTicks = quint64(pid) * 10;
    info.isNode = isNode;
    info.name = isNode ? QStringLiteral("node") : QStringLiteral("bash");
    info.commandLine = command;
    info.user = QStringLiteral("alice");
    info.rssBytes = rss;
    info.inspector.state = isNode ? InspectorStatus::State::Closed : InspectorStatus::State::Unavailable;
    return info;
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void processListMergesRowByRow()
    {
        ProcessListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

        model.merge({process(10, true, QStringLiteral("node a.js")),
            process(20, false, QStringLiteral("bash")), process(30, true, QStringLiteral("node b.js"))});
        QCOMPARE(model.rowCount(), 3);
        const QPersistentModelIndex b = model.index(model.rowOf(30), 0);

        // 20 goes away, 10 changes, 40 arrives: b's index must survive.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.merge({process(10, true, QStringLiteral("node a.js"), 5000),
            process(30, true, QStringLiteral("node b.js")),
            process(40, true, QStringLiteral("node --inspect=0 c.js"))});
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(b.isValid());
        QCOMPARE(b.data().toString(), QStringLiteral("30"));
        QCOMPARE(changed.size(), 1); // only pid 10's rss changed
        QCOMPARE(
            model.index(model.rowOf(40), ProcessListModel::Name).data().toString(), QStringLiteral("c.js"));
        QCOMPARE(resets.size(), 0);

        // A reused PID (new start time) is a new process: removed and inserted.
        ProcessInfo reused = process(30, true, QStringLiteral("node other.js"));
        reused.startTimeTicks = 999;
        model.merge({process(10, true, QStringLiteral("node a.js"), 5000), reused});
        QVERIFY(!b.isValid());
        QCOMPARE(model.rowCount(), 2);
        model.merge({});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.size(), 0);
    }

    void nodeProcessesComeFirstEitherWay()
    {
        ProcessListModel model;
        ProcessFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.merge({process(5, false, QStringLiteral("bash")), process(7, true, QStringLiteral("node x.js")),
            process(9, false, QStringLiteral("vim")), process(3, true, QStringLiteral("node y.js"))});
        proxy.sort(ProcessListModel::Pid, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("3"));
        QCOMPARE(proxy.index(1, 0).data().toString(), QStringLiteral("7"));
        QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("5"));
        proxy.sort(ProcessListModel::Pid, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("7"));
        QCOMPARE(proxy.index(1, 0).data().toString(), QStringLiteral("3"));
        QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("9"));

        proxy.setFilterFixedString(QStringLiteral("y.js"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("3"));
        proxy.setFilterFixedString(QStringLiteral("ALICE"));
        QCOMPARE(proxy.rowCount(), 4);
    }

    void inspectorColumnExplains_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("text");
        QTest::newRow("open") << int(InspectorStatus::State::Open) << 9229 << QString()
                              << QStringLiteral("open on :9229");
        QTest::newRow("closed") << int(InspectorStatus::State::Closed) << 0 << QString()
                                << QStringLiteral("opens on attach");
        QTest::newRow("unavailable") << int(InspectorStatus::State::Unavailable) << 0
                                     << QStringLiteral("owned by bob")
                                     << QStringLiteral("cannot attach: owned by bob");
    }
    void inspectorColumnExplains()
    {
        QFETCH(int, state);
        QFETCH(int, port);
        QFETCH(QString, reason);
        QFETCH(QString, text);
        QCOMPARE(
            ProcessTable::describeInspector({InspectorStatus::State(state), quint16(port), reason}), text);
    }

    void timerModels()
    {
        TimerStatsModel stats;
        TimerSpansModel spans;
        QAbstractItemModelTester statsTester(&stats, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester spansTester(&spans, QAbstractItemModelTester::FailureReportingMode::QtTest);
        TimerStatistics statistics;
        QList<TimerSpan> all;
        for (int i = 0; i < 5; ++i) {
            TimerSpan span;
            span.source = i % 2 ? TimerSpan::Source::User : TimerSpan::Source::Process;
            span.label = i < 3 ? QStringLiteral("DB Call") : QStringLiteral("render");
            span.startWallMs = 1000 * i;
            span.endWallMs = 1000 * i + 10 * (i + 1);
            span.durationMs = 10.0 * (i + 1);
            statistics.add(span);
            all.append(span);
        }
        stats.refresh(statistics);
        spans.append(all);
        QCOMPARE(spans.rowCount(), 5);
        QCOMPARE(
            stats.rowCount(), 4); // (process, DB Call), (user, DB Call), (user, render), (process, render)
        const int rowsBefore = stats.rowCount();
        stats.refresh(statistics); // nothing new: no row churn
        QCOMPARE(stats.rowCount(), rowsBefore);

        QSignalSpy hidden(&stats, &TimerStatsModel::hiddenLabelsChanged);
        int dbRow = -1;
        for (int row = 0; row < stats.rowCount(); ++row) {
            if (stats.index(row, TimerStatsModel::Label).data().toString() == QLatin1String("DB Call"))
                dbRow = row;
        }
        QVERIFY(stats.setData(stats.index(dbRow, TimerStatsModel::Shown), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(hidden.size(), 1);
        QVERIFY(stats.hiddenLabels().contains(QStringLiteral("DB Call")));
        QVERIFY(stats.setData(stats.index(dbRow, TimerStatsModel::Shown), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(stats.hiddenLabels().isEmpty());
        stats.clear();
        spans.clear();
        QCOMPARE(stats.rowCount(), 0);
        QCOMPARE(spans.rowCount(), 0);
    }

    void runningTimersFollowTheStopwatch()
    {
        Stopwatch stopwatch;
        RunningTimersModel model(&stopwatch);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(stopwatch.start(QStringLiteral("a")));
        QVERIFY(stopwatch.start(QStringLiteral("b")));
        model.sync();
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(stopwatch.stop(QStringLiteral("a")));
        model.sync();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.label(0), QStringLiteral("b"));
        QTest::qWait(120);
        model.sync();
        QVERIFY(model.index(0, RunningTimersModel::Elapsed).data().toString().endsWith(QLatin1String(" s")));
    }

    void liveFiguresModel()
    {
        LiveSession session;
        LiveFiguresModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), Metrics::listed().size());
        QCOMPARE(
            model.index(0, LiveFiguresModel::Current).data().toString(), QStringLiteral("–")); // no data yet
        Session recorded;
        Sample sample;
        sample.wallMs = 1'795'000'000'000LL;
        sample.rssBytes = 50 * 1024 * 1024;
        sample.heapUsedBytes = 10 * 1024 * 1024;
        recorded.append(sample);
        session.review(recorded);
        model.refresh();
        QCOMPARE(model.index(0, LiveFiguresModel::Current).data().toString(), QStringLiteral("50.0 MB"));
        QCOMPARE(model.index(2, LiveFiguresModel::Max).data().toString(), QStringLiteral("10.0 MB"));
        QCOMPARE(
            model.index(5, LiveFiguresModel::Mean).data().toString(), QStringLiteral("–")); // CPU not sampled

        // Nothing new: nothing to repaint. Then only the cells whose text
        // changed, each on its own (a range repaints the whole table).
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refresh();
        QCOMPARE(changed.count(), 0);
        Sample later = sample;
        later.wallMs += 1000;
        later.rssBytes = 70 * 1024 * 1024; // rss alone moves: current, max and mean; min stays
        recorded.append(later);
        session.review(recorded);
        model.refresh();
        QSet<QPair<int, int>> cells;
        for (const QList<QVariant>& arguments : std::as_const(changed)) {
            const auto from = arguments.at(0).value<QModelIndex>();
            QCOMPARE(arguments.at(1).value<QModelIndex>(), from);
            cells.insert({from.row(), from.column()});
        }
        const QSet<QPair<int, int>> expected{
            {0, LiveFiguresModel::Current}, {0, LiveFiguresModel::Max}, {0, LiveFiguresModel::Mean}};
        QCOMPARE(cells, expected);
        QCOMPARE(model.index(0, LiveFiguresModel::Mean).data().toString(), QStringLiteral("60.0 MB"));
    }

    void inspectorAddresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port"); // 0: refused
        QTest::newRow("host:port") << QStringLiteral("127.0.0.1:9229") << QStringLiteral("127.0.0.1") << 9229;
        QTest::newRow("name:port") << QStringLiteral("  devbox:9300 ") << QStringLiteral("devbox") << 9300;
        QTest::newRow("port alone") << QStringLiteral("9229") << QStringLiteral("127.0.0.1") << 9229;
        QTest::newRow("ipv6") << QStringLiteral("[::1]:9229") << QStringLiteral("::1") << 9229;
        QTest::newRow("ipv6 without brackets") << QStringLiteral("[::1") << QString() << 0;
        QTest::newRow("no port") << QStringLiteral("localhost:") << QString() << 0;
        QTest::newRow("port too big") << QStringLiteral("localhost:70000") << QString() << 0;
        QTest::newRow("port zero") << QStringLiteral("localhost:0") << QString() << 0;
        QTest::newRow("words") << QStringLiteral("my server") << QString() << 0;
        QTest::newRow("empty host") << QStringLiteral(":9229") << QString() << 0;
    }
    void inspectorAddresses()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(int, port);
        QString parsedHost;
        quint16 parsedPort = 0;
        QString error;
        const bool ok = ProcessPicker::parseAddress(text, &parsedHost, &parsedPort, &error);
        QCOMPARE(ok, port != 0);
        if (ok) {
            QCOMPARE(parsedHost, host);
            QCOMPARE(int(parsedPort), port);
        } else {
            QVERIFY(!error.isEmpty());
        }
    }

    void timeWindowFollowsZoomsAndResets()
    {
        TimeWindow window;
        window.setLengthMs(60'000);
        window.setSessionBounds(0, 20'000); // shorter than the window: fills it from the left
        QCOMPARE(window.from(), 0);
        QCOMPARE(window.to(), 60'000);
        window.setSessionBounds(0, 120'000);
        QVERIFY(window.isFollowing());
        QCOMPARE(window.from(), 60'000);
        QCOMPARE(window.to(), 120'000);
        window.setSessionBounds(0, 130'000); // new data moves a following window
        QCOMPARE(window.to(), 130'000);
        window.zoomTo(10'000, 20'000); // rubber band: stops following
        QVERIFY(!window.isFollowing());
        window.setSessionBounds(0, 140'000);
        QCOMPARE(window.to(), 20'000);
        window.zoomAround(15'000, 0.5);
        QCOMPARE(window.to() - window.from(), 5'000);
        window.reset();
        QVERIFY(window.isFollowing());
        QCOMPARE(window.to(), 140'000);
        window.setLengthMs(0); // whole session
        QCOMPARE(window.from(), 0);
        QCOMPARE(window.to(), 140'000);
        window.panTo(0);
        QVERIFY(!window.isFollowing() || window.lengthMs() == 0);
    }

    void leakSuspectsAreMergedInPlace()
    {
        LeakSuspectsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto suspect = [](const char* function, double mbPerMin, double share) {
            LeakSuspect s;
            s.frame = {QLatin1String(function), QStringLiteral("file:///srv/app/server.js"), 12, 5};
            s.bytesPerMin = mbPerMin * 1024 * 1024;
            s.share = share;
            s.liveBytes = 3 * 1024 * 1024;
            s.stack = {s.frame};
            return s;
        };
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.refresh({suspect("handleRequest", 2.5, 0.8), suspect("render", 0.5, 0.2)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(
            model.index(0, LeakSuspectsModel::Function).data().toString(), QStringLiteral("handleRequest"));
        QCOMPARE(
            model.index(0, LeakSuspectsModel::Location).data().toString(), QStringLiteral("server.js:12:5"));
        QCOMPARE(model.index(0, LeakSuspectsModel::Growth).data().toString(), QStringLiteral("2.50 MB/min"));
        QCOMPARE(model.index(0, LeakSuspectsModel::Share).data().toString(), QStringLiteral("80.0 %"));
        QCOMPARE(model.index(0, LeakSuspectsModel::Live).data().toString(), QStringLiteral("3.00 MB"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.refresh({suspect("render", 1.0, 1.0)});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model.index(0, LeakSuspectsModel::Function).data().toString(), QStringLiteral("render"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    // The panel fills from the pipeline's ranking, picks the first suspect
    // and shows its whole stack.
    void theSuspectsPanelFillsFromThePipeline()
    {
        SessionPipeline pipeline;
        Sampler sampler;
        pipeline.follow(&sampler);
        LeakSuspectsPanel panel;
        panel.resize(900, 300);
        panel.show();
        panel.update(pipeline, true);
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY2(panel.statusText().contains(QLatin1String("while the heap floor grows")),
            qPrintable(panel.statusText()));
        QVERIFY(panel.findButton()->toolTip().contains(QLatin1String("sampling heap profiler")));

        QSignalSpy find(&panel, &LeakSuspectsPanel::findRequested);
        panel.findButton()->click();
        QCOMPARE(find.size(), 1);
        QCOMPARE(find.first().at(0).toBool(), true);
        pipeline.findSuspects();
        Q_EMIT sampler.heapSamplingChanged(true, {});
        panel.update(pipeline, true);
        QVERIFY2(panel.statusText().startsWith(QLatin1String("Sampling allocations")),
            qPrintable(panel.statusText()));
        QCOMPARE(panel.findButton()->text(), QStringLiteral("Stop looking"));

        const SourceFrame push{QStringLiteral("push"), QStringLiteral("node:internal/x"), 3, 1};
        const SourceFrame handler{
            QStringLiteral("retainOrder"), QStringLiteral("file:///srv/orders.js"), 11, 21};
        const SourceFrame caller{QStringLiteral("onTick"), QStringLiteral("file:///srv/orders.js"), 30, 1};
        for (int i = 0; i < 4; ++i) {
            AllocationProfile profile;
            profile.wallMs = 1'795'000'000'000LL + i * 5000;
            profile.sites = {{{push, handler, caller}, 1000 + i * 500000}};
            Q_EMIT sampler.heapProfileRead(profile);
        }
        panel.update(pipeline, true);
        QCOMPARE(panel.model()->rowCount(), 1);
        QCOMPARE(panel.model()->index(0, LeakSuspectsModel::Function).data().toString(),
            QStringLiteral("retainOrder"));
        QCOMPARE(panel.table()->currentIndex().row(), 0);
        QCOMPARE(panel.stackText(),
            QStringLiteral("push node:internal/x:3:1\nretainOrder file:///srv/orders.js:11:21\nonTick "
                           "file:///srv/orders.js:30:1"));
        QVERIFY2(panel.statusText().startsWith(QLatin1String("Most likely first")),
            qPrintable(panel.statusText()));
    }
};

NODESCOPE_TEST_MAIN(TestModels)
#include "tst_models.moc"

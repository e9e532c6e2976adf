// The runtime-health views, offscreen and without a process: the event-loop
// and resources charts drawing the store's figures on their axes, the major
// collections marked on the memory chart, stalls shaded, listed and zoomed
// to, the status bar while the loop is blocked, the heap spaces dialog with
// spaces and with the reasons it has none, and a CSV's runtime columns and
// stalls coming back on Open.

#include "charts/collectionmarkers.h"
#include "charts/plotframe.h"
#include "charts/stallshading.h"
#include "charts/timeserieschart.h"
#include "charts/timewindow.h"
#include "mainwindow.h"
#include "models/heapspacesmodel.h"
#include "models/livefiguresmodel.h"
#include "models/stallsmodel.h"
#include "panels/heapspacesdialog.h"
#include "panels/stallspanel.h"
#include "session/samplecsv.h"
#include "session/samplestore.h"
#include "settings.h"
#include "watch/livesession.h"

#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QValueAxis>

using namespace NodeScope;

namespace {

constexpr qint64 kStart = 1'795'000'000'000LL;

Sample sampleAt(qint64 elapsedMs)
{
    Sample sample;
    sample.elapsedMs = quint32(elapsedMs);
    sample.wallMs = kStart + elapsedMs;
    sample.rssBytes = 120 * 1024 * 1024;
    sample.heapTotalBytes = 60 * 1024 * 1024;
    sample.heapUsedBytes = 30 * 1024 * 1024;
    sample.externalBytes = 2 * 1024 * 1024;
    sample.arrayBuffersBytes = 100 * 1024;
    sample.cpuUserPercent = 5.5f;
    sample.cpuSystemPercent = 0.5f;
    return sample;
}

RuntimeSample runtimeAt(qint64 elapsedMs)
{
    RuntimeSample runtime;
    runtime.elu = 0.25f;
    runtime.loopDelayP50Ms = 10.5f;
    runtime.loopDelayP99Ms = 20.4f;
    runtime.loopDelayMaxMs = elapsedMs == 5'000 ? 4'200.0f : 30.0f; // the row after a 4.2 s stall
    runtime.gcCount = 2;
    runtime.gcPauseMs = 1.5f;
    runtime.activeResources = 12;
    return runtime;
}

// Ten seconds at 10 Hz with the probe's figures; a 4.2 s stall ends at 5 s.
Session healthySession()
{
    Session session;
    for (qint64 ms = 0; ms <= 10'000; ms += 100)
        session.append(sampleAt(ms), runtimeAt(ms));
    return session;
}

// A chart of a group over healthySession(), showing its ten seconds.
struct ChartOnSession {
    explicit ChartOnSession(ChartGroup group)
        : store(healthySession())
        , chart(group, &store, &window)
    {
        window.setLengthMs(10'000);
        window.setSessionBounds(kStart, kStart + 10'000);
        chart.resize(900, 300);
    }
    bool show()
    {
        chart.show();
        const bool exposed = QTest::qWaitForWindowExposed(&chart);
        chart.refresh();
        return exposed;
    }

    SampleStore store;
    TimeWindow window;
    TimeSeriesChart chart;
};

// A point inside the chart's plot, in viewport coordinates, share of the way across.
QPoint plotPoint(const TimeSeriesChart& chart, double share)
{
    const QRectF plot = chart.chart()->mapToScene(chart.chart()->plotArea()).boundingRect();
    return chart.mapFromScene(QPointF(plot.left() + share * plot.width(), plot.center().y()));
}

} // namespace

class TestHealthViews : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("NodeScopeTest"));
        QSettings().clear();
    }

    void eventLoopChartHasAnAxisPerUnit()
    {
        ChartOnSession loop(ChartGroup::EventLoop);
        QVERIFY(loop.show());
        const TimeSeriesChart& chart = loop.chart;
        QCOMPARE(chart.metrics(), Metrics::inChart(ChartGroup::EventLoop));
        // Delays on the left in ms, utilisation on the right in % of the whole interval.
        QCOMPARE(chart.yUnit(), QStringLiteral("ms"));
        QCOMPARE(chart.secondaryUnit(), QStringLiteral("%"));
        QValueAxis* delays = chart.valueAxis(Metric::LoopDelayP99);
        QValueAxis* busy = chart.valueAxis(Metric::EventLoopUtilization);
        QVERIFY(delays != busy);
        QCOMPARE(delays->alignment(), Qt::Alignment(Qt::AlignLeft));
        QCOMPARE(busy->alignment(), Qt::Alignment(Qt::AlignRight));
        QCOMPARE(delays->titleText(), QStringLiteral("ms"));
        QCOMPARE(busy->titleText(), QStringLiteral("%"));
        // The right axis measures one series: it is drawn in that series' colour.
        QCOMPARE(busy->labelsColor(), chart.series(Metric::EventLoopUtilization)->pen().color());
        QCOMPARE(busy->max(), 100.0);
        QVERIFY(delays->max() >= 4'200.0); // the stall's delay is on the axis

        // Every series gets the store's figures, in its axis's units.
        for (Metric metric : chart.metrics())
            QVERIFY2(chart.pointCount(metric) > 0, Metrics::info(metric).key.data());
        QCOMPARE(chart.points(Metric::EventLoopUtilization).first().y(), 25.0);
        QCOMPARE(chart.points(Metric::LoopDelayP50).first().y(), 10.5);
        double highest = 0;
        for (const QPointF& point : chart.points(Metric::LoopDelayMax))
            highest = qMax(highest, point.y());
        QCOMPARE(highest, 4'200.0);

        // A one-unit chart keeps a single axis titled with its unit.
        TimeSeriesChart resources(ChartGroup::Resources, &loop.store, &loop.window);
        resources.resize(900, 200);
        resources.refresh();
        QVERIFY(resources.secondaryUnit().isEmpty());
        QCOMPARE(resources.points(Metric::ActiveResources).first().y(), 12.0);
    }

    void eachChartReadsOutItsOwnFiguresTheStallAndTheFooter()
    {
        ChartOnSession loop(ChartGroup::EventLoop);
        const QString figures = loop.chart.describe(kStart + 2'000);
        QVERIFY2(figures.contains(QLatin1String("loop busy: 25.0 %")), qPrintable(figures));
        QVERIFY2(figures.contains(QLatin1String("delay p99: 20.4 ms")), qPrintable(figures));
        QVERIFY2(!figures.contains(QLatin1String("rss:")), qPrintable(figures)); // the memory chart's

        ChartOnSession resources(ChartGroup::Resources);
        resources.store.session().addStall({kStart + 800, 4'200});
        TimeSeriesChart& chart = resources.chart;
        chart.refresh();
        chart.setReadoutFooter(QStringLiteral("by type at 12:00:00: TCPSocketWrap 9, Timeout 3"));
        const QString during = chart.describe(kStart + 2'000);
        QVERIFY2(during.contains(QLatin1String("active resources: 12")), qPrintable(during));
        QVERIFY2(during.contains(QLatin1String("event loop blocked for 4.2 s from")), qPrintable(during));
        // The stall and the footer come first under the time, before the figures:
        // a short chart may show only the first lines.
        const QStringList lines = during.split(QLatin1Char('\n'));
        QVERIFY2(lines.size() == 4, qPrintable(during));
        QVERIFY(lines[1].startsWith(QStringLiteral("■ event loop blocked for 4.2 s from")));
        QCOMPARE(lines[2], QStringLiteral("by type at 12:00:00: TCPSocketWrap 9, Timeout 3"));
        QCOMPARE(lines[3], QStringLiteral("active resources: 12"));
        const QString after = chart.describe(kStart + 7'000);
        QVERIFY(!after.contains(QLatin1String("blocked")));
    }

    void majorCollectionsAreMarkedInTheWindowOnly()
    {
        CollectionMarkers markers;
        const QList<QPair<qint64, double>> collections{
            {kStart + 500, 3.0}, // before the window
            {kStart + 2'000, 12.3}, {kStart + 5'000, 4.0},
            {kStart + 5'010, 6.0}, // 1 px from the last one: merged with it
            {kStart + 12'000, 9.0}, // after the window
        };
        markers.layOut(collections, kStart + 1'000, kStart + 11'000, 1000);
        QCOMPARE(markers.marks().size(), 2);
        QCOMPARE(markers.marks()[0].x, 100.0);
        QCOMPARE(markers.marks()[1].count, 2);
        QCOMPARE(markers.marks()[1].maxPauseMs, 6.0);
        QCOMPARE(markers.describe(kStart + 2'010, 40), QStringLiteral("▲ major GC, 12.3 ms pause"));
        QCOMPARE(markers.describe(kStart + 5'005, 40),
            QStringLiteral("▲ 2 major GCs, up to 6.00 ms pause (10.0 ms in all)"));
        QVERIFY(markers.describe(kStart + 3'500, 40).isEmpty());

        // A day of collections (one every 2 s) at the whole-day zoom: a mark
        // per few pixel columns at most, not one per collection.
        QList<QPair<qint64, double>> day;
        for (qint64 ms = 0; ms < 24 * 3600 * 1000; ms += 2'000)
            day.append({kStart + ms, 5.0});
        markers.layOut(day, kStart, kStart + 24 * 3600 * 1000, 1200);
        QVERIFY(markers.marks().size() <= int(1200 / CollectionMarkers::kMergePixels) + 1);
        qsizetype counted = 0;
        for (const CollectionMarkers::Mark& mark : markers.marks())
            counted += mark.count;
        QCOMPARE(counted, day.size());

        // On the memory chart, from the session, and painted.
        ChartOnSession memory(ChartGroup::Memory);
        memory.store.session().addMajorCollection(kStart + 3'000, 12.3);
        QVERIFY(memory.show());
        TimeSeriesChart& chart = memory.chart;
        QVERIFY(chart.collectionMarkers().marks().isEmpty()); // off until asked for
        chart.setMajorCollectionsShown(true);
        QCOMPARE(chart.collectionMarkers().marks().size(), 1);
        QVERIFY(chart.describe(kStart + 3'000).contains(QLatin1String("major GC, 12.3 ms pause")));
        // The memory chart also reads out the interval's collections.
        chart.setExtraReadoutMetrics({Metric::GcCount, Metric::GcPause});
        QVERIFY(chart.describe(kStart + 3'000).contains(QLatin1String("collections: 2")));
        QVERIFY(chart.describe(kStart + 3'000).contains(QLatin1String("GC pause: 1.50 ms")));
        memory.window.zoomTo(kStart + 4'000, kStart + 9'000);
        chart.refresh();
        QVERIFY(chart.collectionMarkers().marks().isEmpty());
    }

    void stallsAreShadedWithTheirLength()
    {
        QImage image(400, 100, QImage::Format_RGB32);
        image.fill(Qt::white);
        const PlotFrame frame(QRectF(0, 0, 400, 100), kStart, kStart + 10'000);
        StallShading shading;
        {
            QPainter painter(&image);
            shading.paint(&painter, frame, {{kStart + 2'000, 4'000}}, kStart + 10'000, QFont());
        }
        // Shaded from 2 s to 6 s (80..240 px), bottom to top; clear elsewhere.
        QVERIFY(image.pixelColor(150, 95) != QColor(Qt::white));
        QVERIFY(image.pixelColor(100, 5) != QColor(Qt::white));
        QCOMPARE(image.pixelColor(60, 95), QColor(Qt::white));
        QCOMPARE(image.pixelColor(260, 95), QColor(Qt::white));
        QCOMPARE(StallShading::lengthText(4'200), QStringLiteral("4.2 s"));

        // A stall still going on is shaded up to now.
        image.fill(Qt::white);
        shading.setOngoing(kStart + 8'000);
        {
            QPainter painter(&image);
            shading.paint(&painter, frame, {}, kStart + 10'000, QFont());
        }
        QVERIFY(image.pixelColor(380, 95) != QColor(Qt::white));
        QCOMPARE(image.pixelColor(300, 95), QColor(Qt::white));
        QVERIFY(
            shading.describe({}, kStart + 9'000, kStart + 10'000).contains(QLatin1String("(2.0 s so far)")));
    }

    void stallListFillsAndAClickZoomsToTheStall()
    {
        LiveSession session;
        TimeWindow window;
        StallsPanel panel(&session, &window);
        QAbstractItemModelTester tester(
            panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(panel.summary().contains(QLatin1String("No event-loop figures")));

        Session recorded = healthySession();
        recorded.addStall({kStart + 800, 4'200});
        recorded.addStall({kStart + 9'000, 600});
        session.review(recorded);
        window.setSessionBounds(kStart, kStart + 10'000);
        window.setLengthMs(0);
        panel.refresh();
        QCOMPARE(panel.model()->rowCount(), 2);
        QCOMPARE(panel.model()->index(0, StallsModel::Duration).data().toString(), QStringLiteral("4.2 s"));
        QCOMPARE(panel.model()->index(0, StallsModel::Start).data().toString(),
            QDateTime::fromMSecsSinceEpoch(kStart + 800).toString(QStringLiteral("hh:mm:ss.zzz")));
        QCOMPARE(panel.summary(), QStringLiteral("2 stalls, the longest 4.2 s, 4.8 s in all"));

        // A click on the first row shows it, with some context either side.
        panel.resize(400, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QRect row = panel.view()->visualRect(panel.model()->index(0, StallsModel::Duration));
        QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, Qt::NoModifier, row.center());
        QVERIFY(!window.isFollowing());
        QCOMPARE(window.from(), kStart + 800 - 2'100);
        QCOMPARE(window.to(), kStart + 5'000 + 2'100);

        // A new session empties the list (rows removed, not reset).
        session.review(healthySession());
        panel.refresh();
        QCOMPARE(panel.model()->rowCount(), 1); // recovered from the loop delay: see the CSV test
        session.clear();
        panel.refresh();
        QCOMPARE(panel.model()->rowCount(), 0);
    }

    void statusBarCountsWhileTheLoopIsBlocked()
    {
        MainWindow window;
        window.setConfirmDiscard(false);
        QVERIFY(window.loopBlockedText().isEmpty());
        const qint64 since = QDateTime::currentMSecsSinceEpoch() - 4'200;
        Q_EMIT window.session()->loopBlockedChanged(true, since);
        QVERIFY2(window.loopBlockedText().startsWith(QStringLiteral("Event loop blocked for 4.")),
            qPrintable(window.loopBlockedText()));
        // It counts on by itself while no sample comes.
        const QString first = window.loopBlockedText();
        QTRY_VERIFY_WITH_TIMEOUT(window.loopBlockedText() != first, 3000);
        QVERIFY(window.loopBlockedText().startsWith(QStringLiteral("Event loop blocked for ")));
        Q_EMIT window.session()->loopBlockedChanged(false, since);
        QVERIFY(window.loopBlockedText().isEmpty());
    }

    void heapSpacesDialogShowsSpacesOrWhyNot()
    {
        MainWindow window;
        window.setConfirmDiscard(false);
        QVERIFY(!window.heapSpacesDialog());
        window.heapSpacesAction()->trigger();
        HeapSpacesDialog* dialog = window.heapSpacesDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        // Nothing attached: said in place of the table.
        QVERIFY(!dialog->isShowingSpaces());
        QVERIFY2(dialog->stateText().contains(QLatin1String("no process is attached")),
            qPrintable(dialog->stateText()));

        QAbstractItemModelTester tester(
            dialog->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        constexpr qint64 MB = 1024 * 1024;
        HeapSpace old{QStringLiteral("old_space"), 40 * MB, 30 * MB, 9 * MB, 39 * MB};
        const HeapSpace young{QStringLiteral("new_space"), 16 * MB, 4 * MB, 4 * MB, 16 * MB};
        const HeapSpace empty{QStringLiteral("shared_space"), 0, 0, 0, 0};
        dialog->showSpaces({old, young, empty}, {});
        QVERIFY(dialog->isShowingSpaces());
        QCOMPARE(dialog->model()->rowCount(), 3);
        QVERIFY2(dialog->stateText().startsWith(QLatin1String("3 spaces, read at ")),
            qPrintable(dialog->stateText()));
        QVERIFY(dialog->stateText().endsWith(QLatin1String("34.0 MB used of 56.0 MB (55.0 MB committed)")));
        const QAbstractItemModel* model = dialog->model();
        QCOMPARE(model->index(0, HeapSpacesModel::Space).data().toString(), QStringLiteral("old_space"));
        QCOMPARE(model->index(0, HeapSpacesModel::Used).data().toString(), QStringLiteral("30.0 MB"));
        QCOMPARE(model->index(0, HeapSpacesModel::Committed).data().toString(), QStringLiteral("39.0 MB"));
        QCOMPARE(model->index(0, HeapSpacesModel::Use).data().toString(), QStringLiteral("75.0 %"));
        QCOMPARE(model->index(0, HeapSpacesModel::Use).data(HeapSpacesModel::UseShareRole).toDouble(), 0.75);
        QCOMPARE(model->index(2, HeapSpacesModel::Use).data().toString(), QStringLiteral("–"));

        // The same spaces again update in place; a failure replaces the table by its reason.
        QSignalSpy resets(dialog->model(), &QAbstractItemModel::modelReset);
        old.usedBytes = 20 * MB;
        dialog->showSpaces({old, young, empty}, {});
        QVERIFY(resets.isEmpty());
        QCOMPARE(model->index(0, HeapSpacesModel::Use).data().toString(), QStringLiteral("50.0 %"));
        dialog->showSpaces({}, QStringLiteral("the probe did not answer"));
        QVERIFY(!dialog->isShowingSpaces());
        QCOMPARE(
            dialog->stateText(), QStringLiteral("Cannot read the heap spaces: the probe did not answer."));

        // A recording has none.
        Session recorded = healthySession();
        window.session()->review(recorded);
        dialog->refresh();
        QVERIFY(dialog->stateText().contains(QLatin1String("a recording has none")));
    }

    void openCsvShowsTheRuntimeColumnsAndStalls()
    {
        Session recorded = healthySession();
        const QString path = m_dir.filePath(QStringLiteral("health.csv"));
        QString error;
        QVERIFY2(SampleCsv::write(recorded, path, &error), qPrintable(error));

        MainWindow window;
        window.setConfirmDiscard(false);
        window.resize(1400, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openCsv(path));
        window.updateViews();
        QCOMPARE(window.charts().size(), qsizetype(4));
        for (Metric metric : Metrics::inChart(ChartGroup::EventLoop))
            QVERIFY2(window.eventLoopChart()->pointCount(metric) > 0, Metrics::info(metric).key.data());
        QVERIFY(window.resourcesChart()->pointCount(Metric::ActiveResources) > 0);
        QCOMPARE(window.resourcesChart()->points(Metric::ActiveResources).last().y(), 12.0);

        // The stall comes back from the loop delay of the row after it.
        QCOMPARE(window.stallsPanel()->model()->rowCount(), 1);
        const LoopStall stall = window.stallsPanel()->model()->stall(0);
        QCOMPARE(stall.startWallMs, kStart + 800);
        QCOMPARE(stall.durationMs, 4'200.0);
        QVERIFY(
            window.eventLoopChart()->describe(kStart + 3'000).contains(QLatin1String("blocked for 4.2 s")));

        // The live figures list the runtime figures (the metric table's rows).
        const LiveFiguresModel* figures = window.figuresModel();
        const QList<Metric> rows = LiveFiguresModel::rowMetrics();
        for (Metric metric : {Metric::EventLoopUtilization, Metric::LoopDelayP99, Metric::GcCount,
                 Metric::GcPause, Metric::ActiveResources}) {
            const int row = int(rows.indexOf(metric));
            QVERIFY(row >= 0);
            QVERIFY2(figures->index(row, LiveFiguresModel::Current).data().toString() != QStringLiteral("–"),
                Metrics::info(metric).key.data());
        }
        QCOMPARE(figures->index(int(rows.indexOf(Metric::ActiveResources)), LiveFiguresModel::Current)
                     .data()
                     .toString(),
            QStringLiteral("12"));

        // Zoom and pan move every chart together.
        window.timeWindow()->zoomTo(kStart + 2'000, kStart + 4'000);
        window.updateViews();
        for (TimeSeriesChart* chart : window.charts()) {
            QVERIFY(chart->pointCount(chart->metrics().first()) > 0);
            for (const QPointF& point : chart->points(chart->metrics().first()))
                QVERIFY(point.x() >= kStart + 1'900 && point.x() <= kStart + 4'100);
        }
        // Hovering the event-loop chart reads out that moment.
        TimeSeriesChart* loop = window.eventLoopChart();
        QSignalSpy hovered(loop, &TimeSeriesChart::hovered);
        QTest::mouseMove(loop->viewport(), plotPoint(*loop, 0.5));
        QVERIFY(!hovered.isEmpty());
        const auto at = hovered.last().at(0).value<std::optional<qint64>>();
        QVERIFY(at && qAbs(*at - (kStart + 3'000)) < 50);
        QVERIFY(loop->describe(*at).contains(QLatin1String("delay p50: 10.5 ms")));

        // Hiding a series is a setting, keyed by the metric table, and the chart follows it.
        window.settings()->setSeriesHidden(Metric::LoopDelayP50, true);
        QVERIFY(!window.eventLoopChart()->isSeriesVisible(Metric::LoopDelayP50));
        window.settings()->setSeriesHidden(Metric::LoopDelayP50, false);
        QVERIFY(window.eventLoopChart()->isSeriesVisible(Metric::LoopDelayP50));
        QVERIFY(window.saveChartPng(m_dir.filePath(QStringLiteral("health.png"))));
    }
};

NODESCOPE_TEST_MAIN(TestHealthViews)
#include "tst_healthviews.moc"

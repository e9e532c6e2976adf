// The pieces a TimeSeriesChart is made of: the plot frame's mapping, the
// value axis per unit, the crosshair's readout text, the timer lanes, the
// baseline's caption, and the navigator turning wheel, drag, Esc and
// double-click into TimeWindow changes.

#include "charts/chartannotations.h"
#include "charts/plotframe.h"
#include "charts/samplereadout.h"
#include "charts/timerlanes.h"
#include "charts/timeserieschart.h"
#include "charts/timewindow.h"
#include "charts/valueaxisscale.h"
#include "session/samplestore.h"

#include "testmain.h"

#include <QAction>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

using namespace NodeScope;

namespace {

constexpr qint64 kStart = 1'795'000'000'000LL;

Sample sampleAt(qint64 elapsedMs, bool withCpu = true)
{
    Sample sample;
    sample.elapsedMs = quint32(elapsedMs);
    sample.wallMs = kStart + elapsedMs;
    sample.rssBytes = 120 * 1024 * 1024;
    sample.heapTotalBytes = 60 * 1024 * 1024;
    sample.heapUsedBytes = 30 * 1024 * 1024 + elapsedMs;
    sample.externalBytes = 2 * 1024 * 1024;
    sample.arrayBuffersBytes = 100 * 1024;
    if (withCpu) {
        sample.cpuUserPercent = 5.5f;
        sample.cpuSystemPercent = 0.5f;
    }
    return sample;
}

// A point inside the chart's plot, in viewport coordinates, share of the way across.
QPoint plotPoint(const TimeSeriesChart& chart, double share)
{
    const QRectF plot = chart.chart()->mapToScene(chart.chart()->plotArea()).boundingRect();
    return chart.mapFromScene(QPointF(plot.left() + share * plot.width(), plot.center().y()));
}

void wheel(QWidget* viewport, QPoint at, QPoint angleDelta, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWheelEvent event(QPointF(at), QPointF(viewport->mapToGlobal(at)), QPoint(), angleDelta, Qt::NoButton,
        modifiers, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &event);
}

} // namespace

class TestCharts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plotFrameMapsTimeAndValues()
    {
        const PlotFrame frame(QRectF(100, 50, 1000, 400), kStart, kStart + 10'000, 80, 1024 * 1024);
        QCOMPARE(frame.xFor(kStart), 100.0);
        QCOMPARE(frame.xFor(kStart + 5'000), 600.0);
        QCOMPARE(frame.wallAt(600), kStart + 5'000);
        QCOMPARE(frame.wallAt(99), kStart); // the edge's slack clamps into the range
        QVERIFY(!frame.wallAt(97)); // past it: off the plot
        QVERIFY(!frame.wallAt(1103));
        QCOMPARE(frame.msPerPixel(), 10.0);
        QCOMPARE(frame.yForAxisValue(0), 450.0);
        QCOMPARE(frame.yForAxisValue(80), 50.0);
        QCOMPARE(frame.yForValue(40.0 * 1024 * 1024), 250.0);
    }

    void valueAxisFollowsTheUnit()
    {
        const ValueAxisScale memory = ValueAxisScale::forValues(MetricUnit::Bytes, 50.0 * 1024 * 1024);
        QCOMPARE(memory.unitName(), QStringLiteral("MB"));
        QCOMPARE(memory.divisor(), 1024.0 * 1024);
        QCOMPARE(memory.top(), 60.0); // 54 MB rounded up to a step of 10
        QCOMPARE(memory.tickCount(), 7);

        const ValueAxisScale idle = ValueAxisScale::forValues(MetricUnit::Percent, 0.2);
        QCOMPARE(idle.unitName(), QStringLiteral("% core"));
        QCOMPARE(idle.divisor(), 1.0);
        QCOMPARE(idle.top(), 1.0); // an idle process does not magnify its noise
        QCOMPARE(idle.tickCount(), 6);

        const ValueAxisScale empty
            = ValueAxisScale::forValues(MetricUnit::Bytes, -std::numeric_limits<double>::infinity());
        QCOMPARE(empty.unitName(), QStringLiteral("B"));
        QCOMPARE(empty.top(), 1.0);
    }

    void readoutListsEveryMetricMarksAndTimers()
    {
        SampleStore store;
        store.append(sampleAt(0, false));
        store.append(sampleAt(1000));
        store.session().addMarker({kStart + 1010, 1010, QStringLiteral("forced GC")});
        store.session().addTimerSpan(
            {TimerSpan::Source::Process, QStringLiteral("DB Call"), kStart + 900, kStart + 1100, 200, false});
        store.session().addTimerSpan(
            {TimerSpan::Source::User, QStringLiteral("hidden"), kStart + 900, kStart + 1100, 200, false});
        const SampleReadout readout(&store);

        const QStringList lines
            = readout.describe(kStart + 990, 20, {QStringLiteral("hidden")}).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 9);
        QVERIFY(lines[0].contains(QLatin1String("(+1.0 s)")));
        QCOMPARE(lines[1], QStringLiteral("rss: 120 MB"));
        QCOMPARE(lines[3], QStringLiteral("heapUsed: 30.0 MB"));
        QCOMPARE(lines[5], QStringLiteral("arrayBuffers: 100 KB"));
        QCOMPARE(lines[6], QStringLiteral("CPU: 6.0 % (user 5.5 %, system 0.5 %)"));
        QCOMPARE(lines[7], QStringLiteral("● forced GC"));
        QCOMPARE(lines[8], QStringLiteral("▸ DB Call: 200 ms"));

        const QStringList first = readout.describe(kStart, 5, {}).split(QLatin1Char('\n'));
        QCOMPARE(first[6], QStringLiteral("CPU: n/a"));
        QCOMPARE(first.size(), 7); // no mark nearby, no timer running
        const SampleStore empty;
        QVERIFY(SampleReadout(&empty).describe(kStart, 5, {}).isEmpty());
    }

    void timerLanesCoverTheirColumns()
    {
        const QList<TimerSpan> spans{
            {TimerSpan::Source::Process, QStringLiteral("wide"), kStart + 2'500, kStart + 5'000, 2500, false},
            {TimerSpan::Source::Process, QStringLiteral("hidden"), kStart, kStart + 10'000, 10'000, false},
        };
        TimerLanes lanes;
        lanes.setHiddenLabels({QStringLiteral("hidden")});
        lanes.layOut(spans, kStart, kStart + 10'000, 100);
        QImage image(100, 50, QImage::Format_RGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            lanes.paint(&painter, QRectF(0, 0, 100, 50));
        }
        const QColor lane = TimerLanes::labelColor(QStringLiteral("wide"));
        // The lane at the top (the hidden label takes none), shading below.
        QCOMPARE(image.pixel(30, 1), lane.rgb());
        QCOMPARE(image.pixelColor(10, 1), QColor(Qt::white));
        QCOMPARE(image.pixelColor(60, 1), QColor(Qt::white));
        QVERIFY(image.pixelColor(30, 40) != QColor(Qt::white));
        QCOMPARE(image.pixelColor(10, 40), QColor(Qt::white));
    }

    // The heap floor's trend line runs near the bottom of the memory chart
    // (a floor of a few MB on an axis of 100), where collections are marked,
    // and starts at the plot's left edge early in a window.
    void baselineCaptionStaysReadableInThePlot()
    {
        const QRectF plot(60, 20, 600, 150);
        const QFontMetricsF metrics{QFont()};
        const QString caption = QStringLiteral("heap floor trend 5.98 MB/min");
        const double width = metrics.horizontalAdvance(caption);

        // Room below the line's end: under it, right-aligned to it.
        QRectF box = ChartAnnotations::baselineCaptionBox(plot, QPointF(500, 80), metrics, caption);
        QVERIFY(box.top() > 80);
        QVERIFY(qAbs(box.right() - 500) <= 3);
        QVERIFY(box.width() >= width);

        // A floor near zero: above the line, clear of the marks along the bottom.
        box = ChartAnnotations::baselineCaptionBox(plot, QPointF(500, 165), metrics, caption);
        QVERIFY(box.bottom() < 165);
        QVERIFY(plot.contains(box));

        // A line that has just begun: from the plot's left edge, not over the axis.
        box = ChartAnnotations::baselineCaptionBox(plot, QPointF(90, 165), metrics, caption);
        QVERIFY(box.left() >= plot.left());
        QVERIFY(plot.contains(box));

        // A line that runs on past the window: its caption ends inside it.
        box = ChartAnnotations::baselineCaptionBox(plot, QPointF(900, 80), metrics, caption);
        QVERIFY(plot.contains(box));
    }

    void navigatorTurnsInputIntoTimeWindowChanges()
    {
        SampleStore store;
        for (int i = 0; i <= 600; ++i)
            store.append(sampleAt(qint64(i) * 100));
        TimeWindow window;
        window.setLengthMs(60'000);
        window.setSessionBounds(kStart, kStart + 60'000);
        // The window's own "Reset zoom" on Esc, as in MainWindow.
        QWidget top;
        auto* reset = new QAction(&top);
        reset->setShortcut(QKeySequence(Qt::Key_Escape));
        top.addAction(reset);
        connect(reset, &QAction::triggered, &window, &TimeWindow::reset);
        auto* chart = new TimeSeriesChart(ChartGroup::Memory, &store, &window, &top);
        (new QVBoxLayout(&top))->addWidget(chart);
        top.resize(1000, 400);
        top.show();
        QVERIFY(QTest::qWaitForWindowActive(&top));
        chart->refresh();
        QWidget* viewport = chart->viewport();

        // Wheel up: zoom in around the pointer.
        wheel(viewport, plotPoint(*chart, 0.5), QPoint(0, 120));
        QVERIFY(!window.isFollowing());
        QCOMPARE(window.to() - window.from(), 48'000);
        // Shift+wheel: pan back by a tenth of the window.
        const qint64 from = window.from();
        wheel(viewport, plotPoint(*chart, 0.5), QPoint(0, 120), Qt::ShiftModifier);
        QCOMPARE(window.from(), from - 4'800);
        // Double-click: following again.
        QTest::mouseDClick(viewport, Qt::LeftButton, Qt::NoModifier, plotPoint(*chart, 0.5));
        QVERIFY(window.isFollowing());
        QCOMPARE(window.to() - window.from(), 60'000);

        // A drag over the plot zooms to it.
        QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, plotPoint(*chart, 0.25));
        QTest::mouseMove(viewport, plotPoint(*chart, 0.5));
        QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, plotPoint(*chart, 0.5));
        QVERIFY(!window.isFollowing());
        QVERIFY(qAbs(window.from() - (kStart + 15'000)) < 200);
        QVERIFY(qAbs(window.to() - (kStart + 30'000)) < 200);

        // Esc during a drag drops the band and only that; without a band Esc is the window's reset.
        const qint64 zoomedFrom = window.from();
        const qint64 zoomedTo = window.to();
        chart->setFocus();
        QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, plotPoint(*chart, 0.25));
        QTest::mouseMove(viewport, plotPoint(*chart, 0.75));
        QTest::keyClick(chart, Qt::Key_Escape);
        QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, plotPoint(*chart, 0.75));
        QCOMPARE(window.from(), zoomedFrom);
        QCOMPARE(window.to(), zoomedTo);
        QTest::keyClick(chart, Qt::Key_Escape);
        QVERIFY(window.isFollowing());

        // A wobble is a click, not a range; a press outside the plot is the legend's.
        QTest::mouseClick(viewport, Qt::LeftButton, Qt::NoModifier, plotPoint(*chart, 0.5));
        QVERIFY(window.isFollowing());
        QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, QPoint(2, 2));
        QTest::mouseMove(viewport, plotPoint(*chart, 0.5));
        QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, plotPoint(*chart, 0.5));
        QVERIFY(window.isFollowing());
    }

    void hoverIsReportedAndReadOut()
    {
        SampleStore store;
        for (int i = 0; i <= 100; ++i)
            store.append(sampleAt(qint64(i) * 100));
        TimeWindow window;
        window.setLengthMs(10'000);
        window.setSessionBounds(kStart, kStart + 10'000);
        TimeSeriesChart chart(ChartGroup::Cpu, &store, &window);
        chart.resize(800, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.refresh();
        QCOMPARE(chart.metrics(), Metrics::inChart(ChartGroup::Cpu));
        QCOMPARE(chart.yUnit(), QStringLiteral("% core"));
        QSignalSpy hovered(&chart, &TimeSeriesChart::hovered);
        QTest::mouseMove(chart.viewport(), plotPoint(chart, 0.5));
        QVERIFY(!hovered.isEmpty());
        const auto at = hovered.last().at(0).value<std::optional<qint64>>();
        QVERIFY(at && qAbs(*at - (kStart + 5'000)) < 50);
        QVERIFY(chart.describe(*at).contains(QLatin1String("CPU: 6.0 % (user 5.5 %, system 0.5 %)")));
    }
};

NODESCOPE_TEST_MAIN(TestCharts)
#include "tst_charts.moc"

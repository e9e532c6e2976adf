// How much a chart redraw costs at 10^3, 10^5 and 10^6 samples: decimation
// (SampleStore::decimated through TimeSeriesChart::refresh) and the paint of
// the chart widget into a pixmap. Then the same frame with the lines fed to
// Qt Charts (QXYSeries::replace() with 2 x 1200 points per series) instead of
// the chart's hand painting, and whether either loses the decimated peaks.
// Measured, not asserted; run offscreen:
//   QT_QPA_PLATFORM=offscreen build/release/bench/chartredraw/nodescope_chartbench

#include "charts/timeserieschart.h"
#include "charts/timewindow.h"
#include "session/metrics.h"
#include "session/samplestore.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QPixmap>
#include <QRandomGenerator>
#include <QTextStream>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace NodeScope;

namespace {

constexpr qint64 kStart = 1'795'000'000'000LL;
constexpr QSize kChartSize(1200, 500);
constexpr int kRuns = 30;
constexpr double kBytesPerMB = 1024.0 * 1024.0;

void fill(SampleStore& store, int count)
{
    QRandomGenerator random(1);
    for (int i = 0; i < count; ++i) {
        Sample sample;
        sample.elapsedMs = quint32(i) * 100;
        sample.wallMs = kStart + sample.elapsedMs;
        sample.rssBytes = 120'000'000 + (i % 3000) * 1000;
        sample.heapTotalBytes = 60'000'000 + (i % 1000) * 2000;
        sample.heapUsedBytes = 30'000'000 + (i % 500) * 40'000 + random.bounded(100'000);
        sample.externalBytes = 2'000'000;
        sample.arrayBuffersBytes = 100'000 + random.bounded(1000);
        sample.cpuUserPercent = float(random.bounded(40.0));
        sample.cpuSystemPercent = float(random.bounded(5.0));
        store.append(sample);
    }
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

QString ms(double value)
{
    return QString::number(value, 'f', 2);
}

double elapsedMs(const QElapsedTimer& timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

void render(QGraphicsView& view, QPixmap& pixmap)
{
    QPainter painter(&pixmap);
    view.render(&painter);
}

void redrawTable(QTextStream& out)
{
    out << "| samples | window | decimate (ms, median) | paint (ms, median) | points drawn per series |\n"
        << "|---:|---|---:|---:|---:|\n";
    for (int count : {1'000, 100'000, 1'000'000}) {
        SampleStore store;
        fill(store, count);
        TimeWindow window;
        const qint64 end = kStart + qint64(count - 1) * 100;
        for (const qint64 length : {qint64(0), qint64(5 * 60 * 1000)}) {
            window.setLengthMs(length);
            window.setSessionBounds(kStart, end);
            TimeSeriesChart chart(ChartGroup::Memory, &store, &window);
            chart.resize(kChartSize);
            chart.show();
            QCoreApplication::processEvents();
            QPixmap pixmap(chart.size());
            QList<double> refresh;
            QList<double> paint;
            for (int run = 0; run < kRuns; ++run) {
                QElapsedTimer timer;
                timer.start();
                chart.refresh();
                refresh.append(elapsedMs(timer));
                timer.restart();
                render(chart, pixmap);
                paint.append(elapsedMs(timer));
            }
            out << "| " << count << " | "
                << (length == 0 ? QStringLiteral("whole session") : QStringLiteral("last 5 min")) << " | "
                << ms(median(refresh)) << " | " << ms(median(paint)) << " | "
                << chart.pointCount(Metric::HeapUsed) << " |\n";
            out.flush();
        }
    }
}

// A chart built like TimeSeriesChart (theme, margins, legend, axes, no drop
// shadow, antialiasing, full-viewport updates) whose lines are the
// QLineSeries themselves.
struct SeriesChart {
    QChartView view{new QChart};
    QDateTimeAxis* xAxis = new QDateTimeAxis;
    QValueAxis* yAxis = new QValueAxis;
    QList<QLineSeries*> series;

    SeriesChart(const QList<Metric>& metrics, bool cosmeticPen)
    {
        QChart* chart = view.chart();
        chart->setAnimationOptions(QChart::NoAnimation);
        chart->setTheme(QChart::ChartThemeLight);
        chart->setDropShadowEnabled(false);
        chart->setBackgroundRoundness(0);
        chart->legend()->setAlignment(Qt::AlignTop);
        chart->setMargins(QMargins(4, 2, 4, 2));
        xAxis->setFormat(QStringLiteral("hh:mm:ss"));
        yAxis->setLabelFormat(QStringLiteral("%.4g"));
        yAxis->setTitleText(QStringLiteral("MB"));
        chart->addAxis(xAxis, Qt::AlignBottom);
        chart->addAxis(yAxis, Qt::AlignLeft);
        for (Metric metric : metrics) {
            auto* line = new QLineSeries(chart);
            line->setName(TimeSeriesChart::metricName(metric));
            chart->addSeries(line);
            line->attachAxis(xAxis);
            line->attachAxis(yAxis);
            // The pen the chart's (legend-only) series carry today, or the
            // hand painting's one-pixel cosmetic pen.
            QPen pen(TimeSeriesChart::metricColor(metric), cosmeticPen ? 1 : 2);
            pen.setCosmetic(cosmeticPen);
            line->setPen(pen);
            series.append(line);
        }
        view.setRenderHint(QPainter::Antialiasing);
        view.setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
        view.resize(kChartSize);
        view.show();
        QCoreApplication::processEvents();
    }
};

// Per pixel column of the plot, the rows the polyline through `points`
// (already in scene coordinates) must ink: its lowest and highest y there.
struct ColumnExtent {
    double top = std::numeric_limits<double>::infinity();
    double bottom = -std::numeric_limits<double>::infinity();
};

QList<ColumnExtent> expectedExtents(const QList<QPointF>& points, const QRectF& plot)
{
    QList<ColumnExtent> columns(int(std::ceil(plot.width())));
    const auto touch = [&](double x, double y) {
        const int column = int(std::floor(x - plot.left()));
        if (column >= 0 && column < columns.size()) {
            columns[column].top = qMin(columns[column].top, y);
            columns[column].bottom = qMax(columns[column].bottom, y);
        }
    };
    for (qsizetype i = 1; i < points.size(); ++i) {
        QPointF a = points[i - 1];
        QPointF b = points[i];
        if (a.x() > b.x())
            std::swap(a, b);
        touch(a.x(), a.y());
        touch(b.x(), b.y());
        // Where the segment crosses column boundaries.
        for (double x = std::ceil(a.x()); x < b.x(); x += 1) {
            const double y = a.y() + (b.y() - a.y()) * (x - a.x()) / (b.x() - a.x());
            touch(x, y);
            touch(x - 0.001, y);
        }
    }
    return columns;
}

// Columns where the drawn line stops more than 1.5 px short of a decimated
// extreme (a lost peak or trough), judged by pixels close to the line colour.
// Ink one column to either side counts: aliased and antialiased rasterising
// round a sub-pixel x differently, and a peak one pixel aside is not lost.
int lostExtremes(const QImage& image, const QRectF& plot, const QList<QPointF>& points, QColor color)
{
    const QList<ColumnExtent> expected = expectedExtents(points, plot);
    QList<ColumnExtent> inked(expected.size());
    for (qsizetype column = 0; column < inked.size(); ++column) {
        const int x = int(plot.left()) + int(column);
        for (int y = int(plot.top()); y <= int(plot.bottom()) && y < image.height(); ++y) {
            const QColor pixel = image.pixelColor(x, y);
            const int distance = std::abs(pixel.red() - color.red()) + std::abs(pixel.green() - color.green())
                + std::abs(pixel.blue() - color.blue());
            if (distance <= 90) {
                inked[column].top = qMin(inked[column].top, double(y));
                inked[column].bottom = qMax(inked[column].bottom, double(y));
            }
        }
    }
    int lost = 0;
    for (qsizetype column = 1; column + 1 < expected.size(); ++column) {
        const ColumnExtent& want = expected[column];
        if (!std::isfinite(want.top))
            continue;
        const double top = qMin(inked[column - 1].top, qMin(inked[column].top, inked[column + 1].top));
        const double bottom
            = qMax(inked[column - 1].bottom, qMax(inked[column].bottom, inked[column + 1].bottom));
        if (!std::isfinite(top) || top > want.top + 1.5 || bottom < want.bottom - 1.5)
            ++lost;
    }
    return lost;
}

// The same frames drawn two ways: TimeSeriesChart's hand painting, and the
// decimated points fed to its QLineSeries. A frame of a live chart moves
// the window by one sample, so the x axis changes every frame too.
void linesTable(QTextStream& out)
{
    const int count = 1'000'000;
    SampleStore store;
    fill(store, count);
    const qint64 end = kStart + qint64(count - 1) * 100;
    const QList<Metric> metrics = Metrics::inChart(ChartGroup::Memory);
    const int columns = 1200;

    out << "\n| window (10^6 samples) | lines drawn by | points per series | decimate (ms) "
           "| replace() x 5 + axes (ms) | paint (ms) | frame (ms) | columns losing a peak |\n"
        << "|---|---|---:|---:|---:|---:|---:|---:|\n";
    for (const qint64 length : {qint64(5 * 60 * 1000), qint64(0)}) {
        const QString windowName
            = length == 0 ? QStringLiteral("whole session") : QStringLiteral("last 5 min");
        const qint64 span = length == 0 ? end - kStart : length;
        const qint64 firstFrom = end - span - kRuns * 100;

        {
            TimeWindow window;
            TimeSeriesChart chart(ChartGroup::Memory, &store, &window);
            chart.resize(kChartSize);
            chart.show();
            QCoreApplication::processEvents();
            QPixmap pixmap(chart.size());
            QList<double> decimate;
            QList<double> paint;
            QList<double> frame;
            for (int run = 0; run < kRuns; ++run) {
                window.zoomTo(firstFrom + run * 100, firstFrom + span + run * 100);
                QElapsedTimer timer;
                timer.start();
                chart.refresh();
                decimate.append(elapsedMs(timer));
                const double refreshed = elapsedMs(timer);
                render(chart, pixmap);
                paint.append(elapsedMs(timer) - refreshed);
                frame.append(elapsedMs(timer));
            }
            // Only heapUsed, to see its ink alone.
            for (Metric metric : metrics)
                chart.setSeriesVisible(metric, metric == Metric::HeapUsed);
            chart.refresh();
            QImage image(chart.size(), QImage::Format_RGB32);
            {
                QPainter painter(&image);
                chart.render(&painter);
            }
            const QRectF plot = chart.chart()->mapToScene(chart.chart()->plotArea()).boundingRect();
            const auto* yAxis = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).first());
            QList<QPointF> scene;
            for (const QPointF& point : chart.points(Metric::HeapUsed)) {
                scene.append(QPointF(plot.left()
                        + (point.x() - double(window.from())) * plot.width()
                            / double(window.to() - window.from()),
                    plot.bottom() - point.y() * plot.height() / yAxis->max()));
            }
            out << "| " << windowName << " | hand painting (1 px cosmetic pen) | "
                << chart.pointCount(Metric::HeapUsed) << " | " << ms(median(decimate))
                << " (with axes) | - | " << ms(median(paint)) << " | " << ms(median(frame)) << " | "
                << lostExtremes(image, plot, scene, TimeSeriesChart::metricColor(Metric::HeapUsed)) << " of "
                << int(plot.width()) << " |\n";
            out.flush();
        }

        for (const bool cosmetic : {false, true}) {
            SeriesChart chart(metrics, cosmetic);
            QPixmap pixmap(chart.view.size());
            QList<double> decimate;
            QList<double> replace;
            QList<double> paint;
            QList<double> frame;
            qsizetype pointsPerSeries = 0;
            QList<QPointF> heapUsed;
            qint64 from = 0;
            qint64 to = 0;
            for (int run = 0; run < kRuns; ++run) {
                from = firstFrom + run * 100;
                to = from + span;
                QElapsedTimer timer;
                timer.start();
                QList<QList<QPointF>> lines;
                double maxValue = 0;
                for (Metric metric : metrics) {
                    QList<QPointF> points = store.decimated(metric, from, to, columns);
                    for (QPointF& point : points) {
                        point.setY(point.y() / kBytesPerMB);
                        maxValue = qMax(maxValue, point.y());
                    }
                    lines.append(std::move(points));
                }
                decimate.append(elapsedMs(timer));
                timer.restart();
                chart.xAxis->setRange(
                    QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
                chart.yAxis->setRange(0, std::ceil(maxValue * 1.08 / 50) * 50);
                for (qsizetype i = 0; i < metrics.size(); ++i)
                    chart.series[i]->replace(lines[i]);
                replace.append(elapsedMs(timer));
                timer.restart();
                render(chart.view, pixmap);
                paint.append(elapsedMs(timer));
                frame.append(decimate.last() + replace.last() + paint.last());
                pointsPerSeries = lines[metrics.indexOf(Metric::HeapUsed)].size();
                heapUsed = lines[metrics.indexOf(Metric::HeapUsed)];
            }
            for (qsizetype i = 0; i < metrics.size(); ++i)
                chart.series[i]->setVisible(metrics[i] == Metric::HeapUsed);
            QImage image(chart.view.size(), QImage::Format_RGB32);
            {
                QPainter painter(&image);
                chart.view.render(&painter);
            }
            const QRectF plot = chart.view.chart()->mapToScene(chart.view.chart()->plotArea()).boundingRect();
            QList<QPointF> scene;
            for (const QPointF& point : std::as_const(heapUsed)) {
                scene.append(
                    QPointF(plot.left() + (point.x() - double(from)) * plot.width() / double(to - from),
                        plot.bottom() - point.y() * plot.height() / chart.yAxis->max()));
            }
            out << "| " << windowName << " | QLineSeries, "
                << (cosmetic ? QStringLiteral("1 px cosmetic pen")
                             : QStringLiteral("2 px pen (its pen today)"))
                << " | " << pointsPerSeries << " | " << ms(median(decimate)) << " | " << ms(median(replace))
                << " | " << ms(median(paint)) << " | " << ms(median(frame)) << " | "
                << lostExtremes(image, plot, scene, TimeSeriesChart::metricColor(Metric::HeapUsed)) << " of "
                << int(plot.width()) << " |\n";
            out.flush();
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);
    redrawTable(out);
    linesTable(out);
    return 0;
}

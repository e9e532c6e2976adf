// How much a chart redraw costs at 10^3, 10^5 and 10^6 samples: decimation
// (SampleStore::decimated through TimeSeriesChart::refresh) and the paint of
// the chart widget into a pixmap. Measured, not asserted; run offscreen:
//   QT_QPA_PLATFORM=offscreen build/release/bench/chartredraw/nodescope_chartbench

#include "charts/timeserieschart.h"
#include "charts/timewindow.h"
#include "session/samplestore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPainter>
#include <QPixmap>
#include <QRandomGenerator>
#include <QTextStream>

#include <algorithm>
#include <cmath>

using namespace NodeScope;

namespace {

constexpr qint64 kStart = 1'795'000'000'000LL;

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

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);
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
            TimeSeriesChart chart(TimeSeriesChart::Kind::Memory, &store, &window);
            chart.resize(1200, 500);
            chart.show();
            QCoreApplication::processEvents();
            QPixmap pixmap(chart.size());
            QList<double> refresh;
            QList<double> paint;
            for (int run = 0; run < 30; ++run) {
                QElapsedTimer timer;
                timer.start();
                chart.refresh();
                refresh.append(double(timer.nsecsElapsed()) / 1e6);
                timer.restart();
                {
                    QPainter painter(&pixmap);
                    chart.render(&painter);
                }
                paint.append(double(timer.nsecsElapsed()) / 1e6);
            }
            out << "| " << count << " | "
                << (length == 0 ? QStringLiteral("whole session") : QStringLiteral("last 5 min")) << " | "
                << QString::number(median(refresh), 'f', 2) << " | " << QString::number(median(paint), 'f', 2)
                << " | " << chart.pointCount(Metric::HeapUsed) << " |\n";
            out.flush();
        }
    }
    return 0;
}

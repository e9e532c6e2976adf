#include "session/minmaxpyramid.h"
#include "session/samplestore.h"

#include "testmain.h"

#include <QRandomGenerator>

#include <cmath>
#include <limits>

using namespace NodeScope;

namespace {

constexpr qint64 kStartWall = 1'795'000'000'000LL;

Sample sampleAt(quint32 elapsedMs, qint64 heapUsed)
{
    Sample sample;
    sample.elapsedMs = elapsedMs;
    sample.wallMs = kStartWall + elapsedMs;
    sample.rssBytes = 100'000'000;
    sample.heapUsedBytes = heapUsed;
    return sample;
}

} // namespace

class TestSampleStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pyramidMatchesBruteForce_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("tiny") << 5;
        QTest::newRow("one block") << 8;
        QTest::newRow("odd") << 1001;
        QTest::newRow("power of two") << 4096;
        QTest::newRow("large") << 100'003;
    }
    void pyramidMatchesBruteForce()
    {
        QFETCH(int, size);
        QRandomGenerator random(size);
        QList<double> values;
        MinMaxPyramid pyramid([&](qsizetype i) { return values.at(i); });
        for (int i = 0; i < size; ++i) {
            // Some missing values, in runs, as when the inspector was unavailable.
            values.append(
                random.bounded(20) == 0 ? std::numeric_limits<double>::quiet_NaN() : random.bounded(1e6));
            pyramid.append(values.last());
        }
        QCOMPARE(pyramid.size(), size);
        for (int trial = 0; trial < 300; ++trial) {
            qsizetype first = random.bounded(size);
            qsizetype last = first + random.bounded(size - first + 1);
            double min = std::numeric_limits<double>::infinity();
            double max = -min;
            for (qsizetype i = first; i < last; ++i) {
                if (!std::isnan(values[i])) {
                    min = qMin(min, values[i]);
                    max = qMax(max, values[i]);
                }
            }
            const auto extremes = pyramid.extremes(first, last);
            QCOMPARE(extremes.has_value(), std::isfinite(min));
            if (extremes) {
                QCOMPARE(extremes->min, min);
                QCOMPARE(extremes->max, max);
                QCOMPARE(values[extremes->minIndex], min);
                QCOMPARE(values[extremes->maxIndex], max);
                QVERIFY(extremes->minIndex >= first && extremes->minIndex < last);
            }
        }
    }

    void pyramidIsSmall()
    {
        QList<double> values(1'000'000, 1.0);
        MinMaxPyramid pyramid([&](qsizetype i) { return values.at(i); });
        for (double v : std::as_const(values))
            pyramid.append(v);
        QVERIFY2(pyramid.memoryBytes() <= 3 * 1'000'000, qPrintable(QString::number(pyramid.memoryBytes())));
    }

    void decimationKeepsEveryColumnsMinAndMax_data()
    {
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("columns");
        QTest::newRow("fewer samples than columns") << 300 << 1000;
        QTest::newRow("1e4 into 800") << 10'000 << 800;
        QTest::newRow("1e6 into 1500") << 1'000'000 << 1500;
    }
    void decimationKeepsEveryColumnsMinAndMax()
    {
        QFETCH(int, samples);
        QFETCH(int, columns);
        SampleStore store;
        QRandomGenerator random(42);
        for (int i = 0; i < samples; ++i) {
            // A sawtooth with rare single-sample spikes: the spikes must survive.
            qint64 heap = 50'000'000 + (i % 997) * 10'000;
            if (random.bounded(5000) == 0)
                heap = 400'000'000 + random.bounded(1000);
            store.append(sampleAt(quint32(i) * 100, heap));
        }
        const qint64 from = kStartWall;
        const qint64 to = kStartWall + qint64(samples - 1) * 100;
        const QList<QPointF> points = store.decimated(Metric::HeapUsed, from, to, columns);
        QVERIFY(points.size() <= 2 * columns + 2);
        for (qsizetype i = 1; i < points.size(); ++i)
            QVERIFY(points[i].x() >= points[i - 1].x()); // time order

        // Every column's true min and max is among the points, at its true time.
        QSet<QPair<qint64, qint64>> present;
        for (const QPointF& point : points)
            present.insert({qint64(point.x()), qint64(point.y())});
        const QList<Sample>& all = store.session().samples();
        const double span = double(to - from);
        qsizetype first = 0;
        for (int column = 0; column < columns; ++column) {
            const qint64 columnEnd = from + qint64(std::ceil(span * double(column + 1) / double(columns)));
            const qsizetype last = column + 1 == columns ? all.size() : store.lowerBoundWall(columnEnd);
            if (last <= first)
                continue;
            qint64 min = std::numeric_limits<qint64>::max();
            qint64 max = std::numeric_limits<qint64>::min();
            for (qsizetype i = first; i < last; ++i) {
                min = qMin(min, all[i].heapUsedBytes);
                max = qMax(max, all[i].heapUsedBytes);
            }
            bool minFound = false;
            bool maxFound = false;
            for (qsizetype i = first; i < last; ++i) {
                minFound
                    = minFound || (all[i].heapUsedBytes == min && present.contains({all[i].wallMs, min}));
                maxFound
                    = maxFound || (all[i].heapUsedBytes == max && present.contains({all[i].wallMs, max}));
            }
            QVERIFY2(minFound && maxFound, qPrintable(QStringLiteral("column %1").arg(column)));
            first = last;
        }
    }

    void decimationReachesTheEdges()
    {
        SampleStore store;
        for (int i = 0; i < 100; ++i)
            store.append(sampleAt(quint32(i) * 1000, i));
        // A window inside the data: the neighbours outside it are included.
        const QList<QPointF> points
            = store.decimated(Metric::HeapUsed, kStartWall + 10'500, kStartWall + 20'500, 100);
        QCOMPARE(points.first().y(), 10.0);
        QCOMPARE(points.last().y(), 21.0);
    }

    void decimationEndsAtTheNewestSample()
    {
        // A collection in the last column: its extremes are before the newest
        // sample, and the line still ends at the newest value.
        SampleStore store;
        for (int i = 0; i < 100; ++i)
            store.append(sampleAt(quint32(i) * 100, i < 95 ? 1000 + i : 500 + i));
        const QList<QPointF> points = store.decimated(Metric::HeapUsed, kStartWall, kStartWall + 60'000, 10);
        QCOMPARE(qint64(points.last().x()), kStartWall + 9'900);
        QCOMPARE(points.last().y(), 599.0);
        QVERIFY(points.size() <= 2 * 10 + 2);
    }

    void missingValuesAreNotPoints()
    {
        SampleStore store;
        Sample noHeap = sampleAt(0, Sample::kMissingBytes);
        store.append(noHeap);
        store.append(sampleAt(1000, 5));
        const QList<QPointF> points = store.decimated(Metric::HeapUsed, kStartWall, kStartWall + 1000, 10);
        QCOMPARE(points.size(), 1);
        QCOMPARE(store.statistics(Metric::HeapUsed).count(), 1);
        QCOMPARE(store.statistics(Metric::Rss).count(), 2);
        QVERIFY(std::isnan(store.value(0, Metric::HeapUsed)));
        QVERIFY(std::isnan(store.value(0, Metric::Cpu)));
        QCOMPARE(store.value(1, Metric::HeapUsed), 5.0);
    }

    void statistics()
    {
        SampleStore store;
        store.append(sampleAt(0, 10));
        store.append(sampleAt(100, 30));
        store.append(sampleAt(200, 20));
        const MetricStatistics& heap = store.statistics(Metric::HeapUsed);
        QCOMPARE(heap.current(), 20.0);
        QCOMPARE(heap.min(), 10.0);
        QCOMPARE(heap.max(), 30.0);
        QCOMPARE(heap.mean(), 20.0);
        QCOMPARE(store.nearestIndex(kStartWall + 140), 1);
        QCOMPARE(store.nearestIndex(kStartWall + 160), 2);
        QCOMPARE(store.nearestIndex(kStartWall + 99999), 2);
    }
};

NODESCOPE_TEST_MAIN(TestSampleStore)
#include "tst_samplestore.moc"

#include "format.h"
#include "session/metrics.h"
#include "session/samplecsv.h"

#include "testmain.h"

#include <QSet>

#include <cmath>

using namespace NodeScope;

// The metric table is the one place a metric is described: these tests hold
// it to what the CSV contract, the charts and the settings rely on.
class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyMetricHasItsRowInEnumOrder()
    {
        QCOMPARE(int(Metrics::all().size()), int(Metric::Count));
        for (int i = 0; i < Metrics::kCount; ++i)
            QCOMPARE(int(Metrics::all()[std::size_t(i)].id), i);
    }

    void keysAndColumnsAreUnique()
    {
        QSet<QString> keys;
        QSet<QString> columns;
        for (const MetricInfo& info : Metrics::all()) {
            QVERIFY2(!keys.contains(info.key), info.key.data());
            QVERIFY2(!columns.contains(info.csvColumn), info.csvColumn.data());
            keys.insert(info.key);
            columns.insert(info.csvColumn);
            QVERIFY(!info.displayName.isEmpty());
            QVERIFY(!info.description.isEmpty());
            QCOMPARE(Metrics::fromKey(QString(info.key)), std::optional<Metric>(info.id));
        }
        QCOMPARE(Metrics::fromKey(QStringLiteral("no such metric")), std::nullopt);
    }

    // Settings store keys: a key once shipped must keep meaning its metric.
    void settingsKeysAreStable()
    {
        QCOMPARE(Metrics::info(Metric::HeapUsed).key, QLatin1String("heapUsed"));
        QCOMPARE(Metrics::info(Metric::Rss).key, QLatin1String("rss"));
        QCOMPARE(Metrics::info(Metric::Cpu).key, QLatin1String("cpu"));
        QCOMPARE(Metrics::info(Metric::CpuUser).key, QLatin1String("cpuUser"));
        QCOMPARE(Metrics::info(Metric::CpuSystem).key, QLatin1String("cpuSystem"));
    }

    void csvColumnsComeFromTheTable()
    {
        QStringList expected{QStringLiteral("elapsed_ms"), QStringLiteral("wall_time")};
        for (const MetricInfo& info : Metrics::all())
            expected.append(info.csvColumn);
        QCOMPARE(SampleCsv::columns(), expected);
    }

    void chartsGroupTheirMetrics()
    {
        QCOMPARE(Metrics::inChart(ChartGroup::Memory),
            QList<Metric>(
                {Metric::Rss, Metric::HeapTotal, Metric::HeapUsed, Metric::External, Metric::ArrayBuffers}));
        QCOMPARE(Metrics::inChart(ChartGroup::Cpu),
            QList<Metric>({Metric::Cpu, Metric::CpuUser, Metric::CpuSystem}));
        QVERIFY(!Metrics::listed().contains(Metric::Threads));
    }

    // What write() stores, read() gives back; a missing value reads as NaN.
    void readBackWhatIsWritten()
    {
        for (const MetricInfo& info : Metrics::all()) {
            if (info.id == Metric::Cpu)
                continue; // derived from its parts
            Sample sample;
            sample.cpuUserPercent = 0;
            sample.cpuSystemPercent = 0;
            const double value = info.unit == MetricUnit::Percent ? 12.5 : 4096;
            info.write(sample, value);
            QCOMPARE(info.read(sample), value);
        }
        const Sample empty;
        for (const MetricInfo& info : Metrics::all())
            QVERIFY2(std::isnan(info.read(empty)), info.key.data());
    }

    void formatsInTheMetricsUnit()
    {
        QCOMPARE(Metrics::format(Metric::HeapUsed, 1536), Format::bytes(1536));
        QCOMPARE(Metrics::format(Metric::Threads, 11), QStringLiteral("11"));
        QCOMPARE(Metrics::format(Metric::Rss, std::nan("")), QStringLiteral("–"));
        QCOMPARE(Metrics::format(Metric::Cpu, 12.5), Format::percent(12.5));
    }
};

NODESCOPE_TEST_MAIN(TestMetrics)
#include "tst_metrics.moc"

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

    // The runtime-health columns follow today's, in the contract's order.
    void runtimeColumnsFollowInOrder()
    {
        const QStringList columns = SampleCsv::columns();
        const qsizetype threads = columns.indexOf(QStringLiteral("threads"));
        QCOMPARE(columns.mid(threads + 1, 7),
            QStringList({QStringLiteral("elu"), QStringLiteral("loop_delay_p50_ms"),
                QStringLiteral("loop_delay_p99_ms"), QStringLiteral("loop_delay_max_ms"),
                QStringLiteral("gc_count"), QStringLiteral("gc_pause_ms"),
                QStringLiteral("active_resources")}));
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
            RuntimeSample runtime;
            sample.cpuUserPercent = 0;
            sample.cpuSystemPercent = 0;
            const double value = info.unit == MetricUnit::Ratio                             ? 0.25
                : info.unit == MetricUnit::Percent || info.unit == MetricUnit::Milliseconds ? 12.5
                                                                                            : 4096;
            info.write(sample, runtime, value);
            QCOMPARE(info.read(sample, runtime), value);
        }
        const Sample empty;
        const RuntimeSample none;
        QVERIFY(none.isEmpty());
        for (const MetricInfo& info : Metrics::all())
            QVERIFY2(std::isnan(info.read(empty, none)), info.key.data());
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

#include "analysis/timerstatistics.h"

#include "testmain.h"

#include <QJsonDocument>

#include <cmath>
#include <limits>

using namespace NodeScope;

namespace {

TimerSpan span(TimerSpan::Source source, const QString& label, double ms, bool isLap = false)
{
    TimerSpan s;
    s.source = source;
    s.label = label;
    s.durationMs = ms;
    s.isLap = isLap;
    return s;
}

bool within(double value, double expected, double relative)
{
    return std::abs(value - expected) <= relative * std::abs(expected);
}

} // namespace

class TestTimerStatistics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exact_data();
    void exact();
    void emptyHasNothing();
    void lapsAreNotCounted();
    void invalidDurationsAreIgnored();
    void sourcesAndLabelsAreSeparate();
    void switchesToHistogramPastTheLimit();
    void histogram_data();
    void histogram();
    void summaryJson();
};

void TestTimerStatistics::exact_data()
{
    QTest::addColumn<QList<double>>("durations");
    QTest::addColumn<double>("last");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("p50");
    QTest::addColumn<double>("p95");
    QTest::addColumn<double>("max");

    QTest::newRow("one") << QList<double>{5} << 5.0 << 5.0 << 5.0 << 5.0 << 5.0 << 5.0;
    QTest::newRow("two interpolate") << QList<double>{20, 10} << 10.0 << 10.0 << 15.0 << 15.0 << 19.5 << 20.0;
    QTest::newRow("unsorted three") << QList<double>{3, 1, 2} << 2.0 << 1.0 << 2.0 << 2.0 << 2.9 << 3.0;
    QTest::newRow("zeros") << QList<double>{0, 0, 0} << 0.0 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0;
    QTest::newRow("repeated") << QList<double>{7, 7, 7, 7} << 7.0 << 7.0 << 7.0 << 7.0 << 7.0 << 7.0;
    QList<double> hundred;
    for (int i = 100; i >= 1; --i)
        hundred.append(i);
    QTest::newRow("1..100") << hundred << 1.0 << 1.0 << 50.5 << 50.5 << 95.05 << 100.0;
    QTest::newRow("one slow outlier")
        << QList<double>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1000} << 1000.0 << 1.0
        << 50.95 << 1.0 << 50.95 << 1000.0;
}

void TestTimerStatistics::exact()
{
    QFETCH(QList<double>, durations);
    QFETCH(double, last);
    QFETCH(double, min);
    QFETCH(double, mean);
    QFETCH(double, p50);
    QFETCH(double, p95);
    QFETCH(double, max);

    TimerStatistics statistics;
    for (double d : durations)
        statistics.add(span(TimerSpan::Source::User, QStringLiteral("t"), d));
    const auto s = statistics.stats(TimerSpan::Source::User, QStringLiteral("t"));
    QVERIFY(s);
    QCOMPARE(s->count, durations.size());
    QCOMPARE(s->lastMs, last);
    QCOMPARE(s->minMs, min);
    QCOMPARE(s->meanMs, mean);
    QCOMPARE(s->p50Ms, p50);
    QCOMPARE(s->p95Ms, p95);
    QCOMPARE(s->maxMs, max);
    QVERIFY(s->exactPercentiles);
}

void TestTimerStatistics::emptyHasNothing()
{
    TimerStatistics statistics;
    QVERIFY(statistics.isEmpty());
    QVERIFY(!statistics.stats(TimerSpan::Source::User, QStringLiteral("t")));
    QCOMPARE(statistics.toJson(), QJsonArray());
}

void TestTimerStatistics::lapsAreNotCounted()
{
    TimerStatistics statistics;
    statistics.add(span(TimerSpan::Source::Process, QStringLiteral("t"), 1, true));
    QVERIFY(statistics.isEmpty());
    statistics.add(span(TimerSpan::Source::Process, QStringLiteral("t"), 10));
    statistics.add(span(TimerSpan::Source::Process, QStringLiteral("t"), 2, true));
    const auto s = statistics.stats(TimerSpan::Source::Process, QStringLiteral("t"));
    QCOMPARE(s->count, 1);
    QCOMPARE(s->minMs, 10.0);
}

void TestTimerStatistics::invalidDurationsAreIgnored()
{
    TimerStatistics statistics;
    statistics.add(TimerSpan::Source::User, QStringLiteral("t"), std::numeric_limits<double>::quiet_NaN());
    statistics.add(TimerSpan::Source::User, QStringLiteral("t"), std::numeric_limits<double>::infinity());
    statistics.add(TimerSpan::Source::User, QStringLiteral("t"), -1);
    QVERIFY(statistics.isEmpty());
}

void TestTimerStatistics::sourcesAndLabelsAreSeparate()
{
    TimerStatistics statistics;
    statistics.add(TimerSpan::Source::Process, QStringLiteral("b"), 1);
    statistics.add(TimerSpan::Source::Process, QStringLiteral("a"), 2);
    statistics.add(TimerSpan::Source::User, QStringLiteral("b"), 3);
    statistics.add(TimerSpan::Source::User, QStringLiteral("b"), 5);
    QCOMPARE(statistics.size(), 3);

    const QList<TimerStats> all = statistics.all();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[0].source, TimerSpan::Source::User);
    QCOMPARE(all[0].label, QStringLiteral("b"));
    QCOMPARE(all[0].count, 2);
    QCOMPARE(all[0].meanMs, 4.0);
    QCOMPARE(all[1].source, TimerSpan::Source::Process);
    QCOMPARE(all[1].label, QStringLiteral("a"));
    QCOMPARE(all[2].label, QStringLiteral("b"));
    QCOMPARE(all[2].maxMs, 1.0);

    statistics.clear();
    QVERIFY(statistics.isEmpty());
}

void TestTimerStatistics::switchesToHistogramPastTheLimit()
{
    TimerStatistics statistics;
    const QString label = QStringLiteral("hot");
    for (qsizetype i = 0; i < TimerStatistics::kExactLimit; ++i)
        statistics.add(TimerSpan::Source::Process, label, double(i % 100 + 1));
    auto s = statistics.stats(TimerSpan::Source::Process, label);
    QVERIFY(s->exactPercentiles);
    QCOMPARE(s->p50Ms, 50.5);

    statistics.add(TimerSpan::Source::Process, label, 0);
    s = statistics.stats(TimerSpan::Source::Process, label);
    QVERIFY(!s->exactPercentiles);
    QCOMPARE(s->count, TimerStatistics::kExactLimit + 1);
    QCOMPARE(s->minMs, 0.0);
    QCOMPARE(s->maxMs, 100.0);
    QCOMPARE(s->lastMs, 0.0);
    QVERIFY2(within(s->p50Ms, 50, 0.01), qPrintable(QString::number(s->p50Ms)));
    QVERIFY2(within(s->p95Ms, 95, 0.01), qPrintable(QString::number(s->p95Ms)));
}

void TestTimerStatistics::histogram_data()
{
    QTest::addColumn<int>("slowPercent");
    QTest::addColumn<double>("p50");
    QTest::addColumn<double>("p95");

    // A million spans, fast ones spread over 1..2 ms and slow ones at 1000 ms.
    QTest::newRow("no slow ones") << 0 << 1.5 << 1.95;
    QTest::newRow("1 % slow: p95 still fast") << 1 << 1.5 << 1.96;
    QTest::newRow("10 % slow: p95 is slow") << 10 << 1.56 << 1000.0;
}

void TestTimerStatistics::histogram()
{
    QFETCH(int, slowPercent);
    QFETCH(double, p50);
    QFETCH(double, p95);

    TimerStatistics statistics;
    const QString label = QStringLiteral("request");
    constexpr int kSpans = 1'000'000;
    double sum = 0;
    for (int i = 0; i < kSpans; ++i) {
        // i % 100 decides slow or fast; i / 100 spreads the fast ones evenly.
        const double ms = i % 100 < slowPercent ? 1000.0 : 1.0 + double((i / 100) % 1000) / 1000.0;
        sum += ms;
        statistics.add(TimerSpan::Source::Process, label, ms);
    }
    const auto s = statistics.stats(TimerSpan::Source::Process, label);
    QCOMPARE(s->count, kSpans);
    QVERIFY(!s->exactPercentiles);
    QCOMPARE(s->minMs, 1.0);
    QVERIFY(within(s->meanMs, sum / kSpans, 1e-12));
    QVERIFY2(within(s->p50Ms, p50, 0.01), qPrintable(QString::number(s->p50Ms)));
    QVERIFY2(within(s->p95Ms, p95, 0.01), qPrintable(QString::number(s->p95Ms)));
    QVERIFY(s->p50Ms >= s->minMs && s->p95Ms <= s->maxMs);
}

void TestTimerStatistics::summaryJson()
{
    TimerStatistics statistics;
    statistics.add(TimerSpan::Source::Process, QStringLiteral("DB Call"), 19.62890625);
    statistics.add(TimerSpan::Source::Process, QStringLiteral("DB Call"), 20.2539);
    statistics.add(TimerSpan::Source::Process, QStringLiteral("DB Call"), 1500.1650390625);
    statistics.add(TimerSpan::Source::User, QStringLiteral("a,\"b\" ⏱"), 7);

    const QByteArray expected = R"([
        {"source": "user", "label": "a,\"b\" ⏱", "count": 1,
         "minMs": 7, "meanMs": 7, "p50Ms": 7, "p95Ms": 7, "maxMs": 7},
        {"source": "process", "label": "DB Call", "count": 3,
         "minMs": 19.629, "meanMs": 513.349, "p50Ms": 20.254, "p95Ms": 1352.174, "maxMs": 1500.165}
    ])";
    QJsonParseError error;
    const QJsonArray want = QJsonDocument::fromJson(expected, &error).array();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(statistics.toJson(), want);
    // Exactly the contract's keys.
    QCOMPARE(statistics.toJson().at(0).toObject().keys().size(), 8);
}

NODESCOPE_TEST_MAIN(TestTimerStatistics)
#include "tst_timerstatistics.moc"

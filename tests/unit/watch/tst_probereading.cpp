#include "watch/probereading.h"

#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <limits>

using namespace NodeScope;

namespace {

QJsonObject reply(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

// A Node 20 probe's reply in a second with two major collections (fuzz/corpus/probereading).
const char* const kNode20Reply
    = R"({"id":7,"t":1796217983158,"mem":[94904320,42369024,6621856,1634770,10685],"elu":0.1700393635467484,)"
      R"("delay":[0.11711900000000064,7.530878999999999,7.530878999999999],"gc":{"count":[0,2,0,0],)"
      R"("pauseMs":[0,10.24404,0,0],"major":[[1796217983158,3.5141199999999997],[1796217983158,6.72992]]},)"
      R"("res":{"total":3,"byType":{"PipeWrap":1,"Timeout":2}}})";

} // namespace

class TestProbeReading : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsARealReply()
    {
        const std::optional<TargetReading> reading = ProbeReading::parse(reply(kNode20Reply));
        QVERIFY(reading);
        QCOMPARE(reading->rssBytes, qint64(94904320));
        QCOMPARE(reading->heapTotalBytes, qint64(42369024));
        QCOMPARE(reading->heapUsedBytes, qint64(6621856));
        QCOMPARE(reading->externalBytes, qint64(1634770));
        QCOMPARE(reading->arrayBuffersBytes, qint64(10685));
        QCOMPARE(reading->wallMs, Q_INT64_C(1796217983158));
        QCOMPARE(reading->runtime.elu, 0.1700393635467484f);
        QCOMPARE(reading->runtime.loopDelayP50Ms, 0.11711900000000064f);
        QCOMPARE(reading->runtime.loopDelayMaxMs, 7.530878999999999f);
        QCOMPARE(reading->runtime.gcCount, 2);
        QCOMPARE(reading->runtime.gcPauseMs, 10.24404f);
        QCOMPARE(reading->collections.count[CollectionCounts::Major], 2);
        QCOMPARE(reading->collections.major.size(), qsizetype(2));
        QCOMPARE(reading->collections.major.at(1).first, Q_INT64_C(1796217983158));
        QCOMPARE(reading->collections.major.at(1).second, double(6.72992f)); // a float figure
        QCOMPARE(reading->runtime.activeResources, 3);
        QVERIFY(reading->resources);
        QCOMPARE(*reading->resources,
            (QList<QPair<QString, int>>{{QStringLiteral("PipeWrap"), 1}, {QStringLiteral("Timeout"), 2}}));
    }

    void noSampleWithoutTheFiveMemoryFigures_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("no mem") << QByteArray(R"({"id":1,"elu":0.5})");
        QTest::newRow("four") << QByteArray(R"({"mem":[1,2,3,4]})");
        QTest::newRow("not an array") << QByteArray(R"({"mem":{"rss":1}})");
        QTest::newRow("not JSON") << QByteArray("mem");
    }
    void noSampleWithoutTheFiveMemoryFigures()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!ProbeReading::parse(reply(json)));
    }

    // Only the figures the reply had, each in its range; the rest missing.
    void aFigureThatIsNoNumberIsMissing()
    {
        const std::optional<TargetReading> reading = ProbeReading::parse(
            reply(R"({"mem":[-1,"5",1e300,1.5,null],"delay":[1,2],"gc":{"major":[[-5,1],[5,"x"],[7,2]]}})"));
        QVERIFY(reading);
        QCOMPARE(reading->rssBytes, Sample::kMissingBytes);
        QCOMPARE(reading->heapTotalBytes, Sample::kMissingBytes);
        QCOMPARE(reading->heapUsedBytes, Sample::kMissingBytes);
        QCOMPARE(reading->externalBytes, qint64(1)); // a fraction of a byte is not one
        QCOMPARE(reading->arrayBuffersBytes, Sample::kMissingBytes);
        QCOMPARE(reading->wallMs, qint64(0)); // no clock: not known
        QVERIFY(std::isnan(reading->runtime.elu));
        QVERIFY(std::isnan(reading->runtime.loopDelayMaxMs)); // three delays or none
        // Collections without their counts: no figure, not "none"; the one
        // well-formed major collection still marks the chart.
        QCOMPARE(reading->runtime.gcCount, -1);
        QVERIFY(std::isnan(reading->runtime.gcPauseMs));
        QCOMPARE(reading->collections.major.size(), qsizetype(1));
        QCOMPARE(reading->collections.major.first().first, qint64(7));
        QCOMPARE(reading->runtime.activeResources, -1);
        QVERIFY(!reading->resources);
    }

    // JSON.stringify writes the NaN of an interval too short to measure as
    // null: that is no utilisation, where it used to read as 100 % busy.
    void anUnmeasuredUtilisationIsMissing_data()
    {
        QTest::addColumn<QByteArray>("elu");
        QTest::addColumn<float>("expected"); // NaN: missing
        const float missing = std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("null") << QByteArray("null") << missing;
        QTest::newRow("negative") << QByteArray("-0.5") << missing;
        QTest::newRow("text") << QByteArray("\"busy\"") << missing;
        QTest::newRow("measured") << QByteArray("0.25") << 0.25f;
        QTest::newRow("beyond one") << QByteArray("1.5") << 1.0f;
    }
    void anUnmeasuredUtilisationIsMissing()
    {
        QFETCH(QByteArray, elu);
        QFETCH(float, expected);
        const std::optional<TargetReading> reading
            = ProbeReading::parse(reply(QByteArray(R"({"mem":[1,2,3,4,5],"elu":)" + elu + "}")));
        QVERIFY(reading);
        if (std::isnan(expected))
            QVERIFY2(std::isnan(reading->runtime.elu), qPrintable(QString::number(reading->runtime.elu)));
        else
            QCOMPARE(reading->runtime.elu, expected);
    }

    // Four counts of 10^9 (each kind's bound) add up beyond qint32: the
    // total stops at its largest value instead of overflowing.
    void hugeCollectionCountsDoNotOverflow()
    {
        const std::optional<TargetReading> reading = ProbeReading::parse(
            reply(R"({"mem":[1,2,3,4,5],"gc":{"count":[1e9,1e9,1e9,5e20],"pauseMs":[1,2,3,1e300]}})"));
        QVERIFY(reading);
        QCOMPARE(reading->collections.count[CollectionCounts::WeakCallbacks], 1000000000);
        QCOMPARE(reading->runtime.gcCount, std::numeric_limits<qint32>::max());
        QCOMPARE(reading->runtime.gcPauseMs, 6.0f); // a pause of 1e300 ms is none at all
    }

    void resourceTypesAreBounded()
    {
        QJsonObject byType;
        for (int i = 0; i < 100; ++i) {
            const QString name
                = QStringLiteral("Type%1").arg(i, 3, 10, QLatin1Char('0')) + QString(100, QLatin1Char('x'));
            byType.insert(name, i);
        }
        QJsonObject json{{QStringLiteral("mem"), QJsonArray{1, 2, 3, 4, 5}},
            {QStringLiteral("res"),
                QJsonObject{{QStringLiteral("total"), -3}, {QStringLiteral("byType"), byType}}}};
        const std::optional<TargetReading> reading = ProbeReading::parse(json);
        QVERIFY(reading && reading->resources);
        QCOMPARE(reading->resources->size(), qsizetype(ProbeReading::kMaxResourceTypes));
        QCOMPARE(reading->resources->first().first.size(), qsizetype(ProbeReading::kMaxResourceTypeLength));
        QCOMPARE(reading->runtime.activeResources, 0);
    }
};

NODESCOPE_TEST_MAIN(TestProbeReading)
#include "tst_probereading.moc"

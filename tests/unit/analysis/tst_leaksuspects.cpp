// Allocation profiles and the ranking of leak suspects: on real profiles
// recorded from Node (tests/fixtures/heapprofile, see capture.js there) and
// on small hand-made ones that pin down each rule.

#include "analysis/allocationprofile.h"
#include "analysis/leaksuspects.h"

#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace NodeScope;

namespace {

QJsonObject fixture()
{
    QFile file(QStringLiteral(NODESCOPE_FIXTURES_DIR "/heapprofile/node20-session-leak.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

SourceFrame frame(const char* function, const char* url, int line = 1, int column = 1)
{
    return {QLatin1String(function), QLatin1String(url), line, column};
}

AllocationProfile profileAt(qint64 wallMs, const QList<AllocationSite>& sites)
{
    AllocationProfile profile;
    profile.wallMs = wallMs;
    profile.sites = sites;
    for (const AllocationSite& site : sites)
        profile.totalLiveBytes += site.liveBytes;
    return profile;
}

// A CDP node: {callFrame, selfSize, id, children}.
QJsonObject node(
    const char* function, const char* url, int line, double selfSize, const QJsonArray& children = {})
{
    static int id = 0;
    return QJsonObject{
        {QStringLiteral("callFrame"),
            QJsonObject{{QStringLiteral("functionName"), QLatin1String(function)},
                {QStringLiteral("scriptId"), QStringLiteral("1")},
                {QStringLiteral("url"), QLatin1String(url)}, {QStringLiteral("lineNumber"), line},
                {QStringLiteral("columnNumber"), 4}}},
        {QStringLiteral("selfSize"), selfSize},
        {QStringLiteral("id"), ++id},
        {QStringLiteral("children"), children},
    };
}

const SourceFrame kHandler = frame("handleRequest", "file:///srv/app.js", 12, 5);
const SourceFrame kEmitterInternals = frame("_addListener", "node:events", 560, 3);
const SourceFrame kLibrary = frame("wrap", "file:///srv/node_modules/lib/index.js", 3, 1);
const SourceFrame kRender = frame("render", "file:///srv/app.js", 40, 1);

} // namespace

class TestLeakSuspects : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesARealProfile()
    {
        const QJsonArray readings = fixture().value(QLatin1String("readings")).toArray();
        QVERIFY2(
            readings.size() >= 3, "fixture missing: tests/fixtures/heapprofile/node20-session-leak.json");
        QString error;
        const std::optional<AllocationProfile> profile = AllocationProfile::fromCdp(
            readings.last().toObject().value(QLatin1String("result")).toObject(), 1000, &error);
        QVERIFY2(profile, qPrintable(error));
        QVERIFY(!profile->sites.isEmpty());
        QVERIFY(profile->totalLiveBytes > 1024 * 1024); // seconds of a 1 MB/s leak
        // The leaking function is in there, with its own position (V8 gives
        // where the function is, not the allocating line), 1-based.
        bool found = false;
        for (const AllocationSite& site : profile->sites) {
            if (site.stack.first().function == QLatin1String("rememberSession")) {
                found = true;
                QVERIFY(site.stack.first().url.endsWith(QLatin1String("heapprofile/capture.js")));
                QCOMPARE(site.stack.first().line, 13); // `function rememberSession(id) {`
                QVERIFY(site.stack.first().column > 1);
            }
        }
        QVERIFY(found);
    }

    void theLeakingFunctionIsTheFirstSuspectOfARealRecording()
    {
        LeakSuspects suspects;
        for (const QJsonValue& reading : fixture().value(QLatin1String("readings")).toArray()) {
            const QJsonObject object = reading.toObject();
            const auto profile = AllocationProfile::fromCdp(object.value(QLatin1String("result")).toObject(),
                qint64(object.value(QLatin1String("wallMs")).toDouble()), nullptr);
            QVERIFY(profile);
            suspects.addProfile(*profile);
        }
        QVERIFY(suspects.isReady());
        const QList<LeakSuspect> ranked = suspects.ranked();
        QVERIFY(!ranked.isEmpty());
        const LeakSuspect& first = ranked.first();
        QCOMPARE(first.frame.function, QStringLiteral("rememberSession"));
        QVERIFY(first.inAppCode);
        // ~1 MB/s retained; sampling estimates it within a factor of two.
        const double mbPerMin = first.bytesPerMin / (1024 * 1024);
        QVERIFY2(mbPerMin > 30 && mbPerMin < 120, qPrintable(QString::number(mbPerMin)));
        QVERIFY2(first.share > 0.8, qPrintable(QString::number(first.share)));
        // What the library in node_modules allocated for it is counted with it.
        QVERIFY(first.sites >= 2);
        // The warm cache and the garbage are not suspects ahead of it.
        for (const LeakSuspect& other : ranked.mid(1))
            QVERIFY(other.bytesPerMin < first.bytesPerMin / 10);
        double shares = 0;
        for (const LeakSuspect& each : ranked)
            shares += each.share;
        QVERIFY(shares <= 1.0001);
    }

    // The words beside the verdict: a leak's top site keeps its pace, a
    // cache's flattens once it is full, and nothing grows at all.
    void growthWordingTellsAFillingCacheFromALeak()
    {
        constexpr qint64 MB = 1024 * 1024;
        LeakSuspects leak;
        QVERIFY(leak.growthWording().isEmpty()); // not ready
        for (int i = 0; i < 24; ++i) // 2 min, 1 MB every 5 s
            leak.addProfile(profileAt(5000 * i, {{{kHandler}, MB * i}}));
        QCOMPARE(leak.growthWording(),
            QStringLiteral("top allocation site handleRequest still growing 12.0 MB/min"));

        LeakSuspects cache; // fills for a minute, then holds
        for (int i = 0; i < 24; ++i)
            cache.addProfile(profileAt(5000 * i, {{{kRender}, MB * qMin(i, 12)}}));
        QCOMPARE(cache.growthWording(),
            QStringLiteral("allocation sites flattening: render grew 6.38 MB/min over the last 2 min, flat "
                           "lately"));

        LeakSuspects flat;
        for (int i = 0; i < 4; ++i)
            flat.addProfile(profileAt(5000 * i, {{{kRender}, 3 * MB}}));
        QCOMPARE(flat.growthWording(), QStringLiteral("allocation sites flat over the last 15 s"));
    }

    void sitesAreGroupedByTheNearestFrameOfTheApp()
    {
        LeakSuspects suspects;
        const QList<SourceFrame> viaEvents{kEmitterInternals, kHandler};
        const QList<SourceFrame> viaLibrary{kLibrary, kEmitterInternals, kHandler};
        const QList<SourceFrame> direct{kHandler};
        for (int i = 0; i < 6; ++i) {
            const qint64 grown = qint64(i) * 100000;
            suspects.addProfile(profileAt(10000 + i * 5000,
                {{viaEvents, 1000 + grown}, {viaLibrary, 1000 + grown}, {direct, 1000 + 2 * grown},
                    {{kRender}, 50000}}));
        }
        const QList<LeakSuspect> ranked = suspects.ranked();
        QCOMPARE(ranked.size(), 1); // render's flat 50 KB is not growing
        QCOMPARE(ranked.first().frame, kHandler);
        QCOMPARE(ranked.first().sites, 3);
        // 400 000 bytes per 5 s, all three sites together.
        QCOMPARE(qRound64(ranked.first().bytesPerMin), qint64(4800000));
        QCOMPARE(ranked.first().liveBytes, qint64(3000 + 4 * 500000));
        QCOMPARE(ranked.first().share, 1.0);
        // The full stack is the fastest-growing site's, allocating frame first.
        QCOMPARE(ranked.first().stack, direct);
    }

    void aStackWithoutAppCodeIsItsOwnSuspect()
    {
        LeakSuspects suspects;
        const SourceFrame timers = frame("listOnTimeout", "node:internal/timers", 569, 17);
        const SourceFrame v8 = frame("(V8 API)", "", 0, 0);
        for (int i = 0; i < 4; ++i)
            suspects.addProfile(profileAt(i * 5000, {{{timers}, 1000 + i * 3000}, {{v8}, 500 + i * 1000}}));
        const QList<LeakSuspect> ranked = suspects.ranked();
        QCOMPARE(ranked.size(), 2);
        QCOMPARE(ranked.at(0).frame, timers);
        QVERIFY(!ranked.at(0).inAppCode);
        QCOMPARE(ranked.at(0).share, 0.75);
        QCOMPARE(ranked.at(1).frame, v8);
    }

    void freedMemoryIsNoSuspect()
    {
        // A site whose objects die (absent from later readings) falls.
        LeakSuspects suspects;
        suspects.addProfile(profileAt(0, {{{kRender}, 900000}, {{kHandler}, 1000}}));
        suspects.addProfile(profileAt(5000, {{{kHandler}, 2000}}));
        suspects.addProfile(profileAt(10000, {{{kHandler}, 3000}}));
        const QList<LeakSuspect> ranked = suspects.ranked();
        QCOMPARE(ranked.size(), 1);
        QCOMPARE(ranked.first().frame, kHandler);
    }

    void noRankingBeforeEnoughReadings_data()
    {
        QTest::addColumn<int>("readings");
        QTest::addColumn<qint64>("everyMs");
        QTest::addColumn<bool>("ready");
        QTest::newRow("two readings") << 2 << qint64(10000) << false;
        QTest::newRow("three within 10 s") << 3 << qint64(4000) << false;
        QTest::newRow("three over 10 s") << 3 << qint64(5000) << true;
    }

    void noRankingBeforeEnoughReadings()
    {
        QFETCH(int, readings);
        QFETCH(qint64, everyMs);
        QFETCH(bool, ready);
        LeakSuspects suspects;
        for (int i = 0; i < readings; ++i)
            suspects.addProfile(profileAt(i * everyMs, {{{kHandler}, 1000 + i * 1000}}));
        QCOMPARE(suspects.isReady(), ready);
        QCOMPARE(suspects.ranked().isEmpty(), !ready);
    }

    void theWindowKeepsTheLatestReadings()
    {
        LeakSuspects suspects;
        // Growing for the first half, flat after: only the window's trend counts.
        for (int i = 0; i < 2 * LeakSuspects::kWindowReadings; ++i) {
            const qint64 bytes = qMin(i, LeakSuspects::kWindowReadings) * qint64(10000);
            suspects.addProfile(
                profileAt(qint64(i) * 5000, {{{kHandler}, bytes}, {{kRender}, i < 3 ? 5 : 0}}));
        }
        QCOMPARE(suspects.readings(), LeakSuspects::kWindowReadings);
        QVERIFY(suspects.ranked().isEmpty());
        // A reading out of order is no reading.
        suspects.addProfile(profileAt(0, {}));
        QCOMPARE(suspects.readings(), LeakSuspects::kWindowReadings);
    }

    void theTreeIsReadWithCallersAndOneBasedPositions()
    {
        const QJsonObject head = node("(root)", "", -1, 0,
            {node("main", "file:///a.js", 0, 0,
                 {node(
                     "handleRequest", "file:///a.js", 11, 4096, {node("push", "node:internal/x", 2, 8192)})}),
                node("(V8 API)", "", -1, 100)});
        QString error;
        const auto profile = AllocationProfile::fromCdp(
            QJsonObject{{QStringLiteral("profile"), QJsonObject{{QStringLiteral("head"), head}}}}, 7, &error);
        QVERIFY2(profile, qPrintable(error));
        QCOMPARE(profile->wallMs, qint64(7));
        QCOMPARE(profile->sites.size(), 3); // main allocated nothing itself
        QCOMPARE(profile->totalLiveBytes, qint64(4096 + 8192 + 100));
        for (const AllocationSite& site : profile->sites) {
            if (site.stack.first().function == QLatin1String("push")) {
                QCOMPARE(site.stack.size(), 3);
                QCOMPARE(site.stack.at(1), frame("handleRequest", "file:///a.js", 12, 5));
                QCOMPARE(site.stack.at(2).function, QStringLiteral("main"));
            }
            if (site.stack.first().function == QLatin1String("(V8 API)")) {
                QCOMPARE(site.stack.first().line, 0);
                QCOMPARE(site.stack.first().text(), QStringLiteral("(V8 API)"));
            }
        }
    }

    void malformedProfilesAreRefused()
    {
        QString error;
        QVERIFY(!AllocationProfile::fromCdp(QJsonObject{}, 0, &error));
        QVERIFY(error.contains(QLatin1String("no call tree")));
        // A head with nothing below is an empty profile, not an error.
        const auto empty = AllocationProfile::fromCdp(
            QJsonObject{{QStringLiteral("head"), node("(root)", "", -1, 0)}}, 0, &error);
        QVERIFY(empty);
        QVERIFY(empty->sites.isEmpty());
    }

    void aSuspectIsWrittenAsTheSummarySays()
    {
        LeakSuspect suspect;
        suspect.frame = kHandler;
        suspect.bytesPerMin = 1234567.4;
        suspect.liveBytes = 42;
        suspect.share = 0.12345;
        suspect.stack = {kEmitterInternals, kHandler};
        const QJsonObject json = suspect.toJson();
        QCOMPARE(json.value(QLatin1String("function")).toString(), QStringLiteral("handleRequest"));
        QCOMPARE(json.value(QLatin1String("url")).toString(), QStringLiteral("file:///srv/app.js"));
        QCOMPARE(json.value(QLatin1String("line")).toInt(), 12);
        QCOMPARE(json.value(QLatin1String("column")).toInt(), 5);
        QCOMPARE(json.value(QLatin1String("bytesPerMin")).toDouble(), 1234567.0);
        QCOMPARE(json.value(QLatin1String("liveBytes")).toDouble(), 42.0);
        QCOMPARE(json.value(QLatin1String("share")).toDouble(), 0.123);
        const QJsonArray stack = json.value(QLatin1String("stack")).toArray();
        QCOMPARE(stack.size(), 2);
        QCOMPARE(stack.at(0).toObject().value(QLatin1String("function")).toString(),
            QStringLiteral("_addListener"));
        QCOMPARE(
            stack.at(0).toObject().value(QLatin1String("url")).toString(), QStringLiteral("node:events"));
    }

    void appFramesAreTheAppsOwnCode_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("app");
        QTest::newRow("file") << QStringLiteral("file:///srv/app.js") << true;
        QTest::newRow("plain path") << QStringLiteral("/srv/app.js") << true;
        QTest::newRow("node internal") << QStringLiteral("node:internal/timers") << false;
        QTest::newRow("node builtin") << QStringLiteral("node:events") << false;
        QTest::newRow("old internal") << QStringLiteral("internal/streams/readable.js") << false;
        QTest::newRow("node_modules")
            << QStringLiteral("file:///srv/node_modules/express/lib/router.js") << false;
        QTest::newRow("V8") << QString() << false;
        // The same words as a paused stack's (CodeOrigins): Node before 16
        // named its public modules without a scheme, and eval has no file.
        QTest::newRow("old public") << QStringLiteral("events.js") << false;
        QTest::newRow("eval") << QStringLiteral("evalmachine.<anonymous>") << false;
    }

    void appFramesAreTheAppsOwnCode()
    {
        QFETCH(QString, url);
        QFETCH(bool, app);
        QCOMPARE(LeakSuspects::isAppFrame({QStringLiteral("f"), url, 1, 1}), app);
    }
};

NODESCOPE_TEST_MAIN(TestLeakSuspects)
#include "tst_leaksuspects.moc"

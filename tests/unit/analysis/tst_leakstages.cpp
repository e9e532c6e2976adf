// The stages of a leak evaluation (core/analysis/leakstages.h), each called
// alone on hand-made input whose answer is known: a line of known slope, a
// flat noisy floor, a floor that starts growing at a known time, a known rate
// towards a known limit, and sequences of threshold results for the
// hysteresis. tst_leakdetector checks the whole detector on generated series.

#include "analysis/leakstages.h"
#include "testmain.h"

#include <QObject>
#include <QtTest>

#include <cmath>

using namespace NodeScope;
using namespace NodeScope::LeakStages;
using State = LeakVerdict::State;

namespace {

constexpr qint64 MiB = 1024 * 1024;
constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kBucketMs = 5 * 1000; // LeakRules' default bucket
constexpr qint64 kWallStart = 1'700'000'000'000LL;

BaselinePoint point(qint64 elapsedMs, qint64 bytes)
{
    return BaselinePoint{quint32(elapsedMs), kWallStart + elapsedMs, bytes, false};
}

// Bucket minima every 5 s from fromMs (inclusive) to toMs (exclusive) on the
// line bytesAtZero + bytesPerBucket x (bucket index from 0 ms). Integer steps
// per bucket make every pairwise slope the same double.
std::vector<BaselinePoint> line(qint64 fromMs, qint64 toMs, qint64 bytesAtZero, qint64 bytesPerBucket)
{
    std::vector<BaselinePoint> points;
    for (qint64 t = fromMs; t < toMs; t += kBucketMs)
        points.push_back(point(t, bytesAtZero + (t / kBucketMs) * bytesPerBucket));
    return points;
}

// Deterministic uniform noise in [-1, 1) (a 64-bit LCG), the same everywhere.
class Noise {
public:
    explicit Noise(quint64 seed)
        : m_state(seed)
    {
    }
    double next()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return 2.0 * (double(m_state >> 11) / double(1ULL << 53)) - 1.0;
    }

private:
    quint64 m_state;
};

// Bucket minima of a sawtooth: a floor (plus a leak) that a full collection
// every 30 s returns to, garbage ramping garbageMB between collections, and
// the live floor jittering by +-noiseMB from one collection to the next.
std::vector<BaselinePoint> sawtooth(
    qint64 durationMs, double floorMB, double leakMBPerMin, double garbageMB, double noiseMB, quint64 seed)
{
    constexpr qint64 kCycleMs = 30 * 1000;
    Noise noise(seed);
    double jitterMB = 0;
    std::vector<BaselinePoint> points;
    for (qint64 t = 0; t < durationMs; t += kBucketMs) {
        const qint64 phase = t % kCycleMs;
        if (phase == 0)
            jitterMB = noiseMB * noise.next();
        const double mb = floorMB + leakMBPerMin * double(t) / double(kMinuteMs) + jitterMB
            + garbageMB * double(phase) / double(kCycleMs);
        points.push_back(point(t, qint64(mb * double(MiB))));
    }
    return points;
}

// Bucket minima of a cache warming up: fillMB of live data arriving at a rate
// that decays with time constant tauSec (a cache of random keys: misses get
// rarer as it fills), the live floor jittering by +-noiseMB.
std::vector<BaselinePoint> warmingCache(
    qint64 durationMs, double floorMB, double fillMB, double tauSec, double noiseMB, quint64 seed)
{
    Noise noise(seed);
    std::vector<BaselinePoint> points;
    for (qint64 t = 0; t < durationMs; t += kBucketMs) {
        const double mb
            = floorMB + fillMB * (1 - std::exp(-double(t) / 1000.0 / tauSec)) + noiseMB * noise.next();
        points.push_back(point(t, qint64(mb * double(MiB))));
    }
    return points;
}

// The evaluation after the last bucket closed.
qint64 nowAfter(const std::vector<BaselinePoint>& buckets)
{
    return qint64(buckets.back().elapsedMs) + kBucketMs;
}

// The trend and the growth's start of buckets that are the whole session,
// evaluated as their last bucket closes.
struct Judged {
    qint64 now = 0;
    FloorTrend trend;
    GrowthStart start;
};

Judged judge(
    const std::vector<BaselinePoint>& buckets, std::optional<CollectionLow> lastCollection = std::nullopt)
{
    Judged j;
    j.now = nowAfter(buckets);
    j.trend = fitFloorTrend(buckets, LeakRules(), j.now);
    j.start = findGrowthStart(buckets, j.trend, lastCollection, LeakRules(), j.now);
    return j;
}

StateConditions conditions(bool enterSuspect, bool holdSuspect, bool enterLeak, bool holdLeak)
{
    StateConditions c;
    c.learned = true;
    c.enterSuspect = enterSuspect;
    c.holdSuspect = holdSuspect;
    c.enterLeak = enterLeak;
    c.holdLeak = holdLeak;
    return c;
}

// Runs stepState once per bucket from fromMs to toMs (inclusive) with the same
// conditions; returns the last step.
StateStep stepEveryBucket(
    StateStep step, const StateConditions& c, const LeakRules& rules, qint64 fromMs, qint64 toMs)
{
    for (qint64 t = fromMs; t <= toMs; t += kBucketMs)
        step = stepState(step.state, step.hysteresis, c, rules, t);
    return step;
}

} // namespace

class TestLeakStages : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rulesDeriveTheirTimes();
    void trendFitRecoversTheSlopeOfALine();
    void floorTrendOfALeakingLine();
    void floorPointsAreTheLowsAfterCollections();
    void forcedFloorIsAlwaysAFloorPoint();
    void flatNoisyFloorIsNoTrend_data();
    void flatNoisyFloorIsNoTrend();
    void leakingSawtoothIsATrend();
    void growthStartIsWhereTheFloorLeftItsLevel();
    void growthStartNeedsARisingFloor();
    void collectionsSeenOnlyAfterTheGrowthBegan();
    void collectionBackAtTheStartRefutesTheGrowth();
    void oomThresholdLeavesTheYoungGeneration();
    void oomProjectionAtAKnownRateAndLimit();
    void nativeGrowthFollowingTheHeapIsExplained();
    void thresholdsOfASteadyLeak();
    void paceOfALeakKeepsUp();
    void paceOfAWarmingCacheSlows_data();
    void paceOfAWarmingCacheSlows();
    void earlyRiseOfAFastLeak();
    void earlyRiseWaitsForACollection();
    void riseIsToldInEveryState();
    void learningEndsWithEnoughFloor();
    void hysteresisHoldsUntilTheHoldFailsForTheDwell();
    void hysteresisRisesOnConsecutiveEvidenceAfterTheDwell();
    void urgentLeakSkipsTheDwell();
    void fadingLeakStepsDownThroughSuspect();
    void learningEndsIntoOkOrSuspect();
    void verdictGivesSinceOnlyWhileGrowing();
};

void TestLeakStages::rulesDeriveTheirTimes()
{
    const LeakRules defaults; // LeakSettings' defaults at fine sampling: 10 min window, 5 s buckets
    QCOMPARE(defaults.learnMs(), 60 * 1000);
    QCOMPARE(defaults.dwellMs(), 60 * 1000);
    QCOMPARE(defaults.floorHalfWidthMs(), 15 * 1000);

    LeakRules shortWindow;
    shortWindow.windowMs = 120 * 1000;
    shortWindow.bucketMs = 1000;
    QCOMPARE(shortWindow.learnMs(), 30 * 1000); // never below 30 s
    QCOMPARE(shortWindow.dwellMs(), 12 * 1000); // a tenth of the window

    LeakRules coarse; // 60 s sampling: one sample a bucket, 16 buckets a window
    coarse.windowMs = 16 * 60 * 1000;
    coarse.bucketMs = 60 * 1000;
    QCOMPARE(coarse.learnMs(), 96 * 1000);
    QCOMPARE(coarse.dwellMs(), kDownEvaluations * 60 * 1000); // as long as stepping down takes
    QCOMPARE(coarse.floorHalfWidthMs(), 120 * 1000);
}

// 87381 bytes every 5 s is 1 MiB (less 4 bytes) per minute.
void TestLeakStages::trendFitRecoversTheSlopeOfALine()
{
    const std::vector<BaselinePoint> points = line(0, 10 * kMinuteMs, 40 * MiB, 87381);
    const TrendFit fit = TrendFit::of(points);
    QCOMPARE(fit.points, 120);
    QCOMPARE(fit.slope, 87381.0 / 5000.0);
    QCOMPARE(fit.originMs, 0);
    QVERIFY(std::abs(fit.intercept - double(40 * MiB)) < 1.0);
    QVERIFY(std::abs(fit.valueAt(10 * kMinuteMs) - double(40 * MiB + 120 * 87381)) < 1.0);
    QVERIFY(fit.spread < 1.0);
    // Every pair rises: the largest Mann-Kendall z 120 points can give, even
    // with the autocorrelation correction at its widest.
    QVERIFY2(fit.z > 3.5, qPrintable(QString::number(fit.z)));

    const TrendFit falling = TrendFit::of(line(0, 10 * kMinuteMs, 400 * MiB, -87381));
    QCOMPARE(falling.slope, -87381.0 / 5000.0);
    QVERIFY(falling.z < -3.5);

    QCOMPARE(TrendFit::of(line(0, kBucketMs, 40 * MiB, 1000)).slope, 0.0); // one point: no line
}

void TestLeakStages::floorTrendOfALeakingLine()
{
    const std::vector<BaselinePoint> buckets = line(0, 10 * kMinuteMs, 40 * MiB, 87381);
    const LeakRules rules;
    const qint64 now = nowAfter(buckets);
    const FloorTrend trend = fitFloorTrend(buckets, rules, now);
    QCOMPARE(trend.bucketCount, 120);
    QCOMPARE(trend.startMs, 0);
    QCOMPARE(trend.spanMs, 10 * kMinuteMs - kBucketMs);
    QCOMPARE(trend.floor.slope, 87381.0 / 5000.0);
    QCOMPARE(trend.recentFloor.slope, trend.floor.slope); // a leak does not slow down
    QCOMPARE(trend.recentBuckets.slope, trend.floor.slope);
    QVERIFY(std::abs(trend.growthInWindowBytes - 87381.0 / 5000.0 * double(trend.spanMs)) < 1.0);
    // Lowest of the last third over lowest of the first, and of the middle one.
    QCOMPARE(trend.riseBytes, double(80 * 87381));
    QCOMPARE(trend.recentRiseBytes, double(40 * 87381));
    QVERIFY(trend.z > 3);
    QVERIFY(std::abs(trend.floorNowBytes - double(40 * MiB + 120 * 87381)) < 1.0);
}

// Buckets every 5 s, a collection every 30 s: the bucket that starts at the
// collection holds the low, the five after it ride the garbage ramp.
void TestLeakStages::floorPointsAreTheLowsAfterCollections()
{
    const std::vector<BaselinePoint> buckets = sawtooth(10 * kMinuteMs, 40, 0, 6, 0, 1);
    const TrendFit bucketTrend = TrendFit::of(buckets);
    const std::vector<BaselinePoint> floor
        = pickFloorPoints(buckets, bucketTrend, LeakRules().floorHalfWidthMs());
    QCOMPARE(int(floor.size()), 20); // one per 30 s
    for (const BaselinePoint& p : floor) {
        QCOMPARE(p.elapsedMs % 30000, 0u);
        QCOMPARE(p.bytes, 40 * MiB);
    }
    const FloorTrend trend = fitFloorTrend(buckets, LeakRules(), nowAfter(buckets));
    QCOMPARE(trend.floorPointCount, 20);
    QVERIFY(trend.usesFloorPoints);
    QCOMPARE(trend.floor.slope, 0.0);
    QCOMPARE(trend.floorNowBytes, double(40 * MiB));
}

void TestLeakStages::forcedFloorIsAlwaysAFloorPoint()
{
    std::vector<BaselinePoint> buckets = line(0, 2 * kMinuteMs, 40 * MiB, 0);
    buckets[10].bytes = 50 * MiB; // higher than its neighbours, yet a confirmed floor
    buckets[10].forced = true;
    const std::vector<BaselinePoint> floor = pickFloorPoints(buckets, TrendFit::of(buckets), 15 * 1000);
    QVERIFY(std::any_of(floor.begin(), floor.end(), [](const BaselinePoint& p) { return p.forced; }));
}

void TestLeakStages::flatNoisyFloorIsNoTrend_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed = 1; seed <= 8; ++seed)
        QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
}

// A floor jittering by +-1 MB from one collection to the next, under 6 MB of
// garbage ramps: no significant trend, and nothing to enter.
void TestLeakStages::flatNoisyFloorIsNoTrend()
{
    QFETCH(quint64, seed);
    const std::vector<BaselinePoint> buckets = sawtooth(10 * kMinuteMs, 40, 0, 6, 1, seed);
    const LeakRules rules;
    const FloorTrend trend = fitFloorTrend(buckets, rules, nowAfter(buckets));
    QVERIFY(trend.usesFloorPoints);
    QVERIFY2(std::abs(trend.z) < 2.5, qPrintable(QStringLiteral("z %1").arg(trend.z)));
    QVERIFY2(std::abs(trend.growthInWindowBytes) < double(rules.minGrowthBytes) / 2,
        qPrintable(QString::number(trend.growthInWindowBytes / double(MiB))));
    GrowthStart start; // as if the floor had been growing for long, with collections seen
    start.sustainedMs = 60 * kMinuteMs;
    const StateConditions c = judgeThresholds(trend, start, GrowthPace(), OomProjection(), false, rules);
    QVERIFY(!c.earlyRise);
    QVERIFY(!c.enterSuspect);
    QVERIFY(!c.enterLeak);
    QVERIFY(!c.holdLeak);
}

// The same sawtooth leaking 2 MB/min: the floor points' slope is the leak's.
void TestLeakStages::leakingSawtoothIsATrend()
{
    const std::vector<BaselinePoint> buckets = sawtooth(10 * kMinuteMs, 40, 2, 6, 0.3, 3);
    const FloorTrend trend = fitFloorTrend(buckets, LeakRules(), nowAfter(buckets));
    QVERIFY(trend.usesFloorPoints);
    const double mbPerMin = trend.floor.slope * double(kMinuteMs) / double(MiB);
    QVERIFY2(std::abs(mbPerMin - 2.0) < 0.1, qPrintable(QString::number(mbPerMin)));
    QVERIFY2(trend.z >= 3, qPrintable(QString::number(trend.z)));
    QVERIFY(trend.growthInWindowBytes > 18.0 * double(MiB));
}

// 15 min flat at 40 MiB, then 1 MiB/min for 10 min. The window is the last
// 10 min; the session's floor holds all of it.
void TestLeakStages::growthStartIsWhereTheFloorLeftItsLevel()
{
    const qint64 knee = 15 * kMinuteMs;
    std::vector<BaselinePoint> history = line(0, knee, 40 * MiB, 0);
    for (const BaselinePoint& p : line(knee, 25 * kMinuteMs, 0, 87381))
        history.push_back(point(p.elapsedMs, 40 * MiB + p.bytes - (knee / kBucketMs) * 87381));
    const std::vector<BaselinePoint> window(history.end() - 120, history.end());
    const LeakRules rules;
    const qint64 now = nowAfter(history);
    const FloorTrend trend = fitFloorTrend(window, rules, now);
    const GrowthStart start = findGrowthStart(history, trend, CollectionLow{now - 1000}, rules, now);
    QVERIFY(start.since.has_value());
    QCOMPARE(qint64(start.since->elapsedMs), knee);
    QCOMPARE(start.since->wallMs, kWallStart + knee);
    QCOMPARE(start.since->bytes, 40 * MiB);
    QCOMPARE(start.sustainedMs, now - knee);
    QVERIFY(std::abs(start.growthBytes - 87381.0 / 5000.0 * double(now - knee)) < 1.0);
    QVERIFY(start.collectionsSeen);
}

void TestLeakStages::growthStartNeedsARisingFloor()
{
    const std::vector<BaselinePoint> flat = line(0, 10 * kMinuteMs, 40 * MiB, 0);
    const LeakRules rules;
    const FloorTrend trend = fitFloorTrend(flat, rules, nowAfter(flat));
    const GrowthStart start = findGrowthStart(flat, trend, std::nullopt, rules, nowAfter(flat));
    QVERIFY(!start.since.has_value());
    QCOMPARE(start.growthBytes, 0.0);
    QCOMPARE(start.sustainedMs, 0);
    QVERIFY(start.collectionsSeen); // nothing grows, so nothing waits for a collection
}

// The growth is proven once a collection after its start lowered the floor;
// before that it might be garbage awaiting one. Native memory has no
// collections to wait for.
void TestLeakStages::collectionsSeenOnlyAfterTheGrowthBegan()
{
    const std::vector<BaselinePoint> history = line(0, 10 * kMinuteMs, 40 * MiB, 87381);
    LeakRules rules;
    const qint64 now = nowAfter(history);
    const FloorTrend trend = fitFloorTrend(history, rules, now);
    QCOMPARE(qint64(findGrowthStart(history, trend, std::nullopt, rules, now).since->elapsedMs), 0);
    QVERIFY(!findGrowthStart(history, trend, std::nullopt, rules, now).collectionsSeen);
    QVERIFY(!findGrowthStart(history, trend, CollectionLow{0}, rules, now).collectionsSeen);
    QVERIFY(findGrowthStart(history, trend, CollectionLow{5 * kMinuteMs}, rules, now).collectionsSeen);
    rules.judgeCollections = false;
    QVERIFY(findGrowthStart(history, trend, std::nullopt, rules, now).collectionsSeen);
}

// A collection after the growth began that drops heapUsed back to where
// the growth began refutes it: the rise was garbage awaiting it. One whose
// low stands on the line confirms it; one whose low is not known yet
// (reported by the probe, no sample since) says nothing either way.
void TestLeakStages::collectionBackAtTheStartRefutesTheGrowth()
{
    // 1 MiB/min from 40 MiB for 10 min.
    const std::vector<BaselinePoint> history = line(0, 10 * kMinuteMs, 40 * MiB, 87381);
    const LeakRules rules;
    const qint64 now = nowAfter(history);
    const FloorTrend trend = fitFloorTrend(history, rules, now);
    auto startWith = [&](qint64 atMs, qint64 lowBytes) {
        return findGrowthStart(history, trend, CollectionLow{atMs, lowBytes}, rules, now);
    };
    const qint64 at = 6 * kMinuteMs; // the line stands 6 MiB above the start then
    QVERIFY(startWith(at, 40 * MiB).collectionsSeen);
    QVERIFY(startWith(at, 40 * MiB).refutedByCollection);
    QVERIFY(startWith(at, 42 * MiB).refutedByCollection); // a third of the rise
    QVERIFY(!startWith(at, 46 * MiB).refutedByCollection); // on the line: the growth survived it
    QVERIFY(!startWith(at, 44 * MiB).refutedByCollection); // two thirds: a leak's low, a little noisy
    QVERIFY(!startWith(at, CollectionLow::kUnknown).refutedByCollection);
    // Too early to tell: the line had risen less than half a minimum growth.
    QVERIFY(!startWith(kMinuteMs, 40 * MiB).refutedByCollection);

    // Refuted, nothing is entered; what already stands may hold.
    const std::vector<BaselinePoint> buckets = sawtooth(10 * kMinuteMs, 40, 2, 6, 0.3, 3);
    const FloorTrend leakTrend = fitFloorTrend(buckets, rules, nowAfter(buckets));
    GrowthStart start;
    start.since = buckets.front();
    start.sustainedMs = rules.confirmMs;
    const GrowthPace pace = measurePace(buckets, leakTrend, start, rules);
    QVERIFY(judgeThresholds(leakTrend, start, pace, OomProjection(), false, rules).enterLeak);
    start.refutedByCollection = true;
    const StateConditions c = judgeThresholds(leakTrend, start, pace, OomProjection(), false, rules);
    QVERIFY(!c.enterSuspect && !c.enterLeak && !c.earlyRise);
    QVERIFY(c.holdSuspect && c.holdLeak);
}

void TestLeakStages::oomThresholdLeavesTheYoungGeneration()
{
    // The young generation is 48 MiB (three 16 MiB semi-spaces), a quarter
    // of the limit at most: --max-old-space-size=128 gives a heap_size_limit
    // of 176 MiB, and the floor cannot pass 132 MiB.
    QCOMPARE(oomThresholdBytes(4096 * MiB), 4048 * MiB);
    QCOMPARE(oomThresholdBytes(256 * MiB), 208 * MiB);
    QCOMPARE(oomThresholdBytes(176 * MiB), 132 * MiB);
    QCOMPARE(oomThresholdBytes(0), 0);
}

// 1 MiB/min from 100 MiB towards 132 MiB: 32 min left.
void TestLeakStages::oomProjectionAtAKnownRateAndLimit()
{
    FloorTrend trend;
    trend.floor.slope = double(MiB) / double(kMinuteMs);
    trend.floorNowBytes = double(100 * MiB);
    const OomProjection oom = projectOutOfMemory(trend, oomThresholdBytes(176 * MiB));
    QVERIFY(oom.known());
    QVERIFY2(std::abs(oom.msLeft - 32 * kMinuteMs) <= 1, qPrintable(QString::number(oom.msLeft)));
    QVERIFY(!oom.urgent());

    trend.floorNowBytes = double(120 * MiB); // 8 min left: urgent
    QVERIFY(std::abs(projectOutOfMemory(trend, 128 * MiB).msLeft - 8 * kMinuteMs) <= 1);
    QVERIFY(projectOutOfMemory(trend, 128 * MiB).urgent());

    trend.floorNowBytes = double(130 * MiB); // past the threshold: nothing left
    QCOMPARE(projectOutOfMemory(trend, 128 * MiB).msLeft, 0);

    QVERIFY(!projectOutOfMemory(trend, 0).known()); // no limit known
    trend.floor.slope = 0; // not rising
    QVERIFY(!projectOutOfMemory(trend, 128 * MiB).known());
    QVERIFY(!projectOutOfMemory(trend, 128 * MiB).urgent());

    // Through the trend stage: a line of 87381 bytes per 5 s ending at
    // 100 MiB, projected to 128 MiB.
    const qint64 perBucket = 87381;
    const std::vector<BaselinePoint> buckets
        = line(0, 10 * kMinuteMs, 100 * MiB - 120 * perBucket, perBucket);
    const FloorTrend fitted = fitFloorTrend(buckets, LeakRules(), nowAfter(buckets));
    const double expectedMs = double(28 * MiB) / (double(perBucket) / double(kBucketMs));
    QVERIFY(std::abs(double(projectOutOfMemory(fitted, 128 * MiB).msLeft) - expectedMs) <= 1);
}

// A JS leak drags native memory up by a few percent (V8's side tables): up
// to 10 % of the heap floor's rate is not a second leak.
void TestLeakStages::nativeGrowthFollowingTheHeapIsExplained()
{
    LeakVerdict heap;
    heap.state = State::Leak;
    heap.slopeBytesPerMin = 60.0 * double(MiB);
    FloorTrend native;
    native.floor.slope = 1.5 * double(MiB) / double(kMinuteMs);
    QVERIFY(followsGrowingHeap(native, heap));
    native.floor.slope = 10.0 * double(MiB) / double(kMinuteMs);
    QVERIFY(!followsGrowingHeap(native, heap));
    native.floor.slope = 1.5 * double(MiB) / double(kMinuteMs);
    heap.state = State::Ok; // a heap that does not grow explains nothing
    QVERIFY(!followsGrowingHeap(native, heap));
}

void TestLeakStages::thresholdsOfASteadyLeak()
{
    const std::vector<BaselinePoint> buckets = sawtooth(10 * kMinuteMs, 40, 2, 6, 0.3, 3);
    const LeakRules rules;
    const FloorTrend trend = fitFloorTrend(buckets, rules, nowAfter(buckets));
    GrowthStart start;
    start.since = buckets.front();
    start.sustainedMs = rules.confirmMs;
    const GrowthPace pace = measurePace(buckets, trend, start, rules);
    QVERIFY(pace.measured);

    StateConditions c = judgeThresholds(trend, start, pace, OomProjection(), false, rules);
    QVERIFY(c.learned);
    QVERIFY(c.enterSuspect);
    QVERIFY(c.holdSuspect);
    QVERIFY(c.enterLeak);
    QVERIFY(c.holdLeak);
    QVERIFY(!c.urgent);

    // Not lasted confirmSeconds yet: suspect, not leak.
    start.sustainedMs = rules.confirmMs - 1;
    c = judgeThresholds(trend, start, pace, OomProjection(), false, rules);
    QVERIFY(c.enterSuspect);
    QVERIFY(!c.enterLeak);
    // Unless the heap runs out within 10 min: a quarter of it is enough.
    OomProjection soon;
    soon.msLeft = 5 * kMinuteMs;
    start.sustainedMs = rules.confirmMs / 4;
    c = judgeThresholds(trend, start, pace, soon, false, rules);
    QVERIFY(c.urgent);
    QVERIFY(c.enterLeak);

    // A fast and big growth (16 minimum growths since it began) needs half.
    OomProjection none;
    start.sustainedMs = rules.confirmMs / 2;
    start.growthBytes = double(kFastGrowthMinGrowths * rules.minGrowthBytes);
    QVERIFY(judgeThresholds(trend, start, pace, none, false, rules).enterLeak);
    start.growthBytes -= 1;
    QVERIFY(!judgeThresholds(trend, start, pace, none, false, rules).enterLeak);
    start.growthBytes = 0;

    // No collection has lowered the floor since it began: `suspect` after
    // the patience (3 min), `leak` after twice that.
    start.collectionsSeen = false;
    QCOMPARE(rules.patienceMs(), 3 * kMinuteMs);
    start.sustainedMs = rules.patienceMs() - 1;
    c = judgeThresholds(trend, start, pace, OomProjection(), false, rules);
    QVERIFY(!c.enterSuspect);
    QVERIFY(!c.enterLeak);
    start.sustainedMs = rules.patienceMs();
    c = judgeThresholds(trend, start, pace, OomProjection(), false, rules);
    QVERIFY(c.enterSuspect);
    QVERIFY(!c.enterLeak);
    start.sustainedMs = 2 * rules.patienceMs();
    QVERIFY(judgeThresholds(trend, start, pace, OomProjection(), false, rules).enterLeak);

    // A growth whose pace was not measured is not called a leak.
    QVERIFY(!judgeThresholds(trend, start, GrowthPace(), OomProjection(), false, rules).enterLeak);

    // Explained by the heap: nothing to enter or hold.
    c = judgeThresholds(trend, start, pace, OomProjection(), true, rules);
    QVERIFY(!c.enterSuspect && !c.holdSuspect && !c.enterLeak && !c.holdLeak && !c.earlyRise);
}

// A leak's later half grows as fast as its earlier half: it keeps its pace
// by any margin the thresholds ask.
void TestLeakStages::paceOfALeakKeepsUp()
{
    const LeakRules rules;
    const std::vector<BaselinePoint> buckets = sawtooth(4 * kMinuteMs, 40, 2, 6, 0.3, 5);
    const FloorTrend trend = fitFloorTrend(buckets, rules, nowAfter(buckets));
    GrowthStart start;
    start.since = buckets.front();
    const GrowthPace pace = measurePace(buckets, trend, start, rules);
    QVERIFY(pace.measured);
    QVERIFY(pace.usesFloorPoints); // eight lows, four a half
    QVERIFY(pace.lowsMeasured);
    QVERIFY2(std::abs(pace.lowsRatio() - 1) < 0.3, qPrintable(QString::number(pace.lowsRatio())));
    QCOMPARE(pace.spanMs, qint64(buckets.back().elapsedMs));
    QVERIFY2(std::abs(pace.ratio() - 1) < 0.3, qPrintable(QString::number(pace.ratio())));
    QVERIFY(pace.keepsAbove(0.5, 2));
    QVERIFY(!pace.slowedBelow(0.8, 2));

    // Only the growth counts: a flat start before `since` is left out.
    std::vector<BaselinePoint> late = line(0, 2 * kMinuteMs, 40 * MiB, 0);
    for (const BaselinePoint& p : line(2 * kMinuteMs, 5 * kMinuteMs, 0, 87381))
        late.push_back(point(p.elapsedMs, 40 * MiB + p.bytes - 24 * 87381));
    const FloorTrend lateTrend = fitFloorTrend(late, LeakRules(), nowAfter(late));
    GrowthStart lateStart;
    lateStart.since = late[24];
    const GrowthPace latePace = measurePace(late, lateTrend, lateStart, LeakRules());
    QCOMPARE(latePace.spanMs, 3 * kMinuteMs - kBucketMs);
    QCOMPARE(latePace.ratio(), 1.0);
    // From the window's start, the flat part would read as an acceleration.
    const GrowthPace fromWindow = measurePace(late, lateTrend, GrowthStart(), LeakRules());
    QVERIFY(fromWindow.later.slope > 1.5 * fromWindow.earlier.slope);

    // 15 s of growth: two points a half, too few to compare.
    const std::vector<BaselinePoint> brief = line(0, 20 * 1000, 40 * MiB, 87381);
    QVERIFY(
        !measurePace(brief, fitFloorTrend(brief, LeakRules(), nowAfter(brief)), GrowthStart(), LeakRules())
             .measured);
}

void TestLeakStages::paceOfAWarmingCacheSlows_data()
{
    QTest::addColumn<double>("tauSec");
    QTest::addColumn<qint64>("spanMs");
    QTest::addColumn<double>("noiseMB");
    // The real cache-plateau.js fills with a time constant of ~50 s, the
    // slowly warming one (three times the keys) ~150 s.
    QTest::newRow("tau 50 s, after 1.5 min") << 50.0 << 90 * 1000LL << 0.3;
    QTest::newRow("tau 150 s, after 1.5 min") << 150.0 << 90 * 1000LL << 0.3;
    QTest::newRow("tau 150 s, after 2 min, 1 MB noise") << 150.0 << 120 * 1000LL << 1.0;
    QTest::newRow("tau 150 s, after 4 min, 1 MB noise") << 150.0 << 240 * 1000LL << 1.0;
    QTest::newRow("tau 150 s, after 8 min") << 150.0 << 480 * 1000LL << 0.3;
}

// Every stage of a cache's warm-up fails the pace a leak keeps, however much
// its floor has risen: whatever else the evidence says, no `leak`.
void TestLeakStages::paceOfAWarmingCacheSlows()
{
    QFETCH(double, tauSec);
    QFETCH(qint64, spanMs);
    QFETCH(double, noiseMB);
    const LeakRules rules;
    for (quint64 seed = 1; seed <= 5; ++seed) {
        const std::vector<BaselinePoint> buckets = warmingCache(spanMs, 40, 60, tauSec, noiseMB, seed);
        const FloorTrend trend = fitFloorTrend(buckets, rules, nowAfter(buckets));
        GrowthStart start;
        start.since = buckets.front();
        start.sustainedMs = spanMs;
        const GrowthPace pace = measurePace(buckets, trend, start, rules);
        QVERIFY(pace.measured);
        const double expected = std::exp(-double(spanMs) / 2000.0 / tauSec);
        QVERIFY2(std::abs(pace.ratio() - expected) < 0.25,
            qPrintable(QStringLiteral("ratio %1, expected %2").arg(pace.ratio()).arg(expected)));
        const StateConditions c = judgeThresholds(trend, start, pace, OomProjection(), false, rules);
        QVERIFY2(!c.enterLeak, qPrintable(QStringLiteral("seed %1: ratio %2").arg(seed).arg(pace.ratio())));
    }
}

// 1 MiB/s from 8 MiB, collections every ~10 s dropping 2 MiB of garbage:
// after 35 s the rise is unmistakable, learning may end into `suspect`.
void TestLeakStages::earlyRiseOfAFastLeak()
{
    const LeakRules rules;
    std::vector<BaselinePoint> buckets;
    for (qint64 t = 0; t <= 35 * 1000; t += kBucketMs) {
        const double garbageMB = 2.0 * double(t % 10000) / 10000.0;
        buckets.push_back(point(t, qint64((8 + double(t) / 1000.0 + garbageMB) * double(MiB))));
    }
    const auto [now, trend, start] = judge(buckets, CollectionLow{20 * 1000});
    QVERIFY(start.collectionsSeen);
    const GrowthPace pace = measurePace(buckets, trend, start, rules);
    const StateConditions c = judgeThresholds(trend, start, pace, OomProjection(), false, rules);
    QVERIFY(c.earlyRise);
    QVERIFY(c.learned);
    QVERIFY(c.enterSuspect);
    QVERIFY(!c.enterLeak); // not lasted confirmSeconds
    QCOMPARE(stepState(State::Learning, Hysteresis(), c, rules, now).state, State::Suspect);

    // 25 s is too early to tell.
    const std::vector<BaselinePoint> early(buckets.begin(), buckets.begin() + 6);
    const FloorTrend earlyTrend = fitFloorTrend(early, rules, nowAfter(early));
    QVERIFY(!judgeThresholds(earlyTrend, start, {}, {}, false, rules).earlyRise);
}

// 9 MiB/min with no collection since it began: a ramp of garbage awaiting
// its first full collection looks just like it. No early rise. At four
// minimum growths a minute (16 MiB) and more, V8 would have collected.
void TestLeakStages::earlyRiseWaitsForACollection()
{
    const LeakRules rules;
    const std::vector<BaselinePoint> ramp = line(0, 40 * 1000, 8 * MiB, 3 * MiB / 4);
    const auto [now, trend, start] = judge(ramp);
    QVERIFY(!start.collectionsSeen);
    QVERIFY(trend.buckets.slope * double(trend.spanMs) >= double(rules.minGrowthBytes));
    const StateConditions c
        = judgeThresholds(trend, start, measurePace(ramp, trend, start, rules), {}, false, rules);
    QVERIFY(!c.earlyRise);
    QVERIFY(!c.learned);
    QVERIFY(!c.enterSuspect);

    const std::vector<BaselinePoint> fast = line(0, 40 * 1000, 8 * MiB, 5 * MiB / 3);
    const Judged j = judge(fast);
    QVERIFY(!j.start.collectionsSeen);
    QVERIFY(judgeThresholds(j.trend, j.start, measurePace(fast, j.trend, j.start, rules), {}, false, rules)
                .earlyRise);
}

// A floor that rose by more than the minimum growth is told as rising, in
// `learning` and `ok` too; a small rise is steady.
void TestLeakStages::riseIsToldInEveryState()
{
    const LeakRules rules;
    const auto [now, trend, start] = judge(line(0, 70 * 1000, 16 * MiB, 5 * MiB));
    LeakVerdict learning;
    learning.learnedMs = now;
    learning = fillVerdict(learning, State::Learning, trend, start, {}, rules, kWallStart + now);
    QVERIFY(std::abs(learning.riseBytes - 65 * MiB) <= 1);
    QCOMPARE(learning.riseSpanMs, 65 * 1000);
    QVERIFY(learning.risingNow);
    QCOMPARE(learning.explanation(),
        QStringLiteral("learning the heap floor (70 s of history so far); it is rising 60.0 MB/min for 65 s "
                       "(+65.0 MB); a cache warming up looks the same for a while"));
    const LeakVerdict ok = fillVerdict(learning, State::Ok, trend, start, {}, rules, kWallStart + now);
    QCOMPARE(ok.explanation(),
        QStringLiteral("heap floor rising 60.0 MB/min for 65 s (+65.0 MB); a cache warming up looks the same "
                       "for a while"));
    QVERIFY(!ok.hasSince()); // not an alarm: no since, no projection

    // Risen, then flat for the last two thirds of the window: no longer rising.
    std::vector<BaselinePoint> stepped = line(0, 2 * kMinuteMs, 40 * MiB, 87381 * 5);
    for (const BaselinePoint& p : line(2 * kMinuteMs, 10 * kMinuteMs, 0, 0))
        stepped.push_back(point(p.elapsedMs, 40 * MiB + 24 * 87381 * 5));
    const Judged step = judge(stepped);
    const LeakVerdict settled
        = fillVerdict(LeakVerdict(), State::Ok, step.trend, step.start, {}, rules, kWallStart + step.now);
    QVERIFY(settled.riseBytes > rules.minGrowthBytes);
    QVERIFY(!settled.risingNow);
    QVERIFY2(settled.explanation().endsWith(QStringLiteral("no longer rising")),
        qPrintable(settled.explanation()));
    QVERIFY(!settled.explanation().contains(QStringLiteral("steady")));

    // 2 MiB over the window is below the minimum growth: steady.
    const Judged small = judge(line(0, 10 * kMinuteMs, 40 * MiB, 17476));
    const LeakVerdict steady
        = fillVerdict(LeakVerdict(), State::Ok, small.trend, small.start, {}, rules, kWallStart + small.now);
    QCOMPARE(steady.riseBytes, 0);
    QVERIFY2(steady.explanation().startsWith(QStringLiteral("heap floor steady at ")),
        qPrintable(steady.explanation()));
}

void TestLeakStages::learningEndsWithEnoughFloor()
{
    const LeakRules rules; // learning takes 1 min
    const std::vector<BaselinePoint> flat = sawtooth(10 * kMinuteMs, 40, 0, 6, 0.3, 1);
    const std::vector<BaselinePoint> early(flat.begin(), flat.begin() + 10); // 45 s, 2 lows
    QVERIFY(
        !judgeThresholds(fitFloorTrend(early, rules, nowAfter(early)), GrowthStart(), {}, {}, false, rules)
             .learned);
    const std::vector<BaselinePoint> enough(flat.begin(), flat.begin() + 30); // 2.4 min, 5 lows
    QVERIFY(
        judgeThresholds(fitFloorTrend(enough, rules, nowAfter(enough)), GrowthStart(), {}, {}, false, rules)
            .learned);
}

// Suspect since 0 s, default rules (60 s dwell, 5 s buckets).
void TestLeakStages::hysteresisHoldsUntilTheHoldFailsForTheDwell()
{
    const LeakRules rules;
    const StateConditions holds = conditions(false, true, false, false);
    const StateConditions fails = conditions(false, false, false, false);
    const StateStep suspect{State::Suspect, Hysteresis{0, 0, 0}};

    // The hold conditions pass: held however long.
    StateStep step = stepEveryBucket(suspect, holds, rules, kBucketMs, 30 * kMinuteMs);
    QCOMPARE(step.state, State::Suspect);
    QCOMPARE(step.hysteresis.downCount, 0);

    // They fail from 5 s on: four failures come by 20 s, but the state is
    // held for the 60 s dwell; it falls at the first evaluation after that.
    step = stepEveryBucket(suspect, fails, rules, kBucketMs, rules.dwellMs() - kBucketMs);
    QCOMPARE(step.state, State::Suspect);
    QCOMPARE(step.hysteresis.downCount, 11);
    step = stepState(step.state, step.hysteresis, fails, rules, rules.dwellMs());
    QCOMPARE(step.state, State::Ok);
    QCOMPARE(step.hysteresis.lastChangeMs, rules.dwellMs());
    QCOMPARE(step.hysteresis.downCount, 0);

    // Long after the dwell, it takes kDownEvaluations failures in a row; one
    // pass in between starts the count again.
    const qint64 later = 10 * kMinuteMs;
    step = stepEveryBucket(suspect, fails, rules, later, later + (kDownEvaluations - 2) * kBucketMs);
    QCOMPARE(step.state, State::Suspect);
    QCOMPARE(step.hysteresis.downCount, kDownEvaluations - 1);
    step = stepState(step.state, step.hysteresis, holds, rules, later + kDownEvaluations * kBucketMs);
    QCOMPARE(step.hysteresis.downCount, 0);
    step = stepEveryBucket(step, fails, rules, later + (kDownEvaluations + 1) * kBucketMs,
        later + (2 * kDownEvaluations - 1) * kBucketMs);
    QCOMPARE(step.state, State::Suspect);
    step = stepState(step.state, step.hysteresis, fails, rules, later + 2 * kDownEvaluations * kBucketMs);
    QCOMPARE(step.state, State::Ok);
}

void TestLeakStages::hysteresisRisesOnConsecutiveEvidenceAfterTheDwell()
{
    const LeakRules rules;
    const StateConditions enter = conditions(true, true, false, false);
    const StateConditions quiet = conditions(false, false, false, false);

    // Ok for long: kUpEvaluations in a row raise it.
    const StateStep ok{State::Ok, Hysteresis{0, 0, 0}};
    const qint64 later = 10 * kMinuteMs;
    StateStep step = stepState(ok.state, ok.hysteresis, enter, rules, later);
    QCOMPARE(step.state, State::Ok);
    QCOMPARE(step.hysteresis.upCount, 1);
    step = stepState(step.state, step.hysteresis, quiet, rules, later + kBucketMs); // the count starts again
    QCOMPARE(step.hysteresis.upCount, 0);
    step = stepEveryBucket(
        step, enter, rules, later + 2 * kBucketMs, later + (kUpEvaluations + 1) * kBucketMs);
    QCOMPARE(step.state, State::Suspect);
    QCOMPARE(step.hysteresis.lastChangeMs, later + (kUpEvaluations + 1) * kBucketMs);

    // Ok only since 0 s: the evidence builds up during the dwell and the
    // change comes as soon as it is over.
    step = stepEveryBucket(ok, enter, rules, kBucketMs, rules.dwellMs() - kBucketMs);
    QCOMPARE(step.state, State::Ok);
    QVERIFY(step.hysteresis.upCount >= kUpEvaluations);
    step = stepState(step.state, step.hysteresis, enter, rules, rules.dwellMs());
    QCOMPARE(step.state, State::Suspect);
}

void TestLeakStages::urgentLeakSkipsTheDwell()
{
    const LeakRules rules;
    StateConditions urgentLeak = conditions(true, true, true, true);
    urgentLeak.urgent = true;
    const StateStep step = stepEveryBucket(
        StateStep{State::Ok, Hysteresis{0, 0, 0}}, urgentLeak, rules, kBucketMs, 2 * kBucketMs);
    QCOMPARE(step.state, State::Leak);

    StateConditions leak = urgentLeak;
    leak.urgent = false;
    QCOMPARE(stepEveryBucket(StateStep{State::Ok, Hysteresis{0, 0, 0}}, leak, rules, kBucketMs, 2 * kBucketMs)
                 .state,
        State::Ok);
}

void TestLeakStages::fadingLeakStepsDownThroughSuspect()
{
    const LeakRules rules;
    const StateConditions nothing = conditions(false, false, false, false);
    StateStep step = stepEveryBucket(
        StateStep{State::Leak, Hysteresis{0, 0, 0}}, nothing, rules, kBucketMs, rules.dwellMs());
    QCOMPARE(step.state, State::Suspect);
    const qint64 changed = step.hysteresis.lastChangeMs;
    step = stepEveryBucket(step, nothing, rules, changed + kBucketMs, changed + rules.dwellMs());
    QCOMPARE(step.state, State::Ok);
}

// Learning ends into `ok` unless the rise was already seen: the evidence
// counts while learning, and kUpEvaluations of it (or an early rise) end
// learning straight into `suspect`. Never into `leak`.
void TestLeakStages::learningEndsIntoOkOrSuspect()
{
    const LeakRules rules;
    StateConditions c = conditions(true, true, true, true);
    c.learned = false;
    StateStep step = stepState(State::Learning, Hysteresis(), c, rules, 30 * 1000);
    QCOMPARE(step.state, State::Learning);
    QCOMPARE(step.hysteresis.upCount, 1); // the rise counts already
    c.learned = true;
    const StateStep rising = stepState(step.state, step.hysteresis, c, rules, 35 * 1000);
    QCOMPARE(rising.state, State::Suspect); // never straight to `leak`
    QCOMPARE(rising.hysteresis.lastChangeMs, 35 * 1000);

    // A first sight of the rise as learning ends: `ok`, the evidence counting.
    step = stepState(State::Learning, Hysteresis(), c, rules, 65 * 1000);
    QCOMPARE(step.state, State::Ok);
    QCOMPARE(step.hysteresis.lastChangeMs, 65 * 1000);
    QCOMPARE(step.hysteresis.upCount, 1);
    // Unless it is an early rise.
    c.earlyRise = true;
    QCOMPARE(stepState(State::Learning, Hysteresis(), c, rules, 65 * 1000).state, State::Suspect);

    // Nothing rising: `ok`.
    const StateConditions quiet = conditions(false, true, false, true);
    QCOMPARE(stepState(State::Learning, Hysteresis{3, 0, 0}, quiet, rules, 65 * 1000).state, State::Ok);
}

void TestLeakStages::verdictGivesSinceOnlyWhileGrowing()
{
    FloorTrend trend;
    trend.floor.slope = double(MiB) / double(kMinuteMs);
    trend.floorNowBytes = 100.6 * double(MiB);
    GrowthStart start;
    start.since = point(2 * kMinuteMs, 80 * MiB);
    start.growthBytes = 20.6 * double(MiB);
    start.collectionsSeen = false;
    OomProjection oom;
    oom.msLeft = 28 * kMinuteMs;
    const qint64 nowWall = kWallStart + 25 * kMinuteMs;

    LeakVerdict verdict;
    verdict.kind = LeakVerdict::Kind::JavaScript;
    const LeakVerdict leak = fillVerdict(verdict, State::Leak, trend, start, oom, LeakRules(), nowWall);
    QCOMPARE(leak.state, State::Leak);
    QCOMPARE(leak.floorBytes, qint64(100.6 * double(MiB)));
    QCOMPARE(leak.slopeBytesPerMin, double(MiB));
    QCOMPARE(leak.sinceElapsedMs, 2 * kMinuteMs);
    QCOMPARE(leak.sinceWallMs, kWallStart + 2 * kMinuteMs);
    QCOMPARE(leak.growthBytes, qint64(20.6 * double(MiB)));
    QCOMPARE(leak.projectedOomWallMs, nowWall + 28 * kMinuteMs);
    QVERIFY(!leak.collectionsSeen);

    const LeakVerdict ok = fillVerdict(leak, State::Ok, trend, start, oom, LeakRules(), nowWall);
    QCOMPARE(ok.state, State::Ok);
    QVERIFY(!ok.hasSince());
    QVERIFY(!ok.hasProjection());
    QCOMPARE(ok.growthBytes, 0);
    QCOMPARE(ok.floorBytes, leak.floorBytes); // the floor is told in every state

    const LeakVerdict noLimit
        = fillVerdict(verdict, State::Suspect, trend, start, OomProjection(), LeakRules(), nowWall);
    QVERIFY(noLimit.hasSince());
    QVERIFY(!noLimit.hasProjection());
}

NODESCOPE_TEST_MAIN(TestLeakStages)
#include "tst_leakstages.moc"

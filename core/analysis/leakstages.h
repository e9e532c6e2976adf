#pragma once

// One evaluation of the leak detector (LeakDetector::evaluate, once per
// closed bucket), cut into stages that take plain values and return one, so a
// test can run any of them alone on hand-made input. In order, with the
// sections of docs/leak-detection.md they implement:
//
//   fitFloorTrend       the window's bucket minima -> FloorTrend: floor points,
//                       Theil-Sen slope, Mann-Kendall z, rises, recent halves (1, 2)
//   findGrowthStart     the session's floor and that trend -> GrowthStart (2)
//   measurePace         the growth's earlier half against its later half ->
//                       GrowthPace: a cache slows down, a leak does not (3)
//   projectOutOfMemory  the trend and the heap limit -> OomProjection (4)
//   judgeThresholds     all of those -> StateConditions, enter and hold (3)
//   stepState           those and what earlier evaluations said -> StateStep:
//                       the next state, with hysteresis and dwell (3)
//   fillVerdict         all of it -> the LeakVerdict everyone else reads
//
// Only LeakDetector and the tests call these; everything else reads verdicts.

#include "analysis/baselinepoint.h"
#include "analysis/leakverdict.h"
#include "analysis/trendfit.h"

#include <QtGlobal>

#include <algorithm>
#include <optional>
#include <span>
#include <vector>

namespace NodeScope::LeakStages {

// Buckets a verdict needs before it means anything.
inline constexpr int kMinPoints = 10;
// Five floor points are five collections' lows: with fewer, a single garbage
// ramp could pass for growth, so the bucket minima are fitted as they are.
inline constexpr int kMinFloorPoints = 5;
// Consecutive evaluations (one per closed bucket) needed to move up, and to
// move down: rising needs a confirmation, falling needs a longer one, so a
// verdict near a threshold does not flap.
inline constexpr int kUpEvaluations = 2;
inline constexpr int kDownEvaluations = 4;
// And whatever the evaluations say, a state is held at least this long (a
// tenth of the window when the user chose a window shorter than 10 min).
inline constexpr qint64 kMinDwellMs = 60 * 1000;
// A growth that would exhaust the heap this soon is called a leak after a
// quarter of confirmSeconds: waiting longer would mean alarming after death.
inline constexpr qint64 kUrgentOomMs = 10 * 60 * 1000;
// Until a collection has lowered the floor, a rising floor may be garbage
// awaiting a full collection, which slow allocators put off for minutes:
// `suspect` waits this long (or confirmSeconds if longer), `leak` twice that.
inline constexpr qint64 kNoCollectionPatienceMs = 3 * 60 * 1000;
// A growth this many times the minimum growth since it began (64 MiB by
// default) is called a leak after half of confirmSeconds: few caches warm
// up by that much, and a leak that fast must not wait. A real cache that
// grew 15 MB/min for two minutes (node-cache-plateau) stays below it.
inline constexpr int kFastGrowthMinGrowths = 16;
// An early rise ends learning straight into `suspect`: a fast leak must not
// be called `ok` for the minute learning takes. It needs this much time and
// this many buckets (seven 5 s buckets are the fewest whose Mann-Kendall z
// can reach 3).
inline constexpr qint64 kEarlyRiseMs = 30 * 1000;
inline constexpr int kEarlyRisePoints = 7;
// Points each half of the growth needs before its slopes are compared.
inline constexpr int kMinPacePoints = 3;

// What one kind of memory is judged by: the settings, and the bucket size
// that the sampling interval of the moment gives.
struct LeakRules {
    qint64 minGrowthBytes = 4 * 1024 * 1024;
    bool judgeCollections = true; // only the JS heap has collections to tell apart
    qint64 windowMs = 600 * 1000;
    qint64 bucketMs = 5 * 1000;
    qint64 confirmMs = 180 * 1000;

    // Long enough for a few collections, short enough that a fast leak
    // does not kill the process first.
    qint64 learnMs() const { return std::clamp<qint64>(windowMs / 10, 30 * 1000, 120 * 1000); }
    qint64 patienceMs() const { return qMax(confirmMs, kNoCollectionPatienceMs); }
    // Never shorter than the evaluations it takes to step down.
    qint64 dwellMs() const { return qMax(qMin(kMinDwellMs, windowMs / 10), kDownEvaluations * bucketMs); }
    // A floor point is the lowest bucket within +- this: wide enough to span
    // the usual gap between full collections.
    qint64 floorHalfWidthMs() const { return qMax(2 * bucketMs, qint64(15 * 1000)); }
};

// The trend of the floor over the trailing window.
struct FloorTrend {
    int bucketCount = 0;
    int floorPointCount = 0; // buckets picked as lows after collections
    bool usesFloorPoints = false; // false: too few, the bucket minima stand in
    qint64 startMs = 0; // elapsed ms of the window's first bucket
    qint64 spanMs = 0; // first to last bucket
    TrendFit buckets; // through every bucket minimum
    std::vector<BaselinePoint> floorPoints; // the lows after collections (pickFloorPoints)
    TrendFit floor; // through the floor points (the buckets when too few): the trend
    TrendFit recentFloor; // through the second half of the points `floor` used
    TrendFit recentBuckets; // through the second half of the buckets
    double z = 0; // the Mann-Kendall z the thresholds read
    double growthInWindowBytes = 0; // floor slope x span
    double riseBytes = 0; // lowest bucket of the last third minus that of the first
    double recentRiseBytes = 0; // lowest bucket of the last third minus that of the middle one
    double floorNowBytes = 0; // the floor's line at the time of evaluation, >= 0
};

// A collection that lowered the floor (a fall of heapUsed below the previous
// low, a full mark-compact the probe reported, or a forced one): when it was
// seen, and the lowest heapUsed right after it, which is live data plus
// whatever young garbage the sampling caught.
struct CollectionLow {
    static constexpr qint64 kUnknown = -1; // reported by the probe, no sample after it yet
    qint64 elapsedMs = 0;
    qint64 lowBytes = kUnknown;
};

// Where the growth began, walking back through the session's floor.
struct GrowthStart {
    std::optional<BaselinePoint> since; // nothing when the floor is not rising
    double growthBytes = 0; // floor now minus the floor then, >= 0
    qint64 sustainedMs = 0; // how long the growth has lasted
    // false: no collection lowered the floor after the growth began, so a
    // ramp of garbage awaiting a full collection would look the same.
    bool collectionsSeen = true;
    // The latest collection after the growth began brought heapUsed back to
    // less than half of the line's rise by then (once that rise is half the
    // minimum growth or more): what the line calls growth was garbage awaiting
    // that collection. Sampled every 10 s with collections 150 s apart, most
    // of the lows the line goes through ride the garbage ramp, and two ramps
    // in a row tilt it like a leak; the lows after the collections do not
    // rise. A leak's do: they are its floor. Nothing rises while this holds.
    bool refutedByCollection = false;
};

// Does the growth keep its pace? The floor's slope over the later half of
// the growth (since it began, inside the window) against the earlier half. A
// cache's fill rate decays (e^(-t/tau) for a cache of random keys: the later
// half of a span of one tau grows at 60 % of the earlier half's rate, of two
// tau at 37 %); a leak's does not. Only a cache much slower than the span
// looks like a leak, the known limit (docs/leak-detection.md, section 8).
//
// Both halves are fitted (with standard errors), and, as a second view,
// three lows are read: the lowest bucket at the start, the middle and the end
// of the growth, each over a stretch wide enough to hold a collection. A
// fit over a half of a fast growth holds only a few teeth of the garbage
// sawtooth, which tilt it; the lows do not ride the teeth.
struct GrowthPace {
    bool measured = false; // both halves had kMinPacePoints
    bool usesFloorPoints = false; // false: too few lows, the bucket minima stand in
    qint64 spanMs = 0; // the growth judged: from its start (or the window's) to the last bucket
    TrendFit earlier;
    TrendFit later;
    bool lowsMeasured = false; // three lows, in time order
    double earlierLowSlope = 0; // bytes per ms from the first low to the middle one
    double laterLowSlope = 0; // and from the middle one to the last

    double ratio() const { return earlier.slope > 0 ? later.slope / earlier.slope : 0; }
    double lowsRatio() const { return earlierLowSlope > 0 ? laterLowSlope / earlierLowSlope : 0; }
    // The later slope exceeds fraction x the earlier one by more than
    // `sigmas` standard errors of that difference.
    bool keepsAbove(double fraction, double sigmas) const;
    // The later slope is below fraction x the earlier one by more than
    // `sigmas` standard errors: a clear slowdown.
    bool slowedBelow(double fraction, double sigmas) const;
};

// When the heap floor's line reaches the out-of-memory threshold.
struct OomProjection {
    qint64 msLeft = LeakVerdict::kNone; // kNone: the floor is not rising, or no limit is known

    bool known() const { return msLeft != LeakVerdict::kNone; }
    bool urgent() const { return known() && msLeft <= kUrgentOomMs; }
};

// The table of section 3 for one evaluation: which states the evidence lets
// the verdict enter, and which it lets it keep.
struct StateConditions {
    bool learned = false; // learning may end
    // The floor rises fast, far beyond its noise, for kEarlyRiseMs: learning
    // may end straight into `suspect`.
    bool earlyRise = false;
    bool enterSuspect = false;
    bool holdSuspect = false;
    bool enterLeak = false;
    bool holdLeak = false;
    bool urgent = false; // out of memory soon: a rise to `leak` need not wait out the dwell
};

// What the hysteresis carries from one evaluation to the next.
struct Hysteresis {
    int upCount = 0; // consecutive evaluations that argued for a higher state
    int downCount = 0; // consecutive evaluations that failed to hold the current one
    qint64 lastChangeMs = 0; // elapsed ms of the last change of state (or of the end of learning)
};

struct StateStep {
    LeakVerdict::State state = LeakVerdict::State::Learning;
    Hysteresis hysteresis;
};

// The buckets that are the lowest, around the buckets' own trend, within
// +-halfWidthMs (the lows right after collections), and every forced
// collection's floor. Buckets in time order.
std::vector<BaselinePoint> pickFloorPoints(
    std::span<const BaselinePoint> buckets, const TrendFit& bucketTrend, qint64 halfWidthMs);

// The window's bucket minima (in time order, at least two) -> the floor's
// trend, its line evaluated at nowMs.
FloorTrend fitFloorTrend(std::span<const BaselinePoint> buckets, const LeakRules& rules, qint64 nowMs);

// history: the session's floor, in time order. lastCollection: the latest
// collection in the window that lowered the floor, if any.
GrowthStart findGrowthStart(std::span<const BaselinePoint> history, const FloorTrend& trend,
    std::optional<CollectionLow> lastCollection, const LeakRules& rules, qint64 nowMs);

// buckets: the window's bucket minima, as given to fitFloorTrend. Halves
// with four floor points each are fitted on those, else on buckets. The
// three lows are each the lowest over max(rules.floorHalfWidthMs() x 2, a
// third of the growth).
GrowthPace measurePace(std::span<const BaselinePoint> buckets, const FloorTrend& trend,
    const GrowthStart& start, const LeakRules& rules);

// Where the projection aims: heap_size_limit less V8's young generation,
// since the process dies when the old generation fills. 0 when the limit is unknown.
qint64 oomThresholdBytes(qint64 heapLimitBytes);

OomProjection projectOutOfMemory(const FloorTrend& trend, qint64 oomThresholdBytes);

// True when a native trend rises no faster than V8's side tables follow a
// growing heap floor (heapVerdict): then it is not a second leak.
bool followsGrowingHeap(const FloorTrend& nativeTrend, const LeakVerdict& heapVerdict);

// explainedByHeap (followsGrowingHeap) vetoes every enter and hold condition.
StateConditions judgeThresholds(const FloorTrend& trend, const GrowthStart& start, const GrowthPace& pace,
    const OomProjection& oom, bool explainedByHeap, const LeakRules& rules);

// The state after this evaluation: up one step on kUpEvaluations consecutive
// enter conditions, down one step on kDownEvaluations failed holds, and no
// change until the current state has lasted rules.dwellMs(). Learning ends
// into `ok`, or into `suspect` on an early rise or a rise it already saw.
StateStep stepState(LeakVerdict::State current, const Hysteresis& memory, const StateConditions& conditions,
    const LeakRules& rules, qint64 nowMs);

// verdict with this evaluation's state and figures; where the growth began,
// how much it grew and the projection only while suspect or leak. How much
// the floor rose in the window, in every state, once it rose by more than
// the minimum growth, so no state calls a rising floor steady.
LeakVerdict fillVerdict(LeakVerdict verdict, LeakVerdict::State state, const FloorTrend& trend,
    const GrowthStart& start, const OomProjection& oom, const LeakRules& rules, qint64 nowWallMs);

} // namespace NodeScope::LeakStages

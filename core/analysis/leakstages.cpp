#include "analysis/leakstages.h"

#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

namespace NodeScope::LeakStages {

namespace {

constexpr qint64 kMinute = 60 * 1000;
// V8 (Node 18-22, 64-bit) puts three 16 MiB semi-spaces of young generation
// into heap_size_limit; the process dies when the old generation is full, so
// the floor never gets closer to the limit than this.
constexpr qint64 kYoungGenerationBytes = 48 * 1024 * 1024;
// Native growth up to this share of the heap floor's growth is V8's own
// bookkeeping following the heap.
constexpr double kHeapSideTableShare = 0.1;

// The second half of the window must keep up with the whole: a cache filling
// up slows down, a leak does not. Only a slowdown beyond the noise of the
// half-window slope counts.
bool slowedBelow(const TrendFit& whole, const TrendFit& half, double fraction, double sigmas)
{
    return half.slope < fraction * whole.slope && whole.slope - half.slope > sigmas * half.slopeError;
}

} // namespace

std::vector<BaselinePoint> pickFloorPoints(
    std::span<const BaselinePoint> buckets, const TrendFit& bucketTrend, qint64 halfWidthMs)
{
    std::vector<BaselinePoint> floorPoints;
    std::vector<double> residual(buckets.size());
    for (size_t i = 0; i < buckets.size(); ++i)
        residual[i] = double(buckets[i].bytes)
            - bucketTrend.slope * double(qint64(buckets[i].elapsedMs) - bucketTrend.originMs);
    size_t lo = 0;
    for (size_t i = 0; i < buckets.size(); ++i) {
        const qint64 ti = buckets[i].elapsedMs;
        while (qint64(buckets[lo].elapsedMs) < ti - halfWidthMs)
            ++lo;
        bool lowest = true;
        for (size_t j = lo; j < buckets.size() && qint64(buckets[j].elapsedMs) <= ti + halfWidthMs; ++j) {
            if (residual[j] < residual[i]) {
                lowest = false;
                break;
            }
        }
        if (lowest || buckets[i].forced)
            floorPoints.push_back(buckets[i]);
    }
    return floorPoints;
}

FloorTrend fitFloorTrend(std::span<const BaselinePoint> buckets, const LeakRules& rules, qint64 nowMs)
{
    FloorTrend t;
    t.bucketCount = int(buckets.size());
    if (buckets.empty())
        return t;
    t.startMs = buckets.front().elapsedMs;
    t.spanMs = qint64(buckets.back().elapsedMs) - qint64(buckets.front().elapsedMs);

    // Bucket minima still ride the garbage ramp whenever a bucket missed the
    // full collection. Their Theil-Sen line is a fair first trend; the floor
    // proper is the buckets lowest around it (the lows right after
    // collections). Fewer points, far less noise.
    t.buckets = TrendFit::of(buckets);
    const std::vector<BaselinePoint> floorPoints
        = pickFloorPoints(buckets, t.buckets, rules.floorHalfWidthMs());
    t.floorPoints = floorPoints;
    t.floorPointCount = int(floorPoints.size());
    t.usesFloorPoints = t.floorPointCount >= kMinFloorPoints;
    const std::span<const BaselinePoint> chosen = t.usesFloorPoints ? floorPoints : buckets;
    t.floor = t.usesFloorPoints ? TrendFit::of(floorPoints) : t.buckets;
    t.recentFloor = TrendFit::of(chosen.subspan(chosen.size() / 2));
    t.recentBuckets = TrendFit::of(buckets.subspan(buckets.size() / 2));
    t.growthInWindowBytes = t.floor.slope * double(t.spanMs);
    // The floor points carry the evidence. A fast growth leaves few lows to
    // pick, though, and then all buckets may speak for it; a small one they
    // would overstate, their ramps being more alike than the correction knows.
    t.z = t.usesFloorPoints && t.growthInWindowBytes < 2.0 * double(rules.minGrowthBytes)
        ? t.floor.z
        : qMax(t.floor.z, t.buckets.z);

    // Lowest floor in the first and last third: a sawtooth whose collections
    // fit inside a third cancels out here however the Theil-Sen pairs fall.
    const qint64 thirdA = qint64(buckets.front().elapsedMs) + t.spanMs / 3;
    const qint64 thirdC = qint64(buckets.back().elapsedMs) - t.spanMs / 3;
    qint64 floorA = std::numeric_limits<qint64>::max();
    qint64 floorB = std::numeric_limits<qint64>::max();
    qint64 floorC = std::numeric_limits<qint64>::max();
    for (const BaselinePoint& p : buckets) {
        if (qint64(p.elapsedMs) <= thirdA)
            floorA = qMin(floorA, p.bytes);
        else if (qint64(p.elapsedMs) < thirdC)
            floorB = qMin(floorB, p.bytes);
        if (qint64(p.elapsedMs) >= thirdC)
            floorC = qMin(floorC, p.bytes);
    }
    t.riseBytes = double(floorC - floorA);
    // A step early in the window (a cache that filled, then stayed) tilts
    // the line and the first-to-last rise; the floor has not moved between
    // the middle and last thirds, where a leak keeps rising.
    t.recentRiseBytes = floorB == std::numeric_limits<qint64>::max() ? t.riseBytes : double(floorC - floorB);

    t.floorNowBytes = qMax(0.0, t.floor.valueAt(nowMs));
    return t;
}

GrowthStart findGrowthStart(std::span<const BaselinePoint> history, const FloorTrend& trend,
    std::optional<CollectionLow> lastCollection, const LeakRules& rules, qint64 nowMs)
{
    // Walking back through the session's floor, each new running (suffix)
    // minimum is a floor the later growth started from. While the floor grew
    // they sit on the trend line; before, they stand ever further above its
    // backward extrapolation. The oldest one still near the line is where the
    // growth began. Minima ignore the buckets that rode a garbage ramp; a
    // single high one does not end the walk.
    const TrendFit& line = trend.floor;
    GrowthStart start;
    if (line.slope > 0 && !history.empty()) {
        const double tolerance = qMax(double(rules.minGrowthBytes) / 8, 2 * line.spread);
        qint64 suffixMin = std::numeric_limits<qint64>::max();
        for (auto p = history.rbegin(); p != history.rend(); ++p) {
            if (p->bytes >= suffixMin)
                continue;
            suffixMin = p->bytes;
            // The line is less sure the further back it is extrapolated.
            const double drift
                = 0.1 * line.slope * double(qMax<qint64>(0, trend.startMs - qint64(p->elapsedMs)));
            if (double(p->bytes) - line.valueAt(p->elapsedMs) <= tolerance + drift)
                start.since = *p;
        }
    }
    if (!start.since)
        return start;
    start.growthBytes = qMax(0.0, trend.floorNowBytes - double(start.since->bytes));
    start.sustainedMs = nowMs - qint64(start.since->elapsedMs);
    // The growth is only proven once a collection after its start freed
    // something and the floor still stood higher.
    const bool collectionSince = lastCollection && lastCollection->elapsedMs > qint64(start.since->elapsedMs);
    start.collectionsSeen = !rules.judgeCollections || collectionSince;
    if (rules.judgeCollections && collectionSince && lastCollection->lowBytes != CollectionLow::kUnknown) {
        // Both are lows: the growth's start is a running minimum, the other
        // heapUsed right after a collection. A leak lifts the second by the
        // line's rise; a garbage ramp's collection drops it back.
        const double riseByThen
            = line.slope * double(lastCollection->elapsedMs - qint64(start.since->elapsedMs));
        const double liftedBy = double(lastCollection->lowBytes - start.since->bytes);
        start.refutedByCollection
            = riseByThen >= double(rules.minGrowthBytes) / 2 && liftedBy < riseByThen / 2;
    }
    return start;
}

bool GrowthPace::keepsAbove(double fraction, double sigmas) const
{
    const double error = std::hypot(later.slopeError, fraction * earlier.slopeError);
    return measured && later.slope - fraction * earlier.slope > sigmas * error;
}

bool GrowthPace::slowedBelow(double fraction, double sigmas) const
{
    const double error = std::hypot(later.slopeError, fraction * earlier.slopeError);
    return measured && fraction * earlier.slope - later.slope > sigmas * error;
}

GrowthPace measurePace(std::span<const BaselinePoint> buckets, const FloorTrend& trend,
    const GrowthStart& start, const LeakRules& rules)
{
    GrowthPace pace;
    if (buckets.empty())
        return pace;
    // The growth since it began; all of the window when it began before.
    const qint64 to = buckets.back().elapsedMs;
    const qint64 from = start.since ? qMax(trend.startMs, qint64(start.since->elapsedMs)) : trend.startMs;
    pace.spanMs = to - from;
    if (pace.spanMs <= 0)
        return pace;
    const qint64 middle = from + pace.spanMs / 2;
    auto halves = [from, middle](std::span<const BaselinePoint> points) {
        std::vector<BaselinePoint> earlier;
        std::vector<BaselinePoint> later;
        for (const BaselinePoint& p : points) {
            if (qint64(p.elapsedMs) < from)
                continue;
            (qint64(p.elapsedMs) < middle ? earlier : later).push_back(p);
        }
        return std::pair{std::move(earlier), std::move(later)};
    };
    // The lows after collections when each half has a few; a fast growth
    // leaves few, and then its buckets, whose ramps are small beside it.
    auto [earlier, later] = halves(trend.floorPoints);
    pace.usesFloorPoints
        = int(earlier.size()) >= kMinFloorPoints - 1 && int(later.size()) >= kMinFloorPoints - 1;
    if (!pace.usesFloorPoints)
        std::tie(earlier, later) = halves(buckets);
    pace.measured = int(earlier.size()) >= kMinPacePoints && int(later.size()) >= kMinPacePoints;
    if (!pace.measured)
        return pace;
    pace.earlier = TrendFit::of(earlier);
    pace.later = TrendFit::of(later);

    const qint64 stretch = qMax(2 * rules.floorHalfWidthMs(), pace.spanMs / 3);
    auto lowest = [buckets](qint64 fromMs, qint64 toMs) {
        std::optional<BaselinePoint> low;
        for (const BaselinePoint& p : buckets) {
            if (qint64(p.elapsedMs) >= fromMs && qint64(p.elapsedMs) <= toMs
                && (!low || p.bytes < low->bytes))
                low = p;
        }
        return low;
    };
    const std::optional<BaselinePoint> first = lowest(from, from + stretch);
    const std::optional<BaselinePoint> mid = lowest(middle - stretch / 2, middle + stretch / 2);
    const std::optional<BaselinePoint> last = lowest(to - stretch, to);
    pace.lowsMeasured
        = first && mid && last && first->elapsedMs < mid->elapsedMs && mid->elapsedMs < last->elapsedMs;
    if (pace.lowsMeasured) {
        pace.earlierLowSlope = double(mid->bytes - first->bytes) / double(mid->elapsedMs - first->elapsedMs);
        pace.laterLowSlope = double(last->bytes - mid->bytes) / double(last->elapsedMs - mid->elapsedMs);
    }
    return pace;
}

qint64 oomThresholdBytes(qint64 heapLimitBytes)
{
    if (heapLimitBytes <= 0)
        return 0;
    return heapLimitBytes - qMin(kYoungGenerationBytes, heapLimitBytes / 4);
}

OomProjection projectOutOfMemory(const FloorTrend& trend, qint64 oomThresholdBytes)
{
    OomProjection oom;
    if (oomThresholdBytes > 0 && trend.floor.slope > 0)
        oom.msLeft
            = qMax<qint64>(0, qint64((double(oomThresholdBytes) - trend.floorNowBytes) / trend.floor.slope));
    return oom;
}

bool followsGrowingHeap(const FloorTrend& nativeTrend, const LeakVerdict& heapVerdict)
{
    // V8 keeps side tables (mark bits, remembered sets) in malloc'd memory in
    // proportion to the heap, so a JavaScript leak drags native memory up by
    // a few percent of its own rate.
    if (!heapVerdict.isGrowing())
        return false;
    const double heapSlope = heapVerdict.slopeBytesPerMin / double(kMinute);
    return nativeTrend.floor.slope <= kHeapSideTableShare * heapSlope;
}

StateConditions judgeThresholds(const FloorTrend& trend, const GrowthStart& start, const GrowthPace& pace,
    const OomProjection& oom, bool explainedByHeap, const LeakRules& rules)
{
    const TrendFit& fit = trend.floor;
    const double mg = double(rules.minGrowthBytes);
    const double z = trend.z;
    const double growthInWindow = trend.growthInWindowBytes;
    const double rise = trend.riseBytes;
    const qint64 span = trend.spanMs;
    StateConditions c;
    c.urgent = oom.urgent();

    // A growth that just stopped (a cache that filled) leaves the newest
    // floor below the line through the window, by more than the noise of a
    // median of that many points (1.25 sigma / sqrt(n)). It only holds back
    // a rise: once raised, a state is not lowered for it, since a full
    // collection that freed old garbage leaves the same one-off step.
    // A fast growth's buckets ride garbage ramps that lengthen as the heap
    // grows, and the lows after a full collection dip below its line by a
    // few percent of it: only an eighth of the growth counts then.
    const double recentNoise = 1.25 * fit.spread / std::sqrt(double(qMax(1, fit.recentCount)));
    const bool decelerating = fit.recentResidual < -std::max({mg / 16, 2 * recentNoise, growthInWindow / 8});
    // Until a collection has lowered the floor, a rising floor may be garbage
    // waiting for the next full collection (slow allocators go minutes
    // without one): it takes rules.patienceMs() before even `suspect`, and
    // twice that before `leak`, unless the heap is about to run out.
    const qint64 patienceMs = start.collectionsSeen || c.urgent ? 0 : rules.patienceMs();
    // Few floor points make a jumpy half-window slope, so all buckets are
    // asked too: a rise is refused if either view shows the slowdown, a
    // state is only left when both do. Holding a state asks for a clearer
    // slowdown than entering it.
    auto eitherSlowedBelow = [&trend](double fraction, double sigmas) {
        return slowedBelow(trend.floor, trend.recentFloor, fraction, sigmas)
            || slowedBelow(trend.buckets, trend.recentBuckets, fraction, sigmas);
    };
    auto bothSlowedBelow = [&trend](double fraction, double sigmas) {
        return slowedBelow(trend.floor, trend.recentFloor, fraction, sigmas)
            && slowedBelow(trend.buckets, trend.recentBuckets, fraction, sigmas);
    };
    // A window that holds a past step (a cache that filled) and a flat
    // floor since still slopes upwards; its recent half does not.
    const bool risingNow = trend.recentFloor.slope > 2 * trend.recentFloor.slopeError;
    const bool stillRising = trend.recentRiseBytes >= qMax(mg / 16, rise / 5);

    // An early rise: within the first half-minute or so, before there are
    // five lows to fit, every bucket minimum climbs far beyond its noise
    // (the slope at least five standard errors) by more than the minimum
    // growth, its newer half as fast as the whole, and a collection has
    // lowered the floor on the way (or the heap runs out): a garbage ramp
    // awaiting its first full collection looks the same until one comes.
    // A floor climbing four minimum growths a minute needs no collection:
    // V8 does not let garbage pile up that fast for long without one, and
    // coarse sampling may see none of the lows that prove it.
    const TrendFit& b = trend.buckets;
    const bool bucketsClimb = b.slope > 0 && b.slope * double(span) >= mg && b.slope > 5 * b.slopeError
        && b.z >= 2 && trend.recentBuckets.slope >= 0.5 * b.slope;
    c.earlyRise = !explainedByHeap && !start.refutedByCollection && span >= kEarlyRiseMs
        && trend.bucketCount >= kEarlyRisePoints && bucketsClimb && rise >= mg / 2
        && (start.collectionsSeen || c.urgent || b.slope * kMinute >= 4 * mg) && !pace.slowedBelow(0.5, 2);

    // Five floor points (or half a window) before a verdict. An unmistakable
    // growth ends the lesson early, or a fast leak would kill the process first.
    const bool enoughFloor = span >= rules.learnMs() && trend.bucketCount >= kMinPoints
        && (trend.floorPointCount >= kMinFloorPoints || span >= rules.windowMs / 2);
    const bool unmistakable = span >= rules.learnMs() && b.z >= 3 && b.slope * double(span) >= 2.0 * mg
        && (start.collectionsSeen || c.urgent);
    c.learned = enoughFloor || unmistakable || c.earlyRise;

    // The growth keeps its pace: its later half rises at least 0.8 x as
    // fast as its earlier half (0.7 x from low to low), and above 0.6 x
    // beyond the noise of the fits. A cache filling up fails this once the
    // span is a good part of its time constant (0.72 x after 0.65 tau); a
    // noisy growth, cache or leak, waits until there is data enough to tell.
    // After 5 min of growth, 0.6 x (0.5 x) will do: a cache that still keeps
    // that pace fills for a quarter of an hour and more, the known limit.
    const double pacePoint = pace.spanMs >= 5 * kMinute ? 0.6 : 0.8;
    const bool keepsPace = pace.measured && pace.later.slope >= pacePoint * pace.earlier.slope
        && pace.keepsAbove(0.6, 2) && pace.lowsMeasured && pace.lowsRatio() >= pacePoint - 0.1;

    c.enterSuspect = c.earlyRise
        || (!explainedByHeap && z >= 2.5 && growthInWindow >= mg / 2 && rise >= mg / 4 && stillRising
            && !decelerating && !eitherSlowedBelow(0.5, 2) && !pace.slowedBelow(0.5, 2) && risingNow
            && start.sustainedMs >= patienceMs && !start.refutedByCollection);
    c.holdSuspect = !explainedByHeap && z >= 1.5 && growthInWindow >= mg / 4 && !bothSlowedBelow(0.3, 3);
    // `leak` once the growth has lasted confirmSeconds (half of it when it
    // is fast and big, a quarter when the heap runs out within 10 min) and
    // kept its pace all along.
    const bool fastAndBig = start.growthBytes >= kFastGrowthMinGrowths * mg;
    const qint64 confirmMs
        = c.urgent ? rules.confirmMs / 4 : (fastAndBig ? rules.confirmMs / 2 : rules.confirmMs);
    c.enterLeak = !explainedByHeap && trend.bucketCount >= kMinPoints && (z >= 3 || bucketsClimb)
        && growthInWindow >= mg && stillRising && rise >= mg / 2 && !decelerating
        && !eitherSlowedBelow(0.6, 2) && risingNow && (keepsPace || c.urgent)
        && start.sustainedMs >= qMax(confirmMs, 2 * patienceMs) && !start.refutedByCollection;
    c.holdLeak = !explainedByHeap && z >= 2 && growthInWindow >= mg / 2 && !bothSlowedBelow(0.25, 3);
    return c;
}

StateStep stepState(LeakVerdict::State current, const Hysteresis& memory, const StateConditions& conditions,
    const LeakRules& rules, qint64 nowMs)
{
    using State = LeakVerdict::State;
    StateStep step{current, memory};
    if (current == State::Learning) {
        // The evidence for a rise counts while learning, so learning can end
        // straight into `suspect` rather than calling a rising floor `ok`.
        const int upCount = conditions.enterSuspect ? memory.upCount + 1 : 0;
        if (!conditions.learned) {
            step.hysteresis.upCount = upCount;
            return step;
        }
        const bool rising = conditions.enterSuspect && (conditions.earlyRise || upCount >= kUpEvaluations);
        step.state = rising ? State::Suspect : State::Ok;
        step.hysteresis = Hysteresis{0, 0, nowMs};
        if (rising)
            return step;
    }

    State up = step.state;
    if (step.state != State::Leak && conditions.enterLeak)
        up = State::Leak;
    else if (step.state == State::Ok && conditions.enterSuspect)
        up = State::Suspect;
    bool holds = true;
    if (step.state == State::Leak)
        holds = conditions.holdLeak;
    else if (step.state == State::Suspect)
        holds = conditions.holdSuspect;

    // Counts build up even while the state is held, so a change that has
    // been due for a while happens as soon as the dwell is over.
    Hysteresis& h = step.hysteresis;
    h.upCount = up != step.state ? h.upCount + 1 : 0;
    h.downCount = !holds && up == step.state ? h.downCount + 1 : 0;
    const bool dwelt = nowMs - h.lastChangeMs >= rules.dwellMs();
    if (up != step.state && h.upCount >= kUpEvaluations
        && (dwelt || (up == State::Leak && conditions.urgent))) {
        step.state = up;
        h = Hysteresis{0, 0, nowMs};
    } else if (h.downCount >= kDownEvaluations && dwelt) {
        // One step at a time: a leak that fades is suspect before it is ok.
        step.state = step.state == State::Leak ? State::Suspect : State::Ok;
        h = Hysteresis{0, 0, nowMs};
    }
    return step;
}

LeakVerdict fillVerdict(LeakVerdict verdict, LeakVerdict::State state, const FloorTrend& trend,
    const GrowthStart& start, const OomProjection& oom, const LeakRules& rules, qint64 nowWallMs)
{
    verdict.state = state;
    verdict.floorBytes = qint64(trend.floorNowBytes);
    verdict.slopeBytesPerMin = trend.floor.slope * double(kMinute);
    verdict.collectionsSeen = start.collectionsSeen;
    // The rise over the window, or since the growth began when that is
    // later; either view of it (the line, or the lowest floor of the last
    // third over that of the first) above the minimum growth counts.
    const double rose = qMax(trend.growthInWindowBytes, trend.riseBytes);
    const bool sinceInWindow = start.since && qint64(start.since->elapsedMs) > trend.startMs;
    verdict.riseBytes = rose > double(rules.minGrowthBytes)
        ? qint64(sinceInWindow ? qMax(start.growthBytes, trend.riseBytes) : rose)
        : 0;
    verdict.riseSpanMs = sinceInWindow ? start.sustainedMs : trend.spanMs;
    verdict.risingNow = trend.recentFloor.slope > 2 * trend.recentFloor.slopeError && trend.floor.slope > 0;
    if (verdict.isGrowing() && start.since) {
        verdict.sinceElapsedMs = start.since->elapsedMs;
        verdict.sinceWallMs = start.since->wallMs;
        verdict.growthBytes = qint64(start.growthBytes);
        verdict.projectedOomWallMs = oom.known() ? nowWallMs + oom.msLeft : LeakVerdict::kNone;
    } else {
        verdict.sinceElapsedMs = verdict.sinceWallMs = LeakVerdict::kNone;
        verdict.growthBytes = 0;
        verdict.projectedOomWallMs = LeakVerdict::kNone;
    }
    return verdict;
}

} // namespace NodeScope::LeakStages

#include "analysis/leakdetector.h"

#include "analysis/trendfit.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace NodeScope {

namespace {

constexpr qint64 kMinute = 60 * 1000;
// V8 (Node 18-22, 64-bit) puts three 16 MiB semi-spaces of young generation
// into heap_size_limit; the process dies when the old generation is full, so
// the floor never gets closer to the limit than this.
constexpr qint64 kYoungGenerationBytes = 48 * 1024 * 1024;
// Buckets a verdict needs before it means anything.
constexpr int kMinPoints = 10;
// The window is cut into this many buckets (each at least one sample), and
// stretched to hold at least kMinBucketsPerWindow when sampling is coarse.
constexpr int kBucketsPerWindow = 120;
constexpr int kMinBucketsPerWindow = 16;
// The session-long floor is thinned to stay under this many points.
constexpr size_t kHistoryCap = 512;
// Consecutive evaluations (one per closed bucket) needed to move up, and to
// move down: rising needs a confirmation, falling needs a longer one, so a
// verdict near a threshold does not flap.
constexpr int kUpEvaluations = 2;
constexpr int kDownEvaluations = 4;
// And whatever the evaluations say, a state is held at least this long (a
// tenth of the window when the user chose a window shorter than 10 min).
constexpr qint64 kMinDwellMs = 60 * 1000;
// A growth that would exhaust the heap this soon is called a leak after a
// quarter of confirmSeconds: waiting longer would mean alarming after death.
constexpr qint64 kUrgentOomMs = 10 * kMinute;
// Native growth up to this share of the heap floor's growth is V8's own
// bookkeeping following the heap.
constexpr double kHeapSideTableShare = 0.1;

} // namespace

LeakDetector::LeakDetector()
{
    reset();
}

void LeakDetector::setSettings(const LeakSettings& settings)
{
    m_settings = settings;
    m_settings.windowSeconds = qMax(30, m_settings.windowSeconds);
    m_settings.confirmSeconds = qMax(0, m_settings.confirmSeconds);
    m_settings.minGrowthBytes = qMax<qint64>(1, m_settings.minGrowthBytes);
    m_settings.nativeMinGrowthBytes = qMax<qint64>(1, m_settings.nativeMinGrowthBytes);
    reset();
}

void LeakDetector::setHeapLimitBytes(qint64 bytes)
{
    m_heapLimitBytes = qMax<qint64>(0, bytes);
}

qint64 LeakDetector::oomThresholdBytes() const
{
    if (m_heapLimitBytes <= 0)
        return 0;
    return m_heapLimitBytes - qMin(kYoungGenerationBytes, m_heapLimitBytes / 4);
}

void LeakDetector::reset()
{
    m_intervalMs = 0;
    m_lastElapsedMs = -1;
    m_lastWallMs = 0;
    resetTrack(m_js, LeakVerdict::Kind::JavaScript, m_settings.minGrowthBytes, true);
    resetTrack(m_native, LeakVerdict::Kind::Native, m_settings.nativeMinGrowthBytes, false);
}

void LeakDetector::resetTrack(Track& track, LeakVerdict::Kind kind, qint64 minGrowth, bool judgeCollections)
{
    track = Track();
    track.verdict.kind = kind;
    track.minGrowthBytes = minGrowth;
    track.judgeCollections = judgeCollections;
}

qint64 LeakDetector::bucketMs() const
{
    const qint64 fromWindow = qint64(m_settings.windowSeconds) * 1000 / kBucketsPerWindow;
    // At coarse sampling every sample is its own bucket.
    return qMax(fromWindow, qint64(0.9 * m_intervalMs));
}

qint64 LeakDetector::windowMs() const
{
    return qMax(qint64(m_settings.windowSeconds) * 1000, kMinBucketsPerWindow * bucketMs());
}

void LeakDetector::addSample(const Sample& sample)
{
    const qint64 elapsed = sample.elapsedMs;
    if (elapsed < m_lastElapsedMs)
        return; // out of order: a new session must reset() first
    if (m_lastElapsedMs >= 0 && elapsed > m_lastElapsedMs) {
        // Smoothed, with outliers (a paused target) clipped, so one gap does
        // not stretch every later bucket.
        const double delta = double(elapsed - m_lastElapsedMs);
        m_intervalMs = m_intervalMs <= 0 ? delta : 0.9 * m_intervalMs + 0.1 * qMin(delta, 4 * m_intervalMs);
    }
    m_lastElapsedMs = elapsed;
    m_lastWallMs = sample.wallMs;

    if (sample.hasHeap())
        feed(m_js, sample.elapsedMs, sample.wallMs, sample.heapUsedBytes);
    if (sample.hasOs() && sample.heapTotalBytes != Sample::kMissingBytes
        && sample.externalBytes != Sample::kMissingBytes) {
        const qint64 native = sample.rssBytes - sample.heapTotalBytes - sample.externalBytes;
        feed(m_native, sample.elapsedMs, sample.wallMs, qMax<qint64>(0, native));
    }
}

void LeakDetector::feed(Track& track, quint32 elapsedMs, qint64 wallMs, qint64 value)
{
    if (track.firstElapsedMs < 0)
        track.firstElapsedMs = elapsedMs;
    if (track.bucketOpen && qint64(elapsedMs) - track.bucketStartMs >= bucketMs()) {
        closeBucket(track);
        evaluate(track, elapsedMs, wallMs);
    }
    if (!track.bucketOpen) {
        track.bucketOpen = true;
        track.bucketStartMs = elapsedMs;
        track.bucketMin = BaselinePoint{elapsedMs, wallMs, value, false};
    } else if (value < track.bucketMin.bytes) {
        track.bucketMin = BaselinePoint{elapsedMs, wallMs, value, false};
    }

    if (track.lastValue >= 0 && value < track.lastValue) {
        track.fallLow = track.falling ? qMin(track.fallLow, value) : value;
        track.falling = true;
    } else if (track.falling) {
        track.falling = false;
        // Rounding and concurrent sweeping's trickle must not count.
        const qint64 margin = qMax<qint64>(256 * 1024, track.previousLow / 512);
        if (track.previousLow >= 0 && track.fallLow < track.previousLow - margin)
            track.floorDropTimes.push_back(elapsedMs);
        track.previousLow = track.fallLow;
    }
    track.lastValue = value;
}

void LeakDetector::closeBucket(Track& track)
{
    if (!track.bucketOpen)
        return;
    track.bucketOpen = false;
    addFloorPoint(track, track.bucketMin);
}

void LeakDetector::addFloorPoint(Track& track, const BaselinePoint& point)
{
    auto insertSorted = [&point](auto& container) {
        auto it = container.end();
        while (it != container.begin() && std::prev(it)->elapsedMs > point.elapsedMs)
            --it;
        container.insert(it, point);
    };
    insertSorted(track.window);
    insertSorted(track.history);

    const qint64 oldest = qint64(track.window.back().elapsedMs) - windowMs();
    while (!track.window.empty() && qint64(track.window.front().elapsedMs) < oldest)
        track.window.pop_front();
    while (!track.floorDropTimes.empty() && track.floorDropTimes.front() < oldest)
        track.floorDropTimes.pop_front();

    if (track.history.size() > kHistoryCap) {
        // Halve the resolution, keeping the lower of each pair: it is a floor.
        std::vector<BaselinePoint> thinned;
        thinned.reserve(track.history.size() / 2 + 1);
        for (size_t i = 0; i < track.history.size(); i += 2) {
            const BaselinePoint& a = track.history[i];
            if (i + 1 < track.history.size()) {
                const BaselinePoint& b = track.history[i + 1];
                thinned.push_back(b.bytes < a.bytes ? b : a);
            } else {
                thinned.push_back(a);
            }
        }
        track.history.swap(thinned);
    }
}

void LeakDetector::noteForcedCollection(quint32 elapsedMs, qint64 heapUsedAfter)
{
    if (heapUsedAfter < 0)
        return;
    Track& track = m_js;
    if (track.firstElapsedMs < 0)
        track.firstElapsedMs = elapsedMs;
    const qint64 wallMs = m_lastElapsedMs >= 0 ? m_lastWallMs + (qint64(elapsedMs) - m_lastElapsedMs) : 0;
    // The open bucket's minimum is a pre-collection figure; close it so the
    // forced floor starts a fresh one.
    closeBucket(track);
    // A full collection proves everything above it before now was garbage
    // (or live data since freed): either way, no growth.
    for (BaselinePoint& p : track.window) {
        if (p.elapsedMs <= elapsedMs)
            p.bytes = qMin(p.bytes, heapUsedAfter);
    }
    for (BaselinePoint& p : track.history) {
        if (p.elapsedMs <= elapsedMs)
            p.bytes = qMin(p.bytes, heapUsedAfter);
    }
    track.floorDropTimes.push_back(elapsedMs);
    addFloorPoint(track, BaselinePoint{elapsedMs, wallMs, heapUsedAfter, true});
    track.lastValue = heapUsedAfter;
    track.previousLow = heapUsedAfter;
    track.falling = false;
    evaluate(track, elapsedMs, wallMs);
}

void LeakDetector::evaluate(Track& track, quint32 nowElapsedMs, qint64 nowWallMs)
{
    LeakVerdict& v = track.verdict;
    using State = LeakVerdict::State;
    v.asOfWallMs = nowWallMs;
    v.learnedMs = qint64(nowElapsedMs) - track.firstElapsedMs;
    const auto& w = track.window;
    const int n = int(w.size());
    if (n < 3)
        return;

    const qint64 now = nowElapsedMs;
    const qint64 span = qint64(w.back().elapsedMs) - qint64(w.front().elapsedMs);
    const qint64 minGrowth = track.minGrowthBytes;

    // Bucket minima still ride the garbage ramp whenever a bucket missed the
    // full collection. Their Theil-Sen line is a fair first trend; the floor
    // proper is the buckets lowest around it within +-halfWidth (the lows
    // right after collections). Fewer points, far less noise.
    const std::vector<BaselinePoint> buckets(w.begin(), w.end());
    const TrendFit all = TrendFit::of(buckets);
    const qint64 halfWidth = qMax(2 * bucketMs(), qint64(15 * 1000));
    std::vector<BaselinePoint> floorPoints;
    {
        std::vector<double> residual(buckets.size());
        for (size_t i = 0; i < buckets.size(); ++i)
            residual[i]
                = double(buckets[i].bytes) - all.slope * double(qint64(buckets[i].elapsedMs) - all.originMs);
        size_t lo = 0;
        for (size_t i = 0; i < buckets.size(); ++i) {
            const qint64 ti = buckets[i].elapsedMs;
            while (qint64(buckets[lo].elapsedMs) < ti - halfWidth)
                ++lo;
            bool lowest = true;
            for (size_t j = lo; j < buckets.size() && qint64(buckets[j].elapsedMs) <= ti + halfWidth; ++j) {
                if (residual[j] < residual[i]) {
                    lowest = false;
                    break;
                }
            }
            if (lowest || buckets[i].forced)
                floorPoints.push_back(buckets[i]);
        }
    }
    const bool useFloor = floorPoints.size() >= 5;
    const std::vector<BaselinePoint>& chosen = useFloor ? floorPoints : buckets;
    const TrendFit fit = useFloor ? TrendFit::of(floorPoints) : all;
    const std::vector<BaselinePoint> recentHalf(chosen.begin() + qsizetype(chosen.size() / 2), chosen.end());
    const TrendFit recent = TrendFit::of(recentHalf);
    const std::vector<BaselinePoint> recentBuckets(
        buckets.begin() + qsizetype(buckets.size() / 2), buckets.end());
    const TrendFit recentAll = TrendFit::of(recentBuckets);
    const double growthInWindow = fit.slope * double(span);
    // The floor points carry the evidence. A fast growth leaves few lows to
    // pick, though, and then all buckets may speak for it; a small one they
    // would overstate, their ramps being more alike than the correction knows.
    const double z = useFloor && growthInWindow < 2.0 * double(minGrowth) ? fit.z : qMax(fit.z, all.z);

    // Lowest floor in the first and last third: a sawtooth whose collections
    // fit inside a third cancels out here however the Theil-Sen pairs fall.
    const qint64 thirdA = qint64(w.front().elapsedMs) + span / 3;
    const qint64 thirdC = qint64(w.back().elapsedMs) - span / 3;
    qint64 floorA = std::numeric_limits<qint64>::max();
    qint64 floorB = std::numeric_limits<qint64>::max();
    qint64 floorC = std::numeric_limits<qint64>::max();
    for (const BaselinePoint& p : w) {
        if (qint64(p.elapsedMs) <= thirdA)
            floorA = qMin(floorA, p.bytes);
        else if (qint64(p.elapsedMs) < thirdC)
            floorB = qMin(floorB, p.bytes);
        if (qint64(p.elapsedMs) >= thirdC)
            floorC = qMin(floorC, p.bytes);
    }
    const double rise = double(floorC - floorA);
    // A step early in the window (a cache that filled, then stayed) tilts
    // the line and the first-to-last rise; the floor has not moved between
    // the middle and last thirds, where a leak keeps rising.
    const double recentRise = floorB == std::numeric_limits<qint64>::max() ? rise : double(floorC - floorB);

    const double floorNow = qMax(0.0, fit.valueAt(now));
    v.floorBytes = qint64(floorNow);
    v.slopeBytesPerMin = fit.slope * double(kMinute);

    // Where the growth began: walking back through the session's floor, each
    // new running (suffix) minimum is a floor the later growth started from.
    // While the floor grew they sit on the trend line; before, they stand
    // ever further above its backward extrapolation. The oldest one still
    // near the line is where the growth began. Minima ignore the buckets
    // that rode a garbage ramp; a single high one does not end the walk.
    qint64 sinceIndex = -1;
    if (fit.slope > 0 && !track.history.empty()) {
        const double tolerance = qMax(double(minGrowth) / 8, 2 * fit.spread);
        const qint64 windowStart = w.front().elapsedMs;
        qint64 suffixMin = std::numeric_limits<qint64>::max();
        for (qint64 i = qint64(track.history.size()) - 1; i >= 0; --i) {
            const BaselinePoint& p = track.history[size_t(i)];
            if (p.bytes >= suffixMin)
                continue;
            suffixMin = p.bytes;
            // The line is less sure the further back it is extrapolated.
            const double drift = 0.1 * fit.slope * double(qMax<qint64>(0, windowStart - qint64(p.elapsedMs)));
            if (double(p.bytes) - fit.valueAt(p.elapsedMs) <= tolerance + drift)
                sinceIndex = i;
        }
    }
    // The growth is only proven once a collection after its start freed
    // something and the floor still stood higher.
    v.collectionsSeen = !track.judgeCollections || sinceIndex < 0
        || (!track.floorDropTimes.empty()
            && track.floorDropTimes.back() > qint64(track.history[size_t(sinceIndex)].elapsedMs));
    const qint64 sinceFloor = sinceIndex >= 0 ? track.history[size_t(sinceIndex)].bytes : 0;
    const double growth = sinceIndex >= 0 ? qMax(0.0, floorNow - double(sinceFloor)) : 0.0;
    const qint64 sustainedMs
        = sinceIndex >= 0 ? now - qint64(track.history[size_t(sinceIndex)].elapsedMs) : 0;

    qint64 msToOom = -1;
    const qint64 oomAt = track.verdict.kind == LeakVerdict::Kind::JavaScript ? oomThresholdBytes() : 0;
    if (oomAt > 0 && fit.slope > 0)
        msToOom = qMax<qint64>(0, qint64((double(oomAt) - floorNow) / fit.slope));

    const qint64 confirmMs = qint64(m_settings.confirmSeconds) * 1000;
    const bool urgent = msToOom >= 0 && msToOom <= kUrgentOomMs;
    const qint64 learnMs = std::clamp<qint64>(windowMs() / 10, 30 * 1000, 120 * 1000);
    if (v.state == State::Learning) {
        // Five floor points are five collections' lows: fewer and a single
        // garbage ramp could pass for growth. An unmistakable growth ends the
        // lesson early, or a fast leak would kill the process first.
        const bool enoughFloor
            = span >= learnMs && n >= kMinPoints && (floorPoints.size() >= 5 || span >= windowMs() / 2);
        const bool unmistakable = span >= learnMs && all.z >= 3
            && all.slope * double(span) >= 2.0 * double(minGrowth) && (v.collectionsSeen || urgent);
        if (!enoughFloor && !unmistakable)
            return;
        v.state = State::Ok;
        track.upCount = track.downCount = 0;
        track.lastChangeMs = now;
    }

    const double mg = double(minGrowth);
    // A growth that just stopped (a cache that filled) leaves the newest
    // floor below the line through the window, by more than the noise of a
    // median of that many points (1.25 sigma / sqrt(n)). It only holds back
    // a rise: once raised, a state is not lowered for it, since a full
    // collection that freed old garbage leaves the same one-off step.
    const double recentNoise = 1.25 * fit.spread / std::sqrt(double(qMax(1, fit.recentCount)));
    const bool decelerating = fit.recentResidual < -qMax(mg / 16, 2 * recentNoise);
    // Until a collection has lowered the floor, a rising floor may be garbage
    // waiting for the next full collection (slow allocators go minutes
    // without one): it takes the confirmation time before even `suspect`,
    // and twice that before `leak`, unless the heap is about to run out.
    const qint64 patienceMs = v.collectionsSeen || urgent ? 0 : confirmMs;
    // The second half of the window must keep up with the whole: a cache
    // filling up slows down, a leak does not. Only a slowdown beyond the
    // noise of the half-window slope counts, and holding a state asks for a
    // clearer one than entering it.
    auto slowed = [](const TrendFit& whole, const TrendFit& half, double fraction, double sigmas) {
        return half.slope < fraction * whole.slope && whole.slope - half.slope > sigmas * half.slopeError;
    };
    auto slowedBelow = [&](double fraction, double sigmas) { return slowed(fit, recent, fraction, sigmas); };
    // Few floor points make a jumpy half-window slope, so all buckets are
    // asked too: a rise is refused if either view shows the slowdown, a
    // state is only left when both do.
    auto eitherSlowedBelow = [&](double fraction, double sigmas) {
        return slowedBelow(fraction, sigmas) || slowed(all, recentAll, fraction, sigmas);
    };
    auto bothSlowedBelow = [&](double fraction, double sigmas) {
        return slowedBelow(fraction, sigmas) && slowed(all, recentAll, fraction, sigmas);
    };
    // V8 keeps side tables (mark bits, remembered sets) in malloc'd memory in
    // proportion to the heap, so a JavaScript leak drags native memory up by
    // a few percent of its own rate. That is not a second leak.
    bool explainedByHeap = false;
    if (track.verdict.kind == LeakVerdict::Kind::Native && m_js.verdict.isGrowing()) {
        const double jsSlope = m_js.verdict.slopeBytesPerMin / double(kMinute);
        explainedByHeap = fit.slope <= kHeapSideTableShare * jsSlope;
    }
    // A window that holds a past step (a cache that filled) and a flat
    // floor since still slopes upwards; its recent half does not.
    const bool risingNow = recent.slope > 2 * recent.slopeError;
    const bool stillRising = recentRise >= qMax(mg / 16, rise / 5);
    const bool enterSuspect = !explainedByHeap && z >= 2.5 && growthInWindow >= mg / 2 && rise >= mg / 4
        && stillRising && !decelerating && !eitherSlowedBelow(0.5, 2) && risingNow
        && sustainedMs >= patienceMs;
    const bool holdSuspect
        = !explainedByHeap && z >= 1.5 && growthInWindow >= mg / 4 && !bothSlowedBelow(0.3, 3);
    const bool enterLeak = !explainedByHeap && n >= kMinPoints && z >= 3 && growthInWindow >= mg
        && stillRising && rise >= mg / 2 && !decelerating && !eitherSlowedBelow(0.6, 2) && risingNow
        && sustainedMs >= (urgent ? confirmMs / 4 : confirmMs + patienceMs);
    const bool holdLeak = !explainedByHeap && z >= 2 && growthInWindow >= mg / 2 && !bothSlowedBelow(0.25, 3);

    State up = v.state;
    if (v.state != State::Leak && enterLeak)
        up = State::Leak;
    else if (v.state == State::Ok && enterSuspect)
        up = State::Suspect;
    bool holds = true;
    if (v.state == State::Leak)
        holds = holdLeak;
    else if (v.state == State::Suspect)
        holds = holdSuspect;

    // Counts build up even while the state is held, so a change that has
    // been due for a while happens as soon as the dwell is over.
    track.upCount = up != v.state ? track.upCount + 1 : 0;
    track.downCount = !holds && up == v.state ? track.downCount + 1 : 0;
    const qint64 dwellMs = qMax(qMin(kMinDwellMs, windowMs() / 10), kDownEvaluations * bucketMs());
    const bool dwelt = now - track.lastChangeMs >= dwellMs;
    if (up != v.state && track.upCount >= kUpEvaluations && (dwelt || (up == State::Leak && urgent))) {
        v.state = up;
        track.upCount = track.downCount = 0;
        track.lastChangeMs = now;
    } else if (track.downCount >= kDownEvaluations && dwelt) {
        // One step at a time: a leak that fades is suspect before it is ok.
        v.state = v.state == State::Leak ? State::Suspect : State::Ok;
        track.upCount = track.downCount = 0;
        track.lastChangeMs = now;
    }

    if (v.isGrowing() && sinceIndex >= 0) {
        const BaselinePoint& since = track.history[size_t(sinceIndex)];
        v.sinceElapsedMs = since.elapsedMs;
        v.sinceWallMs = since.wallMs;
        v.growthBytes = qint64(growth);
        v.projectedOomWallMs = msToOom >= 0 ? nowWallMs + msToOom : LeakVerdict::kNone;
    } else {
        v.sinceElapsedMs = v.sinceWallMs = LeakVerdict::kNone;
        v.growthBytes = 0;
        v.projectedOomWallMs = LeakVerdict::kNone;
    }
}

QList<BaselinePoint> LeakDetector::baseline() const
{
    QList<BaselinePoint> points;
    points.reserve(qsizetype(m_js.history.size()));
    for (const BaselinePoint& p : m_js.history)
        points.append(p);
    return points;
}

} // namespace NodeScope

#include "analysis/leakdetector.h"

#include <iterator>
#include <optional>
#include <vector>

namespace NodeScope {

namespace {

// The window is cut into this many buckets (each at least one sample), and
// stretched to hold at least kMinBucketsPerWindow when sampling is coarse.
constexpr int kBucketsPerWindow = 120;
constexpr int kMinBucketsPerWindow = 16;
// The session-long floor is thinned to stay under this many points.
constexpr size_t kHistoryCap = 512;
// A fall beneath every value of this long before it (seen at 4 samples or
// more) freed garbage older than the young generation's: a full collection.
// The lowest value this long after a collection is its low.
constexpr qint64 kRecentLowMs = 5000;

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
    return LeakStages::oomThresholdBytes(m_heapLimitBytes);
}

void LeakDetector::reset()
{
    m_intervalMs = 0;
    m_lastElapsedMs = -1;
    m_lastWallMs = 0;
    m_collectionsReported = false;
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
        if (!track.falling)
            track.lowBeforeFall = track.recentLows.empty() ? -1 : track.recentLows.front().second;
        track.fallLow = track.falling ? qMin(track.fallLow, value) : value;
        track.falling = true;
    } else if (track.falling) {
        track.falling = false;
        // Rounding and concurrent sweeping's trickle must not count.
        const qint64 margin = qMax<qint64>(256 * 1024, track.previousLow / 512);
        const bool belowPreviousLow = track.previousLow >= 0 && track.fallLow < track.previousLow - margin;
        // Only with four samples or more in those 5 s: at coarser sampling
        // the young generation's phase alone makes such falls.
        const bool belowRecentLows = m_intervalMs > 0 && m_intervalMs * 4 <= kRecentLowMs
            && track.lowBeforeFall >= 0 && track.fallLow < track.lowBeforeFall - margin;
        const bool reported = track.judgeCollections && m_collectionsReported;
        if (!reported && (belowPreviousLow || belowRecentLows))
            track.collections.push_back(LeakStages::CollectionLow{elapsedMs, track.fallLow});
        track.previousLow = track.fallLow;
    }
    if (!track.collections.empty()) {
        // One the probe reported takes the first value after it; any keeps
        // the lowest of the few seconds after it.
        LeakStages::CollectionLow& latest = track.collections.back();
        const qint64 after = qint64(elapsedMs) - latest.elapsedMs;
        if (after >= 0
            && (latest.lowBytes == LeakStages::CollectionLow::kUnknown
                || (after <= kRecentLowMs && value < latest.lowBytes)))
            latest.lowBytes = value;
    }
    track.lastValue = value;
    while (!track.recentLows.empty() && track.recentLows.back().second >= value)
        track.recentLows.pop_back();
    track.recentLows.emplace_back(elapsedMs, value);
    while (track.recentLows.front().first < qint64(elapsedMs) - kRecentLowMs)
        track.recentLows.pop_front();
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
    while (!track.collections.empty() && track.collections.front().elapsedMs < oldest)
        track.collections.pop_front();

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
    track.collections.push_back(LeakStages::CollectionLow{elapsedMs, heapUsedAfter});
    addFloorPoint(track, BaselinePoint{elapsedMs, wallMs, heapUsedAfter, true});
    track.lastValue = heapUsedAfter;
    track.previousLow = heapUsedAfter;
    track.falling = false;
    evaluate(track, elapsedMs, wallMs);
}

void LeakDetector::noteFullCollection(quint32 elapsedMs)
{
    // Its low is the next sample's heapUsed (feed()).
    std::deque<LeakStages::CollectionLow>& collections = m_js.collections;
    auto it = collections.end();
    while (it != collections.begin() && std::prev(it)->elapsedMs > qint64(elapsedMs))
        --it;
    collections.insert(it, LeakStages::CollectionLow{elapsedMs, LeakStages::CollectionLow::kUnknown});
}

LeakStages::LeakRules LeakDetector::rules(const Track& track) const
{
    LeakStages::LeakRules r;
    r.minGrowthBytes = track.minGrowthBytes;
    r.judgeCollections = track.judgeCollections;
    r.windowMs = windowMs();
    r.bucketMs = bucketMs();
    r.confirmMs = qint64(m_settings.confirmSeconds) * 1000;
    return r;
}

void LeakDetector::evaluate(Track& track, quint32 nowElapsedMs, qint64 nowWallMs)
{
    using namespace LeakStages;
    LeakVerdict& v = track.verdict;
    v.asOfWallMs = nowWallMs;
    v.learnedMs = qint64(nowElapsedMs) - track.firstElapsedMs;
    if (track.window.size() < 3)
        return;

    const qint64 now = nowElapsedMs;
    const LeakRules r = rules(track);
    // The fits want the points side by side and the window is a deque: one
    // copy per evaluation, that is per closed bucket, never per sample.
    const std::vector<BaselinePoint> buckets(track.window.begin(), track.window.end());
    const FloorTrend trend = fitFloorTrend(buckets, r, now);
    const std::optional<CollectionLow> lastCollection
        = track.collections.empty() ? std::nullopt : std::optional<CollectionLow>(track.collections.back());
    const GrowthStart start = findGrowthStart(track.history, trend, lastCollection, r, now);
    // Only the JavaScript heap has a limit to die of.
    const OomProjection oom = v.kind == LeakVerdict::Kind::JavaScript
        ? projectOutOfMemory(trend, oomThresholdBytes())
        : OomProjection();
    const bool explainedByHeap
        = v.kind == LeakVerdict::Kind::Native && followsGrowingHeap(trend, m_js.verdict);
    const GrowthPace pace = measurePace(buckets, trend, start, r);
    const StateConditions conditions = judgeThresholds(trend, start, pace, oom, explainedByHeap, r);
    const StateStep step = stepState(v.state, track.hysteresis, conditions, r, now);
    track.hysteresis = step.hysteresis;
    v = fillVerdict(v, step.state, trend, start, oom, r, nowWallMs);
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

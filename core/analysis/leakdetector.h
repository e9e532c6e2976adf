#pragma once

// Judges whether the memory that survives garbage collection keeps growing.
// heapUsed always rises between collections, so the detector never looks at
// heapUsed itself: it follows the post-GC floor (minima of short time
// buckets, plus floors confirmed by forced collections) and fits a robust
// Theil-Sen slope to that floor over a trailing window. docs/leak-detection.md
// explains the thresholds; the numbers live in LeakSettings.
//
// Fed on every sample (up to 100 Hz): a sample costs O(1); the O(n^2) fit
// runs once per closed bucket over at most ~130 floor points.

#include "analysis/baselinepoint.h"
#include "analysis/leakstages.h"
#include "analysis/leakverdict.h"
#include "types.h"

#include <QList>
#include <QtGlobal>

#include <deque>
#include <vector>

namespace NodeScope {

struct LeakSettings {
    // Trailing window the trend is judged over. Longer is slower to alarm and
    // harder to fool; it stretches on its own to hold 16 buckets (one sample
    // each) when the sampling interval is coarse.
    int windowSeconds = 600;
    // Floor growth over the window below which nothing is reported: the
    // smallest leak worth a banner. 0.5 MB/min is caught once ~8 min of it add up.
    qint64 minGrowthBytes = 4 * 1024 * 1024;
    // Growth must have lasted this long before `leak` (`suspect` comes
    // earlier), and kept its pace: its later half as fast as its earlier
    // half, where a cache warming up slows down. A growth of 16 x
    // minGrowthBytes needs only half of it, one that would exhaust the heap
    // within 10 min a quarter.
    int confirmSeconds = 180;
    // Native memory (rss - heapTotal - external) moves with allocator and
    // page-cache noise, so its bar is higher.
    qint64 nativeMinGrowthBytes = 8 * 1024 * 1024;
    // While the heap floor rises and the verdict is undecided, force a full
    // collection (HeapProfiler.collectGarbage) to confirm it, at most once a
    // minute, when its pause is expected within this many ms (it grows with
    // the heap: ConfirmingCollection). 0: never on our own, only when asked.
    int collectionBudgetMs = 0;
};

class LeakDetector {
public:
    LeakDetector();

    void setSettings(const LeakSettings& settings); // resets the learned state
    LeakSettings settings() const { return m_settings; }
    // V8's heap_size_limit; 0 when unknown (no out-of-memory projection then).
    void setHeapLimitBytes(qint64 bytes);
    qint64 heapLimitBytes() const { return m_heapLimitBytes; }

    // Samples must come in time order; one without heap figures only feeds the
    // native verdict, and that one only when rss, heapTotal and external are all there.
    void addSample(const Sample& sample);
    // A floor confirmed by HeapProfiler.collectGarbage: heapUsed right after a
    // full collection, when all of it is live. Floor points before it that
    // stand higher were garbage and are lowered to it.
    void noteForcedCollection(quint32 elapsedMs, qint64 heapUsedAfter);
    // A full (mark-compact) collection the target ran on its own, as the
    // probe reports them: like a fall of heapUsed below the previous low,
    // proof that a floor rising across it survives collections.
    void noteFullCollection(quint32 elapsedMs);
    // The target reports its full collections (noteFullCollection), as
    // NodeScope's probe does: falls of heapUsed are then not taken for them.
    // Sampled every 100 ms or faster, the lows after scavenges scatter by
    // more than any margin, and a guess would pass one for a full collection
    // that a floor of old-generation garbage (the probe's own collection
    // observer leaves 4-6 KB a collection) had survived. Cleared by reset().
    void setCollectionsReported(bool reported) { m_collectionsReported = reported; }

    LeakVerdict jsVerdict() const { return m_js.verdict; }
    LeakVerdict nativeVerdict() const { return m_native.verdict; }
    // The heapUsed floor over the whole session, thinned to at most ~512 points
    // (neighbours merge, keeping the lower).
    QList<BaselinePoint> baseline() const;
    // Where the out-of-memory projection aims: heap_size_limit less V8's
    // young generation, since the process dies when the old generation fills.
    qint64 oomThresholdBytes() const;

    void reset();

private:
    // The floor, its trend and the verdict of one kind of memory.
    struct Track {
        LeakVerdict verdict;
        qint64 minGrowthBytes = 0;
        bool judgeCollections = false; // only the JS heap has collections to tell apart

        // The open bucket: its minimum becomes the next floor point.
        bool bucketOpen = false;
        qint64 bucketStartMs = 0;
        BaselinePoint bucketMin;

        // Lows after each fall of the value. A low beneath the previous low
        // is a collection that freed old garbage: proof the growth survives
        // collections, rather than a ramp of garbage awaiting one.
        qint64 lastValue = -1;
        bool falling = false;
        qint64 fallLow = 0;
        qint64 previousLow = -1;
        // The lowest value of the last kRecentLowMs before the fall began: a
        // fall beneath it is a collection too, where coarse sampling sees no
        // scavenge lows between full collections. recentLows keeps the
        // running minima (a monotonic queue, O(1) a sample).
        std::deque<std::pair<qint64, qint64>> recentLows; // (elapsed ms, value), values increasing
        qint64 lowBeforeFall = -1;

        std::deque<BaselinePoint> window; // floor points inside the trailing window
        // Collections that lowered the floor, in the window, each with the
        // lowest value of the kRecentLowMs after it.
        std::deque<LeakStages::CollectionLow> collections;
        std::vector<BaselinePoint> history; // whole session, thinned
        qint64 firstElapsedMs = -1;

        LeakStages::Hysteresis hysteresis; // what the last evaluations said, for the next state
    };

    void feed(Track& track, quint32 elapsedMs, qint64 wallMs, qint64 value);
    void closeBucket(Track& track);
    void addFloorPoint(Track& track, const BaselinePoint& point);
    // Runs the stages of analysis/leakstages.h over the track's window.
    void evaluate(Track& track, quint32 nowElapsedMs, qint64 nowWallMs);
    LeakStages::LeakRules rules(const Track& track) const;
    qint64 bucketMs() const;
    qint64 windowMs() const;
    void resetTrack(Track& track, LeakVerdict::Kind kind, qint64 minGrowth, bool judgeCollections);

    LeakSettings m_settings;
    qint64 m_heapLimitBytes = 0;
    double m_intervalMs = 0; // smoothed sampling interval, sizes the buckets
    qint64 m_lastElapsedMs = -1;
    qint64 m_lastWallMs = 0; // to date forced collections, which carry only elapsed time
    bool m_collectionsReported = false;
    Track m_js;
    Track m_native;
};

} // namespace NodeScope

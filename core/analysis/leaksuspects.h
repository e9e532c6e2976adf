#pragma once

// Which code leaks: the live bytes of every allocation site, one reading of
// V8's sampling heap profiler after another, ranked by how fast they grow.
//
// A site's live bytes saw up and down with its young garbage and step up
// with what it retains, so the slope is a least-squares line through a
// trailing window of readings (a site absent from a reading had nothing
// alive then: 0). Sites are grouped by the nearest frame in the app's own
// code -- an Array grown inside node:events on behalf of handleRequest is
// handleRequest's doing -- and the groups ranked by their summed slope.
// A sampling session starts from nothing (objects allocated before it are
// not sampled), so readings of two sessions are never mixed: reset() between.

#include "analysis/allocationprofile.h"
#include "analysis/leaksuspect.h"

#include <QHash>
#include <QList>

namespace NodeScope {

class LeakSuspects {
public:
    // The profiler samples one allocation per this many bytes on average:
    // V8's default (512 KB) sees too little of a slow leak in a few minutes.
    static constexpr int kSamplingIntervalBytes = 64 * 1024;
    // Readings in the trailing window (10 min at a reading every 5 s).
    static constexpr int kWindowReadings = 120;
    // A ranking needs this many readings over at least kMinSpanMs.
    static constexpr int kMinReadings = 3;
    static constexpr qint64 kMinSpanMs = 10000;

    // What the sampling costs the target, as measured (README, Leak
    // suspects): said wherever sampling is turned on.
    static QString costNote();

    void reset();
    void addProfile(const AllocationProfile& profile);

    int readings() const { return int(m_times.size()); }
    qint64 spanMs() const { return m_times.isEmpty() ? 0 : m_times.last() - m_times.first(); }
    bool isReady() const { return readings() >= kMinReadings && spanMs() >= kMinSpanMs; }
    // The growing groups, fastest first, at most limit (empty until isReady()).
    QList<LeakSuspect> ranked(int limit = 10) const;
    // What the sites say of the growth, for the words beside a verdict and
    // never for the verdict itself: the profiler is off by default and sees
    // only what was allocated since it started. "top allocation site
    // handleRequest still growing 1.10 MB/min", "allocation sites flattening:
    // ...", "allocation sites flat over the last 2.0 min"; empty until isReady().
    QString growthWording() const;

    // Whether a frame is the app's own code (CodeOrigins::of its URL).
    static bool isAppFrame(const SourceFrame& frame);

private:
    struct SiteHistory {
        QList<SourceFrame> stack;
        QList<qint64> liveBytes; // one per reading in m_times
    };
    static size_t keyOf(const QList<SourceFrame>& stack);
    // Least-squares slope of the readings from index `from` on.
    double slopePerMs(const QList<qint64>& liveBytes, qsizetype from = 0) const;

    QList<qint64> m_times; // wall ms of the readings in the window
    QHash<size_t, SiteHistory> m_sites;
};

} // namespace NodeScope

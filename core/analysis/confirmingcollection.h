#pragma once

// When NodeScope forces a full garbage collection on its own to confirm a
// rising heap floor. After HeapProfiler.collectGarbage everything left on the
// heap is live: the true floor at once, where the time series needs minutes
// to tell a leak from garbage that awaits a full collection. But it stops
// the target for a full mark-compact, longer the bigger the heap
// (docs/leak-detection.md, section 3), so it happens only when the user set a
// pause budget (LeakSettings::collectionBudgetMs, 0 by default: never), the
// expected pause fits in it, the floor rises while the verdict is still
// undecided (learning, ok or suspect), and the last one is a minute old.
// A plain value class: the pipeline asks it on every sample and tells it
// what each collection cost.

#include "analysis/leakverdict.h"

#include <QtGlobal>

namespace NodeScope {

class ConfirmingCollection {
public:
    // Pause per MB of heapUsed before any collection was measured in this
    // session: about the slowest measured on Node 20 with a heap of small
    // objects on a busy 2-core machine (bench/leakeval/forced-gc-pause.js:
    // 4-12 ms per MB).
    static constexpr double kPriorMsPerMB = 10;
    // No more often than this, whatever the budget.
    static constexpr qint64 kMinGapMs = 60 * 1000;

    void setBudgetMs(int budgetMs) { m_budgetMs = qMax(0, budgetMs); }
    int budgetMs() const { return m_budgetMs; }

    // The pause a forced collection would cost with this much heap in use:
    // the last measured one's per MB, scaled.
    double expectedPauseMs(qint64 heapUsedBytes) const;
    // Whether to force one now, given the heap verdict and heapUsed now.
    bool wanted(const LeakVerdict& heap, qint64 heapUsedBytes, qint64 elapsedMs) const;

    // One was asked for: none other until it is answered.
    void requested(qint64 elapsedMs);
    // One (ours or the user's) took pauseMs with heapUsedBytes in use before it.
    void measured(qint64 heapUsedBytes, double pauseMs);
    // One failed: the next waits the usual gap.
    void failed();

    bool pending() const { return m_pending; }
    void reset();

private:
    int m_budgetMs = 0;
    double m_msPerMB = kPriorMsPerMB;
    bool m_pending = false;
    qint64 m_lastRequestMs = -1;
};

} // namespace NodeScope

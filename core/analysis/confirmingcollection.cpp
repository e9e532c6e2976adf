#include "analysis/confirmingcollection.h"

namespace NodeScope {

namespace {
constexpr double kMB = 1024.0 * 1024.0;
// A collection is never expected to be quicker than this: the round trip
// and the heap reading around it.
constexpr double kMinPauseMs = 1.0;
} // namespace

double ConfirmingCollection::expectedPauseMs(qint64 heapUsedBytes) const
{
    return qMax(kMinPauseMs, m_msPerMB * double(qMax<qint64>(0, heapUsedBytes)) / kMB);
}

bool ConfirmingCollection::wanted(const LeakVerdict& heap, qint64 heapUsedBytes, qint64 elapsedMs) const
{
    if (m_budgetMs <= 0 || m_pending || heapUsedBytes < 0)
        return false;
    if (m_lastRequestMs >= 0 && elapsedMs - m_lastRequestMs < kMinGapMs)
        return false;
    // Undecided and rising: `leak` needs no confirmation, a steady floor none either.
    const bool undecided = heap.state != LeakVerdict::State::Leak;
    const bool rising = heap.state == LeakVerdict::State::Suspect || (heap.riseBytes > 0 && heap.risingNow);
    return undecided && rising && expectedPauseMs(heapUsedBytes) <= double(m_budgetMs);
}

void ConfirmingCollection::requested(qint64 elapsedMs)
{
    m_pending = true;
    m_lastRequestMs = elapsedMs;
}

void ConfirmingCollection::measured(qint64 heapUsedBytes, double pauseMs)
{
    m_pending = false;
    if (heapUsedBytes > 0 && pauseMs > 0)
        m_msPerMB = pauseMs / (double(heapUsedBytes) / kMB);
}

void ConfirmingCollection::failed()
{
    m_pending = false;
}

void ConfirmingCollection::reset()
{
    m_msPerMB = kPriorMsPerMB;
    m_pending = false;
    m_lastRequestMs = -1;
}

} // namespace NodeScope

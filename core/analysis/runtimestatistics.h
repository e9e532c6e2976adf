#pragma once

// The runtime health of a whole session, for `record`'s summary and the
// dashboard's figures: event-loop utilisation and delay over every interval,
// the stalls, and the garbage collections by kind. O(1) per sample but for
// the per-interval p99 delays kept for the session's percentile (4 bytes a
// sample).

#include "types.h"

#include <QJsonObject>
#include <QList>

#include <vector>

namespace NodeScope {

class RuntimeStatistics {
public:
    // The figures of the interval that ends at wallMs (the utilisation is
    // weighted by the interval's length, which a stall stretches).
    void add(const RuntimeSample& runtime, qint64 wallMs);
    void addCollections(const CollectionCounts& counts);
    void addStall(const LoopStall& stall) { m_stalls.append(stall); }
    void clear() { *this = RuntimeStatistics(); }

    bool hasEventLoop() const { return m_eluCount > 0 || !m_delayP99.empty(); }
    bool hasCollections() const { return m_gcSeen; }
    double eluMean() const; // NaN without figures
    // The 99th percentile of the intervals' p99 delays, and the longest delay.
    double delayP99Ms() const;
    double delayMaxMs() const { return m_delayMaxMs; }
    const QList<LoopStall>& stalls() const { return m_stalls; }
    qint64 collections() const;
    double collectionPauseMs() const;

    // The summary's `eventLoop` {eluMean, delayP99Ms, delayMaxMs, stalls:[{start, durationMs}]}
    // and `gc` {count, pauseMs, byKind:{minor, major, incremental, weakCallbacks: {count, pauseMs}}};
    // null when the figures were never sampled.
    QJsonValue eventLoopJson() const;
    QJsonValue gcJson() const;

private:
    double m_eluBusyMs = 0; // utilisation x interval, summed
    double m_eluSpanMs = 0;
    qint64 m_eluCount = 0;
    qint64 m_lastRuntimeWallMs = 0;
    std::vector<float> m_delayP99;
    double m_delayMaxMs = 0;
    QList<LoopStall> m_stalls;
    bool m_gcSeen = false;
    std::array<qint64, CollectionCounts::KindCount> m_gcCount{};
    std::array<double, CollectionCounts::KindCount> m_gcPauseMs{};
};

} // namespace NodeScope

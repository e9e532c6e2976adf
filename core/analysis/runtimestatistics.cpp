#include "analysis/runtimestatistics.h"

#include "format.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>

namespace NodeScope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// perf_hooks' collection kinds, in CollectionCounts order.
constexpr const char* kKindNames[CollectionCounts::KindCount]
    = {"minor", "major", "incremental", "weakCallbacks"};

QJsonValue number(double value, int decimals = 2)
{
    if (!std::isfinite(value))
        return QJsonValue();
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

} // namespace

void RuntimeStatistics::add(const RuntimeSample& runtime, qint64 wallMs)
{
    if (!std::isnan(runtime.elu)) {
        // The first interval's length is unknown: it counts as one second.
        const double spanMs = m_lastRuntimeWallMs > 0 && wallMs > m_lastRuntimeWallMs
            ? double(wallMs - m_lastRuntimeWallMs)
            : 1000.0;
        m_eluBusyMs += double(runtime.elu) * spanMs;
        m_eluSpanMs += spanMs;
        ++m_eluCount;
        m_lastRuntimeWallMs = wallMs;
    }
    if (!std::isnan(runtime.loopDelayP99Ms))
        m_delayP99.push_back(runtime.loopDelayP99Ms);
    if (!std::isnan(runtime.loopDelayMaxMs))
        m_delayMaxMs = qMax(m_delayMaxMs, double(runtime.loopDelayMaxMs));
    if (runtime.gcCount >= 0)
        m_gcSeen = true;
}

void RuntimeStatistics::addCollections(const CollectionCounts& counts)
{
    m_gcSeen = true;
    for (int kind = 0; kind < CollectionCounts::KindCount; ++kind) {
        m_gcCount[std::size_t(kind)] += counts.count[std::size_t(kind)];
        m_gcPauseMs[std::size_t(kind)] += counts.pauseMs[std::size_t(kind)];
    }
}

double RuntimeStatistics::eluMean() const
{
    return m_eluSpanMs > 0 ? m_eluBusyMs / m_eluSpanMs : kNaN;
}

double RuntimeStatistics::delayP99Ms() const
{
    if (m_delayP99.empty())
        return kNaN;
    std::vector<float> sorted = m_delayP99;
    const std::size_t rank
        = std::min(sorted.size() - 1, std::size_t(std::ceil(0.99 * double(sorted.size())) - 1));
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(rank), sorted.end());
    return double(sorted[rank]);
}

qint64 RuntimeStatistics::collections() const
{
    qint64 total = 0;
    for (qint64 count : m_gcCount)
        total += count;
    return total;
}

double RuntimeStatistics::collectionPauseMs() const
{
    double total = 0;
    for (double pause : m_gcPauseMs)
        total += pause;
    return total;
}

QJsonValue RuntimeStatistics::eventLoopJson() const
{
    if (!hasEventLoop() && m_stalls.isEmpty())
        return QJsonValue();
    QJsonArray stalls;
    for (const LoopStall& stall : m_stalls)
        stalls.append(QJsonObject{{QStringLiteral("start"), Format::wallTime(stall.startWallMs)},
            {QStringLiteral("durationMs"), number(stall.durationMs, 1)}});
    return QJsonObject{{QStringLiteral("eluMean"), number(eluMean(), 3)},
        {QStringLiteral("delayP99Ms"), number(delayP99Ms())},
        {QStringLiteral("delayMaxMs"), number(m_delayMaxMs)}, {QStringLiteral("stalls"), stalls}};
}

QJsonValue RuntimeStatistics::gcJson() const
{
    if (!m_gcSeen)
        return QJsonValue();
    QJsonObject byKind;
    for (int kind = 0; kind < CollectionCounts::KindCount; ++kind)
        byKind.insert(QLatin1String(kKindNames[kind]),
            QJsonObject{{QStringLiteral("count"), m_gcCount[std::size_t(kind)]},
                {QStringLiteral("pauseMs"), number(m_gcPauseMs[std::size_t(kind)])}});
    return QJsonObject{{QStringLiteral("count"), collections()},
        {QStringLiteral("pauseMs"), number(collectionPauseMs())}, {QStringLiteral("byKind"), byKind}};
}

} // namespace NodeScope

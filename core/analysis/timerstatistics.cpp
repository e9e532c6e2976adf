#include "analysis/timerstatistics.h"

#include "session/timerscsv.h"

#include <algorithm>
#include <cmath>

namespace NodeScope {

namespace {

// Bucket i holds durations in [kGrowth^i, kGrowth^(i+1)) ms.
constexpr double kGrowth = 1.01;
const double kLogGrowth = std::log(kGrowth);

int bucketOf(double durationMs)
{
    return int(std::floor(std::log(durationMs) / kLogGrowth));
}

double bucketMiddle(int bucket)
{
    return std::exp((double(bucket) + 0.5) * kLogGrowth);
}

double roundedMs(double ms)
{
    return std::round(ms * 1000) / 1000;
}

} // namespace

void TimerStatistics::Accumulator::add(double durationMs)
{
    const bool wasBucketed = bucketed();
    if (count == 0) {
        min = max = durationMs;
    } else {
        min = std::min(min, durationMs);
        max = std::max(max, durationMs);
    }
    ++count;
    sum += durationMs;
    last = durationMs;

    auto addToBuckets = [this](double value) {
        if (value > 0)
            ++buckets[bucketOf(value)];
        else
            ++zeros;
    };
    if (!wasBucketed && qsizetype(sorted.size()) < kExactLimit) {
        sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), durationMs), durationMs);
        return;
    }
    if (!sorted.empty()) {
        for (double value : sorted)
            addToBuckets(value);
        std::vector<double>().swap(sorted); // give the memory back, not just the size
    }
    addToBuckets(durationMs);
}

double TimerStatistics::Accumulator::percentile(double p) const
{
    if (count == 0)
        return 0;
    if (!bucketed()) {
        const double position = p * double(sorted.size() - 1);
        const auto below = size_t(std::floor(position));
        const size_t above = std::min(below + 1, sorted.size() - 1);
        return sorted[below] + (position - double(below)) * (sorted[above] - sorted[below]);
    }
    // The bucket holding the closest rank at or below the interpolation point.
    const auto rank = qint64(std::floor(p * double(count - 1)));
    qint64 seen = zeros;
    if (rank < seen)
        return 0;
    for (const auto& [bucket, bucketCount] : buckets) {
        seen += bucketCount;
        if (rank < seen)
            return std::clamp(bucketMiddle(bucket), min, max);
    }
    return max;
}

void TimerStatistics::add(const TimerSpan& span)
{
    if (span.isLap)
        return;
    add(span.source, span.label, span.durationMs);
}

void TimerStatistics::add(TimerSpan::Source source, const QString& label, double durationMs)
{
    // A NaN would poison min/max and the sort order; no clock gives one.
    if (!std::isfinite(durationMs) || durationMs < 0)
        return;
    m_labels[Key(int(source), label)].add(durationMs);
}

void TimerStatistics::clear()
{
    m_labels.clear();
}

std::optional<TimerStats> TimerStatistics::stats(TimerSpan::Source source, const QString& label) const
{
    const auto it = m_labels.find(Key(int(source), label));
    if (it == m_labels.end())
        return std::nullopt;
    const Accumulator& a = it->second;
    TimerStats s;
    s.source = source;
    s.label = label;
    s.count = a.count;
    s.lastMs = a.last;
    s.minMs = a.min;
    s.meanMs = a.sum / double(a.count);
    s.p50Ms = a.percentile(0.50);
    s.p95Ms = a.percentile(0.95);
    s.maxMs = a.max;
    s.exactPercentiles = !a.bucketed();
    return s;
}

QList<TimerStats> TimerStatistics::all() const
{
    QList<TimerStats> result;
    result.reserve(size());
    for (const auto& entry : m_labels)
        result.append(*stats(TimerSpan::Source(entry.first.first), entry.first.second));
    return result;
}

QJsonObject TimerStatistics::toJson(const TimerStats& stats)
{
    return QJsonObject{
        {QLatin1String("source"), TimersCsv::sourceName(stats.source)},
        {QLatin1String("label"), stats.label},
        {QLatin1String("count"), stats.count},
        {QLatin1String("minMs"), roundedMs(stats.minMs)},
        {QLatin1String("meanMs"), roundedMs(stats.meanMs)},
        {QLatin1String("p50Ms"), roundedMs(stats.p50Ms)},
        {QLatin1String("p95Ms"), roundedMs(stats.p95Ms)},
        {QLatin1String("maxMs"), roundedMs(stats.maxMs)},
    };
}

QJsonArray TimerStatistics::toJson() const
{
    QJsonArray array;
    for (const TimerStats& s : all())
        array.append(toJson(s));
    return array;
}

} // namespace NodeScope

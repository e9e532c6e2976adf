#include "watch/probereading.h"

#include "jsonnumber.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace NodeScope {

namespace {

// Counts and totals beyond this are not a process's but garbage.
constexpr double kMaxCount = 1.0e9;

qint64 bytesOf(const QJsonValue& value)
{
    return JsonNumber::toBytes(value).value_or(Sample::kMissingBytes);
}

// NaN (missing) unless a finite number from 0 up to 10^12.
float floatOf(const QJsonValue& value)
{
    const double number = value.toDouble(std::numeric_limits<double>::quiet_NaN());
    return std::isfinite(number) && number >= 0 && number < 1e12 ? float(number)
                                                                 : std::numeric_limits<float>::quiet_NaN();
}

qint32 countOf(const QJsonValue& value)
{
    return qint32(qBound(0.0, value.toDouble(), kMaxCount));
}

void readCollections(const QJsonObject& gc, TargetReading& reading)
{
    const QJsonArray counts = gc.value(QLatin1String("count")).toArray();
    const QJsonArray pauses = gc.value(QLatin1String("pauseMs")).toArray();
    // Without a count per kind there is no figure of the interval's
    // collections; kinds a later probe may add after these are not ours.
    if (counts.size() >= CollectionCounts::KindCount) {
        // Four counts of up to 10^9 add up beyond qint32.
        qint64 total = 0;
        double pause = 0;
        for (int kind = 0; kind < CollectionCounts::KindCount; ++kind) {
            const std::size_t slot = std::size_t(kind);
            reading.collections.count[slot] = countOf(counts.at(kind));
            const float kindPause = floatOf(pauses.at(kind));
            reading.collections.pauseMs[slot] = std::isnan(kindPause) ? 0.0 : double(kindPause);
            total += reading.collections.count[slot];
            pause += reading.collections.pauseMs[slot];
        }
        reading.runtime.gcCount = qint32(qMin<qint64>(total, std::numeric_limits<qint32>::max()));
        reading.runtime.gcPauseMs = float(pause);
    }
    for (const QJsonValue& event : gc.value(QLatin1String("major")).toArray()) {
        const QJsonArray pair = event.toArray();
        const qint64 at = bytesOf(pair.at(0));
        const float eventPause = floatOf(pair.at(1));
        if (at != Sample::kMissingBytes && !std::isnan(eventPause))
            reading.collections.major.append({at, double(eventPause)});
    }
}

} // namespace

std::optional<TargetReading> ProbeReading::parse(const QJsonObject& reply)
{
    const QJsonArray memory = reply.value(QLatin1String("mem")).toArray();
    if (memory.size() != 5)
        return std::nullopt;
    TargetReading reading;
    reading.rssBytes = bytesOf(memory.at(0));
    reading.heapTotalBytes = bytesOf(memory.at(1));
    reading.heapUsedBytes = bytesOf(memory.at(2));
    reading.externalBytes = bytesOf(memory.at(3));
    reading.arrayBuffersBytes = bytesOf(memory.at(4));
    const qint64 wallMs = bytesOf(reply.value(QLatin1String("t")));
    reading.wallMs = wallMs == Sample::kMissingBytes ? 0 : wallMs;
    RuntimeSample& runtime = reading.runtime;
    // JSON.stringify writes NaN as null: an interval ELU could not be
    // measured in is missing, not 100 % busy.
    const float elu = floatOf(reply.value(QLatin1String("elu")));
    if (!std::isnan(elu))
        runtime.elu = qMin(elu, 1.0f);
    const QJsonArray delay = reply.value(QLatin1String("delay")).toArray();
    if (delay.size() == 3) {
        runtime.loopDelayP50Ms = floatOf(delay.at(0));
        runtime.loopDelayP99Ms = floatOf(delay.at(1));
        runtime.loopDelayMaxMs = floatOf(delay.at(2));
    }
    const QJsonObject gc = reply.value(QLatin1String("gc")).toObject();
    if (!gc.isEmpty())
        readCollections(gc, reading);
    const QJsonObject resources = reply.value(QLatin1String("res")).toObject();
    if (!resources.isEmpty()) {
        runtime.activeResources = countOf(resources.value(QLatin1String("total")));
        QList<QPair<QString, int>> byType;
        const QJsonObject types = resources.value(QLatin1String("byType")).toObject();
        for (auto it = types.begin(); it != types.end() && byType.size() < kMaxResourceTypes; ++it)
            byType.append({it.key().left(kMaxResourceTypeLength), countOf(it.value())});
        reading.resources = byType;
    }
    return reading;
}

} // namespace NodeScope

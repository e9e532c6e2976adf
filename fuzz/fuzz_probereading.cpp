// ProbeReading: the probe's reply to a sample request, one JSON line as the
// channel hands it over (the seeds are replies of real Node 18, 20 and 24
// probes). Input: the bytes of the line. Besides not crashing, the reading
// keeps ProbeReading's promises: no figure negative, infinite or out of its
// range, and none made up where the reply had no plausible number.

#include "fuzzinput.h"
#include "watch/probereading.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace {

using NodeScope::ProbeReading;
using NodeScope::Sample;

bool isBytes(qint64 value)
{
    return value == Sample::kMissingBytes || (value >= 0 && value <= 9'000'000'000'000'000'000);
}

// A figure is missing (NaN) or finite and not negative.
bool isFigure(float value)
{
    return std::isnan(value) || (std::isfinite(value) && value >= 0);
}

// Whether the reply gave this value as a number the reading may use.
bool isPlausible(const QJsonValue& value)
{
    return value.isDouble() && std::isfinite(value.toDouble()) && value.toDouble() >= 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QJsonObject reply = QJsonDocument::fromJson(NodeScope::Fuzz::bytes(data, size)).object();
    const std::optional<NodeScope::TargetReading> reading = ProbeReading::parse(reply);
    FUZZ_CHECK(reading.has_value() == (reply.value(QLatin1String("mem")).toArray().size() == 5));
    if (!reading)
        return 0;

    for (const qint64 bytes : {reading->rssBytes, reading->heapTotalBytes, reading->heapUsedBytes,
             reading->externalBytes, reading->arrayBuffersBytes})
        FUZZ_CHECK(isBytes(bytes));
    FUZZ_CHECK(reading->wallMs >= 0);

    const NodeScope::RuntimeSample& runtime = reading->runtime;
    FUZZ_CHECK(isFigure(runtime.elu) && !(runtime.elu > 1.0f));
    // An interval the target could not measure (JSON.stringify writes NaN as null) is no figure.
    FUZZ_CHECK(std::isnan(runtime.elu) || isPlausible(reply.value(QLatin1String("elu"))));
    for (const float delay : {runtime.loopDelayP50Ms, runtime.loopDelayP99Ms, runtime.loopDelayMaxMs})
        FUZZ_CHECK(isFigure(delay));
    FUZZ_CHECK(isFigure(runtime.gcPauseMs));
    FUZZ_CHECK(runtime.gcCount >= -1);
    FUZZ_CHECK((runtime.gcCount == -1) == std::isnan(runtime.gcPauseMs));
    FUZZ_CHECK(runtime.activeResources >= -1);

    for (int kind = 0; kind < NodeScope::CollectionCounts::KindCount; ++kind) {
        FUZZ_CHECK(reading->collections.count[std::size_t(kind)] >= 0);
        FUZZ_CHECK(std::isfinite(reading->collections.pauseMs[std::size_t(kind)])
            && reading->collections.pauseMs[std::size_t(kind)] >= 0);
    }
    for (const auto& [wallMs, pauseMs] : reading->collections.major)
        FUZZ_CHECK(wallMs >= 0 && std::isfinite(pauseMs) && pauseMs >= 0);

    if (reading->resources) {
        FUZZ_CHECK(reading->resources->size() <= ProbeReading::kMaxResourceTypes);
        for (const auto& [type, count] : *reading->resources)
            FUZZ_CHECK(type.size() <= ProbeReading::kMaxResourceTypeLength && count >= 0);
    }
    return 0;
}

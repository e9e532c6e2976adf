#pragma once

// The probe's reply to a sample request, read into a TargetReading. The
// reply is written inside the watched process (by probe.js, but the process
// runs whatever code it likes), so nothing in it is believed as it comes: a
// figure that is not a plausible number is missing, never a guess, and no
// figure is negative, infinite or out of its range.

#include "watch/targetreading.h"

#include <QJsonObject>

#include <optional>

namespace NodeScope {

class ProbeReading {
public:
    // Resource types kept per reading, and the length of a type's name.
    static constexpr int kMaxResourceTypes = 64;
    static constexpr int kMaxResourceTypeLength = 64;

    // reply: {mem:[rss, heapTotal, heapUsed, external, arrayBuffers], elu,
    // delay:[p50, p99, max], gc:{count:[4], pauseMs:[4], major:[[wallMs,
    // pause]...]}, res:{total, byType:{type: n}}, t}, the counts and pauses
    // by kind as CollectionCounts orders them. nullopt without the five
    // memory figures: a reply without them is no sample.
    static std::optional<TargetReading> parse(const QJsonObject& reply);
};

} // namespace NodeScope

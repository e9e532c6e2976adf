#pragma once

#include "types.h"

#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace NodeScope {

// One reading of the target's own figures: process.memoryUsage() and, from
// the probe, its runtime health over the interval since the last reading.
struct TargetReading {
    qint64 rssBytes = Sample::kMissingBytes;
    qint64 heapTotalBytes = Sample::kMissingBytes;
    qint64 heapUsedBytes = Sample::kMissingBytes;
    qint64 externalBytes = Sample::kMissingBytes;
    qint64 arrayBuffersBytes = Sample::kMissingBytes;
    RuntimeSample runtime;
    CollectionCounts collections;
    // Active resources by type, when the probe counted them this time (at most once a second).
    std::optional<QList<QPair<QString, int>>> resources;
    qint64 wallMs = 0; // the target's clock when it read them (probe only; 0: not known)
};

} // namespace NodeScope

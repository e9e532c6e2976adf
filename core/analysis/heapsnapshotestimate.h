#pragma once

// What a heap snapshot will cost before it is taken, and whether to refuse.
//
// Measured on Node 20 (README, Heap snapshot): the .heapsnapshot file is
// about twice heapUsed; while V8 builds and hands it over, the process grows
// by a few times its heap (the snapshot's graph, then its JSON waiting in the
// socket); its main thread is frozen for about kFreezeSecondsPer100MB per
// 100 MB of heap. A process that cannot grow that much is killed by the
// kernel's or its cgroup's OOM killer in the middle of it, so the snapshot
// is refused unless the user insists.

#include "proc/memorylimits.h"

#include <QString>
#include <QtGlobal>

namespace NodeScope {

struct HeapSnapshotEstimate {
    static constexpr double kFileFactor = 2.0;
    static constexpr double kGrowthFactor = 3.0;
    static constexpr double kFreezeSecondsPer100MB = 1.5;

    qint64 heapUsedBytes = 0;
    qint64 fileBytes = 0;
    qint64 growthBytes = 0; // how much the target may grow while it is taken
    double freezeSeconds = 0;
    MemoryLimits limits;
    qint64 diskFreeBytes = MemoryLimits::kUnknown; // where the file goes

    static HeapSnapshotEstimate of(qint64 heapUsedBytes, const MemoryLimits& limits, qint64 diskFreeBytes);

    // One paragraph: the file, the growth, the freeze, the room there is.
    QString description() const;
    // Why it should not be taken (empty when it fits): more growth than
    // MemAvailable or the cgroup's room, or a file larger than the disk's room.
    QString refusal() const;
};

} // namespace NodeScope

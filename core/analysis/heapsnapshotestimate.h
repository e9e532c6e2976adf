#pragma once

// What a heap snapshot will cost before it is taken, and whether to refuse.
//
// Its cost follows the number of objects more than their bytes, and the
// heap's size is all we know beforehand, so the figures are for the worst
// case measured (README, Heap snapshots; Node 20 on the 2-core VM under
// load): a heap of 75 MB of small objects (2 million) gave a 137 MB file,
// grew the process by 1.3 GB (V8's graph of the heap) and froze its main
// thread for 25-27 s; 110 MB of large arrays and strings gave 15 MB, +64 MB
// and 1.9 s. A process that cannot grow that much is killed by the kernel's
// or its cgroup's OOM killer in the middle of it, so the snapshot is refused
// unless the user insists.

#include "proc/memorylimits.h"

#include <QString>
#include <QtGlobal>

namespace NodeScope {

struct HeapSnapshotEstimate {
    static constexpr double kFileFactor = 2.0;
    static constexpr double kGrowthFactor = 16.0;
    static constexpr double kFreezeSecondsPer100MB = 35.0;

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

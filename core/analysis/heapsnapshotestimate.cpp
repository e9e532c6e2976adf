#include "analysis/heapsnapshotestimate.h"

#include "format.h"

#include <QStringList>

namespace NodeScope {

HeapSnapshotEstimate HeapSnapshotEstimate::of(
    qint64 heapUsedBytes, const MemoryLimits& limits, qint64 diskFreeBytes)
{
    HeapSnapshotEstimate estimate;
    estimate.heapUsedBytes = qMax<qint64>(0, heapUsedBytes);
    estimate.fileBytes = qint64(double(estimate.heapUsedBytes) * kFileFactor);
    estimate.growthBytes = qint64(double(estimate.heapUsedBytes) * kGrowthFactor);
    estimate.freezeSeconds = double(estimate.heapUsedBytes) / (100.0 * 1024 * 1024) * kFreezeSecondsPer100MB;
    estimate.limits = limits;
    estimate.diskFreeBytes = diskFreeBytes;
    return estimate;
}

QString HeapSnapshotEstimate::description() const
{
    QString text
        = QStringLiteral("heapUsed is %1: the snapshot file will be up to about %2; while it is "
                         "taken the process can grow by up to %3, and its main thread freezes for up "
                         "to about %4 (a heap of many small objects costs the most; one of large "
                         "arrays and strings about a tenth).")
              .arg(Format::bytes(double(heapUsedBytes)), Format::bytes(double(fileBytes)),
                  Format::bytes(double(growthBytes)), Format::duration(qMax(0.1, freezeSeconds)));
    QStringList room;
    if (limits.memAvailableBytes != MemoryLimits::kUnknown)
        room.append(QStringLiteral("%1 available on the machine")
                        .arg(Format::bytes(double(limits.memAvailableBytes))));
    if (limits.hasCgroupLimit())
        room.append(QStringLiteral("%1 left under its cgroup's limit of %2 (%3)")
                        .arg(Format::bytes(double(limits.cgroupHeadroomBytes)),
                            Format::bytes(double(limits.cgroupLimitBytes)), limits.cgroupPath));
    if (diskFreeBytes != MemoryLimits::kUnknown)
        room.append(QStringLiteral("%1 free on the file's disk").arg(Format::bytes(double(diskFreeBytes))));
    if (!room.isEmpty())
        text += QStringLiteral(" There is %1.").arg(room.join(QStringLiteral(", ")));
    return text;
}

QString HeapSnapshotEstimate::refusal() const
{
    if (limits.memAvailableBytes != MemoryLimits::kUnknown && growthBytes > limits.memAvailableBytes)
        return QStringLiteral("the process may grow by %1 while the snapshot is taken, more than the %2 the "
                              "machine has available: the kernel could kill it (or something else)")
            .arg(Format::bytes(double(growthBytes)), Format::bytes(double(limits.memAvailableBytes)));
    if (limits.hasCgroupLimit() && growthBytes > limits.cgroupHeadroomBytes)
        return QStringLiteral("the process may grow by %1 while the snapshot is taken, more than the %2 left "
                              "under its cgroup's memory limit (%3 in %4): it would be killed")
            .arg(Format::bytes(double(growthBytes)), Format::bytes(double(limits.cgroupHeadroomBytes)),
                Format::bytes(double(limits.cgroupLimitBytes)), limits.cgroupPath);
    if (diskFreeBytes != MemoryLimits::kUnknown && fileBytes > diskFreeBytes)
        return QStringLiteral("the snapshot file would be about %1, more than the %2 free on its disk")
            .arg(Format::bytes(double(fileBytes)), Format::bytes(double(diskFreeBytes)));
    return {};
}

} // namespace NodeScope

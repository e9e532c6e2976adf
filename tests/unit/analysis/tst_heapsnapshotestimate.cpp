// What a heap snapshot would cost, and when it is refused: MemoryLimits read
// from a fake /proc and /sys/fs/cgroup tree, and the estimate weighed against them.

#include "analysis/heapsnapshotestimate.h"
#include "proc/memorylimits.h"

#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace NodeScope;

namespace {

constexpr qint64 MB = 1024 * 1024;

// A fake root: proc/meminfo, proc/PID/cgroup and the cgroup files.
class FakeRoot {
public:
    void write(const QString& relative, const QByteArray& content)
    {
        const QString path = m_dir.filePath(relative);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

QByteArray meminfo(qint64 availableKb)
{
    return "MemTotal:        4027528 kB\nMemFree:          211000 kB\nMemAvailable:   "
        + QByteArray::number(availableKb) + " kB\nBuffers:           81724 kB\n";
}

} // namespace

class TestHeapSnapshotEstimate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsMemAvailable()
    {
        QCOMPARE(MemoryLimits::parseMemAvailable(meminfo(2048)), 2 * MB);
        QCOMPARE(MemoryLimits::parseMemAvailable("MemTotal: 1 kB\n"), MemoryLimits::kUnknown);
        QCOMPARE(MemoryLimits::parseLimit("max\n"), MemoryLimits::kUnknown);
        QCOMPARE(MemoryLimits::parseLimit("104857600\n"), 100 * MB);
        // cgroup v1 says "no limit" with a page-rounded LONG_MAX.
        QCOMPARE(MemoryLimits::parseLimit("9223372036854771712\n"), MemoryLimits::kUnknown);
    }

    void theTightestCgroupOnThePathBinds()
    {
        FakeRoot root;
        root.write(QStringLiteral("proc/meminfo"), meminfo(8 * 1024 * 1024));
        root.write(QStringLiteral("proc/77/cgroup"), "0::/app.slice/web.service\n");
        // The service itself has no limit; its slice has 300 MB, 200 MB of it used.
        root.write(QStringLiteral("sys/fs/cgroup/app.slice/web.service/memory.max"), "max\n");
        root.write(QStringLiteral("sys/fs/cgroup/app.slice/web.service/memory.current"), "150000000\n");
        root.write(QStringLiteral("sys/fs/cgroup/app.slice/memory.max"), QByteArray::number(300 * MB));
        root.write(QStringLiteral("sys/fs/cgroup/app.slice/memory.current"), QByteArray::number(200 * MB));
        const MemoryLimits limits = MemoryLimits::ofProcess(77, root.path());
        QCOMPARE(limits.memAvailableBytes, 8 * 1024 * MB);
        QCOMPARE(limits.cgroupPath, QStringLiteral("/app.slice/web.service"));
        QCOMPARE(limits.cgroupLimitBytes, 300 * MB);
        QCOMPARE(limits.cgroupHeadroomBytes, 100 * MB);

        // 40 MB of heap: up to 640 MB of growth does not fit in the 100 MB left.
        const HeapSnapshotEstimate tooBig = HeapSnapshotEstimate::of(40 * MB, limits, 10 * 1024 * MB);
        QCOMPARE(tooBig.fileBytes, 80 * MB);
        QCOMPARE(tooBig.growthBytes, 640 * MB);
        QVERIFY(tooBig.refusal().contains(QLatin1String("cgroup")));
        QVERIFY(tooBig.refusal().contains(QLatin1String("/app.slice/web.service")));
        QVERIFY(
            tooBig.description().contains(QLatin1String("100 MB left under its cgroup's limit of 300 MB")));
        // 5 MB of heap (up to 80 MB of growth) fits.
        QCOMPARE(HeapSnapshotEstimate::of(5 * MB, limits, 10 * 1024 * MB).refusal(), QString());
    }

    void cgroupV1IsReadToo()
    {
        FakeRoot root;
        root.write(QStringLiteral("proc/meminfo"), meminfo(8 * 1024 * 1024));
        root.write(QStringLiteral("proc/9/cgroup"), "5:cpu,cpuacct:/x\n4:memory:/docker/abc\n0::/\n");
        root.write(QStringLiteral("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes"),
            QByteArray::number(64 * MB));
        root.write(QStringLiteral("sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes"),
            QByteArray::number(60 * MB));
        root.write(QStringLiteral("sys/fs/cgroup/memory/memory.limit_in_bytes"), "9223372036854771712\n");
        const MemoryLimits limits = MemoryLimits::ofProcess(9, root.path());
        QCOMPARE(limits.cgroupLimitBytes, 64 * MB);
        QCOMPARE(limits.cgroupHeadroomBytes, 4 * MB);
        QVERIFY(!HeapSnapshotEstimate::of(10 * MB, limits, -1).refusal().isEmpty());
    }

    void theMachinesAvailableMemoryBinds()
    {
        FakeRoot root;
        root.write(QStringLiteral("proc/meminfo"), meminfo(100 * 1024));
        root.write(QStringLiteral("proc/5/cgroup"), "0::/\n");
        root.write(QStringLiteral("sys/fs/cgroup/memory.current"), "1000\n"); // the root has no memory.max
        const MemoryLimits limits = MemoryLimits::ofProcess(5, root.path());
        QVERIFY(!limits.hasCgroupLimit());
        const QString refusal = HeapSnapshotEstimate::of(40 * MB, limits, -1).refusal();
        QVERIFY2(refusal.contains(QLatin1String("100 MB the machine has available")), qPrintable(refusal));
        QCOMPARE(HeapSnapshotEstimate::of(6 * MB, limits, -1).refusal(), QString());
    }

    void theDiskMustHoldTheFile()
    {
        const QString refusal = HeapSnapshotEstimate::of(100 * MB, MemoryLimits{}, 150 * MB).refusal();
        QVERIFY2(
            refusal.contains(QLatin1String("more than the 150 MB free on its disk")), qPrintable(refusal));
    }

    void unknownLimitsRefuseNothing()
    {
        // A process that is gone, a root without cgroup files: no figure, no refusal.
        const MemoryLimits limits = MemoryLimits::ofProcess(123456789, QStringLiteral("/nonexistent"));
        QCOMPARE(limits.memAvailableBytes, MemoryLimits::kUnknown);
        QVERIFY(!limits.hasCgroupLimit());
        const HeapSnapshotEstimate estimate = HeapSnapshotEstimate::of(500 * MB, limits, -1);
        QCOMPARE(estimate.refusal(), QString());
        // The freeze grows with the heap: 500 MB is several seconds.
        QVERIFY(estimate.freezeSeconds > 5);
        QVERIFY(estimate.description().contains(QLatin1String("1000 MB")));
    }
};

NODESCOPE_TEST_MAIN(TestHeapSnapshotEstimate)
#include "tst_heapsnapshotestimate.moc"

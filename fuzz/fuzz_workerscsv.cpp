// WorkersCsv::read: a `<name>-workers.csv` the user opens beside a session.
// Input: the file. What was read must be ended series in time order with
// counts that are not negative, and survive a write and a second read: the
// dashboard writes the workers it opened when the session is exported.

#include "fuzzinput.h"
#include "session/workerscsv.h"

#include <QBuffer>
#include <QTemporaryDir>

using NodeScope::WorkerHeapPoint;
using NodeScope::WorkersCsv;
using NodeScope::WorkerSeries;
using NodeScope::WorkerStore;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QByteArray bytes = NodeScope::Fuzz::bytes(data, size);
    QBuffer file(&bytes);
    file.open(QIODevice::ReadOnly);
    WorkerStore workers;
    QString error;
    const bool clean = WorkersCsv::read(file, &workers, &error);
    FUZZ_CHECK(clean == error.isEmpty());
    FUZZ_CHECK(workers.aliveCount() == 0);
    for (const WorkerSeries& series : workers.series()) {
        FUZZ_CHECK(series.threadId >= 0 && !series.points.isEmpty());
        FUZZ_CHECK(series.firstSeenWallMs == series.points.constFirst().wallMs);
        FUZZ_CHECK(series.lastSeenWallMs == series.points.constLast().wallMs);
        for (qsizetype i = 0; i < series.points.size(); ++i) {
            const WorkerHeapPoint& point = series.points.at(i);
            FUZZ_CHECK(point.heapUsedBytes >= 0 && point.heapTotalBytes >= 0);
            FUZZ_CHECK(point.heapUsedBytes <= series.peakHeapUsedBytes);
            FUZZ_CHECK(i == 0 || point.wallMs > series.points.at(i - 1).wallMs);
        }
    }

    // writeFile goes through QSaveFile, so the round trip needs a real file.
    static QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fuzz-workers.csv"));
    FUZZ_CHECK(WorkersCsv::writeFile(path, workers, 0, &error));
    WorkerStore again;
    FUZZ_CHECK(WorkersCsv::readFile(path, &again, &error));
    FUZZ_CHECK(again.series().size() == workers.series().size());
    for (qsizetype i = 0; i < workers.series().size(); ++i) {
        const WorkerSeries& before = workers.series().at(i);
        const WorkerSeries& after = again.series().at(i);
        FUZZ_CHECK(after.threadId == before.threadId && after.title == before.title);
        FUZZ_CHECK(after.points.size() == before.points.size());
        for (qsizetype j = 0; j < before.points.size(); ++j) {
            FUZZ_CHECK(after.points[j].wallMs == before.points[j].wallMs);
            FUZZ_CHECK(after.points[j].heapUsedBytes == before.points[j].heapUsedBytes);
            FUZZ_CHECK(after.points[j].heapTotalBytes == before.points[j].heapTotalBytes);
        }
    }
    return 0;
}

// Worker threads' heap series: they begin when a reading first lists a
// worker, take each answer once, end when a reading no longer lists it, and
// go to the summary and the workers CSV as the contract says.

#include "session/workerscsv.h"
#include "session/workerstore.h"

#include "testmain.h"

#include <QBuffer>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace NodeScope;

namespace {

WorkerHeap heap(qint64 threadId, const QString& title, qint64 wallMs, qint64 used, qint64 total = 0)
{
    WorkerHeap worker;
    worker.threadId = threadId;
    worker.title = title;
    worker.wallMs = wallMs;
    worker.heapUsedBytes = used;
    worker.heapTotalBytes = total > 0 ? total : used * 2;
    return worker;
}

} // namespace

class TestWorkerStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void seriesBeginTakeEachAnswerOnceAndEnd()
    {
        WorkerStore store;
        // A worker listed before it has answered: its series begins, empty.
        WorkerStore::Change change = store.add({heap(1, QStringLiteral("grower"), 0, 0)}, 1000);
        QCOMPARE(change.started, QList<qint64>{1});
        QVERIFY(!change.appended);
        QCOMPARE(store.series().size(), 1);
        QVERIFY(store.series().first().points.isEmpty());
        QCOMPARE(store.series().first().displayName(), QStringLiteral("worker 1 (grower)"));

        change = store.add({heap(1, QStringLiteral("grower"), 1500, 10), heap(2, {}, 1500, 5)}, 2000);
        QCOMPARE(change.started, QList<qint64>{2});
        QVERIFY(change.appended);
        QCOMPARE(store.find(2)->displayName(), QStringLiteral("worker 2"));
        // The same answer read twice (a worker that has not answered since) counts once.
        change = store.add({heap(1, QStringLiteral("grower"), 1500, 10), heap(2, {}, 2500, 7)}, 3000);
        QCOMPARE(store.find(1)->points.size(), 1);
        QCOMPARE(store.find(2)->points.size(), 2);
        QCOMPARE(store.find(1)->lastSeenWallMs, qint64(3000));

        // Worker 2 is no longer listed: it ended, and keeps its series.
        change = store.add({heap(1, QStringLiteral("grower"), 3500, 30)}, 4000);
        QCOMPARE(change.ended, QList<qint64>{2});
        QVERIFY(!store.find(2)->alive);
        QCOMPARE(store.find(2)->lastSeenWallMs, qint64(3000));
        QCOMPARE(store.aliveCount(), 1);
        // A late reading that still lists it does not bring it back.
        store.add({heap(1, QStringLiteral("grower"), 4500, 20), heap(2, {}, 4500, 9)}, 5000);
        QVERIFY(!store.find(2)->alive);
        QCOMPARE(store.find(2)->points.size(), 2);
        QCOMPARE(store.find(1)->peakHeapUsedBytes, qint64(30));
        QCOMPARE(store.find(1)->lastHeapUsedBytes(), qint64(20));

        // The target went away: what was alive has ended.
        change = store.endAll();
        QCOMPARE(change.ended, QList<qint64>{1});
        QCOMPARE(store.aliveCount(), 0);
        QCOMPARE(store.find(1)->lastSeenWallMs, qint64(5000));
    }

    void summaryNamesEveryWorkerSeen()
    {
        WorkerStore store;
        store.add({heap(3, QStringLiteral("pool"), 10500, 100)}, 11000);
        store.add({heap(3, QStringLiteral("pool"), 11500, 300)}, 12000);
        store.add({}, 13000);
        const QJsonArray summary = store.summaryJson(10000);
        QCOMPARE(summary.size(), 1);
        const QJsonObject worker = summary.first().toObject();
        QCOMPARE(worker.value(QLatin1String("threadId")).toInteger(), qint64(3));
        QCOMPARE(worker.value(QLatin1String("title")).toString(), QStringLiteral("pool"));
        QCOMPARE(worker.value(QLatin1String("peakHeapUsed")).toInteger(), qint64(300));
        QCOMPARE(worker.value(QLatin1String("lastHeapUsed")).toInteger(), qint64(300));
        QCOMPARE(worker.value(QLatin1String("firstSeenMs")).toInteger(), qint64(1000));
        QCOMPARE(worker.value(QLatin1String("lastSeenMs")).toInteger(), qint64(2000));
    }

    void csvRowsFollowTheContract()
    {
        QCOMPARE(
            WorkersCsv::pathFor(QStringLiteral("/runs/api.csv")), QStringLiteral("/runs/api-workers.csv"));
        QCOMPARE(WorkersCsv::pathFor(QStringLiteral("/runs/api")), QStringLiteral("/runs/api-workers.csv"));
        QCOMPARE(WorkersCsv::header(),
            QByteArray("elapsed_ms,wall_time,thread_id,title,heap_used_bytes,heap_total_bytes\r\n"));
        WorkerSeries series;
        series.threadId = 4;
        series.title = QStringLiteral("a, \"b\"");
        const WorkerHeapPoint point{1764683400250, 1234, 5678};
        QCOMPARE(WorkersCsv::row(series, point, 1764683400000),
            QByteArray("250,2025-12-02T13:50:00.250Z,4,\"a, \"\"b\"\"\",1234,5678\r\n"));
    }

    void aWholeStoreIsWrittenWorkerByWorker()
    {
        WorkerStore store;
        store.add({heap(1, QStringLiteral("a"), 1100, 10), heap(2, QStringLiteral("b"), 1100, 20)}, 1200);
        store.add({heap(1, QStringLiteral("a"), 2100, 11)}, 2200);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("w-workers.csv"));
        QString error;
        QVERIFY2(WorkersCsv::writeFile(path, store, 1000, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 5); // header, three rows, and the empty rest after the last CRLF
        QCOMPARE(lines[0] + '\n', WorkersCsv::header());
        QVERIFY(lines[1].startsWith("100,") && lines[1].contains(",1,a,10,"));
        QVERIFY(lines[2].startsWith("1100,") && lines[2].contains(",1,a,11,"));
        QVERIFY(lines[3].startsWith("100,") && lines[3].contains(",2,b,20,"));
        // A directory that is not there: a reason, no file.
        QVERIFY(!WorkersCsv::writeFile(dir.filePath(QStringLiteral("missing/w.csv")), store, 1000, &error));
        QVERIFY(error.contains(QLatin1String("missing/w.csv")));
    }

    // What the dashboard's export and `record` write, File > Open reads back:
    // each worker an ended series with its readings, name and peak.
    void aWrittenFileReadsBackAsEndedSeries()
    {
        const qint64 start = 1764683400000;
        WorkerStore store;
        store.add({heap(3, QStringLiteral("resize, \"thumbs\""), start + 100, 10'000'000),
                      heap(4, QString(), start + 120, 20'000'000)},
            start + 200);
        store.add({heap(3, QStringLiteral("resize, \"thumbs\""), start + 1100, 12'000'000)}, start + 1200);
        store.add({heap(3, QStringLiteral("resize, \"thumbs\""), start + 2100, 11'000'000)}, start + 2200);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("api-workers.csv"));
        QVERIFY(WorkersCsv::writeFile(path, store, start));

        WorkerStore read;
        QString error = QStringLiteral("not cleared");
        QVERIFY2(WorkersCsv::readFile(path, &read, &error), qPrintable(error));
        QVERIFY(error.isEmpty());
        QCOMPARE(read.series().size(), 2);
        QCOMPARE(read.aliveCount(), 0);
        const WorkerSeries* resize = read.find(3);
        QVERIFY(resize);
        QCOMPARE(resize->title, QStringLiteral("resize, \"thumbs\""));
        QCOMPARE(resize->points.size(), 3);
        QCOMPARE(resize->points.at(1).wallMs, start + 1100);
        QCOMPARE(resize->points.at(1).heapUsedBytes, 12'000'000);
        QCOMPARE(resize->points.at(1).heapTotalBytes, 24'000'000);
        QCOMPARE(resize->peakHeapUsedBytes, 12'000'000);
        QCOMPARE(resize->firstSeenWallMs, start + 100);
        QCOMPARE(resize->lastSeenWallMs, start + 2100);
        QCOMPARE(resize->lastHeapUsedBytes(), 11'000'000);
        QCOMPARE(read.find(4)->displayName(), QStringLiteral("worker 4"));
        QCOMPARE(read.find(4)->points.size(), 1);
    }

    // Bad rows cost themselves, not the file: the first is said, the rest read.
    void badRowsAreSkippedAndTheFirstIsSaid()
    {
        QByteArray text = "thread_id,heap_total_bytes,wall_time,heap_used_bytes,title,extra\r\n"
                          "2,200,2025-12-02T13:50:00.100Z,100,a,x\r\n"
                          "2,200,yesterday,100,a,x\r\n"
                          "2,200,2025-12-02T13:50:00.050Z,90,a,x\r\n"
                          "-1,200,2025-12-02T13:50:00.300Z,100,a,x\r\n"
                          "2,200,2025-12-02T13:50:00.400Z,lots,a,x\r\n"
                          "2,200\r\n"
                          "\r\n"
                          "2,210,2025-12-02T13:50:00.500Z,110,a,x\r\n";
        QBuffer buffer(&text);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        WorkerStore read;
        QString error;
        QVERIFY(!WorkersCsv::read(buffer, &read, &error));
        QCOMPARE(error, QStringLiteral("line 3: wall_time is not ISO 8601"));
        QCOMPARE(read.series().size(), 1);
        const QList<WorkerHeapPoint>& points = read.find(2)->points;
        QCOMPARE(points.size(), 2); // the first row and the last; the earlier reading is out of place
        QCOMPARE(points.at(0).heapUsedBytes, 100);
        QCOMPARE(points.at(1).heapUsedBytes, 110);
        QCOMPARE(points.at(1).heapTotalBytes, 210);

        QByteArray noTitle = "elapsed_ms,wall_time,thread_id,heap_used_bytes,heap_total_bytes\r\n";
        QBuffer headerOnly(&noTitle);
        QVERIFY(headerOnly.open(QIODevice::ReadOnly));
        QVERIFY(!WorkersCsv::read(headerOnly, &read, &error));
        QCOMPARE(error, QStringLiteral("line 1: missing column title"));
        QVERIFY(read.isEmpty());
    }
};

NODESCOPE_TEST_MAIN(TestWorkerStore)
#include "tst_workerstore.moc"

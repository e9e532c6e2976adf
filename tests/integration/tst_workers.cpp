// Worker threads, end to end: `nodescope record` against a real node process
// with a worker whose heap grows and one that exits, on whatever Node
// NODESCOPE_TEST_NODE names (scripts/node-matrix.sh runs 18, 20, 22, 24).

#include "session/samplecsv.h"
#include "session/timerscsv.h"
#include "session/workerscsv.h"

#include "jsonfile.h"
#include "nodeprocess.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <limits>

using namespace NodeScope;

namespace {

struct WorkerRow {
    qint64 elapsedMs = 0;
    qint64 threadId = 0;
    QString title;
    qint64 heapUsed = 0;
    qint64 heapTotal = 0;
};

// The rows of a workers CSV (the test's titles hold no commas or quotes).
QList<WorkerRow> workerRows(const QString& path, QString* header = nullptr)
{
    QList<WorkerRow> rows;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return rows;
    const QStringList lines
        = QString::fromUtf8(file.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i == 0) {
            if (header)
                *header = lines[i];
            continue;
        }
        const QStringList fields = lines[i].split(QLatin1Char(','));
        if (fields.size() != 6)
            continue;
        rows.append({fields[0].toLongLong(), fields[2].toLongLong(), fields[3], fields[4].toLongLong(),
            fields[5].toLongLong()});
    }
    return rows;
}

QList<WorkerRow> rowsOf(const QList<WorkerRow>& rows, qint64 threadId)
{
    QList<WorkerRow> kept;
    for (const WorkerRow& row : rows) {
        if (row.threadId == threadId)
            kept.append(row);
    }
    return kept;
}

qint64 threadIdOf(const NodeProcess& node, const QString& name)
{
    for (const QString& line : node.lines()) {
        const QStringList parts = line.split(QLatin1Char(' '));
        if (parts.size() == 3 && parts[0] == QLatin1String("worker") && parts[1] == name)
            return parts[2].toLongLong();
    }
    return 0;
}

} // namespace

class TestWorkers : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!NodeProcess::nodeBinary().isEmpty(), "node is not installed; scripts/test.sh installs it");
        QVERIFY(m_dir.isValid());
    }

    // A worker whose heap grows shows the growth in its own series, and the
    // main thread's heap does not; a worker that exits ends its series and
    // stays in the summary; the workers' console timers come tagged.
    void aGrowingWorkerShowsInItsOwnSeries()
    {
        NodeProcess node;
        QVERIFY(node.startNode("worker-heap.js"));
        const qint64 grower = threadIdOf(node, QStringLiteral("grower"));
        const qint64 brief = threadIdOf(node, QStringLiteral("brief"));
        QVERIFY(grower > 0 && brief > 0);

        const QString csv = path("grow.csv");
        const QString workersCsv = WorkersCsv::pathFor(csv);
        const QString summaryPath = path("grow.json");
        const QString timersCsv = path("grow-timers.csv");
        QProcess recorder;
        recorder.start(QStringLiteral(NODESCOPE_BINARY),
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QStringLiteral("200"),
                QStringLiteral("--duration"), QStringLiteral("10"), QStringLiteral("--summary"), summaryPath,
                QStringLiteral("--timers-csv"), timersCsv, QStringLiteral("--workers")});
        QVERIFY(recorder.waitForStarted());
        // The brief worker is read a few times, then told to end.
        QTRY_VERIFY_WITH_TIMEOUT(rowsOf(workerRows(workersCsv), brief).size() >= 2, 20000);
        node.process().write("end-brief\n");
        QVERIFY(node.waitForLine(QStringLiteral("exited brief"), 5000));
        QVERIFY(recorder.state() == QProcess::NotRunning || recorder.waitForFinished(30000));
        const QString err = QString::fromUtf8(recorder.readAllStandardError());
        QVERIFY2(recorder.exitCode() == 0, qPrintable(err));

        QString header;
        const QList<WorkerRow> rows = workerRows(workersCsv, &header);
        QCOMPARE(
            header, QStringLiteral("elapsed_ms,wall_time,thread_id,title,heap_used_bytes,heap_total_bytes"));
        const QList<WorkerRow> growerRows = rowsOf(rows, grower);
        const QList<WorkerRow> briefRows = rowsOf(rows, brief);
        QVERIFY2(growerRows.size() >= 5, qPrintable(QString::number(growerRows.size())));
        QVERIFY(!briefRows.isEmpty());
        for (const WorkerRow& row : rows) {
            QVERIFY(row.heapUsed > 0 && row.heapUsed <= row.heapTotal);
            QCOMPARE(row.title, row.threadId == grower ? QStringLiteral("grower") : QStringLiteral("brief"));
        }
        // The grower keeps ~14 MB a second: over the recording, tens of MB.
        const qint64 growth = growerRows.last().heapUsed - growerRows.first().heapUsed;
        QVERIFY2(growth > 20 * 1024 * 1024, qPrintable(QString::number(growth)));
        // The main thread's heap is its own and stays flat.
        const SampleCsv::ReadResult samples = SampleCsv::read(csv);
        QVERIFY(samples.session && samples.session->size() > 10);
        qint64 mainLow = std::numeric_limits<qint64>::max();
        qint64 mainHigh = 0;
        for (const Sample& sample : samples.session->samples()) {
            if (!sample.hasHeap())
                continue;
            mainLow = qMin(mainLow, sample.heapUsedBytes);
            mainHigh = qMax(mainHigh, sample.heapUsedBytes);
        }
        QVERIFY2(mainHigh - mainLow < growth / 4,
            qPrintable(QStringLiteral("main %1..%2, worker +%3").arg(mainLow).arg(mainHigh).arg(growth)));
        // The brief worker's series ended while the grower's went on.
        QVERIFY(briefRows.last().elapsedMs < growerRows.last().elapsedMs);
        QVERIFY2(err.contains(QStringLiteral("Worker thread ended: worker %1 (brief)").arg(brief)),
            qPrintable(err));

        const QJsonObject summary = readJson(summaryPath);
        const QJsonArray workers = summary.value(QLatin1String("workers")).toArray();
        QCOMPARE(workers.size(), 2);
        QJsonObject growerSummary;
        QJsonObject briefSummary;
        for (const QJsonValue& value : workers) {
            const QJsonObject worker = value.toObject();
            const qint64 id = worker.value(QLatin1String("threadId")).toInteger();
            (id == grower ? growerSummary : briefSummary) = worker;
        }
        QCOMPARE(growerSummary.value(QLatin1String("title")).toString(), QStringLiteral("grower"));
        QCOMPARE(briefSummary.value(QLatin1String("threadId")).toInteger(), brief);
        QCOMPARE(briefSummary.value(QLatin1String("title")).toString(), QStringLiteral("brief"));
        QCOMPARE(growerSummary.value(QLatin1String("lastHeapUsed")).toInteger(), growerRows.last().heapUsed);
        qint64 peak = 0;
        for (const WorkerRow& row : growerRows)
            peak = qMax(peak, row.heapUsed);
        QCOMPARE(growerSummary.value(QLatin1String("peakHeapUsed")).toInteger(), peak);
        QVERIFY(briefSummary.value(QLatin1String("lastSeenMs")).toInteger()
            < growerSummary.value(QLatin1String("lastSeenMs")).toInteger());
        QVERIFY(briefSummary.value(QLatin1String("firstSeenMs")).toInteger()
            <= briefSummary.value(QLatin1String("lastSeenMs")).toInteger());
        QCOMPARE(
            summary.value(QLatin1String("workersCsv")).toString(), QFileInfo(workersCsv).absoluteFilePath());

        // The grower's console.time('grow') spans, tagged with its thread.
        QList<TimerSpan> spans;
        QString error;
        QVERIFY2(TimersCsv::readFile(timersCsv, &spans, &error), qPrintable(error));
        const QString label = QStringLiteral("worker %1: grow").arg(grower);
        const auto tagged = std::count_if(
            spans.cbegin(), spans.cend(), [&](const TimerSpan& span) { return span.label == label; });
        QVERIFY2(tagged >= 5, qPrintable(QString::number(tagged)));

        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        QVERIFY(node.isRunning());
    }

    // A process without workers costs nothing more and gets no workers file.
    void aProcessWithoutWorkersGetsNoWorkersFile()
    {
        NodeProcess node;
        QVERIFY(node.startNode("idle.js"));
        const QString csv = path("idle.csv");
        const QString summaryPath = path("idle.json");
        QProcess recorder;
        recorder.start(QStringLiteral(NODESCOPE_BINARY),
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), csv, QStringLiteral("--duration"), QStringLiteral("2"),
                QStringLiteral("--summary"), summaryPath, QStringLiteral("--workers")});
        QVERIFY(recorder.waitForFinished(30000));
        QVERIFY2(recorder.exitCode() == 0, recorder.readAllStandardError().constData());
        QVERIFY(!QFileInfo::exists(WorkersCsv::pathFor(csv)));
        const QJsonObject summary = readJson(summaryPath);
        QVERIFY(summary.value(QLatin1String("workers")).isArray());
        QCOMPARE(summary.value(QLatin1String("workers")).toArray().size(), 0);
        QVERIFY(!summary.contains(QLatin1String("workersCsv")));
    }

    // Without --workers none are read, even from a process that has them:
    // reading them costs its console calls dearly.
    void workersAreReadOnlyWhenAskedFor()
    {
        NodeProcess node;
        QVERIFY(node.startNode("worker-heap.js"));
        const QString csv = path("off.csv");
        QProcess recorder;
        recorder.start(QStringLiteral(NODESCOPE_BINARY),
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), csv, QStringLiteral("--duration"), QStringLiteral("3")});
        QVERIFY(recorder.waitForFinished(30000));
        QVERIFY2(recorder.exitCode() == 0, recorder.readAllStandardError().constData());
        QVERIFY(!QFileInfo::exists(WorkersCsv::pathFor(csv)));
    }
};

NODESCOPE_TEST_MAIN(TestWorkers)
#include "tst_workers.moc"

#include "session/samplecsv.h"
#include "session/timerscsv.h"

#include "testmain.h"

#include <QTemporaryDir>

#include <cmath>

using namespace NodeScope;

namespace {

Sample makeSample(quint32 elapsedMs, bool withHeap, bool withCpu)
{
    Sample sample;
    sample.elapsedMs = elapsedMs;
    sample.wallMs = 1'795'000'000'000LL + elapsedMs;
    sample.rssBytes = 50'000'000 + elapsedMs;
    sample.threads = 11;
    if (withHeap) {
        sample.heapTotalBytes = 20'000'000;
        sample.heapUsedBytes = 12'345'678 + elapsedMs;
        sample.externalBytes = 1'330'969;
        sample.arrayBuffersBytes = 10'711;
    }
    if (withCpu) {
        sample.cpuUserPercent = 12.5f;
        sample.cpuSystemPercent = 2.25f;
    }
    return sample;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

class TestSampleCsv : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void headerFollowsTheContract()
    {
        QCOMPARE(SampleCsv::headerLine(),
            QByteArray("elapsed_ms,wall_time,rss_bytes,heap_total_bytes,heap_used_bytes,external_bytes,"
                       "array_buffers_bytes,cpu_percent,cpu_user_percent,cpu_system_percent,threads,"
                       "elu,loop_delay_p50_ms,loop_delay_p99_ms,loop_delay_max_ms,gc_count,gc_pause_ms,"
                       "active_resources\r\n"));
    }

    void rowFormat()
    {
        const Sample sample = makeSample(250, true, true);
        QCOMPARE(SampleCsv::formatRow(sample),
            QByteArray("250,2026-11-18T11:06:40.250Z,50000250,20000000,12345928,1330969,10711,14.75,12.50,2."
                       "25,11,,,,,,,\r\n"));
        RuntimeSample runtime;
        runtime.elu = 0.25f;
        runtime.loopDelayP50Ms = 0.5f;
        runtime.loopDelayP99Ms = 12.25f;
        runtime.loopDelayMaxMs = 1800.5f;
        runtime.gcCount = 3;
        runtime.gcPauseMs = 1.75f;
        runtime.activeResources = 42;
        QCOMPARE(SampleCsv::formatRow(sample, runtime),
            QByteArray("250,2026-11-18T11:06:40.250Z,50000250,20000000,12345928,1330969,10711,14.75,12.50,2."
                       "25,11,0.250,0.50,12.25,1800.50,3,1.75,42\r\n"));
    }

    // Runtime figures read back as written; rows without them stay without.
    void runtimeFiguresRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rt.csv"));
        Session session;
        session.append(makeSample(0, true, true));
        RuntimeSample runtime;
        runtime.elu = 0.5f;
        runtime.loopDelayMaxMs = 20.0f;
        runtime.gcCount = 0;
        runtime.activeResources = 7;
        session.append(makeSample(250, true, true), runtime);
        QVERIFY(session.hasRuntime());
        QVERIFY(session.runtimeAt(0).isEmpty());
        QString error;
        QVERIFY(SampleCsv::write(session, path, &error));
        const SampleCsv::ReadResult read = SampleCsv::read(path);
        QVERIFY(read.session);
        QCOMPARE(read.session->size(), 2);
        QVERIFY(read.session->runtimeAt(0).isEmpty());
        QCOMPARE(read.session->runtimeAt(1).elu, 0.5f);
        QCOMPARE(read.session->runtimeAt(1).loopDelayMaxMs, 20.0f);
        QCOMPARE(read.session->runtimeAt(1).gcCount, 0);
        QCOMPARE(read.session->runtimeAt(1).activeResources, 7);
        QVERIFY(std::isnan(read.session->runtimeAt(1).loopDelayP99Ms));
    }

    // The first sample's runtime figures were dropped (Session::append),
    // found while confirming a fuzz/fuzz_samplecsv.cpp finding.
    void firstSampleKeepsItsRuntimeFigures()
    {
        Session session;
        RuntimeSample runtime;
        runtime.elu = 0.5f;
        QVERIFY(session.append(makeSample(0, true, true), runtime));
        QVERIFY(session.append(makeSample(250, true, true)));
        QVERIFY(session.hasRuntime());
        QCOMPARE(session.runtimeAt(0).elu, 0.5f);
        QVERIFY(session.runtimeAt(1).isEmpty());
    }

    // Found by fuzz/fuzz_samplecsv.cpp: figures a Sample cannot hold are
    // refused with the row, not stored as undefined or infinite values.
    void figuresBeyondWhatASampleHoldsAreRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("huge.csv"));
        QByteArray rows = SampleCsv::headerLine();
        rows += "0,2026-11-18T11:06:40.000Z,9223372036854775807,,,,,,,,11,,,,,,,\r\n"; // rss beyond qint64 as
                                                                                       // a double
        rows += "250,2026-11-18T11:06:40.250Z,100,,,,,,,,11,1e300,,,,,,\r\n"; // elu beyond a float
        rows += "500,2026-11-18T11:06:40.500Z,9007199254740992,,,,,,,,11,0.5,,,,,,\r\n"; // 2^53 still reads
        writeText(path, rows);
        const SampleCsv::ReadResult result = SampleCsv::read(path);
        QVERIFY(result.session);
        QCOMPARE(result.skippedRows, 2);
        QCOMPARE(result.session->size(), 1);
        QCOMPARE(result.session->samples().at(0).rssBytes, Q_INT64_C(9007199254740992));
        QCOMPARE(result.session->runtimeAt(0).elu, 0.5f);
    }

    void missingValuesAreEmptyNotZero()
    {
        // No inspector and the first reading (no CPU rate yet).
        const QByteArray row = SampleCsv::formatRow(makeSample(0, false, false));
        QCOMPARE(row, QByteArray("0,2026-11-18T11:06:40.000Z,50000000,,,,,,,,11,,,,,,,\r\n"));
    }

    void roundTrip()
    {
        QTemporaryDir dir;
        Session session;
        for (quint32 i = 0; i < 100; ++i)
            QVERIFY(session.append(makeSample(i * 250, i % 3 != 0, i > 0)));
        const QString path = dir.filePath(QStringLiteral("session.csv"));
        QString error;
        QVERIFY2(SampleCsv::write(session, path, &error), qPrintable(error));

        const SampleCsv::ReadResult result = SampleCsv::read(path);
        QVERIFY2(result.session, qPrintable(result.error));
        QCOMPARE(result.skippedRows, 0);
        const QList<Sample>& read = result.session->samples();
        QCOMPARE(read.size(), session.size());
        for (qsizetype i = 0; i < read.size(); ++i) {
            const Sample& a = session.samples().at(i);
            const Sample& b = read.at(i);
            QCOMPARE(b.elapsedMs, a.elapsedMs);
            QCOMPARE(b.wallMs, a.wallMs);
            QCOMPARE(b.rssBytes, a.rssBytes);
            QCOMPARE(b.heapTotalBytes, a.heapTotalBytes);
            QCOMPARE(b.heapUsedBytes, a.heapUsedBytes);
            QCOMPARE(b.externalBytes, a.externalBytes);
            QCOMPARE(b.arrayBuffersBytes, a.arrayBuffersBytes);
            QCOMPARE(b.hasCpu(), a.hasCpu());
            if (a.hasCpu())
                QVERIFY(std::fabs(b.cpuUserPercent - a.cpuUserPercent) < 0.01);
            QCOMPARE(b.threads, a.threads);
        }
        QCOMPARE(result.session->info().startWallMs, session.samples().first().wallMs);
    }

    void truncatedFileKeepsTheRowsThatParse()
    {
        QTemporaryDir dir;
        Session session;
        for (quint32 i = 0; i < 10; ++i)
            session.append(makeSample(i * 100, true, true));
        const QString path = dir.filePath(QStringLiteral("cut.csv"));
        QString error;
        QVERIFY(SampleCsv::write(session, path, &error));
        QByteArray bytes = readAll(path);
        bytes.chop(30); // cut the last row in half, as a killed writer would
        writeText(path, bytes);

        const SampleCsv::ReadResult result = SampleCsv::read(path);
        QVERIFY(result.session);
        QCOMPARE(result.session->size(), 9);
        QCOMPARE(result.skippedRows, 1);
        QVERIFY(result.error.contains(QLatin1String("skipped 1 row")));
    }

    void foreignCsvIsRefusedClearly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("other.csv"));
        writeText(path, "name,age\nbob,42\n");
        const SampleCsv::ReadResult result = SampleCsv::read(path);
        QVERIFY(!result.session);
        QVERIFY(result.error.contains(QLatin1String("not a NodeScope session CSV")));
    }

    void garbageRowsAreSkipped()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mixed.csv"));
        // An older file, without the runtime columns: it still reads.
        writeText(path,
            QByteArray("elapsed_ms,wall_time,rss_bytes,heap_total_bytes,heap_used_bytes,external_bytes,"
                       "array_buffers_bytes,cpu_percent,cpu_user_percent,cpu_system_percent,threads\r\n")
                + "0,2026-11-18T11:06:40.000Z,100,,,,,,,,\r\n"
                + "x,2026-11-18T11:06:40.000Z,100,,,,,,,,\r\n" // bad elapsed
                + "10,yesterday,100,,,,,,,,\r\n" // bad time
                + "20,2026-11-18T11:06:40.020Z,-5,,,,,,,,\r\n" // negative bytes
                + "30,2026-11-18T11:06:40.030Z,300,1,2,3,4,5,4,1,7\r\n"
                + "5,2026-11-18T11:06:40.005Z,100,,,,,,,,\r\n"); // goes back in time
        const SampleCsv::ReadResult result = SampleCsv::read(path);
        QVERIFY(result.session);
        QCOMPARE(result.session->size(), 2);
        QCOMPARE(result.skippedRows, 4);
        QCOMPARE(result.session->samples().at(1).heapUsedBytes, 2);
        QVERIFY(!result.session->samples().at(0).hasHeap());
    }

    void missingFile()
    {
        const SampleCsv::ReadResult result = SampleCsv::read(QStringLiteral("/nonexistent/x.csv"));
        QVERIFY(!result.session);
        QVERIFY(result.error.startsWith(QLatin1String("cannot open")));
    }

    void unwritablePathKeepsSession()
    {
        Session session;
        session.append(makeSample(0, true, true));
        QString error;
        QVERIFY(!SampleCsv::write(session, QStringLiteral("/nonexistent-dir/x.csv"), &error));
        QVERIFY(error.contains(QLatin1String("cannot write")));
        QCOMPARE(session.size(), 1);
    }

    void quoting_data()
    {
        QTest::addColumn<QString>("field");
        QTest::newRow("plain") << QStringLiteral("DB Call");
        QTest::newRow("comma") << QStringLiteral("a,b");
        QTest::newRow("quote") << QStringLiteral("say \"hi\"");
        QTest::newRow("both") << QStringLiteral("\",\"");
        QTest::newRow("empty") << QString();
    }
    void quoting()
    {
        QFETCH(QString, field);
        const QString line
            = TimersCsv::quoted(field) + QLatin1Char(',') + TimersCsv::quoted(QStringLiteral("x"));
        QCOMPARE(SampleCsv::splitRecord(line), QStringList({field, QStringLiteral("x")}));
    }

    void sessionRefusesOutOfOrderSamples()
    {
        Session session;
        QVERIFY(session.append(makeSample(100, false, false)));
        QVERIFY(!session.append(makeSample(50, false, false)));
        QVERIFY(session.append(makeSample(100, false, false)));
        QCOMPARE(session.size(), 2);
        QCOMPARE(session.lowerBound(0), 0);
        QCOMPARE(session.lowerBound(101), 2);
    }
};

NODESCOPE_TEST_MAIN(TestSampleCsv)
#include "tst_samplecsv.moc"

#include "session/sessionfiles.h"
#include "session/workerscsv.h"

#include "testmain.h"

#include <QTemporaryDir>

using namespace NodeScope;

namespace {

Session makeSession(int samples, int spans)
{
    SessionInfo info;
    info.pid = 42;
    info.startWallMs = 1'795'000'000'000LL;
    Session session(info);
    for (int i = 0; i < samples; ++i) {
        Sample sample;
        sample.elapsedMs = quint32(i * 250);
        sample.wallMs = info.startWallMs + sample.elapsedMs;
        sample.rssBytes = 50'000'000 + i;
        sample.heapUsedBytes = 10'000'000 + i;
        sample.heapTotalBytes = 20'000'000;
        session.append(sample);
    }
    for (int i = 0; i < spans; ++i) {
        TimerSpan span;
        span.source = TimerSpan::Source::Process;
        span.label = QStringLiteral("db query %1").arg(i);
        span.startWallMs = info.startWallMs + i * 100;
        span.endWallMs = span.startWallMs + 12;
        span.durationMs = 12.25;
        session.addTimerSpan(span);
    }
    return session;
}

// Worker heap readings from offsetMs after the session's start, one a second.
WorkerStore makeWorkers(qint64 startWallMs, qint64 offsetMs, int readings)
{
    WorkerStore workers;
    for (int i = 0; i < readings; ++i) {
        WorkerHeap worker;
        worker.threadId = 1;
        worker.title = QStringLiteral("thumbs");
        worker.wallMs = startWallMs + offsetMs + i * 1000;
        worker.heapUsedBytes = 4'000'000 + i;
        worker.heapTotalBytes = 8'000'000;
        workers.add({worker}, worker.wallMs + 5);
    }
    return workers;
}

} // namespace

class TestSessionFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void savesAndLoadsThePair()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("api.csv"));
        const SessionFiles::SaveResult saved = SessionFiles::save(makeSession(10, 3), path);
        QVERIFY2(saved.ok, qPrintable(saved.error));
        QCOMPARE(saved.samples, 10);
        QCOMPARE(saved.spans, 3);
        QCOMPARE(saved.timersPath, dir.filePath(QStringLiteral("api-timers.csv")));

        const SessionFiles::LoadResult loaded = SessionFiles::load(path);
        QVERIFY(loaded.session);
        QVERIFY2(loaded.notes.isEmpty(), qPrintable(loaded.notes.join(QLatin1Char(';'))));
        QCOMPARE(loaded.session->size(), 10);
        QCOMPARE(loaded.spans, 3);
        QCOMPARE(loaded.session->timerSpans().size(), 3);
        QCOMPARE(loaded.session->timerSpans().at(2).label, QStringLiteral("db query 2"));
        QCOMPARE(loaded.session->samples().last().heapUsedBytes, 10'000'009);
        QCOMPARE(loaded.session->info().source, QStringLiteral("api.csv"));
    }

    void noSpansWritesNoTimersFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("quiet.csv"));
        const SessionFiles::SaveResult saved = SessionFiles::save(makeSession(4, 0), path);
        QVERIFY(saved.ok);
        QVERIFY(saved.timersPath.isEmpty());
        QVERIFY(!QFile::exists(SessionFiles::timersPathFor(path)));
    }

    // An older timers file beside the path must not pair with new samples.
    void staleTimersFileIsReplaced()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.csv"));
        QVERIFY(SessionFiles::save(makeSession(4, 5), path).ok);
        QVERIFY(SessionFiles::save(makeSession(4, 0), path).ok);
        const SessionFiles::LoadResult loaded = SessionFiles::load(path);
        QVERIFY(loaded.session);
        QCOMPARE(loaded.spans, 0);
    }

    void failureKeepsTheOldFile()
    {
        QTemporaryDir dir;
        const SessionFiles::SaveResult saved
            = SessionFiles::save(makeSession(4, 1), dir.filePath(QStringLiteral("missing-dir/x.csv")));
        QVERIFY(!saved.ok);
        QVERIFY2(saved.error.contains(QLatin1String("missing-dir")), qPrintable(saved.error));
    }

    void unreadableTimersCostOnlyTheTimers()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.csv"));
        QVERIFY(SessionFiles::save(makeSession(6, 0), path).ok);
        QFile timers(SessionFiles::timersPathFor(path));
        QVERIFY(timers.open(QIODevice::WriteOnly));
        timers.write("this is not a timers file\n");
        timers.close();
        const SessionFiles::LoadResult loaded = SessionFiles::load(path);
        QVERIFY(loaded.session);
        QCOMPARE(loaded.session->size(), 6);
        QCOMPARE(loaded.notes.size(), 1);
        QVERIFY2(loaded.notes.first().startsWith(QLatin1String("timers:")), qPrintable(loaded.notes.first()));
    }

    void readsTheWorkersFileBeside()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pool.csv"));
        const Session session = makeSession(20, 0); // 0 ... 4.75 s
        QVERIFY(SessionFiles::save(session, path).ok);
        const qint64 start = session.info().startWallMs;
        QVERIFY(WorkersCsv::writeFile(WorkersCsv::pathFor(path), makeWorkers(start, 200, 4), start));

        const SessionFiles::LoadResult loaded = SessionFiles::load(path);
        QVERIFY(loaded.session);
        QVERIFY2(loaded.notes.isEmpty(), qPrintable(loaded.notes.join(QLatin1Char(';'))));
        QCOMPARE(loaded.workers.readingCount(), 4);
        QCOMPARE(loaded.workers.series().size(), 1);
        QCOMPARE(loaded.workers.series().first().title, QStringLiteral("thumbs"));
        QCOMPARE(loaded.workers.series().first().points.last().heapUsedBytes, 4'000'003);
        QVERIFY(!loaded.workers.series().first().alive);
    }

    // A workers file left beside the name by an earlier recording must not
    // be drawn over this one's samples.
    void aWorkersFileFromAnotherRecordingIsNotRead()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.csv"));
        const Session session = makeSession(20, 0);
        QVERIFY(SessionFiles::save(session, path).ok);
        const qint64 hourBefore = session.info().startWallMs - 3'600'000;
        QVERIFY(WorkersCsv::writeFile(WorkersCsv::pathFor(path), makeWorkers(hourBefore, 0, 3), hourBefore));

        const SessionFiles::LoadResult loaded = SessionFiles::load(path);
        QVERIFY(loaded.session);
        QCOMPARE(loaded.session->size(), 20);
        QVERIFY(loaded.workers.isEmpty());
        QCOMPARE(loaded.workers.readingCount(), 0);
        QCOMPARE(loaded.notes,
            QStringList{QStringLiteral(
                "run-workers.csv is from another recording (its times lie outside the samples'): not read")});
    }

    void unreadableWorkersCostOnlyTheWorkers()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("b.csv"));
        QVERIFY(SessionFiles::save(makeSession(6, 2), path).ok);
        QFile workers(WorkersCsv::pathFor(path));
        QVERIFY(workers.open(QIODevice::WriteOnly));
        workers.write("not,a,workers,file\n");
        workers.close();
        const SessionFiles::LoadResult loaded = SessionFiles::load(path);
        QVERIFY(loaded.session);
        QCOMPARE(loaded.session->size(), 6);
        QCOMPARE(loaded.spans, 2);
        QVERIFY(loaded.workers.isEmpty());
        QCOMPARE(
            loaded.notes, QStringList{QStringLiteral("worker threads: line 1: missing column wall_time")});
    }

    void emptyOrForeignFilesAreErrors()
    {
        QTemporaryDir dir;
        const QString empty = dir.filePath(QStringLiteral("empty.csv"));
        QVERIFY(SessionFiles::save(makeSession(0, 0), empty).ok);
        SessionFiles::LoadResult loaded = SessionFiles::load(empty);
        QVERIFY(!loaded.session);
        QVERIFY2(loaded.error.contains(QLatin1String("no sample rows")), qPrintable(loaded.error));

        const QString foreign = dir.filePath(QStringLiteral("foreign.csv"));
        QFile file(foreign);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("name,age\r\nann,3\r\n");
        file.close();
        loaded = SessionFiles::load(foreign);
        QVERIFY(!loaded.session);
        QVERIFY2(
            loaded.error.contains(QLatin1String("not a NodeScope session CSV")), qPrintable(loaded.error));

        loaded = SessionFiles::load(dir.filePath(QStringLiteral("nope.csv")));
        QVERIFY(!loaded.session);
        QVERIFY(!loaded.error.isEmpty());
    }
};

NODESCOPE_TEST_MAIN(TestSessionFiles)
#include "tst_sessionfiles.moc"

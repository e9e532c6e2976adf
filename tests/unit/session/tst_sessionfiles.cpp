#include "session/sessionfiles.h"

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

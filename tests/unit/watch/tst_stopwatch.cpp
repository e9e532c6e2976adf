#include "watch/stopwatch.h"

#include "testmain.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QThread>

#include <cmath>

using namespace NodeScope;

class TestStopwatch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void startStopRecordsSpan();
    void labels_data();
    void labels();
    void duplicateStartRefused();
    void stopUnknownRefused();
    void lapKeepsRunning();
    void severalAtOnce();
    void toggleLast();
    void toggleWithoutLabelRefused();
};

void TestStopwatch::startStopRecordsSpan()
{
    Stopwatch stopwatch;
    QSignalSpy finished(&stopwatch, &Stopwatch::spanFinished);
    QSignalSpy changed(&stopwatch, &Stopwatch::runningChanged);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(stopwatch.start(QStringLiteral("load")));
    QCOMPARE(changed.size(), 1);
    QVERIFY(stopwatch.isRunning(QStringLiteral("load")));
    QThread::msleep(30);
    QVERIFY(stopwatch.stop(QStringLiteral("load")));
    const qint64 after = QDateTime::currentMSecsSinceEpoch();

    QCOMPARE(changed.size(), 2);
    QCOMPARE(finished.size(), 1);
    const auto span = finished.at(0).at(0).value<TimerSpan>();
    QCOMPARE(span.source, TimerSpan::Source::User);
    QCOMPARE(span.label, QStringLiteral("load"));
    QVERIFY(!span.isLap);
    QVERIFY2(span.durationMs >= 30 && span.durationMs < 5000, qPrintable(QString::number(span.durationMs)));
    QVERIFY(span.startWallMs >= before && span.startWallMs <= after);
    QCOMPARE(span.endWallMs, span.startWallMs + std::llround(span.durationMs));
    QVERIFY(!stopwatch.isRunning(QStringLiteral("load")));
    QVERIFY(stopwatch.running().isEmpty());
}

void TestStopwatch::labels_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("label");

    QTest::newRow("plain") << QStringLiteral("DB Call") << QStringLiteral("DB Call");
    QTest::newRow("padded") << QStringLiteral("  DB Call \t") << QStringLiteral("DB Call");
    QTest::newRow("empty is default") << QString() << QStringLiteral("default");
    QTest::newRow("blank is default") << QStringLiteral("   ") << QStringLiteral("default");
    QTest::newRow("colon inside") << QStringLiteral("GET /api: users") << QStringLiteral("GET /api: users");
    QTest::newRow("unicode") << QStringLiteral("Zeit ⏱ für Ärger 🚀") << QStringLiteral("Zeit ⏱ für Ärger 🚀");
    QTest::newRow("comma and quotes") << QStringLiteral("a,\"b\"") << QStringLiteral("a,\"b\"");
}

void TestStopwatch::labels()
{
    QFETCH(QString, typed);
    QFETCH(QString, label);

    Stopwatch stopwatch;
    QSignalSpy finished(&stopwatch, &Stopwatch::spanFinished);
    QVERIFY(stopwatch.start(typed));
    QCOMPARE(stopwatch.lastLabel(), label);
    QCOMPARE(stopwatch.running().value(0).label, label);
    QVERIFY(stopwatch.isRunning(typed));
    QVERIFY(stopwatch.stop(label));
    QCOMPARE(finished.at(0).at(0).value<TimerSpan>().label, label);
}

void TestStopwatch::duplicateStartRefused()
{
    Stopwatch stopwatch;
    QVERIFY(stopwatch.start(QStringLiteral("x")));
    QThread::msleep(5);
    QSignalSpy changed(&stopwatch, &Stopwatch::runningChanged);
    QString error;
    QVERIFY(!stopwatch.start(QStringLiteral(" x "), &error));
    QCOMPARE(error, QStringLiteral("Timer 'x' is already running"));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(stopwatch.running().size(), 1);
    // The refused start did not restart the clock.
    QVERIFY(stopwatch.running().at(0).elapsedMs >= 5);
    QVERIFY(!stopwatch.start(QStringLiteral("x"))); // the message is optional
}

void TestStopwatch::stopUnknownRefused()
{
    Stopwatch stopwatch;
    QSignalSpy finished(&stopwatch, &Stopwatch::spanFinished);
    QSignalSpy changed(&stopwatch, &Stopwatch::runningChanged);
    QString error;
    QVERIFY(!stopwatch.stop(QStringLiteral("nope"), &error));
    QCOMPARE(error, QStringLiteral("Timer 'nope' does not exist"));
    error.clear();
    QVERIFY(!stopwatch.lap(QStringLiteral("nope"), &error));
    QCOMPARE(error, QStringLiteral("Timer 'nope' does not exist"));

    QVERIFY(stopwatch.start(QStringLiteral("once")));
    QVERIFY(stopwatch.stop(QStringLiteral("once")));
    QVERIFY(!stopwatch.stop(QStringLiteral("once"), &error));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(changed.size(), 2);
}

void TestStopwatch::lapKeepsRunning()
{
    Stopwatch stopwatch;
    QSignalSpy finished(&stopwatch, &Stopwatch::spanFinished);
    QSignalSpy changed(&stopwatch, &Stopwatch::runningChanged);
    QVERIFY(stopwatch.start(QStringLiteral("build")));
    QThread::msleep(10);
    QVERIFY(stopwatch.lap(QStringLiteral("build")));
    QThread::msleep(10);
    QVERIFY(stopwatch.lap(QStringLiteral("build")));
    QVERIFY(stopwatch.isRunning(QStringLiteral("build")));
    QCOMPARE(changed.size(), 1); // laps do not change what runs
    QVERIFY(stopwatch.stop(QStringLiteral("build")));

    QCOMPARE(finished.size(), 3);
    const auto first = finished.at(0).at(0).value<TimerSpan>();
    const auto second = finished.at(1).at(0).value<TimerSpan>();
    const auto last = finished.at(2).at(0).value<TimerSpan>();
    QVERIFY(first.isLap && second.isLap && !last.isLap);
    // A split counts from the start, as console.timeLog.
    QCOMPARE(first.startWallMs, last.startWallMs);
    QVERIFY(first.durationMs >= 10);
    QVERIFY(second.durationMs >= first.durationMs + 10);
    QVERIFY(last.durationMs >= second.durationMs);
}

void TestStopwatch::severalAtOnce()
{
    Stopwatch stopwatch;
    QSignalSpy finished(&stopwatch, &Stopwatch::spanFinished);
    QVERIFY(stopwatch.start(QStringLiteral("a")));
    QThread::msleep(5);
    QVERIFY(stopwatch.start(QStringLiteral("b")));
    QVERIFY(stopwatch.start(QStringLiteral("c")));

    QList<RunningTimer> running = stopwatch.running();
    QCOMPARE(running.size(), 3);
    QCOMPARE(running[0].label, QStringLiteral("a"));
    QCOMPARE(running[1].label, QStringLiteral("b"));
    QCOMPARE(running[2].label, QStringLiteral("c"));
    QVERIFY(running[0].elapsedMs >= running[1].elapsedMs + 5);
    QVERIFY(running[1].elapsedMs >= running[2].elapsedMs);

    // Elapsed is live: a later call sees more.
    const double before = running[0].elapsedMs;
    QThread::msleep(5);
    QVERIFY(stopwatch.running().at(0).elapsedMs >= before + 5);

    QVERIFY(stopwatch.stop(QStringLiteral("b")));
    running = stopwatch.running();
    QCOMPARE(running.size(), 2);
    QCOMPARE(running[0].label, QStringLiteral("a"));
    QCOMPARE(running[1].label, QStringLiteral("c"));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<TimerSpan>().label, QStringLiteral("b"));
}

void TestStopwatch::toggleLast()
{
    Stopwatch stopwatch;
    QSignalSpy finished(&stopwatch, &Stopwatch::spanFinished);
    QVERIFY(stopwatch.start(QStringLiteral("a")));
    QVERIFY(stopwatch.start(QStringLiteral("b")));
    QCOMPARE(stopwatch.lastLabel(), QStringLiteral("b"));

    QVERIFY(stopwatch.toggleLast()); // stops b
    QVERIFY(!stopwatch.isRunning(QStringLiteral("b")));
    QVERIFY(stopwatch.isRunning(QStringLiteral("a")));
    QCOMPARE(finished.size(), 1);
    QVERIFY(stopwatch.toggleLast()); // starts b again
    QVERIFY(stopwatch.isRunning(QStringLiteral("b")));

    QVERIFY(stopwatch.stop(QStringLiteral("a")));
    QCOMPARE(stopwatch.lastLabel(), QStringLiteral("a"));
    QVERIFY(stopwatch.toggleLast()); // starts a
    QVERIFY(stopwatch.isRunning(QStringLiteral("a")));
}

void TestStopwatch::toggleWithoutLabelRefused()
{
    Stopwatch stopwatch;
    QSignalSpy changed(&stopwatch, &Stopwatch::runningChanged);
    QString error;
    QVERIFY(!stopwatch.toggleLast(&error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(changed.size(), 0);
    QVERIFY(stopwatch.lastLabel().isEmpty());
}

NODESCOPE_TEST_MAIN(TestStopwatch)
#include "tst_stopwatch.moc"

#include "inspector/consoletimerparser.h"

#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <limits>

using namespace NodeScope;

namespace {

struct Expected {
    QString label;
    bool isLog = false;
    double durationMs = 0;
    bool startedBeforeAttach = false;
};
using ExpectedList = QList<Expected>;

Expected end(const char* label, double ms)
{
    return {QString::fromUtf8(label), false, ms, false};
}

Expected split(const char* label, double ms)
{
    return {QString::fromUtf8(label), true, ms, false};
}

QJsonObject loadFixture(const QString& name)
{
    QFile file(QStringLiteral(NODESCOPE_FIXTURES_DIR "/console/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// A consoleAPICalled params object with string arguments.
QJsonObject message(const char* type, const QStringList& args, double timestamp = 1000, int context = 1)
{
    QJsonArray remoteObjects;
    for (const QString& arg : args)
        remoteObjects.append(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("value"), arg}});
    return QJsonObject{{QStringLiteral("type"), QString::fromLatin1(type)},
        {QStringLiteral("args"), remoteObjects}, {QStringLiteral("executionContextId"), context},
        {QStringLiteral("timestamp"), timestamp}};
}

QJsonObject echo(const QString& label, const QString& duration, double timestamp = 1000, int context = 1)
{
    return message("log", {QStringLiteral("%s: %s"), label, duration}, timestamp, context);
}

} // namespace

Q_DECLARE_METATYPE(ExpectedList)
Q_DECLARE_METATYPE(QList<QJsonObject>)

class TestConsoleTimerParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseDuration_data();
    void parseDuration();
    void splitMessage_data();
    void splitMessage();
    void capturedFixture_data();
    void capturedFixture();
    void sequence_data();
    void sequence();
    void toSpan();
    void spansStayOnTheTimeAxis();
    void resetForgetsHalfSeenTimeLog();
};

void TestConsoleTimerParser::parseDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("ms");

    // V8's timeEnd/timeLog text, then Node's formatTime() echo forms.
    QTest::newRow("v8 ms with space") << QStringLiteral("23.41 ms") << true << 23.41;
    QTest::newRow("old v8 ms without space") << QStringLiteral("23.41ms") << true << 23.41;
    QTest::newRow("whole ms") << QStringLiteral("20 ms") << true << 20.0;
    QTest::newRow("v8 long double") << QStringLiteral("61500.190185546875 ms") << true << 61500.190185546875;
    QTest::newRow("zero") << QStringLiteral("0ms") << true << 0.0;
    QTest::newRow("padded") << QStringLiteral("  5 ms ") << true << 5.0;
    QTest::newRow("seconds") << QStringLiteral("1.500s") << true << 1500.0;
    QTest::newRow("seconds just under a minute") << QStringLiteral("60.000s") << true << 60000.0;
    QTest::newRow("minutes") << QStringLiteral("1:01.500 (m:ss.mmm)") << true << 61500.0;
    QTest::newRow("ten minutes") << QStringLiteral("10:00.000 (m:ss.mmm)") << true << 600000.0;
    QTest::newRow("node rounding quirk 59:60") << QStringLiteral("59:60.000 (m:ss.mmm)") << true << 3600000.0;
    QTest::newRow("hours") << QStringLiteral("1:02:03.457 (h:mm:ss.mmm)") << true << 3723457.0;
    QTest::newRow("thirty hours") << QStringLiteral("30:00:00.000 (h:mm:ss.mmm)") << true << 108000000.0;

    QTest::newRow("empty") << QString() << false << 0.0;
    QTest::newRow("unit only") << QStringLiteral("ms") << false << 0.0;
    QTest::newRow("no unit") << QStringLiteral("12") << false << 0.0;
    QTest::newRow("words") << QStringLiteral("soon ms") << false << 0.0;
    QTest::newRow("negative") << QStringLiteral("-1 ms") << false << 0.0;
    QTest::newRow("nan") << QStringLiteral("nan ms") << false << 0.0;
    QTest::newRow("infinity") << QStringLiteral("inf ms") << false << 0.0;
    QTest::newRow("bad minutes") << QStringLiteral("1:xx.500 (m:ss.mmm)") << false << 0.0;
    QTest::newRow("unclosed format") << QStringLiteral("1:01.500 (m:ss.mmm") << false << 0.0;
    QTest::newRow("too many fields") << QStringLiteral("1:2:3:4.0") << false << 0.0;
    // Found by fuzz/fuzz_consoletimer.cpp: finite seconds, infinite ms.
    QTest::newRow("seconds beyond any ms") << QStringLiteral("1e308s") << false << 0.0;
    QTest::newRow("longer than 2^53 ms") << QStringLiteral("1e300 ms") << false << 0.0;
    QTest::newRow("2^53 ms") << QStringLiteral("9007199254740992 ms") << true << 9007199254740992.0;
}

void TestConsoleTimerParser::parseDuration()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(double, ms);

    const std::optional<double> parsed = ConsoleTimerParser::parseDurationMs(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, ms);
}

void TestConsoleTimerParser::splitMessage_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("label");
    QTest::addColumn<double>("ms");

    QTest::newRow("plain") << QStringLiteral("DB Call: 23.41 ms") << true << QStringLiteral("DB Call")
                           << 23.41;
    QTest::newRow("no space before ms")
        << QStringLiteral("DB Call: 23.41ms") << true << QStringLiteral("DB Call") << 23.41;
    QTest::newRow("colon inside") << QStringLiteral("GET /api: users: 1 ms") << true
                                  << QStringLiteral("GET /api: users") << 1.0;
    QTest::newRow("label ends with colon space")
        << QStringLiteral("ends with: : 2 ms") << true << QStringLiteral("ends with: ") << 2.0;
    QTest::newRow("label looks like a timer")
        << QStringLiteral("x: 1.5 ms: 7 ms") << true << QStringLiteral("x: 1.5 ms") << 7.0;
    QTest::newRow("empty label") << QStringLiteral(": 1 ms") << true << QStringLiteral("default") << 1.0;
    QTest::newRow("unicode") << QStringLiteral("Zeit ⏱ für Ärger 🚀: 3ms") << true
                             << QStringLiteral("Zeit ⏱ für Ärger 🚀") << 3.0;
    QTest::newRow("comma and quotes")
        << QStringLiteral("a,\"b\": 4 ms") << true << QStringLiteral("a,\"b\"") << 4.0;
    QTest::newRow("newline") << QStringLiteral("two\nlines: 5 ms") << true << QStringLiteral("two\nlines")
                             << 5.0;
    QTest::newRow("seconds") << QStringLiteral("long: 1.500s") << true << QStringLiteral("long") << 1500.0;
    QTest::newRow("minutes") << QStringLiteral("very long: 1:01.500 (m:ss.mmm)") << true
                             << QStringLiteral("very long") << 61500.0;

    QTest::newRow("no separator") << QStringLiteral("no separator 5 ms") << false << QString() << 0.0;
    QTest::newRow("colon without space") << QStringLiteral("label:5 ms") << false << QString() << 0.0;
    QTest::newRow("not a duration") << QStringLiteral("meeting: soon") << false << QString() << 0.0;
}

void TestConsoleTimerParser::splitMessage()
{
    QFETCH(QString, message);
    QFETCH(bool, valid);
    QFETCH(QString, label);
    QFETCH(double, ms);

    const auto parsed = ConsoleTimerParser::splitTimerMessage(message);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(parsed->label, label);
    QCOMPARE(parsed->durationMs, ms);
}

void TestConsoleTimerParser::capturedFixture_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<bool>("dropReplayed");
    QTest::addColumn<bool>("includeStartedBeforeAttach");
    QTest::addColumn<ExpectedList>("expected");

    // Node v20.20.2, recorded by tests/fixtures/console/capture.js.
    const ExpectedList common = {
        split("x", 4.533935546875),
        split("x", 5.04296875), // timeLog with extra data args
        end("x", 7.200927734375),
        end("GET /api: users", 0.01513671875),
        end("a: b: c", 0.010986328125),
        end("ends with: ", 0.008056640625),
        end("x: 1.5 ms", 0.0068359375),
        end("Zeit ⏱ für Ärger 🚀", 0.014892578125),
        end("a,\"b\"", 0.02001953125),
        end("two\nlines", 0.007080078125),
        end("default", 0.010009765625), // console.time('')
        end("default", 0.010009765625), // console.time()
        end("42", 0.009033203125),
    };
    const ExpectedList tail = {
        end("dup", 0.0751953125),
        // 'response time: 12 ms' and a lone '%s: %s' log do not count;
        // with console.log replaced, only the timeEnd of 'patched' does.
        end("patched", 0.093017578125),
        split("long", 1499.966064453125),
        end("long", 1500.802978515625),
    };
    ExpectedList atStart = ExpectedList{end("DB Call", 19.62890625)} + common;
    // The inspector was open from the start, so V8 knew this timer.
    atStart += end("started-before-open", 240.161865234375);
    atStart += tail;
    QTest::newRow("inspect at start")
        << QStringLiteral("node20-inspect-at-start.json") << true << false << atStart;

    QTest::newRow("replayed kept without a cutoff")
        << QStringLiteral("node20-inspect-at-start.json") << false << false
        << ExpectedList{end("replayed", 1.5400390625)} + atStart;

    const ExpectedList lateCommon = {
        end("DB Call", 19.237060546875),
        split("x", 4.1650390625),
        split("x", 4.740966796875),
        end("x", 7.201904296875),
        end("GET /api: users", 0.01806640625),
        end("a: b: c", 0.010009765625),
        end("ends with: ", 0.010009765625),
        end("x: 1.5 ms", 0.005859375),
        end("Zeit ⏱ für Ärger 🚀", 0.01708984375),
        end("a,\"b\"", 0.02099609375),
        end("two\nlines", 0.009033203125),
        end("default", 0.005859375),
        end("default", 0.010009765625),
        end("42", 0.011962890625),
    };
    const ExpectedList lateTail = {
        end("dup", 0.09814453125),
        end("patched", 0.161865234375),
        split("long", 1499.093017578125),
        end("long", 1501.029052734375),
    };
    QTest::newRow("inspector opened late")
        << QStringLiteral("node20-late-open.json") << true << false << lateCommon + lateTail;
    ExpectedList withEarly = lateCommon;
    withEarly += Expected{QStringLiteral("started-before-open"), false, 196.095, true};
    withEarly += lateTail;
    QTest::newRow("inspector opened late, early timers included")
        << QStringLiteral("node20-late-open.json") << true << true << withEarly;

    QTest::newRow("over a minute") << QStringLiteral("node20-minutes.json") << true << false
                                   << ExpectedList{end("very long", 61499.905029296875)};
}

void TestConsoleTimerParser::capturedFixture()
{
    QFETCH(QString, fixture);
    QFETCH(bool, dropReplayed);
    QFETCH(bool, includeStartedBeforeAttach);
    QFETCH(ExpectedList, expected);

    const QJsonObject capture = loadFixture(fixture);
    QVERIFY2(!capture.isEmpty(), qPrintable(fixture));
    QVERIFY(capture.value(QLatin1String("nodeVersion")).toString().startsWith(QLatin1String("v20.")));

    ConsoleTimerParser parser;
    if (dropReplayed)
        parser.setAcceptAfterWallMs(qint64(capture.value(QLatin1String("attachWallMs")).toDouble()));
    parser.setIncludeTimersStartedBeforeAttach(includeStartedBeforeAttach);

    QList<ConsoleTimerEvent> events;
    const QJsonArray params = capture.value(QLatin1String("events")).toArray();
    for (const QJsonValue& p : params) {
        if (const auto event = parser.parse(p.toObject()))
            events.append(*event);
    }

    QStringList got;
    for (const ConsoleTimerEvent& e : events)
        got.append(e.label);
    QStringList want;
    for (const Expected& e : expected)
        want.append(e.label);
    QCOMPARE(got, want);
    for (qsizetype i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].isLog, expected[i].isLog);
        QCOMPARE(events[i].durationMs, expected[i].durationMs);
        QCOMPARE(events[i].startedBeforeAttach, expected[i].startedBeforeAttach);
        QCOMPARE(events[i].executionContextId, 1);
        if (dropReplayed)
            QVERIFY(events[i].endWallMs >= parser.acceptAfterWallMs());
    }
}

void TestConsoleTimerParser::sequence_data()
{
    QTest::addColumn<QList<QJsonObject>>("messages");
    QTest::addColumn<bool>("includeStartedBeforeAttach");
    QTest::addColumn<ExpectedList>("expected");

    const QString ms5 = QStringLiteral("5ms");
    QTest::newRow("timeEnd then its echo count once") << QList<QJsonObject>{
        message("timeEnd", {QStringLiteral("a: 4.5 ms")}),
        echo(QStringLiteral("a"), ms5)} << false << ExpectedList{end("a", 4.5)};
    QTest::newRow("timeEnd without echo (console.log replaced)")
        << QList<QJsonObject>{message("timeEnd", {QStringLiteral("a: 4.5ms")})} << false
        << ExpectedList{end("a", 4.5)};
    QTest::newRow("timeLog is a log confirmed by its echo")
        << QList<QJsonObject>{message("log", {QStringLiteral("a: 2 ms")}), echo(QStringLiteral("a"), ms5)}
        << false << ExpectedList{split("a", 2)};
    QTest::newRow("timeLog label with colon")
        << QList<QJsonObject>{message("log", {QStringLiteral("a: b: 2 ms")}),
               echo(QStringLiteral("a: b"), ms5)}
        << false << ExpectedList{split("a: b", 2)};
    QTest::newRow("timeLog echo in seconds")
        << QList<QJsonObject>{message("log", {QStringLiteral("a: 1500.2 ms")}),
               echo(QStringLiteral("a"), QStringLiteral("1.500s"))}
        << false << ExpectedList{split("a", 1500.2)};
    QTest::newRow("log lookalike without echo")
        << QList<QJsonObject>{message("log", {QStringLiteral("response time: 12 ms")}),
               message("log", {QStringLiteral("next")})}
        << false << ExpectedList{};
    QTest::newRow("log lookalike then another label's echo") << QList<QJsonObject>{
        message("log", {QStringLiteral("response time: 12 ms")}),
        echo(QStringLiteral("x"), ms5)} << false << ExpectedList{};
    QTest::newRow("echo alone") << QList<QJsonObject>{echo(QStringLiteral("x"), ms5)} << false
                                << ExpectedList{};
    QTest::newRow("echo with an argument that is no duration")
        << QList<QJsonObject>{message("log", {QStringLiteral("a: 2 ms")}),
               echo(QStringLiteral("a"), QStringLiteral("later"))}
        << false << ExpectedList{};
    QTest::newRow("timeLog and echo in different contexts") << QList<QJsonObject>{
        message("log", {QStringLiteral("a: 2 ms")}, 1000, 1),
        echo(QStringLiteral("a"), ms5, 1000, 2)} << false << ExpectedList{};
    QTest::newRow("unknown timer ignored by default")
        << QList<QJsonObject>{message("warning", {QStringLiteral("Timer 'a' does not exist")}),
               echo(QStringLiteral("a"), QStringLiteral("1:01.500 (m:ss.mmm)"))}
        << false << ExpectedList{};
    QTest::newRow("unknown timer started before attach")
        << QList<QJsonObject>{message("warning", {QStringLiteral("Timer 'it's: late' does not exist")}),
               echo(QStringLiteral("it's: late"), QStringLiteral("1:01.500 (m:ss.mmm)"))}
        << true << ExpectedList{Expected{QStringLiteral("it's: late"), false, 61500, true}};
    QTest::newRow("unknown timer nobody started")
        << QList<QJsonObject>{message("warning", {QStringLiteral("Timer 'a' does not exist")}),
               message("log", {QStringLiteral("unrelated")})}
        << true << ExpectedList{};
    QTest::newRow("duplicate start warning")
        << QList<QJsonObject>{message("warning", {QStringLiteral("Timer 'a' already exists")}),
               echo(QStringLiteral("a"), ms5)}
        << true << ExpectedList{};
    QTest::newRow("replayed timeEnd dropped")
        << QList<QJsonObject>{message("timeEnd", {QStringLiteral("old: 1 ms")}, 499),
               message("timeEnd", {QStringLiteral("new: 2 ms")}, 500)}
        << false << ExpectedList{end("new", 2)};
    QTest::newRow("replayed timeLog cannot be confirmed by a later echo") << QList<QJsonObject>{
        message("log", {QStringLiteral("a: 2 ms")}, 499),
        echo(QStringLiteral("a"), ms5, 500)} << false << ExpectedList{};
    QTest::newRow("other console types") << QList<QJsonObject>{message("info", {QStringLiteral("a: 2 ms")}),
        echo(QStringLiteral("a"), ms5), message("error", {QStringLiteral("a: 2 ms")})}
                                         << false << ExpectedList{};

    QJsonObject noTimestamp = message("timeEnd", {QStringLiteral("a: 1 ms")});
    noTimestamp.remove(QLatin1String("timestamp"));
    QJsonObject numberArg = message("timeEnd", {});
    numberArg[QLatin1String("args")] = QJsonArray{
        QJsonObject{{QStringLiteral("type"), QStringLiteral("number")}, {QStringLiteral("value"), 42}}};
    QTest::newRow("malformed params")
        << QList<QJsonObject>{noTimestamp, numberArg, QJsonObject()} << false << ExpectedList{};
}

void TestConsoleTimerParser::sequence()
{
    QFETCH(QList<QJsonObject>, messages);
    QFETCH(bool, includeStartedBeforeAttach);
    QFETCH(ExpectedList, expected);

    ConsoleTimerParser parser;
    parser.setAcceptAfterWallMs(500);
    parser.setIncludeTimersStartedBeforeAttach(includeStartedBeforeAttach);
    QList<ConsoleTimerEvent> events;
    for (const QJsonObject& m : messages) {
        if (const auto event = parser.parse(m))
            events.append(*event);
    }
    QCOMPARE(events.size(), expected.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].label, expected[i].label);
        QCOMPARE(events[i].isLog, expected[i].isLog);
        QCOMPARE(events[i].durationMs, expected[i].durationMs);
        QCOMPARE(events[i].startedBeforeAttach, expected[i].startedBeforeAttach);
    }
}

void TestConsoleTimerParser::toSpan()
{
    ConsoleTimerParser parser;
    const auto event
        = parser.parse(message("timeEnd", {QStringLiteral("DB Call: 23.6 ms")}, 1'795'965'124'472.7));
    QVERIFY(event);
    QCOMPARE(event->endWallMs, 1'795'965'124'473);
    const TimerSpan span = event->toSpan();
    QCOMPARE(span.source, TimerSpan::Source::Process);
    QCOMPARE(span.label, QStringLiteral("DB Call"));
    QCOMPARE(span.endWallMs, 1'795'965'124'473);
    QCOMPARE(span.startWallMs, 1'795'965'124'449);
    QCOMPARE(span.durationMs, 23.6);
    QVERIFY(!span.isLap);
}

// Found by fuzz/fuzz_consoletimer.cpp: toSpan() computed end - duration
// in qint64, which overflowed for a far-past timestamp and a long duration.
void TestConsoleTimerParser::spansStayOnTheTimeAxis()
{
    ConsoleTimerParser parser;
    QVERIFY(!parser.parse(message("timeEnd", {QStringLiteral("x: 1e18 ms")}, -9.2e18)));
    QVERIFY(!parser.parse(message("timeEnd", {QStringLiteral("x: 1 ms")}, 9.2e18)));
    QVERIFY(!parser.parse(message("timeEnd", {QStringLiteral("x: 1e308s")})));
    const auto longest
        = parser.parse(message("timeEnd", {QStringLiteral("x: 9007199254740992 ms")}, -9007199254740992.0));
    QVERIFY(longest);
    QCOMPARE(longest->toSpan().startWallMs, qint64(-18014398509481984)); // -2^54
}

void TestConsoleTimerParser::resetForgetsHalfSeenTimeLog()
{
    ConsoleTimerParser parser;
    QVERIFY(!parser.parse(message("log", {QStringLiteral("a: 2 ms")})));
    parser.reset();
    QVERIFY(!parser.parse(echo(QStringLiteral("a"), QStringLiteral("2ms"))));
}

NODESCOPE_TEST_MAIN(TestConsoleTimerParser)
#include "tst_consoletimerparser.moc"

#include "session/timerscsv.h"

#include "testmain.h"

#include <QBuffer>
#include <QTemporaryDir>

using namespace NodeScope;

namespace {

TimerSpan span(TimerSpan::Source source, const QString& label, qint64 startWallMs, double durationMs)
{
    TimerSpan s;
    s.source = source;
    s.label = label;
    s.startWallMs = startWallMs;
    s.durationMs = durationMs;
    s.endWallMs = startWallMs + qint64(durationMs + 0.5);
    return s;
}

QByteArray written(const QList<TimerSpan>& spans)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!TimersCsv::write(buffer, spans))
        return {};
    return buffer.data();
}

bool readBack(const QByteArray& csv, QList<TimerSpan>* spans, QString* error)
{
    QBuffer buffer;
    buffer.setData(csv);
    buffer.open(QIODevice::ReadOnly);
    return TimersCsv::read(buffer, spans, error);
}

constexpr qint64 kNov29 = 1'795'965'124'472; // 2026-11-29T15:12:04.472Z

} // namespace

class TestTimersCsv : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exactBytes();
    void quoting_data();
    void quoting();
    void roundTrip_data();
    void roundTrip();
    void lapsAreWrittenAsLaps();
    void readsOtherLayouts_data();
    void readsOtherLayouts();
    void badRowsSkippedAndReported_data();
    void badRowsSkippedAndReported();
    void missingColumn();
    void pathFor_data();
    void pathFor();
    void files();
};

void TestTimersCsv::exactBytes()
{
    const QByteArray csv = written({
        span(TimerSpan::Source::Process, QStringLiteral("DB Call"), kNov29, 23.41),
        span(TimerSpan::Source::User, QStringLiteral("GET /api: users"), 0, 61500.190185546875),
    });
    QCOMPARE(csv,
        QByteArray(
            "source,label,start_wall_time,end_wall_time,duration_ms,kind\r\n"
            "process,DB Call,2026-11-29T15:12:04.472Z,2026-11-29T15:12:04.495Z,23.410,span\r\n"
            "user,GET /api: users,1970-01-01T00:00:00.000Z,1970-01-01T00:01:01.500Z,61500.190,span\r\n"));
}

void TestTimersCsv::quoting_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("quoted");

    QTest::newRow("plain") << QStringLiteral("DB Call") << QStringLiteral("DB Call");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("colon") << QStringLiteral("a: b") << QStringLiteral("a: b");
    QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
    QTest::newRow("quotes") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
    QTest::newRow("newline") << QStringLiteral("two\nlines") << QStringLiteral("\"two\nlines\"");
    QTest::newRow("carriage return") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
    QTest::newRow("unicode untouched") << QStringLiteral("Zeit ⏱") << QStringLiteral("Zeit ⏱");
}

void TestTimersCsv::quoting()
{
    QFETCH(QString, field);
    QFETCH(QString, quoted);
    QCOMPARE(TimersCsv::quoted(field), quoted);
}

void TestTimersCsv::roundTrip_data()
{
    QTest::addColumn<QString>("label");

    QTest::newRow("plain") << QStringLiteral("DB Call");
    QTest::newRow("colon inside") << QStringLiteral("GET /api: users");
    QTest::newRow("comma and quotes") << QStringLiteral("a,\"b\"");
    QTest::newRow("only a quote") << QStringLiteral("\"");
    QTest::newRow("newline") << QStringLiteral("two\nlines");
    QTest::newRow("crlf inside") << QStringLiteral("two\r\nlines");
    QTest::newRow("unicode") << QStringLiteral("Zeit ⏱ für Ärger 🚀");
    QTest::newRow("spaces kept") << QStringLiteral("  padded  ");
    QTest::newRow("empty") << QString();
    QTest::newRow("formula-looking") << QStringLiteral("=1+1");
}

void TestTimersCsv::roundTrip()
{
    QFETCH(QString, label);

    const QList<TimerSpan> spans = {
        span(TimerSpan::Source::Process, label, kNov29, 0.0068359375),
        span(TimerSpan::Source::User, label, kNov29 + 1, 1500.165),
    };
    QList<TimerSpan> read;
    QString error;
    QVERIFY2(readBack(written(spans), &read, &error), qPrintable(error));
    QCOMPARE(read.size(), 2);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(read[i].source, spans[i].source);
        QCOMPARE(read[i].label, label);
        QCOMPARE(read[i].startWallMs, spans[i].startWallMs);
        QCOMPARE(read[i].endWallMs, spans[i].endWallMs);
        QVERIFY(!read[i].isLap);
    }
    QCOMPARE(read[0].durationMs, 0.007); // three decimals in the file
    QCOMPARE(read[1].durationMs, 1500.165);
}

void TestTimersCsv::lapsAreWrittenAsLaps()
{
    TimerSpan lap = span(TimerSpan::Source::User, QStringLiteral("build"), kNov29, 10);
    lap.isLap = true;
    QVERIFY(TimersCsv::row(lap).endsWith(",lap\r\n"));
    QList<TimerSpan> read;
    QString error;
    QVERIFY2(readBack(written({lap, span(TimerSpan::Source::User, QStringLiteral("build"), kNov29, 20)}),
                 &read, &error),
        qPrintable(error));
    QCOMPARE(read.size(), 2);
    QVERIFY(read[0].isLap);
    QVERIFY(!read[1].isLap);
}

void TestTimersCsv::readsOtherLayouts_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("label");
    QTest::addColumn<qint64>("startWallMs");

    QTest::newRow("LF line ends, no final newline")
        << QByteArray("source,label,start_wall_time,end_wall_time,duration_ms\n"
                      "process,x,2026-11-29T15:12:04.472Z,2026-11-29T15:12:04.495Z,23.41")
        << QStringLiteral("x") << kNov29;
    QTest::newRow("BOM, reordered and extra columns") << QByteArray(
        "\xEF\xBB\xBF"
        "label,kind,duration_ms,source,end_wall_time,start_wall_time\r\n"
        "\"a,\"\"b\"\"\",end,23.41,process,2026-11-29T15:12:04.495Z,2026-11-29T15:12:04.472Z\r\n")
                                                      << QStringLiteral("a,\"b\"") << kNov29;
    QTest::newRow("offset instead of Z")
        << QByteArray("source,label,start_wall_time,end_wall_time,duration_ms\r\n"
                      "user,x,2026-11-29T16:12:04.472+01:00,2026-11-29T16:12:04.495+01:00,23.41\r\n")
        << QStringLiteral("x") << kNov29;
    QTest::newRow("blank lines") << QByteArray(
        "source,label,start_wall_time,end_wall_time,duration_ms\r\n\r\n"
        "user,x,2026-11-29T15:12:04.472Z,2026-11-29T15:12:04.495Z,23.41\r\n\r\n")
                                 << QStringLiteral("x") << kNov29;
}

void TestTimersCsv::readsOtherLayouts()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, label);
    QFETCH(qint64, startWallMs);

    QList<TimerSpan> spans;
    QString error;
    QVERIFY2(readBack(csv, &spans, &error), qPrintable(error));
    QCOMPARE(spans.size(), 1);
    QCOMPARE(spans[0].label, label);
    QCOMPARE(spans[0].startWallMs, startWallMs);
    QCOMPARE(spans[0].endWallMs, startWallMs + 23);
    QCOMPARE(spans[0].durationMs, 23.41);
}

void TestTimersCsv::badRowsSkippedAndReported_data()
{
    QTest::addColumn<QByteArray>("badRow");
    QTest::addColumn<QString>("error");

    QTest::newRow("unknown source") << QByteArray(
        "robot,x,2026-11-29T15:12:04.472Z,2026-11-29T15:12:04.495Z,1\r\n")
                                    << QStringLiteral("line 4: unknown source robot");
    QTest::newRow("bad time") << QByteArray("user,x,yesterday,2026-11-29T15:12:04.495Z,1\r\n")
                              << QStringLiteral("line 4: wall time is not ISO 8601");
    QTest::newRow("bad duration") << QByteArray(
        "user,x,2026-11-29T15:12:04.472Z,2026-11-29T15:12:04.495Z,fast\r\n")
                                  << QStringLiteral("line 4: duration_ms is not a number of ms");
    QTest::newRow("too few fields") << QByteArray("user,x\r\n") << QStringLiteral("line 4: too few fields");
    QTest::newRow("stray quote") << QByteArray(
        "user,\"x\"y,2026-11-29T15:12:04.472Z,2026-11-29T15:12:04.495Z,1\r\n")
                                 << QStringLiteral("line 4: stray quote or text after a quoted field");
}

void TestTimersCsv::badRowsSkippedAndReported()
{
    QFETCH(QByteArray, badRow);
    QFETCH(QString, error);

    const QByteArray good
        = "user,\"multi\nline\",2026-11-29T15:12:04.472Z,2026-11-29T15:12:04.495Z,23.41\r\n";
    const QByteArray csv = TimersCsv::header() + good + badRow + good;
    QList<TimerSpan> spans;
    QString why;
    QVERIFY(!readBack(csv, &spans, &why));
    QCOMPARE(why, error);
    QCOMPARE(spans.size(), 2); // the rows around the bad one survive
}

void TestTimersCsv::missingColumn()
{
    QList<TimerSpan> spans;
    QString error;
    QVERIFY(!readBack("source,label,start_wall_time,end_wall_time\r\n", &spans, &error));
    QCOMPARE(error, QStringLiteral("line 1: missing column duration_ms"));
    QVERIFY(!readBack(QByteArray(), &spans, &error));

    // A file cut short inside a quoted label keeps what came before.
    const QByteArray cut = TimersCsv::header()
        + TimersCsv::row(span(TimerSpan::Source::User, QStringLiteral("ok"), kNov29, 1))
        + "user,\"unfinished";
    QVERIFY(!readBack(cut, &spans, &error));
    QCOMPARE(spans.size(), 1);
    QVERIFY(error.startsWith(QLatin1String("line 3: quoted field not closed")));
}

void TestTimersCsv::pathFor_data()
{
    QTest::addColumn<QString>("samples");
    QTest::addColumn<QString>("timers");

    QTest::newRow("csv") << QStringLiteral("/runs/api.csv") << QStringLiteral("/runs/api-timers.csv");
    QTest::newRow("upper case") << QStringLiteral("api.CSV") << QStringLiteral("api-timers.csv");
    QTest::newRow("no extension") << QStringLiteral("/runs/api") << QStringLiteral("/runs/api-timers.csv");
}

void TestTimersCsv::pathFor()
{
    QFETCH(QString, samples);
    QFETCH(QString, timers);
    QCOMPARE(TimersCsv::pathFor(samples), timers);
}

void TestTimersCsv::files()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("run-timers.csv"));
    const QList<TimerSpan> spans = {span(TimerSpan::Source::Process, QStringLiteral("a,b"), kNov29, 2)};
    QString error;
    QVERIFY2(TimersCsv::writeFile(path, spans, &error), qPrintable(error));
    QList<TimerSpan> read;
    QVERIFY2(TimersCsv::readFile(path, &read, &error), qPrintable(error));
    QCOMPARE(read.size(), 1);
    QCOMPARE(read[0].label, QStringLiteral("a,b"));

    QVERIFY(!TimersCsv::writeFile(dir.filePath(QStringLiteral("missing/dir/x.csv")), spans, &error));
    QVERIFY(error.contains(QLatin1String("missing/dir/x.csv")));
    QVERIFY(!TimersCsv::readFile(dir.filePath(QStringLiteral("absent.csv")), &read, &error));
    QVERIFY(read.isEmpty());
}

NODESCOPE_TEST_MAIN(TestTimersCsv)
#include "tst_timerscsv.moc"

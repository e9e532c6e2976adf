// StackSnapshot: Debugger.paused call frames read into frames that say whose
// code they are, printed one a line and as JSON.

#include "inspector/stacksnapshot.h"

#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace NodeScope;

class TestStackSnapshot : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void origins_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<CodeOrigin>("origin");
        QTest::newRow("app file url") << QStringLiteral("file:///srv/app/server.js") << CodeOrigin::App;
        QTest::newRow("app path") << QStringLiteral("/srv/app/server.js") << CodeOrigin::App;
        QTest::newRow("dependency") << QStringLiteral(
            "file:///srv/app/node_modules/express/lib/router/index.js")
                                    << CodeOrigin::Dependency;
        QTest::newRow("node internal") << QStringLiteral("node:internal/timers") << CodeOrigin::Node;
        QTest::newRow("node public") << QStringLiteral("node:events") << CodeOrigin::Node;
        QTest::newRow("old node internal") << QStringLiteral("internal/timers.js") << CodeOrigin::Node;
        QTest::newRow("old node public") << QStringLiteral("events.js") << CodeOrigin::Node;
        QTest::newRow("v8 builtin") << QString() << CodeOrigin::Unknown;
        QTest::newRow("eval") << QStringLiteral("evalmachine.<anonymous>") << CodeOrigin::Unknown;
    }
    void origins()
    {
        QFETCH(QString, url);
        QFETCH(CodeOrigin, origin);
        QCOMPARE(CodeOrigins::of(url), origin);
    }

    void framesFromAPausedEvent()
    {
        QFile file(QStringLiteral(NODESCOPE_FIXTURES_DIR "/stack/handmade-paused.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject params = QJsonDocument::fromJson(file.readAll()).object();
        // V8 versions that leave CallFrame.url out: the script's URL from Debugger.scriptParsed.
        const QHash<QString, QString> scripts{{QStringLiteral("43"), QStringLiteral("node:internal/timers")}};
        StackSnapshot snapshot = StackSnapshot::fromPausedEvent(params, scripts);
        QCOMPARE(snapshot.frames.size(), 3);
        const SourceFrame spin = snapshot.frames.at(0);
        QCOMPARE(spin.function, QStringLiteral("spin"));
        QCOMPARE(spin.url, QStringLiteral("file:///app/server.js"));
        QCOMPARE(spin.line, 12); // CDP counts from 0, Node's traces from 1
        QCOMPARE(spin.column, 5);
        QCOMPARE(spin.origin(), CodeOrigin::App);
        QCOMPARE(spin.text(), QStringLiteral("spin file:///app/server.js:12:5"));
        const SourceFrame timers = snapshot.frames.at(1);
        QCOMPARE(timers.function, QStringLiteral("(anonymous)"));
        QCOMPARE(timers.url, QStringLiteral("node:internal/timers"));
        QCOMPARE(timers.origin(), CodeOrigin::Node);
        QCOMPARE(snapshot.frames.at(2).origin(), CodeOrigin::Dependency);

        snapshot.pid = 4242;
        snapshot.nodeVersion = QStringLiteral("v20.20.0");
        snapshot.wallMs = 1764672000123;
        snapshot.pausedMs = 1.25;
        QCOMPARE(snapshot.text(),
            QStringLiteral("spin file:///app/server.js:12:5\n"
                           "(anonymous) node:internal/timers:582:17\n"
                           "handle file:///app/node_modules/express/lib/router/layer.js:95:5\n"));
        const QJsonObject json = snapshot.toJson();
        QCOMPARE(json.value(QLatin1String("pid")).toInteger(), 4242);
        QCOMPARE(json.value(QLatin1String("time")).toString(), QStringLiteral("2025-12-02T10:40:00.123Z"));
        QCOMPARE(json.value(QLatin1String("idle")).toBool(true), false);
        QCOMPARE(json.value(QLatin1String("pausedMs")).toDouble(), 1.25);
        const QJsonObject top = json.value(QLatin1String("frames")).toArray().first().toObject();
        QCOMPARE(top.value(QLatin1String("function")).toString(), QStringLiteral("spin"));
        QCOMPARE(top.value(QLatin1String("line")).toInt(), 12);
        QCOMPARE(top.value(QLatin1String("column")).toInt(), 5);
        QCOMPARE(top.value(QLatin1String("origin")).toString(), QStringLiteral("app"));
        QCOMPARE(json.value(QLatin1String("frames"))
                     .toArray()
                     .at(2)
                     .toObject()
                     .value(QLatin1String("origin"))
                     .toString(),
            QStringLiteral("node_modules"));
    }

    // A target's text cannot move the terminal's cursor or forge lines.
    void controlCharactersAreEscaped()
    {
        const QJsonObject params{{QStringLiteral("callFrames"),
            QJsonArray{QJsonObject{{QStringLiteral("functionName"), QStringLiteral("evil\n\x1b[2J")},
                {QStringLiteral("url"), QStringLiteral("/x.js")},
                {QStringLiteral("location"), QJsonObject{{QStringLiteral("lineNumber"), 0}}}}}}};
        const StackSnapshot snapshot = StackSnapshot::fromPausedEvent(params, {});
        QCOMPARE(snapshot.text(), QStringLiteral("evil\\x0a\\x1b[2J /x.js:1\n"));
    }

    void deepRecursionIsCut()
    {
        QJsonArray frames;
        for (int i = 0; i < StackSnapshot::kMaxFrames + 40; ++i)
            frames.append(QJsonObject{{QStringLiteral("functionName"), QStringLiteral("recurse")},
                {QStringLiteral("url"), QStringLiteral("/r.js")}});
        const StackSnapshot snapshot
            = StackSnapshot::fromPausedEvent({{QStringLiteral("callFrames"), frames}}, {});
        QCOMPARE(snapshot.frames.size(), StackSnapshot::kMaxFrames);
        QCOMPARE(snapshot.omittedFrames, 40);
        QCOMPARE(snapshot.toJson().value(QLatin1String("omittedFrames")).toInt(), 40);
    }
};

NODESCOPE_TEST_MAIN(TestStackSnapshot)
#include "tst_stacksnapshot.moc"

// The runtime health a Node engineer looks at first -- event-loop delay and
// utilisation, stalls, garbage collections, active resources -- recorded by
// `nodescope record` from real scripts that produce each on purpose.

#include "session/samplecsv.h"

#include "commandrun.h"
#include "jsonfile.h"
#include "nodeprocess.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace NodeScope;

class TestRuntimeHealth : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // Records `script` for `seconds`; returns the session read back from the CSV.
    Session record(NodeProcess& node, int seconds, QJsonObject* summary, int intervalMs = 250)
    {
        const QString csv = m_dir.filePath(QStringLiteral("health.csv"));
        const QString json = m_dir.filePath(QStringLiteral("health.json"));
        const CommandRun run = runNodescope(
            {QStringLiteral("record"), QStringLiteral("--pid"), QString::number(node.pid()),
                QStringLiteral("--csv"), csv, QStringLiteral("--interval"), QString::number(intervalMs),
                QStringLiteral("--duration"), QString::number(seconds), QStringLiteral("--summary"), json},
            (seconds + 20) * 1000);
        if (run.exitCode != 0) {
            qWarning().noquote() << run.err;
            return {};
        }
        *summary = readJson(json);
        const SampleCsv::ReadResult result = SampleCsv::read(csv);
        return result.session.value_or(Session());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!NodeProcess::nodeBinary().isEmpty(), "node is not installed; scripts/test.sh installs it");
        QVERIFY(m_dir.isValid());
    }

    void aBlockedLoopIsMeasuredAndListedAsAStall_data()
    {
        QTest::addColumn<int>("intervalMs");
        QTest::newRow("a reading per request") << 250;
        QTest::newRow("streamed readings") << 10; // the probe's own timer stops too
    }
    void aBlockedLoopIsMeasuredAndListedAsAStall()
    {
        QFETCH(int, intervalMs);
        NodeProcess node;
        QVERIFY(node.startNode("blocker.js"));
        QJsonObject summary;
        const Session session = record(node, 10, &summary, intervalMs);
        QVERIFY(session.size() > 20);
        QVERIFY(session.hasRuntime());
        double longest = 0;
        for (qsizetype i = 0; i < session.size(); ++i)
            longest = qMax(longest, double(session.runtimeAt(i).loopDelayMaxMs));
        QVERIFY2(longest >= 1500 && longest < 2600, qPrintable(QString::number(longest)));

        const QJsonObject loop = summary.value(QLatin1String("eventLoop")).toObject();
        QVERIFY2(loop.value(QLatin1String("delayMaxMs")).toDouble() >= 1500,
            qPrintable(QString::number(loop.value(QLatin1String("delayMaxMs")).toDouble())));
        const QJsonArray stalls = loop.value(QLatin1String("stalls")).toArray();
        QVERIFY2(stalls.size() >= 2, QJsonDocument(loop).toJson().constData());
        for (const QJsonValue& stall : stalls) {
            const double ms = stall.toObject().value(QLatin1String("durationMs")).toDouble();
            QVERIFY2(ms >= 1300 && ms <= 2600, qPrintable(QString::number(ms)));
        }
        // Busy for 1.8 s of every 4: the utilisation says so.
        const double elu = loop.value(QLatin1String("eluMean")).toDouble();
        QVERIFY2(elu > 0.25 && elu < 0.8, qPrintable(QString::number(elu)));
    }

    void collectionsAreCountedWithTheirPauses()
    {
        NodeProcess node;
        QVERIFY(node.startNode("churn.js"));
        QJsonObject summary;
        const Session session = record(node, 5, &summary);
        QVERIFY(session.size() > 10);
        const QJsonObject gc = summary.value(QLatin1String("gc")).toObject();
        QVERIFY2(gc.value(QLatin1String("count")).toInteger() >= 10, QJsonDocument(gc).toJson().constData());
        QVERIFY(gc.value(QLatin1String("pauseMs")).toDouble() > 0);
        const QJsonObject minor
            = gc.value(QLatin1String("byKind")).toObject().value(QLatin1String("minor")).toObject();
        QVERIFY(minor.value(QLatin1String("count")).toInteger() >= 10);
        qint64 rows = 0;
        for (qsizetype i = 0; i < session.size(); ++i)
            rows += session.runtimeAt(i).gcCount > 0 ? 1 : 0;
        QVERIFY(rows >= 5);
    }

    // Counting collections must not cost the process memory: a probe that
    // restarted a v8.GCProfiler at each reading grew this script's rss by
    // ~1.5 MB/s (native buffers kept until a full collection that a
    // heap-stable script never runs); its heap stayed flat all along.
    void countingCollectionsLeavesTheProcessMemoryAlone()
    {
        NodeProcess node;
        QVERIFY(node.startNode("churn.js"));
        QJsonObject summary;
        const Session session = record(node, 30, &summary);
        QVERIFY(session.size() > 100);
        QVERIFY(summary.value(QLatin1String("gc")).toObject().value(QLatin1String("count")).toInteger() > 50);
        const auto medianRss = [&](qint64 fromMs, qint64 toMs) {
            std::vector<qint64> rss;
            for (const Sample& s : session.samples()) {
                if (s.elapsedMs >= fromMs && s.elapsedMs < toMs && s.hasOs())
                    rss.push_back(s.rssBytes);
            }
            if (rss.empty())
                return qint64(0);
            std::nth_element(rss.begin(), rss.begin() + qsizetype(rss.size() / 2), rss.end());
            return rss[rss.size() / 2];
        };
        const qint64 early = medianRss(2000, 7000);
        const qint64 late = medianRss(25000, 30000);
        QVERIFY(early > 0 && late > 0);
        // The allocator's own swings in this script stay within ~15 MB.
        QVERIFY2(late - early < 25 * 1024 * 1024,
            qPrintable(QStringLiteral("rss %1 -> %2 MB").arg(early / 1048576).arg(late / 1048576)));
    }

    void leakedHandlesShowAsRisingActiveResources()
    {
        NodeProcess node;
        QVERIFY(node.startNode("handle-leak.js"));
        QJsonObject summary;
        const Session session = record(node, 5, &summary);
        QVERIFY(session.size() > 10);
        qint32 first = -1;
        qint32 last = -1;
        for (qsizetype i = 0; i < session.size(); ++i) {
            const qint32 resources = session.runtimeAt(i).activeResources;
            if (resources < 0)
                continue;
            if (first < 0)
                first = resources;
            last = resources;
        }
        // ~10 connections a second, two handles each, over ~4 s of figures.
        QVERIFY2(
            first >= 0 && last - first >= 40, qPrintable(QStringLiteral("%1 -> %2").arg(first).arg(last)));
    }
};

NODESCOPE_TEST_MAIN(TestRuntimeHealth)
#include "tst_runtimehealth.moc"

// CpuProfile: self and total time per function from .cpuprofile files, a
// hand-made one whose every figure is known and one recorded from Node.

#include "analysis/cpuprofile.h"

#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

using namespace NodeScope;

namespace {

QByteArray fixture(const char* name)
{
    QFile file(QStringLiteral(NODESCOPE_FIXTURES_DIR "/cpuprofile/") + QLatin1String(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const ProfileFunction* find(const CpuProfile& profile, const QString& name)
{
    for (const ProfileFunction& function : profile.functions()) {
        if (function.function == name)
            return &function;
    }
    return nullptr;
}

} // namespace

class TestCpuProfile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Eight samples, the seventh 2 ms long, the last lasting to endTime;
    // `work` recurses through `parse`, and must count once per sample.
    void selfAndTotalTimes()
    {
        QString error;
        const auto profile = CpuProfile::parse(fixture("handmade.cpuprofile"), &error);
        QVERIFY2(profile, qPrintable(error));
        QCOMPARE(profile->durationMs(), 9.0);
        QCOMPARE(profile->sampleCount(), 8);
        // The two `work` nodes are one function.
        QCOMPARE(profile->functions().size(), 5);

        const ProfileFunction* work = find(*profile, QStringLiteral("work"));
        QVERIFY(work);
        QCOMPARE(work->selfMs, 3.0);
        QCOMPARE(work->totalMs, 4.0); // not 5: the recursive sample counts once
        QCOMPARE(work->line, 10);
        QCOMPARE(work->column, 17);
        QCOMPARE(work->origin, CodeOrigin::App);
        QCOMPARE(work->location(), QStringLiteral("file:///app/main.js:10"));

        const ProfileFunction* main = find(*profile, QStringLiteral("main"));
        QCOMPARE(main->selfMs, 1.0);
        QCOMPARE(main->totalMs, 5.0);
        const ProfileFunction* parse = find(*profile, QStringLiteral("parse"));
        QCOMPARE(parse->selfMs, 1.0);
        QCOMPARE(parse->totalMs, 2.0);
        QCOMPARE(parse->origin, CodeOrigin::Dependency);
        const ProfileFunction* idle = find(*profile, QStringLiteral("(idle)"));
        QCOMPARE(idle->selfMs, 3.0); // the 2 ms sample counts 2 ms
        QCOMPARE(idle->origin, CodeOrigin::Unknown);
        QVERIFY(!find(*profile, QStringLiteral("(root)")));
        QCOMPARE(profile->percentOf(work->selfMs), 100.0 * 3 / 9);

        // Most self time first; V8's pseudo-functions left out on request.
        QCOMPARE(profile->functions().first().function, QStringLiteral("work"));
        const QList<ProfileFunction> js = profile->topBySelf(3, true);
        QCOMPARE(js.size(), 3);
        QCOMPARE(js.at(0).function, QStringLiteral("work"));
        QVERIFY(js.at(1).function == QLatin1String("main") || js.at(1).function == QLatin1String("parse"));
        QCOMPARE(profile->topBySelf(2, false).at(1).function, QStringLiteral("(idle)"));

        const QJsonObject summary = profile->summaryJson(2);
        QCOMPARE(summary.value(QLatin1String("durationMs")).toDouble(), 9.0);
        QCOMPARE(summary.value(QLatin1String("samples")).toInt(), 8);
        const QJsonObject top = summary.value(QLatin1String("top")).toArray().first().toObject();
        QCOMPARE(top.value(QLatin1String("function")).toString(), QStringLiteral("work"));
        QCOMPARE(top.value(QLatin1String("selfPercent")).toDouble(), 33.33);
        QCOMPARE(top.value(QLatin1String("totalMs")).toDouble(), 4.0);
        QCOMPARE(top.value(QLatin1String("origin")).toString(), QStringLiteral("app"));
    }

    // Other writers give each node its parent instead of its children.
    void parentsInsteadOfChildren()
    {
        const QByteArray json = fixture("parents.cpuprofile");
        QString error;
        const auto profile = CpuProfile::parse(json, &error);
        QVERIFY2(profile, qPrintable(error));
        QCOMPARE(find(*profile, QStringLiteral("outer"))->totalMs, 0.3);
        QCOMPARE(find(*profile, QStringLiteral("inner"))->selfMs, 0.2);
        QCOMPARE(find(*profile, QStringLiteral("inner"))->totalMs, 0.2);
    }

    // A profile recorded from Node 20 (spinner.js slices, 0.5 s): the
    // spinning function has the most self time.
    void recordedProfile()
    {
        QString error;
        const auto profile = CpuProfile::parse(fixture("node20-spinslice.cpuprofile"), &error);
        QVERIFY2(profile, qPrintable(error));
        QVERIFY(profile->sampleCount() > 50);
        QVERIFY(profile->durationMs() > 300);
        const ProfileFunction top = profile->topBySelf(1, true).first();
        QCOMPARE(top.function, QStringLiteral("spinSlice"));
        QVERIFY(top.url.endsWith(QLatin1String("/spinner.js")));
        QVERIFY(profile->percentOf(top.selfMs) > 50);
        QVERIFY(top.totalMs >= top.selfMs);
        double self = 0;
        for (const ProfileFunction& function : profile->functions())
            self += function.selfMs;
        QVERIFY(qAbs(self - profile->durationMs()) < 0.01); // every sample's time is somebody's
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not json") << QByteArray("{nodes") << QStringLiteral("not JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("not a JSON object");
        QTest::newRow("no nodes") << QByteArray("{\"samples\":[]}") << QStringLiteral("no \"nodes\"");
        QTest::newRow("deltas mismatch")
            << QByteArray("{\"nodes\":[{\"id\":1}],\"samples\":[1,1],\"timeDeltas\":[0]}")
            << QStringLiteral("2 samples but 1 time deltas");
    }
    void refusals()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!CpuProfile::parse(json, &why));
        QVERIFY2(why.contains(error), qPrintable(why));
    }

    // Samples naming nodes that do not exist, and cycles, are survived.
    void brokenReferences()
    {
        const QByteArray json = fixture("broken-references.cpuprofile");
        QString error;
        const auto profile = CpuProfile::parse(json, &error);
        QVERIFY2(profile, qPrintable(error));
        QCOMPARE(profile->sampleCount(), 2);
        QCOMPARE(find(*profile, QStringLiteral("b"))->selfMs, 0.01);
    }
};

NODESCOPE_TEST_MAIN(TestCpuProfile)
#include "tst_cpuprofile.moc"

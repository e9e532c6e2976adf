#include "watch/sampler.h"
#include "watch/sessionpipeline.h"

#include "../../../bench/leakeval/syntheticseries.h"
#include "testmain.h"

using namespace NodeScope;

namespace {

constexpr double MB = 1024.0 * 1024.0;

// A steady 6 MB/min leak under a sawtooth: the detector calls it within minutes.
LeakEval::SeriesSpec leakingSpec()
{
    LeakEval::SeriesSpec spec;
    spec.name = QStringLiteral("pipeline leak");
    spec.leaks = true;
    spec.durationSec = 900;
    spec.intervalMs = 1000;
    spec.leakMBPerMin = 6;
    return spec;
}

Sample sampleAt(quint32 elapsedMs, qint64 heapUsed = 10'000'000)
{
    Sample sample;
    sample.elapsedMs = elapsedMs;
    sample.wallMs = 1'795'000'000'000LL + elapsedMs;
    sample.rssBytes = 60'000'000;
    sample.heapUsedBytes = heapUsed;
    sample.heapTotalBytes = 20'000'000;
    sample.externalBytes = 1'000'000;
    return sample;
}

TimerSpan span(const QString& label, double ms)
{
    TimerSpan s;
    s.source = TimerSpan::Source::Process;
    s.label = label;
    s.startWallMs = 1'795'000'000'000LL;
    s.endWallMs = s.startWallMs + qint64(ms);
    s.durationMs = ms;
    return s;
}

} // namespace

// The pipeline is driven by a Sampler's signals; the tests emit them by hand
// (no process needed) and check what both front ends get out.
class TestSessionPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void samplesAndSpansFlowThrough()
    {
        SessionPipeline pipeline;
        Sampler sampler;
        pipeline.begin(SessionInfo{});
        pipeline.follow(&sampler);
        QSignalSpy appended(&pipeline, &SessionPipeline::sampleAppended);
        QSignalSpy spans(&pipeline, &SessionPipeline::spanAdded);
        Q_EMIT sampler.started(42, 1'795'000'000'000LL);
        for (quint32 i = 0; i < 5; ++i)
            Q_EMIT sampler.sampleReady(sampleAt(i * 250), {});
        Q_EMIT sampler.processTimer(span(QStringLiteral("db"), 12));
        Q_EMIT sampler.processTimer(span(QStringLiteral("db"), 18));
        QCOMPARE(appended.size(), 5);
        QCOMPARE(pipeline.store().size(), 5);
        QCOMPARE(pipeline.session().info().startWallMs, 1'795'000'000'000LL);
        QCOMPARE(spans.size(), 2);
        QCOMPARE(pipeline.session().timerSpans().size(), 2);
        QCOMPARE(pipeline.timerStatistics().all().size(), 1);
    }

    void aSampleOlderThanTheLastIsDropped()
    {
        SessionPipeline pipeline;
        Sampler sampler;
        pipeline.follow(&sampler);
        QSignalSpy appended(&pipeline, &SessionPipeline::sampleAppended);
        Q_EMIT sampler.sampleReady(sampleAt(1000), {});
        Q_EMIT sampler.sampleReady(sampleAt(500), {});
        QCOMPARE(appended.size(), 1);
        QCOMPARE(pipeline.store().size(), 1);
    }

    void attachIsWordedAndMarkedOnce()
    {
        SessionPipeline pipeline;
        Sampler sampler;
        pipeline.follow(&sampler);
        QSignalSpy notices(&pipeline, &SessionPipeline::notice);
        QSignalSpy attached(&pipeline, &SessionPipeline::attached);
        TargetInfo target;
        target.pid = 42;
        target.nodeVersion = QStringLiteral("v20.20.2");
        target.heapLimitBytes = 4'345'298'944;
        target.inspectorOpenedByUs = true;
        Q_EMIT sampler.attached(target);
        QCOMPARE(attached.size(), 1);
        QCOMPARE(notices.size(), 1);
        QCOMPARE(notices.first().at(0).toString(),
            QStringLiteral(
                "Attached to PID 42 (Node v20.20.2): it printed \"Debugger attached.\" on its stderr"));
        QCOMPARE(notices.first().at(1).toBool(), false);
        QCOMPARE(pipeline.target().nodeVersion, QStringLiteral("v20.20.2"));
        QCOMPARE(pipeline.session().info().heapLimitBytes, 4'345'298'944);
        QCOMPARE(pipeline.leakDetector().heapLimitBytes(), 4'345'298'944);
        QCOMPARE(pipeline.session().markers().size(), 1);
        QCOMPARE(pipeline.session().markers().first().text, QStringLiteral("attached (Node v20.20.2)"));

        Q_EMIT sampler.inspectorLost(QStringLiteral("socket closed"));
        QCOMPARE(notices.size(), 2);
        QVERIFY(notices.last().at(0).toString().contains(QLatin1String("socket closed")));
        QCOMPARE(notices.last().at(1).toBool(), true);
        QCOMPARE(pipeline.session().markers().last().text, QStringLiteral("inspector lost"));
    }

    // Whatever the previous sampler still had queued must not land in the
    // next session.
    void anEarlierSamplerIsNoLongerHeard()
    {
        SessionPipeline pipeline;
        Sampler first;
        Sampler second;
        pipeline.follow(&first);
        pipeline.begin(SessionInfo{});
        pipeline.follow(&second);
        QSignalSpy appended(&pipeline, &SessionPipeline::sampleAppended);
        Q_EMIT first.sampleReady(sampleAt(100), {});
        Q_EMIT first.targetExited(QStringLiteral("gone"));
        QCOMPARE(appended.size(), 0);
        Q_EMIT second.sampleReady(sampleAt(100), {});
        QCOMPARE(appended.size(), 1);
        pipeline.unfollow();
        Q_EMIT second.sampleReady(sampleAt(200), {});
        QCOMPARE(appended.size(), 1);
    }

    // Both front ends get the same words at the same moment: every state
    // change, with `leak` flagged as something that needs attention.
    void leakStateChangesAreWordedAsTheyHappen()
    {
        SessionPipeline pipeline;
        Sampler sampler;
        pipeline.follow(&sampler);
        QStringList lines;
        connect(&pipeline, &SessionPipeline::notice, this,
            [&](const QString& text, bool) { lines.append(text); });
        for (const Sample& sample : LeakEval::generateSeries(leakingSpec()))
            Q_EMIT sampler.sampleReady(sample, {});
        QVERIFY(pipeline.leakFound());
        QCOMPARE(pipeline.leakDetector().jsVerdict().state, LeakVerdict::State::Leak);
        QStringList leakLines = lines.filter(QStringLiteral("Leak check: "));
        QVERIFY2(leakLines.size() >= 2, qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY2(leakLines.filter(QStringLiteral("Leak check: ok: ")).size() >= 1
                || leakLines.filter(QStringLiteral("Leak check: suspect: ")).size() >= 1,
            qPrintable(leakLines.join(QLatin1Char('\n'))));
        QVERIFY2(!leakLines.filter(QStringLiteral("Leak check: leak: heap floor grows")).isEmpty(),
            qPrintable(leakLines.join(QLatin1Char('\n'))));
    }

    // `record` keeps nothing in memory but is judged the same.
    void analysisWithoutKeepingSamples()
    {
        SessionPipeline pipeline;
        pipeline.setKeepSamples(false);
        Sampler sampler;
        pipeline.follow(&sampler);
        QSignalSpy appended(&pipeline, &SessionPipeline::sampleAppended);
        const std::vector<Sample> series = LeakEval::generateSeries(leakingSpec());
        for (const Sample& sample : series)
            Q_EMIT sampler.sampleReady(sample, {});
        QCOMPARE(qsizetype(appended.size()), qsizetype(series.size()));
        QCOMPARE(pipeline.store().size(), 0);
        QVERIFY(pipeline.leakFound());
        QVERIFY(pipeline.leakDetector().jsVerdict().slopeBytesPerMin > 4 * MB);
    }

    // A sampler's probe reports every full collection (each row has its
    // collection counts), so only those prove a rising floor: one of
    // old-generation garbage, with lows after scavenges that scatter, is no
    // leak yet, live or when new settings replay the session.
    void aWatchedTargetsFloorIsProvenOnlyByReportedCollections()
    {
        LeakSettings settings; // tst_record's short ones
        settings.windowSeconds = 60;
        settings.minGrowthBytes = qint64(2 * MB);
        settings.confirmSeconds = 15;
        SessionPipeline pipeline;
        pipeline.setLeakSettings(settings);
        Sampler sampler;
        pipeline.follow(&sampler);
        RuntimeSample runtime;
        runtime.gcCount = 7;
        for (const Sample& sample : LeakEval::churnSampledFinely(75))
            Q_EMIT sampler.sampleReady(sample, runtime);
        QVERIFY(!pipeline.leakDetector().jsVerdict().isGrowing());
        QVERIFY(!pipeline.leakDetector().jsVerdict().collectionsSeen);
        pipeline.setLeakSettings(settings);
        QVERIFY(!pipeline.leakDetector().jsVerdict().isGrowing());
        QVERIFY(!pipeline.leakFound());
    }

    void loadingASessionRebuildsItsAnalyses()
    {
        Session session;
        for (const Sample& sample : LeakEval::generateSeries(leakingSpec()))
            session.append(sample);
        session.addTimerSpan(span(QStringLiteral("render"), 4));
        SessionPipeline pipeline;
        QSignalSpy verdict(&pipeline, &SessionPipeline::leakVerdictChanged);
        pipeline.load(session);
        QCOMPARE(pipeline.store().size(), session.size());
        QCOMPARE(pipeline.timerStatistics().all().size(), 1);
        QCOMPARE(pipeline.leakDetector().jsVerdict().state, LeakVerdict::State::Leak);
        QVERIFY(verdict.size() >= 1);
    }

    void stallsAreRecoveredFromTheLoopDelayOfAFile()
    {
        // A CSV keeps no stalls: each is told by the loop delay of the row
        // after it (rows every 250 ms; a 4.2 s stall ends at 5 s, a 0.7 s
        // one at 9 s, told twice; 300 ms of delay is no stall).
        Session session;
        for (quint32 ms = 0; ms <= 12'000; ms += 250) {
            RuntimeSample runtime;
            runtime.elu = 0.1f;
            runtime.loopDelayMaxMs = 12;
            if (ms == 5'000)
                runtime.loopDelayMaxMs = 4'200;
            if (ms == 9'000)
                runtime.loopDelayMaxMs = 700;
            if (ms == 9'250)
                runtime.loopDelayMaxMs = 650;
            if (ms == 11'000)
                runtime.loopDelayMaxMs = 300;
            session.append(sampleAt(ms), runtime);
        }
        const qint64 start = sampleAt(0).wallMs;
        const QList<LoopStall> stalls = SessionPipeline::stallsFromLoopDelay(session);
        QCOMPARE(stalls.size(), 2);
        QCOMPARE(stalls[0].startWallMs, start + 800);
        QCOMPARE(stalls[0].durationMs, 4'200.0);
        QCOMPARE(stalls[1].startWallMs, start + 8'300);
        QCOMPARE(stalls[1].durationMs, 700.0);

        SessionPipeline pipeline;
        pipeline.load(session);
        QCOMPARE(pipeline.session().stalls().size(), 2);
        QCOMPARE(pipeline.runtimeStatistics().stalls().size(), 2);
        // A session that kept its own stalls is taken at its word.
        session.addStall({start + 100, 900});
        pipeline.load(session);
        QCOMPARE(pipeline.session().stalls().size(), 1);
        // Without runtime figures there is nothing to tell.
        Session bare;
        bare.append(sampleAt(0));
        QVERIFY(SessionPipeline::stallsFromLoopDelay(bare).isEmpty());
    }

    void forcedCollectionIsNotedAndMarked()
    {
        SessionPipeline pipeline;
        Sampler sampler;
        pipeline.follow(&sampler);
        QSignalSpy notices(&pipeline, &SessionPipeline::notice);
        Q_EMIT sampler.garbageCollected(true, 1000, 8 * 1024 * 1024, 12.5, QString());
        QCOMPARE(notices.size(), 1);
        QCOMPARE(notices.first().at(0).toString(),
            QStringLiteral(
                "Forced a full collection: 8.00 MB live on the heap (the process paused 12.5 ms)"));
        QCOMPARE(pipeline.session().markers().last().text, QStringLiteral("forced GC: 8.00 MB live"));
        Q_EMIT sampler.garbageCollected(false, 0, 0, 0, QStringLiteral("not attached"));
        QCOMPARE(notices.last().at(0).toString(), QStringLiteral("Forced collection failed: not attached"));
        QCOMPARE(notices.last().at(1).toBool(), true);
    }

    // With a pause budget, a floor rising fast makes the pipeline force a
    // collection in the sampler it follows, once, saying what it costs; the
    // sampler (attached to nothing here) answers, and the answer is told.
    // Without a budget, never.
    void risingFloorIsConfirmedWithinTheBudget()
    {
        for (int budgetMs : {0, 1000}) {
            SessionPipeline pipeline;
            Sampler sampler;
            LeakSettings settings;
            settings.collectionBudgetMs = budgetMs;
            pipeline.setLeakSettings(settings);
            pipeline.begin(SessionInfo{});
            pipeline.follow(&sampler);
            QSignalSpy notices(&pipeline, &SessionPipeline::notice);
            LeakEval::SeriesSpec spec = leakingSpec();
            spec.floorMB = 8;
            spec.leakMBPerMin = 60;
            spec.durationSec = 90;
            int forcing = 0;
            for (const Sample& s : LeakEval::generateSeries(spec)) {
                Q_EMIT sampler.sampleReady(s, {});
                QCoreApplication::processEvents(); // the queued collectGarbage, and its answer
            }
            QStringList lines;
            for (const QList<QVariant>& n : notices) {
                lines << n.at(0).toString();
                if (n.at(0).toString().startsWith(QStringLiteral("Forcing a full collection")))
                    ++forcing;
            }
            if (budgetMs == 0) {
                QCOMPARE(forcing, 0);
                continue;
            }
            // 90 s: one, and another a minute later at most.
            QVERIFY2(forcing >= 1 && forcing <= 2, qPrintable(lines.join(QLatin1Char('\n'))));
            const QString first = lines.filter(QStringLiteral("Forcing")).first();
            QVERIFY2(first.contains(QStringLiteral("the process pauses for it, about "))
                    && first.contains(QStringLiteral("(budget 1.00 s)")),
                qPrintable(first));
            QVERIFY2(lines.contains(QStringLiteral("Forced collection failed: not attached to the process")),
                qPrintable(lines.join(QLatin1Char('\n'))));
        }
    }

    // The profiler runs while the floor grows (auto), and the verdict's
    // change names the top suspects once it has ranked them.
    void aGrowingFloorLooksForSuspectsAndNamesThem()
    {
        SessionPipeline pipeline;
        Sampler sampler;
        pipeline.follow(&sampler);
        QStringList lines;
        connect(&pipeline, &SessionPipeline::notice, this,
            [&](const QString& text, bool) { lines.append(text); });
        for (const Sample& sample : LeakEval::generateSeries(leakingSpec()))
            Q_EMIT sampler.sampleReady(sample, {});
        QVERIFY(pipeline.leakDetector().jsVerdict().isGrowing());
        const QStringList looking = lines.filter(QStringLiteral("Looking for leak suspects"));
        QCOMPARE(looking.size(), 1);
        QVERIFY2(looking.first().startsWith(
                     QLatin1String("Looking for leak suspects while the heap floor grows: V8's sampling heap "
                                   "profiler runs in the process")),
            qPrintable(looking.first()));

        QSignalSpy changed(&pipeline, &SessionPipeline::suspectsChanged);
        Q_EMIT sampler.heapSamplingChanged(true, {});
        QVERIFY(pipeline.isSamplingHeap());
        const SourceFrame handler{
            QStringLiteral("handleRequest"), QStringLiteral("file:///srv/app.js"), 12, 5};
        const SourceFrame render{QStringLiteral("render"), QStringLiteral("file:///srv/app.js"), 40, 1};
        for (int i = 0; i < 3; ++i) {
            AllocationProfile profile;
            profile.wallMs = 1'795'001'000'000LL + i * 5000;
            profile.sites = {{{handler}, 1000 + i * 300000}, {{render}, 1000 + i * 100000}};
            Q_EMIT sampler.heapProfileRead(profile);
        }
        QVERIFY(changed.size() >= 2);
        QCOMPARE(pipeline.suspects().size(), 2);
        QCOMPARE(pipeline.suspects().first().frame, handler);
        const QStringList named = lines.filter(QStringLiteral("Leak suspects: "));
        QCOMPARE(named.size(), 1);
        QCOMPARE(named.first(),
            QStringLiteral(
                "Leak suspects: 1. handleRequest file:///srv/app.js:12:5 (3.43 MB/min, 75.0 % of the "
                "growth); 2. render file:///srv/app.js:40:1 (1.14 MB/min, 25.0 % of the growth)"));

        // Stopped, the ranking stays for the summary.
        Q_EMIT sampler.heapSamplingChanged(false, {});
        QVERIFY(!pipeline.isSamplingHeap());
        QCOMPARE(pipeline.suspects().size(), 2);
        QVERIFY(!lines.filter(QStringLiteral("Stopped looking for leak suspects")).isEmpty());
    }

    // Once the profiler has ranked the sites, the verdict's line says what
    // the top one does, beside the verdict and not in it.
    void theVerdictLineSaysWhatTheSitesDo()
    {
        SessionPipeline pipeline;
        Sampler sampler;
        pipeline.follow(&sampler);
        QStringList lines;
        connect(&pipeline, &SessionPipeline::notice, this,
            [&](const QString& text, bool) { lines.append(text); });
        Q_EMIT sampler.heapSamplingChanged(true, {});
        const SourceFrame handler{
            QStringLiteral("handleRequest"), QStringLiteral("file:///srv/app.js"), 12, 5};
        for (int i = 0; i < 24; ++i) {
            AllocationProfile profile;
            profile.wallMs = 1'795'001'000'000LL + i * 5000;
            profile.sites = {{{handler}, 1000 + i * 100000}};
            Q_EMIT sampler.heapProfileRead(profile);
        }
        for (const Sample& sample : LeakEval::generateSeries(leakingSpec()))
            Q_EMIT sampler.sampleReady(sample, {});
        QVERIFY(pipeline.leakDetector().jsVerdict().isGrowing());
        const QStringList verdicts = lines.filter(QStringLiteral("Leak check: "));
        QVERIFY(!verdicts.isEmpty());
        for (const QString& line : verdicts) {
            if (line.contains(QLatin1String("native memory")))
                QVERIFY2(!line.contains(QLatin1String("allocation site")), qPrintable(line));
            else
                QVERIFY2(line.endsWith(
                             QLatin1String("; top allocation site handleRequest still growing 1.14 MB/min")),
                    qPrintable(line));
        }
    }

    void offLooksOnlyWhenAsked()
    {
        SessionPipeline pipeline;
        pipeline.setSuspectsMode(SessionPipeline::SuspectsMode::Off);
        Sampler sampler;
        pipeline.follow(&sampler);
        QStringList lines;
        connect(&pipeline, &SessionPipeline::notice, this,
            [&](const QString& text, bool) { lines.append(text); });
        for (const Sample& sample : LeakEval::generateSeries(leakingSpec()))
            Q_EMIT sampler.sampleReady(sample, {});
        QVERIFY(pipeline.leakDetector().jsVerdict().isGrowing());
        QVERIFY(lines.filter(QStringLiteral("Looking for leak suspects")).isEmpty());
        pipeline.findSuspects();
        QVERIFY(pipeline.isFindingSuspectsOnDemand());
        QCOMPARE(lines.filter(QStringLiteral("Looking for leak suspects until you stop it: ")).size(), 1);
        // The profiler could not start: said, and on-demand is over.
        Q_EMIT sampler.heapSamplingChanged(false, QStringLiteral("HeapProfiler is not available"));
        QCOMPARE(
            lines.last(), QStringLiteral("Cannot look for leak suspects: HeapProfiler is not available"));
        QVERIFY(!pipeline.isFindingSuspectsOnDemand());
    }
};

NODESCOPE_TEST_MAIN(TestSessionPipeline)
#include "tst_sessionpipeline.moc"

// nodescope_bench: what sampling costs, measured, as markdown tables
// (docs/performance.md holds a run of it). Not run by ctest: it takes ~30 min
// and its figures depend on the machine.
//
//   micro     one full sample (OsSampler::sample() + one Runtime.evaluate of
//             process.memoryUsage() round trip), and each part alone, against
//             a node:http server idle and under load
//   scan      ProcessTable::scan without and with non-Node processes
//   idle      the CPU `nodescope record` and its target spend at 4/10/100 Hz
//             with nothing else going on
//   slowdown  requests/s of that server under a fixed local load (wrk, else
//             bench/sampling/load.js), not sampled and sampled by
//             `nodescope record`; configurations interleaved, every one
//             repeated, slowdown taken against the same round's baseline
//   paired    the same with two servers loaded at once, one sampled: the
//             machine's noise hits both, so small costs become visible
//   watching  what watching costs a server that logs and times every request
//             (and a quiet one), by `nodescope record` (the probe, the
//             inspector, capture on): two servers share a core, loaded at
//             once, and the watched one is swapped window by window
//             (--rounds is the number of pairs of windows)
//   watching-alone  the same on one server alone, loaded in alternating
//             windows, each watched window against its neighbours
//
//   nodescope_bench [--sections micro,scan,idle,slowdown,paired,watching,watching-alone]
//                   [--rounds 5] [--seconds 10]

#include "loadgenerator.h"
#include "machineload.h"
#include "nodetarget.h"
#include "percentiles.h"
#include "proc/processtable.h"
#include "samplecostbench.h"
#include "slowdownbench.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>

#include <cmath>
#include <map>

using namespace NodeScope;

namespace {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

// Progress goes to stderr so stdout stays a clean markdown report.
QTextStream& progress()
{
    static QTextStream stream(stderr);
    return stream;
}

QString num(double value, int decimals = 0)
{
    return std::isnan(value) ? QStringLiteral("-") : QString::number(value, 'f', decimals);
}

QString percent(double fraction, int decimals = 1)
{
    return std::isnan(fraction) ? QStringLiteral("-")
                                : QString::number(100.0 * fraction, 'f', decimals) + QStringLiteral(" %");
}

QString commandOutput(const QString& program, const QStringList& args)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    if (!process.waitForFinished(5000))
        return QStringLiteral("unavailable");
    return QString::fromUtf8(process.readAll()).section(QLatin1Char('\n'), 0, 0).trimmed();
}

int processesOnMachine()
{
    int count = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool isPid = false;
        entry.toLongLong(&isPid);
        count += isPid ? 1 : 0;
    }
    return count;
}

QString loadNow()
{
    return QString::number(MachineLoad::loadAverage(), 'f', 2);
}

void costRows(const QString& target, const SampleCostBench::Result& r)
{
    auto row = [&](const QString& what, const std::vector<double>& us) {
        const Percentiles p(us);
        out() << "| " << target << " | " << what << " | " << p.count() << " | " << num(p.median()) << " | "
              << num(p.at(0.95)) << " | " << num(p.at(0.99)) << " |\n";
    };
    std::vector<double> inspectorPart(r.fullUs.size());
    for (std::size_t i = 0; i < r.fullUs.size(); ++i)
        inspectorPart[i] = r.fullUs[i] - r.fullProcfsPartUs[i];
    row(QStringLiteral("**full sample** (procfs + round trip)"), r.fullUs);
    row(QStringLiteral("&nbsp;&nbsp;of which procfs"), r.fullProcfsPartUs);
    row(QStringLiteral("&nbsp;&nbsp;of which round trip"), inspectorPart);
    row(QStringLiteral("procfs alone (`OsSampler::sample()`)"), r.procfsUs);
    row(QStringLiteral("round trip alone (`Runtime.evaluate`)"), r.inspectorUs);
}

bool runMicro(const QString& scriptDir, LoadGenerator::Tool tool, int samples, int paceMs, int connections)
{
    out() << "\n### Cost of one sample\n\n"
          << "The sampler's side: wall time in µs of " << samples << " samples after 100 unmeasured ones, "
          << (paceMs > 0 ? QStringLiteral("%1 ms apart (a Sampler at %2 Hz)").arg(paceMs).arg(1000 / paceMs)
                         : QStringLiteral("back to back"))
          << ", one request in flight (as the Sampler does). Target: `http-server.js`, idle, then under the "
          << LoadGenerator::name(tool) << " load (" << connections << " connections). Load average "
          << loadNow() << " at start.\n\n"
          << "| target | measurement | n | median | p95 | p99 |\n|---|---|---:|---:|---:|---:|\n";
    QString error;
    NodeTarget server;
    if (!server.start(QDir(scriptDir).filePath(QStringLiteral("http-server.js")), {}, &error)) {
        progress() << "micro: " << error << Qt::endl;
        return false;
    }
    SampleCostBench bench(server.pid(), paceMs);
    if (!bench.attach(&error)) {
        progress() << "micro: attach failed: " << error << Qt::endl;
        return false;
    }
    SampleCostBench::Result idle;
    progress() << "micro: idle target" << Qt::endl;
    if (!bench.run(samples, &idle, &error)) {
        progress() << "micro: " << error << Qt::endl;
        return false;
    }
    costRows(QStringLiteral("idle"), idle);

    progress() << "micro: target under load" << Qt::endl;
    LoadGenerator load(tool, QDir(scriptDir).filePath(QStringLiteral("load.js")));
    if (!load.start(server.port(), connections, 600, &error)) {
        progress() << "micro: " << error << Qt::endl;
        return false;
    }
    QThread::sleep(2); // the load at full speed before timing
    SampleCostBench::Result loaded;
    const bool ok = bench.run(samples, &loaded, &error);
    load.abort();
    if (!ok) {
        progress() << "micro: " << error << Qt::endl;
        return false;
    }
    costRows(QStringLiteral("under load"), loaded);
    bench.detach();
    out() << "\nLoad average " << loadNow() << " at the end.\n";
    return true;
}

void runScan(int runs)
{
    out() << "\n### Process-table scan\n\n";
    // Alternate the two kinds, so that a busy spell of the machine hits both.
    std::vector<double> nodeMs, allMs;
    int nodeCount = 0;
    int allCount = 0;
    ProcessTable::scan({true}); // warm the page cache and the user-name cache
    for (int i = 0; i < runs; ++i) {
        for (const bool all : {false, true}) {
            QElapsedTimer clock;
            clock.start();
            const QList<ProcessInfo> table = ProcessTable::scan({all});
            (all ? allMs : nodeMs).push_back(double(clock.nsecsElapsed()) / 1e6);
            (all ? allCount : nodeCount) = int(table.size());
        }
    }
    const Percentiles node(nodeMs);
    const Percentiles all(allMs);
    out() << runs << " scans each; " << processesOnMachine() << " processes on the machine, load average "
          << loadNow() << ".\n\n"
          << "| scan | processes returned | median ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|\n"
          << "| `scan({false})` (Node only) | " << nodeCount << " | " << num(node.median(), 2) << " | "
          << num(node.at(0.95), 2) << " | " << num(node.max(), 2) << " |\n"
          << "| `scan({true})` (every process) | " << allCount << " | " << num(all.median(), 2) << " | "
          << num(all.at(0.95), 2) << " | " << num(all.max(), 2) << " |\n";
}

bool runIdle(SlowdownBench& bench, int seconds)
{
    out()
        << "\n### CPU of the recorder, idle target\n\n"
        << "`nodescope record --console-timers` (console-timer capture on) against an idle `http-server.js`; "
           "CPU over "
        << seconds << " s from /proc/PID/task/*/schedstat, in percent of one core. Load average " << loadNow()
        << " at start.\n\n"
        << "| sampling | samples/s written | recorder CPU | target CPU | recorder CPU per sample | target "
           "CPU per sample |\n"
        << "|---|---:|---:|---:|---:|---:|\n";
    for (const int interval : {0, 250, 100, 10}) {
        progress() << "idle: interval " << interval << Qt::endl;
        SlowdownBench::IdleRun run;
        QString error;
        if (!bench.runIdle(interval, seconds, &run, &error)) {
            progress() << "idle: " << error << Qt::endl;
            return false;
        }
        const QString label = interval == 0
            ? QStringLiteral("not sampled")
            : QStringLiteral("%1 Hz (`--interval %2`)").arg(1000 / interval).arg(interval);
        // CPU per sample: percent of a core / samples per second, in µs.
        auto perSample = [&](double cpuPercent) {
            return interval ? num(cpuPercent / 100.0 / run.achievedHz * 1e6) + QStringLiteral(" µs")
                            : QStringLiteral("-");
        };
        out() << "| " << label << " | " << num(run.achievedHz, 1) << " | "
              << (interval ? num(run.recorderCpu, 2) + QStringLiteral(" %") : QStringLiteral("-")) << " | "
              << num(run.serverCpu, 2) << " % | " << perSample(run.recorderCpu) << " | "
              << perSample(run.serverCpu) << " |\n";
    }
    out() << "\nLoad average " << loadNow() << " at the end.\n";
    return true;
}

bool runSlowdown(SlowdownBench& bench, const SlowdownBench::Settings& settings, int rounds)
{
    const QList<SlowdownConfig> configs{
        {QStringLiteral("not sampled"), true, 0, false},
        {QStringLiteral("4 Hz"), true, 250, false},
        {QStringLiteral("10 Hz"), true, 100, false},
        {QStringLiteral("100 Hz"), true, 10, false},
        {QStringLiteral("10 Hz, `--console-timers`"), true, 100, true},
        {QStringLiteral("attached, no sampling (`--interval 60000`)"), true, 60000, false},
        {QStringLiteral("not sampled"), false, 0, false},
        {QStringLiteral("4 Hz"), false, 250, false},
        {QStringLiteral("10 Hz"), false, 100, false},
        {QStringLiteral("100 Hz"), false, 10, false},
    };
    const int n = int(configs.size());
    // runs[config][round]
    const std::vector<SlowdownBench::LoadedRun> perRound(static_cast<std::size_t>(rounds));
    std::vector<std::vector<SlowdownBench::LoadedRun>> runs(static_cast<std::size_t>(n), perRound);
    const double loadBefore = MachineLoad::loadAverage();
    QElapsedTimer clock;
    clock.start();
    for (int round = 0; round < rounds; ++round) {
        // Rotate the order every round, so a slow spell of the machine does
        // not always fall on the same configuration.
        for (int k = 0; k < n; ++k) {
            const int c = (k + round * 3) % n;
            const SlowdownConfig& config = configs.at(c);
            SlowdownBench::LoadedRun& run = runs[std::size_t(c)][std::size_t(round)];
            QString error;
            bool ok = false;
            for (int attempt = 0; attempt < 2 && !ok; ++attempt) {
                ok = bench.runLoaded(config, &run, &error);
                if (!ok)
                    progress() << "  run failed (" << error << ")" << (attempt == 0 ? ", retrying" : "")
                               << Qt::endl;
            }
            if (!ok)
                return false;
            progress() << QStringLiteral(
                "round %1/%2 %3 server, %4: %5 req/s, server %6 % of a core, load %7 %, recorder %8 %, %9 "
                "samples/s, others %10 cores, loadavg %11 %12 [%13 s]")
                              .arg(round + 1)
                              .arg(rounds)
                              .arg(config.serverTimers ? QStringLiteral("timers") : QStringLiteral("plain"),
                                  config.label)
                              .arg(num(run.requestsPerSecond), num(run.serverCpu), num(run.loadCpu),
                                  num(run.recorderCpu, 1), num(run.achievedHz, 1), num(run.otherBusyCores, 2),
                                  num(run.loadAverage, 2), run.note)
                              .arg(clock.elapsed() / 1000)
                       << Qt::endl;
        }
    }

    out() << "\n### Slowdown of a sampled target\n\n"
          << "`http-server.js` (node:http, small JSON body) under " << LoadGenerator::name(settings.tool)
          << ", " << settings.connections << " keep-alive connections, " << settings.seconds
          << " s measured after " << settings.warmupSeconds
          << " s of warm-up, fresh server each run; sampled by `nodescope record`. " << rounds
          << " rounds, configurations interleaved (order rotated each round); slowdown = 1 - req/s ÷ "
             "the same round's unsampled req/s of the same server, median and range over the rounds. "
             "*Target CPU per request* = the server's CPU time over the measured window ÷ requests served: "
             "unlike req/s it does not depend on how much CPU the rest of the machine left the server, so it "
             "isolates the cost sampling adds inside the target. Recorder CPU in percent of one core; "
             "*others* = "
             "cores the rest of the machine kept busy meanwhile. Load average "
          << num(loadBefore, 2) << " before, " << loadNow() << " after.\n\n"
          << "| server | sampling | req/s (median) | slowdown (median) | slowdown (min … max) | "
             "target CPU per request | its increase (median, min … max) | recorder CPU | samples/s written | "
             "others (cores) |\n"
          << "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (int c = 0; c < n; ++c) {
        const SlowdownConfig& config = configs.at(c);
        int baseline = 0;
        while (
            configs.at(baseline).serverTimers != config.serverTimers || configs.at(baseline).intervalMs != 0)
            ++baseline;
        std::vector<double> rps, slowdown, cpuPerRequest, cpuIncrease, recorderCpu, hz, others;
        auto usPerRequest = [](const SlowdownBench::LoadedRun& run) {
            return run.serverCpu / 100.0 / run.requestsPerSecond * 1e6;
        };
        for (int r = 0; r < rounds; ++r) {
            const SlowdownBench::LoadedRun& run = runs[std::size_t(c)][std::size_t(r)];
            rps.push_back(run.requestsPerSecond);
            const SlowdownBench::LoadedRun& base = runs[std::size_t(baseline)][std::size_t(r)];
            slowdown.push_back(1.0 - run.requestsPerSecond / base.requestsPerSecond);
            cpuPerRequest.push_back(usPerRequest(run));
            cpuIncrease.push_back(usPerRequest(run) / usPerRequest(base) - 1.0);
            recorderCpu.push_back(run.recorderCpu);
            hz.push_back(run.achievedHz);
            others.push_back(run.otherBusyCores);
        }
        const bool sampled = config.intervalMs > 0;
        const Percentiles s(slowdown);
        const Percentiles increase(cpuIncrease);
        out() << "| "
              << (config.serverTimers ? QStringLiteral("console.time per request")
                                      : QStringLiteral("no console calls"))
              << " | " << config.label << " | " << num(Percentiles(rps).median()) << " | "
              << (sampled ? percent(s.median()) : QStringLiteral("baseline")) << " | "
              << (sampled ? percent(s.min()) + QStringLiteral(" … ") + percent(s.max()) : QStringLiteral("-"))
              << " | " << num(Percentiles(cpuPerRequest).median(), 1) << " µs | "
              << (sampled ? percent(increase.median()) + QStringLiteral(" (") + percent(increase.min())
                             + QStringLiteral(" … ") + percent(increase.max()) + QStringLiteral(")")
                          : QStringLiteral("baseline"))
              << " | "
              << (sampled ? num(Percentiles(recorderCpu).median(), 1) + QStringLiteral(" %")
                          : QStringLiteral("-"))
              << " | " << (sampled ? num(Percentiles(hz).median(), 1) : QStringLiteral("-")) << " | "
              << num(Percentiles(others).median(), 2) << " |\n";
    }
    return true;
}

bool runPaired(SlowdownBench& bench, const SlowdownBench::Settings& settings, int rounds)
{
    const QList<SlowdownConfig> configs{
        {QStringLiteral("neither sampled (control)"), false, 0, false},
        {QStringLiteral("4 Hz"), false, 250, false},
        {QStringLiteral("10 Hz"), false, 100, false},
        {QStringLiteral("100 Hz"), false, 10, false},
        {QStringLiteral("neither sampled (control)"), true, 0, false},
        {QStringLiteral("10 Hz"), true, 100, false},
        {QStringLiteral("10 Hz, `--console-timers`"), true, 100, true},
        {QStringLiteral("100 Hz"), true, 10, false},
    };
    const int n = int(configs.size());
    const std::vector<SlowdownBench::PairedRun> perRound(static_cast<std::size_t>(rounds));
    std::vector<std::vector<SlowdownBench::PairedRun>> runs(static_cast<std::size_t>(n), perRound);
    const double loadBefore = MachineLoad::loadAverage();
    QElapsedTimer clock;
    clock.start();
    for (int round = 0; round < rounds; ++round) {
        for (int k = 0; k < n; ++k) {
            const int c = (k + round * 3) % n;
            const SlowdownConfig& config = configs.at(c);
            SlowdownBench::PairedRun& run = runs[std::size_t(c)][std::size_t(round)];
            QString error;
            bool ok = false;
            for (int attempt = 0; attempt < 2 && !ok; ++attempt) {
                ok = bench.runPaired(config, round % 2 == 1, &run, &error);
                if (!ok)
                    progress() << "  run failed (" << error << ")" << (attempt == 0 ? ", retrying" : "")
                               << Qt::endl;
            }
            if (!ok)
                return false;
            progress() << QStringLiteral(
                "paired %1/%2 %3 server, %4: %5 vs %6 req/s, servers %7 % and %8 %, recorder %9 %, "
                "%10 samples/s, others %11 cores, loadavg %12 [%13 s]")
                              .arg(round + 1)
                              .arg(rounds)
                              .arg(config.serverTimers ? QStringLiteral("timers") : QStringLiteral("plain"),
                                  config.label, num(run.plain.requestsPerSecond),
                                  num(run.sampled.requestsPerSecond), num(run.plain.serverCpu),
                                  num(run.sampled.serverCpu), num(run.sampled.recorderCpu, 1),
                                  num(run.sampled.achievedHz, 1), num(run.sampled.otherBusyCores, 2))
                              .arg(num(run.sampled.loadAverage, 2))
                              .arg(clock.elapsed() / 1000)
                       << Qt::endl;
        }
    }

    out()
        << "\n### Slowdown, paired runs\n\n"
        << "Two identical `http-server.js` processes loaded at the same time by two "
        << LoadGenerator::name(settings.tool) << " processes (" << settings.connections
        << " connections each), both servers pinned to CPU 0 and "
           "both load generators to CPU 1, the recorder unpinned; only the second server sampled by "
           "`nodescope record`; "
        << settings.seconds << " s measured after " << settings.warmupSeconds << " s of warm-up, " << rounds
        << " rounds, configurations interleaved, which load starts first alternated. "
           "Whatever else the machine does hits both servers alike, so the ratio sampled ÷ unsampled is far "
           "less "
           "noisy than successive runs; the *control* rows (neither sampled) show what is left of the noise. "
           "So this measures the cost inside the target; the recorder's own CPU, which on a saturated "
           "machine "
           "is taken from everything else alike, is the recorder CPU column. Load average "
        << num(loadBefore, 2) << " before, " << loadNow() << " after.\n\n"
        << "| server | second server | req/s unsampled / sampled (medians) | slowdown (median) | slowdown "
           "(min … max) | "
           "target CPU per request, unsampled / sampled | its increase (median, min … max) | recorder CPU | "
           "samples/s written | others (cores) |\n"
        << "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (int c = 0; c < n; ++c) {
        const SlowdownConfig& config = configs.at(c);
        std::vector<double> plainRps, sampledRps, slowdown, plainCpr, sampledCpr, increase, recorderCpu, hz,
            others;
        auto usPerRequest = [](const SlowdownBench::LoadedRun& run) {
            return run.serverCpu / 100.0 / run.requestsPerSecond * 1e6;
        };
        for (int r = 0; r < rounds; ++r) {
            const SlowdownBench::PairedRun& run = runs[std::size_t(c)][std::size_t(r)];
            plainRps.push_back(run.plain.requestsPerSecond);
            sampledRps.push_back(run.sampled.requestsPerSecond);
            slowdown.push_back(1.0 - run.sampled.requestsPerSecond / run.plain.requestsPerSecond);
            plainCpr.push_back(usPerRequest(run.plain));
            sampledCpr.push_back(usPerRequest(run.sampled));
            increase.push_back(usPerRequest(run.sampled) / usPerRequest(run.plain) - 1.0);
            recorderCpu.push_back(run.sampled.recorderCpu);
            hz.push_back(run.sampled.achievedHz);
            others.push_back(run.sampled.otherBusyCores);
        }
        const bool sampled = config.intervalMs > 0;
        const Percentiles s(slowdown);
        const Percentiles inc(increase);
        out() << "| "
              << (config.serverTimers ? QStringLiteral("console.time per request")
                                      : QStringLiteral("no console calls"))
              << " | " << config.label << " | " << num(Percentiles(plainRps).median()) << " / "
              << num(Percentiles(sampledRps).median()) << " | " << percent(s.median()) << " | "
              << percent(s.min()) << " … " << percent(s.max()) << " | "
              << num(Percentiles(plainCpr).median(), 1) << " / " << num(Percentiles(sampledCpr).median(), 1)
              << " µs | " << percent(inc.median()) << " (" << percent(inc.min()) << " … "
              << percent(inc.max()) << ") | "
              << (sampled ? num(Percentiles(recorderCpu).median(), 1) + QStringLiteral(" %")
                          : QStringLiteral("-"))
              << " | " << (sampled ? num(Percentiles(hz).median(), 1) : QStringLiteral("-")) << " | "
              << num(Percentiles(others).median(), 2) << " |\n";
    }
    return true;
}

// What watching costs the process, the issue this release answers: a server
// that logs and times every request (and a quiet one), watched every way
// NodeScope can watch it.
QList<SlowdownConfig> watchingConfigs()
{
    auto logging = [](QString label) {
        SlowdownConfig config;
        config.label = std::move(label);
        config.serverTimers = true;
        config.serverLogs = true;
        return config;
    };
    QList<SlowdownConfig> configs;
    configs << logging(QStringLiteral("inspector open (`--inspect=0`), nobody attached"));
    configs.last().inspectorOpen = true;
    configs << logging(QStringLiteral("`record`, 250 ms (the probe: the default)"));
    configs.last().intervalMs = 250;
    configs << logging(QStringLiteral("`record`, 10 ms (the probe)"));
    configs.last().intervalMs = 10;
    configs << logging(QStringLiteral("`record`, 250 ms, `--through-inspector` (as before the probe)"));
    configs.last().intervalMs = 250;
    configs.last().throughInspector = true;
    configs << logging(QStringLiteral("`record`, 250 ms, `--console-timers`"));
    configs.last().intervalMs = 250;
    configs.last().consoleTimers = true;
    for (int interval : {250, 10}) {
        SlowdownConfig quiet;
        quiet.label = QStringLiteral("`record`, %1 ms (the probe)").arg(interval);
        quiet.serverTimers = false;
        quiet.intervalMs = interval;
        configs << quiet;
    }
    return configs;
}

bool runWatchingAlone(SlowdownBench& bench, const SlowdownBench::Settings& settings, int windows)
{
    const QList<SlowdownConfig> configs = watchingConfigs();
    const double loadBefore = MachineLoad::loadAverage();
    QElapsedTimer clock;
    clock.start();
    QList<SlowdownBench::AlternatingRun> runs;
    for (const SlowdownConfig& config : std::as_const(configs)) {
        SlowdownBench::AlternatingRun run;
        QString error;
        if (!bench.runAlternating(config, windows, &run, &error)) {
            progress() << "  " << config.label << " failed: " << error << Qt::endl;
            return false;
        }
        progress() << QStringLiteral("watching: %1 server, %2: unwatched %3, watched %4 req/s [%5 s]")
                          .arg(config.serverName(), config.label, num(Percentiles(run.unwatchedRps).median()),
                              num(Percentiles(run.watchedRps).median()))
                          .arg(clock.elapsed() / 1000)
                   << Qt::endl;
        runs.append(run);
    }

    out() << "\n### What watching costs a process, one server alone (alternating windows)\n\n"
          << "One `http-server.js` pinned to CPU 0, loaded by " << LoadGenerator::name(settings.tool) << " ("
          << settings.connections << " connections) pinned to CPU 1, in " << 2 * windows + 1 << " windows of "
          << settings.seconds << " s after " << settings.warmupSeconds
          << " s of warm-up: unwatched, watched, unwatched, ... on the same process (each watched window "
             "starts a fresh `nodescope record`, pinned to the load's CPU, and waits for it to be recording "
             "through the probe before the load starts; it is stopped after). A watched window's change is "
             "its throughput against the mean "
             "of the two unwatched windows around it, so slow drift cancels; median and range over the "
          << windows
          << " watched windows. The inspector-open row alternates between two identical processes, one "
             "started with `--inspect=0`. Load average "
          << num(loadBefore, 2) << " before, " << loadNow() << " after.\n\n"
          << "| server | watched by | req/s unwatched | req/s watched | throughput (median) | (min … max) | "
             "target CPU per request | NodeScope's CPU | samples/s |\n"
          << "|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for (qsizetype c = 0; c < configs.size(); ++c) {
        const SlowdownConfig& config = configs.at(c);
        const SlowdownBench::AlternatingRun& run = runs.at(c);
        std::vector<double> change, cpuChange;
        for (std::size_t w = 0; w < run.watchedRps.size(); ++w) {
            const double around = (run.unwatchedRps[w] + run.unwatchedRps[w + 1]) / 2.0;
            const double cpuAround = (run.unwatchedCpuUs[w] + run.unwatchedCpuUs[w + 1]) / 2.0;
            change.push_back(run.watchedRps[w] / around - 1.0);
            cpuChange.push_back(run.watchedCpuUs[w] / cpuAround - 1.0);
        }
        const Percentiles c1(change);
        const bool recorded = config.intervalMs > 0;
        out() << "| " << config.serverName() << " | " << config.label << " | "
              << num(Percentiles(run.unwatchedRps).median()) << " | "
              << num(Percentiles(run.watchedRps).median()) << " | " << percent(c1.median()) << " | "
              << percent(c1.min()) << " … " << percent(c1.max()) << " | "
              << percent(Percentiles(cpuChange).median()) << " | "
              << (recorded ? num(Percentiles(run.recorderCpu).median(), 1) + QStringLiteral(" %")
                           : QStringLiteral("-"))
              << " | " << (recorded ? num(run.achievedHz, 1) : QStringLiteral("-")) << " |\n";
    }
    return true;
}

// The same configurations measured on two servers that share a core, the
// watched one swapped window by window (SlowdownBench::runSwapped): the
// machine's swings hit both alike, so costs of a percent become visible.
// A first row watches nobody and shows how far the method itself scatters.
bool runWatching(SlowdownBench& bench, const SlowdownBench::Settings& settings, int pairs)
{
    SlowdownConfig control;
    control.label = QStringLiteral("nobody (control: how far this method scatters)");
    control.serverTimers = true;
    control.serverLogs = true;
    QList<SlowdownConfig> configs{control};
    configs << watchingConfigs();

    const double loadBefore = MachineLoad::loadAverage();
    QElapsedTimer clock;
    clock.start();
    QList<SlowdownBench::SwappedRun> runs;
    for (const SlowdownConfig& config : std::as_const(configs)) {
        SlowdownBench::SwappedRun run;
        QString error;
        if (!bench.runSwapped(config, pairs, &run, &error)) {
            progress() << "  " << config.label << " failed: " << error << Qt::endl;
            return false;
        }
        progress() << QStringLiteral("watching: %1 server, %2: throughput %3 (%4 … %5) [%6 s]")
                          .arg(config.serverName(), config.label, percent(Percentiles(run.costs()).median()),
                              percent(Percentiles(run.costs()).min()),
                              percent(Percentiles(run.costs()).max()))
                          .arg(clock.elapsed() / 1000)
                   << Qt::endl;
        runs.append(run);
    }

    out() << "\n### What watching costs a process (two servers, the watched one swapped)\n\n"
          << "Two identical `http-server.js` processes, A and B, share CPU 0; each is loaded by its own "
          << LoadGenerator::name(settings.tool) << " (" << settings.connections
          << " connections) on CPU 1, both at once, in " << 2 * pairs << " windows of " << settings.seconds
          << " s after " << settings.warmupSeconds
          << " s of warm-up. Window by window a fresh `nodescope record` (pinned to CPU 1) watches A, then "
             "B, then A...; the servers split their core fairly, so the watched one's share of the requests "
             "falls by the CPU per request that watching adds, while the machine's swings hit both alike. "
             "A pair of windows gives the cost with the two processes' own difference cancelled "
             "(√(A/B · B/A), watched over unwatched); median and range over "
          << pairs
          << " pairs. Each server has half a core here, so a fixed cost per second (the probe's readings) "
             "weighs twice what it would on a server with a whole core. The inspector-open row cannot swap "
             "(an inspector opened at start stays): B runs with `--inspect=0` throughout and each window "
             "reads B/A. Load average "
          << num(loadBefore, 2) << " before, " << loadNow() << " after.\n\n"
          << "| server | watched by | req/s per server | throughput (median) | (min … max) | "
             "target CPU per request | NodeScope's CPU | samples/s |\n"
          << "|---|---|---:|---:|---:|---:|---:|---:|\n";
    for (qsizetype c = 0; c < configs.size(); ++c) {
        const SlowdownConfig& config = configs.at(c);
        const SlowdownBench::SwappedRun& run = runs.at(c);
        const Percentiles costs(run.costs());
        const bool recorded = config.intervalMs > 0;
        out() << "| " << config.serverName() << " | " << config.label << " | "
              << num(Percentiles(run.bothRps).median() / 2.0) << " | " << percent(costs.median()) << " | "
              << percent(costs.min()) << " … " << percent(costs.max()) << " | "
              << percent(Percentiles(run.cpuCosts()).median()) << " | "
              << (recorded ? num(Percentiles(run.recorderCpu).median(), 1) + QStringLiteral(" %")
                           : QStringLiteral("-"))
              << " | " << (recorded ? num(run.achievedHz, 1) : QStringLiteral("-")) << " |\n";
    }
    return true;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("nodescope_bench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "What sampling costs: one sample, a process-table scan, the recorder's CPU, and a sampled "
        "node:http server's slowdown. Markdown on stdout, progress on stderr."));
    parser.addHelpOption();
    const QCommandLineOption sectionsOption(QStringLiteral("sections"),
        QStringLiteral(
            "Comma list of micro, scan, idle, slowdown, paired, watching, watching-alone (default all)."),
        QStringLiteral("LIST"), QStringLiteral("micro,scan,idle,slowdown,paired,watching,watching-alone"));
    const QCommandLineOption samplesOption(QStringLiteral("samples"),
        QStringLiteral("Samples timed per measurement (default 2000)."), QStringLiteral("N"),
        QStringLiteral("2000"));
    const QCommandLineOption paceOption(QStringLiteral("pace-ms"),
        QStringLiteral("Pause between timed samples, 0 for back to back (default 10)."), QStringLiteral("MS"),
        QStringLiteral("10"));
    const QCommandLineOption scansOption(QStringLiteral("scans"),
        QStringLiteral("Process-table scans timed (default 200)."), QStringLiteral("N"),
        QStringLiteral("200"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"),
        QStringLiteral("Repeats of every slowdown configuration (default 5)."), QStringLiteral("N"),
        QStringLiteral("5"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
        QStringLiteral("Measured seconds per slowdown run (default 10)."), QStringLiteral("SEC"),
        QStringLiteral("10"));
    const QCommandLineOption warmupOption(QStringLiteral("warmup"),
        QStringLiteral("Unmeasured seconds of load before each slowdown run (default 2)."),
        QStringLiteral("SEC"), QStringLiteral("2"));
    const QCommandLineOption idleSecondsOption(QStringLiteral("idle-seconds"),
        QStringLiteral("Seconds per idle recorder-CPU run (default 30)."), QStringLiteral("SEC"),
        QStringLiteral("30"));
    const QCommandLineOption connectionsOption(QStringLiteral("connections"),
        QStringLiteral("Keep-alive connections of the load (default 10)."), QStringLiteral("N"),
        QStringLiteral("10"));
    const QCommandLineOption loadOption(QStringLiteral("load"),
        QStringLiteral("Load generator: wrk, node or auto (default: wrk if installed)."),
        QStringLiteral("TOOL"), QStringLiteral("auto"));
    const QCommandLineOption nodescopeOption(QStringLiteral("nodescope"),
        QStringLiteral("The nodescope binary (default: this build's)."), QStringLiteral("PATH"),
        QStringLiteral(NODESCOPE_APP_PATH));
    const QCommandLineOption scriptsOption(QStringLiteral("scripts"),
        QStringLiteral("Directory of http-server.js and load.js."), QStringLiteral("DIR"),
        QStringLiteral(NODESCOPE_BENCH_SCRIPTS));
    parser.addOptions({sectionsOption, samplesOption, paceOption, scansOption, roundsOption, secondsOption,
        warmupOption, idleSecondsOption, connectionsOption, loadOption, nodescopeOption, scriptsOption});
    parser.process(app);

    const QStringList sections = parser.value(sectionsOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const QString loadChoice = parser.value(loadOption);
    SlowdownBench::Settings settings;
    settings.scriptDir = parser.value(scriptsOption);
    settings.nodescope = parser.value(nodescopeOption);
    settings.tool = loadChoice == QLatin1String("wrk") ? LoadGenerator::Tool::Wrk
        : loadChoice == QLatin1String("node")          ? LoadGenerator::Tool::Node
                                                       : LoadGenerator::detect();
    settings.connections = parser.value(connectionsOption).toInt();
    settings.seconds = qMax(2, parser.value(secondsOption).toInt());
    settings.warmupSeconds = qMax(1, parser.value(warmupOption).toInt());
    if (!QFileInfo(QDir(settings.scriptDir).filePath(QStringLiteral("http-server.js"))).exists()) {
        progress() << "no http-server.js in " << settings.scriptDir << " (--scripts)" << Qt::endl;
        return 2;
    }
    if ((sections.contains(QLatin1String("paired")) || sections.contains(QLatin1String("watching"))
            || sections.contains(QLatin1String("watching-alone")))
        && MachineLoad::cores() < 2) {
        progress() << "paired and watching runs need two CPUs" << Qt::endl;
        return 2;
    }
    if ((sections.contains(QLatin1String("idle")) || sections.contains(QLatin1String("slowdown"))
            || sections.contains(QLatin1String("paired")) || sections.contains(QLatin1String("watching"))
            || sections.contains(QLatin1String("watching-alone")))
        && !QFileInfo(settings.nodescope).isExecutable()) {
        progress() << "no nodescope binary at " << settings.nodescope << " (--nodescope)" << Qt::endl;
        return 2;
    }

    out() << "## nodescope_bench, " << QDateTime::currentDateTime().toString(Qt::ISODate) << "\n\n"
          << "- machine: " << MachineLoad::cores() << " cores (nproc), " << MachineLoad::cpuModel() << ", "
          << QSysInfo::prettyProductName() << ", kernel " << QSysInfo::kernelVersion() << "\n"
          << "- node " << commandOutput(QStringLiteral("node"), {QStringLiteral("--version")}) << ", load: "
          << (settings.tool == LoadGenerator::Tool::Wrk
                     ? commandOutput(QStringLiteral("wrk"), {QStringLiteral("-v")})
                     : QStringLiteral("bench/sampling/load.js"))
          << "\n- load average at start: " << loadNow() << "\n";
    out().flush();

    bool ok = true;
    if (sections.contains(QLatin1String("micro")))
        ok = runMicro(settings.scriptDir, settings.tool, parser.value(samplesOption).toInt(),
                 parser.value(paceOption).toInt(), settings.connections)
            && ok;
    out().flush();
    if (sections.contains(QLatin1String("scan")))
        runScan(parser.value(scansOption).toInt());
    out().flush();
    SlowdownBench bench(settings);
    if (sections.contains(QLatin1String("idle")))
        ok = runIdle(bench, parser.value(idleSecondsOption).toInt()) && ok;
    out().flush();
    if (sections.contains(QLatin1String("slowdown")))
        ok = runSlowdown(bench, settings, qMax(1, parser.value(roundsOption).toInt())) && ok;
    out().flush();
    if (sections.contains(QLatin1String("paired")))
        ok = runPaired(bench, settings, qMax(1, parser.value(roundsOption).toInt())) && ok;
    if (sections.contains(QLatin1String("watching")))
        ok = runWatching(bench, settings, qMax(1, parser.value(roundsOption).toInt())) && ok;
    out().flush();
    if (sections.contains(QLatin1String("watching-alone")))
        ok = runWatchingAlone(bench, settings, qMax(1, parser.value(roundsOption).toInt())) && ok;
    out().flush();
    return ok ? 0 : 1;
}

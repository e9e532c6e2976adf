#include "slowdownbench.h"

#include "machineload.h"
#include "nodetarget.h"
#include "proc/ossampler.h"
#include "recorderprocess.h"

#include <QDir>
#include <QTemporaryDir>
#include <QThread>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>

namespace NodeScope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Paired runs: where the two servers and the two load generators run.
constexpr int kServerCpu = 0;
constexpr int kLoadCpu = 1;

// CPU of one process over a window: percent of one core, NaN if it vanished.
class CpuWindow {
public:
    explicit CpuWindow(qint64 pid)
        : m_sampler(pid)
    {
        if (pid > 0 && m_sampler.start())
            m_sampler.sample(); // the first reading only sets the origin
    }
    double end()
    {
        const std::optional<OsReading> reading = m_sampler.sample();
        return reading ? reading->cpuUserPercent + reading->cpuSystemPercent : kNaN;
    }

private:
    OsSampler m_sampler;
};

// Stops a window's recorder and adds what it wrote to the run's totals.
bool stopWindowRecorder(RecorderProcess& recorder, qint64* samples, double* seconds, QString* error)
{
    const qint64 written = recorder.stop(error);
    if (written < 0)
        return false;
    *samples += written;
    *seconds += recorder.recordedSeconds();
    QThread::msleep(300); // the probe gone before the next window
    return true;
}

// Watched over unwatched, minus 1. Swapped windows come in pairs (A
// watched, then B): s·c and c/s, so the pair's geometric mean is c and the
// servers' own difference s cancels. Otherwise each window stands alone.
std::vector<double> costsOf(const std::vector<double>& shares, bool swapped)
{
    std::vector<double> costs;
    if (!swapped) {
        for (double share : shares)
            costs.push_back(share - 1.0);
        return costs;
    }
    for (std::size_t i = 0; i + 1 < shares.size(); i += 2)
        costs.push_back(std::sqrt(shares[i] * shares[i + 1]) - 1.0);
    return costs;
}

} // namespace

QStringList SlowdownConfig::serverArgs() const
{
    QStringList args;
    if (!serverTimers)
        args << QStringLiteral("--no-timers");
    if (serverLogs)
        args << QStringLiteral("--log");
    return args;
}

QString SlowdownConfig::serverName() const
{
    if (serverLogs)
        return serverTimers ? QStringLiteral("logs and times every request")
                            : QStringLiteral("logs every request");
    return serverTimers ? QStringLiteral("console.time per request") : QStringLiteral("no console calls");
}

SlowdownBench::SlowdownBench(const Settings& settings)
    : m_settings(settings)
{
}

QString SlowdownBench::serverScript() const
{
    return QDir(m_settings.scriptDir).filePath(QStringLiteral("http-server.js"));
}

bool SlowdownBench::runLoaded(const SlowdownConfig& config, LoadedRun* run, QString* error)
{
    QTemporaryDir dir;
    NodeTarget server;
    if (!server.start(serverScript(), config.serverArgs(), error))
        return false;

    std::unique_ptr<RecorderProcess> recorder;
    if (config.intervalMs > 0) {
        recorder = std::make_unique<RecorderProcess>(m_settings.nodescope);
        RecorderProcess::Options options;
        options.pid = server.pid();
        options.intervalMs = config.intervalMs;
        options.consoleTimers = config.consoleTimers;
        options.csvPath = dir.filePath(QStringLiteral("samples.csv"));
        options.summaryPath = dir.filePath(QStringLiteral("summary.json"));
        if (!recorder->start(options, error))
            return false;
    }

    const QString loadScript = QDir(m_settings.scriptDir).filePath(QStringLiteral("load.js"));
    {
        // Warm-up: JIT, socket buffers, and (sampled) the inspector's first
        // Runtime.enable traffic, none of which the measured run should see.
        LoadGenerator warmup(m_settings.tool, loadScript);
        if (!warmup.start(server.port(), m_settings.connections, m_settings.warmupSeconds, error))
            return false;
        warmup.waitForEnd(m_settings.warmupSeconds * 1000 + 30000);
    }

    LoadGenerator load(m_settings.tool, loadScript);
    if (!load.start(server.port(), m_settings.connections, m_settings.seconds, error))
        return false;
    CpuWindow serverCpu(server.pid());
    CpuWindow loadCpu(load.pid());
    CpuWindow recorderCpu(recorder ? recorder->pid() : 0);
    const MachineLoad::Snapshot machineBefore = MachineLoad::snapshot();
    // Read the CPU figures just before the load generator ends, while every
    // process still has its /proc entry.
    load.waitForEnd(m_settings.seconds * 1000 - 300);
    run->serverCpu = serverCpu.end();
    run->loadCpu = loadCpu.end();
    run->recorderCpu = recorder ? recorderCpu.end() : kNaN;
    const double busy = MachineLoad::busyCores(machineBefore, MachineLoad::snapshot());
    const double ours = (run->serverCpu + run->loadCpu + (recorder ? run->recorderCpu : 0)) / 100.0;
    run->otherBusyCores = std::max(0.0, busy - ours);
    run->loadAverage = MachineLoad::loadAverage();
    if (!load.waitForEnd(60000)) {
        *error = QStringLiteral("the load generator did not end");
        return false;
    }
    run->requestsPerSecond = load.requestsPerSecond(&run->note);
    if (std::isnan(run->requestsPerSecond)) {
        *error = run->note;
        return false;
    }

    run->achievedHz = kNaN;
    if (recorder) {
        const qint64 samples = recorder->stop(error);
        if (samples < 0)
            return false;
        run->achievedHz = double(samples) / recorder->recordedSeconds();
    }
    server.stop();
    return true;
}

bool SlowdownBench::runPaired(const SlowdownConfig& config, bool sampledFirst, PairedRun* run, QString* error)
{
    QTemporaryDir dir;
    const QStringList args = config.serverArgs();
    NodeTarget plainServer;
    NodeTarget sampledServer;
    // Both servers share CPU 0 and both load generators CPU 1: the servers
    // then split one core fairly, and whatever else runs there slows both
    // alike, so their ratio is the sampled one's extra cost (an A/A control
    // run this way stays within about 2 %). The recorder is not pinned.
    if (!plainServer.start(serverScript(), args, error, kServerCpu)
        || !sampledServer.start(serverScript(), args, error, kServerCpu,
            config.inspectorOpen ? QStringList{QStringLiteral("--inspect=0")} : QStringList()))
        return false;
    std::unique_ptr<RecorderProcess> recorder;
    if (config.intervalMs > 0) {
        recorder = std::make_unique<RecorderProcess>(m_settings.nodescope);
        RecorderProcess::Options options;
        options.pid = sampledServer.pid();
        options.intervalMs = config.intervalMs;
        options.consoleTimers = config.consoleTimers;
        options.throughInspector = config.throughInspector;
        options.csvPath = dir.filePath(QStringLiteral("samples.csv"));
        options.summaryPath = dir.filePath(QStringLiteral("summary.json"));
        if (!recorder->start(options, error))
            return false;
    }

    const QString loadScript = QDir(m_settings.scriptDir).filePath(QStringLiteral("load.js"));
    auto startBoth = [&](LoadGenerator& plainLoad, LoadGenerator& sampledLoad, int seconds) {
        LoadGenerator& first = sampledFirst ? sampledLoad : plainLoad;
        LoadGenerator& second = sampledFirst ? plainLoad : sampledLoad;
        NodeTarget& firstServer = sampledFirst ? sampledServer : plainServer;
        NodeTarget& secondServer = sampledFirst ? plainServer : sampledServer;
        return first.start(firstServer.port(), m_settings.connections, seconds, error, kLoadCpu)
            && second.start(secondServer.port(), m_settings.connections, seconds, error, kLoadCpu);
    };
    {
        LoadGenerator plainWarmup(m_settings.tool, loadScript);
        LoadGenerator sampledWarmup(m_settings.tool, loadScript);
        if (!startBoth(plainWarmup, sampledWarmup, m_settings.warmupSeconds))
            return false;
        plainWarmup.waitForEnd(m_settings.warmupSeconds * 1000 + 30000);
        sampledWarmup.waitForEnd(m_settings.warmupSeconds * 1000 + 30000);
    }

    LoadGenerator plainLoad(m_settings.tool, loadScript);
    LoadGenerator sampledLoad(m_settings.tool, loadScript);
    if (!startBoth(plainLoad, sampledLoad, m_settings.seconds))
        return false;
    CpuWindow plainCpu(plainServer.pid());
    CpuWindow sampledCpu(sampledServer.pid());
    CpuWindow plainLoadCpu(plainLoad.pid());
    CpuWindow sampledLoadCpu(sampledLoad.pid());
    CpuWindow recorderCpu(recorder ? recorder->pid() : 0);
    const MachineLoad::Snapshot machineBefore = MachineLoad::snapshot();
    plainLoad.waitForEnd(m_settings.seconds * 1000 - 300);
    run->plain.serverCpu = plainCpu.end();
    run->sampled.serverCpu = sampledCpu.end();
    run->plain.loadCpu = plainLoadCpu.end();
    run->sampled.loadCpu = sampledLoadCpu.end();
    run->plain.recorderCpu = kNaN;
    run->sampled.recorderCpu = recorder ? recorderCpu.end() : kNaN;
    const double busy = MachineLoad::busyCores(machineBefore, MachineLoad::snapshot());
    const double ours = (run->plain.serverCpu + run->sampled.serverCpu + run->plain.loadCpu
                            + run->sampled.loadCpu + (recorder ? run->sampled.recorderCpu : 0))
        / 100.0;
    run->plain.otherBusyCores = run->sampled.otherBusyCores = std::max(0.0, busy - ours);
    run->plain.loadAverage = run->sampled.loadAverage = MachineLoad::loadAverage();
    if (!plainLoad.waitForEnd(60000) || !sampledLoad.waitForEnd(60000)) {
        *error = QStringLiteral("a load generator did not end");
        return false;
    }
    run->plain.requestsPerSecond = plainLoad.requestsPerSecond(&run->plain.note);
    run->sampled.requestsPerSecond = sampledLoad.requestsPerSecond(&run->sampled.note);
    if (std::isnan(run->plain.requestsPerSecond) || std::isnan(run->sampled.requestsPerSecond)) {
        *error = run->plain.note + QLatin1Char(' ') + run->sampled.note;
        return false;
    }
    run->plain.achievedHz = run->sampled.achievedHz = kNaN;
    if (recorder) {
        const qint64 samples = recorder->stop(error);
        if (samples < 0)
            return false;
        run->sampled.achievedHz = double(samples) / recorder->recordedSeconds();
    }
    return true;
}

bool SlowdownBench::runAlternating(
    const SlowdownConfig& config, int watchedWindows, AlternatingRun* run, QString* error)
{
    QTemporaryDir dir;
    // Server pinned to CPU 0, load to CPU 1: nothing else of ours competes
    // with the server for its core. An inspector opened at start (nobody
    // attached) cannot be taken away again, so that case alternates between
    // two otherwise identical processes.
    NodeTarget server;
    NodeTarget openServer;
    if (!server.start(serverScript(), config.serverArgs(), error, kServerCpu))
        return false;
    if (config.inspectorOpen
        && !openServer.start(
            serverScript(), config.serverArgs(), error, kServerCpu, {QStringLiteral("--inspect=0")}))
        return false;
    const QString loadScript = QDir(m_settings.scriptDir).filePath(QStringLiteral("load.js"));
    auto window = [&](NodeTarget& target, int seconds, double* rps, double* cpuUs, RecorderProcess* recorder,
                      double* recorderCpu) {
        LoadGenerator load(m_settings.tool, loadScript);
        if (!load.start(target.port(), m_settings.connections, seconds, error, kLoadCpu))
            return false;
        CpuWindow serverCpu(target.pid());
        CpuWindow ownCpu(recorder ? recorder->pid() : 0);
        load.waitForEnd(seconds * 1000 - 300);
        const double cpu = serverCpu.end();
        if (recorderCpu)
            *recorderCpu = recorder ? ownCpu.end() : kNaN;
        if (!load.waitForEnd(60000)) {
            *error = QStringLiteral("the load generator did not end");
            return false;
        }
        QString note;
        *rps = load.requestsPerSecond(&note);
        if (std::isnan(*rps)) {
            *error = note;
            return false;
        }
        *cpuUs = cpu / 100.0 / *rps * 1e6;
        return true;
    };
    double rps = 0;
    double cpuUs = 0;
    // Warm-up: JIT, socket buffers.
    if (!window(server, m_settings.warmupSeconds, &rps, &cpuUs, nullptr, nullptr))
        return false;
    if (config.inspectorOpen && !window(openServer, m_settings.warmupSeconds, &rps, &cpuUs, nullptr, nullptr))
        return false;
    qint64 samples = 0;
    double recordedSeconds = 0;
    for (int w = 0; w <= 2 * watchedWindows; ++w) {
        const bool watched = w % 2 == 1;
        std::unique_ptr<RecorderProcess> recorder;
        if (watched && !startRecorder(config, server.pid(), dir.path(), w, kLoadCpu, &recorder, error))
            return false;
        NodeTarget& target = watched && config.inspectorOpen ? openServer : server;
        double recorderCpu = kNaN;
        if (!window(target, m_settings.seconds, &rps, &cpuUs, recorder.get(), &recorderCpu))
            return false;
        (watched ? run->watchedRps : run->unwatchedRps).push_back(rps);
        (watched ? run->watchedCpuUs : run->unwatchedCpuUs).push_back(cpuUs);
        if (watched)
            run->recorderCpu.push_back(recorderCpu);
        if (recorder && !stopWindowRecorder(*recorder, &samples, &recordedSeconds, error))
            return false;
    }
    run->achievedHz = recordedSeconds > 0 ? double(samples) / recordedSeconds : kNaN;
    return true;
}

bool SlowdownBench::startRecorder(const SlowdownConfig& config, qint64 pid, const QString& directory,
    int window, int cpu, std::unique_ptr<RecorderProcess>* recorder, QString* error) const
{
    recorder->reset();
    if (config.intervalMs <= 0)
        return true;
    *recorder = std::make_unique<RecorderProcess>(m_settings.nodescope);
    RecorderProcess::Options options;
    options.pid = pid;
    options.intervalMs = config.intervalMs;
    options.consoleTimers = config.consoleTimers;
    options.throughInspector = config.throughInspector;
    options.csvPath = QDir(directory).filePath(QStringLiteral("samples-%1.csv").arg(window));
    options.summaryPath = QDir(directory).filePath(QStringLiteral("summary-%1.json").arg(window));
    // On the load's core, not the target's: on any machine with a core to
    // spare that is where the scheduler runs NodeScope, and left free here
    // it lands on the server's core about half the time and takes its own
    // CPU (6 % at 10 ms) and a wake-up every sample from the server, which
    // swings a window by 5-35 %. What it costs on a shared core is its own
    // CPU, in its column.
    options.cpu = cpu;
    if (!(*recorder)->start(options, error))
        return false;
    QThread::msleep(500); // past the attach: the steady state is measured
    return true;
}

std::vector<double> SlowdownBench::SwappedRun::costs() const
{
    return costsOf(watchedShare, swapped);
}

std::vector<double> SlowdownBench::SwappedRun::cpuCosts() const
{
    return costsOf(watchedCpuShare, swapped);
}

bool SlowdownBench::runSwapped(const SlowdownConfig& config, int pairs, SwappedRun* run, QString* error)
{
    QTemporaryDir dir;
    NodeTarget serverA;
    NodeTarget serverB;
    if (!serverA.start(serverScript(), config.serverArgs(), error, kServerCpu)
        || !serverB.start(serverScript(), config.serverArgs(), error, kServerCpu,
            config.inspectorOpen ? QStringList{QStringLiteral("--inspect=0")} : QStringList()))
        return false;
    run->swapped = !config.inspectorOpen;

    const QString loadScript = QDir(m_settings.scriptDir).filePath(QStringLiteral("load.js"));
    // Loads both servers for `seconds`; rps and CPU per request (µs) of A and B.
    struct Window {
        double rps[2] = {0, 0};
        double cpuUs[2] = {0, 0};
        double recorderCpu = kNaN;
    };
    auto loadBoth = [&](int seconds, const RecorderProcess* recorder, Window* window) {
        LoadGenerator loadA(m_settings.tool, loadScript);
        LoadGenerator loadB(m_settings.tool, loadScript);
        if (!loadA.start(serverA.port(), m_settings.connections, seconds, error, kLoadCpu)
            || !loadB.start(serverB.port(), m_settings.connections, seconds, error, kLoadCpu))
            return false;
        CpuWindow cpuA(serverA.pid());
        CpuWindow cpuB(serverB.pid());
        CpuWindow ownCpu(recorder ? recorder->pid() : 0);
        loadA.waitForEnd(seconds * 1000 - 300);
        const double cpu[2] = {cpuA.end(), cpuB.end()};
        if (recorder)
            window->recorderCpu = ownCpu.end();
        if (!loadA.waitForEnd(60000) || !loadB.waitForEnd(60000)) {
            *error = QStringLiteral("a load generator did not end");
            return false;
        }
        LoadGenerator* loads[2] = {&loadA, &loadB};
        for (int i = 0; i < 2; ++i) {
            QString note;
            window->rps[i] = loads[i]->requestsPerSecond(&note);
            if (std::isnan(window->rps[i])) {
                *error = note;
                return false;
            }
            window->cpuUs[i] = cpu[i] / 100.0 / window->rps[i] * 1e6;
        }
        return true;
    };

    Window window;
    if (!loadBoth(m_settings.warmupSeconds, nullptr, &window)) // JIT, socket buffers
        return false;
    qint64 samples = 0;
    double recordedSeconds = 0;
    for (int w = 0; w < 2 * pairs; ++w) {
        // Which one is watched (B throughout when its inspector is the difference).
        const int watched = run->swapped ? w % 2 : 1;
        const int other = 1 - watched;
        std::unique_ptr<RecorderProcess> recorder;
        const qint64 pid = watched == 0 ? serverA.pid() : serverB.pid();
        if (!startRecorder(config, pid, dir.path(), w, kLoadCpu, &recorder, error))
            return false;
        if (!loadBoth(m_settings.seconds, recorder.get(), &window))
            return false;
        run->watchedShare.push_back(window.rps[watched] / window.rps[other]);
        run->watchedCpuShare.push_back(window.cpuUs[watched] / window.cpuUs[other]);
        run->bothRps.push_back(window.rps[0] + window.rps[1]);
        if (recorder) {
            run->recorderCpu.push_back(window.recorderCpu);
            if (!stopWindowRecorder(*recorder, &samples, &recordedSeconds, error))
                return false;
        }
    }
    run->achievedHz = recordedSeconds > 0 ? double(samples) / recordedSeconds : kNaN;
    return true;
}

bool SlowdownBench::runIdle(int intervalMs, int seconds, IdleRun* run, QString* error)
{
    QTemporaryDir dir;
    NodeTarget server;
    if (!server.start(serverScript(), {}, error))
        return false;
    std::unique_ptr<RecorderProcess> recorder;
    if (intervalMs > 0) {
        recorder = std::make_unique<RecorderProcess>(m_settings.nodescope);
        RecorderProcess::Options options;
        options.pid = server.pid();
        options.intervalMs = intervalMs;
        options.csvPath = dir.filePath(QStringLiteral("samples.csv"));
        options.summaryPath = dir.filePath(QStringLiteral("summary.json"));
        if (!recorder->start(options, error))
            return false;
    }
    // Past the attach and its first samples: the steady state is the cost.
    QThread::sleep(2);
    CpuWindow serverCpu(server.pid());
    CpuWindow recorderCpu(recorder ? recorder->pid() : 0);
    QThread::sleep(unsigned(seconds));
    run->serverCpu = serverCpu.end();
    run->recorderCpu = recorder ? recorderCpu.end() : kNaN;
    run->loadAverage = MachineLoad::loadAverage();
    run->achievedHz = kNaN;
    if (recorder) {
        const qint64 samples = recorder->stop(error);
        if (samples < 0)
            return false;
        run->achievedHz = double(samples) / recorder->recordedSeconds();
    }
    server.stop();
    return true;
}

} // namespace NodeScope

#pragma once

// What being sampled costs a target: the throughput of bench/sampling/
// http-server.js under a fixed local load, not sampled and sampled by
// `nodescope record` at several rates; and what the recorder itself spends
// sampling an idle target. Each run starts a fresh server.

#include "loadgenerator.h"
#include "recorderprocess.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace NodeScope {

struct SlowdownConfig {
    QString label;
    bool serverTimers = true; // one console.time/timeEnd pair per request
    int intervalMs = 0; // 0: not sampled
    bool consoleTimers = false; // nodescope record captures them (--console-timers)
    bool serverLogs = false; // one console.log line per request too
    bool inspectorOpen = false; // the watched server runs with --inspect=0 (nobody attached)
    bool throughInspector = false; // record --through-inspector: no probe, the inspector stays open

    QStringList serverArgs() const;
    QString serverName() const; // "logs and times every request", ...
};

class SlowdownBench {
public:
    struct Settings {
        QString scriptDir; // http-server.js and load.js
        QString nodescope; // the nodescope binary
        LoadGenerator::Tool tool = LoadGenerator::Tool::Wrk;
        int connections = 10;
        int warmupSeconds = 2;
        int seconds = 10;
    };

    // One loaded run. CPU figures are percent of one core over the measured
    // window; NaN where they do not apply.
    struct LoadedRun {
        double requestsPerSecond = 0;
        double serverCpu = 0;
        double loadCpu = 0;
        double recorderCpu = 0;
        double otherBusyCores = 0; // the machine's busy cores beyond our three processes
        double loadAverage = 0;
        double achievedHz = 0; // samples the recorder wrote per second
        QString note;
    };

    // Two identical servers loaded at the same time, only the second one
    // sampled (or neither, as a control): whatever else the machine does
    // meanwhile hits both alike, so their ratio resolves costs far smaller
    // than the run-to-run noise of req/s on a shared machine.
    struct PairedRun {
        LoadedRun plain; // recorder figures NaN
        LoadedRun sampled;
    };

    // One server, loaded in alternating windows: unwatched, watched,
    // unwatched... on the same process (same JIT, same heap), so the
    // watched window's throughput is compared with the mean of the two
    // around it, and slow drift cancels.
    struct AlternatingRun {
        std::vector<double> unwatchedRps; // windows 0, 2, 4, ...
        std::vector<double> watchedRps; // windows 1, 3, ...
        std::vector<double> unwatchedCpuUs; // server CPU per request, µs
        std::vector<double> watchedCpuUs;
        std::vector<double> recorderCpu; // percent of one core, watched windows
        double achievedHz = 0;
    };
    bool runAlternating(
        const SlowdownConfig& config, int watchedWindows, AlternatingRun* run, QString* error);

    // Two identical servers, A and B, share one core and are loaded at the
    // same time, each by its own load generator on the other core; window
    // by window one of them is watched: A, B, A, B... Both see the same
    // machine at the same moment (a shared VM's speed swings a lone
    // server's req/s by ±10-25 % between windows, which no amount of
    // alternating on one server averages out), and since they split the
    // core fairly, the watched one's share of the requests falls by exactly
    // the CPU per request that watching adds. Swapping the watched server
    // cancels what differs between the two processes themselves: with
    // s = A/B unwatched and c the cost, window A reads s·c, window B c/s,
    // and their product c². An inspector opened at start cannot be taken
    // away, so with `inspectorOpen` B runs with it and every window reads
    // B/A (the processes' own difference, ~1-2 %, stays in).
    struct SwappedRun {
        std::vector<double> watchedShare; // per window: the watched server's req/s over the other's
        std::vector<double> watchedCpuShare; // per window: the same for server CPU per request
        std::vector<double> bothRps; // per window: the two servers' req/s together
        std::vector<double> recorderCpu; // percent of one core, per window with a recorder
        double achievedHz = 0;
        bool swapped = true; // false with inspectorOpen: B is watched in every window
        // Per pair of windows (A watched, B watched), or per window with
        // inspectorOpen: the watched server's throughput over its unwatched
        // throughput, minus 1.
        std::vector<double> costs() const;
        std::vector<double> cpuCosts() const;
    };
    bool runSwapped(const SlowdownConfig& config, int pairs, SwappedRun* run, QString* error);

    // One idle run: nothing loads the server, the recorder samples it.
    struct IdleRun {
        double recorderCpu = 0;
        double serverCpu = 0;
        double achievedHz = 0;
        double loadAverage = 0;
    };

    explicit SlowdownBench(const Settings& settings);

    bool runLoaded(const SlowdownConfig& config, LoadedRun* run, QString* error);
    // sampledFirst: which server's load starts first (alternate it, so the
    // order is not part of the difference).
    bool runPaired(const SlowdownConfig& config, bool sampledFirst, PairedRun* run, QString* error);
    bool runIdle(int intervalMs, int seconds, IdleRun* run, QString* error);

private:
    QString serverScript() const;
    // A `nodescope record` of pid as config says (nothing for intervalMs 0),
    // recording through the probe (or the inspector) when this returns.
    bool startRecorder(const SlowdownConfig& config, qint64 pid, const QString& directory, int window,
        int cpu, std::unique_ptr<RecorderProcess>* recorder, QString* error) const;

    Settings m_settings;
};

} // namespace NodeScope

#pragma once

// What being sampled costs a target: the throughput of bench/sampling/
// http-server.js under a fixed local load, not sampled and sampled by
// `nodescope record` at several rates; and what the recorder itself spends
// sampling an idle target. Each run starts a fresh server.

#include "loadgenerator.h"

#include <QString>
#include <QStringList>

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

    Settings m_settings;
};

} // namespace NodeScope

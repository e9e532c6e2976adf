#pragma once

// What being sampled costs a target: the throughput of bench/sampling/
// http-server.js under a fixed local load, not sampled and sampled by
// `nodescope record` at several rates; and what the recorder itself spends
// sampling an idle target. Each run starts a fresh server.

#include "loadgenerator.h"

#include <QString>

namespace NodeScope {

struct SlowdownConfig {
    QString label;
    bool serverTimers = true; // one console.time/timeEnd pair per request
    int intervalMs = 0; // 0: not sampled
    bool consoleTimers = true; // nodescope record captures them (its default)
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

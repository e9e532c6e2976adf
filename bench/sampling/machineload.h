#pragma once

// How busy the whole machine is, from /proc/stat and /proc/loadavg. The
// benchmark runs on shared cores next to other people's builds: every figure
// is reported with the load it was measured under, and the CPU the machine
// spent beyond our own processes tells how much of a run's noise was theirs.

#include <QString>

namespace NodeScope {

class MachineLoad {
public:
    struct Snapshot {
        unsigned long long busyTicks = 0;
        unsigned long long totalTicks = 0;
    };

    // The aggregate "cpu" line of /proc/stat.
    static Snapshot snapshot();
    // Cores kept busy between two snapshots (0 .. number of cores).
    static double busyCores(const Snapshot& before, const Snapshot& after);
    // The 1-minute load average.
    static double loadAverage();
    // Online cores and the CPU model string, for the report.
    static int cores();
    static QString cpuModel();
};

} // namespace NodeScope

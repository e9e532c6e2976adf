#pragma once

// Pins a process the benchmark starts to one CPU before it runs, so that
// every thread it creates inherits the mask (sched_setaffinity on a running
// Node would pin only its main thread).

#include <QProcess>

#include <sched.h>

namespace NodeScope {

// A no-op for cpu < 0.
inline void pinToCpu(QProcess& process, int cpu)
{
    if (cpu < 0) {
        process.setChildProcessModifier({});
        return;
    }
    process.setChildProcessModifier([cpu] {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof(set), &set); // in the child, between fork and exec
    });
}

} // namespace NodeScope

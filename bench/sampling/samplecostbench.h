#pragma once

// What one sample costs the sampler: OsSampler::sample() (procfs) plus one
// Runtime.evaluate of process.memoryUsage() round trip, done the way Sampler
// does them, one after the other on one thread with at most one request in
// flight, cycles paced like a Sampler's ticks. Both parts are also timed
// alone, so the full figure can be split.

#include "inspector/inspectorconnection.h"
#include "proc/ossampler.h"

#include <QString>

#include <vector>

namespace NodeScope {

class SampleCostBench {
public:
    // Microseconds per operation, one entry per measured operation.
    struct Result {
        std::vector<double> fullUs;
        std::vector<double> fullProcfsPartUs; // the procfs share of each full sample
        std::vector<double> procfsUs;
        std::vector<double> inspectorUs;
    };

    // paceMs: the pause between the end of one cycle and the start of the
    // next. Back to back (0) the target's thread never goes to sleep between
    // requests and its caches stay hot, which flatters the round trip; 10 ms
    // is a Sampler at 100 Hz.
    SampleCostBench(qint64 pid, int paceMs);

    bool attach(QString* error);
    // Times `samples` operations of each kind, after a few unmeasured ones.
    bool run(int samples, Result* result, QString* error);
    void detach();

private:
    // Back-to-back sample cycles: optionally procfs, then one round trip.
    bool timeCycles(int count, bool withProcfs, bool withInspector, std::vector<double>* totalUs,
        std::vector<double>* procfsPartUs, QString* error);

    qint64 m_pid = 0;
    int m_paceMs = 10;
    InspectorConnection m_inspector;
    OsSampler m_os;
};

} // namespace NodeScope

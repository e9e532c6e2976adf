#pragma once

// Generated heapUsed series with a known truth, shared by the leak detector's
// unit tests and nodescope_leakeval. The model follows what V8 shows through
// process.memoryUsage(): live data (the floor we want) plus old-generation
// garbage that piles up until a full collection, plus a young generation that
// fills and empties at every scavenge. Deterministic for a given seed.

#include "types.h"

#include <QString>

#include <algorithm>
#include <cmath>
#include <vector>

namespace NodeScope::LeakEval {

struct SeriesSpec {
    QString name;
    bool leaks = false; // truth for the JavaScript heap
    bool nativeLeaks = false; // truth for rss - heapTotal - external
    int durationSec = 1200;
    int intervalMs = 100;

    // Live data, in MB: a base, an optional linear leak starting at
    // leakStartSec, an optional cache warm-up (exponential, time constant
    // warmupTauSec) and an optional linear fill that stops at fillSec.
    double floorMB = 40;
    double leakMBPerMin = 0;
    double leakStartSec = 0;
    double warmupMB = 0;
    double warmupTauSec = 60;
    double fillMB = 0;
    double fillSec = 0;

    // Garbage: promoted garbage ramps the old generation between full
    // collections (every majorPeriodSec, +-majorJitter as a fraction); the
    // young generation saws at the scavenge period.
    double garbageMBPerSec = 0.4;
    double majorPeriodSec = 30;
    double majorJitter = 0.3;
    double youngMBPerSec = 4;
    double minorPeriodSec = 1;
    double floorNoiseMB = 0.3; // live-set jitter seen after each full collection
    double burstMB = 0; // a temporary allocation freed at the next full collection
    double burstEverySec = 0; // mean time between bursts (Poisson)
    bool noCollections = false; // garbage never collected (a slow allocator between full GCs)

    double nativeMB = 30;
    double nativeLeakMBPerMin = 0;
    double nativeNoiseMB = 0.5;

    qint64 heapLimitBytes = 0; // for the out-of-memory truth; 0: none
    quint64 seed = 1;

    double liveMB(double t) const
    {
        double live = floorMB;
        if (t > leakStartSec)
            live += leakMBPerMin * (t - leakStartSec) / 60.0;
        if (warmupMB > 0)
            live += warmupMB * (1 - std::exp(-t / warmupTauSec));
        if (fillMB > 0 && fillSec > 0)
            live += fillMB * std::min(1.0, t / fillSec);
        return live;
    }

    // When the live data fills the old generation (heap limit less V8's
    // 48 MiB young generation): the process's death, in seconds; -1 if never
    // within the duration.
    double deathSec() const
    {
        if (heapLimitBytes <= 0)
            return -1;
        const double oldGenMB = double(heapLimitBytes) / (1024.0 * 1024.0) - 48;
        for (double t = 0; t <= durationSec; t += 0.1) {
            if (liveMB(t) >= oldGenMB)
                return t;
        }
        return -1;
    }
};

// splitmix64: tiny, and the same numbers on every standard library.
class SeriesRandom {
public:
    explicit SeriesRandom(quint64 seed)
        : m_state(seed)
    {
    }
    quint64 next()
    {
        quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double gaussian()
    {
        const double u1 = std::max(uniform(), 1e-12);
        const double u2 = uniform();
        return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    quint64 m_state;
};

inline std::vector<Sample> generateSeries(const SeriesSpec& spec, qint64 startWallMs = 1'700'000'000'000LL)
{
    constexpr double MB = 1024.0 * 1024.0;
    SeriesRandom rng(spec.seed);
    std::vector<Sample> out;
    const qint64 n = qint64(spec.durationSec) * 1000 / spec.intervalMs;
    out.reserve(size_t(n + 1));

    auto nextMajorAfter = [&](double t) {
        return t + spec.majorPeriodSec * (1 + spec.majorJitter * (2 * rng.uniform() - 1));
    };
    double lastMajor = 0;
    double nextMajor = nextMajorAfter(0);
    double lastMinor = 0;
    double floorJitter = spec.floorNoiseMB * rng.gaussian();
    double burst = 0;
    double nextBurst
        = spec.burstEverySec > 0 ? -spec.burstEverySec * std::log(std::max(rng.uniform(), 1e-9)) : 1e18;
    double heapTotalMB = 0;

    for (qint64 k = 0; k <= n; ++k) {
        // Timers in a busy process fire a little late; keep time monotonic.
        const double jitter = k == 0 ? 0 : 0.2 * spec.intervalMs * rng.uniform();
        const double tMs = double(k) * spec.intervalMs + jitter;
        const double t = tMs / 1000.0;
        while (!spec.noCollections && t >= nextMajor) {
            lastMajor = nextMajor;
            nextMajor = nextMajorAfter(lastMajor);
            floorJitter = spec.floorNoiseMB * rng.gaussian();
            burst = 0;
        }
        while (t >= nextBurst) {
            burst += spec.burstMB;
            nextBurst += -spec.burstEverySec * std::log(std::max(rng.uniform(), 1e-9));
        }
        if (t - lastMinor >= spec.minorPeriodSec)
            lastMinor += std::floor((t - lastMinor) / spec.minorPeriodSec) * spec.minorPeriodSec;

        const double young = spec.youngMBPerSec * (t - lastMinor);
        const double garbage = spec.garbageMBPerSec * (t - lastMajor) + burst;
        const double used = std::max(1.0, spec.liveMB(t) + floorJitter + garbage + young);
        // heapTotal follows the peaks and gives pages back slowly.
        heapTotalMB = std::max(heapTotalMB * 0.9995, std::ceil((used + 2) * 4) / 4);
        const double external = 1.5 + 0.05 * rng.gaussian();
        const double native
            = spec.nativeMB + spec.nativeLeakMBPerMin * t / 60.0 + spec.nativeNoiseMB * rng.gaussian();

        Sample s;
        s.elapsedMs = quint32(tMs);
        s.wallMs = startWallMs + qint64(tMs);
        s.heapUsedBytes = qint64(used * MB);
        s.heapTotalBytes = qint64(heapTotalMB * MB);
        s.externalBytes = qint64(external * MB);
        s.arrayBuffersBytes = qint64(0.1 * MB);
        s.rssBytes = qint64((heapTotalMB + external + std::max(0.0, native)) * MB);
        out.push_back(s);
    }
    return out;
}

// The generated scenarios of the evaluation and the unit tests.
inline std::vector<SeriesSpec> standardScenarios(int intervalMs)
{
    std::vector<SeriesSpec> all;
    auto add = [&](SeriesSpec s) {
        s.intervalMs = intervalMs;
        all.push_back(s);
    };
    SeriesSpec base;

    SeriesSpec s = base;
    s.name = QStringLiteral("sawtooth-flat");
    add(s);

    s = base;
    s.name = QStringLiteral("sawtooth-leak-0.5mb-min");
    s.leaks = true;
    s.leakMBPerMin = 0.5;
    s.durationSec = 1800;
    add(s);

    s = base;
    s.name = QStringLiteral("sawtooth-leak-2mb-min");
    s.leaks = true;
    s.leakMBPerMin = 2;
    add(s);

    // The goals of issue 13: about 1 MB/s (suspect within 60 s, leak
    // within 2 min) and about 1 MB/min (leak within 8 min).
    s = base;
    s.name = QStringLiteral("fast-leak-1mb-s");
    s.leaks = true;
    s.floorMB = 8;
    s.leakMBPerMin = 60;
    s.durationSec = 600;
    add(s);

    s = base;
    s.name = QStringLiteral("sawtooth-leak-1mb-min");
    s.leaks = true;
    s.leakMBPerMin = 1;
    add(s);

    s = base;
    s.name = QStringLiteral("late-leak-2mb-min");
    s.leaks = true;
    s.leakMBPerMin = 2;
    s.leakStartSec = 600;
    s.durationSec = 1500;
    add(s);

    s = base;
    s.name = QStringLiteral("cache-warmup-plateau");
    s.warmupMB = 60;
    s.warmupTauSec = 60;
    add(s);

    // Like bench/leakeval's node-cache-slow-warmup: random keys at a steady
    // rate fill the cache with a time constant of keys / rate, 150 s there.
    s = base;
    s.name = QStringLiteral("cache-slow-warmup");
    s.warmupMB = 60;
    s.warmupTauSec = 150;
    add(s);

    s = base;
    s.name = QStringLiteral("cache-linear-fill-2min");
    s.fillMB = 30;
    s.fillSec = 120;
    add(s);

    s = base;
    s.name = QStringLiteral("heavy-noise");
    s.floorNoiseMB = 3;
    s.majorJitter = 0.7;
    s.youngMBPerSec = 12;
    s.burstMB = 25;
    s.burstEverySec = 40;
    s.nativeNoiseMB = 3;
    add(s);

    s = base;
    s.name = QStringLiteral("heavy-noise-leak-3mb-min");
    s.leaks = true;
    s.leakMBPerMin = 3;
    s.floorNoiseMB = 3;
    s.majorJitter = 0.7;
    s.youngMBPerSec = 12;
    s.burstMB = 25;
    s.burstEverySec = 40;
    s.nativeNoiseMB = 3;
    add(s);

    s = base;
    s.name = QStringLiteral("frequent-gcs");
    s.majorPeriodSec = 2;
    s.minorPeriodSec = 0.2;
    s.garbageMBPerSec = 5;
    add(s);

    s = base;
    s.name = QStringLiteral("frequent-gcs-leak-1mb-min");
    s.leaks = true;
    s.leakMBPerMin = 1;
    s.majorPeriodSec = 2;
    s.minorPeriodSec = 0.2;
    s.garbageMBPerSec = 5;
    add(s);

    s = base;
    s.name = QStringLiteral("rare-gcs");
    s.majorPeriodSec = 150;
    s.garbageMBPerSec = 0.1;
    add(s);

    s = base;
    s.name = QStringLiteral("native-leak-2mb-min");
    s.nativeLeaks = true;
    s.nativeLeakMBPerMin = 2;
    add(s);

    s = base;
    s.name = QStringLiteral("oom-6mb-min-512mb");
    s.leaks = true;
    s.leakMBPerMin = 6;
    s.heapLimitBytes = 512LL * 1024 * 1024;
    s.durationSec = 4500;
    add(s);

    return all;
}

// A script that only churns, watched through NodeScope's probe at 100 ms,
// as tests/integration/scripts/churn.js runs on Node 22: every 50 ms it
// allocates 4.5 MB it drops at once, and every third time a scavenge empties
// the young generation, so readings see lows, highs and the step between.
// Old-generation garbage (the entries of the probe's collection observer)
// lifts the lows by 2.3 MB/min until a full collection frees it, every
// collectEverySec if that is above 0.
inline std::vector<Sample> churnSampledFinely(int seconds, int collectEverySec = 0)
{
    constexpr double kLiveMB = 3.7;
    constexpr double kTickSec = 0.05;
    constexpr double kTickMB = 4.5;
    constexpr double kGarbageMBPerSec = 2.3 / 60;
    constexpr qint64 kMB = 1024 * 1024;
    std::vector<Sample> samples;
    quint32 elapsedMs = 0;
    quint64 jitter = 7;
    while (elapsedMs <= quint32(seconds) * 1000) {
        const double t = elapsedMs / 1000.0;
        const double garbageSince
            = collectEverySec > 0 ? double(qint64(t) / collectEverySec * collectEverySec) : 0;
        const double young = kTickMB * double(qint64(t / kTickSec) % 3);
        Sample s;
        s.elapsedMs = elapsedMs;
        s.wallMs = 1'700'000'000'000LL + elapsedMs;
        s.heapUsedBytes = qint64((kLiveMB + kGarbageMBPerSec * (t - garbageSince) + young) * double(kMB));
        s.heapTotalBytes = 40 * kMB;
        s.externalBytes = 2 * kMB;
        s.rssBytes = 90 * kMB;
        samples.push_back(s);
        // Readings run on their own timer, a little late at times.
        jitter = jitter * 6364136223846793005ULL + 1442695040888963407ULL;
        elapsedMs += 98 + quint32((jitter >> 33) % 5);
    }
    return samples;
}

} // namespace NodeScope::LeakEval

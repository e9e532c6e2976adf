#pragma once

// rss, CPU and threads of any process from /proc, for any process.
//
// CPU is time on CPU since the previous sample over the monotonic time between
// them (100 % = one core). utime/stime in /proc/PID/stat count whole clock
// ticks (10 ms), which at 10 Hz would quantise CPU to steps of 10 points, so
// the total comes from the process's CPU-time clock (clock_getcpuclockid:
// every thread's run time in nanoseconds, dead threads' included, in one
// system call) and only the user/system split from the tick counters. Where
// that clock cannot be read, the tick counters are used alone.

#include <QElapsedTimer>
#include <QString>

#include <optional>

#include <time.h>

namespace NodeScope {

struct OsReading {
    qint64 rssBytes = 0;
    int threads = 0;
    // NaN on the first reading: a rate needs two.
    double cpuUserPercent = 0;
    double cpuSystemPercent = 0;
};

class OsSampler {
public:
    explicit OsSampler(qint64 pid = 0);

    // Remembers the process's start time so a reused PID is noticed.
    // Returns false (and why) when the process does not exist.
    bool start(QString* whyNot = nullptr);

    // nullopt once the process has exited or its PID was reused; see lastError().
    std::optional<OsReading> sample();

    qint64 pid() const { return m_pid; }
    QString lastError() const { return m_lastError; }

private:
    // The process's CPU time in ns, or -1 when its clock cannot be read.
    qint64 cpuTimeNs() const;

    qint64 m_pid = 0;
    clockid_t m_cpuClock = 0;
    bool m_cpuClockAvailable = false;
    qint64 m_previousCpuNs = -1;
    double m_userShare = 1.0; // last known user share of CPU time
    quint64 m_startTimeTicks = 0;
    bool m_started = false;
    bool m_havePrevious = false;
    quint64 m_previousUtime = 0;
    quint64 m_previousStime = 0;
    QElapsedTimer m_clock;
    qint64 m_previousNs = 0;
    QString m_lastError;
};

} // namespace NodeScope

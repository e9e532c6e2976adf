#include "proc/ossampler.h"

#include "proc/procfs.h"

#include <cmath>
#include <limits>

#include <unistd.h>

namespace NodeScope {

namespace {
const long kTicksPerSecond = sysconf(_SC_CLK_TCK);
const long kPageSize = sysconf(_SC_PAGESIZE);
} // namespace

OsSampler::OsSampler(qint64 pid)
    : m_pid(pid)
{
}

bool OsSampler::start(QString* whyNot)
{
    const auto stat = Procfs::parseStat(Procfs::readFile(QStringLiteral("/proc/%1/stat").arg(m_pid)));
    if (!stat || stat->state == 'Z' || stat->state == 'X') {
        m_lastError = stat ? QStringLiteral("PID %1 has exited").arg(m_pid)
                           : QStringLiteral("PID %1 does not exist").arg(m_pid);
        if (whyNot)
            *whyNot = m_lastError;
        return false;
    }
    m_startTimeTicks = stat->startTimeTicks;
    m_started = true;
    m_havePrevious = false;
    m_cpuClockAvailable = clock_getcpuclockid(pid_t(m_pid), &m_cpuClock) == 0;
    m_previousCpuNs = cpuTimeNs();
    m_clock.start();
    return true;
}

qint64 OsSampler::cpuTimeNs() const
{
    timespec time{};
    if (!m_cpuClockAvailable || clock_gettime(m_cpuClock, &time) != 0)
        return -1;
    return qint64(time.tv_sec) * 1000000000 + qint64(time.tv_nsec);
}

std::optional<OsReading> OsSampler::sample()
{
    if (!m_started)
        return std::nullopt;
    const auto stat = Procfs::parseStat(Procfs::readFile(QStringLiteral("/proc/%1/stat").arg(m_pid)));
    const qint64 nowNs = m_clock.nsecsElapsed();
    if (!stat || stat->state == 'Z' || stat->state == 'X') {
        m_lastError = QStringLiteral("PID %1 exited").arg(m_pid);
        m_started = false;
        return std::nullopt;
    }
    if (stat->startTimeTicks != m_startTimeTicks) {
        m_lastError = QStringLiteral("PID %1 exited (the PID now belongs to another process)").arg(m_pid);
        m_started = false;
        return std::nullopt;
    }

    OsReading reading;
    reading.rssBytes = stat->rssPages * kPageSize;
    reading.threads = stat->numThreads;
    reading.cpuUserPercent = std::numeric_limits<double>::quiet_NaN();
    reading.cpuSystemPercent = std::numeric_limits<double>::quiet_NaN();
    const qint64 cpuNs = cpuTimeNs();
    const qint64 runDeltaNs
        = cpuNs >= 0 && m_previousCpuNs >= 0 ? qMax<qint64>(0, cpuNs - m_previousCpuNs) : -1;
    m_previousCpuNs = cpuNs;
    if (m_havePrevious && nowNs > m_previousNs) {
        const double seconds = double(nowNs - m_previousNs) / 1e9;
        const double userTicks
            = stat->utimeTicks >= m_previousUtime ? double(stat->utimeTicks - m_previousUtime) : 0;
        const double systemTicks
            = stat->stimeTicks >= m_previousStime ? double(stat->stimeTicks - m_previousStime) : 0;
        if (runDeltaNs >= 0) {
            if (userTicks + systemTicks > 0)
                m_userShare = userTicks / (userTicks + systemTicks);
            const double total = 100.0 * double(runDeltaNs) / 1e9 / seconds;
            reading.cpuUserPercent = total * m_userShare;
            reading.cpuSystemPercent = total * (1.0 - m_userShare);
        } else {
            reading.cpuUserPercent = 100.0 * userTicks / double(kTicksPerSecond) / seconds;
            reading.cpuSystemPercent = 100.0 * systemTicks / double(kTicksPerSecond) / seconds;
        }
    }
    m_previousUtime = stat->utimeTicks;
    m_previousStime = stat->stimeTicks;
    m_previousNs = nowNs;
    m_havePrevious = true;
    return reading;
}

} // namespace NodeScope

#include "proc/ossampler.h"

#include "proc/procfs.h"

#include <QHash>

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
    m_threadRunNs.clear();
    m_schedstatAvailable = true;
    m_clock.start();
    return true;
}

qint64 OsSampler::threadRunTimeDeltaNs()
{
    if (!m_schedstatAvailable)
        return -1;
    const QString taskDir = QStringLiteral("/proc/%1/task/").arg(m_pid);
    const QList<qint64> tids = Procfs::numericEntries(taskDir);
    QHash<qint64, quint64> now;
    now.reserve(tids.size());
    qint64 delta = 0;
    for (const qint64 id : tids) {
        const QByteArray bytes
            = Procfs::readFile(taskDir + QString::number(id) + QLatin1String("/schedstat"));
        bool ok = false;
        const quint64 runNs = bytes.left(bytes.indexOf(' ')).toULongLong(&ok);
        if (!ok)
            continue;
        now.insert(id, runNs);
        // A thread born since the last sample ran all of its time within it
        // (or nearly so); one that died takes its last slice with it.
        const quint64 before = m_threadRunNs.value(id, m_havePrevious ? 0 : runNs);
        if (runNs >= before)
            delta += qint64(runNs - before);
    }
    if (now.isEmpty()) {
        m_schedstatAvailable = false; // kernel without schedstat: ticks only
        return -1;
    }
    m_threadRunNs = std::move(now);
    return delta;
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
    const qint64 runDeltaNs = threadRunTimeDeltaNs();
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

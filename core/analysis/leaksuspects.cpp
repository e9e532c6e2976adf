#include "analysis/leaksuspects.h"

#include "format.h"

#include <QHashFunctions>

#include <algorithm>
#include <iterator>
#include <utility>

namespace NodeScope {

QString LeakSuspects::costNote()
{
    // bench/suspects/profiler-cost.js, 6 paired runs on the 2-core VM.
    return QStringLiteral(
        "V8's sampling heap profiler runs in the process while it looks for suspects (a sample per 64 KB "
        "allocated, read every 5 s). Measured: ~5 us of CPU a sample, about 1 % of a core for an app that "
        "allocates 150 MB/s; +30 % CPU for a benchmark that does nothing but allocate");
}

void LeakSuspects::reset()
{
    m_times.clear();
    m_sites.clear();
}

size_t LeakSuspects::keyOf(const QList<SourceFrame>& stack)
{
    // A 64-bit hash of the frames, not the text of them: a big app has tens
    // of thousands of sites with stacks dozens of frames deep.
    size_t key = 0;
    for (const SourceFrame& frame : stack)
        key = qHashMulti(key, frame.function, frame.url, frame.line, frame.column);
    return key;
}

bool LeakSuspects::isAppFrame(const SourceFrame& frame)
{
    // Not V8's own entries ("(V8 API)", "(GC)"), node:internal or node_modules.
    return frame.origin() == CodeOrigin::App;
}

void LeakSuspects::addProfile(const AllocationProfile& profile)
{
    if (!m_times.isEmpty() && profile.wallMs <= m_times.last())
        return; // not after the last reading: a clock step or a repeat
    if (m_times.size() >= kWindowReadings) {
        m_times.removeFirst();
        for (auto it = m_sites.begin(); it != m_sites.end();) {
            it->liveBytes.removeFirst();
            const bool empty = std::all_of(
                it->liveBytes.cbegin(), it->liveBytes.cend(), [](qint64 bytes) { return bytes == 0; });
            it = empty ? m_sites.erase(it) : std::next(it);
        }
    }
    m_times.append(profile.wallMs);
    const qsizetype index = m_times.size() - 1;
    for (const AllocationSite& site : profile.sites) {
        SiteHistory& history = m_sites[keyOf(site.stack)];
        if (history.stack.isEmpty())
            history.stack = site.stack;
        history.liveBytes.resize(index + 1, 0);
        history.liveBytes[index] += site.liveBytes;
    }
    // Sites with nothing alive in this reading.
    for (SiteHistory& history : m_sites)
        history.liveBytes.resize(index + 1, 0);
}

double LeakSuspects::slopePerMs(const QList<qint64>& liveBytes, qsizetype from) const
{
    const qsizetype n = m_times.size();
    if (n - from < 2)
        return 0;
    const double count = double(n - from);
    double meanT = 0;
    double meanY = 0;
    for (qsizetype i = from; i < n; ++i) {
        meanT += double(m_times[i] - m_times.first());
        meanY += double(liveBytes[i]);
    }
    meanT /= count;
    meanY /= count;
    double covariance = 0;
    double variance = 0;
    for (qsizetype i = from; i < n; ++i) {
        const double dt = double(m_times[i] - m_times.first()) - meanT;
        covariance += dt * (double(liveBytes[i]) - meanY);
        variance += dt * dt;
    }
    return variance > 0 ? covariance / variance : 0;
}

QList<LeakSuspect> LeakSuspects::ranked(int limit) const
{
    if (!isReady())
        return {};
    struct Group {
        LeakSuspect suspect;
        double fastestSite = 0;
    };
    QHash<size_t, Group> groups;
    // The newer half, when it holds a ranking's worth of readings.
    const qsizetype recentFrom = readings() >= 2 * kMinReadings ? readings() / 2 : 0;
    for (const SiteHistory& history : m_sites) {
        const auto appFrame = std::find_if(history.stack.cbegin(), history.stack.cend(), isAppFrame);
        const bool inApp = appFrame != history.stack.cend();
        const SourceFrame& frame = inApp ? *appFrame : history.stack.constFirst();
        Group& group = groups[keyOf({frame})];
        const double slope = slopePerMs(history.liveBytes) * 60000.0;
        const double recentSlope
            = recentFrom > 0 ? slopePerMs(history.liveBytes, recentFrom) * 60000.0 : slope;
        if (group.suspect.sites == 0) {
            group.suspect.frame = frame;
            group.suspect.inAppCode = inApp;
            group.suspect.stack = history.stack;
            group.fastestSite = slope;
        } else if (slope > group.fastestSite) {
            group.suspect.stack = history.stack;
            group.fastestSite = slope;
        }
        ++group.suspect.sites;
        group.suspect.bytesPerMin += slope;
        group.suspect.recentBytesPerMin += recentSlope;
        group.suspect.liveBytes += history.liveBytes.constLast();
    }
    QList<LeakSuspect> growing;
    double totalGrowth = 0;
    for (const Group& group : std::as_const(groups)) {
        if (group.suspect.bytesPerMin > 0) {
            growing.append(group.suspect);
            totalGrowth += group.suspect.bytesPerMin;
        }
    }
    std::sort(growing.begin(), growing.end(),
        [](const LeakSuspect& a, const LeakSuspect& b) { return a.bytesPerMin > b.bytesPerMin; });
    if (growing.size() > limit)
        growing.resize(limit);
    for (LeakSuspect& suspect : growing)
        suspect.share = suspect.bytesPerMin / totalGrowth;
    return growing;
}

QString LeakSuspects::growthWording() const
{
    if (!isReady())
        return {};
    const QString span = Format::roughDuration(double(spanMs()) / 1000);
    const QList<LeakSuspect> top = ranked(1);
    if (top.isEmpty())
        return QStringLiteral("allocation sites flat over the last %1").arg(span);
    const LeakSuspect& first = top.first();
    const QString name = Format::printable(first.frame.function);
    if (readings() < 2 * kMinReadings)
        return QStringLiteral("top allocation site %1 growing %2")
            .arg(name, Format::bytesPerMinute(first.bytesPerMin));
    // Half the pace the whole span had: what a cache that is filling up
    // comes to once it is nearly full, and a leak never does.
    if (first.recentBytesPerMin >= 0.5 * first.bytesPerMin)
        return QStringLiteral("top allocation site %1 still growing %2")
            .arg(name, Format::bytesPerMinute(first.recentBytesPerMin));
    const QString lately = first.recentBytesPerMin > 0
        ? QStringLiteral("%1 lately").arg(Format::bytesPerMinute(first.recentBytesPerMin))
        : QStringLiteral("flat lately");
    return QStringLiteral("allocation sites flattening: %1 grew %2 over the last %3, %4")
        .arg(name, Format::bytesPerMinute(first.bytesPerMin), span, lately);
}

} // namespace NodeScope

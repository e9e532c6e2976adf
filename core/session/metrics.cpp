#include "session/metrics.h"

#include "format.h"

#include <cmath>
#include <limits>

namespace NodeScope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr double bytes(qint64 value)
{
    return value == Sample::kMissingBytes ? kNaN : double(value);
}

qint64 toBytes(double value)
{
    return std::isnan(value) || value < 0 ? Sample::kMissingBytes : qint64(value);
}

float toPercent(double value)
{
    return float(value);
}

double floatValue(float value)
{
    return double(value); // NaN stays NaN: not sampled
}

// CPU figures count only as a pair: the total is their sum.
double cpu(const Sample& sample, double part)
{
    return sample.hasCpu() ? part : kNaN;
}

constexpr std::array<MetricInfo, Metrics::kCount> kTable{{
    {Metric::Rss, QLatin1String("rss"), QLatin1String("rss"), QLatin1String("rss_bytes"), MetricUnit::Bytes,
        ChartGroup::Memory, 0x8e44ad,
        QLatin1String("Resident set size: all memory of the process that is in RAM (from /proc)"),
        [](const Sample& s, const RuntimeSample&) { return bytes(s.rssBytes); },
        [](Sample& s, RuntimeSample&, double v) { s.rssBytes = toBytes(v); }},
    {Metric::HeapTotal, QLatin1String("heapTotal"), QLatin1String("heapTotal"),
        QLatin1String("heap_total_bytes"), MetricUnit::Bytes, ChartGroup::Memory, 0x2980b9,
        QLatin1String("Memory V8 has reserved for the JavaScript heap"),
        [](const Sample& s, const RuntimeSample&) { return bytes(s.heapTotalBytes); },
        [](Sample& s, RuntimeSample&, double v) { s.heapTotalBytes = toBytes(v); }},
    {Metric::HeapUsed, QLatin1String("heapUsed"), QLatin1String("heapUsed"), QLatin1String("heap_used_bytes"),
        MetricUnit::Bytes, ChartGroup::Memory, 0x16a085,
        QLatin1String("JavaScript heap in use, garbage not yet collected included"),
        [](const Sample& s, const RuntimeSample&) { return bytes(s.heapUsedBytes); },
        [](Sample& s, RuntimeSample&, double v) { s.heapUsedBytes = toBytes(v); }},
    {Metric::External, QLatin1String("external"), QLatin1String("external"), QLatin1String("external_bytes"),
        MetricUnit::Bytes, ChartGroup::Memory, 0xe67e22,
        QLatin1String("C++ objects bound to JavaScript objects (Buffers among them)"),
        [](const Sample& s, const RuntimeSample&) { return bytes(s.externalBytes); },
        [](Sample& s, RuntimeSample&, double v) { s.externalBytes = toBytes(v); }},
    {Metric::ArrayBuffers, QLatin1String("arrayBuffers"), QLatin1String("arrayBuffers"),
        QLatin1String("array_buffers_bytes"), MetricUnit::Bytes, ChartGroup::Memory, 0xb08d1a,
        QLatin1String("ArrayBuffers and SharedArrayBuffers, Buffers included (part of external)"),
        [](const Sample& s, const RuntimeSample&) { return bytes(s.arrayBuffersBytes); },
        [](Sample& s, RuntimeSample&, double v) { s.arrayBuffersBytes = toBytes(v); }},
    // The total is derived from its parts: reading it back stores nothing.
    {Metric::Cpu, QLatin1String("cpu"), QLatin1String("CPU total"), QLatin1String("cpu_percent"),
        MetricUnit::Percent, ChartGroup::Cpu, 0xc0392b,
        QLatin1String("CPU time of all threads, in percent of one core"),
        [](const Sample& s, const RuntimeSample&) { return cpu(s, s.cpuPercent()); },
        [](Sample&, RuntimeSample&, double) {}},
    {Metric::CpuUser, QLatin1String("cpuUser"), QLatin1String("CPU user"), QLatin1String("cpu_user_percent"),
        MetricUnit::Percent, ChartGroup::Cpu, 0xe67e22,
        QLatin1String("CPU time in user space, in percent of one core"),
        [](const Sample& s, const RuntimeSample&) { return cpu(s, double(s.cpuUserPercent)); },
        [](Sample& s, RuntimeSample&, double v) { s.cpuUserPercent = toPercent(v); }, true},
    {Metric::CpuSystem, QLatin1String("cpuSystem"), QLatin1String("CPU system"),
        QLatin1String("cpu_system_percent"), MetricUnit::Percent, ChartGroup::Cpu, 0x7f8c8d,
        QLatin1String("CPU time in the kernel, in percent of one core"),
        [](const Sample& s, const RuntimeSample&) { return cpu(s, double(s.cpuSystemPercent)); },
        [](Sample& s, RuntimeSample&, double v) { s.cpuSystemPercent = toPercent(v); }, true},
    {Metric::Threads, QLatin1String("threads"), QLatin1String("threads"), QLatin1String("threads"),
        MetricUnit::Count, ChartGroup::None, 0x7f8c8d,
        QLatin1String("Operating-system threads of the process"),
        [](const Sample& s, const RuntimeSample&) { return s.threads > 0 ? double(s.threads) : kNaN; },
        [](Sample& s, RuntimeSample&, double v) { s.threads = quint16(qBound(0.0, v, 65535.0)); }},
    {Metric::EventLoopUtilization, QLatin1String("elu"), QLatin1String("loop busy"), QLatin1String("elu"),
        MetricUnit::Ratio, ChartGroup::EventLoop, 0x2c3e50,
        QLatin1String("Event-loop utilisation: the share of the interval the loop was busy running code "
                      "(performance.eventLoopUtilization)"),
        [](const Sample&, const RuntimeSample& r) { return floatValue(r.elu); },
        [](Sample&, RuntimeSample& r, double v) { r.elu = float(v); }},
    {Metric::LoopDelayP50, QLatin1String("loopDelayP50"), QLatin1String("delay p50"),
        QLatin1String("loop_delay_p50_ms"), MetricUnit::Milliseconds, ChartGroup::EventLoop, 0x95a5a6,
        QLatin1String(
            "Median event-loop delay over the interval: how late a timer ran (monitorEventLoopDelay, "
            "beyond its 10 ms resolution)"),
        [](const Sample&, const RuntimeSample& r) { return floatValue(r.loopDelayP50Ms); },
        [](Sample&, RuntimeSample& r, double v) { r.loopDelayP50Ms = float(v); }},
    {Metric::LoopDelayP99, QLatin1String("loopDelayP99"), QLatin1String("delay p99"),
        QLatin1String("loop_delay_p99_ms"), MetricUnit::Milliseconds, ChartGroup::EventLoop, 0xd35400,
        QLatin1String("99th percentile of the event-loop delay over the interval"),
        [](const Sample&, const RuntimeSample& r) { return floatValue(r.loopDelayP99Ms); },
        [](Sample&, RuntimeSample& r, double v) { r.loopDelayP99Ms = float(v); }},
    {Metric::LoopDelayMax, QLatin1String("loopDelayMax"), QLatin1String("delay max"),
        QLatin1String("loop_delay_max_ms"), MetricUnit::Milliseconds, ChartGroup::EventLoop, 0xc0392b,
        QLatin1String("Longest event-loop delay in the interval: a blocked loop shows here"),
        [](const Sample&, const RuntimeSample& r) { return floatValue(r.loopDelayMaxMs); },
        [](Sample&, RuntimeSample& r, double v) { r.loopDelayMaxMs = float(v); }},
    {Metric::GcCount, QLatin1String("gcCount"), QLatin1String("collections"), QLatin1String("gc_count"),
        MetricUnit::Count, ChartGroup::None, 0x7f8c8d,
        QLatin1String("Garbage collections in the interval, every kind"),
        [](const Sample&, const RuntimeSample& r) { return r.gcCount >= 0 ? double(r.gcCount) : kNaN; },
        [](Sample&, RuntimeSample& r, double v) { r.gcCount = qint32(qBound(0.0, v, 2.0e9)); }},
    {Metric::GcPause, QLatin1String("gcPause"), QLatin1String("GC pause"), QLatin1String("gc_pause_ms"),
        MetricUnit::Milliseconds, ChartGroup::None, 0x7f8c8d,
        QLatin1String("Total pause of the interval's garbage collections"),
        [](const Sample&, const RuntimeSample& r) { return floatValue(r.gcPauseMs); },
        [](Sample&, RuntimeSample& r, double v) { r.gcPauseMs = float(v); }},
    {Metric::ActiveResources, QLatin1String("activeResources"), QLatin1String("active resources"),
        QLatin1String("active_resources"), MetricUnit::Count, ChartGroup::Resources, 0x8e44ad,
        QLatin1String("Handles and requests keeping the event loop alive (process.getActiveResourcesInfo): "
                      "a steady rise is a handle leak's signature"),
        [](const Sample&, const RuntimeSample& r) {
            return r.activeResources >= 0 ? double(r.activeResources) : kNaN;
        },
        [](Sample&, RuntimeSample& r, double v) { r.activeResources = qint32(qBound(0.0, v, 2.0e9)); }},
}};

} // namespace

const std::array<MetricInfo, Metrics::kCount>& Metrics::all()
{
    return kTable;
}

std::optional<Metric> Metrics::fromKey(QLatin1String key)
{
    for (const MetricInfo& info : kTable) {
        if (info.key == key)
            return info.id;
    }
    return std::nullopt;
}

std::optional<Metric> Metrics::fromKey(const QString& key)
{
    for (const MetricInfo& info : kTable) {
        if (key == info.key)
            return info.id;
    }
    return std::nullopt;
}

QList<Metric> Metrics::inChart(ChartGroup group)
{
    QList<Metric> metrics;
    for (const MetricInfo& info : kTable) {
        if (info.chart == group)
            metrics.append(info.id);
    }
    return metrics;
}

QString Metrics::format(Metric metric, double value)
{
    if (std::isnan(value))
        return QStringLiteral("–");
    switch (info(metric).unit) {
    case MetricUnit::Bytes:
        return Format::bytes(value);
    case MetricUnit::Percent:
        return Format::percent(value);
    case MetricUnit::Ratio:
        return Format::percent(100.0 * value);
    case MetricUnit::Milliseconds:
        return Format::milliseconds(value);
    case MetricUnit::Count:
        break;
    }
    return QString::number(qint64(value));
}

QList<Metric> Metrics::listed()
{
    QList<Metric> metrics;
    for (const MetricInfo& info : kTable) {
        if (info.chart != ChartGroup::None || info.id == Metric::GcCount || info.id == Metric::GcPause)
            metrics.append(info.id);
    }
    return metrics;
}

// info() indexes the table by the enum: every metric has its row, in order.
constexpr bool rowsInEnumOrder()
{
    for (int i = 0; i < Metrics::kCount; ++i) {
        if (int(kTable[std::size_t(i)].id) != i)
            return false;
    }
    return true;
}
static_assert(rowsInEnumOrder(), "metric rows must follow the Metric enum");
static_assert(kTable.size() == std::size_t(Metric::Count), "every metric has a row");

} // namespace NodeScope

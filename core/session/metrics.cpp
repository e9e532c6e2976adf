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

// CPU figures count only as a pair: the total is their sum.
double cpu(const Sample& sample, double part)
{
    return sample.hasCpu() ? part : kNaN;
}

constexpr std::array<MetricInfo, Metrics::kCount> kTable{{
    {Metric::Rss, QLatin1String("rss"), QLatin1String("rss"), QLatin1String("rss_bytes"), MetricUnit::Bytes,
        ChartGroup::Memory, 0x8e44ad,
        QLatin1String("Resident set size: all memory of the process that is in RAM (from /proc)"),
        [](const Sample& s) { return bytes(s.rssBytes); },
        [](Sample& s, double v) { s.rssBytes = toBytes(v); }},
    {Metric::HeapTotal, QLatin1String("heapTotal"), QLatin1String("heapTotal"),
        QLatin1String("heap_total_bytes"), MetricUnit::Bytes, ChartGroup::Memory, 0x2980b9,
        QLatin1String("Memory V8 has reserved for the JavaScript heap"),
        [](const Sample& s) { return bytes(s.heapTotalBytes); },
        [](Sample& s, double v) { s.heapTotalBytes = toBytes(v); }},
    {Metric::HeapUsed, QLatin1String("heapUsed"), QLatin1String("heapUsed"), QLatin1String("heap_used_bytes"),
        MetricUnit::Bytes, ChartGroup::Memory, 0x16a085,
        QLatin1String("JavaScript heap in use, garbage not yet collected included"),
        [](const Sample& s) { return bytes(s.heapUsedBytes); },
        [](Sample& s, double v) { s.heapUsedBytes = toBytes(v); }},
    {Metric::External, QLatin1String("external"), QLatin1String("external"), QLatin1String("external_bytes"),
        MetricUnit::Bytes, ChartGroup::Memory, 0xe67e22,
        QLatin1String("C++ objects bound to JavaScript objects (Buffers among them)"),
        [](const Sample& s) { return bytes(s.externalBytes); },
        [](Sample& s, double v) { s.externalBytes = toBytes(v); }},
    {Metric::ArrayBuffers, QLatin1String("arrayBuffers"), QLatin1String("arrayBuffers"),
        QLatin1String("array_buffers_bytes"), MetricUnit::Bytes, ChartGroup::Memory, 0xb08d1a,
        QLatin1String("ArrayBuffers and SharedArrayBuffers, Buffers included (part of external)"),
        [](const Sample& s) { return bytes(s.arrayBuffersBytes); },
        [](Sample& s, double v) { s.arrayBuffersBytes = toBytes(v); }},
    // The total is derived from its parts: reading it back stores nothing.
    {Metric::Cpu, QLatin1String("cpu"), QLatin1String("CPU total"), QLatin1String("cpu_percent"),
        MetricUnit::Percent, ChartGroup::Cpu, 0xc0392b,
        QLatin1String("CPU time of all threads, in percent of one core"),
        [](const Sample& s) { return cpu(s, s.cpuPercent()); }, [](Sample&, double) {}},
    {Metric::CpuUser, QLatin1String("cpuUser"), QLatin1String("CPU user"), QLatin1String("cpu_user_percent"),
        MetricUnit::Percent, ChartGroup::Cpu, 0xe67e22,
        QLatin1String("CPU time in user space, in percent of one core"),
        [](const Sample& s) { return cpu(s, double(s.cpuUserPercent)); },
        [](Sample& s, double v) { s.cpuUserPercent = toPercent(v); }, true},
    {Metric::CpuSystem, QLatin1String("cpuSystem"), QLatin1String("CPU system"),
        QLatin1String("cpu_system_percent"), MetricUnit::Percent, ChartGroup::Cpu, 0x7f8c8d,
        QLatin1String("CPU time in the kernel, in percent of one core"),
        [](const Sample& s) { return cpu(s, double(s.cpuSystemPercent)); },
        [](Sample& s, double v) { s.cpuSystemPercent = toPercent(v); }, true},
    {Metric::Threads, QLatin1String("threads"), QLatin1String("threads"), QLatin1String("threads"),
        MetricUnit::Count, ChartGroup::None, 0x7f8c8d,
        QLatin1String("Operating-system threads of the process"),
        [](const Sample& s) { return s.threads > 0 ? double(s.threads) : kNaN; },
        [](Sample& s, double v) { s.threads = quint16(qBound(0.0, v, 65535.0)); }},
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
    case MetricUnit::Count:
        break;
    }
    return QString::number(qint64(value));
}

QList<Metric> Metrics::listed()
{
    QList<Metric> metrics;
    for (const MetricInfo& info : kTable) {
        if (info.chart != ChartGroup::None)
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

} // namespace NodeScope

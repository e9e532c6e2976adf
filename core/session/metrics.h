#pragma once

// The one table of metrics. Each row says everything the rest of the program
// needs to know about a metric: the stable key that settings use (never
// shown, never renamed), the name users read, its unit, its CSV column, the
// chart it is drawn on, its colour, and how to read it from a sample. The CSV
// columns, the store's indexes, the chart series and legends, the live
// figures and the settings keys all come from here, so a new metric is one
// row plus the code that samples it.

#include "types.h"

#include <QLatin1String>
#include <QList>

#include <array>
#include <optional>

namespace NodeScope {

enum class MetricUnit {
    Bytes, // integer bytes
    Percent, // percent of one CPU core
    Ratio, // 0..1, shown as a percentage
    Milliseconds, // a duration
    Count, // a plain integer
};

// Where a metric is drawn; None for figures that are only listed and exported.
enum class ChartGroup { None, Memory, Cpu, EventLoop, Resources };

struct MetricInfo {
    Metric id;
    QLatin1String key; // settings and code: stable, never shown
    QLatin1String displayName; // what users read in legends and tables
    QLatin1String csvColumn; // the DESIGN.md CSV column
    MetricUnit unit;
    ChartGroup chart;
    unsigned int rgb; // 0xRRGGBB, the series colour
    QLatin1String description; // a tooltip
    // The value in a sample and its runtime figures, NaN when not sampled.
    double (*read)(const Sample& sample, const RuntimeSample& runtime);
    // Stores a value read back from a CSV cell (already checked to parse).
    void (*write)(Sample& sample, RuntimeSample& runtime, double value);
    // Drawn paler under the others: a part of a total shown beside it.
    bool isPartOfTotal = false;
};

class Metrics {
public:
    static constexpr int kCount = int(Metric::Count);

    // Every metric in CSV order.
    static const std::array<MetricInfo, kCount>& all();
    static const MetricInfo& info(Metric metric) { return all()[std::size_t(metric)]; }
    static std::optional<Metric> fromKey(QLatin1String key);
    static std::optional<Metric> fromKey(const QString& key);
    // The metrics drawn on a chart, in legend order.
    static QList<Metric> inChart(ChartGroup group);
    // A value as people read it, in the metric's unit ("12.3 MB", "4.5 %");
    // "–" when not sampled.
    static QString format(Metric metric, double value);
    // The metrics listed in the live figures: the charted ones and the
    // runtime counts (collections, their pause).
    static QList<Metric> listed();
    // Figures only the probe gives (event loop, collections, resources).
    static bool isRuntime(Metric metric) { return metric >= Metric::EventLoopUtilization; }
};

} // namespace NodeScope

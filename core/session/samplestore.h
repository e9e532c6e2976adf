#pragma once

// A session made ready for drawing: the samples plus, per metric, a min/max
// pyramid and running statistics, all updated as samples are appended. The
// charts ask it for decimated points: at most two per pixel column (that
// column's min and max, at their own times), so peaks survive and a redraw
// costs the same however long the session is.

#include "analysis/metricstatistics.h"
#include "session/metrics.h"
#include "session/minmaxpyramid.h"
#include "session/session.h"

#include <QList>
#include <QPointF>

#include <array>
#include <memory>

namespace NodeScope {

class SampleStore {
public:
    SampleStore();
    explicit SampleStore(Session session);
    // The pyramids read samples through this object.
    SampleStore(const SampleStore&) = delete;
    SampleStore& operator=(const SampleStore&) = delete;

    // False (and nothing kept) for a sample older than the last one.
    bool append(const Sample& sample, const RuntimeSample& runtime = {});
    void reset(Session session = {});

    const Session& session() const { return m_session; }
    Session& session() { return m_session; }
    qsizetype size() const { return m_session.size(); }

    // The value of a metric in a sample (its table row's reading), NaN when missing.
    double value(qsizetype index, Metric metric) const;

    // Points (x = wall ms, y = value) of a charted metric covering wall times [fromWallMs, toWallMs]
    // at `columns` columns; includes the neighbours just outside so lines
    // reach the plot's edges.
    QList<QPointF> decimated(Metric metric, qint64 fromWallMs, qint64 toWallMs, int columns) const;

    // Extremes of a metric between two wall times, for axis scaling.
    std::optional<MinMaxPyramid::Extremes> extremes(Metric metric, qint64 fromWallMs, qint64 toWallMs) const;

    const MetricStatistics& statistics(Metric metric) const { return m_statistics[int(metric)]; }

    // Index of the sample nearest to a wall time (-1 when empty).
    qsizetype nearestIndex(qint64 wallMs) const;
    // Index of the first sample at or after a wall time.
    qsizetype lowerBoundWall(qint64 wallMs) const;

    qsizetype memoryBytes() const;

private:
    void buildIndexes();
    void index(const Sample& sample, const RuntimeSample& runtime);

    Session m_session;
    std::array<std::unique_ptr<MinMaxPyramid>, Metrics::kCount> m_pyramids;
    std::array<MetricStatistics, Metrics::kCount> m_statistics;
};

} // namespace NodeScope

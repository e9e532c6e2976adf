#include "session/samplestore.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace NodeScope {

SampleStore::SampleStore()
{
    buildIndexes();
}

SampleStore::SampleStore(Session session)
    : m_session(std::move(session))
{
    buildIndexes();
}

void SampleStore::reset(Session session)
{
    m_session = std::move(session);
    buildIndexes();
}

void SampleStore::buildIndexes()
{
    for (const MetricInfo& info : Metrics::all()) {
        const int m = int(info.id);
        // Only what is drawn needs the min/max index (~1.5 bytes a sample).
        m_pyramids[m].reset();
        if (info.chart != ChartGroup::None) {
            m_pyramids[m] = std::make_unique<MinMaxPyramid>(
                [this, metric = info.id](qsizetype i) { return value(i, metric); });
        }
        m_statistics[m].clear();
    }
    for (qsizetype i = 0; i < m_session.size(); ++i)
        index(m_session.samples().at(i), m_session.runtimeAt(i));
}

void SampleStore::index(const Sample& sample, const RuntimeSample& runtime)
{
    for (const MetricInfo& info : Metrics::all()) {
        const double v = info.read(sample, runtime);
        if (MinMaxPyramid* pyramid = m_pyramids[int(info.id)].get())
            pyramid->append(v);
        m_statistics[int(info.id)].add(v);
    }
}

double SampleStore::value(qsizetype index, Metric metric) const
{
    return Metrics::info(metric).read(m_session.samples().at(index), m_session.runtimeAt(index));
}

bool SampleStore::append(const Sample& sample, const RuntimeSample& runtime)
{
    if (!m_session.append(sample, runtime))
        return false;
    index(sample, runtime);
    return true;
}

qsizetype SampleStore::lowerBoundWall(qint64 wallMs) const
{
    const QList<Sample>& samples = m_session.samples();
    const auto it = std::lower_bound(samples.cbegin(), samples.cend(), wallMs,
        [](const Sample& sample, qint64 value) { return sample.wallMs < value; });
    return it - samples.cbegin();
}

qsizetype SampleStore::nearestIndex(qint64 wallMs) const
{
    const QList<Sample>& samples = m_session.samples();
    if (samples.isEmpty())
        return -1;
    const qsizetype after = lowerBoundWall(wallMs);
    if (after == 0)
        return 0;
    if (after >= samples.size())
        return samples.size() - 1;
    return wallMs - samples[after - 1].wallMs <= samples[after].wallMs - wallMs ? after - 1 : after;
}

std::optional<MinMaxPyramid::Extremes> SampleStore::extremes(
    Metric metric, qint64 fromWallMs, qint64 toWallMs) const
{
    const MinMaxPyramid* pyramid = m_pyramids[int(metric)].get();
    if (!pyramid)
        return std::nullopt;
    return pyramid->extremes(lowerBoundWall(fromWallMs), lowerBoundWall(toWallMs + 1));
}

QList<QPointF> SampleStore::decimated(Metric metric, qint64 fromWallMs, qint64 toWallMs, int columns) const
{
    QList<QPointF> points;
    const QList<Sample>& samples = m_session.samples();
    if (samples.isEmpty() || toWallMs <= fromWallMs || columns <= 0 || !m_pyramids[int(metric)])
        return points;
    const MinMaxPyramid& pyramid = *m_pyramids[int(metric)];
    const auto pointAt = [&](qsizetype i) { return QPointF(double(samples[i].wallMs), value(i, metric)); };
    const auto addRaw = [&](qsizetype i) {
        const QPointF point = pointAt(i);
        if (!std::isnan(point.y()))
            points.append(point);
    };

    points.reserve(2 * columns + 2);
    const qsizetype begin = lowerBoundWall(fromWallMs);
    const qsizetype end = lowerBoundWall(toWallMs + 1);
    if (begin > 0)
        addRaw(begin - 1); // so the line enters from the left edge
    const double span = double(toWallMs - fromWallMs);
    qsizetype first = begin;
    for (int column = 0; column < columns && first < end; ++column) {
        const qint64 columnEnd = fromWallMs + qint64(std::ceil(span * double(column + 1) / double(columns)));
        // Searching only what is left keeps each column's lookup short.
        const qsizetype last = column + 1 == columns
            ? end
            : std::lower_bound(samples.cbegin() + first, samples.cbegin() + end, columnEnd,
                  [](const Sample& sample, qint64 wall) { return sample.wallMs < wall; })
                - samples.cbegin();
        if (last <= first)
            continue;
        if (last - first <= 2) {
            for (qsizetype i = first; i < last; ++i)
                addRaw(i);
        } else if (const auto extremes = pyramid.extremes(first, last)) {
            // Both extremes, in time order, at their own sample times.
            const qsizetype a = qMin(extremes->minIndex, extremes->maxIndex);
            const qsizetype b = qMax(extremes->minIndex, extremes->maxIndex);
            points.append(pointAt(a));
            if (b != a)
                points.append(pointAt(b));
        }
        first = last;
    }
    if (end < samples.size())
        addRaw(end); // and leaves through the right edge
    else if (end > begin && (points.isEmpty() || points.constLast().x() != double(samples[end - 1].wallMs)))
        addRaw(end - 1); // or ends at the newest value, not at its column's extreme: a live line ends "now"
    return points;
}

qsizetype SampleStore::memoryBytes() const
{
    qsizetype bytes = m_session.sampleBytes();
    for (const auto& pyramid : m_pyramids) {
        if (pyramid)
            bytes += pyramid->memoryBytes();
    }
    return bytes;
}

} // namespace NodeScope

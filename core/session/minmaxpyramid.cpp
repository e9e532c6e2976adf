#include "session/minmaxpyramid.h"

#include <cmath>

namespace NodeScope {

MinMaxPyramid::MinMaxPyramid(RawValue raw)
    : m_raw(std::move(raw))
{
}

void MinMaxPyramid::clear()
{
    m_size = 0;
    m_levels.clear();
}

qsizetype MinMaxPyramid::memoryBytes() const
{
    qsizetype bytes = 0;
    for (const QList<Block>& level : m_levels)
        bytes += level.capacity() * qsizetype(sizeof(Block));
    return bytes;
}

void MinMaxPyramid::include(std::optional<Extremes>& result, const Extremes& candidate) const
{
    if (!result) {
        result = candidate;
        return;
    }
    if (candidate.min < result->min) {
        result->min = candidate.min;
        result->minIndex = candidate.minIndex;
    }
    if (candidate.max > result->max) {
        result->max = candidate.max;
        result->maxIndex = candidate.maxIndex;
    }
}

void MinMaxPyramid::append(double)
{
    ++m_size;
    // Complete blocks bubble up: a block of level k ends when m_size is a
    // multiple of 2^k.
    for (int k = kFirstLevel; (m_size & ((qsizetype(1) << k) - 1)) == 0; ++k) {
        const int level = k - kFirstLevel;
        if (m_levels.size() <= level)
            m_levels.append(QList<Block>());
        const qsizetype blockSize = qsizetype(1) << k;
        const qsizetype start = m_size - blockSize;
        std::optional<Extremes> block;
        if (level == 0) {
            for (qsizetype i = start; i < m_size; ++i) {
                const double value = m_raw(i);
                if (!std::isnan(value))
                    include(block, {value, value, i, i});
            }
        } else {
            // Two children one level down.
            const QList<Block>& below = m_levels[level - 1];
            const qsizetype half = blockSize / 2;
            for (qsizetype child = 0; child < 2; ++child) {
                const qsizetype childStart = start + child * half;
                const Block& b = below[childStart / half];
                if (b.minOffset < 0)
                    continue;
                include(block, {b.min, b.max, childStart + b.minOffset, childStart + b.maxOffset});
            }
        }
        m_levels[level].append(block ? Block{block->min, block->max, qint32(block->minIndex - start),
                                   qint32(block->maxIndex - start)}
                                     : Block{0, 0, -1, -1});
        if (k >= 62)
            break;
    }
}

std::optional<MinMaxPyramid::Extremes> MinMaxPyramid::extremes(qsizetype first, qsizetype last) const
{
    std::optional<Extremes> result;
    first = qMax<qsizetype>(first, 0);
    last = qMin(last, m_size);
    while (first < last) {
        // The biggest complete, aligned block that starts at `first` and fits.
        int k = 0;
        while (k < 62) {
            const qsizetype next = qsizetype(1) << (k + 1);
            if ((first & (next - 1)) != 0 || first + next > last)
                break;
            ++k;
        }
        // A block that fits below m_size is complete, so it has been stored.
        k = qMin<int>(k, kFirstLevel + int(m_levels.size()) - 1);
        if (k < kFirstLevel) {
            const double value = m_raw(first);
            if (!std::isnan(value))
                include(result, {value, value, first, first});
            ++first;
            continue;
        }
        const Block& block = m_levels[k - kFirstLevel][first >> k];
        if (block.minOffset >= 0)
            include(result, {block.min, block.max, first + block.minOffset, first + block.maxOffset});
        first += qsizetype(1) << k;
    }
    return result;
}

} // namespace NodeScope

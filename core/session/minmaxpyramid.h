#pragma once

// Min and max of any index range of an append-only series in O(log n), so a
// chart can ask "what were the extremes between these two samples" for every
// pixel column without scanning the samples in between: a redraw then costs
// the same at a thousand samples or a million.
//
// Level k holds the min and max of each aligned block of 2^k samples (value
// and where it is), starting at level 5 (blocks of 32): ~1.5 bytes per
// sample. A query reads compact block arrays, not the scattered samples
// their extremes came from, and only a range's ragged ends (contiguous) from
// the raw values. Missing values (NaN) are skipped.

#include <QList>

#include <functional>
#include <optional>

namespace NodeScope {

class MinMaxPyramid {
public:
    struct Extremes {
        double min = 0;
        double max = 0;
        qsizetype minIndex = 0; // where the min/max were, so points keep their true time
        qsizetype maxIndex = 0;
    };
    // Reads raw value i (NaN when missing); the pyramid stores only aggregates.
    using RawValue = std::function<double(qsizetype)>;

    explicit MinMaxPyramid(RawValue raw);

    // Call once per appended sample, in order.
    void append(double value);
    void clear();
    qsizetype size() const { return m_size; }

    // Extremes over [first, last); nullopt when every value there is missing.
    std::optional<Extremes> extremes(qsizetype first, qsizetype last) const;

    qsizetype memoryBytes() const;

private:
    // The block's min and max, and their offsets within the block; offsets
    // are -1 when every value in it is missing.
    struct Block {
        double min;
        double max;
        qint32 minOffset;
        qint32 maxOffset;
    };
    static constexpr int kFirstLevel = 5;

    void include(std::optional<Extremes>& result, const Extremes& candidate) const;

    RawValue m_raw;
    qsizetype m_size = 0;
    QList<QList<Block>> m_levels; // m_levels[0] is level kFirstLevel
};

} // namespace NodeScope

#pragma once

#include "types.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace NodeScope {

// Aggregate of one (source, label) pair.
struct TimerStats {
    TimerSpan::Source source = TimerSpan::Source::User;
    QString label;
    qint64 count = 0;
    double lastMs = 0;
    double minMs = 0;
    double meanMs = 0;
    double p50Ms = 0;
    double p95Ms = 0;
    double maxMs = 0;
    bool exactPercentiles = true; // false once the label outgrew kExactLimit
};

// Per (source, label) statistics of finished spans, for the stopwatch panel and
// the summary JSON. Laps (console.timeLog, the stopwatch's Lap) are not
// counted: a split is a partial duration and would drag min, mean and p50 down.
//
// Memory: the first kExactLimit durations of a label are kept sorted, so its
// percentiles are exact (linear interpolation between closest ranks, as
// numpy's default and Excel's PERCENTILE.INC). Past that the label switches to
// a log-bucket histogram with buckets 1 % wide: its p50/p95 are within 0.5 %
// of an observed duration, clamped to [min, max], and it holds at most a few
// thousand buckets however many spans arrive (a hot timer can send 10^5 a
// second). A reservoir was rejected: its percentiles are random and it forgets
// the rare slow spans p95 is there to show. count, last, min, mean and max stay
// exact either way.
class TimerStatistics {
public:
    static constexpr qsizetype kExactLimit = 10'000;

    void add(const TimerSpan& span);
    void add(TimerSpan::Source source, const QString& label, double durationMs);
    void clear();

    bool isEmpty() const { return m_labels.empty(); }
    qsizetype size() const { return qsizetype(m_labels.size()); }
    std::optional<TimerStats> stats(TimerSpan::Source source, const QString& label) const;
    // User labels first, then process ones; by label within a source.
    QList<TimerStats> all() const;

    // The summary JSON `timers` array: objects with source, label, count,
    // minMs, meanMs, p50Ms, p95Ms, maxMs (ms rounded to 0.001).
    QJsonArray toJson() const;
    static QJsonObject toJson(const TimerStats& stats);

private:
    struct Accumulator {
        qint64 count = 0;
        double sum = 0;
        double last = 0;
        double min = 0;
        double max = 0;
        std::vector<double> sorted; // exact mode, empty once bucketed
        std::map<int, qint64> buckets; // histogram mode: bucket index -> count
        qint64 zeros = 0; // histogram mode: durations of 0 ms

        void add(double durationMs);
        double percentile(double p) const;
        bool bucketed() const { return count > qint64(sorted.size()); }
    };
    using Key = std::pair<int, QString>;

    std::map<Key, Accumulator> m_labels;
};

} // namespace NodeScope

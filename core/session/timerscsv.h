#pragma once

#include "types.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

class QIODevice;

namespace NodeScope {

// `<name>-timers.csv`: RFC 4180, header row, CRLF line ends, UTF-8, columns
//   source,label,start_wall_time,end_wall_time,duration_ms,kind
// The first five are the contract's: source is `user` or `process`; wall
// times are ISO 8601 UTC with milliseconds ("2026-11-29T15:10:53.123Z");
// duration_ms has three decimals (V8 gives sub-millisecond timers). `kind`
// follows them: `span` for a finished timer (what TimerStatistics counts),
// `lap` for a split (Lap, console.timeLog), from its timer's start.
class TimersCsv {
public:
    static QString sourceName(TimerSpan::Source source); // "user" / "process"
    static std::optional<TimerSpan::Source> sourceFromName(QStringView name);

    // "/runs/api.csv" -> "/runs/api-timers.csv"; "/runs/api" -> "/runs/api-timers.csv".
    static QString pathFor(const QString& samplesCsvPath);

    static QString quoted(const QString& field); // RFC 4180: only when needed

    // For writers that append as spans finish (the record command).
    static QByteArray header();
    static QByteArray row(const TimerSpan& span);

    static bool write(QIODevice& out, const QList<TimerSpan>& spans);
    // Through QSaveFile: a failed write leaves any previous file intact.
    static bool writeFile(const QString& path, const QList<TimerSpan>& spans, QString* error = nullptr);

    // Columns are found by header name, in any order; extra columns are
    // ignored. A bad row is skipped and reported: the rows around it are still
    // returned, so a file cut short by a crash can be reviewed.
    static bool read(QIODevice& in, QList<TimerSpan>* spans, QString* error = nullptr);
    static bool readFile(const QString& path, QList<TimerSpan>* spans, QString* error = nullptr);
};

} // namespace NodeScope

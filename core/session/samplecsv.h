#pragma once

// The session CSV contract (DESIGN.md): RFC 4180, a header row, one row per
// sample: elapsed_ms, wall_time, then one column per row of the metric table
// (session/metrics.h) in its order:
//   rss_bytes,heap_total_bytes,heap_used_bytes,external_bytes,
//   array_buffers_bytes,cpu_percent,cpu_user_percent,cpu_system_percent,threads,
//   elu,loop_delay_p50_ms,loop_delay_p99_ms,loop_delay_max_ms,gc_count,
//   gc_pause_ms,active_resources
// A value not sampled is an empty cell. Reading finds columns by name, so
// older files with fewer columns open too.

#include "session/session.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

class QIODevice;

namespace NodeScope {

class SampleCsv {
public:
    static QStringList columns();
    static QByteArray headerLine();
    static QByteArray formatRow(const Sample& sample, const RuntimeSample& runtime = {});

    // Writes the whole session atomically (QSaveFile): an existing file is
    // only replaced once the new one is complete.
    static bool write(const Session& session, const QString& path, QString* error);

    struct ReadResult {
        std::optional<Session> session; // nullopt when the file is not ours at all
        QString error; // why not, or a note on skipped rows
        int skippedRows = 0;
    };
    // Reads a CSV written by NodeScope; rows that don't parse (a truncated
    // last line, say) are skipped and counted.
    static ReadResult read(const QString& path);
    // The same from an open device; source names it in messages and becomes
    // the session's source (read(path) passes the path).
    static ReadResult read(QIODevice& in, const QString& source);

    // RFC 4180 field splitting of one record (no embedded newlines needed here).
    static QStringList splitRecord(const QString& line);
};

} // namespace NodeScope

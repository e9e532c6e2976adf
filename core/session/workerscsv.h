#pragma once

// `<name>-workers.csv`, beside the samples CSV: one row per worker heap
// reading, RFC 4180 with a header row, CRLF line ends, UTF-8, columns
//   elapsed_ms,wall_time,thread_id,title,heap_used_bytes,heap_total_bytes
// elapsed_ms counts from the session's start like the samples'; wall_time
// is ISO 8601 UTC with milliseconds; title is the Worker's name (may be empty).

#include "session/workerstore.h"

#include <QByteArray>
#include <QString>

class QIODevice;

namespace NodeScope {

class WorkersCsv {
public:
    // "/runs/api.csv" -> "/runs/api-workers.csv"; "/runs/api" -> "/runs/api-workers.csv".
    static QString pathFor(const QString& samplesCsvPath);

    static QByteArray header();
    static QByteArray row(const WorkerSeries& series, const WorkerHeapPoint& point, qint64 startWallMs);
    // Every reading of every worker, worker by worker, through QSaveFile (a
    // failed write leaves any previous file intact). The dashboard's export.
    static bool writeFile(
        const QString& path, const WorkerStore& workers, qint64 startWallMs, QString* error = nullptr);

    // Every reading into *workers (cleared first), each worker an ended
    // series, for review. Columns are found by header name, in any order
    // (elapsed_ms is not needed: wall_time places a reading). A bad row is
    // skipped and reported (*error, the first one); the rows around it are
    // still read, so a file cut short by a crash can be reviewed.
    static bool read(QIODevice& in, WorkerStore* workers, QString* error = nullptr);
    static bool readFile(const QString& path, WorkerStore* workers, QString* error = nullptr);
};

} // namespace NodeScope

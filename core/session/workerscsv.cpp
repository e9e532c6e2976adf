#include "session/workerscsv.h"

#include "format.h"
#include "session/csvreader.h"
#include "session/timerscsv.h"

#include <QSaveFile>
#include <QStringBuilder>

#include <optional>

namespace NodeScope {

namespace {

enum Column { WallTime, ThreadId, Title, HeapUsed, HeapTotal };
const QLatin1String kReadColumns[] = {
    QLatin1String("wall_time"),
    QLatin1String("thread_id"),
    QLatin1String("title"),
    QLatin1String("heap_used_bytes"),
    QLatin1String("heap_total_bytes"),
};

// A whole, non-negative count (thread id, bytes); nullopt for anything else.
std::optional<qint64> count(const QString& text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok && value >= 0 ? std::optional<qint64>(value) : std::nullopt;
}

} // namespace

QString WorkersCsv::pathFor(const QString& samplesCsvPath)
{
    QString base = samplesCsvPath;
    if (base.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        base.chop(4);
    return base % QLatin1String("-workers.csv");
}

QByteArray WorkersCsv::header()
{
    return QByteArrayLiteral("elapsed_ms,wall_time,thread_id,title,heap_used_bytes,heap_total_bytes\r\n");
}

QByteArray WorkersCsv::row(const WorkerSeries& series, const WorkerHeapPoint& point, qint64 startWallMs)
{
    const QString line = QString::number(qMax<qint64>(0, point.wallMs - startWallMs)) % QLatin1Char(',')
        % Format::wallTime(point.wallMs) % QLatin1Char(',') % QString::number(series.threadId)
        % QLatin1Char(',') % TimersCsv::quoted(series.title) % QLatin1Char(',')
        % QString::number(point.heapUsedBytes) % QLatin1Char(',') % QString::number(point.heapTotalBytes)
        % QLatin1String("\r\n");
    return line.toUtf8();
}

bool WorkersCsv::writeFile(
    const QString& path, const WorkerStore& workers, qint64 startWallMs, QString* error)
{
    QSaveFile file(path);
    bool ok = file.open(QIODevice::WriteOnly) && file.write(header()) >= 0;
    for (const WorkerSeries& series : workers.series()) {
        for (const WorkerHeapPoint& point : series.points)
            ok = ok && file.write(row(series, point, startWallMs)) >= 0;
    }
    ok = ok && file.commit();
    if (!ok && error)
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return ok;
}

bool WorkersCsv::read(QIODevice& in, WorkerStore* workers, QString* error)
{
    workers->clear();
    const QString text = QString::fromUtf8(in.readAll());
    CsvReader reader(text);
    if (!reader.readHeader(kReadColumns, error))
        return false;
    const int wallTimeAt = reader.column(kReadColumns[WallTime]);
    const int threadIdAt = reader.column(kReadColumns[ThreadId]);
    const int titleAt = reader.column(kReadColumns[Title]);
    const int usedAt = reader.column(kReadColumns[HeapUsed]);
    const int totalAt = reader.column(kReadColumns[HeapTotal]);

    QStringList fields;
    while (reader.nextRow(&fields)) {
        const std::optional<qint64> wallMs = Format::parseWallTime(fields.at(wallTimeAt));
        const std::optional<qint64> threadId = count(fields.at(threadIdAt));
        const std::optional<qint64> used = count(fields.at(usedAt));
        const std::optional<qint64> total = count(fields.at(totalAt));
        if (!wallMs) {
            reader.fail(QStringLiteral("wall_time is not ISO 8601"));
            continue;
        }
        if (!threadId) {
            reader.fail(QStringLiteral("thread_id is not a thread id"));
            continue;
        }
        if (!used || !total) {
            reader.fail(QStringLiteral("heap figures are not numbers of bytes"));
            continue;
        }
        // The same worker's readings come in time order; one that does not
        // is a row out of place, said rather than drawn backwards.
        if (!workers->addRecorded(*threadId, Format::printable(fields.at(titleAt)), {*wallMs, *used, *total}))
            reader.fail(QStringLiteral("a reading not later than the worker's previous one"));
    }
    if (error)
        *error = reader.firstError();
    return reader.firstError().isEmpty();
}

bool WorkersCsv::readFile(const QString& path, WorkerStore* workers, QString* error)
{
    workers->clear();
    return CsvReader::readFile(path, error, [&](QIODevice& in) { return read(in, workers, error); });
}

} // namespace NodeScope

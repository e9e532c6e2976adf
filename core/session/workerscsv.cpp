#include "session/workerscsv.h"

#include "format.h"
#include "session/timerscsv.h"

#include <QSaveFile>
#include <QStringBuilder>

namespace NodeScope {

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

} // namespace NodeScope

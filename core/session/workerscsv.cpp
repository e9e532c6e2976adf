#include "session/workerscsv.h"

#include "format.h"
#include "session/timerscsv.h"

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

} // namespace NodeScope

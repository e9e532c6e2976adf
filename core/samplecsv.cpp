#include "samplecsv.h"

#include "format.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cmath>
#include <limits>

namespace NodeScope {

namespace {

QByteArray bytesCell(qint64 value)
{
    return value == Sample::kMissingBytes ? QByteArray() : QByteArray::number(value);
}

QByteArray percentCell(double value)
{
    return std::isnan(value) ? QByteArray() : QByteArray::number(value, 'f', 2);
}

} // namespace

QStringList SampleCsv::columns()
{
    return {QStringLiteral("elapsed_ms"), QStringLiteral("wall_time"), QStringLiteral("rss_bytes"),
        QStringLiteral("heap_total_bytes"), QStringLiteral("heap_used_bytes"), QStringLiteral("external_bytes"),
        QStringLiteral("array_buffers_bytes"), QStringLiteral("cpu_percent"), QStringLiteral("cpu_user_percent"),
        QStringLiteral("cpu_system_percent"), QStringLiteral("threads")};
}

QByteArray SampleCsv::headerLine()
{
    return columns().join(QLatin1Char(',')).toUtf8() + "\r\n";
}

QByteArray SampleCsv::formatRow(const Sample& sample)
{
    QByteArray row;
    row.reserve(160);
    const bool hasCpu = sample.hasCpu();
    row += QByteArray::number(sample.elapsedMs);
    row += ',' + Format::wallTime(sample.wallMs).toLatin1();
    row += ',' + bytesCell(sample.rssBytes);
    row += ',' + bytesCell(sample.heapTotalBytes);
    row += ',' + bytesCell(sample.heapUsedBytes);
    row += ',' + bytesCell(sample.externalBytes);
    row += ',' + bytesCell(sample.arrayBuffersBytes);
    row += ',' + (hasCpu ? percentCell(sample.cpuPercent()) : QByteArray());
    row += ',' + (hasCpu ? percentCell(sample.cpuUserPercent) : QByteArray());
    row += ',' + (hasCpu ? percentCell(sample.cpuSystemPercent) : QByteArray());
    row += ',' + (sample.threads > 0 ? QByteArray::number(sample.threads) : QByteArray());
    row += "\r\n";
    return row;
}

bool SampleCsv::write(const Session& session, const QString& path, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(headerLine());
    for (const Sample& sample : session.samples())
        file.write(formatRow(sample));
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QStringList SampleCsv::splitRecord(const QString& line)
{
    QStringList fields;
    QString current;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                    current += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                current += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            fields.append(current);
            current.clear();
        } else {
            current += c;
        }
    }
    fields.append(current);
    return fields;
}

SampleCsv::ReadResult SampleCsv::read(const QString& path)
{
    ReadResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return result;
    }
    QString header = QString::fromUtf8(file.readLine()).trimmed();
    if (header.startsWith(QChar(0xFEFF)))
        header.remove(0, 1);
    const QStringList names = splitRecord(header);
    const auto column = [&](const char* name) { return names.indexOf(QLatin1String(name)); };
    const qsizetype elapsedColumn = column("elapsed_ms");
    const qsizetype wallColumn = column("wall_time");
    if (elapsedColumn < 0 || wallColumn < 0) {
        result.error = QStringLiteral("%1 is not a NodeScope session CSV (no elapsed_ms and wall_time columns)")
                           .arg(QFileInfo(path).fileName());
        return result;
    }
    const qsizetype rssColumn = column("rss_bytes");
    const qsizetype heapTotalColumn = column("heap_total_bytes");
    const qsizetype heapUsedColumn = column("heap_used_bytes");
    const qsizetype externalColumn = column("external_bytes");
    const qsizetype arrayBuffersColumn = column("array_buffers_bytes");
    const qsizetype cpuUserColumn = column("cpu_user_percent");
    const qsizetype cpuSystemColumn = column("cpu_system_percent");
    const qsizetype threadsColumn = column("threads");

    Session session;
    session.info().source = path;
    while (!file.atEnd()) {
        const QByteArray raw = file.readLine();
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty())
            continue;
        const QStringList fields = splitRecord(line);
        if (fields.size() < names.size()) {
            ++result.skippedRows; // a truncated row
            continue;
        }
        bool okElapsed = false;
        const qint64 elapsed = fields[elapsedColumn].toLongLong(&okElapsed);
        const std::optional<qint64> wall = Format::parseWallTime(fields[wallColumn]);
        if (!okElapsed || elapsed < 0 || elapsed > std::numeric_limits<quint32>::max() || !wall) {
            ++result.skippedRows;
            continue;
        }
        Sample sample;
        sample.elapsedMs = quint32(elapsed);
        sample.wallMs = *wall;
        bool rowOk = true;
        const auto bytes = [&](qsizetype index) -> qint64 {
            if (index < 0 || fields[index].isEmpty())
                return Sample::kMissingBytes;
            bool ok = false;
            const qint64 value = fields[index].toLongLong(&ok);
            if (!ok || value < 0)
                rowOk = false;
            return ok && value >= 0 ? value : Sample::kMissingBytes;
        };
        const auto percent = [&](qsizetype index) -> float {
            if (index < 0 || fields[index].isEmpty())
                return std::numeric_limits<float>::quiet_NaN();
            bool ok = false;
            const double value = fields[index].toDouble(&ok);
            if (!ok)
                rowOk = false;
            return ok ? float(value) : std::numeric_limits<float>::quiet_NaN();
        };
        sample.rssBytes = bytes(rssColumn);
        sample.heapTotalBytes = bytes(heapTotalColumn);
        sample.heapUsedBytes = bytes(heapUsedColumn);
        sample.externalBytes = bytes(externalColumn);
        sample.arrayBuffersBytes = bytes(arrayBuffersColumn);
        sample.cpuUserPercent = percent(cpuUserColumn);
        sample.cpuSystemPercent = percent(cpuSystemColumn);
        if (threadsColumn >= 0)
            sample.threads = quint16(qBound(0, fields[threadsColumn].toInt(), 65535));
        if (!rowOk || !session.append(sample)) {
            ++result.skippedRows;
            continue;
        }
        if (session.size() == 1)
            session.info().startWallMs = sample.wallMs - sample.elapsedMs;
    }
    if (result.skippedRows > 0)
        result.error = QStringLiteral("skipped %1 row(s) that did not parse").arg(result.skippedRows);
    result.session = std::move(session);
    return result;
}

} // namespace NodeScope

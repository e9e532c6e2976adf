#include "session/samplecsv.h"

#include "format.h"
#include "session/metrics.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <array>
#include <cmath>
#include <limits>

namespace NodeScope {

namespace {

constexpr double kLargestWhole = 9007199254740992.0; // 2^53

// Bytes and counts as integers, percentages with two decimals; an empty cell
// for a value that was not sampled.
QByteArray cell(const MetricInfo& metric, double value)
{
    if (std::isnan(value))
        return {};
    switch (metric.unit) {
    case MetricUnit::Percent:
    case MetricUnit::Milliseconds:
        return QByteArray::number(value, 'f', 2);
    case MetricUnit::Ratio:
        return QByteArray::number(value, 'f', 3);
    case MetricUnit::Bytes:
    case MetricUnit::Count:
        break;
    }
    return QByteArray::number(qint64(value));
}

} // namespace

QStringList SampleCsv::columns()
{
    QStringList names{QStringLiteral("elapsed_ms"), QStringLiteral("wall_time")};
    for (const MetricInfo& metric : Metrics::all())
        names.append(metric.csvColumn);
    return names;
}

QByteArray SampleCsv::headerLine()
{
    return columns().join(QLatin1Char(',')).toUtf8() + "\r\n";
}

QByteArray SampleCsv::formatRow(const Sample& sample, const RuntimeSample& runtime)
{
    QByteArray row;
    row.reserve(160);
    row += QByteArray::number(sample.elapsedMs);
    row += ',' + Format::wallTime(sample.wallMs).toLatin1();
    for (const MetricInfo& metric : Metrics::all())
        row += ',' + cell(metric, metric.read(sample, runtime));
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
    for (qsizetype i = 0; i < session.size(); ++i)
        file.write(formatRow(session.samples().at(i), session.runtimeAt(i)));
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
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ReadResult result;
        result.error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return result;
    }
    return read(file, path);
}

SampleCsv::ReadResult SampleCsv::read(QIODevice& in, const QString& source)
{
    ReadResult result;
    QString header = QString::fromUtf8(in.readLine()).trimmed();
    if (header.startsWith(QChar(0xFEFF)))
        header.remove(0, 1);
    const QStringList names = splitRecord(header);
    const auto column = [&](const char* name) { return names.indexOf(QLatin1String(name)); };
    const qsizetype elapsedColumn = column("elapsed_ms");
    const qsizetype wallColumn = column("wall_time");
    if (elapsedColumn < 0 || wallColumn < 0) {
        result.error
            = QStringLiteral("%1 is not a NodeScope session CSV (no elapsed_ms and wall_time columns)")
                  .arg(QFileInfo(source).fileName());
        return result;
    }
    // Columns by name, so files with fewer (older) or more (newer) columns read too.
    std::array<qsizetype, Metrics::kCount> metricColumns{};
    for (const MetricInfo& metric : Metrics::all())
        metricColumns[std::size_t(metric.id)] = names.indexOf(metric.csvColumn);

    Session session;
    session.info().source = source;
    while (!in.atEnd()) {
        const QByteArray raw = in.readLine();
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
        RuntimeSample runtime;
        for (const MetricInfo& metric : Metrics::all()) {
            const qsizetype index = metricColumns[std::size_t(metric.id)];
            if (index < 0 || fields[index].isEmpty())
                continue; // not sampled: the Sample's own "missing" stays
            bool ok = false;
            const bool whole = metric.unit == MetricUnit::Bytes || metric.unit == MetricUnit::Count;
            const double value = whole ? double(fields[index].toLongLong(&ok)) : fields[index].toDouble(&ok);
            // Only what a Sample holds: whole figures a double keeps exact
            // (9223372036854775807 became 2^63, past qint64), fractions
            // within a float (1e300 became infinity).
            const double largest = whole ? kLargestWhole : double(std::numeric_limits<float>::max());
            if (!ok || !std::isfinite(value) || (metric.unit != MetricUnit::Percent && value < 0)
                || std::fabs(value) > largest) {
                rowOk = false;
                break;
            }
            metric.write(sample, runtime, value);
        }
        if (!rowOk || !session.append(sample, runtime)) {
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

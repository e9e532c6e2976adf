#include "session/timerscsv.h"

#include "format.h"
#include "session/csvreader.h"

#include <QDateTime>
#include <QSaveFile>
#include <QStringList>

#include <cmath>
#include <iterator>

namespace NodeScope {

namespace {

const QLatin1String kColumns[] = {
    QLatin1String("source"),
    QLatin1String("label"),
    QLatin1String("start_wall_time"),
    QLatin1String("end_wall_time"),
    QLatin1String("duration_ms"),
};
constexpr int kColumnCount = int(std::size(kColumns));
// After the contract's columns: "span" for a finished timer, "lap" for a
// split (Lap, console.timeLog). Optional when reading.
const QLatin1String kKindColumn("kind");

} // namespace

QString TimersCsv::sourceName(TimerSpan::Source source)
{
    return source == TimerSpan::Source::Process ? QStringLiteral("process") : QStringLiteral("user");
}

std::optional<TimerSpan::Source> TimersCsv::sourceFromName(QStringView name)
{
    if (name == u"user")
        return TimerSpan::Source::User;
    if (name == u"process")
        return TimerSpan::Source::Process;
    return std::nullopt;
}

QString TimersCsv::pathFor(const QString& samplesCsvPath)
{
    QString base = samplesCsvPath;
    if (base.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        base.chop(4);
    return base % QLatin1String("-timers.csv");
}

QString TimersCsv::quoted(const QString& field)
{
    static const QString special = QStringLiteral(",\"\r\n");
    bool needsQuotes = false;
    for (const QChar c : field) {
        if (special.contains(c)) {
            needsQuotes = true;
            break;
        }
    }
    if (!needsQuotes)
        return field;
    QString escaped = field;
    escaped.replace(u'"', QLatin1String("\"\""));
    return u'"' % escaped % u'"';
}

QByteArray TimersCsv::header()
{
    QByteArray line;
    for (int i = 0; i < kColumnCount; ++i) {
        if (i > 0)
            line += ',';
        line += QByteArray(kColumns[i].data(), kColumns[i].size());
    }
    return line + ',' + QByteArray(kKindColumn.data(), kKindColumn.size()) + "\r\n";
}

QByteArray TimersCsv::row(const TimerSpan& span)
{
    const QString line = sourceName(span.source) % u',' % quoted(span.label) % u','
        % Format::wallTime(span.startWallMs) % u',' % Format::wallTime(span.endWallMs) % u','
        % QString::number(span.durationMs, 'f', 3) % u','
        % (span.isLap ? QLatin1String("lap") : QLatin1String("span")) % QLatin1String("\r\n");
    return line.toUtf8();
}

bool TimersCsv::write(QIODevice& out, const QList<TimerSpan>& spans)
{
    if (out.write(header()) < 0)
        return false;
    for (const TimerSpan& span : spans) {
        const QByteArray line = row(span);
        if (!line.isEmpty() && out.write(line) != line.size())
            return false;
    }
    return true;
}

bool TimersCsv::writeFile(const QString& path, const QList<TimerSpan>& spans, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !write(file, spans) || !file.commit()) {
        if (error)
            *error = path % QLatin1String(": ") % file.errorString();
        return false;
    }
    return true;
}

bool TimersCsv::read(QIODevice& in, QList<TimerSpan>* spans, QString* error)
{
    spans->clear();
    const QString text = QString::fromUtf8(in.readAll());
    CsvReader reader(text);
    if (!reader.readHeader(kColumns, error))
        return false;
    const int sourceAt = reader.column(kColumns[0]);
    const int labelAt = reader.column(kColumns[1]);
    const int startAt = reader.column(kColumns[2]);
    const int endAt = reader.column(kColumns[3]);
    const int durationAt = reader.column(kColumns[4]);
    const int kindAt = reader.column(kKindColumn);

    QStringList fields;
    while (reader.nextRow(&fields)) {
        TimerSpan span;
        const std::optional<TimerSpan::Source> source = sourceFromName(fields.at(sourceAt));
        const std::optional<qint64> start = Format::parseWallTime(fields.at(startAt));
        const std::optional<qint64> end = Format::parseWallTime(fields.at(endAt));
        bool durationOk = false;
        span.durationMs = fields.at(durationAt).toDouble(&durationOk);
        if (!source) {
            reader.fail(QLatin1String("unknown source ") % fields.at(sourceAt));
            continue;
        }
        if (!start || !end) {
            reader.fail(QStringLiteral("wall time is not ISO 8601"));
            continue;
        }
        if (!durationOk || !std::isfinite(span.durationMs) || span.durationMs < 0) {
            reader.fail(QStringLiteral("duration_ms is not a number of ms"));
            continue;
        }
        span.source = *source;
        span.label = fields.at(labelAt);
        span.startWallMs = *start;
        span.endWallMs = *end;
        span.isLap = kindAt >= 0 && kindAt < fields.size() && fields.at(kindAt) == QLatin1String("lap");
        spans->append(span);
    }
    if (error)
        *error = reader.firstError();
    return reader.firstError().isEmpty();
}

bool TimersCsv::readFile(const QString& path, QList<TimerSpan>* spans, QString* error)
{
    spans->clear();
    return CsvReader::readFile(path, error, [&](QIODevice& in) { return read(in, spans, error); });
}

} // namespace NodeScope

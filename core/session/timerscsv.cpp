#include "session/timerscsv.h"

#include "format.h"

#include <QDateTime>
#include <QFile>
#include <QSaveFile>
#include <QStringList>

#include <algorithm>
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

// RFC 4180 records of one document. Quoted fields may hold commas, doubled
// quotes and line breaks; both CRLF and bare LF end a record.
class CsvReader {
public:
    explicit CsvReader(QStringView text)
        : m_text(text)
    {
        if (m_text.startsWith(QChar(0xFEFF)))
            m_text = m_text.sliced(1);
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    int line() const { return m_line; }

    // False when the record is malformed (then *error says why); the reader
    // has moved past it either way.
    bool next(QStringList* fields, QString* error)
    {
        fields->clear();
        QString field;
        bool quoted = false;
        bool afterQuote = false; // a quoted field ended; only , or end of record may follow
        bool ok = true;
        m_line = m_nextLine;
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos++);
            if (quoted) {
                if (c == u'"') {
                    if (m_pos < m_text.size() && m_text.at(m_pos) == u'"') {
                        field += u'"';
                        ++m_pos;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == u'\n')
                        ++m_nextLine;
                    field += c;
                }
                continue;
            }
            if (c == u',') {
                fields->append(field);
                field.clear();
                afterQuote = false;
            } else if (c == u'\n' || (c == u'\r' && m_pos < m_text.size() && m_text.at(m_pos) == u'\n')) {
                if (c == u'\r')
                    ++m_pos;
                ++m_nextLine;
                fields->append(field);
                return ok;
            } else if (c == u'"' && field.isEmpty() && !afterQuote) {
                quoted = true;
            } else if (afterQuote || c == u'"') {
                if (ok)
                    *error = QStringLiteral("stray quote or text after a quoted field");
                ok = false;
                field += c;
            } else {
                field += c;
            }
        }
        if (quoted) {
            *error = QStringLiteral("quoted field not closed before the end of the file");
            ok = false;
        }
        fields->append(field);
        return ok;
    }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
    int m_line = 1;
    int m_nextLine = 1;
};

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
    QString firstError;
    auto fail = [&firstError](int line, const QString& why) {
        if (firstError.isEmpty())
            firstError = QLatin1String("line ") % QString::number(line) % QLatin1String(": ") % why;
    };

    const QString text = QString::fromUtf8(in.readAll());
    CsvReader reader(text);
    QStringList fields;
    QString why;

    if (reader.atEnd() || !reader.next(&fields, &why)) {
        if (error)
            *error = QStringLiteral("line 1: no header row");
        return false;
    }
    int index[kColumnCount];
    for (int i = 0; i < kColumnCount; ++i) {
        index[i] = int(fields.indexOf(kColumns[i]));
        if (index[i] < 0) {
            if (error)
                *error = QLatin1String("line 1: missing column ") % kColumns[i];
            return false;
        }
    }
    const int needed = *std::max_element(std::begin(index), std::end(index)) + 1;
    const int kindIndex = int(fields.indexOf(kKindColumn));

    while (!reader.atEnd()) {
        if (!reader.next(&fields, &why)) {
            fail(reader.line(), why);
            continue;
        }
        if (fields.size() == 1 && fields.first().isEmpty())
            continue; // blank line
        if (fields.size() < needed) {
            fail(reader.line(), QStringLiteral("too few fields"));
            continue;
        }
        TimerSpan span;
        const std::optional<TimerSpan::Source> source = sourceFromName(fields.at(index[0]));
        const std::optional<qint64> start = Format::parseWallTime(fields.at(index[2]));
        const std::optional<qint64> end = Format::parseWallTime(fields.at(index[3]));
        bool durationOk = false;
        span.durationMs = fields.at(index[4]).toDouble(&durationOk);
        if (!source) {
            fail(reader.line(), QLatin1String("unknown source ") % fields.at(index[0]));
            continue;
        }
        if (!start || !end) {
            fail(reader.line(), QStringLiteral("wall time is not ISO 8601"));
            continue;
        }
        if (!durationOk || !std::isfinite(span.durationMs) || span.durationMs < 0) {
            fail(reader.line(), QStringLiteral("duration_ms is not a number of ms"));
            continue;
        }
        span.source = *source;
        span.label = fields.at(index[1]);
        span.startWallMs = *start;
        span.endWallMs = *end;
        span.isLap
            = kindIndex >= 0 && kindIndex < fields.size() && fields.at(kindIndex) == QLatin1String("lap");
        spans->append(span);
    }
    if (error)
        *error = firstError;
    return firstError.isEmpty();
}

bool TimersCsv::readFile(const QString& path, QList<TimerSpan>* spans, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        spans->clear();
        if (error)
            *error = path % QLatin1String(": ") % file.errorString();
        return false;
    }
    return read(file, spans, error);
}

} // namespace NodeScope

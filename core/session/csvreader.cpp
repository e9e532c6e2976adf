#include "session/csvreader.h"

#include <QFile>
#include <QStringBuilder>

namespace NodeScope {

CsvReader::CsvReader(QStringView text)
    : m_text(text)
{
    if (m_text.startsWith(QChar(0xFEFF)))
        m_text = m_text.sliced(1);
}

bool CsvReader::next(QStringList* fields, QString* error)
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

bool CsvReader::readHeader(std::span<const QLatin1String> required, QString* error)
{
    QString why;
    if (m_pos >= m_text.size() || !next(&m_header, &why)) {
        m_header.clear();
        if (error)
            *error = QStringLiteral("line 1: no header row");
        return false;
    }
    m_neededFields = 0;
    for (const QLatin1String name : required) {
        const int index = column(name);
        if (index < 0) {
            if (error)
                *error = QLatin1String("line 1: missing column ") % name;
            return false;
        }
        m_neededFields = qMax(m_neededFields, index + 1);
    }
    return true;
}

bool CsvReader::nextRow(QStringList* fields)
{
    QString why;
    while (m_pos < m_text.size()) {
        if (!next(fields, &why)) {
            fail(why);
            continue;
        }
        if (fields->size() == 1 && fields->first().isEmpty())
            continue; // a blank line
        if (fields->size() < m_neededFields) {
            fail(QStringLiteral("too few fields"));
            continue;
        }
        return true;
    }
    return false;
}

void CsvReader::fail(const QString& why)
{
    if (m_firstError.isEmpty())
        m_firstError = QLatin1String("line ") % QString::number(m_line) % QLatin1String(": ") % why;
}

bool CsvReader::readFile(const QString& path, QString* error, const std::function<bool(QIODevice&)>& read)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path % QLatin1String(": ") % file.errorString();
        return false;
    }
    return read(file);
}

} // namespace NodeScope

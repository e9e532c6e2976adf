#pragma once

// Reads the CSV files beside a session's samples (timers, worker threads):
// RFC 4180 records with a header row, columns found by name in any order.
// Quoted fields may hold commas, doubled quotes and line breaks; both CRLF
// and bare LF end a record; a leading UTF-8 byte-order mark is skipped. A
// bad row costs itself, not the file: it is noted and skipped, and the rows
// around it are still read, so a file cut short by a crash can be reviewed.

#include <QLatin1String>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <functional>
#include <span>

class QIODevice;

namespace NodeScope {

class CsvReader {
public:
    // The text must outlive the reader.
    explicit CsvReader(QStringView text);

    // Reads the header row and finds each of `required` in it (other columns
    // may lie between or follow). False, with *error saying why ("line 1:
    // missing column title"), when there is no header row or one is missing.
    bool readHeader(std::span<const QLatin1String> required, QString* error);
    // After readHeader(): where a column is (a required one or an optional
    // one), -1 when the header has none.
    int column(QLatin1String name) const { return int(m_header.indexOf(name)); }

    // The next data row that has every required column, skipping blank
    // lines; false at the end. Malformed or short rows are noted and skipped.
    bool nextRow(QStringList* fields);
    // Notes a problem with the row nextRow() last gave (it is skipped by the caller).
    void fail(const QString& why);
    // The first problem noted, as "line 7: too few fields"; empty when none.
    const QString& firstError() const { return m_firstError; }

    // Opens path and hands it to read(); when it cannot be opened, false
    // and *error is "path: why".
    static bool readFile(const QString& path, QString* error, const std::function<bool(QIODevice&)>& read);

private:
    // One record, malformed or not (false, *error says why); the reader has
    // moved past it either way.
    bool next(QStringList* fields, QString* error);

    QStringView m_text;
    qsizetype m_pos = 0;
    int m_line = 1; // where the last record read began (1-based)
    int m_nextLine = 1;
    QStringList m_header;
    int m_neededFields = 0;
    QString m_firstError;
};

} // namespace NodeScope

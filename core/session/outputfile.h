#pragma once

// A file `record` streams into, written with plain write(2) calls so that a
// failure says what really went wrong (strerror of the errno: "No space left
// on device", not QFile's "Unknown error") and a row is never left half
// written.
//
// The path may name something that is not a regular file: a FIFO someone
// reads, /dev/null, a terminal or another character device is written
// through, never replaced (QSaveFile would rename a new regular file over
// it). A directory, a block device or a socket is refused.

#include <QByteArray>
#include <QString>

namespace NodeScope {

class OutputFile {
public:
    OutputFile() = default;
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    // Whether the path may be written at all, without touching it: the
    // refusals above, a missing directory, no permission. Empty when fine.
    static QString checkPath(const QString& path);

    // Opens for streaming: a regular file is created or truncated, anything
    // else is opened as it is. A FIFO nobody reads is refused rather than
    // waited on. False with *error ("cannot write PATH: why").
    bool open(const QString& path, QString* error);
    bool isOpen() const { return m_fd >= 0; }
    bool isRegularFile() const { return m_regular; }
    QString path() const { return m_path; }

    // Writes one whole record (a CSV row) with a single write(2). On a short
    // or failed write a regular file is cut back to the end of the last whole
    // record; *error says why ("cannot write PATH: No space left on device").
    bool writeRecord(const QByteArray& record, QString* error);
    void close();

    // Writes a whole document (the summary). A regular file (or a new one)
    // is replaced only once the new content is complete: written to a
    // temporary file beside it, then renamed over it. Anything else is
    // written through in place.
    static bool writeDocument(const QString& path, const QByteArray& content, QString* error);

private:
    int m_fd = -1;
    bool m_regular = false;
    qint64 m_wholeBytes = 0; // the end of the last record written in full
    QString m_path;
};

} // namespace NodeScope

#pragma once

// Writes one heap snapshot of a target (HeapProfiler.takeHeapSnapshot) to a
// .heapsnapshot file that DevTools and memlab open.
//
// V8 builds the snapshot with the target's main thread frozen, then hands
// it over as HeapProfiler.addHeapSnapshotChunk events (through the probe's
// relay, or the inspector). Each chunk goes to disk as it arrives, so
// NodeScope never holds the snapshot whole, and a slow disk slows the reading
// of the socket rather than filling NodeScope's memory: the rest waits in
// the target's socket buffer (the target's own cost, told in the estimate,
// HeapSnapshotEstimate). The file appears under its name only when complete
// (QSaveFile); a failed snapshot leaves no half file behind.

#include <QObject>
#include <QSaveFile>
#include <QString>

namespace NodeScope {

class TargetAccess;

class HeapSnapshotWriter : public QObject {
    Q_OBJECT
public:
    // The longest the target may take to build and hand over a snapshot.
    static constexpr int kTimeoutMs = 30 * 60 * 1000;

    explicit HeapSnapshotWriter(TargetAccess* access, QObject* parent = nullptr);

    // Starts the snapshot; finished() follows once, whatever happens.
    void start(const QString& path);
    qint64 bytesWritten() const { return m_bytes; }

Q_SIGNALS:
    // error is empty when the file is complete.
    void finished(const QString& path, qint64 bytes, const QString& error);

private:
    void writeChunk(const QString& chunk);
    void finish(const QString& error);

    TargetAccess* m_access;
    QSaveFile m_file;
    QString m_path;
    QString m_writeError;
    qint64 m_bytes = 0;
    bool m_running = false;
};

} // namespace NodeScope

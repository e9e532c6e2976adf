#pragma once

// Writes one heap snapshot of a target to a .heapsnapshot file that DevTools
// and memlab open (TargetAccess::takeHeapSnapshot: through the probe,
// v8.getHeapSnapshot()'s stream; through the inspector, HeapProfiler's chunks).
//
// V8 builds and serialises the snapshot with the target's main thread
// frozen. Each chunk goes to disk as it arrives, so NodeScope never holds the
// snapshot whole; through the probe the stream pauses whenever the socket is
// full, so a slow disk slows the transfer instead of piling the snapshot up
// anywhere but in the target's own stream buffer (its cost, told in the
// estimate, HeapSnapshotEstimate). The file appears under its name only when
// complete (QSaveFile); a failed snapshot leaves no half file behind.

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

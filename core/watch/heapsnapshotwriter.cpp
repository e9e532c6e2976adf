#include "watch/heapsnapshotwriter.h"

#include "watch/targetaccess.h"

namespace NodeScope {

HeapSnapshotWriter::HeapSnapshotWriter(TargetAccess* access, QObject* parent)
    : QObject(parent)
    , m_access(access)
{
    connect(m_access, &TargetAccess::heapSnapshotChunk, this, [this](const QString& chunk) {
        if (m_running)
            writeChunk(chunk);
    });
}

void HeapSnapshotWriter::start(const QString& path)
{
    m_path = path;
    m_bytes = 0;
    m_writeError.clear();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly)) {
        const QString why = m_file.errorString();
        QMetaObject::invokeMethod(
            this,
            [this, why] {
                Q_EMIT finished(m_path, 0, QStringLiteral("cannot write %1: %2").arg(m_path, why));
            },
            Qt::QueuedConnection);
        return;
    }
    m_running = true;
    m_access->takeHeapSnapshot(
        [this](bool ok, const QString& error) {
            if (!ok)
                return finish(QStringLiteral("the heap snapshot failed: %1").arg(error));
            finish(m_writeError);
        },
        kTimeoutMs);
}

void HeapSnapshotWriter::writeChunk(const QString& chunk)
{
    if (!m_writeError.isEmpty())
        return; // the snapshot is lost; the rest of its chunks are let go
    const QByteArray bytes = chunk.toUtf8();
    if (m_file.write(bytes) != bytes.size()) {
        m_writeError = QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString());
        m_file.cancelWriting();
        return;
    }
    m_bytes += bytes.size();
}

void HeapSnapshotWriter::finish(const QString& error)
{
    if (!m_running)
        return;
    m_running = false;
    QString why = error;
    if (why.isEmpty() && m_bytes == 0)
        why = QStringLiteral("the target sent no snapshot data");
    if (why.isEmpty() && !m_file.commit())
        why = QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString());
    if (!why.isEmpty())
        m_file.cancelWriting();
    if (m_file.isOpen() && !why.isEmpty())
        m_file.commit(); // cancelled: removes the temporary file
    Q_EMIT finished(m_path, why.isEmpty() ? m_bytes : 0, why);
}

} // namespace NodeScope

#include "watch/heapsnapshotwriter.h"

#include "watch/targetaccess.h"

#include <QJsonObject>

namespace NodeScope {

HeapSnapshotWriter::HeapSnapshotWriter(TargetAccess* access, QObject* parent)
    : QObject(parent)
    , m_access(access)
{
    connect(
        m_access, &TargetAccess::cdpEvent, this, [this](const QString& method, const QJsonObject& params) {
            if (m_running && method == QLatin1String("HeapProfiler.addHeapSnapshotChunk"))
                writeChunk(params.value(QLatin1String("chunk")).toString());
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
    m_access->cdp(
        QStringLiteral("HeapProfiler.takeHeapSnapshot"),
        {{QStringLiteral("reportProgress"), false}, {QStringLiteral("captureNumericValue"), false}},
        [this](const CdpReply& reply) {
            if (!reply.ok)
                return finish(QStringLiteral("the heap snapshot failed: %1").arg(reply.error));
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

#include "nodetarget.h"

#include "cpupinning.h"

#include <QElapsedTimer>
#include <QRegularExpression>

namespace NodeScope {

NodeTarget::~NodeTarget()
{
    stop();
}

bool NodeTarget::start(
    const QString& script, const QStringList& args, QString* error, int cpu, const QStringList& nodeArgs)
{
    pinToCpu(m_process, cpu);
    m_process.setProgram(QStringLiteral("node"));
    m_process.setArguments(nodeArgs + QStringList{script} + args);
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.setReadChannel(QProcess::StandardError);
    m_process.start();
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start node %1: %2").arg(script, m_process.errorString());
        return false;
    }
    // The server's own line, not the inspector's "Debugger listening on ws://".
    static const QRegularExpression listening(
        QStringLiteral("^listening on (\\d+)"), QRegularExpression::MultilineOption);
    QByteArray said;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000) {
        if (m_process.state() != QProcess::Running) {
            *error = QStringLiteral("node %1 exited: %2").arg(script, QString::fromUtf8(said));
            return false;
        }
        m_process.waitForReadyRead(100);
        said += m_process.readAllStandardError();
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(said));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    *error = QStringLiteral("node %1 did not say it was listening: %2").arg(script, QString::fromUtf8(said));
    stop();
    return false;
}

void NodeTarget::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

} // namespace NodeScope

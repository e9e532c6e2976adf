#include "loadgenerator.h"

#include "cpupinning.h"

#include <QRegularExpression>
#include <QStandardPaths>

#include <limits>

namespace NodeScope {

LoadGenerator::Tool LoadGenerator::detect()
{
    return QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty() ? Tool::Node : Tool::Wrk;
}

QString LoadGenerator::name(Tool tool)
{
    return tool == Tool::Wrk ? QStringLiteral("wrk") : QStringLiteral("node load.js");
}

LoadGenerator::LoadGenerator(Tool tool, const QString& nodeScript)
    : m_tool(tool)
    , m_nodeScript(nodeScript)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

LoadGenerator::~LoadGenerator()
{
    abort();
}

bool LoadGenerator::start(quint16 port, int connections, int seconds, QString* error, int cpu)
{
    pinToCpu(m_process, cpu);
    const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(port);
    if (m_tool == Tool::Wrk) {
        // One thread: the target gets the other core, as a real server would.
        m_process.start(QStringLiteral("wrk"),
            {QStringLiteral("-t1"), QStringLiteral("-c%1").arg(connections),
                QStringLiteral("-d%1s").arg(seconds), QStringLiteral("--timeout"), QStringLiteral("5s"),
                url});
    } else {
        m_process.start(QStringLiteral("node"),
            {m_nodeScript, url, QString::number(connections), QString::number(seconds)});
    }
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(name(m_tool), m_process.errorString());
        return false;
    }
    return true;
}

bool LoadGenerator::waitForEnd(int timeoutMs)
{
    return m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
}

double LoadGenerator::requestsPerSecond(QString* note)
{
    const QString output = QString::fromUtf8(m_process.readAll());
    static const QRegularExpression rate(QStringLiteral("Requests/sec:\\s*([0-9.]+)"));
    static const QRegularExpression trouble(
        QStringLiteral("(Socket errors:[^\\n]*|Non-2xx[^\\n]*|errors [1-9][0-9]*)"));
    const QRegularExpressionMatch troubleMatch = trouble.match(output);
    if (troubleMatch.hasMatch())
        *note = troubleMatch.captured(1).trimmed();
    const QRegularExpressionMatch match = rate.match(output);
    if (!match.hasMatch()) {
        *note = QStringLiteral("%1 gave no rate: %2").arg(name(m_tool), output.trimmed());
        return std::numeric_limits<double>::quiet_NaN();
    }
    return match.captured(1).toDouble();
}

void LoadGenerator::abort()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(2000);
}

} // namespace NodeScope

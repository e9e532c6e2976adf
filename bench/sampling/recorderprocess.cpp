#include "recorderprocess.h"

#include "cpupinning.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>

namespace NodeScope {

RecorderProcess::RecorderProcess(const QString& binary)
    : m_binary(binary)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

RecorderProcess::~RecorderProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

bool RecorderProcess::start(const Options& options, QString* error)
{
    m_options = options;
    QStringList args{QStringLiteral("record"), QStringLiteral("--pid"), QString::number(options.pid),
        QStringLiteral("--interval"), QString::number(options.intervalMs), QStringLiteral("--csv"),
        options.csvPath, QStringLiteral("--summary"), options.summaryPath};
    // Capture is off by default since console timers cost the target; say which is measured.
    args << (options.consoleTimers ? QStringLiteral("--console-timers")
                                   : QStringLiteral("--no-console-timers"));
    if (options.throughInspector)
        args << QStringLiteral("--through-inspector");
    pinToCpu(m_process, options.cpu);
    m_process.start(m_binary, args);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(m_binary, m_process.errorString());
        return false;
    }
    QByteArray said;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 20000) {
        if (m_process.state() != QProcess::Running) {
            *error = QStringLiteral("nodescope record exited: %1").arg(QString::fromUtf8(said).trimmed());
            return false;
        }
        m_process.waitForReadyRead(100);
        said += m_process.readAll();
        // Attached ("Recording every ..."), and past the handover to the
        // probe unless the inspector is to stay: the steady state is measured.
        const bool ready = said.contains("Recording every")
            && (options.throughInspector || said.contains("through NodeScope's probe"));
        if (ready) {
            m_clock.start();
            return true;
        }
    }
    *error = QStringLiteral("nodescope record did not start recording: %1")
                 .arg(QString::fromUtf8(said).trimmed());
    return false;
}

qint64 RecorderProcess::stop(QString* error)
{
    if (m_process.state() == QProcess::NotRunning) {
        *error = QStringLiteral("nodescope record had already exited: %1")
                     .arg(QString::fromUtf8(m_process.readAll()).trimmed());
        return -1;
    }
    m_recordedSeconds = double(m_clock.nsecsElapsed()) / 1e9;
    ::kill(pid_t(m_process.processId()), SIGINT);
    if (!m_process.waitForFinished(10000)) {
        *error = QStringLiteral("nodescope record ignored SIGINT");
        return -1;
    }
    if (m_process.exitStatus() != QProcess::NormalExit || m_process.exitCode() != 0) {
        *error = QStringLiteral("nodescope record failed (%1): %2")
                     .arg(m_process.exitCode())
                     .arg(QString::fromUtf8(m_process.readAll()).trimmed());
        return -1;
    }
    QFile summary(m_options.summaryPath);
    if (!summary.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("no summary at %1").arg(m_options.summaryPath);
        return -1;
    }
    return qint64(
        QJsonDocument::fromJson(summary.readAll()).object().value(QLatin1String("samples")).toDouble(-1));
}

} // namespace NodeScope

#include "watch/recorder.h"

#include "proc/processtable.h"
#include "format.h"
#include "session/samplecsv.h"
#include "session/timerscsv.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimer>

namespace NodeScope {

namespace {

// Safety net: a detach that never answers must not keep us (or the user) waiting.
constexpr int kStopGraceMs = 4000;

bool directoryWritable(const QString& path, QString* error)
{
    const QFileInfo info(path);
    const QFileInfo dir(info.absolutePath());
    if (!dir.exists()) {
        *error = QStringLiteral("cannot write %1: directory %2 does not exist").arg(path, dir.filePath());
        return false;
    }
    if (info.exists() ? !info.isWritable() : !dir.isWritable()) {
        *error = QStringLiteral("cannot write %1: permission denied").arg(path);
        return false;
    }
    return true;
}

} // namespace

Recorder::Recorder(const Options& options, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_sampler(new Sampler(this))
    , m_durationTimer(new QTimer(this))
{
    m_leak.setSettings(m_options.leakSettings);
    m_durationTimer->setSingleShot(true);
    connect(m_durationTimer, &QTimer::timeout, this, [this] { finish(QStringLiteral("duration")); });
    connect(m_sampler, &Sampler::sampleReady, this, &Recorder::writeSample);
    // The duration counts from the first sample, not from the attach.
    connect(m_sampler, &Sampler::started, this, [this](qint64, qint64 startWallMs) {
        m_startWallMs = startWallMs;
        if (m_options.durationSeconds > 0 && !m_finishing)
            m_durationTimer->start(m_options.durationSeconds * 1000);
    });
    connect(m_sampler, &Sampler::attachProgress, this, &Recorder::message);
    connect(m_sampler, &Sampler::processTimer, this, &Recorder::recordTimer);
    connect(m_sampler, &Sampler::attached, this, [this](const TargetInfo& target) {
        m_target = target;
        m_leak.setHeapLimitBytes(target.heapLimitBytes);
        Q_EMIT message(QStringLiteral("Recording PID %1 (Node %2) every %3 ms to %4")
                           .arg(target.pid)
                           .arg(target.nodeVersion)
                           .arg(m_sampler->intervalMs())
                           .arg(m_options.csvPath));
    });
    connect(m_sampler, &Sampler::attachFailed, this, [this](const QString& reason) {
        abortStart(NotAttachable, reason);
    });
    connect(m_sampler, &Sampler::inspectorLost, this, [this](const QString& reason) {
        Q_EMIT message(QStringLiteral("Inspector connection lost (%1); recording rss and CPU only").arg(reason));
    });
    connect(m_sampler, &Sampler::targetExited, this, [this](const QString& reason) {
        if (m_samples == 0) // gone before anything was recorded
            return abortStart(NotAttachable, reason);
        Q_EMIT message(reason);
        finish(QStringLiteral("target-exited"));
    });
    connect(m_sampler, &Sampler::stopped, this, &Recorder::complete);
}

Recorder::~Recorder() = default;

void Recorder::start()
{
    QString error;
    if (m_options.csvPath.isEmpty())
        return abortStart(Usage, QStringLiteral("--csv FILE is required"));
    for (const QString& path : {m_options.summaryPath, m_options.timersCsvPath}) {
        if (!path.isEmpty() && !directoryWritable(path, &error))
            return abortStart(Usage, error);
    }
    QString whyNot;
    const std::optional<ProcessInfo> info = ProcessTable::read(m_options.pid, &whyNot);
    if (!info)
        return abortStart(NotAttachable, whyNot);
    if (m_options.attach && !info->isNode)
        return abortStart(NotAttachable,
            QStringLiteral("PID %1 (%2) is not a Node.js process; use --no-attach to record its rss and CPU only")
                .arg(m_options.pid)
                .arg(info->name));

    m_createdCsv = !QFileInfo::exists(m_options.csvPath);
    m_csv.setFileName(m_options.csvPath);
    if (!m_csv.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_createdCsv = false;
        return abortStart(Usage, QStringLiteral("cannot write %1: %2").arg(m_options.csvPath, m_csv.errorString()));
    }
    m_csv.write(SampleCsv::headerLine());
    m_csv.flush();
    if (!m_options.timersCsvPath.isEmpty()) {
        m_timersCsv.setFileName(m_options.timersCsvPath);
        if (!m_timersCsv.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return abortStart(Usage,
                QStringLiteral("cannot write %1: %2").arg(m_options.timersCsvPath, m_timersCsv.errorString()));
        m_timersCsv.write(TimersCsv::header());
        m_timersCsv.flush();
    }

    m_target.pid = m_options.pid;
    m_startWallMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_options.attach)
        Q_EMIT message(QStringLiteral("Recording rss and CPU of PID %1 every %2 ms to %3")
                           .arg(m_options.pid)
                           .arg(Sampler::clampInterval(m_options.intervalMs))
                           .arg(m_options.csvPath));
    Sampler::Options samplerOptions;
    samplerOptions.intervalMs = m_options.intervalMs;
    samplerOptions.attachInspector = m_options.attach;
    samplerOptions.waitForAttach = true;
    samplerOptions.captureConsoleTimers = m_options.captureConsoleTimers;
    m_sampler->watchPid(m_options.pid, samplerOptions);
}

void Recorder::abortStart(int exitCode, const QString& why)
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_exitCode = exitCode;
    m_endReason = QStringLiteral("error");
    Q_EMIT message(why);
    m_durationTimer->stop();
    if (m_csv.isOpen()) {
        m_csv.close();
        // Nothing was recorded: don't leave empty files we made behind.
        if (m_createdCsv && m_samples == 0) {
            QFile::remove(m_options.csvPath);
            if (m_timersCsv.isOpen()) {
                m_timersCsv.close();
                QFile::remove(m_options.timersCsvPath);
            }
        }
    }
    m_completed = true;
    m_sampler->stop();
    QTimer::singleShot(0, this, [this, exitCode] { Q_EMIT finished(exitCode); });
}

void Recorder::writeSample(const Sample& sample)
{
    if (m_finishing && m_completed)
        return;
    if (!m_csv.isOpen())
        return;
    const QByteArray row = SampleCsv::formatRow(sample);
    // Flushed per row: a killed recorder or target must not lose buffered rows.
    if (m_csv.write(row) != row.size() || !m_csv.flush()) {
        Q_EMIT message(QStringLiteral("cannot write %1: %2").arg(m_options.csvPath, m_csv.errorString()));
        finish(QStringLiteral("error"));
        return;
    }
    ++m_samples;
    m_leak.addSample(sample);
    for (const LeakVerdict& verdict : {m_leak.jsVerdict(), m_leak.nativeVerdict()}) {
        if (verdict.state == LeakVerdict::State::Leak && !m_leakFound) {
            m_leakFound = true;
            m_leakFoundWallMs = sample.wallMs;
            Q_EMIT message(QStringLiteral("Memory leak: %1").arg(verdict.explanation()));
        }
    }
    const LeakVerdict::State state = m_leak.jsVerdict().state;
    if (state != m_lastLeakState) {
        m_lastLeakState = state;
        Q_EMIT message(QStringLiteral("Leak check: %1: %2").arg(LeakVerdict::stateName(state), m_leak.jsVerdict().explanation()));
    }
}

void Recorder::recordTimer(const TimerSpan& span)
{
    if (m_completed)
        return;
    m_timerStatistics.add(span);
    if (m_timersCsv.isOpen()) {
        const QByteArray row = TimersCsv::row(span);
        m_timersCsv.write(row);
        m_timersCsv.flush();
    }
}

void Recorder::finish(const QString& endReason)
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_endReason = endReason;
    m_endWallMs = QDateTime::currentMSecsSinceEpoch();
    m_durationTimer->stop();
    // The sampler publishes its last sample and detaches, then stopped() completes.
    m_sampler->stop();
    QTimer::singleShot(kStopGraceMs, this, &Recorder::complete);
}

void Recorder::complete()
{
    if (m_completed || !m_finishing)
        return;
    m_completed = true;
    if (m_csv.isOpen())
        m_csv.close();
    if (m_timersCsv.isOpen())
        m_timersCsv.close();
    if (m_endWallMs == 0)
        m_endWallMs = QDateTime::currentMSecsSinceEpoch();
    int exitCode = m_endReason == QLatin1String("error") ? int(Failed) : int(Done);
    if (exitCode == Done && m_options.failOnLeak && m_leakFound)
        exitCode = LeakFound;
    if (!m_options.summaryPath.isEmpty()) {
        QString error;
        if (!writeSummary(&error))
            Q_EMIT message(error);
    }
    Q_EMIT message(QStringLiteral("Wrote %1 samples to %2 (%3)").arg(m_samples).arg(m_options.csvPath, m_endReason));
    Q_EMIT finished(exitCode);
}

bool Recorder::writeSummary(QString* error) const
{
    QJsonObject summary {
        {QStringLiteral("pid"), m_options.pid},
        {QStringLiteral("nodeVersion"), m_target.nodeVersion.isEmpty() ? QJsonValue() : QJsonValue(m_target.nodeVersion)},
        {QStringLiteral("samples"), m_samples},
        {QStringLiteral("startTime"), Format::wallTime(m_startWallMs)},
        {QStringLiteral("endTime"), Format::wallTime(m_endWallMs)},
        {QStringLiteral("endReason"), m_endReason},
        {QStringLiteral("intervalMs"), m_sampler->intervalMs()},
        {QStringLiteral("csv"), QFileInfo(m_options.csvPath).absoluteFilePath()},
        {QStringLiteral("heapLimitBytes"), m_target.heapLimitBytes > 0 ? QJsonValue(m_target.heapLimitBytes) : QJsonValue()},
        {QStringLiteral("missedHeapReadings"), m_sampler->skippedHeapReadings()},
        {QStringLiteral("skippedTicks"), m_sampler->skippedTicks()},
        {QStringLiteral("timers"), m_timerStatistics.toJson()},
        {QStringLiteral("leak"), m_leak.jsVerdict().toJson()},
        {QStringLiteral("nativeLeak"), m_leak.nativeVerdict().toJson()},
        {QStringLiteral("leakFound"), m_leakFound},
        {QStringLiteral("leakFoundTime"), m_leakFound ? QJsonValue(Format::wallTime(m_leakFoundWallMs)) : QJsonValue()},
    };
    QSaveFile file(m_options.summaryPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(summary).toJson()) < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_options.summaryPath, file.errorString());
        return false;
    }
    return true;
}

} // namespace NodeScope

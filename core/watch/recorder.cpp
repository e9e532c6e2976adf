#include "watch/recorder.h"

#include "format.h"
#include "proc/attachcheck.h"
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
    , m_pipeline(new SessionPipeline(this))
    , m_durationTimer(new QTimer(this))
{
    m_pipeline->setKeepSamples(false); // rows go to disk as they come
    m_pipeline->setLeakSettings(m_options.leakSettings);
    m_pipeline->follow(m_sampler);
    m_durationTimer->setSingleShot(true);
    connect(m_durationTimer, &QTimer::timeout, this, [this] { finish(QStringLiteral("duration")); });
    connect(
        m_pipeline, &SessionPipeline::notice, this, [this](const QString& text) { Q_EMIT message(text); });
    connect(m_pipeline, &SessionPipeline::sampleAppended, this, &Recorder::writeSample);
    connect(m_pipeline, &SessionPipeline::spanAdded, this, &Recorder::recordTimer);
    // The duration counts from the first sample, not from the attach.
    connect(m_pipeline, &SessionPipeline::started, this, [this](qint64 startWallMs) {
        m_startWallMs = startWallMs;
        if (m_options.durationSeconds > 0 && !m_finishing)
            m_durationTimer->start(m_options.durationSeconds * 1000);
    });
    connect(m_pipeline, &SessionPipeline::attached, this, [this] {
        Q_EMIT message(QStringLiteral("Recording every %1 ms to %2")
                           .arg(m_sampler->intervalMs())
                           .arg(m_options.csvPath));
    });
    connect(m_pipeline, &SessionPipeline::attachFailed, this,
        [this](const QString& reason) { abortStart(NotAttachable, reason); });
    connect(m_pipeline, &SessionPipeline::targetExited, this, [this] {
        if (m_samples == 0) // gone before anything was recorded (the pipeline said why)
            return abortStart(NotAttachable, {});
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
    const AttachCheck check = AttachCheck::of(m_options.pid);
    if (!check.canWatch())
        return abortStart(NotAttachable, check.reason());
    if (m_options.attach && !check.canAttach())
        return abortStart(NotAttachable,
            QStringLiteral("%1; use --no-attach to record its rss and CPU only").arg(check.reason()));

    m_createdCsv = !QFileInfo::exists(m_options.csvPath);
    m_csv.setFileName(m_options.csvPath);
    if (!m_csv.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_createdCsv = false;
        return abortStart(
            Usage, QStringLiteral("cannot write %1: %2").arg(m_options.csvPath, m_csv.errorString()));
    }
    m_csv.write(SampleCsv::headerLine());
    m_csv.flush();
    if (!m_options.timersCsvPath.isEmpty()) {
        m_timersCsv.setFileName(m_options.timersCsvPath);
        if (!m_timersCsv.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return abortStart(Usage,
                QStringLiteral("cannot write %1: %2")
                    .arg(m_options.timersCsvPath, m_timersCsv.errorString()));
        m_timersCsv.write(TimersCsv::header());
        m_timersCsv.flush();
    }

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
    if (!why.isEmpty())
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

void Recorder::writeSample(const Sample& sample, const RuntimeSample& runtime)
{
    if (m_finishing && m_completed)
        return;
    if (!m_csv.isOpen())
        return;
    const QByteArray row = SampleCsv::formatRow(sample, runtime);
    // Flushed per row: a killed recorder or target must not lose buffered rows.
    if (m_csv.write(row) != row.size() || !m_csv.flush()) {
        Q_EMIT message(QStringLiteral("cannot write %1: %2").arg(m_options.csvPath, m_csv.errorString()));
        finish(QStringLiteral("error"));
        return;
    }
    ++m_samples;
}

void Recorder::recordTimer(const TimerSpan& span)
{
    if (m_completed)
        return;
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
    if (exitCode == Done && m_options.failOnLeak && m_pipeline->leakFound())
        exitCode = LeakFound;
    if (!m_options.summaryPath.isEmpty()) {
        QString error;
        if (!writeSummary(&error))
            Q_EMIT message(error);
    }
    Q_EMIT message(
        QStringLiteral("Wrote %1 samples to %2 (%3)").arg(m_samples).arg(m_options.csvPath, m_endReason));
    Q_EMIT finished(exitCode);
}

bool Recorder::writeSummary(QString* error) const
{
    const TargetInfo& target = m_pipeline->target();
    const LeakDetector& leak = m_pipeline->leakDetector();
    QJsonObject summary{
        {QStringLiteral("pid"), m_options.pid},
        {QStringLiteral("nodeVersion"),
            target.nodeVersion.isEmpty() ? QJsonValue() : QJsonValue(target.nodeVersion)},
        {QStringLiteral("samples"), m_samples},
        {QStringLiteral("startTime"), Format::wallTime(m_startWallMs)},
        {QStringLiteral("endTime"), Format::wallTime(m_endWallMs)},
        {QStringLiteral("endReason"), m_endReason},
        {QStringLiteral("intervalMs"), m_sampler->intervalMs()},
        {QStringLiteral("csv"), QFileInfo(m_options.csvPath).absoluteFilePath()},
        {QStringLiteral("heapLimitBytes"),
            target.heapLimitBytes > 0 ? QJsonValue(target.heapLimitBytes) : QJsonValue()},
        {QStringLiteral("missedHeapReadings"), m_sampler->skippedHeapReadings()},
        {QStringLiteral("skippedTicks"), m_sampler->skippedTicks()},
        {QStringLiteral("timers"), m_pipeline->timerStatistics().toJson()},
        {QStringLiteral("leak"), leak.jsVerdict().toJson()},
        {QStringLiteral("nativeLeak"), leak.nativeVerdict().toJson()},
        {QStringLiteral("leakFound"), m_pipeline->leakFound()},
        {QStringLiteral("eventLoop"), m_pipeline->runtimeStatistics().eventLoopJson()},
        {QStringLiteral("gc"), m_pipeline->runtimeStatistics().gcJson()},
        {QStringLiteral("leakFoundTime"),
            m_pipeline->leakFound() ? QJsonValue(Format::wallTime(m_pipeline->leakFoundWallMs()))
                                    : QJsonValue()},
    };
    QSaveFile file(m_options.summaryPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(summary).toJson()) < 0
        || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_options.summaryPath, file.errorString());
        return false;
    }
    return true;
}

} // namespace NodeScope

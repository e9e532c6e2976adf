#include "watch/recorder.h"

#include "analysis/cpuprofile.h"
#include "format.h"
#include "proc/attachcheck.h"
#include "proc/procfs.h"
#include "session/samplecsv.h"
#include "session/timerscsv.h"
#include "session/workerscsv.h"
#include "watch/cpuprofilerecorder.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace NodeScope {

namespace {

// Safety net: a detach that never answers must not keep us (or the user) waiting.
constexpr int kStopGraceMs = 4000;
// QTimer takes an int of ms (24.8 days): longer durations are re-armed.
constexpr qint64 kLongestTimerMs = 86400000;
// How long a CPU profile waits for the probe to take over from the inspector
// before it starts on whatever way in there is.
constexpr int kProfileRouteWaitMs = 5000;
// Functions listed in the summary's cpuProfile.top.
constexpr int kProfileSummaryFunctions = 10;

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
    m_pipeline->setSuspectsMode(m_options.suspectsMode);
    m_durationTimer->setSingleShot(true);
    connect(m_durationTimer, &QTimer::timeout, this, &Recorder::armDurationTimer);
    connect(
        m_pipeline, &SessionPipeline::notice, this, [this](const QString& text) { Q_EMIT message(text); });
    connect(m_pipeline, &SessionPipeline::sampleAppended, this, &Recorder::writeSample);
    connect(m_pipeline, &SessionPipeline::spanAdded, this, &Recorder::recordTimer);
    connect(m_pipeline, &SessionPipeline::workersUpdated, this, &Recorder::writeWorkers);
    // The duration counts from the first sample, not from the attach.
    connect(m_pipeline, &SessionPipeline::started, this, [this](qint64 startWallMs) {
        m_startWallMs = startWallMs;
        if (m_options.durationMs > 0 && !m_finishing) {
            m_durationClock.start();
            armDurationTimer();
        }
    });
    connect(m_pipeline, &SessionPipeline::attached, this, [this](const TargetInfo& target) {
        m_attached = true;
        if (m_options.isRemote())
            // Nothing local to check it against: say whose word it is.
            Q_EMIT message(QStringLiteral("The inspector at %1 reports PID %2, Node %3 (heap figures only: "
                                          "no rss or CPU for a process elsewhere)")
                               .arg(targetName())
                               .arg(target.pid)
                               .arg(target.nodeVersion));
        Q_EMIT message(
            QStringLiteral("Recording every %1 ms to %2%3")
                .arg(m_sampler->intervalMs())
                .arg(m_options.csvPath)
                .arg(m_options.captureConsoleTimers ? QStringLiteral(", with the process's console timers")
                                                    : QString()));
    });
    connect(m_pipeline, &SessionPipeline::inspectorLost, this, [this] { m_attached = false; });
    connect(m_sampler->access(), &TargetAccess::routeChanged, this, [this](TargetAccess::Route route) {
        m_routeChangedWallMs = QDateTime::currentMSecsSinceEpoch();
        if (route == TargetAccess::Route::Probe)
            startCpuProfile();
    });
    connect(m_sampler->access(), &TargetAccess::attached, this, [this] {
        if (m_profileState != ProfileState::Waiting)
            return;
        // Without a probe to come, the inspector is the way in for good.
        if (m_options.throughInspector || m_options.isRemote())
            return startCpuProfile();
        m_profileFallback->start(kProfileRouteWaitMs);
    });
    connect(m_pipeline, &SessionPipeline::attachFailed, this,
        [this](const QString& reason) { abortStart(NotAttachable, reason); });
    connect(m_pipeline, &SessionPipeline::targetExited, this, [this] {
        if (m_samples == 0) // gone before anything was recorded (the pipeline said why)
            return abortStart(NotAttachable, {});
        finish(QStringLiteral("target-exited"));
    });
    connect(m_sampler, &Sampler::stopped, this, &Recorder::complete);

    m_profiler = new CpuProfileRecorder(m_sampler->access(), this);
    m_profileFallback = new QTimer(this);
    m_profileFallback->setSingleShot(true);
    connect(m_profileFallback, &QTimer::timeout, this, &Recorder::startCpuProfile);
    connect(m_profiler, &CpuProfileRecorder::started, this, [this](double seconds) {
        Q_EMIT message(
            QStringLiteral("Recording a CPU profile for %1 s to %2 (V8 samples the main thread every "
                           "%3 us: a few percent of one core while it runs)")
                .arg(seconds)
                .arg(m_options.cpuProfilePath)
                .arg(CpuProfileRecorder::kDefaultIntervalUs));
    });
    connect(m_profiler, &CpuProfileRecorder::finished, this, &Recorder::writeCpuProfile);
    connect(m_profiler, &CpuProfileRecorder::failed, this, &Recorder::cpuProfileFailed);
    // Last: following words the suspects mode, and that goes to stderr too.
    m_pipeline->follow(m_sampler);
}

Recorder::~Recorder() = default;

void Recorder::start()
{
    QString error;
    if (m_options.csvPath.isEmpty())
        return abortStart(Usage, QStringLiteral("--csv FILE is required"));
    // Paths written only at the end are checked now, not after an hour of recording.
    for (const QString& path : {m_options.summaryPath, m_options.timersCsvPath, m_options.cpuProfilePath,
             m_options.workersCsvPath}) {
        if (!path.isEmpty() && !(error = OutputFile::checkPath(path)).isEmpty())
            return abortStart(Usage, error);
    }
    if (!m_options.isRemote()) {
        const AttachCheck check = AttachCheck::of(m_options.pid);
        if (!check.canWatch())
            return abortStart(NotAttachable, check.reason());
        if (m_options.attach && !check.canAttach())
            return abortStart(NotAttachable,
                QStringLiteral("%1; use --no-attach to record its rss and CPU only").arg(check.reason()));
    }

    m_createdCsv = !QFileInfo::exists(m_options.csvPath);
    if (!m_csv.open(m_options.csvPath, &error)) {
        m_createdCsv = false;
        return abortStart(Usage, error);
    }
    m_createdCsv = m_createdCsv && m_csv.isRegularFile();
    if (!m_csv.writeRecord(SampleCsv::headerLine(), &error))
        return abortStart(Failed, error);
    if (!m_options.timersCsvPath.isEmpty()) {
        m_createdTimersCsv = !QFileInfo::exists(m_options.timersCsvPath);
        if (!m_timersCsv.open(m_options.timersCsvPath, &error)) {
            m_createdTimersCsv = false;
            return abortStart(Usage, error);
        }
        m_createdTimersCsv = m_createdTimersCsv && m_timersCsv.isRegularFile();
        if (!m_timersCsv.writeRecord(TimersCsv::header(), &error))
            return abortStart(Failed, error);
    }

    if (!m_options.cpuProfilePath.isEmpty())
        m_profileState = ProfileState::Waiting;
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
    samplerOptions.installProbe = !m_options.throughInspector;
    // Worker heaps come through the probe only, and go to a file of their own.
    samplerOptions.watchWorkers = m_options.watchWorkers && !workersCsvPath().isEmpty();
    if (m_options.isRemote())
        m_sampler->watchAddress(m_options.inspectorHost, m_options.inspectorPort, samplerOptions);
    else
        m_sampler->watchPid(m_options.pid, samplerOptions);
}

QString Recorder::targetName() const
{
    if (!m_options.isRemote())
        return QStringLiteral("PID %1").arg(m_options.pid);
    // An IPv6 address gets its brackets back, as the user wrote it.
    return m_options.inspectorHost.contains(QLatin1Char(':'))
        ? QStringLiteral("[%1]:%2").arg(m_options.inspectorHost).arg(m_options.inspectorPort)
        : QStringLiteral("%1:%2").arg(m_options.inspectorHost).arg(m_options.inspectorPort);
}

void Recorder::armDurationTimer()
{
    if (m_finishing)
        return;
    const qint64 left = m_options.durationMs - m_durationClock.elapsed();
    if (left <= 0) {
        finish(QStringLiteral("duration"));
        return;
    }
    m_durationTimer->start(int(qMin(left, kLongestTimerMs)));
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
    m_csv.close();
    m_timersCsv.close();
    m_workersCsv.close();
    // Nothing was recorded: don't leave empty files we made behind.
    if (m_samples == 0) {
        if (m_createdCsv)
            QFile::remove(m_options.csvPath);
        if (m_createdTimersCsv)
            QFile::remove(m_options.timersCsvPath);
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
    // Unbuffered, one write(2) per row: a killed recorder or target loses no
    // rows, and a failed write leaves none half written.
    QString error;
    if (!m_csv.writeRecord(SampleCsv::formatRow(sample, runtime), &error)) {
        m_csv.close();
        Q_EMIT message(error);
        finish(QStringLiteral("error"));
        return;
    }
    ++m_samples;
    noteHeapFigures(sample);
}

void Recorder::noteHeapFigures(const Sample& sample)
{
    // Only rows sampled while attached were meant to have heap figures.
    if (!m_options.attach || !m_attached)
        return;
    if (!sample.hasHeap()) {
        if (!m_heapFailing) {
            m_heapFailing = true;
            m_heapGapRows = 0;
            m_heapGapStartWallMs = sample.wallMs;
            Q_EMIT message(QStringLiteral("Heap readings are failing: %1; rows get rss and CPU only until "
                                          "they come back")
                               .arg(heapFailureReason()));
        }
        ++m_heapGapRows;
        return;
    }
    if (m_heapFailing) {
        m_heapFailing = false;
        Q_EMIT message(QStringLiteral("Heap readings are back: %1 row(s) over %2 have no heap figures")
                           .arg(m_heapGapRows)
                           .arg(Format::duration(double(sample.wallMs - m_heapGapStartWallMs) / 1000)));
    }
}

QString Recorder::heapFailureReason() const
{
    const auto stat = Procfs::parseStat(Procfs::readFile(QStringLiteral("/proc/%1/stat").arg(m_options.pid)));
    if (stat && (stat->state == 'T' || stat->state == 't'))
        return QStringLiteral("PID %1 is stopped (SIGSTOP, or a debugger holds it)").arg(m_options.pid);
    if (stat && stat->state == 'D')
        return QStringLiteral("PID %1 is waiting in the kernel (uninterruptible I/O)").arg(m_options.pid);
    if (!m_sampler->access()->isAttached())
        return QStringLiteral("the connection to PID %1 is gone").arg(m_options.pid);
    // A reading under way when the way in changed (the probe taking over
    // from the inspector) can be lost with the session it went through.
    if (m_routeChangedWallMs > 0
        && QDateTime::currentMSecsSinceEpoch() - m_routeChangedWallMs < 2 * m_sampler->intervalMs() + 1000)
        return QStringLiteral("a reading was cut off as NodeScope changed its way into PID %1")
            .arg(m_options.pid);
    return QStringLiteral("PID %1 gave no heap figures within a second (busy in native code, a long GC "
                          "pause, or an overloaded machine?)")
        .arg(m_options.pid);
}

void Recorder::recordTimer(const TimerSpan& span)
{
    if (m_completed || !m_timersCsv.isOpen())
        return;
    QString error;
    if (!m_timersCsv.writeRecord(TimersCsv::row(span), &error)) {
        m_timersCsv.close();
        Q_EMIT message(error);
        finish(QStringLiteral("error"));
    }
}

QString Recorder::workersCsvPath() const
{
    if (!m_options.workersCsvPath.isEmpty())
        return m_options.workersCsvPath;
    // Beside a samples file; a FIFO or /dev/null has no "beside".
    const QFileInfo samples(m_options.csvPath);
    if (m_options.isRemote() || (samples.exists() && !samples.isFile()))
        return {};
    return WorkersCsv::pathFor(m_options.csvPath);
}

void Recorder::writeWorkers()
{
    if (m_completed || !m_options.watchWorkers)
        return;
    const WorkerStore& workers = m_pipeline->workers();
    QString error;
    if (!m_workersCsv.isOpen()) {
        if (workers.isEmpty())
            return;
        if (!m_workersCsv.open(workersCsvPath(), &error)
            || !m_workersCsv.writeRecord(WorkersCsv::header(), &error)) {
            m_workersCsv.close();
            Q_EMIT message(error);
            finish(QStringLiteral("error"));
            return;
        }
        Q_EMIT message(QStringLiteral("Recording the worker threads' heaps to %1").arg(workersCsvPath()));
    }
    const qint64 start = m_startWallMs;
    for (const WorkerSeries& series : workers.series()) {
        qsizetype& written = m_workerRowsWritten[series.threadId];
        for (; written < series.points.size(); ++written) {
            if (!m_workersCsv.writeRecord(
                    WorkersCsv::row(series, series.points.at(written), start), &error)) {
                m_workersCsv.close();
                Q_EMIT message(error);
                finish(QStringLiteral("error"));
                return;
            }
        }
    }
}

void Recorder::startCpuProfile()
{
    if (m_profileState != ProfileState::Waiting || m_finishing || !m_sampler->access()->isAttached())
        return;
    m_profileFallback->stop();
    m_profileState = ProfileState::Recording;
    CpuProfileRecorder::Options options;
    options.seconds = m_options.profileSeconds;
    m_profiler->start(options);
}

void Recorder::writeCpuProfile(const QJsonObject& profile)
{
    const QByteArray json = QJsonDocument(profile).toJson(QJsonDocument::Compact);
    QString error;
    QString parseError;
    const std::optional<CpuProfile> parsed = CpuProfile::fromJson(profile, &parseError);
    if (!OutputFile::writeDocument(m_options.cpuProfilePath, json, &error)) {
        cpuProfileFailed(error);
        return;
    }
    m_profileState = ProfileState::Written;
    m_profileSummary = parsed ? parsed->summaryJson(kProfileSummaryFunctions) : QJsonObject();
    m_profileSummary.insert(QStringLiteral("file"), QFileInfo(m_options.cpuProfilePath).absoluteFilePath());
    QString top;
    if (parsed) {
        const QList<ProfileFunction> functions = parsed->topBySelf(1, true);
        if (!functions.isEmpty())
            top = QStringLiteral("; most self time in %1 (%2)")
                      .arg(Format::printable(functions.first().function),
                          Format::percent(parsed->percentOf(functions.first().selfMs)));
    }
    Q_EMIT message(QStringLiteral("Wrote a CPU profile of %1 to %2%3")
                       .arg(Format::duration(parsed ? parsed->durationMs() / 1000 : 0))
                       .arg(m_options.cpuProfilePath, top));
    if (m_finishing && !m_completed)
        m_sampler->stop();
}

void Recorder::cpuProfileFailed(const QString& reason)
{
    m_profileState = ProfileState::Failed;
    m_profileSummary = QJsonObject{{QStringLiteral("error"), reason}};
    Q_EMIT message(QStringLiteral("No CPU profile: %1").arg(reason));
    if (m_finishing && !m_completed)
        m_sampler->stop();
}

void Recorder::finish(const QString& endReason)
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_endReason = endReason;
    m_endWallMs = QDateTime::currentMSecsSinceEpoch();
    m_durationTimer->stop();
    m_profileFallback->stop();
    if (m_profileState == ProfileState::Waiting) {
        cpuProfileFailed(endReason == QLatin1String("target-exited")
                ? QStringLiteral("the process exited before the profile could start")
                : QStringLiteral("the recording ended before the profile could start"));
    } else if (m_profileState == ProfileState::Recording && endReason != QLatin1String("target-exited")) {
        // What was sampled so far is written first; then the sampler detaches.
        m_profiler->stopNow();
        QTimer::singleShot(
            CpuProfileRecorder::kDefaultStopPatienceMs + kStopGraceMs, this, &Recorder::complete);
        return;
    } else if (m_profileState == ProfileState::Recording) {
        m_profiler->abandon();
        cpuProfileFailed(QStringLiteral("the process exited before the profile ended"));
    }
    // The sampler publishes its last sample and detaches, then stopped() completes.
    m_sampler->stop();
    QTimer::singleShot(kStopGraceMs, this, &Recorder::complete);
}

void Recorder::complete()
{
    if (m_completed || !m_finishing)
        return;
    m_completed = true;
    m_csv.close();
    m_timersCsv.close();
    m_workersCsv.close();
    if (m_endWallMs == 0)
        m_endWallMs = QDateTime::currentMSecsSinceEpoch();
    if (m_heapFailing)
        Q_EMIT message(
            QStringLiteral("Heap readings did not come back: the last %1 row(s) have no heap figures")
                .arg(m_heapGapRows));
    int exitCode = m_endReason == QLatin1String("error") ? int(Failed) : int(Done);
    // A profile that was asked for and not written is a failure, unless the process went first.
    if (m_profileState == ProfileState::Recording || m_profileState == ProfileState::Waiting) {
        m_profiler->abandon();
        cpuProfileFailed(QStringLiteral("the profile did not finish in time"));
    }
    if (m_profileState == ProfileState::Failed && m_endReason != QLatin1String("target-exited"))
        exitCode = Failed;
    if (exitCode == Done && m_options.failOnLeak && m_pipeline->leakFound())
        exitCode = LeakFound;
    if (!m_options.summaryPath.isEmpty()) {
        QString error;
        if (!writeSummary(&error)) {
            Q_EMIT message(error);
            exitCode = Failed; // an I/O error: the summary is part of what was asked for
        }
    }
    Q_EMIT message(
        QStringLiteral("Wrote %1 samples to %2 (%3)").arg(m_samples).arg(m_options.csvPath, m_endReason));
    Q_EMIT finished(exitCode);
}

bool Recorder::writeSummary(QString* error) const
{
    const TargetInfo& target = m_pipeline->target();
    const LeakDetector& leak = m_pipeline->leakDetector();
    QJsonObject leakJson = leak.jsVerdict().toJson();
    QJsonArray suspects;
    for (const LeakSuspect& suspect : m_pipeline->suspects())
        suspects.append(suspect.toJson());
    leakJson.insert(QStringLiteral("suspects"), suspects);
    QJsonObject summary{
        // A remote target's pid is its own word; a local one is the PID we checked.
        {QStringLiteral("pid"), m_options.isRemote() ? target.pid : m_options.pid},
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
        {QStringLiteral("leak"), leakJson},
        {QStringLiteral("nativeLeak"), leak.nativeVerdict().toJson()},
        {QStringLiteral("leakFound"), m_pipeline->leakFound()},
        {QStringLiteral("eventLoop"), m_pipeline->runtimeStatistics().eventLoopJson()},
        {QStringLiteral("gc"), m_pipeline->runtimeStatistics().gcJson()},
        {QStringLiteral("leakFoundTime"),
            m_pipeline->leakFound() ? QJsonValue(Format::wallTime(m_pipeline->leakFoundWallMs()))
                                    : QJsonValue()},
    };
    if (m_options.isRemote())
        summary.insert(QStringLiteral("inspector"), targetName());
    if (m_options.watchWorkers && !m_options.isRemote()) {
        summary.insert(QStringLiteral("workers"), m_pipeline->workers().summaryJson(m_startWallMs));
        if (m_workersCsv.isOpen() || !m_pipeline->workers().isEmpty())
            summary.insert(QStringLiteral("workersCsv"), QFileInfo(workersCsvPath()).absoluteFilePath());
    }
    if (m_profileState != ProfileState::NotAsked)
        summary.insert(QStringLiteral("cpuProfile"), m_profileSummary);
    return OutputFile::writeDocument(m_options.summaryPath, QJsonDocument(summary).toJson(), error);
}

} // namespace NodeScope

#pragma once

// `nodescope record`: samples one process (by PID, or through an inspector
// address) into a CSV until a duration, a signal or the target's exit, then
// writes a summary. Rows are written whole, one write(2) each, as they come,
// so a crash or a killed target loses nothing that was sampled and a full
// disk leaves no half row. Exit codes follow DESIGN.md.

#include "watch/sampler.h"
#include "watch/sessionpipeline.h"

#include "session/outputfile.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>

class QTimer;

namespace NodeScope {

class CpuProfileRecorder;

class Recorder : public QObject {
    Q_OBJECT
public:
    // DESIGN.md's exit codes, plus 1 for a recording cut short by an I/O error.
    enum ExitCode { Done = 0, Failed = 1, Usage = 2, NotAttachable = 3, LeakFound = 4 };

    struct Options {
        qint64 pid = 0;
        // With a port: a process reached only through this inspector address
        // (heap figures only, no /proc), instead of pid.
        QString inspectorHost;
        quint16 inspectorPort = 0;
        QString csvPath;
        int intervalMs = Sampler::kDefaultIntervalMs;
        qint64 durationMs = 0; // 0: until a signal or the target's exit
        QString summaryPath;
        QString timersCsvPath;
        // The worker threads' heaps (Sampler::Options::watchWorkers), one
        // row per reading, to workersCsvPath (empty: `<csv>-workers.csv`
        // beside a regular samples file). The file is made when the first
        // worker is seen: a process without workers gets none.
        bool watchWorkers = false;
        QString workersCsvPath;
        bool attach = true;
        // Off unless asked for: an inspector session with Runtime enabled makes
        // the target serialise every console call (see README, Performance).
        bool captureConsoleTimers = false;
        bool throughInspector = false; // keep the inspector open instead of installing the probe
        bool failOnLeak = false;
        LeakSettings leakSettings;
        // A CPU profile (.cpuprofile) of this long, written here, taken once
        // the way in has settled (the probe's, or the inspector's when it stays).
        QString cpuProfilePath;
        double profileSeconds = 10;
        // When V8's sampling heap profiler looks for leak suspects.
        SessionPipeline::SuspectsMode suspectsMode = SessionPipeline::SuspectsMode::Auto;

        bool isRemote() const { return inspectorPort != 0; }
    };

    explicit Recorder(const Options& options, QObject* parent = nullptr);
    ~Recorder() override;

    // Starts; everything that follows is reported through message() and,
    // once, finished().
    void start();
    // Ends the recording ("signal", "duration", "target-exited", "error").
    void finish(const QString& endReason);

    qint64 samplesWritten() const { return m_samples; }

Q_SIGNALS:
    void message(const QString& line);
    void finished(int exitCode);

private:
    void abortStart(int exitCode, const QString& why);
    void armDurationTimer();
    void writeSample(const Sample& sample, const RuntimeSample& runtime);
    void noteHeapFigures(const Sample& sample);
    QString heapFailureReason() const;
    void recordTimer(const TimerSpan& span);
    void writeWorkers();
    QString workersCsvPath() const;
    void complete();
    bool writeSummary(QString* error) const;
    QString targetName() const;
    void startCpuProfile();
    void writeCpuProfile(const QJsonObject& profile);
    void cpuProfileFailed(const QString& reason);

    Options m_options;
    Sampler* m_sampler = nullptr;
    SessionPipeline* m_pipeline = nullptr;
    QTimer* m_durationTimer = nullptr;
    QElapsedTimer m_durationClock;
    OutputFile m_csv;
    OutputFile m_timersCsv;
    OutputFile m_workersCsv;
    QHash<qint64, qsizetype> m_workerRowsWritten; // points written, by thread id
    bool m_createdCsv = false;
    bool m_createdTimersCsv = false;
    // Heap figures while attached: rows without them are told on stderr as
    // they start and when they end, not once per row.
    bool m_attached = false;
    bool m_heapFailing = false;
    qint64 m_heapGapRows = 0;
    qint64 m_heapGapStartWallMs = 0;
    qint64 m_routeChangedWallMs = 0; // when the probe took over (or the way in changed)
    bool m_finishing = false;
    bool m_completed = false;
    qint64 m_samples = 0;
    qint64 m_startWallMs = 0;
    qint64 m_endWallMs = 0;
    QString m_endReason;
    int m_exitCode = Done;
    CpuProfileRecorder* m_profiler = nullptr;
    QTimer* m_profileFallback = nullptr; // starts the profile if the probe never takes over
    enum class ProfileState { NotAsked, Waiting, Recording, Written, Failed };
    ProfileState m_profileState = ProfileState::NotAsked;
    QJsonObject m_profileSummary; // for the summary: what was written, or why not
};

} // namespace NodeScope

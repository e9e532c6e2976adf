#pragma once

// `nodescope record`: samples one process into a CSV until a duration, a
// signal or the target's exit, then writes a summary. Rows are written and
// flushed as they come, so a crash or a killed target loses nothing that was
// sampled. Exit codes follow DESIGN.md.

#include "watch/sampler.h"
#include "watch/sessionpipeline.h"

#include <QFile>
#include <QObject>
#include <QString>

class QTimer;

namespace NodeScope {

class Recorder : public QObject {
    Q_OBJECT
public:
    // DESIGN.md's exit codes, plus 1 for a recording cut short by an I/O error.
    enum ExitCode { Done = 0, Failed = 1, Usage = 2, NotAttachable = 3, LeakFound = 4 };

    struct Options {
        qint64 pid = 0;
        QString csvPath;
        int intervalMs = Sampler::kDefaultIntervalMs;
        int durationSeconds = 0; // 0: until a signal or the target's exit
        QString summaryPath;
        QString timersCsvPath;
        bool attach = true;
        bool captureConsoleTimers = true;
        bool failOnLeak = false;
        LeakSettings leakSettings;
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
    void writeSample(const Sample& sample, const RuntimeSample& runtime);
    void recordTimer(const TimerSpan& span);
    void complete();
    bool writeSummary(QString* error) const;

    Options m_options;
    Sampler* m_sampler = nullptr;
    SessionPipeline* m_pipeline = nullptr;
    QTimer* m_durationTimer = nullptr;
    QFile m_csv;
    QFile m_timersCsv;
    bool m_createdCsv = false;
    bool m_finishing = false;
    bool m_completed = false;
    qint64 m_samples = 0;
    qint64 m_startWallMs = 0;
    qint64 m_endWallMs = 0;
    QString m_endReason;
    int m_exitCode = Done;
};

} // namespace NodeScope

#pragma once

// `nodescope record` run against a target, as a user would run it: its own
// process, CSV written and flushed per sample. Sampling through the real
// command rather than an in-process Sampler puts the sampler's CPU where it
// is in real use (competing with the target for the cores, not hidden in the
// benchmark) and lets its cost be read from /proc/PID.

#include <QElapsedTimer>
#include <QProcess>
#include <QString>

namespace NodeScope {

class RecorderProcess {
public:
    struct Options {
        qint64 pid = 0;
        int intervalMs = 250;
        bool consoleTimers = true;
        bool throughInspector = false; // --through-inspector: the inspector stays open, no probe
        QString csvPath;
        QString summaryPath;
        int cpu = -1; // pinned to this CPU (with every thread), -1: wherever the scheduler puts it
    };

    explicit RecorderProcess(const QString& binary);
    ~RecorderProcess();
    RecorderProcess(const RecorderProcess&) = delete;
    RecorderProcess& operator=(const RecorderProcess&) = delete;

    // Starts recording and waits until it says it is recording (attached).
    bool start(const Options& options, QString* error);
    qint64 pid() const { return m_process.processId(); }
    // Ends the recording with SIGINT, as a user would; returns the samples
    // its summary counts, or -1 (and why).
    qint64 stop(QString* error);
    // Seconds between "Recording ..." and the SIGINT: samples / this is the
    // rate really achieved.
    double recordedSeconds() const { return m_recordedSeconds; }

private:
    QString m_binary;
    Options m_options;
    QProcess m_process;
    QElapsedTimer m_clock;
    double m_recordedSeconds = 0;
};

} // namespace NodeScope

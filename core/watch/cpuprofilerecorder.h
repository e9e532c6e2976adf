#pragma once

// Records a V8 CPU profile of a watched process for a while: Profiler.enable,
// setSamplingInterval, start, and after the time Profiler.stop, whose reply is
// the .cpuprofile (DevTools and speedscope open it).
//
// Through the probe the profiler runs on an in-process session of its own
// (no port, nothing printed by the target), which is the cheap way; but that
// session answers on the process's event loop, so a loop blocked at the end
// of the profile holds the reply back: after stopPatienceMs the recording
// fails with a clear message, and the profiler stops and its session closes
// in the process as soon as the loop turns. Through the inspector (no probe)
// the reply comes by interrupt, stall or not.
//
// Cost to the process: V8 samples its main thread every intervalUs (a
// signal and a stack walk each; at the default 1 ms a few percent of one
// core), and builds the profile in memory until stop.

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

class QTimer;

namespace NodeScope {

class TargetAccess;

class CpuProfileRecorder : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalUs = 1000;
    static constexpr double kMaxSeconds = 3600;
    static constexpr int kDefaultStopPatienceMs = 10000;

    struct Options {
        double seconds = 10;
        int intervalUs = kDefaultIntervalUs;
        int stopPatienceMs = kDefaultStopPatienceMs;
    };

    explicit CpuProfileRecorder(TargetAccess* access, QObject* parent = nullptr);
    ~CpuProfileRecorder() override;

    bool isRecording() const { return m_phase != Phase::Idle; }
    // Emits started() once the profiler runs, then finished() or failed(), once.
    void start(const Options& options);
    // Ends the profile now (the recording it belongs to is ending): finished()
    // gets what was sampled so far.
    void stopNow();
    // Stops without waiting for the profile (NodeScope is leaving): the
    // profiler and its session are let go, nothing is emitted.
    void abandon();

Q_SIGNALS:
    void started(double seconds);
    // The profile as Profiler.stop gave it: {nodes, startTime, endTime, samples, timeDeltas}.
    void finished(const QJsonObject& profile);
    void failed(const QString& reason);

private:
    enum class Phase { Idle, Starting, Running, Stopping };

    void call(const QString& method, const QJsonObject& params,
        std::function<void(bool ok, const QJsonObject& result, const QString& error)> done, int timeoutMs);
    void stopProfiler();
    void release();
    void fail(const QString& reason);

    QPointer<TargetAccess> m_access;
    QTimer* m_timer = nullptr;
    Options m_options;
    Phase m_phase = Phase::Idle;
    int m_generation = 0;
    bool m_stopWhenStarted = false;
    int m_route = 0; // TargetAccess::Route at the start: a profile lives in one session
    QElapsedTimer m_clock;
};

} // namespace NodeScope

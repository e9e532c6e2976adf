#pragma once

// How NodeScope reaches into one Node process: through its probe whenever it
// can, through the inspector only while it must.
//
// An open inspector costs a process that logs a lot half of its
// throughput or more (Node routes every console call through it), so the
// inspector is a way in, not a place to stay: attach opens (or finds) it,
// verifies the PID, installs the probe (core/probe/probe.js) with one
// evaluation, and as soon as the probe says hello the inspector is closed
// again -- or, if it was the process's own, left as it was. From then on
// samples come over the probe's private socket, and the features that need
// CDP (console-timer capture, a forced collection) run on an in-process
// inspector session the probe opens for them and closes when they end.
//
// When the probe cannot run (a remote inspector address, a filesystem the
// socket cannot be made in) or has not said hello yet (a process busy in
// synchronous code runs no event loop; the inspector still answers, by
// interrupt), everything goes through the inspector instead, as before.

#include "inspector/cdpclient.h"
#include "types.h"
#include "watch/targetreading.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

class QTimer;

namespace NodeScope {

class InspectorConnection;
class ProbeChannel;

// One of V8's heap spaces (new_space, old_space, code_space, large_object_space...).
struct HeapSpace {
    QString name;
    qint64 sizeBytes = 0; // space_size: reserved
    qint64 usedBytes = 0; // space_used_size
    qint64 availableBytes = 0; // space_available_size
    qint64 physicalBytes = 0; // physical_space_size: committed
};

// The probe's answer about the process's worker threads.
struct WorkersReading {
    // Whether the probe keeps its worker session open (the process has
    // workers); when not, there is nothing to read until a new thread appears.
    bool watching = false;
    // Every worker alive; wallMs 0 for one that has not answered yet.
    QList<WorkerHeap> workers;
};

class TargetAccess : public QObject {
    Q_OBJECT
public:
    enum class Route {
        None, // nothing attached
        Inspector, // an inspector session (the probe not running, or not yet)
        Probe, // the probe; no inspector open on our account
    };
    Q_ENUM(Route)

    struct Options {
        bool installProbe = true; // false: stay on the inspector (benchmarks, comparisons)
    };

    explicit TargetAccess(QObject* parent = nullptr);
    ~TargetAccess() override;

    InspectorConnection* inspector() const { return m_inspector; }
    Route route() const { return m_route; }
    bool isAttached() const { return m_route != Route::None; }
    TargetInfo target() const { return m_target; }
    qint64 pid() const { return m_pid; }

    // Emits attached() (the inspector verified the PID; the probe may follow
    // and is announced by routeChanged()) or attachFailed().
    void attachToPid(qint64 pid, const Options& options);
    // An inspector elsewhere: no probe, heap figures only.
    void attachToAddress(const QString& host, quint16 port);
    // Removes the probe, closes what we opened; emits detached() once done.
    void detach();

    // One reading of the target's figures; nullopt (and why) on failure.
    void read(
        std::function<void(std::optional<TargetReading>, const QString& error)> callback, int timeoutMs);
    // Through the probe only: it takes a reading every everyMs on a timer of
    // its own and sends them in batches, one every batchMs, as
    // readingsStreamed(); everyMs 0 ends that (after a last batch). done(true)
    // once the probe streams, done(false) when it stopped or could not.
    void streamReadings(int everyMs, int batchMs, std::function<void(bool streaming)> done);
    // V8's heap spaces (v8.getHeapSpaceStatistics()), through the probe, or
    // through the inspector when there is no probe.
    void heapSpaces(std::function<void(std::optional<QList<HeapSpace>>, const QString& error)> callback);
    // A CDP command for a feature that needs one: on the probe's in-process
    // session (opened on first use), else on the inspector session.
    void cdp(const QString& method, const QJsonObject& params, CdpClient::Callback callback, int timeoutMs);
    // A heap snapshot, its JSON text chunk by chunk in heapSnapshotChunk()
    // and then done: through the probe as a stream (v8.getHeapSnapshot(),
    // with backpressure), else through the inspector (HeapProfiler.takeHeapSnapshot).
    void takeHeapSnapshot(std::function<void(bool ok, const QString& error)> done, int timeoutMs);
    // Lets the probe's in-process session go: its cost to the process ends.
    // Call when no feature needs CDP any more.
    void releaseCdp();
    // The same on a named in-process session of its own (a CPU profile), so
    // that one feature ending never ends another's session. On the inspector
    // route all features share the one inspector session.
    void cdpInSession(const QString& session, const QString& method, const QJsonObject& params,
        CdpClient::Callback callback, int timeoutMs);
    void releaseCdpSession(const QString& session);

    // Through the probe only: the worker threads' latest heap figures (see
    // probe.js, readWorkers). look=true opens the probe's worker session when
    // it is not open (a new thread appeared); consoleTimers relays the
    // workers' console timers as cdpEvent()s tagged with the worker.
    void readWorkers(bool look, bool consoleTimers,
        std::function<void(std::optional<WorkersReading>, const QString& error)> callback);
    // Closes the probe's worker session now (worker watching turned off).
    void stopReadingWorkers();

    // Through the probe only: asks it to open the process's inspector on a
    // random loopback port (or tell the one it has), for a feature that needs
    // a session on another thread than the process's own (Debugger.pause).
    // A request the process's loop reaches only after patienceMs is refused
    // there, so a late one never opens a port nobody closes; the callback
    // comes within patienceMs plus a second.
    using InspectorOpened = std::function<void(const QUrl& url, bool openedByProbe, const QString& error)>;
    void openInspector(int patienceMs, InspectorOpened callback);
    // Closes the inspector the probe opened with openInspector().
    void closeInspector(std::function<void(const QString& error)> callback);

Q_SIGNALS:
    void progress(const QString& message);
    void attached(const NodeScope::TargetInfo& target);
    void attachFailed(const QString& reason);
    // The way in changed (e.g. the probe took over and the inspector closed).
    void routeChanged(NodeScope::TargetAccess::Route route, const QString& message);
    // Every way in is gone while the process may live on.
    void lost(const QString& reason);
    // The target finished its work and was let go (remote targets).
    void targetFinishing();
    // A CDP event from whichever session carries them (console timers...);
    // a worker's carries its thread id and title, the main thread's 0 and "".
    void cdpEvent(const QString& method, const QJsonObject& params, qint64 workerThreadId = 0,
        const QString& workerTitle = {});
    // Readings the probe streamed (streamReadings()), oldest first; one that
    // made no sense is left out.
    void readingsStreamed(const QList<NodeScope::TargetReading>& readings);
    // A piece of the heap snapshot under way (takeHeapSnapshot()), in order.
    void heapSnapshotChunk(const QString& chunk);
    void detached();

private:
    void installProbe();
    void probeConnected(const QJsonObject& hello);
    void probeClosed(const QString& reason);
    void setRoute(Route route, const QString& message);
    void finishDetach();

    InspectorConnection* m_inspector = nullptr;
    ProbeChannel* m_probe = nullptr;
    QTimer* m_helloTimer = nullptr;
    Route m_route = Route::None;
    TargetInfo m_target;
    Options m_options;
    qint64 m_pid = 0;
    bool m_detaching = false;
    bool m_cdpSessionOpen = false; // the probe's in-process session
};

} // namespace NodeScope

Q_DECLARE_METATYPE(NodeScope::TargetAccess::Route)
Q_DECLARE_METATYPE(NodeScope::HeapSpace)
Q_DECLARE_METATYPE(NodeScope::WorkersReading)

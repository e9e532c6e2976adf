#pragma once

// A fixed local HTTP load: a closed loop of N keep-alive connections for a
// given time, in its own process so it never shares an event loop (or a
// sampler's thread) with the target. wrk when it is installed, because it
// costs far less CPU per request than any Node client and so leaves more of
// the two cores to the target; else bench/sampling/load.js.

#include <QProcess>
#include <QString>

namespace NodeScope {

class LoadGenerator {
public:
    enum class Tool { Wrk, Node };

    // wrk if it is on PATH, else the Node script.
    static Tool detect();
    static QString name(Tool tool);

    LoadGenerator(Tool tool, const QString& nodeScript);
    ~LoadGenerator();
    LoadGenerator(const LoadGenerator&) = delete;
    LoadGenerator& operator=(const LoadGenerator&) = delete;

    // With cpu >= 0 the generator runs on that CPU only.
    bool start(quint16 port, int connections, int seconds, QString* error, int cpu = -1);
    qint64 pid() const { return m_process.processId(); }
    // Blocks until the run ends or timeoutMs pass; false if it is still running.
    bool waitForEnd(int timeoutMs);
    // Requests per second the tool reported (NaN if none), and anything odd
    // it said (socket errors, non-2xx responses) in note.
    double requestsPerSecond(QString* note);
    // Ends a run early; its figures are lost.
    void abort();

private:
    Tool m_tool;
    QString m_nodeScript;
    QProcess m_process;
};

} // namespace NodeScope

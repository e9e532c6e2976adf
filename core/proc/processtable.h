#pragma once

// A snapshot of the machine's processes from /proc: who they are, whether they
// are Node, and whether NodeScope can reach (or open) their inspector. Pure
// reads of /proc, no signals and no network: cheap enough to refresh every
// couple of seconds off the GUI thread.

#include "types.h"

#include <QHash>
#include <QList>

#include <optional>

namespace NodeScope {

class SocketTables;

class ProcessTable {
public:
    struct Options {
        bool includeNonNode = false;
    };

    // Scans /proc. Node processes first, then by pid.
    static QList<ProcessInfo> scan(const Options& options);
    // One process; nullopt (and a reason) when it does not exist.
    static std::optional<ProcessInfo> read(qint64 pid, QString* whyNot = nullptr);

    // True for binaries named like node / nodejs / node20 / node-18.19.1.
    static bool isNodeExecutable(const QString& exePath);

    // What to call a process: "server.js", "[eval]", "api (server.js)" when
    // it set process.title, or its name when not Node.
    static QString displayName(const ProcessInfo& process);

    // "open on :9229", "opens on attach", "cannot attach: <reason>": the same
    // words in `nodescope list` and the picker.
    static QString describeInspector(const InspectorStatus& status);

    // Human-readable name of a uid, cached.
    static QString userName(uint uid);

    // Whether we may signal and inspect a process owned by uid.
    static bool mayControl(uint uid);

private:
    static std::optional<ProcessInfo> readProcess(
        qint64 pid, double uptimeNow, SocketTables& sockets, QString* whyNot);
    static InspectorStatus assessInspector(
        const ProcessInfo& info, quint64 sigCgt, const QStringList& args, SocketTables& sockets);
};

} // namespace NodeScope

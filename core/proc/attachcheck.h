#pragma once

// Whether a process can be watched, and whether its inspector may be
// reached: the one place the dashboard, `nodescope record` and the inspector
// connection ask before they start. It looks only at /proc (who runs it,
// whether it is Node, whether we may control it, whether it shares our
// network). The checks that must be made at the last moment -- SIGUSR1 still
// caught, the signal port still free -- stay with the attach itself.

#include "types.h"

#include <optional>

namespace NodeScope {

class AttachCheck {
public:
    static AttachCheck of(qint64 pid);
    static AttachCheck of(const ProcessInfo& process);

    // The process exists and is alive: rss and CPU can be sampled.
    bool canWatch() const { return m_process.has_value() && m_canWatch; }
    // It is a Node process we may control, reachable over loopback: an
    // attach may be tried (it can still fail for reasons only it can see).
    bool canAttach() const { return canWatch() && m_canAttach; }
    // Why not (when canWatch() or canAttach() is false), e.g.
    // "PID 42 (bash) is not a Node.js process".
    QString reason() const { return m_reason; }
    const std::optional<ProcessInfo>& process() const { return m_process; }

private:
    std::optional<ProcessInfo> m_process;
    bool m_canWatch = false;
    bool m_canAttach = false;
    QString m_reason;
};

} // namespace NodeScope

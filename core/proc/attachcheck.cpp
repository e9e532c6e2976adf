#include "proc/attachcheck.h"

#include "proc/listeningports.h"
#include "proc/processtable.h"

namespace NodeScope {

AttachCheck AttachCheck::of(qint64 pid)
{
    QString whyNot;
    std::optional<ProcessInfo> process = ProcessTable::read(pid, &whyNot);
    if (!process) {
        AttachCheck check;
        check.m_reason = whyNot;
        return check;
    }
    return of(*process);
}

AttachCheck AttachCheck::of(const ProcessInfo& process)
{
    AttachCheck check;
    check.m_process = process;
    const qint64 pid = process.pid;
    if (process.inspector.state == InspectorStatus::State::Unavailable
        && process.inspector.reason == QLatin1String("exited")) {
        check.m_reason = QStringLiteral("PID %1 has exited").arg(pid);
        return check;
    }
    check.m_canWatch = true;
    if (!process.isNode) {
        check.m_reason = QStringLiteral("PID %1 (%2) is not a Node.js process").arg(pid).arg(process.name);
        return check;
    }
    if (!ProcessTable::mayControl(process.uid)) {
        check.m_reason
            = QStringLiteral("PID %1 is owned by %2: NodeScope can only attach to your own processes")
                  .arg(pid)
                  .arg(process.user);
        return check;
    }
    if (!ListeningPorts::sharesOurNetworkNamespace(pid)) {
        check.m_reason = QStringLiteral("PID %1 runs in another network namespace (a container?): "
                                        "connect to its inspector address instead")
                             .arg(pid);
        return check;
    }
    check.m_canAttach = true;
    return check;
}

} // namespace NodeScope

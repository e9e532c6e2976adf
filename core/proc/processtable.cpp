#include "proc/processtable.h"

#include "proc/listeningports.h"
#include "proc/nodecommandline.h"
#include "proc/procfs.h"
#include "proc/sockettables.h"
#include "proc/startenvironment.h"

#include <QFileInfo>
#include <QMutex>
#include <QRegularExpression>

#include <algorithm>

#include <pwd.h>
#include <unistd.h>

namespace NodeScope {

namespace {

QString portHolderText(quint16 port, SocketTables& sockets)
{
    const std::optional<qint64> holder = sockets.holderOf(port);
    if (!holder)
        return {};
    if (*holder == 0)
        return QStringLiteral("port %1 is held by another process").arg(port);
    const auto stat = Procfs::parseStat(Procfs::readFile(QStringLiteral("/proc/%1/stat").arg(*holder)));
    return QStringLiteral("port %1 is held by PID %2%3")
        .arg(port)
        .arg(*holder)
        .arg(stat ? QStringLiteral(" (%1)").arg(stat->comm) : QString());
}

} // namespace

QString ProcessTable::displayName(const ProcessInfo& process)
{
    // The script a Node process runs says more than "node"; process.title
    // (which comm shows) more still.
    const QStringList args = process.commandLine.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString script;
    for (qsizetype i = 1; process.isNode && i < args.size(); ++i) {
        if (args[i] == QLatin1String("-e") || args[i] == QLatin1String("--eval")
            || args[i] == QLatin1String("-p") || args[i] == QLatin1String("--print")) {
            script = QStringLiteral("[eval]");
            break;
        }
        if (!args[i].startsWith(QLatin1Char('-'))) {
            script = args[i].section(QLatin1Char('/'), -1);
            break;
        }
    }
    const bool titled = !process.name.isEmpty() && process.name != QLatin1String("node")
        && process.name != QLatin1String("nodejs");
    if (script.isEmpty())
        return process.name.isEmpty() ? args.value(0) : process.name;
    return titled && process.isNode ? QStringLiteral("%1 (%2)").arg(process.name, script) : script;
}

QString ProcessTable::describeInspector(const InspectorStatus& status)
{
    switch (status.state) {
    case InspectorStatus::State::Open:
        return status.port ? QStringLiteral("open on :%1").arg(status.port)
                           : QStringLiteral("open (random port)");
    case InspectorStatus::State::Closed:
        return QStringLiteral("opens on attach");
    case InspectorStatus::State::Unavailable:
        break;
    }
    return QStringLiteral("cannot attach: %1").arg(status.reason);
}

bool ProcessTable::isNodeExecutable(const QString& exePath)
{
    static const QRegularExpression pattern(QStringLiteral("^(node|nodejs)([-_.]?[0-9][0-9.]*)?$"));
    QString name = QFileInfo(exePath).fileName();
    if (name.endsWith(QLatin1String(" (deleted)"))) // binary replaced by an upgrade
        name.chop(int(sizeof(" (deleted)")) - 1);
    return pattern.match(name).hasMatch();
}

QString ProcessTable::userName(uint uid)
{
    static QMutex mutex;
    static QHash<uint, QString> cache;
    QMutexLocker lock(&mutex);
    if (const auto it = cache.constFind(uid); it != cache.cend())
        return *it;
    passwd entry{};
    passwd* found = nullptr;
    char buffer[1024];
    QString name = QString::number(uid);
    if (getpwuid_r(uid, &entry, buffer, sizeof(buffer), &found) == 0 && found)
        name = QString::fromLocal8Bit(found->pw_name);
    cache.insert(uid, name);
    return name;
}

bool ProcessTable::mayControl(uint uid)
{
    return geteuid() == 0 || geteuid() == uid;
}

InspectorStatus ProcessTable::assessInspector(
    const ProcessInfo& info, quint64 sigCgt, const QStringList& args, SocketTables& sockets)
{
    using State = InspectorStatus::State;
    if (!mayControl(info.uid))
        return {State::Unavailable, 0,
            QStringLiteral("owned by %1: NodeScope can only attach to your own processes").arg(info.user)};
    if (!info.isNode)
        return {State::Unavailable, 0, QStringLiteral("not a Node.js process")};
    if (!ListeningPorts::sharesOurNetworkNamespace(info.pid))
        return {State::Unavailable, 0,
            QStringLiteral("runs in another network namespace (a container?): connect to its inspector "
                           "address instead")};

    const NodeCommandLine flags
        = NodeCommandLine::parse(args, StartEnvironment::ofProcess(info.pid).nodeOptions());
    const auto owned = ListeningPorts::ofProcess(info.pid, sockets.listenersFor(info.pid));
    QList<quint16> loopbackPorts;
    for (const Procfs::ListeningSocket& socket : owned.value_or(QList<Procfs::ListeningSocket>())) {
        if (socket.isLoopbackOrAny() && !loopbackPorts.contains(socket.port))
            loopbackPorts.append(socket.port);
    }

    // An inspector it was started with, or one opened on its signal port.
    if (flags.requestedPort() && *flags.requestedPort() != 0
        && loopbackPorts.contains(*flags.requestedPort()))
        return {State::Open, *flags.requestedPort(), {}};
    if (loopbackPorts.contains(flags.signalPort()))
        return {State::Open, flags.signalPort(), {}};
    if (flags.inspectRequested() && flags.requestedPort() == quint16(0) && !loopbackPorts.isEmpty()) {
        // --inspect=0: a random port. With one candidate it is that one; with
        // several, the attach probes them.
        return {State::Open, loopbackPorts.size() == 1 ? loopbackPorts.first() : quint16(0),
            loopbackPorts.size() == 1 ? QString() : QStringLiteral("random port, found on attach")};
    }

    if (flags.sigusr1Disabled() || !(sigCgt & Procfs::kSigUsr1Mask))
        return {State::Unavailable, 0,
            QStringLiteral("does not catch SIGUSR1 (--disable-sigusr1?): the signal would kill it; start it "
                           "with --inspect=0")};
    const QString clash = flags.signalPort() ? portHolderText(flags.signalPort(), sockets) : QString();
    if (!clash.isEmpty())
        return {State::Unavailable, 0, clash + QStringLiteral(", so its inspector cannot open")};
    return {State::Closed, 0, QStringLiteral("opens on attach")};
}

std::optional<ProcessInfo> ProcessTable::readProcess(
    qint64 pid, double uptimeNow, SocketTables& sockets, QString* whyNot)
{
    const QString dir = QStringLiteral("/proc/%1/").arg(pid);
    const auto stat = Procfs::parseStat(Procfs::readFile(dir + QLatin1String("stat")));
    const auto status = Procfs::parseStatus(Procfs::readFile(dir + QLatin1String("status")));
    if (!stat || !status) {
        if (whyNot)
            *whyNot = QStringLiteral("PID %1 does not exist").arg(pid);
        return std::nullopt;
    }

    ProcessInfo info;
    info.pid = pid;
    info.ppid = stat->ppid;
    info.uid = status->realUid;
    info.user = userName(info.uid);
    info.name = stat->comm;
    info.startTimeTicks = stat->startTimeTicks;
    info.threads = stat->numThreads;
    static const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    static const long pageSize = sysconf(_SC_PAGESIZE);
    info.uptimeSeconds = std::max(0.0, uptimeNow - double(stat->startTimeTicks) / double(ticksPerSecond));
    info.rssBytes = stat->rssPages * pageSize;

    const QStringList args = Procfs::parseCmdline(Procfs::readFile(dir + QLatin1String("cmdline")));
    info.commandLine = args.join(QLatin1Char(' '));
    info.exePath = Procfs::readLink(dir + QLatin1String("exe"));
    // process.title rewrites comm and argv, never /proc/PID/exe; when exe is
    // unreadable (another user's process) argv[0] is the best hint left.
    info.isNode = isNodeExecutable(info.exePath.isEmpty() ? args.value(0) : info.exePath);
    if (stat->state == 'Z' || stat->state == 'X') {
        info.inspector = {InspectorStatus::State::Unavailable, 0, QStringLiteral("exited")};
    } else {
        info.inspector = assessInspector(info, status->sigCgt, args, sockets);
    }
    return info;
}

std::optional<ProcessInfo> ProcessTable::read(qint64 pid, QString* whyNot)
{
    const double uptimeNow
        = Procfs::parseUptime(Procfs::readFile(QStringLiteral("/proc/uptime"))).value_or(0);
    SocketTables sockets;
    return readProcess(pid, uptimeNow, sockets, whyNot);
}

QList<ProcessInfo> ProcessTable::scan(const Options& options)
{
    const double uptimeNow
        = Procfs::parseUptime(Procfs::readFile(QStringLiteral("/proc/uptime"))).value_or(0);
    QList<ProcessInfo> result;
    SocketTables sockets; // one read of each namespace's TCP tables per scan
    QList<qint64> pids = Procfs::numericEntries(QStringLiteral("/proc"));
    std::sort(pids.begin(), pids.end());
    for (const qint64 pid : std::as_const(pids)) {
        if (!options.includeNonNode) {
            // Cheap pre-filter before reading everything about the process.
            const QString exe = Procfs::readLink(QStringLiteral("/proc/%1/exe").arg(pid));
            const QString hint = exe.isEmpty()
                ? Procfs::parseCmdline(Procfs::readFile(QStringLiteral("/proc/%1/cmdline").arg(pid))).value(0)
                : exe;
            if (!isNodeExecutable(hint))
                continue;
        }
        std::optional<ProcessInfo> info = readProcess(pid, uptimeNow, sockets, nullptr);
        if (!info || (info->commandLine.isEmpty() && !info->isNode && (info->ppid == 2 || pid == 2)))
            continue; // vanished, or a kernel thread
        if (!options.includeNonNode && !info->isNode)
            continue;
        result.append(std::move(*info));
    }
    std::stable_sort(result.begin(), result.end(), [](const ProcessInfo& a, const ProcessInfo& b) {
        if (a.isNode != b.isNode)
            return a.isNode;
        return a.pid < b.pid;
    });
    return result;
}

} // namespace NodeScope

#include "snapshotcommand.h"

#include "commandparser.h"

#include "analysis/heapsnapshotestimate.h"
#include "format.h"
#include "inspector/inspectorconnection.h"
#include "proc/attachcheck.h"
#include "session/outputfile.h"
#include "watch/heapsnapshotwriter.h"
#include "watch/targetaccess.h"
#include "watch/unixsignalwatcher.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStorageInfo>
#include <QTextStream>
#include <QTimer>

#include <csignal>

using namespace NodeScope;

namespace {

enum ExitCode { Done = 0, Failed = 1, Usage = 2, NotAttachable = 3, Refused = 5 };

// How long the probe may take to take over from the inspector before the
// snapshot goes through the inspector instead.
constexpr int kProbeWaitMs = 3000;
// Safety net for a detach that never answers.
constexpr int kDetachGraceMs = 4000;

} // namespace

int runSnapshotCommand(const QStringList& arguments)
{
    CommandParser command(QStringLiteral("snapshot"),
        QStringLiteral("snapshot --pid PID --out FILE [--force]"),
        QStringLiteral("Write a heap snapshot of a Node.js process to a .heapsnapshot file (opens in Chrome "
                       "DevTools' Memory tab and in memlab).\n"
                       "Before taking it, NodeScope estimates what it costs the process and refuses when the "
                       "process could run out of memory doing it."),
        QStringLiteral("Process to snapshot."));
    const QCommandLineOption outOption(
        QStringLiteral("out"), QStringLiteral("The .heapsnapshot file to write."), QStringLiteral("FILE"));
    const QCommandLineOption forceOption(QStringLiteral("force"),
        QStringLiteral("Take it even when the estimate exceeds the memory available to the process."));
    command.addOptions({outOption, forceOption});
    if (const std::optional<int> status = command.parse(arguments))
        return *status;
    const QCommandLineParser& parser = command.parser();
    const qint64 pid = command.pid();
    const QString out = parser.value(outOption);
    if (out.isEmpty())
        return command.usageError(QStringLiteral("--out FILE is required"));
    const bool force = parser.isSet(forceOption);
    QTextStream err(stderr);
    const auto say = [&err](const QString& line) {
        err << "nodescope: " << Format::printable(line) << "\n";
        err.flush();
    };
    if (const QString why = OutputFile::checkPath(out); !why.isEmpty()) {
        say(why);
        return Usage;
    }
    const AttachCheck check = AttachCheck::of(pid);
    if (!check.canAttach()) {
        say(check.reason());
        return NotAttachable;
    }

    std::signal(SIGPIPE, SIG_IGN);
    TargetAccess access;
    HeapSnapshotWriter writer(&access);
    int exitCode = Done;
    bool started = false;
    bool ending = false;
    QTimer probeWait;
    probeWait.setSingleShot(true);

    const auto end = [&](int code, const QString& why) {
        if (ending)
            return;
        ending = true;
        exitCode = code;
        if (!why.isEmpty())
            say(why);
        const bool connecting = access.inspector()->phase() == InspectorConnection::Phase::Attaching;
        if (!access.isAttached() && !connecting)
            return QCoreApplication::exit(code);
        QObject::connect(&access, &TargetAccess::detached, [code] { QCoreApplication::exit(code); });
        QTimer::singleShot(kDetachGraceMs, [code] { QCoreApplication::exit(code); });
        access.detach();
    };
    const auto take = [&] {
        if (started || ending)
            return;
        started = true;
        access.read(
            [&](std::optional<TargetReading> reading, const QString& error) {
                if (!reading || reading->heapUsedBytes == Sample::kMissingBytes)
                    return end(
                        Failed, QStringLiteral("cannot read heapUsed of PID %1: %2").arg(pid).arg(error));
                const QStorageInfo disk(QFileInfo(out).absolutePath());
                const HeapSnapshotEstimate estimate
                    = HeapSnapshotEstimate::of(reading->heapUsedBytes, MemoryLimits::ofProcess(pid),
                        disk.isValid() ? disk.bytesAvailable() : MemoryLimits::kUnknown);
                say(estimate.description());
                const QString refusal = estimate.refusal();
                if (!refusal.isEmpty() && !force)
                    return end(Refused,
                        QStringLiteral("Not taking the snapshot: %1. --force takes it anyway.").arg(refusal));
                if (!refusal.isEmpty())
                    say(QStringLiteral("Taking it anyway (--force): %1").arg(refusal));
                say(QStringLiteral(
                    "Taking a heap snapshot of PID %1 (its main thread is frozen until it is built)…")
                        .arg(pid));
                writer.start(out);
            },
            10000);
    };

    QObject::connect(&access, &TargetAccess::progress, say);
    QObject::connect(
        &access, &TargetAccess::attachFailed, [&](const QString& reason) { end(NotAttachable, reason); });
    QObject::connect(&access, &TargetAccess::attached, [&] { probeWait.start(kProbeWaitMs); });
    QObject::connect(&probeWait, &QTimer::timeout, take); // no probe: through the inspector
    QObject::connect(&access, &TargetAccess::routeChanged, [&](TargetAccess::Route route) {
        if (route == TargetAccess::Route::Probe) {
            probeWait.stop();
            take();
        }
    });
    QObject::connect(&access, &TargetAccess::lost,
        [&](const QString& reason) { end(Failed, QStringLiteral("lost PID %1: %2").arg(pid).arg(reason)); });
    QObject::connect(
        &writer, &HeapSnapshotWriter::finished, [&](const QString& path, qint64 bytes, const QString& error) {
            if (!error.isEmpty())
                return end(Failed, error);
            end(Done, QStringLiteral("Wrote %1 to %2").arg(Format::bytes(double(bytes)), path));
        });
    UnixSignalWatcher signals({SIGINT, SIGTERM, SIGHUP});
    QObject::connect(&signals, &UnixSignalWatcher::received,
        [&] { end(Failed, QStringLiteral("interrupted: no snapshot written")); });

    // Started from the event loop, so that an early failure can end it.
    QTimer::singleShot(0, [&] { access.attachToPid(pid, {}); });
    QCoreApplication::exec();
    return exitCode;
}

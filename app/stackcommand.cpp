#include "stackcommand.h"

#include "commandparser.h"

#include "format.h"
#include "watch/stackgrab.h"
#include "watch/unixsignalwatcher.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

#include <csignal>
#include <optional>

using namespace NodeScope;

namespace {

// DESIGN.md's exit codes.
enum ExitCode { Done = 0, Failed = 1, Usage = 2, NotAttachable = 3 };

} // namespace

int runStackCommand(const QStringList& arguments)
{
    CommandParser command(QStringLiteral("stack"),
        QStringLiteral("stack --pid PID [--json] [--idle-wait MS]"),
        QStringLiteral(
            "Print the main thread's JavaScript stack of a Node.js process right now, innermost frame first, "
            "one frame a line: function url:line:column. Works while the process is stuck in synchronous "
            "code.\n"
            "It opens the process's inspector if needed (SIGUSR1, only when the process catches it; it "
            "prints "
            "\"Debugger listening\" and \"Debugger attached.\" on its stderr), pauses the thread for about a "
            "millisecond, and closes the inspector again; a process busy in synchronous code closes it at "
            "its "
            "next event-loop turn."),
        QStringLiteral("Process whose stack to print."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
        QStringLiteral("Print one JSON object: pid, nodeVersion, time, idle, frames [{function, url, line, "
                       "column, origin: app | node_modules | node | unknown}], pausedMs, tookMs, via."));
    const QCommandLineOption idleOption(QStringLiteral("idle-wait"),
        QStringLiteral("How long to wait for JavaScript to run before calling the process idle, in ms "
                       "(default %1).")
            .arg(StackGrab::Options().idleWaitMs),
        QStringLiteral("MS"));
    command.addOptions({jsonOption, idleOption});
    if (const std::optional<int> status = command.parse(arguments))
        return *status;
    const QCommandLineParser& parser = command.parser();
    const qint64 pid = command.pid();
    bool ok = false;
    StackGrab::Options options;
    if (parser.isSet(idleOption)) {
        options.idleWaitMs = parser.value(idleOption).toInt(&ok);
        if (!ok || options.idleWaitMs < 10 || options.idleWaitMs > 60000)
            return command.usageError(QStringLiteral("--idle-wait must be 10 to 60000 ms"));
    }
    const bool json = parser.isSet(jsonOption);

    QTextStream out(stdout);
    QTextStream err(stderr);

    StackGrab grab;
    std::optional<StackSnapshot> snapshot;
    QString failure;
    QObject::connect(&grab, &StackGrab::progress, [&err](const QString& line) {
        err << "nodescope: " << Format::printable(line) << "\n";
        err.flush();
    });
    QObject::connect(
        &grab, &StackGrab::captured, [&snapshot](const StackSnapshot& taken) { snapshot = taken; });
    QObject::connect(&grab, &StackGrab::failed, [&failure](const QString& reason) { failure = reason; });
    int exitCode = Done;
    QObject::connect(&grab, &StackGrab::finished, [&](const QString& note) {
        if (!snapshot) {
            err << "nodescope stack: " << Format::printable(failure) << "\n";
            exitCode = grab.reachedProcess() ? Failed : NotAttachable;
        } else {
            snapshot->note = note;
            if (json) {
                out << QJsonDocument(snapshot->toJson()).toJson(QJsonDocument::Indented);
            } else {
                out << snapshot->text();
                if (snapshot->idle)
                    err << "nodescope: PID " << pid << " ran no JavaScript within " << options.idleWaitMs
                        << " ms: its main thread is idle in its event loop (or in native code)\n";
                else
                    err << "nodescope: PID " << pid << " (Node " << Format::printable(snapshot->nodeVersion)
                        << "), through " << snapshot->via << "; its main thread was held for "
                        << Format::milliseconds(snapshot->pausedMs) << "\n";
                if (!note.isEmpty())
                    err << "nodescope: " << Format::printable(note) << "\n";
            }
        }
        out.flush();
        err.flush();
        QCoreApplication::exit(exitCode);
    });
    // Ctrl-C must not leave the inspector we opened behind: the grab is
    // bounded by its timeouts and closes what it opened on its way out.
    UnixSignalWatcher signals({SIGINT, SIGTERM, SIGHUP});
    QObject::connect(&signals, &UnixSignalWatcher::received, [&err, pid](int) {
        err << "nodescope: finishing first, to leave PID " << pid << " as it was\n";
        err.flush();
    });
    grab.grabFromPid(pid, options);
    QCoreApplication::exec();
    return exitCode;
}

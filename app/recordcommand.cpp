#include "recordcommand.h"

#include "commandparser.h"

#include "format.h"
#include "watch/recorder.h"
#include "watch/unixsignalwatcher.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cmath>
#include <csignal>

using namespace NodeScope;

namespace {

// HOST:PORT, [IPv6]:PORT; false when it is neither.
bool parseAddress(const QString& text, QString* host, quint16* port)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString name = text.left(colon);
    if (name.startsWith(QLatin1Char('[')) && name.endsWith(QLatin1Char(']')))
        name = name.mid(1, name.size() - 2);
    else if (name.contains(QLatin1Char(':')))
        return false; // an IPv6 address needs its brackets to tell the port from it
    bool ok = false;
    const int number = text.mid(colon + 1).toInt(&ok);
    if (!ok || number < 1 || number > 65535 || name.isEmpty())
        return false;
    *host = name;
    *port = quint16(number);
    return true;
}

} // namespace

int runRecordCommand(const QStringList& arguments)
{
    CommandParser command(QStringLiteral("record"),
        QStringLiteral(
            "record (--pid PID | --inspector HOST:PORT) --csv FILE [--interval MS]"
            " [--duration SEC] [--summary FILE.json] [--timers-csv FILE] [--no-attach]"
            " [--console-timers | --no-console-timers] [--through-inspector]"
            " [--workers | --workers-csv FILE] [--fail-on-leak]"
            " [--leak-window SEC] [--leak-min-growth MB] [--leak-confirm SEC] [--leak-gc-budget MS]"
            " [--leak-suspects auto|always|off] [--cpu-profile FILE [--profile-seconds SEC]]"),
        QStringLiteral(
            "Record a process's memory and CPU to CSV until the duration ends, SIGINT/SIGTERM, or "
            "the process exits.\n"
            "Attaching opens the target's inspector if needed; it prints \"Debugger listening\" and "
            "\"Debugger attached.\" on its own stderr."),
        QStringLiteral("Process to record."));
    const QCommandLineOption inspectorOption(QStringLiteral("inspector"),
        QStringLiteral("Record the process behind this inspector address instead of a PID (a container, an "
                       "SSH tunnel): heap figures only, no rss or CPU; its PID and Node version are its own "
                       "word. Not with --pid."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption csvOption(
        QStringLiteral("csv"), QStringLiteral("Samples CSV to write."), QStringLiteral("FILE"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
        QStringLiteral("Sampling interval in ms, %1 to %2 (default %3).")
            .arg(Sampler::kMinIntervalMs)
            .arg(Sampler::kMaxIntervalMs)
            .arg(Sampler::kDefaultIntervalMs),
        QStringLiteral("MS"));
    const QCommandLineOption durationOption(QStringLiteral("duration"),
        QStringLiteral("Stop after this many seconds; fractions count (0.5 is half a second, the shortest "
                       "is 0.001)."),
        QStringLiteral("SEC"));
    const QCommandLineOption summaryOption(
        QStringLiteral("summary"), QStringLiteral("Write a JSON summary here."), QStringLiteral("FILE.json"));
    const QCommandLineOption timersOption(QStringLiteral("timers-csv"),
        QStringLiteral("Capture the process's console.time spans and write them here (implies "
                       "--console-timers, and its cost)."),
        QStringLiteral("FILE"));
    const QCommandLineOption noAttachOption(QStringLiteral("no-attach"),
        QStringLiteral("Don't use the inspector: rss and CPU only, heap cells empty."));
    const QCommandLineOption timersOnOption(QStringLiteral("console-timers"),
        QStringLiteral("Capture the process's console.timeEnd/timeLog into the summary. Costs the target: "
                       "while on, Node routes every console call through the inspector (~50 us each; an "
                       "app that logs per request loses two thirds to three quarters of its throughput)."));
    const QCommandLineOption noTimersOption(QStringLiteral("no-console-timers"),
        QStringLiteral("Don't capture the process's console timers (the default)."));
    const QCommandLineOption throughInspectorOption(QStringLiteral("through-inspector"),
        QStringLiteral(
            "Keep the process's inspector open and sample through it instead of through "
            "NodeScope's probe: heap figures even while its event loop is blocked, but no event-loop, "
            "GC or resource figures, and an open inspector costs an app that logs a lot dearly."));
    const QCommandLineOption workersOption(QStringLiteral("workers"),
        QStringLiteral("Read the worker threads' heaps too, to <csv>-workers.csv (made when the first worker "
                       "is seen). Costs nothing while the process has no workers; while it has, an "
                       "in-process inspector session stays attached to them, and console calls of every "
                       "thread cost more (a console.log-bound loop ran at about half its speed)."));
    const QCommandLineOption workersCsvOption(QStringLiteral("workers-csv"),
        QStringLiteral("Read the worker threads' heaps (as --workers) and write them to FILE."),
        QStringLiteral("FILE"));
    const QCommandLineOption failOnLeakOption(
        QStringLiteral("fail-on-leak"), QStringLiteral("Exit with status 4 if a memory leak was found."));
    const QCommandLineOption leakWindowOption(QStringLiteral("leak-window"),
        QStringLiteral("Trailing window the leak trend is judged over, in seconds (default %1).")
            .arg(LeakSettings().windowSeconds),
        QStringLiteral("SEC"));
    const QCommandLineOption leakGrowthOption(QStringLiteral("leak-min-growth"),
        QStringLiteral("Smallest heap-floor growth over the window reported as a leak, in MB (default %1).")
            .arg(double(LeakSettings().minGrowthBytes) / (1024 * 1024)),
        QStringLiteral("MB"));
    const QCommandLineOption leakConfirmOption(QStringLiteral("leak-confirm"),
        QStringLiteral("How long a growth must last before it is called a leak, in seconds (default %1).")
            .arg(LeakSettings().confirmSeconds),
        QStringLiteral("SEC"));
    const QCommandLineOption cpuProfileOption(QStringLiteral("cpu-profile"),
        QStringLiteral(
            "Record a V8 CPU profile during the recording and write it here (a .cpuprofile, which "
            "Chrome DevTools and speedscope open); the summary lists its top functions. It starts once "
            "attached. Costs the target a few percent of one core while it runs."),
        QStringLiteral("FILE"));
    const QCommandLineOption profileSecondsOption(QStringLiteral("profile-seconds"),
        QStringLiteral("Length of the CPU profile in seconds, 0.1 to 3600 (default 10); a recording that "
                       "ends first ends it."),
        QStringLiteral("SEC"));
    const QCommandLineOption leakGcBudgetOption(QStringLiteral("leak-gc-budget"),
        QStringLiteral("While the heap floor rises and the verdict is undecided, force a full collection "
                       "to confirm it (at most once a minute) when its pause is expected within MS "
                       "milliseconds; it stops the process for that long (default 0: never)."),
        QStringLiteral("MS"));
    const QCommandLineOption suspectsOption(QStringLiteral("leak-suspects"),
        QStringLiteral(
            "When to look for the code that leaks, with V8's sampling heap profiler in the process: "
            "auto (while the heap floor grows, the default), always, or off. %1.")
            .arg(LeakSuspects::costNote()),
        QStringLiteral("auto|always|off"));
    command.addOptions({inspectorOption, csvOption, intervalOption, durationOption, summaryOption,
        timersOption, noAttachOption, timersOnOption, noTimersOption, throughInspectorOption, workersOption,
        workersCsvOption, failOnLeakOption, leakWindowOption, leakGrowthOption, leakConfirmOption,
        leakGcBudgetOption, suspectsOption, cpuProfileOption, profileSecondsOption});

    if (const std::optional<int> status = command.parse(arguments, &inspectorOption))
        return *status;
    const QCommandLineParser& parser = command.parser();

    Recorder::Options options;
    bool ok = false;
    if (parser.isSet(command.pidOption()) && parser.isSet(inspectorOption))
        return command.usageError(QStringLiteral("--pid and --inspector name the target twice: give one"));
    if (parser.isSet(inspectorOption)) {
        if (!parseAddress(parser.value(inspectorOption), &options.inspectorHost, &options.inspectorPort))
            return command.usageError(
                QStringLiteral("--inspector must be HOST:PORT (or [IPv6]:PORT), not \"%1\"")
                    .arg(parser.value(inspectorOption)));
        if (parser.isSet(noAttachOption))
            return command.usageError(
                QStringLiteral("--no-attach leaves nothing to record through --inspector"));
    } else {
        options.pid = command.pid();
    }
    if (!parser.isSet(csvOption) || parser.value(csvOption).isEmpty())
        return command.usageError(QStringLiteral("--csv FILE is required"));
    options.csvPath = parser.value(csvOption);
    if (parser.isSet(intervalOption)) {
        options.intervalMs = parser.value(intervalOption).toInt(&ok);
        if (!ok || options.intervalMs < Sampler::kMinIntervalMs
            || options.intervalMs > Sampler::kMaxIntervalMs)
            return command.usageError(QStringLiteral("--interval must be %1 to %2 ms")
                                          .arg(Sampler::kMinIntervalMs)
                                          .arg(Sampler::kMaxIntervalMs));
    }
    if (parser.isSet(durationOption)) {
        const double seconds = parser.value(durationOption).toDouble(&ok);
        // toDouble() takes "nan" and "inf"; neither is a duration.
        if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > 365 * 86400)
            return command.usageError(
                QStringLiteral("--duration must be a number of seconds, 0.001 to 31536000, not \"%1\"")
                    .arg(parser.value(durationOption)));
        options.durationMs = qRound64(seconds * 1000);
        if (options.durationMs < 1)
            return command.usageError(QStringLiteral("--duration must be at least 0.001 seconds"));
    }
    options.summaryPath = parser.value(summaryOption);
    options.timersCsvPath = parser.value(timersOption);
    options.attach = !parser.isSet(noAttachOption);
    if (parser.isSet(timersOnOption) && parser.isSet(noTimersOption))
        return command.usageError(
            QStringLiteral("--console-timers and --no-console-timers contradict each other"));
    if (parser.isSet(noTimersOption) && !options.timersCsvPath.isEmpty())
        return command.usageError(
            QStringLiteral("--timers-csv needs console timers; drop --no-console-timers"));
    // Asking for the timers file means capturing them (DESIGN.md).
    options.captureConsoleTimers = parser.isSet(timersOnOption) || !options.timersCsvPath.isEmpty();
    if (options.captureConsoleTimers && !options.attach)
        return command.usageError(QStringLiteral("console timers need the inspector; drop --no-attach"));
    options.throughInspector = parser.isSet(throughInspectorOption);
    if (options.throughInspector && !options.attach)
        return command.usageError(
            QStringLiteral("--through-inspector needs the inspector; drop --no-attach"));
    // Asking for the workers file means reading them, as with timers.
    options.watchWorkers = parser.isSet(workersOption) || parser.isSet(workersCsvOption);
    options.workersCsvPath = parser.value(workersCsvOption);
    const QString workersFlag
        = parser.isSet(workersCsvOption) ? QStringLiteral("--workers-csv") : QStringLiteral("--workers");
    if (options.watchWorkers && options.isRemote())
        return command.usageError(
            QStringLiteral("%1 needs --pid: worker heaps come through NodeScope's probe").arg(workersFlag));
    if (options.watchWorkers && (!options.attach || options.throughInspector))
        return command.usageError(
            QStringLiteral("%1 needs worker heaps read through the probe; drop %2")
                .arg(workersFlag,
                    options.attach ? QStringLiteral("--through-inspector") : QStringLiteral("--no-attach")));
    options.failOnLeak = parser.isSet(failOnLeakOption);
    if (parser.isSet(leakWindowOption)) {
        const int seconds = parser.value(leakWindowOption).toInt(&ok);
        if (!ok || seconds < 30 || seconds > 7 * 86400)
            return command.usageError(QStringLiteral("--leak-window must be 30 seconds to 7 days"));
        options.leakSettings.windowSeconds = seconds;
    }
    if (parser.isSet(leakGrowthOption)) {
        const double megabytes = parser.value(leakGrowthOption).toDouble(&ok);
        if (!ok || !std::isfinite(megabytes) || megabytes <= 0 || megabytes > 1024 * 1024)
            return command.usageError(QStringLiteral("--leak-min-growth must be a positive number of MB"));
        options.leakSettings.minGrowthBytes = qint64(megabytes * 1024 * 1024);
    }
    if (parser.isSet(leakConfirmOption)) {
        const int seconds = parser.value(leakConfirmOption).toInt(&ok);
        if (!ok || seconds < 0 || seconds > 7 * 86400)
            return command.usageError(QStringLiteral("--leak-confirm must be 0 seconds to 7 days"));
        options.leakSettings.confirmSeconds = seconds;
    }
    if (parser.isSet(leakGcBudgetOption)) {
        const int ms = parser.value(leakGcBudgetOption).toInt(&ok);
        if (!ok || ms < 0 || ms > 10000)
            return command.usageError(QStringLiteral("--leak-gc-budget must be 0 to 10000 ms"));
        if (ms > 0 && !options.attach)
            return command.usageError(
                QStringLiteral("--leak-gc-budget needs the inspector; drop --no-attach"));
        options.leakSettings.collectionBudgetMs = ms;
    }

    if (parser.isSet(profileSecondsOption) && !parser.isSet(cpuProfileOption))
        return command.usageError(QStringLiteral("--profile-seconds needs --cpu-profile FILE"));
    if (parser.isSet(cpuProfileOption)) {
        options.cpuProfilePath = parser.value(cpuProfileOption);
        if (options.cpuProfilePath.isEmpty())
            return command.usageError(QStringLiteral("--cpu-profile needs a file name"));
        if (!options.attach)
            return command.usageError(QStringLiteral("a CPU profile needs the inspector; drop --no-attach"));
        if (options.cpuProfilePath == options.csvPath || options.cpuProfilePath == options.summaryPath
            || options.cpuProfilePath == options.timersCsvPath)
            return command.usageError(QStringLiteral("--cpu-profile names a file another option writes"));
    }
    if (parser.isSet(profileSecondsOption)) {
        options.profileSeconds = parser.value(profileSecondsOption).toDouble(&ok);
        if (!ok || !std::isfinite(options.profileSeconds) || options.profileSeconds < 0.1
            || options.profileSeconds > 3600)
            return command.usageError(QStringLiteral("--profile-seconds must be 0.1 to 3600, not \"%1\"")
                                          .arg(parser.value(profileSecondsOption)));
    }
    if (parser.isSet(suspectsOption)) {
        const QString mode = parser.value(suspectsOption);
        if (mode == QLatin1String("auto"))
            options.suspectsMode = SessionPipeline::SuspectsMode::Auto;
        else if (mode == QLatin1String("always"))
            options.suspectsMode = SessionPipeline::SuspectsMode::Always;
        else if (mode == QLatin1String("off"))
            options.suspectsMode = SessionPipeline::SuspectsMode::Off;
        else
            return command.usageError(
                QStringLiteral("--leak-suspects must be auto, always or off, not \"%1\"").arg(mode));
        if (mode == QLatin1String("always") && !options.attach)
            return command.usageError(
                QStringLiteral("--leak-suspects always needs the inspector; drop --no-attach"));
    }

    // A reader of a FIFO that goes away, or a file size limit (ulimit -f),
    // must end in a failed write we can report, not in a silent death.
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);

    QTextStream err(stderr);
    Recorder recorder(options);
    QObject::connect(&recorder, &Recorder::message, [&err](const QString& line) {
        // Lines can carry what the target or its inspector said: no raw controls on the terminal.
        err << "nodescope: " << Format::printable(line) << "\n";
        err.flush();
    });
    int exitCode = 0;
    QObject::connect(&recorder, &Recorder::finished, [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    });
    UnixSignalWatcher signals({SIGINT, SIGTERM, SIGHUP});
    QObject::connect(&signals, &UnixSignalWatcher::received, &recorder, [&recorder, &err](int number) {
        err << "nodescope: received "
            << (number == SIGINT           ? "SIGINT"
                       : number == SIGTERM ? "SIGTERM"
                                           : "SIGHUP")
            << ", finishing\n";
        recorder.finish(QStringLiteral("signal"));
    });
    recorder.start();
    QCoreApplication::exec();
    return exitCode;
}

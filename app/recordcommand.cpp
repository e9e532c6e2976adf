#include "recordcommand.h"

#include "watch/recorder.h"
#include "watch/unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <csignal>

using namespace NodeScope;

int runRecordCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Record a process's memory and CPU to CSV until the duration ends, SIGINT/SIGTERM, or the process "
        "exits.\n"
        "Attaching opens the target's inspector if needed; it prints \"Debugger listening\" and "
        "\"Debugger attached.\" on its own stderr."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("record"), QStringLiteral("The record command."));
    const QCommandLineOption pidOption(
        QStringLiteral("pid"), QStringLiteral("Process to record."), QStringLiteral("PID"));
    const QCommandLineOption csvOption(
        QStringLiteral("csv"), QStringLiteral("Samples CSV to write."), QStringLiteral("FILE"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
        QStringLiteral("Sampling interval in ms, %1 to %2 (default %3).")
            .arg(Sampler::kMinIntervalMs)
            .arg(Sampler::kMaxIntervalMs)
            .arg(Sampler::kDefaultIntervalMs),
        QStringLiteral("MS"));
    const QCommandLineOption durationOption(
        QStringLiteral("duration"), QStringLiteral("Stop after this many seconds."), QStringLiteral("SEC"));
    const QCommandLineOption summaryOption(
        QStringLiteral("summary"), QStringLiteral("Write a JSON summary here."), QStringLiteral("FILE.json"));
    const QCommandLineOption timersOption(QStringLiteral("timers-csv"),
        QStringLiteral("Write the process's console.time spans here."), QStringLiteral("FILE"));
    const QCommandLineOption noAttachOption(QStringLiteral("no-attach"),
        QStringLiteral("Don't use the inspector: rss and CPU only, heap cells empty."));
    const QCommandLineOption noTimersOption(QStringLiteral("no-console-timers"),
        QStringLiteral(
            "Don't capture the process's console.timeEnd/timeLog (saves it ~50 us per console call)."));
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
    parser.addOptions(
        {pidOption, csvOption, intervalOption, durationOption, summaryOption, timersOption, noAttachOption,
            noTimersOption, failOnLeakOption, leakWindowOption, leakGrowthOption, leakConfirmOption});

    QTextStream err(stderr);
    const auto usage = [&](const QString& what) {
        err << "nodescope record: " << what << "\n"
            << "usage: nodescope record --pid PID --csv FILE [--interval MS] [--duration SEC] [--summary "
               "FILE.json]"
               " [--timers-csv FILE] [--no-attach] [--no-console-timers] [--fail-on-leak]"
               " [--leak-window SEC] [--leak-min-growth MB] [--leak-confirm SEC]\n";
        return int(Recorder::Usage);
    };
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() > 1)
        return usage(QStringLiteral("unexpected argument %1").arg(parser.positionalArguments().at(1)));

    Recorder::Options options;
    bool ok = false;
    options.pid = parser.value(pidOption).toLongLong(&ok);
    if (!parser.isSet(pidOption))
        return usage(QStringLiteral("--pid is required"));
    if (!ok || options.pid <= 0)
        return usage(QStringLiteral("--pid must be a process id, not \"%1\"").arg(parser.value(pidOption)));
    if (!parser.isSet(csvOption) || parser.value(csvOption).isEmpty())
        return usage(QStringLiteral("--csv FILE is required"));
    options.csvPath = parser.value(csvOption);
    if (parser.isSet(intervalOption)) {
        options.intervalMs = parser.value(intervalOption).toInt(&ok);
        if (!ok || options.intervalMs < Sampler::kMinIntervalMs
            || options.intervalMs > Sampler::kMaxIntervalMs)
            return usage(QStringLiteral("--interval must be %1 to %2 ms")
                             .arg(Sampler::kMinIntervalMs)
                             .arg(Sampler::kMaxIntervalMs));
    }
    if (parser.isSet(durationOption)) {
        const double seconds = parser.value(durationOption).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 365 * 86400)
            return usage(QStringLiteral("--duration must be a positive number of seconds"));
        options.durationSeconds = qMax(1, qRound(seconds));
    }
    options.summaryPath = parser.value(summaryOption);
    options.timersCsvPath = parser.value(timersOption);
    options.attach = !parser.isSet(noAttachOption);
    options.captureConsoleTimers = !parser.isSet(noTimersOption);
    if (!options.captureConsoleTimers && !options.timersCsvPath.isEmpty())
        return usage(QStringLiteral("--timers-csv needs console timers; drop --no-console-timers"));
    options.failOnLeak = parser.isSet(failOnLeakOption);
    if (parser.isSet(leakWindowOption)) {
        const int seconds = parser.value(leakWindowOption).toInt(&ok);
        if (!ok || seconds < 30 || seconds > 7 * 86400)
            return usage(QStringLiteral("--leak-window must be 30 seconds to 7 days"));
        options.leakSettings.windowSeconds = seconds;
    }
    if (parser.isSet(leakGrowthOption)) {
        const double megabytes = parser.value(leakGrowthOption).toDouble(&ok);
        if (!ok || megabytes <= 0 || megabytes > 1024 * 1024)
            return usage(QStringLiteral("--leak-min-growth must be a positive number of MB"));
        options.leakSettings.minGrowthBytes = qint64(megabytes * 1024 * 1024);
    }
    if (parser.isSet(leakConfirmOption)) {
        const int seconds = parser.value(leakConfirmOption).toInt(&ok);
        if (!ok || seconds < 0 || seconds > 7 * 86400)
            return usage(QStringLiteral("--leak-confirm must be 0 seconds to 7 days"));
        options.leakSettings.confirmSeconds = seconds;
    }

    Recorder recorder(options);
    QObject::connect(&recorder, &Recorder::message, [&err](const QString& line) {
        err << "nodescope: " << line << "\n";
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

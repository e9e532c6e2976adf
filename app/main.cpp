// nodescope: the dashboard, or `list` / `record` on the command line.

#ifndef NODESCOPE_HEADLESS
#include "dashboardcommand.h"
#endif
#include "listcommand.h"
#include "recordcommand.h"
#include "snapshotcommand.h"
#include "stackcommand.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

namespace {

const char* const kUsage
    = "NodeScope: live memory, CPU and timers of a running Node.js process, no code change.\n"
      "\n"
      "usage:\n"
      "  nodescope [--pid PID]          open the dashboard (attached to PID)\n"
      "  nodescope FILE.csv             open the dashboard on a recording\n"
      "  nodescope list [--all] [--json]\n"
      "                                 Node.js processes and whether they can be attached\n"
      "  nodescope record (--pid PID | --inspector HOST:PORT) --csv FILE [--interval MS]\n"
      "                   [--duration SEC] [--summary FILE.json] [--timers-csv FILE] [--no-attach]\n"
      "                   [--console-timers] [--fail-on-leak] [--leak-suspects auto|always|off]\n"
      "                   [--cpu-profile FILE.cpuprofile] [--profile-seconds SEC]\n"
      "                                 record samples to CSV (see nodescope record --help)\n"
      "  nodescope stack --pid PID [--json] [--idle-wait MS]\n"
      "                                 the main thread's JavaScript stack now, one frame a line\n"
      "  nodescope snapshot --pid PID --out FILE [--force]\n"
      "                                 write a heap snapshot, after weighing its cost to the process\n"
      "  nodescope COMMAND --help       a command's options;  nodescope --version\n"
      "\n"
      "exit status: 0 done, 1 an I/O error cut a recording short (or no display for the dashboard), 2 "
      "usage,\n"
      "             3 target not found or not attachable,\n"
      "             4 --fail-on-leak and a leak was found,\n"
      "             5 snapshot refused: the process could run out of memory taking it (--force)\n";

} // namespace

int main(int argc, char** argv)
{
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (command == QLatin1String("list") || command == QLatin1String("record")
        || command == QLatin1String("stack") || command == QLatin1String("snapshot")) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("nodescope"));
        QCoreApplication::setApplicationVersion(QStringLiteral(NODESCOPE_VERSION));
        if (command == QLatin1String("list"))
            return runListCommand(QCoreApplication::arguments());
        if (command == QLatin1String("stack"))
            return runStackCommand(QCoreApplication::arguments());
        if (command == QLatin1String("snapshot"))
            return runSnapshotCommand(QCoreApplication::arguments());
        return runRecordCommand(QCoreApplication::arguments());
    }
    if (command == QLatin1String("--version")) {
        QTextStream(stdout) << "nodescope " << NODESCOPE_VERSION << "\n";
        return 0;
    }
    const bool help = command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help");
    if (help) {
        QTextStream(stdout) << kUsage;
        return 0;
    }
    // Anything else that is not an option is a recording to open, if it looks like one.
    const bool recording
        = command.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) || QFileInfo(command).isFile();
    if (!command.isEmpty() && !command.startsWith(QLatin1Char('-')) && !recording) {
        QTextStream(stderr) << "nodescope: unknown command \"" << command << "\"\n\n" << kUsage;
        return 2;
    }
#ifdef NODESCOPE_HEADLESS
    QTextStream(stderr) << "nodescope: this build has no dashboard (configured with NODESCOPE_BUILD_UI=OFF); "
                           "use nodescope list / record / stack\n";
    return 2;
#else
    return runDashboard(argc, argv);
#endif
}

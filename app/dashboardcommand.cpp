#include "dashboardcommand.h"

#include "mainwindow.h"
#include "watch/unixsignalwatcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>
#include <QTimer>

#include <csignal>

using namespace NodeScope;

namespace {

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

} // namespace

int runDashboard(int argc, char** argv)
{
    if (!displayAvailable()) {
        QTextStream(stderr)
            << "nodescope: no display to open the dashboard on (DISPLAY and WAYLAND_DISPLAY are unset).\n"
               "Record without one: nodescope record --pid PID --csv FILE   (see nodescope --help)\n";
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("nodescope"));
    QApplication::setApplicationDisplayName(QStringLiteral("NodeScope"));
    QApplication::setOrganizationName(QStringLiteral("NodeScope"));
    QApplication::setApplicationVersion(QStringLiteral(NODESCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("nodescope"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("NodeScope: live memory, CPU and timers of a running Node.js process."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption pidOption(
        QStringLiteral("pid"), QStringLiteral("Open attached to this process."), QStringLiteral("PID"));
    parser.addOption(pidOption);
    parser.process(app);
    qint64 pid = 0;
    if (parser.isSet(pidOption)) {
        bool ok = false;
        pid = parser.value(pidOption).toLongLong(&ok);
        if (!ok || pid <= 0) {
            QTextStream(stderr) << "nodescope: --pid must be a process id, not \"" << parser.value(pidOption)
                                << "\"\n";
            return 2;
        }
    }

    MainWindow window;
    window.show();
    if (pid > 0)
        QTimer::singleShot(0, &window, [&window, pid] { window.attachToPid(pid); });

    // Ctrl+C in the terminal or a kill: close properly, so an inspector we
    // opened is closed and the target is not left waiting.
    UnixSignalWatcher signals({SIGINT, SIGTERM, SIGHUP});
    QObject::connect(&signals, &UnixSignalWatcher::received, &window, [&window] {
        window.setConfirmDiscard(false);
        window.close();
    });
    return QApplication::exec();
}

#include "dashboardcommand.h"

#include "mainwindow.h"
#include "watch/unixsignalwatcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
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

// The command line without the options QApplication takes for itself
// (-platform NAME, -style NAME, -reverse...), which are not ours to refuse.
QStringList withoutQtOptions(int argc, char** argv)
{
    static const QStringList withValue{QStringLiteral("platform"), QStringLiteral("platformpluginpath"),
        QStringLiteral("platformtheme"), QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"),
        QStringLiteral("qwindowicon"), QStringLiteral("qwindowtitle"), QStringLiteral("style"),
        QStringLiteral("stylesheet"), QStringLiteral("session"), QStringLiteral("display"),
        QStringLiteral("geometry"), QStringLiteral("title"), QStringLiteral("name")};
    static const QStringList alone{QStringLiteral("reverse"), QStringLiteral("widgetcount"),
        QStringLiteral("nograb"), QStringLiteral("dograb")};
    QStringList arguments;
    for (int i = 0; i < argc; ++i) {
        const QString argument = QString::fromLocal8Bit(argv[i]);
        QString name = argument;
        while (name.startsWith(QLatin1Char('-')))
            name.remove(0, 1);
        if (i > 0 && argument.startsWith(QLatin1Char('-')) && withValue.contains(name)) {
            ++i; // and its value
            continue;
        }
        if (i > 0 && argument.startsWith(QLatin1Char('-')) && alone.contains(name))
            continue;
        arguments.append(argument);
    }
    return arguments;
}

} // namespace

int runDashboard(int argc, char** argv)
{
    // The command line is checked before the display: a mistyped option is
    // a usage error (exit 2) wherever it is typed, not "no display".
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("NodeScope: live memory, CPU and timers of a running Node.js process."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption pidOption(
        QStringLiteral("pid"), QStringLiteral("Open attached to this process."), QStringLiteral("PID"));
    parser.addOption(pidOption);
    parser.addPositionalArgument(QStringLiteral("FILE.csv"),
        QStringLiteral("Open a recording for review (its -timers.csv and -workers.csv beside it too)."),
        QStringLiteral("[FILE.csv]"));
    const QStringList arguments = withoutQtOptions(argc, argv);
    QTextStream err(stderr);
    const auto usage = [&err](const QString& what) {
        err << "nodescope: " << what
            << "\nusage: nodescope [--pid PID | FILE.csv]   (nodescope --help for the commands)\n";
        return 2;
    };
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(helpOption)) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (parser.isSet(versionOption)) {
        QTextStream(stdout) << "nodescope " << NODESCOPE_VERSION << "\n";
        return 0;
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1)
        return usage(QStringLiteral("one recording at a time, not %1 (%2)")
                         .arg(files.size())
                         .arg(files.join(QStringLiteral(", "))));
    const QString recording = files.isEmpty() ? QString() : files.constFirst();
    if (!recording.isEmpty() && parser.isSet(pidOption))
        return usage(QStringLiteral("--pid and a recording to open (%1): give one of them").arg(recording));
    if (!recording.isEmpty() && !QFileInfo(recording).isFile())
        return usage(QStringLiteral("%1 is not a file (a NodeScope CSV to open, from File ▸ Export CSV… or "
                                    "nodescope record)")
                         .arg(recording));
    qint64 pid = 0;
    if (parser.isSet(pidOption)) {
        if (parser.values(pidOption).size() > 1)
            return usage(QStringLiteral("--pid given %1 times (%2); give it once")
                             .arg(parser.values(pidOption).size())
                             .arg(parser.values(pidOption).join(QStringLiteral(", "))));
        bool ok = false;
        pid = parser.value(pidOption).toLongLong(&ok);
        if (!ok || pid <= 0)
            return usage(
                QStringLiteral("--pid must be a process id, not \"%1\"").arg(parser.value(pidOption)));
    }

    if (!displayAvailable()) {
        err << "nodescope: no display to open the dashboard on (DISPLAY and WAYLAND_DISPLAY are unset).\n"
               "Record without one: nodescope record --pid PID --csv FILE   (see nodescope --help)\n";
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("nodescope"));
    QApplication::setApplicationDisplayName(QStringLiteral("NodeScope"));
    QApplication::setOrganizationName(QStringLiteral("NodeScope"));
    QApplication::setApplicationVersion(QStringLiteral(NODESCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("nodescope"));

    MainWindow window;
    window.show();
    if (pid > 0)
        QTimer::singleShot(0, &window, [&window, pid] { window.attachToPid(pid); });
    if (!recording.isEmpty()) // a file that is no recording says why in the status bar
        QTimer::singleShot(0, &window, [&window, recording] { window.openCsv(recording); });

    // Ctrl+C in the terminal or a kill: close properly, so an inspector we
    // opened is closed and the target is not left waiting.
    UnixSignalWatcher signals({SIGINT, SIGTERM, SIGHUP});
    QObject::connect(&signals, &UnixSignalWatcher::received, &window, [&window] {
        window.setConfirmDiscard(false);
        window.close();
    });
    return QApplication::exec();
}

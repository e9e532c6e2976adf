#include "listcommand.h"

#include "format.h"
#include "proc/processtable.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace NodeScope;

namespace {

QString stateName(InspectorStatus::State state)
{
    switch (state) {
    case InspectorStatus::State::Open:
        return QStringLiteral("open");
    case InspectorStatus::State::Closed:
        return QStringLiteral("closed");
    case InspectorStatus::State::Unavailable:
        break;
    }
    return QStringLiteral("unavailable");
}

QJsonObject toJson(const ProcessInfo& info)
{
    return {
        {QStringLiteral("pid"), info.pid},
        {QStringLiteral("user"), info.user},
        {QStringLiteral("name"), info.name},
        {QStringLiteral("commandLine"), info.commandLine},
        {QStringLiteral("uptimeSeconds"), qRound64(info.uptimeSeconds)},
        {QStringLiteral("rssBytes"), info.rssBytes},
        {QStringLiteral("isNode"), info.isNode},
        {QStringLiteral("inspector"),
            QJsonObject{
                {QStringLiteral("state"), stateName(info.inspector.state)},
                {QStringLiteral("port"),
                    info.inspector.port ? QJsonValue(info.inspector.port) : QJsonValue()},
                {QStringLiteral("reason"),
                    info.inspector.reason.isEmpty() ? QJsonValue() : QJsonValue(info.inspector.reason)},
            }},
    };
}

} // namespace

int runListCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("List Node.js processes and whether NodeScope can attach to them."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("list"), QStringLiteral("The list command."));
    const QCommandLineOption allOption(
        QStringLiteral("all"), QStringLiteral("List every process, not only Node.js."));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOption(allOption);
    parser.addOption(jsonOption);
    QTextStream err(stderr);
    if (!parser.parse(arguments)) {
        err << "nodescope list: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() > 1) {
        err << "nodescope list: unexpected argument " << parser.positionalArguments().at(1) << "\n";
        return 2;
    }

    const QList<ProcessInfo> processes = ProcessTable::scan({parser.isSet(allOption)});
    QTextStream out(stdout);
    if (parser.isSet(jsonOption)) {
        QJsonArray array;
        for (const ProcessInfo& info : processes)
            array.append(toJson(info));
        out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return 0;
    }
    if (processes.isEmpty()) {
        out << (parser.isSet(allOption) ? "No processes found.\n"
                                        : "No Node.js processes found (try --all).\n");
        return 0;
    }
    out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
               .arg(QStringLiteral("PID"), 7)
               .arg(QStringLiteral("USER"), -10)
               .arg(QStringLiteral("UPTIME"), 8)
               .arg(QStringLiteral("RSS"), 9)
               .arg(QStringLiteral("INSPECTOR"), -20)
               .arg(QStringLiteral("COMMAND"));
    for (const ProcessInfo& info : processes) {
        // A process sets its own argv and title: no raw controls on the terminal.
        QString command = Format::printable(
            info.commandLine.isEmpty() ? QStringLiteral("[%1]").arg(info.name) : info.commandLine);
        if (command.size() > 100)
            command = command.left(99) + QChar(0x2026);
        out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                   .arg(info.pid, 7)
                   .arg(info.user.left(10), -10)
                   .arg(Format::duration(info.uptimeSeconds), 8)
                   .arg(Format::bytes(double(info.rssBytes)), 9)
                   .arg(ProcessTable::describeInspector(info.inspector), -20)
                   .arg(command);
    }
    return 0;
}

#include "commandparser.h"

#include <QTextStream>

#include <utility>

CommandParser::CommandParser(const QString& command, const QString& synopsis, const QString& description,
    const QString& pidDescription)
    : m_command(command)
    , m_synopsis(synopsis)
    , m_pidOption(QStringLiteral("pid"), pidDescription, QStringLiteral("PID"))
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    m_parser.addPositionalArgument(command, QStringLiteral("The %1 command.").arg(command));
    addOptions({m_pidOption});
}

void CommandParser::addOptions(const QList<QCommandLineOption>& options)
{
    for (const QCommandLineOption& option : options) {
        m_parser.addOption(option);
        if (!option.valueName().isEmpty())
            m_valueOptions.append(option);
    }
}

std::optional<int> CommandParser::parse(const QStringList& arguments, const QCommandLineOption* insteadOfPid)
{
    if (!m_parser.parse(arguments))
        return usageError(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << m_parser.helpText();
        return 0;
    }
    if (m_parser.positionalArguments().size() > 1)
        return usageError(QStringLiteral("unexpected argument %1").arg(m_parser.positionalArguments().at(1)));
    for (const QCommandLineOption& option : std::as_const(m_valueOptions)) {
        const QString name = QStringLiteral("--") + option.names().constFirst();
        const QStringList values = m_parser.values(option);
        // The last of two would win silently: which one was meant?
        if (values.size() > 1)
            return usageError(QStringLiteral("%1 given %2 times (%3); give it once")
                                  .arg(name)
                                  .arg(values.size())
                                  .arg(values.join(QStringLiteral(", "))));
        // `--csv --no-attach` would otherwise write a file named --no-attach.
        if (values.size() == 1 && values.first().startsWith(QLatin1String("--")))
            return usageError(QStringLiteral("%1 needs a value, not the option %2 (for a file of that name, "
                                             "write ./%2)")
                                  .arg(name, values.first()));
    }
    if (!m_parser.isSet(m_pidOption)) {
        if (insteadOfPid && m_parser.isSet(*insteadOfPid))
            return std::nullopt;
        return usageError(QStringLiteral("--pid is required"));
    }
    bool ok = false;
    m_pid = m_parser.value(m_pidOption).toLongLong(&ok);
    if (!ok || m_pid <= 0) {
        m_pid = 0;
        return usageError(
            QStringLiteral("--pid must be a process id, not \"%1\"").arg(m_parser.value(m_pidOption)));
    }
    return std::nullopt;
}

int CommandParser::usageError(const QString& what) const
{
    QTextStream(stderr) << "nodescope " << m_command << ": " << what << "\n"
                        << "usage: nodescope " << m_synopsis << "\n";
    return kUsageStatus;
}

#include "proc/nodecommandline.h"

namespace NodeScope {

namespace {

// "[host:]port" -> port; nullopt when the value has no valid port.
std::optional<quint16> portOf(const QString& hostPort)
{
    const QString portText = hostPort.section(QLatin1Char(':'), -1);
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    return quint16(port);
}

bool isInspectFlag(const QString& name)
{
    return name == QLatin1String("--inspect") || name == QLatin1String("--inspect-brk")
        || name == QLatin1String("--inspect-wait") || name == QLatin1String("--debug")
        || name == QLatin1String("--debug-brk");
}

} // namespace

NodeCommandLine NodeCommandLine::parse(const QStringList& args, const QString& nodeOptions)
{
    NodeCommandLine result;
    // NODE_OPTIONS applies first; the command line can override it.
    const QStringList optionArgs = nodeOptions.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList all = optionArgs;
    // Only node's own options count: they end at the script name or "--".
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString& arg = args[i];
        if (arg == QLatin1String("--") || !arg.startsWith(QLatin1Char('-')))
            break;
        all.append(arg);
        // Options whose value is a separate argument.
        if ((arg == QLatin1String("-r") || arg == QLatin1String("--require")
                || arg == QLatin1String("--import") || arg == QLatin1String("--loader")
                || arg == QLatin1String("--experimental-loader") || arg == QLatin1String("--inspect-port")
                || arg == QLatin1String("--debug-port") || arg == QLatin1String("--title")
                || arg == QLatin1String("-e") || arg == QLatin1String("--eval") || arg == QLatin1String("-p")
                || arg == QLatin1String("--print"))
            && i + 1 < args.size()) {
            all.append(args[++i]);
        }
    }
    for (qsizetype i = 0; i < all.size(); ++i) {
        bool consumedNext = false;
        result.applyOption(all[i], all.value(i + 1), &consumedNext);
        if (consumedNext)
            ++i;
    }
    return result;
}

void NodeCommandLine::applyOption(const QString& option, const QString& nextArg, bool* consumedNext)
{
    const qsizetype eq = option.indexOf(QLatin1Char('='));
    const QString name = eq < 0 ? option : option.left(eq);
    const QString value = eq < 0 ? QString() : option.mid(eq + 1);

    if (isInspectFlag(name)) {
        m_inspectRequested = true;
        if (eq >= 0) {
            if (const auto port = portOf(value)) {
                m_requestedPort = port;
                m_signalPort = *port;
            }
        } else if (!m_requestedPort) {
            m_requestedPort = m_signalPort;
        }
    } else if (name == QLatin1String("--inspect-port") || name == QLatin1String("--debug-port")) {
        const QString portValue = eq >= 0 ? value : nextArg;
        *consumedNext = eq < 0;
        if (const auto port = portOf(portValue)) {
            m_signalPort = *port;
            if (m_inspectRequested)
                m_requestedPort = port;
        }
    } else if (name == QLatin1String("--disable-sigusr1")) {
        m_sigusr1Disabled = true;
    }
}

} // namespace NodeScope

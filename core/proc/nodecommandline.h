#pragma once

// What a Node command line (and NODE_OPTIONS) says about its inspector: was
// one requested at start, on which port, and where SIGUSR1 will open one.

#include <QStringList>

#include <optional>

namespace NodeScope {

class NodeCommandLine {
public:
    static constexpr quint16 kDefaultInspectorPort = 9229;

    // args: argv of the process; nodeOptions: the NODE_OPTIONS value, if any.
    static NodeCommandLine parse(const QStringList& args, const QString& nodeOptions = {});

    // --inspect, --inspect-brk or --inspect-wait was given.
    bool inspectRequested() const { return m_inspectRequested; }
    // The port it asked for; 0 means "a random port"; nullopt when not given.
    std::optional<quint16> requestedPort() const { return m_requestedPort; }
    // The port an inspector opened later by SIGUSR1 binds (--inspect-port).
    quint16 signalPort() const { return m_signalPort; }
    // --disable-sigusr1 (Node 22.14+/23.7+): the signal would not be caught.
    bool sigusr1Disabled() const { return m_sigusr1Disabled; }

private:
    void applyOption(const QString& option, const QString& nextArg, bool* consumedNext);

    bool m_inspectRequested = false;
    std::optional<quint16> m_requestedPort;
    quint16 m_signalPort = kDefaultInspectorPort;
    bool m_sigusr1Disabled = false;
};

} // namespace NodeScope

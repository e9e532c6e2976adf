#pragma once

// A real `node` child process for integration tests: starts a script from
// tests/integration/scripts, waits for its "ready" line, collects its stdout
// lines and stderr, and kills it when the test is done.

#include "proc/listeningports.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

#include <vector>

#include <unistd.h>

class NodeProcess {
public:
    // NODESCOPE_TEST_NODE picks the node binary (scripts/node-matrix.sh runs
    // the suites once per Node line); otherwise the first node on PATH.
    static QString nodeBinary()
    {
        const QString chosen = qEnvironmentVariable("NODESCOPE_TEST_NODE");
        if (!chosen.isEmpty())
            return chosen;
        QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        if (node.isEmpty())
            node = QStandardPaths::findExecutable(QStringLiteral("nodejs"));
        return node;
    }

    static QString script(const char* name)
    {
        return QStringLiteral(NODESCOPE_SCRIPTS_DIR "/") + QLatin1String(name);
    }

    NodeProcess() = default;
    NodeProcess(const NodeProcess&) = delete;
    NodeProcess& operator=(const NodeProcess&) = delete;
    ~NodeProcess() { kill(); }

    // Starts `node [nodeArgs...] script [scriptArgs...]` and waits for "ready".
    bool start(const QString& program, const QStringList& arguments, int readyTimeoutMs = 10000)
    {
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] {
            m_stdoutBuffer += m_process.readAllStandardOutput();
            qsizetype newline;
            while ((newline = m_stdoutBuffer.indexOf('\n')) >= 0) {
                m_lines.append(QString::fromUtf8(m_stdoutBuffer.left(newline)));
                m_stdoutBuffer.remove(0, newline + 1);
            }
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardError,
            [this] { m_stderr += m_process.readAllStandardError(); });
        QObject::connect(&m_process, &QProcess::finished, [this] { m_finishedAt.start(); });
        if (!m_rawEnvironment.isEmpty())
            execWithRawEnvironment(program, arguments);
        m_process.start(program, arguments);
        if (!m_process.waitForStarted(5000))
            return false;
        return waitForLine(QStringLiteral("ready"), readyTimeoutMs);
    }

    // Starts the process with exactly these NAME=value entries as its
    // environment, in this order, a name twice if need be (execve() takes
    // that; QProcessEnvironment cannot hold it). Call before start().
    void setRawEnvironment(const QByteArrayList& entries) { m_rawEnvironment = entries; }

    bool startNode(
        const char* scriptName, const QStringList& nodeArgs = {}, const QStringList& scriptArgs = {})
    {
        return start(nodeBinary(), nodeArgs + QStringList{script(scriptName)} + scriptArgs);
    }

    // Waits for a stdout line starting with prefix; returns it via *line.
    bool waitForLine(const QString& prefix, int timeoutMs, QString* line = nullptr)
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            for (qsizetype i = m_scanned; i < m_lines.size(); ++i) {
                if (m_lines[i].startsWith(prefix)) {
                    m_scanned = i + 1;
                    if (line)
                        *line = m_lines[i];
                    return true;
                }
            }
            if (m_process.state() == QProcess::NotRunning)
                return false;
            QTest::qWait(10);
        }
        return false;
    }

    qint64 pid() const { return m_process.processId(); }

    // The TCP ports a process listens on, from /proc.
    static QSet<quint16> listeningPorts(qint64 pid)
    {
        QSet<quint16> ports;
        const auto sockets = NodeScope::ListeningPorts::ofProcess(pid);
        for (const auto& socket : sockets.value_or(QList<NodeScope::Procfs::ListeningSocket>()))
            ports.insert(socket.port);
        return ports;
    }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    QProcess& process() { return m_process; }
    QStringList lines() const { return m_lines; }
    QString standardError() const { return QString::fromUtf8(m_stderr); }
    // Monotonic ms since the process ended (started when QProcess noticed).
    const QElapsedTimer& finishedAt() const { return m_finishedAt; }

    void kill()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

private:
    // The child execs the program itself, with m_rawEnvironment, before
    // QProcess would (and QProcess's own exec runs only if that failed).
    // Everything is prepared here: the child may share this memory (Qt
    // starts it with vfork semantics) and must only call execve().
    void execWithRawEnvironment(const QString& program, const QStringList& arguments)
    {
        m_rawArguments = {QFile::encodeName(program)};
        for (const QString& argument : arguments)
            m_rawArguments.append(QFile::encodeName(argument));
        m_rawArgumentPointers.clear();
        for (QByteArray& argument : m_rawArguments)
            m_rawArgumentPointers.push_back(argument.data());
        m_rawArgumentPointers.push_back(nullptr);
        m_rawEnvironmentPointers.clear();
        for (QByteArray& entry : m_rawEnvironment)
            m_rawEnvironmentPointers.push_back(entry.data());
        m_rawEnvironmentPointers.push_back(nullptr);
        m_process.setChildProcessModifier([this] {
            ::execve(
                m_rawArgumentPointers.front(), m_rawArgumentPointers.data(), m_rawEnvironmentPointers.data());
        });
    }

    QProcess m_process;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderr;
    QStringList m_lines;
    qsizetype m_scanned = 0;
    QElapsedTimer m_finishedAt;
    QByteArrayList m_rawEnvironment;
    QByteArrayList m_rawArguments;
    std::vector<char*> m_rawEnvironmentPointers;
    std::vector<char*> m_rawArgumentPointers;
};

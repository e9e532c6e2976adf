#pragma once

// What `nodescope record`, `stack` and `snapshot` check before they do
// anything, in one place so that a mistake gets the same answer whichever
// command it was made in: --help, --pid, no stray argument, no option given
// twice (the last would win silently), no option where a value belongs
// (`--csv --no-attach` would write a file named --no-attach). Every mistake
// is a usage error: "nodescope COMMAND: what", the usage line, exit status 2.

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class CommandParser {
public:
    // DESIGN.md's exit status for a usage error.
    static constexpr int kUsageStatus = 2;

    // command: the word after `nodescope`; synopsis: what follows "usage: ";
    // pidDescription: --pid's line in --help.
    CommandParser(const QString& command, const QString& synopsis, const QString& description,
        const QString& pidDescription);

    const QCommandLineOption& pidOption() const { return m_pidOption; }
    // The command's own options, after --pid in --help.
    void addOptions(const QList<QCommandLineOption>& options);

    // Parses the whole command line (program, command, options) and checks
    // --pid: required, unless insteadOfPid names the target (record's
    // --inspector). nullopt: go on; otherwise the command is done and this
    // is its exit status, with --help's text on stdout or the usage error on
    // stderr.
    std::optional<int> parse(const QStringList& arguments, const QCommandLineOption* insteadOfPid = nullptr);
    // The parser, for the command's own options once parse() said go on.
    const QCommandLineParser& parser() const { return m_parser; }
    // The process id --pid gave; 0 when it was not given.
    qint64 pid() const { return m_pid; }

    // Says what is wrong and how the command is used on stderr; returns kUsageStatus.
    int usageError(const QString& what) const;

private:
    QString m_command;
    QString m_synopsis;
    QCommandLineParser m_parser;
    QCommandLineOption m_pidOption;
    QList<QCommandLineOption> m_valueOptions;
    qint64 m_pid = 0;
};

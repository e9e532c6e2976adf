#pragma once

// Runs a command line to its end for integration tests, above all the
// `nodescope` binary under test: its exit code, stdout and stderr.

#include <QProcess>
#include <QStringList>
#include <QTest>

struct CommandRun {
    int exitCode = -1; // -1 when it crashed or had to be killed
    QString out;
    QString err; // "timed out" when it had to be killed, why when it could not start
};

enum class WhileRunning {
    Block, // a test that only waits
    TurnEventLoop, // a test that serves something itself (a fake inspector) meanwhile
};

inline CommandRun runCommand(const QString& program, const QStringList& arguments, int timeoutMs,
    WhileRunning whileRunning = WhileRunning::Block)
{
    QProcess process;
    process.start(program, arguments);
    CommandRun run;
    if (!process.waitForStarted()) {
        run.err = QStringLiteral("cannot start %1: %2").arg(program, process.errorString());
        return run;
    }
    // A process already reaped makes waitForFinished() say false.
    const bool finished = whileRunning == WhileRunning::Block
        ? process.state() == QProcess::NotRunning || process.waitForFinished(timeoutMs)
        : QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, timeoutMs);
    if (!finished) {
        // Never left running behind the test, whatever it was doing.
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("timed out");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

// `nodescope ARGUMENTS...`, the binary this build made.
inline CommandRun runNodescope(
    const QStringList& arguments, int timeoutMs = 30000, WhileRunning whileRunning = WhileRunning::Block)
{
    return runCommand(QStringLiteral(NODESCOPE_BINARY), arguments, timeoutMs, whileRunning);
}

// NodeCommandLine::parse: a process's arguments and NODE_OPTIONS, both the
// process's (or its launcher's) own choice. Input: NODE_OPTIONS, a newline,
// then /proc/PID/cmdline (NUL-separated, read with Procfs::parseCmdline as
// NodeScope does); without a newline, all of it is the command line.

#include "fuzzinput.h"
#include "proc/nodecommandline.h"
#include "proc/procfs.h"

using NodeScope::NodeCommandLine;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes = NodeScope::Fuzz::bytes(data, size);
    const qsizetype newline = bytes.indexOf('\n');
    const QString nodeOptions = newline < 0 ? QString() : QString::fromUtf8(bytes.first(newline));
    const QStringList args = NodeScope::Procfs::parseCmdline(newline < 0 ? bytes : bytes.sliced(newline + 1));
    const NodeCommandLine flags = NodeCommandLine::parse(args, nodeOptions);
    // A port is requested only with an inspector.
    FUZZ_CHECK(!flags.requestedPort() || flags.inspectRequested());
    return 0;
}

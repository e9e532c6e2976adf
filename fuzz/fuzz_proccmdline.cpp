// Procfs::parseCmdline: /proc/PID/cmdline, which a process may rewrite
// (process.title overwrites argv). Input: the file, NUL-separated.

#include "fuzzinput.h"
#include "proc/procfs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QByteArray bytes = NodeScope::Fuzz::bytes(data, size);
    const QStringList args = NodeScope::Procfs::parseCmdline(bytes);
    // One argument per NUL-separated field, trailing NULs aside.
    while (bytes.endsWith('\0'))
        bytes.chop(1);
    FUZZ_CHECK(args.size() == (bytes.isEmpty() ? 0 : bytes.count('\0') + 1));
    return 0;
}

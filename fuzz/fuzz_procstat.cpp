// Procfs::parseStat: /proc/PID/stat, whose command name (field 2) any
// process sets to anything with process.title or prctl. Input: the file.

#include "fuzzinput.h"
#include "proc/procfs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes = NodeScope::Fuzz::bytes(data, size);
    if (const auto stat = NodeScope::Procfs::parseStat(bytes)) {
        // The name lies between the first '(' and the last ')', nothing more
        // (an invalid byte becomes one replacement character).
        FUZZ_CHECK(stat->comm.size() <= bytes.size());
        FUZZ_CHECK(bytes.indexOf('(') >= 0 && bytes.lastIndexOf(')') > bytes.indexOf('('));
    }
    return 0;
}

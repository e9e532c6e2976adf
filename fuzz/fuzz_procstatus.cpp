// Procfs::parseStatus: /proc/PID/status (its Name line is the process's own
// choice). Input: the file.

#include "fuzzinput.h"
#include "proc/procfs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes = NodeScope::Fuzz::bytes(data, size);
    if (const auto status = NodeScope::Procfs::parseStatus(bytes)) {
        // Never a verdict without the lines it rests on.
        FUZZ_CHECK(bytes.contains("Uid:") && bytes.contains("SigCgt:"));
    }
    return 0;
}

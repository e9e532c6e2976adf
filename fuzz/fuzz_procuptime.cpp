// Procfs::parseUptime: /proc/uptime. Input: the file.

#include "fuzzinput.h"
#include "proc/procfs.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (const auto seconds = NodeScope::Procfs::parseUptime(NodeScope::Fuzz::bytes(data, size)))
        FUZZ_CHECK(std::isfinite(*seconds) && *seconds >= 0); // ages are computed from it
    return 0;
}

// Procfs::parseSocketInode: the target of a /proc/PID/fd link
// ("socket:[12345]", "pipe:[1]", "/path/of/a file"). Input: the link's text.

#include "fuzzinput.h"
#include "proc/procfs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString link = QString::fromUtf8(NodeScope::Fuzz::bytes(data, size));
    if (NodeScope::Procfs::parseSocketInode(link))
        FUZZ_CHECK(link.startsWith(QLatin1String("socket:[")) && link.endsWith(QLatin1Char(']')));
    return 0;
}

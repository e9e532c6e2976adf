// Procfs::parseListeningSockets: /proc/PID/net/tcp and tcp6. Input: the file.

#include "fuzzinput.h"
#include "proc/procfs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto sockets = NodeScope::Procfs::parseListeningSockets(NodeScope::Fuzz::bytes(data, size));
    for (const NodeScope::Procfs::ListeningSocket& socket : sockets) {
        FUZZ_CHECK(socket.port != 0 && !socket.address.isEmpty());
        (void)socket.isLoopbackOrAny(); // what the attach decides on
    }
    return 0;
}

// The CDP client's incoming messages (core/inspector/cdpclient): whatever an
// inspector, or anything that answers on its port, sends as a WebSocket text
// message. Input: the message as UTF-8. QWebSocket hands the client only
// valid text, so invalid UTF-8 arrives here as replacement characters, as
// it would there.

#include "fuzzinput.h"
#include "inspector/cdpclient.h"

using NodeScope::CdpClient;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const CdpClient::Incoming message
        = CdpClient::parseIncoming(QString::fromUtf8(NodeScope::Fuzz::bytes(data, size)));
    switch (message.kind) {
    case CdpClient::Incoming::Kind::Reply:
        // A failed request always says why; a successful one never has an error.
        FUZZ_CHECK(message.reply.ok == message.reply.error.isEmpty());
        FUZZ_CHECK(message.method.isEmpty() && message.problem.isEmpty());
        break;
    case CdpClient::Incoming::Kind::Event:
        FUZZ_CHECK(!message.method.isEmpty() && message.problem.isEmpty());
        break;
    case CdpClient::Incoming::Kind::Invalid:
        // protocolError() always has something to say, and never echoes a whole flood.
        FUZZ_CHECK(!message.problem.isEmpty() && message.problem.size() <= 200);
        break;
    }
    return 0;
}

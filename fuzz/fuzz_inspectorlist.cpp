// InspectorEndpoint::parseList: the body of GET /json/list from whatever
// answers on an inspector port (a Node inspector, an app's own HTTP server,
// anything). Input: the response body.

#include "fuzzinput.h"
#include "inspector/inspectorendpoint.h"

using NodeScope::InspectorEndpoint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString host = QStringLiteral("127.0.0.1");
    const InspectorEndpoint::Result result
        = InspectorEndpoint::parseList(NodeScope::Fuzz::bytes(data, size), host, 9229);
    if (!result.found()) {
        FUZZ_CHECK(!result.error.isEmpty());
        return 0;
    }
    // Whatever address the list names, the client is sent to the one it
    // reached, with a WebSocket URL it can open.
    const QUrl& url = result.webSocketUrl;
    FUZZ_CHECK(result.error.isEmpty());
    FUZZ_CHECK(url.isValid());
    FUZZ_CHECK(url.scheme() == QLatin1String("ws") || url.scheme() == QLatin1String("wss"));
    FUZZ_CHECK(url.host() == host && url.port() == 9229);
    return 0;
}

// ProbeChannel: the newline-delimited JSON a probe (or whatever process
// connected as the target) sends, read line by line as readLines() reads it
// off the socket. Input: the bytes of the stream. The first line is taken as
// the hello; this fuzzer's channel expects token "t" and PID 4242, so
// {"hello":1,"token":"t","pid":4242} connects it. Requests 1 to 3 are
// pending from the start; the callback of request 2 closes the channel, as a
// caller may.

#include "fuzzinput.h"
#include "probe/probechannel.h"

#include <QHash>

namespace NodeScope {

// Sets up and feeds a ProbeChannel that has no socket (probechannel.h names
// this class its friend).
class ProbeChannelTestAccess {
public:
    static constexpr int kRequests = 3;

    ProbeChannelTestAccess()
    {
        m_channel.m_token = QStringLiteral("t");
        m_channel.m_pid = 4242;
        for (int id = 1; id <= kRequests; ++id) {
            m_channel.m_pending.insert(id, {[this, id](const ProbeChannel::Reply& reply) {
                ++m_calls[id];
                FUZZ_CHECK(reply.ok ? reply.error.isEmpty() : !reply.error.isEmpty()); // a failure says why
                FUZZ_CHECK(!reply.ok || reply.message.value(QLatin1String("id")).toInt() == id);
                if (id == 2)
                    m_channel.close(QStringLiteral("closed by its caller"));
            }});
        }
    }

    // As readLines() does: whole lines while the channel lives; a last line
    // without its newline waits in the socket. The channel is alive until
    // the hello fails, a line closes it, or a callback does.
    void feed(const QByteArray& stream)
    {
        qsizetype start = 0;
        bool first = true;
        while (start < stream.size()) {
            const qsizetype newline = stream.indexOf('\n', start);
            if (newline < 0)
                return;
            if (!first && !m_channel.m_connected)
                return;
            first = false;
            if (!m_channel.takeLine(stream.sliced(start, newline + 1 - start)))
                return;
            start = newline + 1;
        }
    }

    // Each callback ran exactly once once the channel closed.
    void closeAndCheck()
    {
        m_channel.close(QStringLiteral("end of input"));
        FUZZ_CHECK(m_channel.m_pending.isEmpty());
        for (int id = 1; id <= kRequests; ++id)
            FUZZ_CHECK(m_calls.value(id) == 1);
    }

private:
    ProbeChannel m_channel;
    QHash<int, int> m_calls;
};

} // namespace NodeScope

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    NodeScope::ProbeChannelTestAccess access;
    access.feed(NodeScope::Fuzz::bytes(data, size));
    access.closeAndCheck();
    return 0;
}

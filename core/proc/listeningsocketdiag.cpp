#include "proc/listeningsocketdiag.h"

#include <QHostAddress>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstring>

namespace NodeScope {

namespace {

// Closes the netlink socket on every way out.
class NetlinkSocket {
public:
    NetlinkSocket()
        : m_fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG))
    {
    }
    ~NetlinkSocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    NetlinkSocket(const NetlinkSocket&) = delete;
    NetlinkSocket& operator=(const NetlinkSocket&) = delete;
    int fd() const { return m_fd; }

private:
    int m_fd;
};

QString addressOf(const inet_diag_msg& message)
{
    if (message.idiag_family == AF_INET) {
        quint32 raw = 0;
        std::memcpy(&raw, message.id.idiag_src, sizeof raw);
        return QHostAddress(ntohl(raw)).toString();
    }
    Q_IPV6ADDR bytes;
    std::memcpy(bytes.c, message.id.idiag_src, sizeof bytes.c);
    return QHostAddress(bytes).toString();
}

// Dumps one address family's LISTEN sockets into sockets; false on any
// failure of the conversation itself.
// NLMSG_OK(header, left), whose comparison of the header's unsigned length
// with the signed count left clang's -Wsign-compare rejects (g++ does not
// warn inside a system header's macro). The count stays signed: NLMSG_NEXT
// can take it below zero, which must end the loop, not wrap around.
bool isWholeMessage(const nlmsghdr* header, int left)
{
    return left >= int(sizeof(nlmsghdr)) && header->nlmsg_len >= sizeof(nlmsghdr)
        && header->nlmsg_len <= unsigned(left);
}

bool dumpFamily(quint8 family, QList<Procfs::ListeningSocket>* sockets)
{
    NetlinkSocket netlink;
    if (netlink.fd() < 0)
        return false;
    struct {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = family;
    message.request.sdiag_protocol = IPPROTO_TCP;
    message.request.idiag_states = 1U << TCP_LISTEN;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(
            netlink.fd(), &message, sizeof message, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel)
        != ssize_t(sizeof message))
        return false;

    alignas(nlmsghdr) std::array<char, 32 * 1024> buffer;
    for (;;) {
        const ssize_t received = ::recv(netlink.fd(), buffer.data(), buffer.size(), 0);
        if (received <= 0)
            return false;
        int left = int(received);
        for (auto* header = reinterpret_cast<nlmsghdr*>(buffer.data()); isWholeMessage(header, left);
             header = NLMSG_NEXT(header, left)) {
            if (header->nlmsg_type == NLMSG_DONE)
                return true;
            if (header->nlmsg_type == NLMSG_ERROR)
                return false;
            if (header->nlmsg_type != SOCK_DIAG_BY_FAMILY
                || header->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)))
                continue;
            const auto* diag = static_cast<const inet_diag_msg*>(NLMSG_DATA(header));
            const quint16 port = ntohs(diag->id.idiag_sport);
            if (diag->idiag_state != TCP_LISTEN || port == 0 || diag->idiag_inode == 0)
                continue;
            sockets->append({diag->idiag_inode, port, addressOf(*diag)});
        }
    }
}

} // namespace

std::optional<QList<Procfs::ListeningSocket>> ListeningSocketDiag::ownNamespace()
{
    QList<Procfs::ListeningSocket> sockets;
    if (!dumpFamily(AF_INET, &sockets))
        return std::nullopt;
    // A kernel without IPv6 has no tcp6 table either: its IPv4 list is whole.
    QList<Procfs::ListeningSocket> ipv6;
    if (dumpFamily(AF_INET6, &ipv6))
        sockets += ipv6;
    return sockets;
}

} // namespace NodeScope

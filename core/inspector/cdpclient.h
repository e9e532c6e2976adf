#pragma once

// A Chrome DevTools Protocol client over one QWebSocket: numbered requests
// with a callback and a timeout each, and events as a signal. It never trusts
// the peer: garbage, error replies, replies to unknown ids, slow replies and a
// socket that closes mid-request each end the affected requests cleanly.

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <functional>

namespace NodeScope {

struct CdpReply {
    bool ok = false;
    QJsonObject result; // the "result" member of a successful reply
    QString error; // why it failed: the peer's error message, a timeout, a close
};

class CdpClient : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const CdpReply&)>;

    // The largest message (and frame) taken from a peer. Replies NodeScope
    // asks for are a few KB; a heap snapshot chunk is far below this. A
    // bigger one closes the connection before it is buffered.
    static constexpr qint64 kMaxMessageBytes = 64 * 1024 * 1024;

    explicit CdpClient(QObject* parent = nullptr);
    ~CdpClient() override;

    // Connects; emits opened() or closed(reason) within timeoutMs.
    void open(const QUrl& url, int timeoutMs = 3000);
    // Fails every pending request with "connection closed" and closes.
    void close();
    bool isOpen() const { return m_open; }
    QUrl url() const { return m_url; }

    // Sends a request. The callback runs exactly once (reply, error, timeout or
    // close), unless this client is destroyed first. A callback may close the
    // client but must not delete it (use deleteLater). Returns the request id.
    int call(const QString& method, const QJsonObject& params, Callback callback, int timeoutMs = 2000);
    // Forgets a request: its callback will not run, a late reply is ignored.
    void cancel(int id);
    int pendingCount() const { return int(m_pending.size()); }

    // One message from the peer, read but not acted on. Every message the
    // client receives goes through here; static so fuzz/ can feed it anything.
    struct Incoming {
        enum class Kind { Reply, Event, Invalid };
        Kind kind = Kind::Invalid;
        int id = 0; // Reply: the request it answers; 0 (never ours) when not a whole int
        CdpReply reply; // Reply
        QString method; // Event
        QJsonObject params; // Event
        QString problem; // Invalid: what protocolError() says
    };
    static Incoming parseIncoming(const QString& text);

Q_SIGNALS:
    void opened();
    // The connection ended (or never opened); pending requests have failed.
    void closed(const QString& reason);
    void eventReceived(const QString& method, const QJsonObject& params);
    // Something arrived that is not CDP; the connection stays up.
    void protocolError(const QString& what);

private:
    void handleMessage(const QString& text);
    void finish(int id, const CdpReply& reply);
    void failAll(const QString& reason);
    void handleDisconnected();

    QWebSocket m_socket;
    QUrl m_url;
    bool m_open = false;
    bool m_closing = false;
    int m_nextId = 1;
    int m_openGeneration = 0;
    QHash<int, Callback> m_pending;
};

} // namespace NodeScope

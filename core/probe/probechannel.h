#pragma once

// NodeScope's end of the private channel to the probe in a watched process
// (core/probe/probe.js): a Unix socket in a fresh directory only the target's
// user can enter, reachable from the target's own filesystem view (through
// /proc/PID/root, so a service with a private /tmp can reach it too). It
// accepts exactly one connection, and only from the expected PID (the
// kernel's SO_PEERCRED, not anything the peer says), then removes the socket
// file and its directory at once: nothing is left in the target's /tmp while
// the connection lives on.
//
// Messages are newline-delimited JSON both ways. Requests carry an id; each
// callback runs exactly once (reply, timeout or close). The peer is never
// trusted: a line that is not JSON, or one over the size limit, closes the
// channel with a reason.

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

class QLocalServer;
class QLocalSocket;
class QTimer;

namespace NodeScope {

class ProbeChannel : public QObject {
    Q_OBJECT
public:
    struct Reply {
        bool ok = false;
        QJsonObject message; // the whole reply, when ok
        QString error; // the probe's error, a timeout or a close
    };
    using Callback = std::function<void(const Reply&)>;

    // The largest message accepted: a sampling heap profile of a big app
    // is a few MB; nothing we ask for comes near this.
    static constexpr qint64 kMaxMessageBytes = 64 * 1024 * 1024;

    explicit ProbeChannel(QObject* parent = nullptr);
    ~ProbeChannel() override;

    // Opens the socket for PID's probe. False (and why) when that is not
    // possible (no /tmp in its filesystem view, permissions...).
    bool listen(qint64 pid, uint targetUid, QString* error);
    // The socket's path as the target sees it, and the token its hello must carry.
    QString targetPath() const { return m_targetPath; }
    QString token() const { return m_token; }
    bool isListening() const;
    bool isConnected() const { return m_connected; }

    // Sends a request and calls back once with its reply.
    void request(QJsonObject message, Callback callback, int timeoutMs);
    // Sends a message that has no reply.
    void send(const QJsonObject& message);
    // Asks the probe to remove itself, then closes; pending requests fail.
    void stop();
    // Closes without a word (the probe removes itself when it sees the close).
    void close(const QString& reason = QStringLiteral("closed"));

Q_SIGNALS:
    // The verified probe said hello: {pid, node, heapLimit, features...}.
    void connected(const QJsonObject& hello);
    // A CDP event relayed from the probe's in-process inspector session;
    // worker is [threadId, title] for a worker thread's event, else empty.
    void eventReceived(const QString& method, const QJsonObject& params, const QJsonArray& worker);
    // A batch of readings the probe took on its own timer while streaming
    // (TargetAccess::streamReadings), each shaped like a sample's reply.
    void readingsReceived(const QJsonArray& readings);
    // The channel ended (or a peer was refused); pending requests have failed.
    void closed(const QString& reason);

private:
    // fuzz/ feeds lines through takeLine() as if the probe had sent them.
    friend class ProbeChannelTestAccess;

    void acceptPending();
    void readLines();
    // One line as read off the socket, newline included; false when it
    // closed the channel.
    bool takeLine(const QByteArray& line);
    void handle(const QJsonObject& message);
    void stopListening();
    void failAll(const QString& reason);
    bool write(const QJsonObject& message);

    QLocalServer* m_server = nullptr;
    QLocalSocket* m_socket = nullptr;
    QString m_directory; // where the socket was made (through /proc/PID/root)
    QString m_targetPath;
    QString m_token;
    qint64 m_pid = 0;
    bool m_connected = false;
    int m_nextId = 1;
    struct Pending {
        Callback callback;
        QTimer* timer = nullptr;
    };
    QHash<int, Pending> m_pending;
};

} // namespace NodeScope

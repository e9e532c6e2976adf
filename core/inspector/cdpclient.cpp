#include "inspector/cdpclient.h"

#include <QJsonDocument>
#include <QNetworkProxy>
#include <QPointer>
#include <QTimer>

namespace NodeScope {

CdpClient::CdpClient(QObject* parent)
    : QObject(parent)
{
    // A proxy from the environment must never see loopback inspector traffic.
    m_socket.setProxy(QNetworkProxy::NoProxy);
    m_socket.setMaxAllowedIncomingMessageSize(quint64(kMaxMessageBytes));
    m_socket.setMaxAllowedIncomingFrameSize(quint64(kMaxMessageBytes));
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        if (m_closing)
            return;
        m_open = true;
        Q_EMIT opened();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, &CdpClient::handleDisconnected);
    // A refused or failed connection reports an error but no disconnected().
    connect(&m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, [this] {
        if (!m_open)
            handleDisconnected();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &CdpClient::handleMessage);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
        [this](const QByteArray&) { Q_EMIT protocolError(QStringLiteral("unexpected binary message")); });
}

CdpClient::~CdpClient()
{
    // Callbacks may capture objects that are being destroyed with us.
    m_pending.clear();
    m_socket.disconnect(this);
    m_socket.abort();
}

void CdpClient::open(const QUrl& url, int timeoutMs)
{
    if (m_socket.state() != QAbstractSocket::UnconnectedState) {
        m_closing = true;
        m_socket.abort();
    }
    failAll(QStringLiteral("connection replaced"));
    m_url = url;
    m_open = false;
    m_closing = false;
    const int generation = ++m_openGeneration;
    m_socket.open(url);
    // A port that accepts TCP but never completes the handshake would
    // otherwise leave us waiting forever.
    QTimer::singleShot(timeoutMs, this, [this, generation, timeoutMs] {
        if (generation == m_openGeneration && !m_open && !m_closing
            && m_socket.state() != QAbstractSocket::UnconnectedState) {
            m_closing = true;
            m_socket.abort();
            Q_EMIT closed(QStringLiteral("no WebSocket handshake within %1 ms").arg(timeoutMs));
        }
    });
}

void CdpClient::close()
{
    if (m_closing)
        return;
    m_closing = true;
    ++m_openGeneration;
    const bool wasOpen = m_open;
    m_open = false;
    failAll(QStringLiteral("connection closed"));
    // close() sends the close frame; abort() makes the end synchronous so a
    // later open() never sees this connection's late disconnected() signal.
    m_socket.close();
    m_socket.abort();
    if (wasOpen)
        Q_EMIT closed(QStringLiteral("closed by NodeScope"));
}

void CdpClient::handleDisconnected()
{
    if (m_closing)
        return;
    m_closing = true;
    const bool wasOpen = m_open;
    m_open = false;
    // A close we did not ask for (a message over the size limit, a protocol
    // error) is told by its close reason; a failed handshake by the socket's
    // error text, even when Qt files it under "unknown".
    QString reason = m_socket.errorString();
    if (m_socket.closeCode() != QWebSocketProtocol::CloseCodeNormal && !m_socket.closeReason().isEmpty())
        reason = QStringLiteral("connection closed: %1").arg(m_socket.closeReason());
    else if (reason.isEmpty() || reason == QLatin1String("Unknown error"))
        reason = wasOpen ? QStringLiteral("the inspector closed the connection")
                         : QStringLiteral("connection failed");
    failAll(reason);
    Q_EMIT closed(reason);
}

int CdpClient::call(const QString& method, const QJsonObject& params, Callback callback, int timeoutMs)
{
    const int id = m_nextId++;
    if (!m_open) {
        // Still asynchronous, so callers see one behaviour whatever the state.
        QTimer::singleShot(0, this, [callback] { callback({false, {}, QStringLiteral("not connected")}); });
        return id;
    }
    m_pending.insert(id, std::move(callback));
    QJsonObject message{{QStringLiteral("id"), id}, {QStringLiteral("method"), method}};
    if (!params.isEmpty())
        message.insert(QStringLiteral("params"), params);
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    QTimer::singleShot(timeoutMs, this, [this, id, method, timeoutMs] {
        if (m_pending.contains(id))
            finish(id, {false, {}, QStringLiteral("%1 timed out after %2 ms").arg(method).arg(timeoutMs)});
    });
    return id;
}

void CdpClient::cancel(int id)
{
    m_pending.remove(id);
}

void CdpClient::finish(int id, const CdpReply& reply)
{
    const Callback callback = m_pending.take(id);
    if (callback)
        callback(reply);
}

void CdpClient::failAll(const QString& reason)
{
    // Callbacks may close or destroy us; work on a detached copy.
    const QHash<int, Callback> pending = std::exchange(m_pending, {});
    QPointer<CdpClient> self(this);
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        it.value()({false, {}, reason});
        if (!self)
            return;
    }
}

CdpClient::Incoming CdpClient::parseIncoming(const QString& text)
{
    Incoming incoming;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        incoming.problem = QStringLiteral("not a JSON object: %1").arg(text.left(80));
        return incoming;
    }
    const QJsonObject message = document.object();
    const QJsonValue idValue = message.value(QLatin1String("id"));
    if (idValue.isDouble()) {
        incoming.kind = Incoming::Kind::Reply;
        incoming.id = idValue.toInt();
        if (message.contains(QLatin1String("error"))) {
            const QJsonObject error = message.value(QLatin1String("error")).toObject();
            incoming.reply.error = error.value(QLatin1String("message")).toString();
            if (incoming.reply.error.isEmpty())
                incoming.reply.error = QStringLiteral("error reply without a message");
        } else {
            incoming.reply = {true, message.value(QLatin1String("result")).toObject(), {}};
        }
        return incoming;
    }
    incoming.method = message.value(QLatin1String("method")).toString();
    if (incoming.method.isEmpty()) {
        incoming.problem = QStringLiteral("message with neither id nor method");
        return incoming;
    }
    incoming.kind = Incoming::Kind::Event;
    incoming.params = message.value(QLatin1String("params")).toObject();
    return incoming;
}

void CdpClient::handleMessage(const QString& text)
{
    const Incoming incoming = parseIncoming(text);
    switch (incoming.kind) {
    case Incoming::Kind::Invalid:
        Q_EMIT protocolError(incoming.problem);
        return;
    case Incoming::Kind::Reply:
        // A reply to a request that timed out or was cancelled finds none.
        if (m_pending.contains(incoming.id))
            finish(incoming.id, incoming.reply);
        return;
    case Incoming::Kind::Event:
        Q_EMIT eventReceived(incoming.method, incoming.params);
        return;
    }
}

} // namespace NodeScope

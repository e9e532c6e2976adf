#pragma once

// A local stand-in for a Node inspector that misbehaves on request. Like the
// real one it serves both sides on one port: GET /json/list over plain HTTP,
// and CDP over a WebSocket answered according to `mode`. For tests of how
// the client handles bad peers. It can also be too big: a /json/list body or
// a WebSocket message of any size, streamed so the fake itself stays small.

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>

class FakeInspector : public QObject {
    Q_OBJECT
public:
    enum class Mode { Answer, ErrorReply, Garbage, Silent, CloseOnRequest, WrongId, Binary, Slow };

    Mode mode = Mode::Answer;
    int slowMs = 500;
    // The value `Runtime.evaluate` returns (returnByValue), per expression.
    std::function<QJsonValue(const QString& expression)> evaluator
        = [](const QString&) { return QJsonValue(42); };
    QList<QJsonObject> received;

    // What GET /json/list answers; by default a list naming our WebSocket.
    QByteArray jsonListBody;
    // When set, GET /json/list streams a body of this many bytes (no
    // Content-Length, as a server that does not know the size would).
    qint64 hugeListBytes = 0;
    // When set, the WebSocket handshake is followed by one text message of
    // this many bytes (one frame, streamed), before any request.
    qint64 hugeMessageBytes = 0;
    // Bytes of the huge body or message actually sent (the peer may stop us).
    qint64 streamedBytes = 0;

    FakeInspector()
        : m_server(QStringLiteral("fake"), QWebSocketServer::NonSecureMode)
    {
        m_http.listen(QHostAddress::LocalHost, 0);
        connect(&m_http, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_http.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { route(socket); });
        });
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket* socket = m_server.nextPendingConnection()) {
                m_clients.append(socket);
                connect(socket, &QWebSocket::textMessageReceived, this,
                    [this, socket](const QString& text) { handle(socket, text); });
                connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    quint16 port() const { return m_http.serverPort(); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/fake-target").arg(port())); }

    void sendEvent(const QString& method, const QJsonObject& params)
    {
        const QJsonObject event{{QStringLiteral("method"), method}, {QStringLiteral("params"), params}};
        for (const QPointer<QWebSocket>& socket : std::as_const(m_clients)) {
            if (socket)
                socket->sendTextMessage(
                    QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact)));
        }
    }

    void closeAll()
    {
        for (const QPointer<QWebSocket>& socket : std::as_const(m_clients)) {
            if (socket)
                socket->close();
        }
    }

private:
    // Peeks at the request: /json/list is answered here, an upgrade goes to
    // the WebSocket server with its bytes still unread.
    void route(QTcpSocket* socket)
    {
        const QByteArray head = socket->peek(8192);
        if (!head.contains("\r\n\r\n"))
            return;
        socket->disconnect(this);
        if (head.startsWith("GET /json") && hugeListBytes > 0) {
            socket->readAll();
            socket->write("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[");
            stream(socket, hugeListBytes);
            return;
        }
        if (!head.startsWith("GET /json") && hugeMessageBytes > 0) {
            socket->readAll();
            const int keyAt = int(head.indexOf("Sec-WebSocket-Key:"));
            const QByteArray key = head.mid(keyAt + 18, head.indexOf("\r\n", keyAt) - keyAt - 18).trimmed();
            const QByteArray accept = QCryptographicHash::hash(
                QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                                          .toBase64();
            socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: "
                + accept + "\r\n\r\n");
            // One unmasked text frame with a 64-bit length, then its payload.
            QByteArray header("\x81\x7f", 2);
            for (int shift = 56; shift >= 0; shift -= 8)
                header += char((quint64(hugeMessageBytes) >> shift) & 0xff);
            socket->write(header);
            stream(socket, hugeMessageBytes);
            return;
        }
        if (head.startsWith("GET /json")) {
            socket->readAll();
            QByteArray body = jsonListBody;
            if (body.isEmpty())
                body = QStringLiteral(
                    "[{\"type\":\"node\",\"webSocketDebuggerUrl\":\"ws://127.0.0.1:%1/fake-target\"}]")
                           .arg(port())
                           .toUtf8();
            socket->write("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            return;
        }
        m_server.handleConnection(socket);
    }

    // Writes `total` bytes a chunk at a time, as the peer takes them.
    void stream(QTcpSocket* socket, qint64 total)
    {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        const QByteArray chunk(256 * 1024, 'a');
        const auto pump = [this, socket, total, chunk] {
            while (streamedBytes < total && socket->bytesToWrite() < 4 * chunk.size()) {
                socket->write(chunk);
                streamedBytes += chunk.size();
            }
            if (streamedBytes >= total)
                socket->disconnectFromHost();
        };
        connect(socket, &QTcpSocket::bytesWritten, this, pump);
        pump();
    }

    void handle(QWebSocket* socket, const QString& text)
    {
        const QJsonObject request = QJsonDocument::fromJson(text.toUtf8()).object();
        received.append(request);
        const int id = request.value(QLatin1String("id")).toInt();
        const QString method = request.value(QLatin1String("method")).toString();
        QJsonObject result;
        if (method == QLatin1String("Runtime.evaluate")) {
            const QString expression = request.value(QLatin1String("params"))
                                           .toObject()
                                           .value(QLatin1String("expression"))
                                           .toString();
            result = {{QStringLiteral("result"),
                QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                    {QStringLiteral("value"), evaluator(expression)}}}};
        }
        const QJsonObject reply{{QStringLiteral("id"), id}, {QStringLiteral("result"), result}};
        const QString replyText = QString::fromUtf8(QJsonDocument(reply).toJson(QJsonDocument::Compact));
        switch (mode) {
        case Mode::Answer:
            socket->sendTextMessage(replyText);
            break;
        case Mode::ErrorReply:
            socket->sendTextMessage(
                QStringLiteral("{\"id\":%1,\"error\":{\"code\":-32601,\"message\":\"'%2' wasn't found\"}}")
                    .arg(id)
                    .arg(method));
            break;
        case Mode::Garbage:
            socket->sendTextMessage(QStringLiteral("<html>this is not CDP"));
            break;
        case Mode::Silent:
            break;
        case Mode::CloseOnRequest:
            socket->close();
            break;
        case Mode::WrongId:
            socket->sendTextMessage(QStringLiteral("{\"id\":%1,\"result\":{}}").arg(id + 1000));
            break;
        case Mode::Binary:
            socket->sendBinaryMessage(QByteArray("\x01\x02", 2));
            break;
        case Mode::Slow:
            QTimer::singleShot(slowMs, socket, [socket, replyText] { socket->sendTextMessage(replyText); });
            break;
        }
    }

    QTcpServer m_http;
    QWebSocketServer m_server;
    QList<QPointer<QWebSocket>> m_clients;
};

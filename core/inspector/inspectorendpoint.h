#pragma once

// Asks an inspector's HTTP side (GET /json/list) for its WebSocket debugger
// URL. Anything that is not a Node inspector answering that question (an
// app's own HTTP server, garbage, silence) is reported as "not an inspector".

#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace NodeScope {

class InspectorEndpoint {
public:
    // A real /json/list is a few hundred bytes per target. Anything much
    // bigger is not an inspector, and is not read into memory to find out.
    static constexpr qint64 kMaxListBytes = 1024 * 1024;

    struct Result {
        QUrl webSocketUrl; // empty when not found
        QString error; // why not
        bool found() const { return !webSocketUrl.isEmpty(); }
    };
    using Callback = std::function<void(const Result&)>;

    // The callback runs once, in context's thread, unless context is destroyed.
    static void fetch(QNetworkAccessManager* network, const QString& host, quint16 port, int timeoutMs,
        QObject* context, Callback callback);

    // Parses a /json/list body; public for tests.
    static Result parseList(const QByteArray& body, const QString& host, quint16 port);
};

} // namespace NodeScope

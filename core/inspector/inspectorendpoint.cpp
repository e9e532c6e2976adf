#include "inspector/inspectorendpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

#include <memory>

namespace NodeScope {

InspectorEndpoint::Result InspectorEndpoint::parseList(
    const QByteArray& body, const QString& host, quint16 port)
{
    const QString where = QStringLiteral("%1:%2").arg(host).arg(port);
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isArray())
        return {{}, QStringLiteral("%1 is not a Node inspector (no target list)").arg(where)};
    for (const QJsonValue& entry : document.array()) {
        const QUrl url(entry.toObject().value(QLatin1String("webSocketDebuggerUrl")).toString());
        if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")))
            continue;
        // The inspector names the address it bound; talk to the one we reached.
        QUrl reachable = url;
        reachable.setHost(host);
        reachable.setPort(port);
        // "ws:relative/path" is a valid URL until it gets a host.
        if (!reachable.isValid())
            continue;
        return {reachable, {}};
    }
    return {
        {}, QStringLiteral("%1 lists no debuggable target (another debugger may be attached)").arg(where)};
}

void InspectorEndpoint::fetch(QNetworkAccessManager* network, const QString& host, quint16 port,
    int timeoutMs, QObject* context, Callback callback)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(QStringLiteral("/json/list"));
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = network->get(request);
    // Bounds what Qt reads ahead of the checks below, which end the transfer
    // at the limit. (A cap at the limit itself can stall Qt just below it.)
    reply->setReadBufferSize(4 * kMaxListBytes);
    QPointer<QObject> guard(context);
    // An app server (or anything else on the port) may stream something huge
    // at us: stop as soon as the announced or the received size passes the
    // limit, before it is buffered.
    auto tooLarge = std::make_shared<bool>(false);
    QObject::connect(
        reply, &QNetworkReply::downloadProgress, context, [reply, tooLarge](qint64 received, qint64 total) {
            if (!*tooLarge && (received >= kMaxListBytes || total > kMaxListBytes)) {
                *tooLarge = true;
                reply->abort();
            }
        });
    QObject::connect(reply, &QNetworkReply::readyRead, context, [reply, tooLarge] {
        if (!*tooLarge && reply->bytesAvailable() >= kMaxListBytes) {
            *tooLarge = true;
            reply->abort();
        }
    });
    QObject::connect(
        reply, &QNetworkReply::finished, context, [reply, host, port, callback, guard, tooLarge] {
            reply->deleteLater();
            if (!guard)
                return;
            if (*tooLarge || reply->bytesAvailable() >= kMaxListBytes) {
                callback({{},
                    QStringLiteral("%1:%2 is not a Node inspector (its target list is larger than %3 MB)")
                        .arg(host)
                        .arg(port)
                        .arg(kMaxListBytes / (1024 * 1024))});
                return;
            }
            if (reply->error() != QNetworkReply::NoError) {
                const QString why = reply->error() == QNetworkReply::OperationCanceledError
                    ? QStringLiteral("no answer")
                    : reply->errorString();
                callback({{}, QStringLiteral("%1:%2: %3").arg(host).arg(port).arg(why)});
                return;
            }
            callback(parseList(reply->readAll(), host, port));
        });
}

} // namespace NodeScope

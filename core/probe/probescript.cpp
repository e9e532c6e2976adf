#include "probe/probescript.h"

#include "probe/probesource.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace NodeScope {

namespace {

// A string as a JavaScript literal (JSON's quoting is JavaScript's).
QString literal(const QString& text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

} // namespace

QString ProbeScript::source()
{
    return QString::fromUtf8(kProbeSource);
}

QString ProbeScript::installExpression(const QString& socketPath, const QString& token)
{
    return QStringLiteral("(%1\n)(%2, %3, typeof require === 'function' ? require : undefined)")
        .arg(source(), literal(socketPath), literal(token));
}

} // namespace NodeScope

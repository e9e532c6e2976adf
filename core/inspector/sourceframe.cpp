#include "inspector/sourceframe.h"

namespace NodeScope {

QString SourceFrame::location() const
{
    QString where = url;
    if (!url.isEmpty() && line > 0) {
        where += QLatin1Char(':') + QString::number(line);
        if (column > 0)
            where += QLatin1Char(':') + QString::number(column);
    }
    return where;
}

QString SourceFrame::text() const
{
    return url.isEmpty() ? function : function + QLatin1Char(' ') + location();
}

QJsonObject SourceFrame::toJson() const
{
    return QJsonObject{
        {QStringLiteral("function"), function},
        {QStringLiteral("url"), url},
        {QStringLiteral("line"), line > 0 ? QJsonValue(line) : QJsonValue()},
        {QStringLiteral("column"), column > 0 ? QJsonValue(column) : QJsonValue()},
        {QStringLiteral("origin"), CodeOrigins::name(origin())},
    };
}

int SourceFrame::oneBased(const QJsonValue& cdpPosition)
{
    const double number = cdpPosition.toDouble(-1);
    return number >= 0 && number < 1e9 ? int(number) + 1 : 0;
}

} // namespace NodeScope

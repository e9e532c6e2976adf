#include "format.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace NodeScope {

QString Format::byteUnit(double magnitude, double* divisor)
{
    static const char* const units[] = {"B", "KB", "MB", "GB", "TB"};
    double scale = 1;
    int unit = 0;
    magnitude = std::fabs(magnitude);
    while (magnitude >= 1024 * scale && unit < 4) {
        scale *= 1024;
        ++unit;
    }
    *divisor = scale;
    return QLatin1String(units[unit]);
}

QString Format::bytes(double bytes)
{
    double divisor = 1;
    const QString unit = byteUnit(bytes, &divisor);
    if (divisor == 1)
        return QStringLiteral("%1 B").arg(qint64(bytes));
    const double value = bytes / divisor;
    const int decimals = std::fabs(value) >= 100 ? 0 : std::fabs(value) >= 10 ? 1 : 2;
    return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals).arg(unit);
}

QString Format::bytesPerMinute(double bytesPerMinute)
{
    return bytes(bytesPerMinute) + QStringLiteral("/min");
}

QString Format::roughDuration(double seconds)
{
    if (seconds < 90)
        return QStringLiteral("%1 s").arg(qMax<qint64>(1, qRound64(seconds)));
    const qint64 minutes = qRound64(seconds / 60);
    if (minutes < 120)
        return QStringLiteral("%1 min").arg(minutes);
    return QStringLiteral("%1 h").arg(seconds / 3600, 0, 'f', 1);
}

QString Format::duration(double seconds)
{
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
    const qint64 total = qint64(seconds);
    const qint64 days = total / 86400;
    const qint64 hours = (total % 86400) / 3600;
    const qint64 minutes = (total % 3600) / 60;
    if (days > 0)
        return QStringLiteral("%1d %2h").arg(days).arg(hours);
    if (hours > 0)
        return QStringLiteral("%1h %2m").arg(hours).arg(minutes);
    return QStringLiteral("%1m %2s").arg(minutes).arg(total % 60);
}

QString Format::milliseconds(double ms)
{
    if (std::fabs(ms) >= 1000)
        return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', std::fabs(ms) >= 10000 ? 1 : 2);
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', std::fabs(ms) >= 100 ? 0 : std::fabs(ms) >= 10 ? 1 : 2);
}

QString Format::wallTime(qint64 wallMs)
{
    return QDateTime::fromMSecsSinceEpoch(wallMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> Format::parseWallTime(const QString& text)
{
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    return time.toMSecsSinceEpoch();
}

QString Format::percent(double value)
{
    return QStringLiteral("%1 %").arg(value, 0, 'f', std::fabs(value) >= 100 ? 0 : 1);
}

QString Format::printable(const QString& text)
{
    const auto isControl = [](char16_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); };
    if (std::none_of(text.cbegin(), text.cend(), [&](QChar c) { return isControl(c.unicode()); }))
        return text;
    QString safe;
    safe.reserve(text.size() + 16);
    for (const QChar c : text) {
        if (isControl(c.unicode()))
            safe += QStringLiteral("\\x%1").arg(int(c.unicode()), 2, 16, QLatin1Char('0'));
        else
            safe += c;
    }
    return safe;
}

} // namespace NodeScope

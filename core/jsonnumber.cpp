#include "jsonnumber.h"

#include <cmath>

namespace NodeScope {

std::optional<qint64> JsonNumber::toInt64(const QJsonValue& value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    return toInt64(value.toDouble(), min, max);
}

std::optional<qint64> JsonNumber::toBytes(const QJsonValue& value)
{
    constexpr qint64 kMaxBytes = 9'000'000'000'000'000'000;
    return toInt64(value, 0, kMaxBytes);
}

std::optional<qint64> JsonNumber::toInt64(double value, qint64 min, qint64 max)
{
    // 2^63 is exactly representable; every double below it converts safely.
    constexpr double kLimit = 9223372036854775808.0;
    if (!std::isfinite(value))
        return std::nullopt;
    const double whole = std::trunc(value);
    if (whole < -kLimit || whole >= kLimit)
        return std::nullopt;
    const qint64 result = qint64(whole);
    if (result < min || result > max)
        return std::nullopt;
    return result;
}

} // namespace NodeScope

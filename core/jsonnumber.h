#pragma once

// Whole numbers out of JSON that a peer sent. JSON numbers are doubles, and
// converting a double outside qint64's range (or NaN, or infinity) to qint64
// is undefined: in practice it gave -9223372036854775808. Everything that
// turns a target's or an inspector's number into an integer goes through here.

#include <QJsonValue>
#include <QtGlobal>

#include <limits>
#include <optional>

namespace NodeScope {

class JsonNumber {
public:
    // The value as a qint64 (fractions truncated toward zero), or nullopt
    // when it is not a number, not finite, or outside [min, max].
    static std::optional<qint64> toInt64(const QJsonValue& value,
        qint64 min = std::numeric_limits<qint64>::min(), qint64 max = std::numeric_limits<qint64>::max());
    // A byte count a process reported: a whole number from 0 to 9 * 10^18
    // (so that a sum of a few stays in qint64), or nullopt.
    static std::optional<qint64> toBytes(const QJsonValue& value);
    // The same as toInt64() for a plain double.
    static std::optional<qint64> toInt64(double value, qint64 min = std::numeric_limits<qint64>::min(),
        qint64 max = std::numeric_limits<qint64>::max());
};

} // namespace NodeScope

#pragma once

// Human-readable figures shared by the command line and the dashboard, so a
// number reads the same everywhere.

#include <QString>

#include <optional>

namespace NodeScope {

class Format {
public:
    // 1536 -> "1.5 KB"; binary multiples (as process.memoryUsage() users expect
    // from DevTools), three significant digits.
    static QString bytes(double bytes);
    // A rate of growth in bytes() form: 1258291 -> "1.20 MB/min".
    static QString bytesPerMinute(double bytesPerMinute);
    // The unit bytes() would pick for a value of this size, and its divisor.
    static QString byteUnit(double magnitude, double* divisor);
    // 3725 -> "1h 2m", 62 -> "1m 2s", 4.2 -> "4.2 s"
    static QString duration(double seconds);
    // One unit, rounded, for "in about ..." where duration()'s "40m 0s" would
    // claim a precision a projection does not have: 53.4 -> "53 s",
    // 2400 -> "40 min", 9000 -> "2.5 h". Never "0 s".
    static QString roughDuration(double seconds);
    // 12.34 -> "12.3 ms", 1234 -> "1.23 s"
    static QString milliseconds(double ms);
    static QString percent(double value);
    // The one wall-time form of every file and summary NodeScope writes:
    // ISO 8601 UTC with milliseconds, "2026-11-29T15:07:08.123Z".
    static QString wallTime(qint64 wallMs);
    // Reads that form back (any ISO 8601 offset is accepted); nullopt when not.
    static std::optional<qint64> parseWallTime(const QString& text);
    // Text that came from a target (its version, error messages, whatever an
    // inspector sent) made safe for a terminal or a status line: every C0
    // and C1 control character and DEL, line breaks included, is written as
    // \xNN, so a target cannot move the cursor, clear the screen or forge
    // lines of our output.
    static QString printable(const QString& text);
};

} // namespace NodeScope

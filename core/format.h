#pragma once

// Human-readable figures shared by the command line and the dashboard, so a
// number reads the same everywhere.

#include <QString>

namespace NodeScope {

class Format {
public:
    // 1536 -> "1.5 KB"; binary multiples (as process.memoryUsage() users expect
    // from DevTools), three significant digits.
    static QString bytes(double bytes);
    // The unit bytes() would pick for a value of this size, and its divisor.
    static QString byteUnit(double magnitude, double* divisor);
    // 3725 -> "1h 2m", 62 -> "1m 2s", 4.2 -> "4.2 s"
    static QString duration(double seconds);
    // 12.34 -> "12.3 ms", 1234 -> "1.23 s"
    static QString milliseconds(double ms);
    static QString percent(double value);
};

} // namespace NodeScope

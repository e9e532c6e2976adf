#pragma once

#include <QtGlobal>

namespace NodeScope {

// One point of the post-GC floor, for drawing under the heapUsed curve.
struct BaselinePoint {
    quint32 elapsedMs = 0;
    qint64 wallMs = 0;
    qint64 bytes = 0;
    bool forced = false; // from a forced full collection, not a bucket minimum
};

} // namespace NodeScope

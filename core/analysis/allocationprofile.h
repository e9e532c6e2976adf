#pragma once

// One reading of V8's sampling heap profiler (HeapProfiler.getSamplingProfile):
// for every allocation site -- a call path that allocated sampled objects --
// the bytes of those objects still alive. The profiler forgets an object
// when the GC frees it, so a site whose objects are retained grows from one
// reading to the next, and one whose objects die stays flat.

#include "inspector/sourceframe.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace NodeScope {

struct AllocationSite {
    // The allocating frame first, then its callers. V8's profile gives where
    // each function is defined, not the allocating line.
    QList<SourceFrame> stack;
    qint64 liveBytes = 0; // sampled objects of this site still alive, scaled to all of them
};

struct AllocationProfile {
    qint64 wallMs = 0; // when it was read
    QList<AllocationSite> sites; // only sites with live bytes
    qint64 totalLiveBytes = 0;

    // Parses a getSamplingProfile result ({profile: {head, samples}}) or the
    // profile itself ({head, ...}). The tree is walked without recursion and
    // at most kMaxNodes nodes are read: the reply is the target's word.
    static std::optional<AllocationProfile> fromCdp(const QJsonObject& result, qint64 wallMs, QString* error);

    static constexpr int kMaxNodes = 500000;
    static constexpr int kMaxStackDepth = 64; // frames kept per site, nearest first
};

} // namespace NodeScope

Q_DECLARE_METATYPE(NodeScope::AllocationProfile)

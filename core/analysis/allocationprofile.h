#pragma once

// One reading of V8's sampling heap profiler (HeapProfiler.getSamplingProfile):
// for every allocation site -- a call path that allocated sampled objects --
// the bytes of those objects still alive. The profiler forgets an object
// when the GC frees it, so a site whose objects are retained grows from one
// reading to the next, and one whose objects die stays flat.

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace NodeScope {

// One JavaScript frame: a function and where it is defined (V8's profile
// gives function positions, not the allocating line). Lines and columns
// count from 1, as editors and DevTools show them (CDP counts from 0).
struct AllocationFrame {
    QString function; // "(anonymous)" for a function without a name
    QString url; // file:///..., node:internal/..., empty for V8's own entries
    int line = 0; // 0 when unknown
    int column = 0;

    bool operator==(const AllocationFrame&) const = default;
    // "handleRequest file:///app/server.js:12:5"
    QString toString() const;
    QJsonObject toJson() const;
};

struct AllocationSite {
    QList<AllocationFrame> stack; // the allocating frame first, then its callers
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

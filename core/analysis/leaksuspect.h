#pragma once

// One leak suspect: the app's own code that allocates memory which stays
// alive and keeps growing. A plain value the suspects panel, the terminal
// and `record`'s summary all read.

#include "analysis/allocationprofile.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>

namespace NodeScope {

struct LeakSuspect {
    // The nearest frame in the app's own code (not node:internal, not
    // node_modules, not V8's own entries); the allocating frame itself when
    // no frame of the stack is the app's.
    SourceFrame frame;
    bool inAppCode = true;
    double bytesPerMin = 0; // growth of its live bytes, all its sites together
    // The same over the newer half of the readings: a cache's sites flatten
    // once it is full, a leak's keep growing. bytesPerMin while too few.
    double recentBytesPerMin = 0;
    qint64 liveBytes = 0; // live now
    double share = 0; // of the growth of every growing site, 0..1
    int sites = 0; // allocation sites grouped under the frame
    QList<SourceFrame> stack; // the stack of its fastest-growing site, allocating frame first

    // The summary's shape of a frame, as README documents it: {function,
    // url, line, column}, positions 0 when unknown.
    static QJsonObject frameJson(const SourceFrame& frame)
    {
        return QJsonObject{
            {QStringLiteral("function"), frame.function},
            {QStringLiteral("url"), frame.url},
            {QStringLiteral("line"), frame.line},
            {QStringLiteral("column"), frame.column},
        };
    }

    // Exactly one entry of the summary's `leak.suspects`.
    QJsonObject toJson() const
    {
        QJsonArray frames;
        for (const SourceFrame& each : stack)
            frames.append(frameJson(each));
        QJsonObject o = frameJson(frame);
        o.insert(QStringLiteral("bytesPerMin"), qRound64(bytesPerMin));
        o.insert(QStringLiteral("liveBytes"), liveBytes);
        o.insert(QStringLiteral("share"), qRound(share * 1000) / 1000.0);
        o.insert(QStringLiteral("stack"), frames);
        return o;
    }
};

} // namespace NodeScope

Q_DECLARE_METATYPE(NodeScope::LeakSuspect)

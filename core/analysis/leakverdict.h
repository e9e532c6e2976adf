#pragma once

// What the leak detector concludes about one kind of memory at one moment: a
// plain value that the alarm banner, the chart and `nodescope record`'s summary
// JSON all read. The wording lives here so every consumer says the same thing.

#include "format.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocale>
#include <QString>
#include <QStringLiteral>
#include <QtGlobal>

#include <cmath>

namespace NodeScope {

struct LeakVerdict {
    enum class State { Learning, Ok, Suspect, Leak };
    // JavaScript judges the post-GC floor of heapUsed; Native judges
    // rss - heapTotal - external, where addons, Buffers' allocator slack and
    // V8's own malloc live.
    enum class Kind { JavaScript, Native };

    static constexpr qint64 kNone = -1;

    Kind kind = Kind::JavaScript;
    State state = State::Learning;
    double slopeBytesPerMin = 0; // Theil-Sen slope of the floor over the trailing window
    qint64 growthBytes = 0; // floor now (on the trend line) minus the floor when growth began
    qint64 floorBytes = kNone; // the floor now, on the trend line
    qint64 sinceElapsedMs = kNone; // where the growth began; kNone when nothing grows
    qint64 sinceWallMs = kNone;
    qint64 projectedOomWallMs = kNone; // kNone when not growing or the heap limit is unknown
    qint64 asOfWallMs = 0; // wall time of the last sample judged, for "in about N min"
    qint64 learnedMs = 0; // how much history the verdict rests on
    // false: no collection in the window lowered the floor, so a ramp of
    // garbage awaiting a full collection would look the same; forcing one tells.
    bool collectionsSeen = true;

    bool isGrowing() const { return state == State::Suspect || state == State::Leak; }
    bool hasSince() const { return sinceWallMs != kNone; }
    bool hasProjection() const { return projectedOomWallMs != kNone; }

    static QString stateName(State s)
    {
        switch (s) {
        case State::Learning:
            return QStringLiteral("learning");
        case State::Ok:
            return QStringLiteral("ok");
        case State::Suspect:
            return QStringLiteral("suspect");
        case State::Leak:
            return QStringLiteral("leak");
        }
        return QString();
    }

    static QString formatBytes(double bytes)
    {
        const double mb = bytes / (1024.0 * 1024.0);
        if (std::abs(mb) >= 100)
            return QString::number(qRound64(mb)) + QStringLiteral(" MB");
        if (std::abs(mb) >= 0.1)
            return QString::number(mb, 'f', 1) + QStringLiteral(" MB");
        return QString::number(qRound64(bytes / 1024.0)) + QStringLiteral(" KB");
    }

    static QString formatDuration(qint64 ms)
    {
        const qint64 min = qRound64(double(ms) / 60000.0);
        if (ms < 90 * 1000)
            return QString::number(qMax<qint64>(1, qRound64(double(ms) / 1000.0))) + QStringLiteral(" s");
        if (min < 120)
            return QString::number(min) + QStringLiteral(" min");
        return QString::number(double(ms) / 3600000.0, 'f', 1) + QStringLiteral(" h");
    }

    // One line for the banner and the terminal, e.g. "heap floor grows
    // 1.2 MB/min since 14:02:10 (+36 MB); out of memory in about 40 min".
    QString explanation() const
    {
        const QString what = kind == Kind::JavaScript
            ? QStringLiteral("heap floor")
            : QStringLiteral("native memory (rss - heapTotal - external)");
        const QString rate = formatBytes(slopeBytesPerMin) + QStringLiteral("/min");
        QString line;
        switch (state) {
        case State::Learning:
            return QStringLiteral("learning the ") + what + QStringLiteral(" (") + formatDuration(learnedMs)
                + QStringLiteral(" of history so far)");
        case State::Ok:
            line = what + QStringLiteral(" steady");
            if (floorBytes != kNone)
                line += QStringLiteral(" at ") + formatBytes(double(floorBytes));
            return line;
        case State::Suspect:
            line = what + QStringLiteral(" may be growing: ") + rate;
            break;
        case State::Leak:
            line = what + QStringLiteral(" grows ") + rate;
            break;
        }
        if (hasSince()) {
            const QDateTime since = QDateTime::fromMSecsSinceEpoch(sinceWallMs);
            line += QStringLiteral(" since ") + QLocale::c().toString(since, QStringLiteral("HH:mm:ss"));
        }
        line += QStringLiteral(" (+") + formatBytes(double(growthBytes)) + QStringLiteral(")");
        if (hasProjection()) {
            line += QStringLiteral("; out of memory in about ")
                + formatDuration(qMax<qint64>(0, projectedOomWallMs - asOfWallMs));
        }
        if (!collectionsSeen)
            line += QStringLiteral("; no collection has lowered it yet, force one to confirm");
        return line;
    }

    // Exactly the `leak` object of the record summary.
    QJsonObject toJson() const
    {
        QJsonObject o;
        o.insert(QStringLiteral("state"), stateName(state));
        o.insert(QStringLiteral("slopeBytesPerMin"), std::round(slopeBytesPerMin));
        o.insert(QStringLiteral("growthBytes"), double(growthBytes));
        o.insert(QStringLiteral("since"),
            hasSince() ? QJsonValue(Format::wallTime(sinceWallMs)) : QJsonValue(QJsonValue::Null));
        o.insert(QStringLiteral("projectedOomTime"),
            hasProjection() ? QJsonValue(Format::wallTime(projectedOomWallMs)) : QJsonValue(QJsonValue::Null));
        return o;
    }
};

} // namespace NodeScope

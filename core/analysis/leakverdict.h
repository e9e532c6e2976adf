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
    // In every state, learning included: how much the floor rose over the
    // last riseSpanMs of the window when that is more than the minimum
    // growth (0 otherwise), and whether it still rises now. A floor that
    // rose is never worded "steady".
    qint64 riseBytes = 0;
    qint64 riseSpanMs = 0;
    bool risingNow = false;

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

    // One line for the banner and the terminal, e.g. "heap floor grows
    // 1.20 MB/min since 14:02:10 (+36.0 MB); out of memory in about 40 min".
    // Figures go through Format, so they read as everywhere else.
    QString explanation() const
    {
        const QString what = kind == Kind::JavaScript
            ? QStringLiteral("heap floor")
            : QStringLiteral("native memory (rss - heapTotal - external)");
        const QString rate = Format::bytesPerMinute(slopeBytesPerMin);
        QString line;
        switch (state) {
        case State::Learning:
            line = QStringLiteral("learning the ") + what + QStringLiteral(" (")
                + Format::roughDuration(double(learnedMs) / 1000) + QStringLiteral(" of history so far)");
            if (riseBytes > 0)
                line += QStringLiteral("; ") + riseWording(QStringLiteral("it is"));
            return line;
        case State::Ok:
            if (riseBytes > 0)
                return riseWording(what);
            line = what + QStringLiteral(" steady");
            if (floorBytes != kNone)
                line += QStringLiteral(" at ") + Format::bytes(double(floorBytes));
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
        line += QStringLiteral(" (+") + Format::bytes(double(growthBytes)) + QStringLiteral(")");
        if (hasProjection()) {
            line += QStringLiteral("; out of memory in about ")
                + Format::roughDuration(double(qMax<qint64>(0, projectedOomWallMs - asOfWallMs)) / 1000);
        }
        if (!collectionsSeen)
            line += QStringLiteral("; no collection has lowered it yet, force one to confirm");
        return line;
    }

    // A floor that rose by more than the minimum growth, in a state that
    // does not (yet) call it growth: say so, and why it is not an alarm yet.
    QString riseWording(const QString& subject) const
    {
        const QString span = Format::roughDuration(double(riseSpanMs) / 1000);
        if (risingNow) {
            return subject + QStringLiteral(" rising ") + Format::bytesPerMinute(slopeBytesPerMin)
                + QStringLiteral(" for ") + span + QStringLiteral(" (+") + Format::bytes(double(riseBytes))
                + QStringLiteral("); a cache warming up looks the same for a while");
        }
        QString line = subject;
        if (floorBytes != kNone)
            line += QStringLiteral(" at ") + Format::bytes(double(floorBytes)) + QStringLiteral(",");
        return line + QStringLiteral(" up ") + Format::bytes(double(riseBytes)) + QStringLiteral(" in ")
            + span + QStringLiteral(", no longer rising");
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
            hasProjection() ? QJsonValue(Format::wallTime(projectedOomWallMs))
                            : QJsonValue(QJsonValue::Null));
        return o;
    }
};

} // namespace NodeScope

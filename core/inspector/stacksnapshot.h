#pragma once

// The main thread's JavaScript stack at one moment, as Debugger.paused gave
// it: innermost frame first.

#include "inspector/sourceframe.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace NodeScope {

struct StackSnapshot {
    // Deep recursion gives thousands of frames; the innermost ones tell what it is doing.
    static constexpr int kMaxFrames = 256;

    qint64 pid = 0;
    QString nodeVersion;
    qint64 wallMs = 0; // when the stack was taken
    // No JavaScript ran within the wait: the main thread sits in its event
    // loop (or in native code that calls no JavaScript). frames is empty.
    bool idle = false;
    QList<SourceFrame> frames;
    int omittedFrames = 0; // beyond kMaxFrames
    double pausedMs = -1; // how long the thread was held: the paused event to the resume's reply
    double tookMs = -1; // the whole grab, opening and closing the inspector included
    QString via; // how NodeScope reached the stack, for the user
    QString note; // anything the user should know about what was left behind

    // Frames from a Debugger.paused event's params; scriptUrls fills in the
    // URL where a frame has none (newer V8 leaves CallFrame.url out).
    static StackSnapshot fromPausedEvent(
        const QJsonObject& params, const QHash<QString, QString>& scriptUrls);
    // Every frame's text(), one a line.
    QString text() const;
    QJsonObject toJson() const;
};

} // namespace NodeScope

Q_DECLARE_METATYPE(NodeScope::StackSnapshot)

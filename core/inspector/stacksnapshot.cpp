#include "inspector/stacksnapshot.h"

#include "format.h"

#include <QJsonValue>

namespace NodeScope {

namespace {

// Only what a frame needs to be read; a peer's absurd lengths stop here.
constexpr int kMaxNameLength = 512;
constexpr int kMaxUrlLength = 2048;

} // namespace

StackSnapshot StackSnapshot::fromPausedEvent(
    const QJsonObject& params, const QHash<QString, QString>& scriptUrls)
{
    StackSnapshot snapshot;
    const QJsonArray callFrames = params.value(QLatin1String("callFrames")).toArray();
    for (const QJsonValue& value : callFrames) {
        if (snapshot.frames.size() >= kMaxFrames) {
            ++snapshot.omittedFrames;
            continue;
        }
        const QJsonObject callFrame = value.toObject();
        const QJsonObject location = callFrame.value(QLatin1String("location")).toObject();
        SourceFrame frame;
        frame.function = callFrame.value(QLatin1String("functionName")).toString().left(kMaxNameLength);
        if (frame.function.isEmpty())
            frame.function = QStringLiteral("(anonymous)");
        frame.url = callFrame.value(QLatin1String("url")).toString();
        if (frame.url.isEmpty())
            frame.url = scriptUrls.value(location.value(QLatin1String("scriptId")).toString());
        frame.url = frame.url.left(kMaxUrlLength);
        frame.line = SourceFrame::oneBased(location.value(QLatin1String("lineNumber")));
        frame.column = SourceFrame::oneBased(location.value(QLatin1String("columnNumber")));
        snapshot.frames.append(frame);
    }
    return snapshot;
}

QString StackSnapshot::text() const
{
    QString lines;
    for (const SourceFrame& frame : frames)
        lines += Format::printable(frame.text()) + QLatin1Char('\n');
    return lines;
}

QJsonObject StackSnapshot::toJson() const
{
    QJsonArray frameArray;
    for (const SourceFrame& frame : frames)
        frameArray.append(frame.toJson());
    QJsonObject object{
        {QStringLiteral("pid"), pid},
        {QStringLiteral("nodeVersion"), nodeVersion.isEmpty() ? QJsonValue() : QJsonValue(nodeVersion)},
        {QStringLiteral("time"), Format::wallTime(wallMs)},
        {QStringLiteral("idle"), idle},
        {QStringLiteral("frames"), frameArray},
        {QStringLiteral("omittedFrames"), omittedFrames},
        {QStringLiteral("pausedMs"), pausedMs >= 0 ? QJsonValue(pausedMs) : QJsonValue()},
        {QStringLiteral("tookMs"), tookMs >= 0 ? QJsonValue(tookMs) : QJsonValue()},
        {QStringLiteral("via"), via},
    };
    if (!note.isEmpty())
        object.insert(QStringLiteral("note"), note);
    return object;
}

} // namespace NodeScope

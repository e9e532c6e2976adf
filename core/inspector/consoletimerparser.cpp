#include "inspector/consoletimerparser.h"

#include "jsonnumber.h"

#include <QJsonArray>
#include <QJsonValue>

#include <cmath>

namespace NodeScope {

namespace {

QString normalizedLabel(const QString& label)
{
    return label.isEmpty() ? QStringLiteral("default") : label;
}

// The value of a CDP RemoteObject when it is a string.
std::optional<QString> stringArg(const QJsonArray& args, qsizetype index)
{
    if (index >= args.size())
        return std::nullopt;
    const QJsonObject arg = args.at(index).toObject();
    if (arg.value(QLatin1String("type")).toString() != QLatin1String("string"))
        return std::nullopt;
    return arg.value(QLatin1String("value")).toString();
}

std::optional<double> nonNegativeNumber(QStringView text)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0)
        return std::nullopt;
    return value;
}

// Node's "M:SS.mmm" and "H:MM:SS.mmm". Seconds are not checked against 60:
// Node's formatter itself can print "59:60.000".
std::optional<double> clockDurationMs(QStringView text)
{
    const QList<QStringView> parts = text.trimmed().split(u':');
    if (parts.size() < 2 || parts.size() > 3)
        return std::nullopt;
    double totalMs = 0;
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        bool ok = false;
        const qint64 whole = parts.at(i).toLongLong(&ok);
        if (!ok || whole < 0)
            return std::nullopt;
        totalMs = totalMs * 60 + double(whole);
    }
    totalMs *= 60'000;
    const std::optional<double> seconds = nonNegativeNumber(parts.last());
    if (!seconds)
        return std::nullopt;
    return totalMs + *seconds * 1000;
}

// Whole ms a double holds exactly, ~285,000 years: the longest duration,
// and the farthest timestamp from 1970, taken from a target. Within them
// toSpan()'s end - duration cannot overflow; beyond them lie no timers
// ("1e300 ms") but typos and attacks.
constexpr qint64 kLimitMs = qint64(1) << 53;

std::optional<double> anyDurationMs(QStringView text)
{
    text = text.trimmed();
    const qsizetype paren = text.indexOf(u'(');
    if (paren >= 0) {
        // "1:01.500 (m:ss.mmm)": the parenthesis only names the format.
        if (!text.endsWith(u')'))
            return std::nullopt;
        return clockDurationMs(text.first(paren));
    }
    if (text.contains(u':'))
        return clockDurationMs(text);
    if (text.endsWith(u"ms"))
        return nonNegativeNumber(text.chopped(2));
    if (text.endsWith(u's')) {
        const std::optional<double> seconds = nonNegativeNumber(text.chopped(1));
        if (!seconds)
            return std::nullopt;
        return *seconds * 1000;
    }
    return std::nullopt;
}

} // namespace

TimerSpan ConsoleTimerEvent::toSpan() const
{
    TimerSpan span;
    span.source = TimerSpan::Source::Process;
    span.label = label;
    span.endWallMs = endWallMs;
    span.startWallMs = endWallMs - std::llround(durationMs);
    span.durationMs = durationMs;
    span.isLap = isLog;
    return span;
}

std::optional<double> ConsoleTimerParser::parseDurationMs(QStringView text)
{
    // "1e308s" is a finite number of seconds, but not of ms.
    const std::optional<double> ms = anyDurationMs(text);
    if (!ms || !(*ms <= double(kLimitMs)))
        return std::nullopt;
    return ms;
}

std::optional<ConsoleTimerParser::LabelDuration> ConsoleTimerParser::splitTimerMessage(const QString& message)
{
    // The duration never contains ": ", the label may.
    const qsizetype separator = message.lastIndexOf(QLatin1String(": "));
    if (separator < 0)
        return std::nullopt;
    const std::optional<double> durationMs = parseDurationMs(QStringView(message).sliced(separator + 2));
    if (!durationMs)
        return std::nullopt;
    return LabelDuration{normalizedLabel(message.left(separator)), *durationMs};
}

void ConsoleTimerParser::reset()
{
    m_pending = Pending::None;
    m_pendingEvent = ConsoleTimerEvent();
}

std::optional<ConsoleTimerEvent> ConsoleTimerParser::parse(const QJsonObject& params)
{
    // Whatever this event is, it ends the chance of an echo for the previous one.
    const Pending pending = m_pending;
    const ConsoleTimerEvent pendingEvent = std::move(m_pendingEvent);
    reset();

    const QJsonValue timestampValue = params.value(QLatin1String("timestamp"));
    if (!timestampValue.isDouble())
        return std::nullopt;
    const double timestamp = timestampValue.toDouble();
    // Out of range (or not finite): no moment on our time axis.
    const std::optional<qint64> endWallMs = JsonNumber::toInt64(std::round(timestamp), -kLimitMs, kLimitMs);
    if (!endWallMs || timestamp < double(m_acceptAfterWallMs))
        return std::nullopt;

    const QString type = params.value(QLatin1String("type")).toString();
    const QJsonArray args = params.value(QLatin1String("args")).toArray();
    const int contextId = params.value(QLatin1String("executionContextId")).toInt();
    const std::optional<QString> first = stringArg(args, 0);
    if (!first)
        return std::nullopt;

    ConsoleTimerEvent event;
    event.endWallMs = *endWallMs;
    event.executionContextId = contextId;

    if (type == QLatin1String("timeEnd")) {
        const std::optional<LabelDuration> parsed = splitTimerMessage(*first);
        if (!parsed)
            return std::nullopt;
        event.label = parsed->label;
        event.durationMs = parsed->durationMs;
        return event;
    }

    if (type == QLatin1String("warning")) {
        static const QLatin1String prefix("Timer '");
        static const QLatin1String suffix("' does not exist");
        if (first->size() >= prefix.size() + suffix.size() && first->startsWith(prefix)
            && first->endsWith(suffix)) {
            event.label = normalizedLabel(
                first->sliced(prefix.size(), first->size() - prefix.size() - suffix.size()));
            m_pending = Pending::UnknownTimer;
            m_pendingEvent = std::move(event);
        }
        return std::nullopt;
    }

    if (type != QLatin1String("log"))
        return std::nullopt;

    if (*first == QLatin1String("%s: %s")) {
        const std::optional<QString> echoLabel = stringArg(args, 1);
        const std::optional<QString> echoDuration = stringArg(args, 2);
        if (!echoLabel || !echoDuration)
            return std::nullopt;
        const std::optional<double> echoMs = parseDurationMs(*echoDuration);
        if (!echoMs)
            return std::nullopt;
        const QString label = normalizedLabel(*echoLabel);
        if (pendingEvent.label != label || pendingEvent.executionContextId != contextId)
            return std::nullopt;
        if (pending == Pending::TimeLog)
            return pendingEvent;
        if (pending == Pending::UnknownTimer && m_includeStartedBeforeAttach) {
            event.label = label;
            event.durationMs = *echoMs;
            event.startedBeforeAttach = true;
            return event;
        }
        return std::nullopt;
    }

    // Maybe V8's half of a console.timeLog; the echo decides.
    if (const std::optional<LabelDuration> parsed = splitTimerMessage(*first)) {
        event.label = parsed->label;
        event.durationMs = parsed->durationMs;
        event.isLog = true;
        m_pending = Pending::TimeLog;
        m_pendingEvent = std::move(event);
    }
    return std::nullopt;
}

} // namespace NodeScope

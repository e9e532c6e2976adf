// ConsoleTimerParser: the params of Runtime.consoleAPICalled events a target
// sends (any console call of the process, so any text), and the duration
// texts inside them. Input, read three ways:
// - as text: a duration ("23.41 ms", "1:01.500 (m:ss.mmm)") and V8's
//   "label: 23.41 ms";
// - as JSON: a capture like tests/fixtures/console/*.json ({attachWallMs,
//   lateOpen, events: [params...]}), an array of params, or one params
//   object; the events go through one parser in order, as they arrive.

#include "fuzzinput.h"
#include "inspector/consoletimerparser.h"
#include "jsonnumber.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <limits>

using NodeScope::ConsoleTimerEvent;
using NodeScope::ConsoleTimerParser;

namespace {

bool isDuration(double ms)
{
    return std::isfinite(ms) && ms >= 0;
}

// What the rest of NodeScope may rely on for every event the parser gives.
void checkEvent(const ConsoleTimerEvent& event)
{
    FUZZ_CHECK(!event.label.isEmpty());
    FUZZ_CHECK(isDuration(event.durationMs));
    const NodeScope::TimerSpan span = event.toSpan();
    FUZZ_CHECK(span.startWallMs <= span.endWallMs && span.endWallMs == event.endWallMs);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes = NodeScope::Fuzz::bytes(data, size);
    const QString text = QString::fromUtf8(bytes);
    if (const auto ms = ConsoleTimerParser::parseDurationMs(text))
        FUZZ_CHECK(isDuration(*ms));
    if (const auto split = ConsoleTimerParser::splitTimerMessage(text))
        FUZZ_CHECK(!split->label.isEmpty() && isDuration(split->durationMs));

    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    ConsoleTimerParser parser;
    QJsonArray events;
    if (document.isArray()) {
        parser.setIncludeTimersStartedBeforeAttach(true);
        events = document.array();
    } else if (const QJsonObject object = document.object(); object.contains(QLatin1String("events"))) {
        const auto attach = NodeScope::JsonNumber::toInt64(object.value(QLatin1String("attachWallMs")));
        parser.setAcceptAfterWallMs(attach.value_or(std::numeric_limits<qint64>::min()));
        parser.setIncludeTimersStartedBeforeAttach(object.value(QLatin1String("lateOpen")).toBool());
        events = object.value(QLatin1String("events")).toArray();
    } else {
        events.append(object);
    }
    for (const QJsonValue& params : std::as_const(events)) {
        if (const std::optional<ConsoleTimerEvent> event = parser.parse(params.toObject()))
            checkEvent(*event);
    }
    return 0;
}

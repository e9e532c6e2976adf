#pragma once

#include "types.h"

#include <QJsonObject>
#include <QString>
#include <QStringView>

#include <limits>
#include <optional>

namespace NodeScope {

// One console.timeEnd / console.timeLog of the target, as seen through the
// inspector.
struct ConsoleTimerEvent {
    QString label;
    double durationMs = 0; // since the matching console.time
    qint64 endWallMs = 0; // params.timestamp: wall clock of the target, ms since the epoch
    bool isLog = false; // console.timeLog (a split), not console.timeEnd
    // The timer was started before V8 knew of it (the inspector opened later),
    // so only Node's own echo carried it; see includeTimersStartedBeforeAttach().
    bool startedBeforeAttach = false;
    int executionContextId = 0;

    TimerSpan toSpan() const;
};

// Turns the params of CDP `Runtime.consoleAPICalled` into timer events.
//
// Shapes verified with Node v20.20.2 (V8 11.3), an external WebSocket client
// and Runtime.enable (fixtures and the capture script: tests/fixtures/console/):
//
//   console.timeEnd('DB Call')
//     {type: "timeEnd", args: [{type: "string", value: "DB Call: 19.62890625 ms"}]}
//     then Node's own echo, which goes through the wrapped console.log:
//     {type: "log", args: ["%s: %s", "DB Call", "19.838ms"]}          (string args)
//   console.timeLog('x', {a: 1}, 'extra', 42)
//     {type: "log", args: ["x: 5.04296875 ms", {object}, "extra", 42}]}
//     {type: "log", args: ["%s: %s", "x", "5.222ms", {object}, "extra", 42]}
//     CDP has no "timeLog" type: V8 reports it as a plain "log".
//   label with ": "     "GET /api: users: 0.015 ms", "ends with: : 0.008 ms"
//   console.time(''), console.time(), console.time(42)
//                       ": 0.010 ms", "default: 0.010 ms", "42: 0.009 ms"
//   whole durations     "DB Call: 20 ms" (no decimals)
//   over 1 s / 60 s     V8 always prints ms: "very long: 61500.190185546875 ms";
//                       only Node's echo switches to "1.500s",
//                       "1:01.500 (m:ss.mmm)", "1:02:03.457 (h:mm:ss.mmm)".
//   unknown label       {type: "warning", args: ["Timer 'nope' does not exist"]}
//                       for timeEnd and timeLog alike. When the timer was
//                       started before the inspector opened (SIGUSR1 attach),
//                       Node still knows it and echoes right after the warning:
//                       ["%s: %s", "started-before-open", "196.095ms"].
//   duplicate start     {type: "warning", args: ["Timer 'dup' already exists"]}
//   console.time        emits nothing.
//   params also carry executionContextId, timestamp (wall ms, fractional) and
//   stackTrace. Older V8 printed "23.41ms" without the space.
//
// Decisions:
// - timeEnd counts on its own event; its echo is ignored.
// - A "log" shaped like "label: N ms" counts as a timeLog only when the very
//   next event is Node's echo for the same label: console.log('response time:
//   12 ms') must not count. Both come from one synchronous console call, so
//   they are adjacent. Cost: an app that replaces console.log loses its
//   timeLog splits (its timeEnd still counts).
// - The duration is V8's, not the echo's: V8 measures first, and the echo's
//   interval also includes serialising V8's message to the session (2 ms
//   seen on a 20 ms timer).
// - After Runtime.enable V8 replays up to 1000 buffered messages with their
//   original timestamps; they all arrive before the enable response. Events
//   older than acceptAfterWallMs() are dropped.
// - An empty label is reported as "default", like console.time() without one
//   (Node itself keeps '' and 'default' apart).
class ConsoleTimerParser {
public:
    // Drop events whose timestamp is earlier than this (the attach time).
    void setAcceptAfterWallMs(qint64 wallMs) { m_acceptAfterWallMs = wallMs; }
    qint64 acceptAfterWallMs() const { return m_acceptAfterWallMs; }

    // A timer started before the inspector opened is reported only by the
    // "does not exist" warning plus Node's echo. Off by default: the echo
    // cannot tell timeLog from timeEnd, and its duration is rounded.
    void setIncludeTimersStartedBeforeAttach(bool include) { m_includeStartedBeforeAttach = include; }
    bool includeTimersStartedBeforeAttach() const { return m_includeStartedBeforeAttach; }

    // Feed every consoleAPICalled params object in arrival order.
    std::optional<ConsoleTimerEvent> parse(const QJsonObject& params);

    // Forget the half-seen timeLog or warning (on reconnect).
    void reset();

    // "23.41 ms", "23.41ms", "1.500s", "1:01.500 (m:ss.mmm)",
    // "1:02:03.457 (h:mm:ss.mmm)" -> milliseconds.
    static std::optional<double> parseDurationMs(QStringView text);

    // Label and duration of V8's "label: 23.41 ms", split at the last ": ".
    struct LabelDuration {
        QString label;
        double durationMs = 0;
    };
    static std::optional<LabelDuration> splitTimerMessage(const QString& message);

private:
    enum class Pending { None, TimeLog, UnknownTimer };

    Pending m_pending = Pending::None;
    ConsoleTimerEvent m_pendingEvent;
    qint64 m_acceptAfterWallMs = std::numeric_limits<qint64>::min();
    bool m_includeStartedBeforeAttach = false;
};

} // namespace NodeScope

// TimersCsv::read: a `<name>-timers.csv` the user opens beside a session.
// Input: the file. What was read must survive a write and a second read:
// the dashboard writes the timers it opened when the session is exported.

#include "fuzzinput.h"
#include "session/timerscsv.h"

#include <QBuffer>

#include <cmath>

using NodeScope::TimersCsv;
using NodeScope::TimerSpan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QByteArray bytes = NodeScope::Fuzz::bytes(data, size);
    QBuffer file(&bytes);
    file.open(QIODevice::ReadOnly);
    QList<TimerSpan> spans;
    QString error;
    const bool clean = TimersCsv::read(file, &spans, &error);
    FUZZ_CHECK(clean == error.isEmpty());
    for (const TimerSpan& span : std::as_const(spans))
        FUZZ_CHECK(std::isfinite(span.durationMs) && span.durationMs >= 0);

    QByteArray written;
    QBuffer out(&written);
    out.open(QIODevice::WriteOnly);
    FUZZ_CHECK(TimersCsv::write(out, spans));
    out.close();
    out.open(QIODevice::ReadOnly);
    QList<TimerSpan> again;
    FUZZ_CHECK(TimersCsv::read(out, &again, &error));
    FUZZ_CHECK(again.size() == spans.size());
    for (qsizetype i = 0; i < spans.size(); ++i) {
        FUZZ_CHECK(again[i].source == spans[i].source && again[i].label == spans[i].label);
        FUZZ_CHECK(again[i].startWallMs == spans[i].startWallMs && again[i].endWallMs == spans[i].endWallMs);
        FUZZ_CHECK(again[i].isLap == spans[i].isLap);
    }
    return 0;
}

#pragma once

// Rows from streamed readings. While the sampler samples fast, the probe
// takes its readings on a timer of its own and sends them in batches
// (TargetAccess::streamReadings): they arrive up to a batch late, at the
// target's pace, not at the sampler's ticks. Each reading becomes one row at
// the time the target took it, with the rss, CPU and threads of the /proc
// sample taken nearest to that time (the sampler keeps ticking for those).
// When no reading comes for a while (a blocked event loop), the /proc samples
// of that stretch become rows without heap figures, so rss and CPU keep
// flowing; a reading that then arrives for time already shown adds its
// collections to the next row rather than being lost.

#include "types.h"
#include "watch/targetreading.h"

#include <QList>

#include <deque>

namespace NodeScope {

class StreamedRows {
public:
    // How long /proc samples are kept to be paired with readings.
    static constexpr qint64 kKeepOsMs = 5000;

    struct Row {
        Sample sample;
        TargetReading reading; // its runtime carries what earlier, dropped readings saw
        // Since the previous reading was taken (0 for the first): a gap
        // much longer than the interval is a loop that did not turn.
        qint64 gapMs = 0;
    };

    // A new stream: nothing kept; elapsed times count from startWallMs, and
    // rows start after afterWallMs (the last row the session has).
    void reset(qint64 startWallMs, qint64 afterWallMs);
    // A /proc sample of this tick (rss, CPU, threads; no heap figures).
    void addOsSample(const Sample& sample);
    // Rows for these readings (oldest first), each newer than the last row.
    QList<Row> rowsFor(const QList<TargetReading>& readings);
    // The /proc samples older than beforeWallMs that no reading has covered:
    // rows without heap figures, for a stretch the target sent nothing.
    QList<Sample> uncoveredBefore(qint64 beforeWallMs);

    qint64 lastRowWallMs() const { return m_lastRowWallMs; }
    qint64 lastReadingWallMs() const { return m_lastReadingWallMs; }

private:
    const Sample* nearestOs(qint64 wallMs) const;
    void carry(const TargetReading& dropped);

    qint64 m_startWallMs = 0;
    qint64 m_lastRowWallMs = 0;
    qint64 m_lastReadingWallMs = 0;
    std::deque<Sample> m_os; // by time
    // Collections of readings that came too late for a row of their own.
    TargetReading m_carried;
    bool m_hasCarried = false;
};

} // namespace NodeScope

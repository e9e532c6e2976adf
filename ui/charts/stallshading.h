#pragma once

// Event-loop stalls over a chart: each span the loop did not turn is shaded
// across the whole plot with its length written on it ("4.2 s"), on every
// chart alike, so what memory, CPU and the loop did meanwhile reads straight
// down. A stall still going on (the loop blocked now) is shaded from its
// start to the live edge. Stalls are few (each one is half a second or more
// of a process doing nothing else), so they are drawn straight from the
// session's list.

#include "types.h"

#include <QList>
#include <QString>

#include <optional>

class QFont;
class QPainter;
class QPalette;

namespace NodeScope {

class PlotFrame;

class StallShading {
public:
    // Since when the loop has been blocked, while it is; nullopt once it turns.
    void setOngoing(std::optional<qint64> sinceWallMs) { m_ongoingSince = sinceWallMs; }
    std::optional<qint64> ongoingSince() const { return m_ongoingSince; }

    // nowWallMs: the end of an ongoing stall.
    void paint(QPainter* painter, const PlotFrame& frame, const QList<LoopStall>& stalls, qint64 nowWallMs,
        const QFont& font) const;
    // The readout line for a stall covering wallMs ("event loop blocked for
    // 4.2 s from 12:00:01.250"); empty when none does.
    QString describe(const QList<LoopStall>& stalls, qint64 wallMs, qint64 nowWallMs) const;

    // How a stall's length reads on the charts, in the list and the status bar.
    static QString lengthText(double durationMs);

private:
    std::optional<qint64> m_ongoingSince;
};

} // namespace NodeScope

#pragma once

// Where a chart's plot area is on screen and what it shows there: the time
// range across it and the value range up it. Every overlay and the
// navigator map through one of these, built once per paint or event, so
// none of them needs the chart, its axes or the time window.

#include <QPointF>
#include <QRectF>

#include <optional>

namespace NodeScope {

class PlotFrame {
public:
    PlotFrame() = default;
    // plot in scene coordinates; [fromWallMs, toWallMs] across it; values
    // from 0 to valueTop (axis units) up it, where one axis unit is
    // `divisor` raw units (bytes per MB, say).
    PlotFrame(
        const QRectF& plot, qint64 fromWallMs, qint64 toWallMs, double valueTop = 1, double divisor = 1);

    const QRectF& plot() const { return m_plot; }
    qint64 from() const { return m_from; }
    qint64 to() const { return m_to; }
    qint64 spanMs() const { return m_to - m_from; }
    double valueTop() const { return m_valueTop; }
    double divisor() const { return m_divisor; }
    bool contains(qint64 wallMs) const { return wallMs >= m_from && wallMs <= m_to; }

    double xFor(qint64 wallMs) const;
    // The wall time under a scene x; nullopt off the plot (two pixels of
    // slack, so the very edge can still be grabbed).
    std::optional<qint64> wallAt(double sceneX) const;
    // Wall ms per pixel column.
    double msPerPixel() const;
    // Scene y of a value in axis units, and of a raw value.
    double yForAxisValue(double axisValue) const;
    double yForValue(double value) const { return yForAxisValue(value / m_divisor); }

private:
    QRectF m_plot;
    qint64 m_from = 0;
    qint64 m_to = 0;
    double m_valueTop = 1;
    double m_divisor = 1;
};

} // namespace NodeScope

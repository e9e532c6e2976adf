#pragma once

// The moment under the pointer, shared by every chart on the time axis: a
// dotted vertical line on each, and on the chart the pointer is over, a box
// with the readout of that moment beside the line (flipped to its left near
// the right edge so it stays on screen).

#include <QString>

#include <optional>

class QFont;
class QPainter;
class QPalette;

namespace NodeScope {

class PlotFrame;

class Crosshair {
public:
    std::optional<qint64> wallMs() const { return m_wallMs; }
    void setWallMs(std::optional<qint64> wallMs) { m_wallMs = wallMs; }
    // Whether the pointer is over this chart: only that one shows the readout.
    bool isHovered() const { return m_hovered; }
    void setHovered(bool hovered) { m_hovered = hovered; }

    // True when the line falls in the frame's time range and the readout
    // would be shown: the caller then composes its text.
    bool wantsReadout(const PlotFrame& frame) const;
    // readout may be empty (no line of text, no box).
    void paint(QPainter* painter, const PlotFrame& frame, const QString& readout, const QPalette& palette,
        const QFont& font) const;

private:
    std::optional<qint64> m_wallMs;
    bool m_hovered = false;
};

} // namespace NodeScope

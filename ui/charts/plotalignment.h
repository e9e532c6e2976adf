#pragma once

// Lines up a chart's plot area with its neighbours' on a shared time axis:
// charts stacked on one time axis have different axis label widths, so each
// adds to its left and right margins what it needs for every plot to start
// and end at the same x. Shared by TimeSeriesChart and WorkersChart.

#include <QMargins>

class QChart;

namespace NodeScope {

class PlotAlignment {
public:
    // The chart's margins without alignment.
    explicit PlotAlignment(const QMargins& baseMargins);

    // Where the plot would start, and how far from the right it would end,
    // without the margins added for alignment.
    double naturalLeft(const QChart* chart) const;
    double naturalRightInset(const QChart* chart) const;
    // Widens the margins so the plot starts at `left` and ends `rightInset`
    // from the right (never narrower than the chart's own).
    void align(QChart* chart, double left, double rightInset);

private:
    QMargins m_base;
    int m_left = 0;
    int m_right = 0;
};

} // namespace NodeScope

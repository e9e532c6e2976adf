#pragma once

// Turns the pointer and keys on a chart into changes of the shared
// TimeWindow, as PlotJuggler's zoomer, panner and magnifier do for a Qwt
// plot: the wheel zooms around the time under the pointer; Shift+wheel or a
// horizontal wheel pans by a tenth of the window per notch; a left drag over
// the plot draws a RubberBand and zooms to it on release; a double click goes
// back to following live; Esc drops a band being dragged (with no band, Esc
// is the main window's "Reset zoom", which works wherever the focus is).
// It filters the view's events, so the chart handles none of these itself;
// the rest (hover, clicks on the legend) passes through untouched.

#include "charts/plotframe.h"
#include "charts/rubberband.h"

#include <QObject>

#include <functional>
#include <optional>

class QGraphicsView;
class QKeyEvent;
class QMouseEvent;
class QWheelEvent;

namespace NodeScope {

class TimeWindow;

class ChartNavigator : public QObject {
    Q_OBJECT
public:
    // Where the plot is now: it moves with the axis labels and the legend.
    using FrameSource = std::function<PlotFrame()>;

    ChartNavigator(QGraphicsView* view, TimeWindow* window, FrameSource frame);

    const RubberBand& rubberBand() const { return m_band; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool press(QMouseEvent* event);
    void move(QMouseEvent* event);
    bool release(QMouseEvent* event);
    void wheel(QWheelEvent* event);
    bool isCancelKey(const QKeyEvent* event) const;
    std::optional<qint64> wallAt(const QPointF& viewportPosition) const;

    QGraphicsView* m_view;
    TimeWindow* m_window;
    FrameSource m_frame;
    RubberBand m_band;
};

} // namespace NodeScope

#include "charts/chartnavigator.h"

#include "charts/timewindow.h"

#include <QGraphicsView>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

namespace NodeScope {

namespace {

constexpr double kZoomInPerNotch = 0.8;
constexpr double kZoomOutPerNotch = 1.25; // 1 / 0.8: a notch out undoes a notch in
constexpr int kPanNotchesPerWindow = 10;
constexpr int kWheelNotch = 120; // QWheelEvent::angleDelta() units
// A shorter drag is a click that wobbled, not a range to zoom into.
constexpr double kMinimumDragPixels = 6;

} // namespace

ChartNavigator::ChartNavigator(QGraphicsView* view, TimeWindow* window, FrameSource frame)
    : QObject(view)
    , m_view(view)
    , m_window(window)
    , m_frame(std::move(frame))
{
    // Pointer events arrive at the viewport, keys at the view itself.
    m_view->viewport()->installEventFilter(this);
    m_view->installEventFilter(this);
}

bool ChartNavigator::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view) {
        // Ask for Esc before it becomes the window's shortcut, only while
        // there is a band to drop.
        if (event->type() == QEvent::ShortcutOverride && isCancelKey(static_cast<QKeyEvent*>(event))) {
            event->accept();
            return true;
        }
        if (event->type() == QEvent::KeyPress && isCancelKey(static_cast<QKeyEvent*>(event))) {
            m_band.clear();
            m_view->viewport()->update();
            return true;
        }
        return false;
    }
    if (watched != m_view->viewport())
        return false;
    switch (event->type()) {
    case QEvent::MouseButtonPress:
        return press(static_cast<QMouseEvent*>(event));
    case QEvent::MouseMove:
        move(static_cast<QMouseEvent*>(event));
        return false; // the chart still tracks the hover
    case QEvent::MouseButtonRelease:
        return release(static_cast<QMouseEvent*>(event));
    case QEvent::MouseButtonDblClick:
        m_window->reset();
        return true;
    case QEvent::Wheel:
        wheel(static_cast<QWheelEvent*>(event));
        return true;
    default:
        return false;
    }
}

bool ChartNavigator::isCancelKey(const QKeyEvent* event) const
{
    return m_band.isActive() && event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier;
}

std::optional<qint64> ChartNavigator::wallAt(const QPointF& viewportPosition) const
{
    return m_frame().wallAt(m_view->mapToScene(viewportPosition.toPoint()).x());
}

bool ChartNavigator::press(QMouseEvent* event)
{
    // Outside the plot a press is the legend's (toggling a series).
    if (event->button() != Qt::LeftButton || !wallAt(event->position()))
        return false;
    m_band.begin(m_view->mapToScene(event->position().toPoint()));
    return true;
}

void ChartNavigator::move(QMouseEvent* event)
{
    if (!m_band.isActive())
        return;
    m_band.extendTo(m_view->mapToScene(event->position().toPoint()));
    m_view->viewport()->update();
}

bool ChartNavigator::release(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_band.isActive())
        return false;
    const QPointF start = m_view->mapFromScene(m_band.start());
    const QPointF end = event->position();
    m_band.clear();
    if (std::abs(end.x() - start.x()) >= kMinimumDragPixels) {
        const auto from = wallAt(start);
        // Released beyond the plot (more than wallAt()'s slack) drops the band.
        const auto to = wallAt(QPointF(qBound(0.0, end.x(), double(m_view->width())), end.y()));
        if (from && to)
            m_window->zoomTo(*from, *to);
    }
    m_view->viewport()->update();
    return true;
}

void ChartNavigator::wheel(QWheelEvent* event)
{
    const QPoint delta = event->angleDelta();
    if (delta.x() != 0 || (event->modifiers() & Qt::ShiftModifier)) {
        const int notches = (delta.x() != 0 ? delta.x() : delta.y()) / kWheelNotch;
        const qint64 span = m_window->to() - m_window->from();
        m_window->panTo(m_window->from() - notches * span / kPanNotchesPerWindow);
    } else if (const auto at = wallAt(event->position()); delta.y() != 0 && at) {
        m_window->zoomAround(*at, delta.y() > 0 ? kZoomInPerNotch : kZoomOutPerNotch);
    }
}

} // namespace NodeScope

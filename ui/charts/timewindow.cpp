#include "charts/timewindow.h"

#include <cmath>

namespace NodeScope {

TimeWindow::TimeWindow(QObject* parent)
    : QObject(parent)
{
}

void TimeWindow::apply(qint64 from, qint64 to)
{
    if (to - from < kMinimumSpanMs) {
        const qint64 center = (from + to) / 2;
        from = center - kMinimumSpanMs / 2;
        to = from + kMinimumSpanMs;
    }
    if (from == m_from && to == m_to)
        return;
    m_from = from;
    m_to = to;
    Q_EMIT changed();
}

void TimeWindow::follow()
{
    // A session shorter than the window fills it from the left, like a chart
    // recorder's paper; once longer, the window slides with the newest sample.
    const qint64 end = qMax(m_sessionEnd, m_sessionStart + 1);
    if (m_lengthMs > 0 && end - m_sessionStart < m_lengthMs)
        apply(m_sessionStart, m_sessionStart + m_lengthMs);
    else if (m_lengthMs > 0)
        apply(end - m_lengthMs, end);
    else
        apply(m_sessionStart, qMax(end, m_sessionStart + 10 * 1000));
}

void TimeWindow::setLengthMs(qint64 lengthMs)
{
    m_lengthMs = qMax<qint64>(0, lengthMs);
    m_following = true;
    follow();
    Q_EMIT changed();
}

void TimeWindow::setSessionBounds(qint64 startWallMs, qint64 endWallMs)
{
    m_sessionStart = startWallMs;
    m_sessionEnd = qMax(startWallMs, endWallMs);
    if (m_following)
        follow();
}

void TimeWindow::zoomTo(qint64 from, qint64 to)
{
    if (to < from)
        std::swap(from, to);
    m_following = false;
    apply(from, to);
    Q_EMIT changed();
}

void TimeWindow::zoomAround(qint64 centerWallMs, double factor)
{
    const double span = double(m_to - m_from) * factor;
    const double leftShare = m_to > m_from ? double(centerWallMs - m_from) / double(m_to - m_from) : 0.5;
    const qint64 from = centerWallMs - qint64(std::llround(span * leftShare));
    zoomTo(from, from + qint64(std::llround(span)));
}

void TimeWindow::panTo(qint64 from)
{
    const qint64 span = m_to - m_from;
    if (from + span >= m_sessionEnd && m_lengthMs > 0 && span == m_lengthMs) {
        m_following = true;
        follow();
        Q_EMIT changed();
        return;
    }
    m_following = false;
    apply(from, from + span);
    Q_EMIT changed();
}

void TimeWindow::setFollowing(bool following)
{
    if (following == m_following)
        return;
    m_following = following;
    if (following)
        follow();
    Q_EMIT changed();
}

void TimeWindow::reset()
{
    m_following = true;
    follow();
    Q_EMIT changed();
}

} // namespace NodeScope

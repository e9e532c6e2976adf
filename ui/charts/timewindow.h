#pragma once

// The time range both charts show, in wall-clock ms. Following, it ends at
// the newest sample and spans the chosen length (or the whole session);
// zooming, panning or scrolling back stops following until reset().

#include <QObject>

namespace NodeScope {

class TimeWindow : public QObject {
    Q_OBJECT
public:
    explicit TimeWindow(QObject* parent = nullptr);

    // 0 = the whole session.
    void setLengthMs(qint64 lengthMs);
    qint64 lengthMs() const { return m_lengthMs; }
    bool isFollowing() const { return m_following; }
    qint64 from() const { return m_from; }
    qint64 to() const { return m_to; }
    qint64 sessionStart() const { return m_sessionStart; }
    qint64 sessionEnd() const { return m_sessionEnd; }

    // The data now spans [startWallMs, endWallMs]; a following window moves with it.
    void setSessionBounds(qint64 startWallMs, qint64 endWallMs);
    // Shows [from, to] and stops following (rubber band, wheel).
    void zoomTo(qint64 from, qint64 to);
    // Zooms by factor (<1 in) around a point in time.
    void zoomAround(qint64 centerWallMs, double factor);
    // Moves the view; reaching the newest sample resumes following.
    void panTo(qint64 from);
    void setFollowing(bool following);
    // Back to following with the chosen length.
    void reset();

Q_SIGNALS:
    void changed();

private:
    void apply(qint64 from, qint64 to);
    void follow();

    static constexpr qint64 kMinimumSpanMs = 200;
    qint64 m_lengthMs = 5 * 60 * 1000;
    bool m_following = true;
    qint64 m_from = 0;
    qint64 m_to = 0;
    qint64 m_sessionStart = 0;
    qint64 m_sessionEnd = 0;
};

} // namespace NodeScope

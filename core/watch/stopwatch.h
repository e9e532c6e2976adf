#pragma once

#include "types.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <vector>

namespace NodeScope {

// A user timer that has been started and not stopped.
struct RunningTimer {
    QString label;
    qint64 startWallMs = 0;
    double elapsedMs = 0; // at the moment running() was called
};

// The user's manual timers, with console.time's rules: several at once, one
// per label, starting a running label is refused. The durations come from one
// QElapsedTimer (monotonic), so a wall clock step (NTP, suspend, manual change)
// cannot make a span negative or wrong; a span's end wall time is its start
// plus that duration for the same reason. A view refreshes its labels from
// running() on its own QTimer: nothing here ticks.
class Stopwatch : public QObject {
    Q_OBJECT

public:
    explicit Stopwatch(QObject* parent = nullptr);

    // Labels are trimmed; an empty one becomes "default", as console.time().
    static QString normalizedLabel(const QString& label);

    // False and *error set ("Timer 'x' is already running") when refused.
    bool start(const QString& label, QString* error = nullptr);
    // Records a span and stops; false ("Timer 'x' does not exist") when not running.
    bool stop(const QString& label, QString* error = nullptr);
    // Records a span with isLap = true from the start to now, and keeps running.
    bool lap(const QString& label, QString* error = nullptr);
    // The shortcut: stops lastLabel() when it runs, starts it again otherwise.
    bool toggleLast(QString* error = nullptr);

    bool isRunning(const QString& label) const;
    QList<RunningTimer> running() const; // in start order, elapsed as of now
    // The label last started, stopped or lapped; empty before any.
    QString lastLabel() const { return m_lastLabel; }

Q_SIGNALS:
    void spanFinished(const NodeScope::TimerSpan& span); // stops and laps
    void runningChanged();

private:
    struct Timer {
        QString label;
        qint64 startWallMs = 0;
        qint64 startNs = 0; // on m_clock
    };

    std::vector<Timer>::iterator find(const QString& label);
    std::vector<Timer>::const_iterator find(const QString& label) const;
    TimerSpan spanUntilNow(const Timer& timer, bool isLap) const;

    QElapsedTimer m_clock;
    std::vector<Timer> m_running;
    QString m_lastLabel;
};

} // namespace NodeScope

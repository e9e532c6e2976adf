#include "watch/stopwatch.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace NodeScope {

namespace {

QString notRunningMessage(const QString& label)
{
    return QLatin1String("Timer '") % label % QLatin1String("' does not exist");
}

} // namespace

Stopwatch::Stopwatch(QObject* parent)
    : QObject(parent)
{
    m_clock.start();
}

QString Stopwatch::normalizedLabel(const QString& label)
{
    const QString trimmed = label.trimmed();
    return trimmed.isEmpty() ? QStringLiteral("default") : trimmed;
}

std::vector<Stopwatch::Timer>::iterator Stopwatch::find(const QString& label)
{
    return std::find_if(
        m_running.begin(), m_running.end(), [&label](const Timer& timer) { return timer.label == label; });
}

std::vector<Stopwatch::Timer>::const_iterator Stopwatch::find(const QString& label) const
{
    return std::find_if(
        m_running.cbegin(), m_running.cend(), [&label](const Timer& timer) { return timer.label == label; });
}

TimerSpan Stopwatch::spanUntilNow(const Timer& timer, bool isLap) const
{
    TimerSpan span;
    span.source = TimerSpan::Source::User;
    span.label = timer.label;
    span.startWallMs = timer.startWallMs;
    span.durationMs = double(m_clock.nsecsElapsed() - timer.startNs) / 1e6;
    span.endWallMs = timer.startWallMs + std::llround(span.durationMs);
    span.isLap = isLap;
    return span;
}

bool Stopwatch::start(const QString& label, QString* error)
{
    const QString name = normalizedLabel(label);
    if (find(name) != m_running.end()) {
        if (error)
            *error = QLatin1String("Timer '") % name % QLatin1String("' is already running");
        return false;
    }
    m_running.push_back(Timer{name, QDateTime::currentMSecsSinceEpoch(), m_clock.nsecsElapsed()});
    m_lastLabel = name;
    Q_EMIT runningChanged();
    return true;
}

bool Stopwatch::stop(const QString& label, QString* error)
{
    const QString name = normalizedLabel(label);
    const auto it = find(name);
    if (it == m_running.end()) {
        if (error)
            *error = notRunningMessage(name);
        return false;
    }
    const TimerSpan span = spanUntilNow(*it, false);
    m_running.erase(it);
    m_lastLabel = name;
    Q_EMIT spanFinished(span);
    Q_EMIT runningChanged();
    return true;
}

bool Stopwatch::lap(const QString& label, QString* error)
{
    const QString name = normalizedLabel(label);
    const auto it = find(name);
    if (it == m_running.end()) {
        if (error)
            *error = notRunningMessage(name);
        return false;
    }
    m_lastLabel = name;
    Q_EMIT spanFinished(spanUntilNow(*it, true));
    return true;
}

bool Stopwatch::toggleLast(QString* error)
{
    if (m_lastLabel.isEmpty()) {
        if (error)
            *error = QStringLiteral("No timer yet: start one with a label first");
        return false;
    }
    return isRunning(m_lastLabel) ? stop(m_lastLabel, error) : start(m_lastLabel, error);
}

bool Stopwatch::isRunning(const QString& label) const
{
    return find(normalizedLabel(label)) != m_running.cend();
}

QList<RunningTimer> Stopwatch::running() const
{
    const qint64 nowNs = m_clock.nsecsElapsed();
    QList<RunningTimer> result;
    result.reserve(qsizetype(m_running.size()));
    for (const Timer& timer : m_running)
        result.append(RunningTimer{timer.label, timer.startWallMs, double(nowNs - timer.startNs) / 1e6});
    return result;
}

} // namespace NodeScope

#include "charts/samplereadout.h"

#include "format.h"
#include "session/metrics.h"
#include "session/samplestore.h"

#include <QDateTime>
#include <QStringList>

#include <cmath>

namespace NodeScope {

namespace {

constexpr int kMostTimersListed = 4;

QString valueText(Metric metric, double value)
{
    return std::isnan(value) ? QStringLiteral("n/a") : Metrics::format(metric, value);
}

// The words a total's name shares with its parts' names ("CPU" of "CPU
// total", "CPU user" and "CPU system") head the line, and each part is named
// by the rest of its name, so the line reads "CPU: 6.0 % (user 5.5 %, ...)".
// Without shared words the names stay whole.
QString sharedHeading(const QString& total, const QList<Metric>& parts)
{
    QStringList common = total.split(QLatin1Char(' '));
    for (Metric part : parts) {
        const QStringList words = QString(Metrics::info(part).displayName).split(QLatin1Char(' '));
        qsizetype shared = 0;
        while (shared < common.size() && shared + 1 < words.size() && common[shared] == words[shared])
            ++shared;
        common = common.mid(0, shared);
    }
    return common.isEmpty() ? total : common.join(QLatin1Char(' '));
}

QString partName(Metric part, const QString& heading)
{
    const QString name = Metrics::info(part).displayName;
    const QString prefix = heading + QLatin1Char(' ');
    return name.startsWith(prefix) ? name.mid(prefix.size()) : name;
}

} // namespace

SampleReadout::SampleReadout(const SampleStore* store)
    : m_store(store)
{
}

QString SampleReadout::describe(qint64 wallMs, double markSlackMs, const QSet<QString>& hiddenTimerLabels,
    const QList<Metric>& only) const
{
    const qsizetype index = m_store->nearestIndex(wallMs);
    if (index < 0)
        return {};
    const Sample& sample = m_store->session().samples().at(index);
    QStringList lines;
    lines.append(QDateTime::fromMSecsSinceEpoch(sample.wallMs).toString(QStringLiteral("hh:mm:ss.zzz"))
        + QStringLiteral("  (+%1)").arg(Format::duration(sample.elapsedMs / 1000.0)));

    QList<Metric> metrics = Metrics::listed();
    if (!only.isEmpty())
        metrics.removeIf([&only](Metric metric) { return !only.contains(metric); });
    for (qsizetype i = 0; i < metrics.size(); ++i) {
        const MetricInfo& info = Metrics::info(metrics[i]);
        // A session without the probe's figures would read "n/a" seven times.
        if (Metrics::isRuntime(info.id) && !m_store->session().hasRuntime())
            continue;
        // A total is followed in the table by its parts.
        QList<Metric> parts;
        while (i + 1 < metrics.size() && Metrics::info(metrics[i + 1]).isPartOfTotal)
            parts.append(metrics[++i]);
        const double value = m_store->value(index, info.id);
        if (parts.isEmpty()) {
            lines.append(QStringLiteral("%1: %2").arg(info.displayName, valueText(info.id, value)));
            continue;
        }
        const QString heading = sharedHeading(info.displayName, parts);
        if (std::isnan(value)) {
            lines.append(QStringLiteral("%1: n/a").arg(heading));
            continue;
        }
        QStringList partTexts;
        for (Metric part : std::as_const(parts)) {
            partTexts.append(QStringLiteral("%1 %2").arg(
                partName(part, heading), valueText(part, m_store->value(index, part))));
        }
        lines.append(QStringLiteral("%1: %2 (%3)")
                         .arg(heading, valueText(info.id, value), partTexts.join(QStringLiteral(", "))));
    }

    for (const Marker& marker : m_store->session().markers()) {
        if (std::abs(double(marker.wallMs - wallMs)) <= markSlackMs)
            lines.append(QStringLiteral("● %1").arg(marker.text));
    }
    int shown = 0;
    for (const TimerSpan& span : m_store->session().timerSpans()) {
        if (span.isLap || hiddenTimerLabels.contains(span.label) || wallMs < span.startWallMs
            || wallMs > span.endWallMs)
            continue;
        if (++shown > kMostTimersListed)
            break;
        lines.append(
            QStringLiteral("%1 %2: %3")
                .arg(span.source == TimerSpan::Source::User ? QStringLiteral("⏱") : QStringLiteral("▸"),
                    span.label, Format::milliseconds(span.durationMs)));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace NodeScope

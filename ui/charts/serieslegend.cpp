#include "charts/serieslegend.h"

#include "session/metrics.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>

namespace NodeScope {

namespace {

constexpr int kHiddenEntryAlpha = 90;

} // namespace

SeriesLegend::SeriesLegend(QChart* chart, const QList<Metric>& metrics, const QList<QAbstractAxis*>& axes)
    : QObject(chart)
    , m_chart(chart)
    , m_metrics(metrics)
{
    for (Metric metric : metrics) {
        auto* series = new QLineSeries(chart);
        series->setName(Metrics::info(metric).displayName);
        chart->addSeries(series);
        for (QAbstractAxis* axis : axes)
            series->attachAxis(axis);
        m_series.insert(metric, series);
        for (QLegendMarker* marker : chart->legend()->markers(series)) {
            connect(marker, &QLegendMarker::clicked, this, [this, metric] {
                const bool visible = !isVisible(metric);
                setVisible(metric, visible);
                Q_EMIT toggled(metric, visible);
            });
        }
    }
}

bool SeriesLegend::isVisible(Metric metric) const
{
    const QLineSeries* series = m_series.value(metric);
    return series && series->isVisible();
}

void SeriesLegend::setVisible(Metric metric, bool visible)
{
    QLineSeries* series = m_series.value(metric);
    if (!series)
        return;
    series->setVisible(visible);
    // Qt Charts hides the entry of a hidden series: keep it, dimmed.
    for (QLegendMarker* marker : m_chart->legend()->markers(series)) {
        marker->setVisible(true);
        QColor label = m_text;
        label.setAlpha(visible ? 255 : kHiddenEntryAlpha);
        marker->setLabelBrush(label);
        QBrush brush = marker->brush();
        QColor color = brush.color();
        color.setAlpha(visible ? 255 : kHiddenEntryAlpha);
        brush.setColor(color);
        marker->setBrush(brush);
    }
}

QColor SeriesLegend::color(Metric metric) const
{
    const QLineSeries* series = m_series.value(metric);
    return series ? series->pen().color() : QColor();
}

void SeriesLegend::applyPalette(bool dark, const QColor& text)
{
    m_text = text;
    m_chart->legend()->setLabelColor(text);
    for (Metric metric : std::as_const(m_metrics)) {
        QColor color = QColor(QRgb(Metrics::info(metric).rgb));
        if (dark)
            color = color.lighter(130);
        // A part of a total (CPU user and system under CPU total) is paler
        // so the total reads above it.
        if (Metrics::info(metric).isPartOfTotal)
            color.setAlpha(150);
        m_series[metric]->setPen(QPen(color, 2));
    }
    for (Metric metric : std::as_const(m_metrics))
        setVisible(metric, isVisible(metric));
}

} // namespace NodeScope

#include "charts/timeserieschart.h"

#include "charts/chartnavigator.h"
#include "charts/serieslegend.h"
#include "charts/timewindow.h"
#include "charts/valueaxisscale.h"
#include "session/samplestore.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QValueAxis>

#include <cmath>
#include <limits>

namespace NodeScope {

namespace {

// At least this many columns, so a chart squeezed by the splitter still
// shows a line's shape.
constexpr int kMinimumColumns = 50;
// Below this window the x labels show milliseconds.
constexpr qint64 kMillisecondLabelsBelowMs = 20 * 1000;
// A session mark this many pixels from the crosshair is named in its readout.
constexpr double kMarkSlackPixels = 4;

// The unit a group's metrics share; the value axis counts in it.
MetricUnit unitOf(ChartGroup group)
{
    const QList<Metric> metrics = Metrics::inChart(group);
    const MetricUnit unit = metrics.isEmpty() ? MetricUnit::Count : Metrics::info(metrics.first()).unit;
    for (Metric metric : metrics)
        Q_ASSERT_X(
            Metrics::info(metric).unit == unit, "TimeSeriesChart", "one value axis: one unit per chart");
    return unit;
}

} // namespace

QString TimeSeriesChart::metricName(Metric metric)
{
    return Metrics::info(metric).displayName;
}

QColor TimeSeriesChart::metricColor(Metric metric)
{
    return QColor(QRgb(Metrics::info(metric).rgb));
}

TimeSeriesChart::TimeSeriesChart(
    ChartGroup group, const SampleStore* store, TimeWindow* window, QWidget* parent)
    : QChartView(new QChart, parent)
    , m_group(group)
    , m_unit(unitOf(group))
    , m_store(store)
    , m_window(window)
    , m_readout(store)
{
    QChart* chart = this->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(QMargins(4, 2, 4, 2));
    m_xAxis = new QDateTimeAxis(chart);
    m_xAxis->setFormat(QStringLiteral("hh:mm:ss"));
    m_yAxis = new QValueAxis(chart);
    m_yAxis->setLabelFormat(QStringLiteral("%.4g"));
    m_yAxis->setMin(0);
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    m_legend = new SeriesLegend(chart, Metrics::inChart(group), {m_xAxis, m_yAxis});
    connect(m_legend, &SeriesLegend::toggled, this, [this](Metric metric, bool visible) {
        refresh();
        Q_EMIT seriesVisibilityChanged(metric, visible);
    });
    m_unitName = ValueAxisScale::forValues(m_unit, std::numeric_limits<double>::quiet_NaN()).unitName();
    m_yAxis->setTitleText(m_unitName);
    // Qt Charts' own layer (grid, ticks, axis lines) is all horizontal and
    // vertical lines: antialiasing them only blurs them across two pixel
    // rows, and was a fifth of the dashboard's paint time (each grid line a
    // QGraphicsLineItem through the antialiased rasteriser). The overlays
    // drawn in drawForeground() choose their own.
    setRenderHint(QPainter::Antialiasing, false);
    // One paint per frame: the overlays span the whole plot, and Qt Charts'
    // own small updates (an axis label, the legend) would otherwise repaint
    // them piecemeal several times over.
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setMouseTracking(true);
    setRubberBand(QChartView::NoRubberBand); // ChartNavigator's RubberBand zooms time only
    setMinimumHeight(160);
    m_navigator = new ChartNavigator(this, window, [this] { return frame(); });
    applyPalette();
}

TimeSeriesChart::~TimeSeriesChart() = default;

QList<Metric> TimeSeriesChart::metrics() const
{
    return m_legend->metrics();
}

QLineSeries* TimeSeriesChart::series(Metric metric) const
{
    return m_legend->series(metric);
}

void TimeSeriesChart::applyPalette()
{
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart()->setBackgroundBrush(palette().base());
    chart()->setBackgroundRoundness(0);
    // The themes' drop shadow is a blur of the whole chart on every repaint.
    chart()->setDropShadowEnabled(false);
    const QColor text = palette().color(QPalette::Text);
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(m_xAxis), static_cast<QAbstractAxis*>(m_yAxis)}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        QColor grid = text;
        grid.setAlpha(40);
        axis->setGridLineColor(grid);
    }
    m_legend->applyPalette(dark, text);
    refresh();
}

void TimeSeriesChart::setSeriesVisible(Metric metric, bool visible)
{
    m_legend->setVisible(metric, visible);
    refresh();
}

bool TimeSeriesChart::isSeriesVisible(Metric metric) const
{
    return m_legend->isVisible(metric);
}

qsizetype TimeSeriesChart::pointCount(Metric metric) const
{
    return m_points.value(metric).size();
}

QList<QPointF> TimeSeriesChart::points(Metric metric) const
{
    return m_points.value(metric);
}

void TimeSeriesChart::refresh()
{
    const qint64 from = m_window->from();
    const qint64 to = m_window->to();
    const int columns = qMax(kMinimumColumns, int(chart()->plotArea().width()));
    QHash<Metric, QList<QPointF>> points;
    double maxValue = -std::numeric_limits<double>::infinity();
    for (Metric metric : m_legend->metrics()) {
        if (!m_legend->isVisible(metric))
            continue;
        QList<QPointF> decimated = m_store->decimated(metric, from, to, columns);
        for (const QPointF& point : std::as_const(decimated))
            maxValue = qMax(maxValue, point.y());
        points.insert(metric, std::move(decimated));
    }
    m_hasData = std::isfinite(maxValue);

    const ValueAxisScale scale = ValueAxisScale::forValues(m_unit, maxValue);
    if (scale.top() != m_yAxis->max() || scale.tickCount() != m_yAxis->tickCount()) {
        m_yAxis->setRange(0, scale.top());
        m_yAxis->setTickCount(scale.tickCount());
    }
    m_divisor = scale.divisor();
    if (scale.unitName() != m_unitName) {
        m_unitName = scale.unitName();
        m_yAxis->setTitleText(m_unitName);
    }
    const QDateTime fromTime = QDateTime::fromMSecsSinceEpoch(from);
    const QDateTime toTime = QDateTime::fromMSecsSinceEpoch(to);
    if (m_xAxis->min() != fromTime || m_xAxis->max() != toTime) {
        m_xAxis->setRange(fromTime, toTime);
        const QString format = to - from < kMillisecondLabelsBelowMs ? QStringLiteral("hh:mm:ss.zzz")
                                                                     : QStringLiteral("hh:mm:ss");
        if (m_xAxis->format() != format)
            m_xAxis->setFormat(format);
    }
    if (m_divisor != 1) {
        for (QList<QPointF>& line : points) {
            for (QPointF& point : line)
                point.setY(point.y() / m_divisor);
        }
    }
    m_points = std::move(points);
    layOutTimerLanes();
    viewport()->update();
}

void TimeSeriesChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    m_xAxis->setTickCount(qBound(3, width() / 130, 12));
    refresh();
}

PlotFrame TimeSeriesChart::frame() const
{
    return PlotFrame(chart()->mapToScene(chart()->plotArea()).boundingRect(), m_window->from(),
        m_window->to(), m_yAxis->max(), m_divisor);
}

void TimeSeriesChart::layOutTimerLanes()
{
    m_timerLanes.layOut(
        m_store->session().timerSpans(), m_window->from(), m_window->to(), chart()->plotArea().width());
}

void TimeSeriesChart::setHiddenTimerLabels(const QSet<QString>& labels)
{
    m_timerLanes.setHiddenLabels(labels);
    layOutTimerLanes();
    viewport()->update();
}

void TimeSeriesChart::setCrosshair(std::optional<qint64> wallMs)
{
    m_crosshair.setWallMs(wallMs);
    viewport()->update();
}

void TimeSeriesChart::setMarker(std::optional<qint64> wallMs, const QString& caption)
{
    m_annotations.setMarker(wallMs, caption);
    viewport()->update();
}

void TimeSeriesChart::setBaseline(const QList<QPointF>& points, const QString& caption)
{
    m_annotations.setBaseline(points, caption);
    viewport()->update();
}

QString TimeSeriesChart::describe(qint64 wallMs) const
{
    return m_readout.describe(wallMs, kMarkSlackPixels * frame().msPerPixel(), m_timerLanes.hiddenLabels());
}

QString TimeSeriesChart::noDataText() const
{
    // A new ChartGroup stops the build here (-Wswitch) until it is named.
    switch (m_group) {
    case ChartGroup::Memory:
        return QStringLiteral("No memory figures in this range");
    case ChartGroup::Cpu:
        return QStringLiteral("No CPU figures in this range");
    case ChartGroup::EventLoop:
        return QStringLiteral("No event-loop figures in this range (they come from NodeScope's probe)");
    case ChartGroup::Resources:
        return QStringLiteral("No resource figures in this range (they come from NodeScope's probe)");
    case ChartGroup::None:
        break;
    }
    return QStringLiteral("No figures in this range");
}

void TimeSeriesChart::drawLines(QPainter* painter, const PlotFrame& frame) const
{
    const double span = double(frame.spanMs());
    if (span <= 0 || frame.valueTop() <= 0)
        return;
    const QRectF& plot = frame.plot();
    const double from = double(frame.from());
    const double xScale = plot.width() / span;
    const double yScale = plot.height() / frame.valueTop();
    QPolygonF line;
    // Backwards: CPU total (first in the legend) ends up on top of its parts.
    const QList<Metric>& metrics = m_legend->metrics();
    for (auto metric = metrics.crbegin(); metric != metrics.crend(); ++metric) {
        const auto found = m_points.constFind(*metric);
        if (!m_legend->isVisible(*metric) || found == m_points.cend() || found->isEmpty())
            continue;
        line.resize(found->size());
        for (qsizetype i = 0; i < found->size(); ++i) {
            const QPointF& point = found->at(i);
            line[i] = QPointF(plot.left() + (point.x() - from) * xScale, plot.bottom() - point.y() * yScale);
        }
        // One-pixel cosmetic pens: Qt draws them with its cosmetic stroker,
        // while a wider pen goes through path stroking (joins, miters) and
        // area rasterisation whose cost grows with the ink -- a jagged CPU
        // line or a long session's sawtooth cost tens to hundreds of ms a
        // frame that way. Antialiasing stays for lines sparse enough to show
        // it; a dense one is a zigzag of two points per pixel column anyway.
        const bool dense = line.size() >= plot.width() / 2;
        QPen pen(m_legend->color(*metric), 1.0);
        pen.setCosmetic(true);
        painter->setPen(pen);
        painter->setRenderHint(QPainter::Antialiasing, !dense);
        if (line.size() == 1)
            painter->drawPoint(line.first());
        else
            painter->drawPolyline(line);
    }
}

void TimeSeriesChart::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    const PlotFrame frame = this->frame();
    const QRectF& plot = frame.plot();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(plot.adjusted(-1, -1, 1, 1));
    m_timerLanes.paint(painter, plot);
    drawLines(painter, frame);
    m_annotations.paint(painter, frame, m_store->session().markers(), palette(), font());
    if (!m_hasData) {
        QColor faint = palette().color(QPalette::Text);
        faint.setAlpha(140);
        painter->setPen(faint);
        painter->drawText(plot, Qt::AlignCenter, noDataText());
    }
    m_navigator->rubberBand().paint(painter, plot, palette().color(QPalette::Highlight));
    const QString readout
        = m_crosshair.wantsReadout(frame) ? describe(m_crosshair.wallMs().value_or(0)) : QString();
    m_crosshair.paint(painter, frame, readout, palette(), font());
    painter->restore();
}

void TimeSeriesChart::mouseMoveEvent(QMouseEvent* event)
{
    m_crosshair.setHovered(true);
    Q_EMIT hovered(frame().wallAt(mapToScene(event->position().toPoint()).x()));
    QChartView::mouseMoveEvent(event);
}

void TimeSeriesChart::leaveEvent(QEvent* event)
{
    m_crosshair.setHovered(false);
    Q_EMIT hovered(std::nullopt);
    QChartView::leaveEvent(event);
}

} // namespace NodeScope

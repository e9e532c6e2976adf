#include "charts/timeserieschart.h"

#include "charts/chartnavigator.h"
#include "charts/chartstyle.h"
#include "charts/serieslegend.h"
#include "charts/timewindow.h"
#include "charts/valueaxisscale.h"
#include "session/samplestore.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QStringList>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace NodeScope {

namespace {

// At least this many columns, so a chart squeezed by the splitter still
// shows a line's shape.
constexpr int kMinimumColumns = 50;
// Below this window the x labels show milliseconds.
constexpr qint64 kMillisecondLabelsBelowMs = 20 * 1000;
const QMargins kMargins(4, 2, 4, 2);
// The least room between value labels: closer, Qt Charts elides them.
constexpr double kTickSpacingPixels = 24;
// A session mark this many pixels from the crosshair is named in its readout.
constexpr double kMarkSlackPixels = 4;

// The units of a group's metrics, the one most of them share first: it
// gets the left axis, the other the right one.
QList<MetricUnit> unitsOf(const QList<Metric>& metrics)
{
    QList<QPair<MetricUnit, int>> counted;
    for (Metric metric : metrics) {
        const MetricUnit unit = Metrics::info(metric).unit;
        auto found
            = std::find_if(counted.begin(), counted.end(), [unit](const auto& c) { return c.first == unit; });
        if (found == counted.end())
            counted.append({unit, 1});
        else
            ++found->second;
    }
    std::stable_sort(
        counted.begin(), counted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    Q_ASSERT_X(counted.size() <= 2, "TimeSeriesChart", "two value axes at most: two units per chart");
    QList<MetricUnit> units;
    for (const auto& entry : std::as_const(counted))
        units.append(entry.first);
    if (units.isEmpty())
        units.append(MetricUnit::Count);
    return units.mid(0, 2);
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
    , m_store(store)
    , m_window(window)
    , m_alignment(kMargins)
    , m_readout(store)
{
    QChart* chart = this->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(kMargins);
    m_xAxis = new QDateTimeAxis(chart);
    m_xAxis->setFormat(QStringLiteral("hh:mm:ss"));
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    addValueAxes();
    m_legend = new SeriesLegend(chart, Metrics::inChart(group), {m_xAxis, m_axes[0].axis});
    for (Metric metric : Metrics::inChart(group)) {
        if (m_axisOf.value(metric) == 0)
            continue;
        series(metric)->detachAxis(m_axes[0].axis);
        series(metric)->attachAxis(m_axes[1].axis);
    }
    connect(m_legend, &SeriesLegend::toggled, this, [this](Metric metric, bool visible) {
        refresh();
        Q_EMIT seriesVisibilityChanged(metric, visible);
    });
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

void TimeSeriesChart::addValueAxes()
{
    const QList<Metric> metrics = Metrics::inChart(m_group);
    const QList<MetricUnit> units = unitsOf(metrics);
    m_axisCount = int(units.size());
    for (int i = 0; i < m_axisCount; ++i) {
        ValueAxis& axis = m_axes[std::size_t(i)];
        axis.unit = units[i];
        axis.axis = new QValueAxis(chart());
        axis.axis->setLabelFormat(QStringLiteral("%.4g"));
        axis.axis->setMin(0);
        chart()->addAxis(axis.axis, i == 0 ? Qt::AlignLeft : Qt::AlignRight);
        for (Metric metric : metrics) {
            if (Metrics::info(metric).unit == axis.unit)
                m_axisOf.insert(metric, i);
        }
        axis.unitName
            = ValueAxisScale::forValues(axis.unit, std::numeric_limits<double>::quiet_NaN()).unitName();
        axis.axis->setTitleText(axis.unitName);
    }
}

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
    QList<QAbstractAxis*> axes{m_xAxis};
    for (int i = 0; i < m_axisCount; ++i)
        axes.append(m_axes[std::size_t(i)].axis);
    const bool dark = ChartStyle::apply(chart(), axes, palette());
    const QColor text = palette().color(QPalette::Text);
    m_legend->applyPalette(dark, text);
    if (m_axisCount > 1) {
        // The right axis's ticks fall elsewhere: its grid would be a second,
        // unrelated set of lines.
        m_axes[1].axis->setGridLineVisible(false);
        // An axis of one series takes its colour: which line it measures
        // reads at a glance, and its title can stay the unit.
        const QList<Metric> onRight = m_axisOf.keys(1);
        if (onRight.size() == 1) {
            const QColor color = m_legend->color(onRight.first());
            m_axes[1].axis->setLabelsColor(color);
            m_axes[1].axis->setTitleBrush(color);
        }
    }
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
    std::array<double, 2> maxValue;
    maxValue.fill(-std::numeric_limits<double>::infinity());
    for (Metric metric : m_legend->metrics()) {
        if (!m_legend->isVisible(metric))
            continue;
        QList<QPointF> decimated = m_store->decimated(metric, from, to, columns);
        double& axisMax = maxValue[std::size_t(m_axisOf.value(metric))];
        for (const QPointF& point : std::as_const(decimated))
            axisMax = qMax(axisMax, point.y());
        points.insert(metric, std::move(decimated));
    }
    m_hasData = std::isfinite(maxValue[0]) || std::isfinite(maxValue[1]);
    const double plotHeight = chart()->plotArea().height();

    for (int i = 0; i < m_axisCount; ++i) {
        ValueAxis& axis = m_axes[std::size_t(i)];
        const ValueAxisScale scale = ValueAxisScale::forValues(axis.unit, maxValue[std::size_t(i)]);
        // A short plot (four charts share the height) has room for fewer
        // labels: 0, the middle and the top, or just 0 and the top, rather
        // than labels Qt Charts would elide to "...".
        int ticks = scale.tickCount();
        if (double(ticks - 1) * kTickSpacingPixels > plotHeight)
            ticks = plotHeight >= 2 * kTickSpacingPixels ? 3 : 2;
        if (scale.top() != axis.axis->max() || ticks != axis.axis->tickCount()) {
            axis.axis->setRange(0, scale.top());
            axis.axis->setTickCount(ticks);
        }
        axis.divisor = scale.divisor();
        if (scale.unitName() != axis.unitName) {
            axis.unitName = scale.unitName();
            axis.axis->setTitleText(axis.unitName);
        }
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
    for (auto line = points.begin(); line != points.end(); ++line) {
        const double divisor = m_axes[std::size_t(m_axisOf.value(line.key()))].divisor;
        if (divisor == 1)
            continue;
        for (QPointF& point : *line)
            point.setY(point.y() / divisor);
    }
    m_points = std::move(points);
    if (m_showCollections)
        m_collections.layOut(m_store->session().majorCollections(), from, to, chart()->plotArea().width());
    layOutTimerLanes();
    viewport()->update();
}

void TimeSeriesChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    m_xAxis->setTickCount(qBound(3, width() / 130, 12));
    refresh();
    Q_EMIT resized();
}

PlotFrame TimeSeriesChart::frame() const
{
    return PlotFrame(chart()->mapToScene(chart()->plotArea()).boundingRect(), m_window->from(),
        m_window->to(), m_axes[0].axis->max(), m_axes[0].divisor);
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

double TimeSeriesChart::naturalPlotLeft() const
{
    return m_alignment.naturalLeft(chart());
}

double TimeSeriesChart::naturalPlotRightInset() const
{
    return m_alignment.naturalRightInset(chart());
}

void TimeSeriesChart::alignPlot(double left, double rightInset)
{
    m_alignment.align(chart(), left, rightInset);
}

void TimeSeriesChart::setTimeLabelsVisible(bool visible)
{
    m_xAxis->setLabelsVisible(visible);
}

void TimeSeriesChart::setMajorCollectionsShown(bool shown)
{
    m_showCollections = shown;
    if (!shown)
        m_collections.clear();
    refresh();
}

void TimeSeriesChart::setLoopBlocked(std::optional<qint64> sinceWallMs)
{
    m_stalls.setOngoing(sinceWallMs);
    viewport()->update();
}

void TimeSeriesChart::setReadoutFooter(const QString& footer)
{
    m_readoutFooter = footer;
}

QString TimeSeriesChart::describe(qint64 wallMs) const
{
    const double slackMs = kMarkSlackPixels * frame().msPerPixel();
    QString text
        = m_readout.describe(wallMs, slackMs, m_timerLanes.hiddenLabels(), metrics() + m_extraReadoutMetrics);
    if (text.isEmpty())
        return text;
    QStringList more;
    more.append(m_stalls.describe(m_store->session().stalls(), wallMs, QDateTime::currentMSecsSinceEpoch()));
    if (m_showCollections)
        more.append(m_collections.describe(wallMs, slackMs));
    more.append(m_readoutFooter);
    more.removeAll(QString());
    if (more.isEmpty())
        return text;
    // Under the time, before the figures: a short chart may show only the
    // readout's first lines, and a stall or a collection is what that moment is about.
    const qsizetype afterTime = text.indexOf(QLatin1Char('\n'));
    const QString lines = more.join(QLatin1Char('\n'));
    if (afterTime < 0)
        return text + QLatin1Char('\n') + lines;
    return text.left(afterTime + 1) + lines + text.mid(afterTime);
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
    if (span <= 0)
        return;
    const QRectF& plot = frame.plot();
    const double from = double(frame.from());
    const double xScale = plot.width() / span;
    std::array<double, 2> yScales{};
    for (int i = 0; i < m_axisCount; ++i) {
        const double top = m_axes[std::size_t(i)].axis->max();
        yScales[std::size_t(i)] = top > 0 ? plot.height() / top : 0;
    }
    QPolygonF line;
    // Backwards: CPU total (first in the legend) ends up on top of its parts.
    const QList<Metric>& metrics = m_legend->metrics();
    for (auto metric = metrics.crbegin(); metric != metrics.crend(); ++metric) {
        const auto found = m_points.constFind(*metric);
        const double yScale = yScales[std::size_t(m_axisOf.value(*metric))];
        if (!m_legend->isVisible(*metric) || found == m_points.cend() || found->isEmpty() || yScale <= 0)
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
    m_stalls.paint(painter, frame, m_store->session().stalls(), QDateTime::currentMSecsSinceEpoch(), font());
    m_timerLanes.paint(painter, plot);
    drawLines(painter, frame);
    QColor gcColor = palette().color(QPalette::Text);
    gcColor.setAlpha(170);
    m_collections.paint(painter, plot, gcColor);
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

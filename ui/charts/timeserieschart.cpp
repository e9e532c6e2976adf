#include "charts/timeserieschart.h"

#include "charts/timewindow.h"
#include "format.h"
#include "session/metrics.h"
#include "session/samplestore.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace NodeScope {

namespace {

constexpr int kLabelHideAlpha = 90;

QColor labelColor(const QString& label)
{
    // A stable color per label, spread around the hue circle.
    const int hue = int(qHash(label, 7) % 360);
    return QColor::fromHsl(hue, 160, 120);
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

TimeSeriesChart::TimeSeriesChart(Kind kind, const SampleStore* store, TimeWindow* window, QWidget* parent)
    : QChartView(new QChart, parent)
    , m_kind(kind)
    , m_store(store)
    , m_window(window)
{
    for (Metric metric : Metrics::inChart(kind == Kind::Memory ? ChartGroup::Memory : ChartGroup::Cpu))
        m_specs.append({metric, metricName(metric), metricColor(metric)});

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
    for (const SeriesSpec& spec : std::as_const(m_specs)) {
        auto* series = new QLineSeries(chart);
        series->setName(spec.name);
        chart->addSeries(series);
        series->attachAxis(m_xAxis);
        series->attachAxis(m_yAxis);
        m_series.insert(spec.metric, series);
    }
    m_unit = kind == Kind::Memory ? QStringLiteral("MB") : QStringLiteral("% of one core");
    m_yAxis->setTitleText(m_unit);
    setRenderHint(QPainter::Antialiasing);
    // One paint per frame: the overlays span the whole plot, and Qt Charts'
    // own small updates (an axis label, the legend) would otherwise repaint
    // them piecemeal several times over.
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setMouseTracking(true);
    setRubberBand(QChartView::NoRubberBand);
    setMinimumHeight(160);
    connectLegend();
    applyPalette();
}

QList<Metric> TimeSeriesChart::metrics() const
{
    QList<Metric> result;
    for (const SeriesSpec& spec : m_specs)
        result.append(spec.metric);
    return result;
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
    chart()->legend()->setLabelColor(text);
    for (const SeriesSpec& spec : std::as_const(m_specs)) {
        QColor color = spec.color;
        if (dark)
            color = color.lighter(130);
        // Total CPU is user + system: its parts are drawn paler so it reads above them.
        if (Metrics::info(spec.metric).isPartOfTotal)
            color.setAlpha(150);
        m_series[spec.metric]->setPen(QPen(color, 2));
    }
    // The theme reset marker looks; restore hidden-series dimming.
    for (const SeriesSpec& spec : std::as_const(m_specs))
        setSeriesVisible(spec.metric, isSeriesVisible(spec.metric));
}

void TimeSeriesChart::connectLegend()
{
    for (QLegendMarker* marker : chart()->legend()->markers()) {
        connect(marker, &QLegendMarker::clicked, this, [this, marker] {
            for (const SeriesSpec& spec : std::as_const(m_specs)) {
                if (m_series[spec.metric] == marker->series()) {
                    const bool visible = !marker->series()->isVisible();
                    setSeriesVisible(spec.metric, visible);
                    Q_EMIT seriesVisibilityChanged(spec.metric, visible);
                }
            }
        });
    }
}

void TimeSeriesChart::setSeriesVisible(Metric metric, bool visible)
{
    QLineSeries* series = m_series.value(metric);
    if (!series)
        return;
    series->setVisible(visible);
    // Keep the legend entry so it can be clicked back on; dim it instead.
    for (QLegendMarker* marker : chart()->legend()->markers(series)) {
        marker->setVisible(true);
        QColor label = palette().color(QPalette::Text);
        label.setAlpha(visible ? 255 : kLabelHideAlpha);
        marker->setLabelBrush(label);
        QBrush brush = marker->brush();
        QColor color = brush.color();
        color.setAlpha(visible ? 255 : kLabelHideAlpha);
        brush.setColor(color);
        marker->setBrush(brush);
    }
    refresh();
}

bool TimeSeriesChart::isSeriesVisible(Metric metric) const
{
    const QLineSeries* series = m_series.value(metric);
    return series && series->isVisible();
}

qsizetype TimeSeriesChart::pointCount(Metric metric) const
{
    return m_points.value(metric).size();
}

QList<QPointF> TimeSeriesChart::points(Metric metric) const
{
    return m_points.value(metric);
}

TimeSeriesChart::YScale TimeSeriesChart::yScaleFor(double maxValue) const
{
    YScale scale;
    if (m_kind == Kind::Memory)
        scale.unit = Format::byteUnit(std::isfinite(maxValue) ? maxValue : 0, &scale.divisor);
    else
        scale.unit = m_unit;
    double top = std::isfinite(maxValue) && maxValue > 0 ? maxValue / scale.divisor * 1.08 : 1;
    if (m_kind == Kind::Cpu)
        top = qMax(top, 1.0);
    // Nice round steps (1, 2, 2.5, 5 x 10^k), four to six of them.
    const double magnitude = std::pow(10.0, std::floor(std::log10(top / 5)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = factor * magnitude;
        if (top / step <= 6)
            break;
    }
    scale.top = std::ceil(top / step - 1e-9) * step;
    scale.ticks = int(std::lround(scale.top / step)) + 1;
    return scale;
}

void TimeSeriesChart::refresh()
{
    const qint64 from = m_window->from();
    const qint64 to = m_window->to();
    const int columns = qMax(50, int(chart()->plotArea().width()));
    QHash<Metric, QList<QPointF>> points;
    double maxValue = -std::numeric_limits<double>::infinity();
    for (const SeriesSpec& spec : std::as_const(m_specs)) {
        if (!m_series[spec.metric]->isVisible())
            continue;
        QList<QPointF> decimated = m_store->decimated(spec.metric, from, to, columns);
        for (const QPointF& point : std::as_const(decimated))
            maxValue = qMax(maxValue, point.y());
        points.insert(spec.metric, std::move(decimated));
    }
    m_hasData = std::isfinite(maxValue);

    // The lines are painted by drawForeground() from these points: a
    // QLineSeries re-strokes its whole path for hit-testing on every
    // replace() and axis change, which cost most of the dashboard's CPU.
    // The (empty) series still give the legend, its toggles and the theme.
    const QDateTime fromTime = QDateTime::fromMSecsSinceEpoch(from);
    const QDateTime toTime = QDateTime::fromMSecsSinceEpoch(to);
    const YScale scale = yScaleFor(maxValue);
    if (scale.top != m_yAxis->max() || scale.ticks != m_yAxis->tickCount()) {
        m_yAxis->setRange(0, scale.top);
        m_yAxis->setTickCount(scale.ticks);
    }
    m_divisor = scale.divisor;
    if (scale.unit != m_unit) {
        m_unit = scale.unit;
        m_yAxis->setTitleText(m_unit);
    }
    if (m_xAxis->min() != fromTime || m_xAxis->max() != toTime) {
        m_xAxis->setRange(fromTime, toTime);
        const QString format
            = to - from < 20 * 1000 ? QStringLiteral("hh:mm:ss.zzz") : QStringLiteral("hh:mm:ss");
        if (m_xAxis->format() != format)
            m_xAxis->setFormat(format);
    }
    for (auto it = points.begin(); it != points.end(); ++it) {
        if (m_divisor != 1) {
            for (QPointF& point : it.value())
                point.setY(point.y() / m_divisor);
        }
    }
    m_points = std::move(points);
    computeSpanBands();
    viewport()->update();
}

void TimeSeriesChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    m_xAxis->setTickCount(qBound(3, width() / 130, 12));
    refresh();
}

double TimeSeriesChart::xFor(qint64 wallMs) const
{
    const QRectF plot = chart()->mapToScene(chart()->plotArea()).boundingRect();
    const qint64 from = m_window->from();
    const qint64 to = m_window->to();
    if (to <= from)
        return plot.left();
    return plot.left() + plot.width() * double(wallMs - from) / double(to - from);
}

std::optional<qint64> TimeSeriesChart::wallAt(const QPointF& viewPosition) const
{
    const QPointF scene = mapToScene(viewPosition.toPoint());
    const QRectF plot = chart()->mapToScene(chart()->plotArea()).boundingRect();
    if (plot.width() <= 0 || scene.x() < plot.left() - 2 || scene.x() > plot.right() + 2)
        return std::nullopt;
    const double share = qBound(0.0, (scene.x() - plot.left()) / plot.width(), 1.0);
    return m_window->from() + qint64(std::llround(share * double(m_window->to() - m_window->from())));
}

void TimeSeriesChart::setHiddenTimerLabels(const QSet<QString>& labels)
{
    m_hiddenLabels = labels;
    computeSpanBands();
    viewport()->update();
}

void TimeSeriesChart::setCrosshair(std::optional<qint64> wallMs)
{
    m_crosshair = wallMs;
    viewport()->update();
}

void TimeSeriesChart::setMarker(std::optional<qint64> wallMs, const QString& caption)
{
    m_marker = wallMs;
    m_markerCaption = caption;
    viewport()->update();
}

void TimeSeriesChart::setBaseline(const QList<QPointF>& points, const QString& caption)
{
    m_baseline = points;
    m_baselineCaption = caption;
    viewport()->update();
}

QString TimeSeriesChart::describe(qint64 wallMs) const
{
    const qsizetype index = m_store->nearestIndex(wallMs);
    if (index < 0)
        return {};
    const Sample& sample = m_store->session().samples().at(index);
    QStringList lines;
    lines.append(QDateTime::fromMSecsSinceEpoch(sample.wallMs).toString(QStringLiteral("hh:mm:ss.zzz"))
        + QStringLiteral("  (+%1)").arg(Format::duration(sample.elapsedMs / 1000.0)));
    for (Metric metric :
        {Metric::Rss, Metric::HeapTotal, Metric::HeapUsed, Metric::External, Metric::ArrayBuffers}) {
        const double value = SampleStore::value(sample, metric);
        lines.append(QStringLiteral("%1: %2").arg(
            metricName(metric), std::isnan(value) ? QStringLiteral("n/a") : Format::bytes(value)));
    }
    if (sample.hasCpu()) {
        lines.append(QStringLiteral("CPU: %1 (user %2, system %3)")
                         .arg(Format::percent(sample.cpuPercent()), Format::percent(sample.cpuUserPercent),
                             Format::percent(sample.cpuSystemPercent)));
    } else {
        lines.append(QStringLiteral("CPU: n/a"));
    }
    // Markers within a few pixels of the crosshair.
    const double slackMs
        = 4.0 * double(m_window->to() - m_window->from()) / qMax(1.0, chart()->plotArea().width());
    for (const Marker& marker : m_store->session().markers()) {
        if (std::abs(double(marker.wallMs - wallMs)) <= slackMs)
            lines.append(QStringLiteral("● %1").arg(marker.text));
    }
    // Timers running at that moment.
    int shown = 0;
    for (const TimerSpan& span : m_store->session().timerSpans()) {
        if (span.isLap || m_hiddenLabels.contains(span.label) || wallMs < span.startWallMs
            || wallMs > span.endWallMs)
            continue;
        if (++shown > 4)
            break;
        lines.append(
            QStringLiteral("%1 %2: %3")
                .arg(span.source == TimerSpan::Source::User ? QStringLiteral("⏱") : QStringLiteral("▸"),
                    span.label, Format::milliseconds(span.durationMs)));
    }
    return lines.join(QLatin1Char('\n'));
}

void TimeSeriesChart::computeSpanBands()
{
    m_bands.clear();
    const QRectF plot = chart()->plotArea();
    const QList<TimerSpan>& spans = m_store->session().timerSpans();
    const qint64 from = m_window->from();
    const qint64 to = m_window->to();
    const int columns = qMax(1, int(std::ceil(plot.width())));
    if (spans.isEmpty() || to <= from)
        return;
    // Per label, which pixel columns its spans cover: overlapping spans (a
    // busy "DB Call" at a wide zoom) then paint each column once instead of
    // piling translucent layers into an opaque block. Done once per refresh,
    // not per paint, since hovering repaints often.
    struct Coverage {
        QList<bool> lane; // any span at all: the label's thin lane at the top
        QList<bool> shaded; // spans wide enough to shade the plot below them
    };
    QList<Coverage> coverage;
    QStringList order;
    QList<bool> hidden;
    const double scale = plot.width() / double(to - from);
    // Spans are appended as they end: skip those ending before the window
    // with a binary search; stop once they start well after it.
    const auto first = std::lower_bound(spans.cbegin(), spans.cend(), from,
        [](const TimerSpan& span, qint64 wall) { return span.endWallMs < wall; });
    for (auto it = first; it != spans.cend(); ++it) {
        const TimerSpan& span = *it;
        if (span.startWallMs > to + 60'000)
            break;
        if (span.isLap || span.startWallMs > to || span.endWallMs < from)
            continue;
        // A handful of labels repeat thousands of times: find the label by
        // comparing with the few seen so far, which is cheaper than hashing it.
        qsizetype index = order.indexOf(span.label);
        if (index < 0) {
            index = order.size();
            order.append(span.label);
            hidden.append(m_hiddenLabels.contains(span.label));
            coverage.append({QList<bool>(columns, false), QList<bool>(columns, false)});
        }
        if (hidden[index])
            continue;
        Coverage* found = &coverage[index];
        const double left = double(span.startWallMs - from) * scale;
        const double right = double(span.endWallMs - from) * scale;
        const int a = qBound(0, int(std::floor(left)), columns - 1);
        const int b = qBound(0, int(std::floor(right)), columns - 1);
        const bool wide = right - left >= 3; // a sliver would only hide the lines
        for (int column = a; column <= b; ++column) {
            found->lane[column] = true;
            if (wide)
                found->shaded[column] = true;
        }
    }
    const auto runsOf = [](const QList<bool>& covered) {
        QList<QPair<int, int>> runs;
        for (int column = 0; column < covered.size();) {
            if (!covered[column]) {
                ++column;
                continue;
            }
            int end = column;
            while (end + 1 < covered.size() && covered[end + 1])
                ++end;
            runs.append({column, end + 1});
            column = end + 1;
        }
        return runs;
    };
    for (qsizetype i = 0; i < order.size(); ++i) {
        if (!hidden[i])
            m_bands.append({labelColor(order[i]), runsOf(coverage[i].lane), runsOf(coverage[i].shaded)});
    }
}

void TimeSeriesChart::drawTimerSpans(QPainter* painter, const QRectF& plot) const
{
    const double laneHeight = 4;
    for (qsizetype i = 0; i < m_bands.size(); ++i) {
        const Band& band = m_bands[i];
        QColor fill = band.color;
        fill.setAlpha(40);
        // Whole-pixel rectangles: no antialiasing needed (and none paid for).
        painter->setRenderHint(QPainter::Antialiasing, false);
        for (const auto& [a, b] : band.shaded)
            painter->fillRect(QRectF(plot.left() + a, plot.top(), double(b - a), plot.height()), fill);
        const double laneTop = plot.top() + double(i) * (laneHeight + 1);
        for (const auto& [a, b] : band.lane)
            painter->fillRect(
                QRectF(plot.left() + a, laneTop, qMax(1.0, double(b - a)), laneHeight), band.color);
    }
}

void TimeSeriesChart::drawLines(QPainter* painter, const QRectF& plot) const
{
    const double from = double(m_window->from());
    const double span = double(m_window->to() - m_window->from());
    const double top = m_yAxis->max();
    if (span <= 0 || top <= 0)
        return;
    const double xScale = plot.width() / span;
    const double yScale = plot.height() / top;
    QPolygonF line;
    // Backwards: CPU total (first in the legend) ends up on top of its parts.
    for (auto specIt = m_specs.crbegin(); specIt != m_specs.crend(); ++specIt) {
        const SeriesSpec& spec = *specIt;
        const QLineSeries* series = m_series[spec.metric];
        const auto found = m_points.constFind(spec.metric);
        if (!series->isVisible() || found == m_points.cend() || found->isEmpty())
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
        QPen pen = series->pen();
        pen.setWidthF(1.0);
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
    const QRectF plot = chart()->mapToScene(chart()->plotArea()).boundingRect();
    painter->save();
    painter->setClipRect(plot.adjusted(-1, -1, 1, 1));
    drawTimerSpans(painter, plot);
    drawLines(painter, plot);

    const QColor text = palette().color(QPalette::Text);
    if (m_baseline.size() >= 2 && m_series.contains(Metric::HeapUsed)) {
        QPolygonF line;
        line.reserve(m_baseline.size());
        for (const QPointF& point : std::as_const(m_baseline)) {
            const QPointF position = chart()->mapToPosition(
                QPointF(point.x(), point.y() / m_divisor), m_series[Metric::HeapUsed]);
            line.append(chart()->mapToScene(position));
        }
        // Contrasting with the heapUsed sawtooth whose lows it follows.
        QColor color = palette().color(QPalette::Text);
        color.setAlpha(210);
        painter->setPen(QPen(color, 2, Qt::DashLine));
        painter->drawPolyline(line);
        if (!m_baselineCaption.isEmpty() && line.last().x() > plot.left()) {
            painter->setPen(color);
            const double width = QFontMetricsF(font()).horizontalAdvance(m_baselineCaption);
            painter->drawText(QPointF(qMin(line.last().x(), plot.right()) - width - 4, line.last().y() + 16),
                m_baselineCaption);
        }
    }
    if (m_marker && *m_marker >= m_window->from() && *m_marker <= m_window->to()) {
        const double x = xFor(*m_marker);
        painter->setPen(QPen(QColor(0xc0, 0x39, 0x2b), 1.5, Qt::DashLine));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter->setPen(QColor(0xc0, 0x39, 0x2b));
        painter->drawText(QPointF(x + 4, plot.top() + 16), m_markerCaption);
    }
    // Session markers (attach, pause, forced GC...): a short tick at the
    // bottom of the plot; the crosshair names them.
    QColor markColor = text;
    markColor.setAlpha(160);
    painter->setPen(QPen(markColor, 1));
    for (const Marker& marker : m_store->session().markers()) {
        if (marker.wallMs < m_window->from() || marker.wallMs > m_window->to())
            continue;
        const double x = xFor(marker.wallMs);
        painter->drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() - 10));
    }
    if (!m_hasData) {
        QColor faint = text;
        faint.setAlpha(140);
        painter->setPen(faint);
        painter->drawText(plot, Qt::AlignCenter,
            m_kind == Kind::Cpu ? QStringLiteral("No CPU figures in this range")
                                : QStringLiteral("No memory figures in this range"));
    }
    if (m_rubberStart) {
        QColor band = palette().color(QPalette::Highlight);
        band.setAlpha(60);
        const double left = qMin(m_rubberStart->x(), m_rubberEnd.x());
        const double right = qMax(m_rubberStart->x(), m_rubberEnd.x());
        painter->fillRect(QRectF(QPointF(left, plot.top()), QPointF(right, plot.bottom())), band);
    }
    if (m_crosshair && *m_crosshair >= m_window->from() && *m_crosshair <= m_window->to()) {
        const double x = xFor(*m_crosshair);
        QColor line = text;
        line.setAlpha(150);
        painter->setPen(QPen(line, 1, Qt::DotLine));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        if (m_hoveringHere) {
            const QString description = describe(*m_crosshair);
            if (!description.isEmpty()) {
                painter->setClipping(false);
                const QFontMetricsF metrics(font());
                QRectF box
                    = metrics.boundingRect(QRectF(0, 0, 600, 600), Qt::AlignLeft | Qt::AlignTop, description);
                box.adjust(-6, -4, 6, 4);
                double left = x + 12;
                if (left + box.width() > plot.right())
                    left = x - 12 - box.width();
                box.moveTopLeft(QPointF(left, plot.top() + 6));
                QColor background = palette().color(QPalette::ToolTipBase);
                background.setAlpha(235);
                painter->setPen(QPen(palette().color(QPalette::Mid)));
                painter->setBrush(background);
                painter->drawRoundedRect(box, 3, 3);
                painter->setPen(palette().color(QPalette::ToolTipText));
                painter->drawText(box.adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::AlignTop, description);
            }
        }
    }
    painter->restore();
}

void TimeSeriesChart::mouseMoveEvent(QMouseEvent* event)
{
    if (m_rubberStart) {
        m_rubberEnd = mapToScene(event->position().toPoint());
        viewport()->update();
    }
    m_hoveringHere = true;
    Q_EMIT hovered(wallAt(event->position()));
    QChartView::mouseMoveEvent(event);
}

void TimeSeriesChart::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && wallAt(event->position())) {
        m_rubberStart = mapToScene(event->position().toPoint());
        m_rubberEnd = *m_rubberStart;
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void TimeSeriesChart::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && m_rubberStart) {
        const QPointF start = mapFromScene(*m_rubberStart);
        const QPointF end = event->position();
        m_rubberStart.reset();
        if (std::abs(end.x() - start.x()) >= 6) {
            const auto a = wallAt(start);
            const auto b = wallAt(QPointF(qBound(0.0, end.x(), double(width())), end.y()));
            if (a && b)
                m_window->zoomTo(*a, *b);
        }
        viewport()->update();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void TimeSeriesChart::mouseDoubleClickEvent(QMouseEvent* event)
{
    m_window->reset();
    event->accept();
}

void TimeSeriesChart::leaveEvent(QEvent* event)
{
    m_hoveringHere = false;
    Q_EMIT hovered(std::nullopt);
    QChartView::leaveEvent(event);
}

void TimeSeriesChart::wheelEvent(QWheelEvent* event)
{
    const QPoint delta = event->angleDelta();
    const std::optional<qint64> at = wallAt(event->position());
    if (delta.x() != 0 || (event->modifiers() & Qt::ShiftModifier)) {
        // Horizontal wheel or Shift: pan by a tenth of the window per notch.
        const int steps = (delta.x() != 0 ? delta.x() : delta.y()) / 120;
        const qint64 span = m_window->to() - m_window->from();
        m_window->panTo(m_window->from() - steps * span / 10);
    } else if (delta.y() != 0 && at) {
        m_window->zoomAround(*at, delta.y() > 0 ? 0.8 : 1.25);
    }
    event->accept();
}

} // namespace NodeScope

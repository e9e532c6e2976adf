#include "charts/workerschart.h"

#include "charts/chartstyle.h"
#include "charts/timewindow.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <cmath>
#include <iterator>

namespace NodeScope {

namespace {

constexpr double kMegabyte = 1024.0 * 1024.0;
const QMargins kMargins(4, 0, 4, 0);

// A worker line's points in [from, to] (and one either side, so a line runs
// to the edges), at most one min and one max per pixel column.
QList<QPointF> decimated(const QList<WorkerHeapPoint>& points, qint64 from, qint64 to, int columns)
{
    QList<QPointF> result;
    if (points.isEmpty() || to <= from)
        return result;
    qsizetype first = 0;
    while (first + 1 < points.size() && points.at(first + 1).wallMs < from)
        ++first;
    qsizetype last = first;
    while (last + 1 < points.size() && points.at(last).wallMs <= to)
        ++last;
    const double msPerColumn = double(to - from) / qMax(1, columns);
    qsizetype i = first;
    while (i <= last) {
        const qint64 column = qint64(std::floor(double(points.at(i).wallMs - from) / msPerColumn));
        qsizetype low = i;
        qsizetype high = i;
        qsizetype end = i + 1;
        while (
            end <= last && qint64(std::floor(double(points.at(end).wallMs - from) / msPerColumn)) == column) {
            if (points.at(end).heapUsedBytes < points.at(low).heapUsedBytes)
                low = end;
            if (points.at(end).heapUsedBytes > points.at(high).heapUsedBytes)
                high = end;
            ++end;
        }
        // Both, in time order, so the line keeps its shape within the column.
        for (const qsizetype kept : {qMin(low, high), qMax(low, high)}) {
            const QPointF point(
                double(points.at(kept).wallMs), double(points.at(kept).heapUsedBytes) / kMegabyte);
            if (result.isEmpty() || result.constLast() != point)
                result.append(point);
        }
        i = end;
    }
    return result;
}

} // namespace

WorkersChart::WorkersChart(const WorkerStore* store, TimeWindow* window, QWidget* parent)
    : QChartView(new QChart, parent)
    , m_store(store)
    , m_window(window)
    , m_alignment(kMargins)
{
    QChart* chart = this->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(QStringLiteral("Worker threads: heap used"));
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(kMargins);
    m_xAxis = new QDateTimeAxis(chart);
    m_xAxis->setFormat(QStringLiteral("hh:mm:ss"));
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    m_yAxis = new QValueAxis(chart);
    m_yAxis->setTitleText(QStringLiteral("MB"));
    m_yAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_yAxis->setMin(0);
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing, false);
    setToolTip(costText());
    applyPalette();
}

QString WorkersChart::costText()
{
    return QStringLiteral(
        "Each worker thread's heap (V8's heap used in that thread), read about once a second.\n"
        "It costs the process nothing while it has no worker threads (NodeScope notices a new thread\n"
        "in /proc). While it has, NodeScope's probe keeps an in-process inspector session attached to\n"
        "them, and Node then routes console calls of every thread through the inspector: an app that\n"
        "logs a lot is slower (a console.log-bound loop ran at about half its speed). The session\n"
        "closes when the last worker exits, or when this is turned off (Session ▸ Watch worker threads,\n"
        "off by default).\n"
        "rss and CPU stay whole-process figures.");
}

QColor WorkersChart::seriesColor(qsizetype index)
{
    // Apart from the memory chart's colours: a worker is never mistaken for a main-thread figure.
    static const QRgb colors[]
        = {0xd63384, 0x8c564b, 0x17becf, 0x7f7f00, 0x1f3a93, 0xe377c2, 0x2ca02c, 0x7f8c8d};
    return QColor(colors[index % qsizetype(std::size(colors))]);
}

void WorkersChart::applyPalette()
{
    ChartStyle::apply(chart(), {m_xAxis, m_yAxis}, palette());
    const QColor text = palette().color(QPalette::Text);
    chart()->setTitleBrush(text);
    chart()->legend()->setLabelColor(text);
    // The theme recolours series: each worker gets its own colour back.
    qsizetype index = 0;
    for (const WorkerSeries& worker : m_store->series()) {
        if (QLineSeries* line = m_series.value(worker.threadId))
            line->setPen(QPen(seriesColor(index), 1.5));
        ++index;
    }
}

double WorkersChart::naturalPlotLeft() const
{
    return m_alignment.naturalLeft(chart());
}

double WorkersChart::naturalPlotRightInset() const
{
    return m_alignment.naturalRightInset(chart());
}

void WorkersChart::alignPlot(double left, double rightInset)
{
    m_alignment.align(chart(), left, rightInset);
}

QList<QPointF> WorkersChart::points(qint64 threadId) const
{
    const QLineSeries* line = m_series.value(threadId);
    return line ? line->points() : QList<QPointF>();
}

void WorkersChart::refresh()
{
    const qint64 from = m_window->from();
    const qint64 to = m_window->to();
    const int columns = qMax(100, int(chart()->plotArea().width()));
    double highest = 0;
    qsizetype index = 0;
    for (const WorkerSeries& worker : m_store->series()) {
        QLineSeries* line = m_series.value(worker.threadId);
        if (!line) {
            line = new QLineSeries(chart());
            chart()->addSeries(line);
            line->attachAxis(m_xAxis);
            line->attachAxis(m_yAxis);
            line->setPen(QPen(seriesColor(index), 1.5));
            m_series.insert(worker.threadId, line);
        }
        const QString name
            = worker.alive ? worker.displayName() : worker.displayName() + QStringLiteral(", ended");
        if (line->name() != name)
            line->setName(name);
        const QList<QPointF> points = decimated(worker.points, from, to, columns);
        for (const QPointF& point : points)
            highest = qMax(highest, point.y());
        line->replace(points);
        ++index;
    }
    // A new session: lines of workers it has not seen go.
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!m_store->find(it.key())) {
            chart()->removeSeries(it.value());
            delete it.value();
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    if (to > from)
        m_xAxis->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
    // Tidy ticks (0, 20, 40...), and a top that doesn't twitch with every reading.
    m_yAxis->setRange(0, qMax(4.0, highest * 1.1));
    m_yAxis->applyNiceNumbers();
}

} // namespace NodeScope

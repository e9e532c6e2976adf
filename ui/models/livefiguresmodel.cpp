#include "models/livefiguresmodel.h"

#include "charts/timeserieschart.h"
#include "charts/workerschart.h"
#include "format.h"
#include "session/metrics.h"
#include "watch/livesession.h"

#include <QBrush>
#include <QFont>
#include <cmath>

namespace NodeScope {

LiveFiguresModel::LiveFiguresModel(const LiveSession* session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
}

const QList<Metric>& LiveFiguresModel::rowMetrics()
{
    static const QList<Metric> rows = Metrics::listed(); // data() asks for every cell
    return rows;
}

int LiveFiguresModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rowMetrics().size() + m_workerRows);
}

int LiveFiguresModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveFiguresModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    if (index.row() >= rowMetrics().size())
        return workerData(index.row() - rowMetrics().size(), index.column(), role);
    const Metric metric = rowMetrics().at(index.row());
    const MetricStatistics& stats = m_session->store().statistics(metric);
    if (role == Qt::ForegroundRole && index.column() == Name)
        return QBrush(TimeSeriesChart::metricColor(metric));
    if (role == Qt::TextAlignmentRole && index.column() != Name)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Name)
        return QString(Metrics::info(metric).description);
    if (role == Qt::ToolTipRole && metric == Metric::HeapUsed && m_session->target().heapLimitBytes > 0) {
        const double limit = double(m_session->target().heapLimitBytes);
        return QStringLiteral("%1 of V8's heap limit (%2)")
            .arg(Format::percent(100.0 * stats.current() / limit), Format::bytes(limit));
    }
    if (role != Qt::DisplayRole)
        return {};
    if (index.column() == Name)
        return TimeSeriesChart::metricName(metric);
    double value = 0;
    switch (index.column()) {
    case Current:
        value = stats.current();
        break;
    case Min:
        value = stats.min();
        break;
    case Max:
        value = stats.max();
        break;
    case Mean:
        value = stats.mean();
        break;
    }
    return Metrics::format(metric, value);
}

QVariant LiveFiguresModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return QStringLiteral("Metric");
    case Current:
        return QStringLiteral("Current");
    case Min:
        return QStringLiteral("Min");
    case Max:
        return QStringLiteral("Max");
    case Mean:
        return QStringLiteral("Mean");
    }
    return {};
}

QVariant LiveFiguresModel::workerData(qsizetype worker, int column, int role) const
{
    const QList<WorkerSeries>& workers = m_session->workers().series();
    if (worker >= workers.size())
        return {};
    const WorkerSeries& series = workers.at(worker);
    if (role == Qt::ForegroundRole && column == Name)
        return QBrush(WorkersChart::seriesColor(worker));
    if (role == Qt::FontRole && !series.alive) {
        QFont ended;
        ended.setItalic(true); // its figures stand still: it exited
        return ended;
    }
    if (role == Qt::TextAlignmentRole && column != Name)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == Name)
        return QStringLiteral(
            "V8's heap used in worker thread %1: its own heap, not part of the main thread's "
            "heap used (rss counts every thread)")
            .arg(series.threadId);
    if (role != Qt::DisplayRole)
        return {};
    if (column == Name)
        return series.displayName();
    if (series.points.isEmpty())
        return QStringLiteral("–");
    double value = 0;
    switch (column) {
    case Current:
        value = double(series.lastHeapUsedBytes());
        break;
    case Min:
        value = double(series.points.constFirst().heapUsedBytes);
        for (const WorkerHeapPoint& point : series.points)
            value = qMin(value, double(point.heapUsedBytes));
        break;
    case Max:
        value = double(series.peakHeapUsedBytes);
        break;
    case Mean:
        for (const WorkerHeapPoint& point : series.points)
            value += double(point.heapUsedBytes);
        value /= double(series.points.size());
        break;
    }
    return Format::bytes(value);
}

void LiveFiguresModel::refresh()
{
    // Workers seen since the last refresh get their rows; a new session has none.
    const qsizetype metricRows = rowMetrics().size();
    const qsizetype workers = m_session->workers().series().size();
    if (workers < m_workerRows) {
        beginRemoveRows({}, int(metricRows + workers), int(metricRows + m_workerRows - 1));
        m_workerRows = workers;
        endRemoveRows();
    } else if (workers > m_workerRows) {
        beginInsertRows({}, int(metricRows + m_workerRows), int(metricRows + workers - 1));
        m_workerRows = workers;
        endInsertRows();
    }
    const int rows = rowCount();
    m_shown.resize(qsizetype(rows) * ColumnCount);
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < ColumnCount; ++column) {
            const QModelIndex cell = index(row, column);
            QString text = data(cell).toString();
            QString& shown = m_shown[qsizetype(row) * ColumnCount + column];
            if (text == shown && !shown.isNull())
                continue;
            shown = std::move(text);
            // One cell at a time: the view repaints just that cell's rect
            // (a range would repaint the whole viewport).
            Q_EMIT dataChanged(cell, cell);
        }
    }
}

} // namespace NodeScope

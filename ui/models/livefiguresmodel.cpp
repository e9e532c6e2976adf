#include "models/livefiguresmodel.h"

#include "charts/timeserieschart.h"
#include "format.h"
#include "session/metrics.h"
#include "watch/livesession.h"

#include <QBrush>
#include <cmath>

namespace NodeScope {

LiveFiguresModel::LiveFiguresModel(const LiveSession* session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
}

QList<Metric> LiveFiguresModel::rowMetrics()
{
    return Metrics::listed();
}

int LiveFiguresModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rowMetrics().size());
}

int LiveFiguresModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveFiguresModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
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

void LiveFiguresModel::refresh()
{
    Q_EMIT dataChanged(index(0, Current), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace NodeScope

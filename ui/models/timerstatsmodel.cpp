#include "models/timerstatsmodel.h"

#include "format.h"

namespace NodeScope {

TimerStatsModel::TimerStatsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int TimerStatsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TimerStatsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags TimerStatsModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Shown)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

QVariant TimerStatsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const TimerStats& stats = m_rows.at(index.row());
    if (role == Qt::CheckStateRole && index.column() == Shown)
        return m_hidden.contains(stats.label) ? Qt::Unchecked : Qt::Checked;
    if (role == Qt::TextAlignmentRole && index.column() >= Count)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (index.column() == Shown)
            return QStringLiteral("Show this label's spans on the charts");
        if (!stats.exactPercentiles && (index.column() == P50 || index.column() == P95))
            return QStringLiteral("From a histogram (within 0.5 %): over %1 spans")
                .arg(TimerStatistics::kExactLimit);
        return stats.label;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Source:
        return stats.source == TimerSpan::Source::User ? QStringLiteral("you") : QStringLiteral("process");
    case Label:
        return stats.label;
    case Count:
        return QString::number(stats.count);
    case Last:
        return Format::milliseconds(stats.lastMs);
    case Min:
        return Format::milliseconds(stats.minMs);
    case Mean:
        return Format::milliseconds(stats.meanMs);
    case P50:
        return Format::milliseconds(stats.p50Ms);
    case P95:
        return Format::milliseconds(stats.p95Ms);
    case Max:
        return Format::milliseconds(stats.maxMs);
    }
    return {};
}

bool TimerStatsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != Shown || role != Qt::CheckStateRole)
        return false;
    const QString label = m_rows.at(index.row()).label;
    if (Qt::CheckState(value.toInt()) == Qt::Checked)
        m_hidden.remove(label);
    else
        m_hidden.insert(label);
    // One label may have rows for both sources.
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].label == label)
            Q_EMIT dataChanged(
                this->index(int(row), Shown), this->index(int(row), Shown), {Qt::CheckStateRole});
    }
    Q_EMIT hiddenLabelsChanged(m_hidden);
    return true;
}

QVariant TimerStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[]
        = {"", "Source", "Label", "Count", "Last", "Min", "Mean", "p50", "p95", "Max"};
    return QString::fromLatin1(names[section]);
}

void TimerStatsModel::refresh(const TimerStatistics& statistics)
{
    const QList<TimerStats> fresh = statistics.all();
    for (const TimerStats& stats : fresh) {
        qsizetype row = -1;
        for (qsizetype i = 0; i < m_rows.size(); ++i) {
            if (m_rows[i].source == stats.source && m_rows[i].label == stats.label) {
                row = i;
                break;
            }
        }
        if (row >= 0) {
            if (m_rows[row].count != stats.count) {
                m_rows[row] = stats;
                Q_EMIT dataChanged(index(int(row), Count), index(int(row), ColumnCount - 1));
            }
        } else {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(stats);
            endInsertRows();
        }
    }
}

void TimerStatsModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

} // namespace NodeScope

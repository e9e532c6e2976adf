#include "models/runningtimersmodel.h"

#include "format.h"

namespace NodeScope {

RunningTimersModel::RunningTimersModel(const Stopwatch* stopwatch, QObject* parent)
    : QAbstractTableModel(parent)
    , m_stopwatch(stopwatch)
{
}

int RunningTimersModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunningTimersModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunningTimersModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const RunningTimer& timer = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() == Elapsed)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    if (index.column() == Label)
        return timer.label;
    // Tenths are enough for a live display; the span keeps full precision.
    const double seconds = timer.elapsedMs / 1000.0;
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    return Format::duration(seconds);
}

QVariant RunningTimersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == Label ? QStringLiteral("Running") : QStringLiteral("Elapsed");
}

void RunningTimersModel::sync()
{
    const QList<RunningTimer> running = m_stopwatch->running();
    // Stopped timers leave...
    for (qsizetype row = m_rows.size() - 1; row >= 0; --row) {
        const bool stillRunning = std::any_of(running.cbegin(), running.cend(),
            [&](const RunningTimer& timer) { return timer.label == m_rows[row].label; });
        if (!stillRunning) {
            beginRemoveRows({}, int(row), int(row));
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    // ...new ones join at the end (the stopwatch keeps start order)...
    for (const RunningTimer& timer : running) {
        const bool known = std::any_of(m_rows.cbegin(), m_rows.cend(),
            [&](const RunningTimer& row) { return row.label == timer.label; });
        if (!known) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(timer);
            endInsertRows();
        }
    }
    // ...and every elapsed time moves on.
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        for (const RunningTimer& timer : running) {
            if (timer.label == m_rows[row].label)
                m_rows[row] = timer;
        }
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Elapsed), index(int(m_rows.size()) - 1, Elapsed), {Qt::DisplayRole});
}

} // namespace NodeScope

#include "models/stallsmodel.h"

#include "charts/stallshading.h"

#include <QDateTime>

namespace NodeScope {

StallsModel::StallsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int StallsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_stalls.size());
}

int StallsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StallsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_stalls.size())
        return {};
    const LoopStall& stall = m_stalls.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() == Duration)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return QStringLiteral("The event loop ran no timer and no I/O callback for %1. Click to zoom to it.")
            .arg(StallShading::lengthText(stall.durationMs));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Start:
        return QDateTime::fromMSecsSinceEpoch(stall.startWallMs).toString(QStringLiteral("hh:mm:ss.zzz"));
    case Duration:
        return StallShading::lengthText(stall.durationMs);
    }
    return {};
}

QVariant StallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Start:
        return QStringLiteral("Start");
    case Duration:
        return QStringLiteral("Blocked for");
    }
    return {};
}

void StallsModel::append(const QList<LoopStall>& stalls)
{
    if (stalls.isEmpty())
        return;
    beginInsertRows({}, int(m_stalls.size()), int(m_stalls.size() + stalls.size() - 1));
    m_stalls.append(stalls);
    endInsertRows();
}

void StallsModel::clear()
{
    if (m_stalls.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_stalls.size() - 1));
    m_stalls.clear();
    endRemoveRows();
}

} // namespace NodeScope

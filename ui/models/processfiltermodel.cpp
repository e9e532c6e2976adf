#include "models/processfiltermodel.h"

#include "models/processlistmodel.h"

namespace NodeScope {

ProcessFilterModel::ProcessFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ProcessListModel::SortRole);
    setFilterRole(ProcessListModel::FilterTextRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setFilterKeyColumn(0);
    setDynamicSortFilter(true);
}

bool ProcessFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const bool leftNode = left.data(ProcessListModel::IsNodeRole).toBool();
    const bool rightNode = right.data(ProcessListModel::IsNodeRole).toBool();
    if (leftNode != rightNode) // Node first whichever way the column sorts
        return sortOrder() == Qt::AscendingOrder ? leftNode : rightNode;
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    const QPartialOrdering order = QVariant::compare(a, b);
    if (order == QPartialOrdering::Equivalent)
        return left.row() < right.row();
    return order == QPartialOrdering::Less;
}

} // namespace NodeScope

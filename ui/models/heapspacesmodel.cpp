#include "models/heapspacesmodel.h"

#include "format.h"

#include <algorithm>

namespace NodeScope {

HeapSpacesModel::HeapSpacesModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int HeapSpacesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_spaces.size());
}

int HeapSpacesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

double HeapSpacesModel::useShare(const HeapSpace& space)
{
    return space.sizeBytes > 0 ? qBound(0.0, double(space.usedBytes) / double(space.sizeBytes), 1.0) : 0.0;
}

QVariant HeapSpacesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_spaces.size())
        return {};
    const HeapSpace& space = m_spaces.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() != Space)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == UseShareRole)
        return useShare(space);
    if (role == Qt::ToolTipRole && index.column() == Use)
        return QStringLiteral("%1 of %2 in use; %3 more fits without growing the space")
            .arg(Format::bytes(double(space.usedBytes)), Format::bytes(double(space.sizeBytes)),
                Format::bytes(double(space.availableBytes)));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Space:
        return space.name;
    case Size:
        return Format::bytes(double(space.sizeBytes));
    case Used:
        return Format::bytes(double(space.usedBytes));
    case Available:
        return Format::bytes(double(space.availableBytes));
    case Committed:
        return Format::bytes(double(space.physicalBytes));
    case Use:
        return space.sizeBytes > 0 ? Format::percent(100.0 * useShare(space)) : QStringLiteral("–");
    }
    return {};
}

QVariant HeapSpacesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Size:
            return QStringLiteral("Memory V8 has reserved for the space (space_size)");
        case Used:
            return QStringLiteral("Bytes of live and not yet collected objects (space_used_size)");
        case Available:
            return QStringLiteral("What still fits in the space as it is (space_available_size)");
        case Committed:
            return QStringLiteral("Memory backed by physical pages (physical_space_size)");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Space:
        return QStringLiteral("Space");
    case Size:
        return QStringLiteral("Size");
    case Used:
        return QStringLiteral("Used");
    case Available:
        return QStringLiteral("Available");
    case Committed:
        return QStringLiteral("Committed");
    case Use:
        return QStringLiteral("Use");
    }
    return {};
}

void HeapSpacesModel::setSpaces(const QList<HeapSpace>& spaces)
{
    const bool sameSpaces = spaces.size() == m_spaces.size()
        && std::equal(spaces.cbegin(), spaces.cend(), m_spaces.cbegin(),
            [](const HeapSpace& a, const HeapSpace& b) { return a.name == b.name; });
    if (!sameSpaces) {
        beginResetModel();
        m_spaces = spaces;
        endResetModel();
        return;
    }
    m_spaces = spaces;
    if (!m_spaces.isEmpty())
        Q_EMIT dataChanged(index(0, Size), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace NodeScope

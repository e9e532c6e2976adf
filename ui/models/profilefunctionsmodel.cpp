#include "models/profilefunctionsmodel.h"

#include "format.h"
#include "models/codeoriginstyle.h"

namespace NodeScope {

ProfileFunctionsModel::ProfileFunctionsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int ProfileFunctionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_functions.size());
}

int ProfileFunctionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProfileFunctionsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_functions.size())
        return {};
    const ProfileFunction& function = m_functions.at(index.row());
    const auto share = [this](double ms) { return m_durationMs > 0 ? 100.0 * ms / m_durationMs : 0.0; };
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Function:
            return Format::printable(function.function);
        case Location:
            return Format::printable(function.location());
        case SelfMs:
            return QString::number(function.selfMs, 'f', 1);
        case SelfPercent:
            return QString::number(share(function.selfMs), 'f', 1);
        case TotalMs:
            return QString::number(function.totalMs, 'f', 1);
        case TotalPercent:
            return QString::number(share(function.totalMs), 'f', 1);
        default:
            return {};
        }
    case SortRole:
        switch (index.column()) {
        case Function:
            return function.function;
        case Location:
            return function.location();
        case SelfMs:
        case SelfPercent:
            return function.selfMs;
        case TotalMs:
        case TotalPercent:
            return function.totalMs;
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return index.column() >= SelfMs ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::FontRole:
        return CodeOriginStyle::font(function.origin);
    case Qt::ForegroundRole:
        return CodeOriginStyle::foreground(function.origin);
    default:
        return {};
    }
}

QVariant ProfileFunctionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case Function:
        return QStringLiteral("Function");
    case Location:
        return QStringLiteral("Script:line");
    case SelfMs:
        return QStringLiteral("Self (ms)");
    case SelfPercent:
        return QStringLiteral("Self (%)");
    case TotalMs:
        return QStringLiteral("Total (ms)");
    case TotalPercent:
        return QStringLiteral("Total (%)");
    default:
        return {};
    }
}

void ProfileFunctionsModel::clear()
{
    if (m_functions.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_functions.size()) - 1);
    m_functions.clear();
    endRemoveRows();
}

void ProfileFunctionsModel::setProfile(const CpuProfile& profile)
{
    clear();
    m_durationMs = profile.durationMs();
    if (profile.functions().isEmpty())
        return;
    beginInsertRows({}, 0, int(profile.functions().size()) - 1);
    m_functions = profile.functions();
    endInsertRows();
}

} // namespace NodeScope

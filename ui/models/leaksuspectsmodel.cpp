#include "models/leaksuspectsmodel.h"

#include "format.h"

namespace NodeScope {

LeakSuspectsModel::LeakSuspectsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int LeakSuspectsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LeakSuspectsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LeakSuspectsModel::shortLocation(const SourceFrame& frame)
{
    if (frame.url.isEmpty())
        return QStringLiteral("(V8)");
    QString name = frame.url;
    const qsizetype slash = name.lastIndexOf(QLatin1Char('/'));
    if (slash >= 0 && slash + 1 < name.size())
        name = name.mid(slash + 1);
    return QStringLiteral("%1:%2:%3").arg(name).arg(frame.line).arg(frame.column);
}

QVariant LeakSuspectsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const LeakSuspect& suspect = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() >= Growth)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        QString tip = Format::printable(suspect.frame.text());
        if (!suspect.inAppCode)
            tip += QStringLiteral("\n(no frame of the app's own code in its stack)");
        if (suspect.sites > 1)
            tip += QStringLiteral("\n%1 allocation sites below this frame").arg(suspect.sites);
        return tip;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Function:
        return Format::printable(suspect.frame.function);
    case Location:
        return Format::printable(shortLocation(suspect.frame));
    case Growth:
        return Format::bytesPerMinute(suspect.bytesPerMin);
    case Share:
        return Format::percent(suspect.share * 100);
    case Live:
        return Format::bytes(double(suspect.liveBytes));
    default:
        return {};
    }
}

QVariant LeakSuspectsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Growth:
            return QStringLiteral("How fast the memory it allocated and that is still alive grows");
        case Share:
            return QStringLiteral("Its part of the growth of every growing allocation site");
        case Live:
            return QStringLiteral("Memory it allocated that is alive now (estimated from samples)");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Function:
        return QStringLiteral("Function");
    case Location:
        return QStringLiteral("Where");
    case Growth:
        return QStringLiteral("Growth");
    case Share:
        return QStringLiteral("Share");
    case Live:
        return QStringLiteral("Live");
    default:
        return {};
    }
}

void LeakSuspectsModel::refresh(const QList<LeakSuspect>& suspects)
{
    const qsizetype common = qMin(m_rows.size(), suspects.size());
    for (qsizetype row = 0; row < common; ++row)
        m_rows[row] = suspects.at(row);
    if (common > 0)
        Q_EMIT dataChanged(index(0, 0), index(int(common) - 1, ColumnCount - 1));
    if (suspects.size() > m_rows.size()) {
        beginInsertRows({}, int(m_rows.size()), int(suspects.size()) - 1);
        for (qsizetype row = m_rows.size(); row < suspects.size(); ++row)
            m_rows.append(suspects.at(row));
        endInsertRows();
    } else if (suspects.size() < m_rows.size()) {
        beginRemoveRows({}, int(suspects.size()), int(m_rows.size()) - 1);
        m_rows.resize(suspects.size());
        endRemoveRows();
    }
}

} // namespace NodeScope

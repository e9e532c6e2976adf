#include "models/timerspansmodel.h"

#include "format.h"

#include <QDateTime>

namespace NodeScope {

TimerSpansModel::TimerSpansModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int TimerSpansModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_spans.size());
}

int TimerSpansModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimerSpansModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_spans.size())
        return {};
    const TimerSpan& span = m_spans.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() == Duration)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Source:
        return span.source == TimerSpan::Source::User ? QStringLiteral("you") : QStringLiteral("process");
    case Label:
        return span.isLap ? span.label + QStringLiteral(" (lap)") : span.label;
    case Start:
        return QDateTime::fromMSecsSinceEpoch(span.startWallMs).toString(QStringLiteral("hh:mm:ss.zzz"));
    case Duration:
        return Format::milliseconds(span.durationMs);
    }
    return {};
}

QVariant TimerSpansModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[] = {"Source", "Label", "Started", "Duration"};
    return QString::fromLatin1(names[section]);
}

void TimerSpansModel::append(const QList<TimerSpan>& spans)
{
    if (spans.isEmpty())
        return;
    beginInsertRows({}, int(m_spans.size()), int(m_spans.size() + spans.size() - 1));
    m_spans.append(spans);
    endInsertRows();
}

void TimerSpansModel::clear()
{
    if (m_spans.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_spans.size()) - 1);
    m_spans.clear();
    endRemoveRows();
}

} // namespace NodeScope

#include "models/processlistmodel.h"

#include "format.h"
#include "proc/processtable.h"

#include <QFileInfo>
#include <QHash>
#include <QSet>

namespace NodeScope {

namespace {
// A row is the same process while its PID and start time are.
quint64 keyOf(const ProcessInfo& process)
{
    return (quint64(process.pid) << 40) ^ process.startTimeTicks;
}
} // namespace

ProcessListModel::ProcessListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int ProcessListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProcessListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProcessListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ProcessInfo& process = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Pid:
            return QString::number(process.pid);
        case Name:
            return ProcessTable::displayName(process);
        case User:
            return process.user;
        case Uptime:
            return Format::duration(process.uptimeSeconds);
        case Rss:
            return Format::bytes(double(process.rssBytes));
        case Inspector:
            return process.isNode ? ProcessTable::describeInspector(process.inspector)
                                  : QStringLiteral("rss and CPU only");
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == Inspector)
            return process.inspector.reason.isEmpty() ? ProcessTable::describeInspector(process.inspector)
                                                      : process.inspector.reason;
        return process.commandLine.isEmpty() ? process.name : process.commandLine;
    case Qt::TextAlignmentRole:
        if (index.column() == Pid || index.column() == Uptime || index.column() == Rss)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::FontRole:
        break;
    case SortRole:
        switch (index.column()) {
        case Pid:
            return process.pid;
        case Name:
            return ProcessTable::displayName(process).toLower();
        case User:
            return process.user;
        case Uptime:
            return process.uptimeSeconds;
        case Rss:
            return process.rssBytes;
        case Inspector:
            return int(process.inspector.state);
        }
        break;
    case IsNodeRole:
        return process.isNode;
    case ProcessRole:
        return QVariant::fromValue(process);
    case FilterTextRole:
        return QStringLiteral("%1 %2 %3 %4")
            .arg(process.pid)
            .arg(process.name, process.user, process.commandLine);
    }
    return {};
}

QVariant ProcessListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Pid:
        return QStringLiteral("PID");
    case Name:
        return QStringLiteral("Name or script");
    case User:
        return QStringLiteral("User");
    case Uptime:
        return QStringLiteral("Uptime");
    case Rss:
        return QStringLiteral("RSS");
    case Inspector:
        return QStringLiteral("Inspector");
    }
    return {};
}

int ProcessListModel::rowOf(qint64 pid) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].pid == pid)
            return int(i);
    }
    return -1;
}

void ProcessListModel::merge(const QList<ProcessInfo>& processes)
{
    QHash<quint64, qsizetype> incoming;
    incoming.reserve(processes.size());
    for (qsizetype i = 0; i < processes.size(); ++i)
        incoming.insert(keyOf(processes[i]), i);

    // Removals, back to front so rows stay valid, in contiguous runs.
    for (qsizetype row = m_rows.size() - 1; row >= 0;) {
        if (incoming.contains(keyOf(m_rows[row]))) {
            --row;
            continue;
        }
        qsizetype first = row;
        while (first > 0 && !incoming.contains(keyOf(m_rows[first - 1])))
            --first;
        beginRemoveRows({}, int(first), int(row));
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // Updates in place.
    QSet<quint64> present;
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        const quint64 key = keyOf(m_rows[row]);
        present.insert(key);
        const ProcessInfo& fresh = processes[incoming.value(key)];
        ProcessInfo& current = m_rows[row];
        if (fresh.rssBytes != current.rssBytes || fresh.name != current.name
            || fresh.commandLine != current.commandLine || fresh.inspector.state != current.inspector.state
            || fresh.inspector.port != current.inspector.port
            || fresh.inspector.reason != current.inspector.reason
            || qint64(fresh.uptimeSeconds) != qint64(current.uptimeSeconds)) {
            current = fresh;
            Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
        }
    }

    // Insertions at the end, in one block; the view's proxy sorts them.
    QList<ProcessInfo> added;
    for (const ProcessInfo& process : processes) {
        if (!present.contains(keyOf(process)))
            added.append(process);
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows.append(added);
        endInsertRows();
    }
}

} // namespace NodeScope

#pragma once

// The process picker's rows. Each refresh is merged row by row (updates,
// inserts, removals keyed by PID and start time), never a reset, so the
// selection and scroll position survive a live refresh.

#include "types.h"

#include <QAbstractTableModel>

namespace NodeScope {

class ProcessListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Pid, Name, User, Uptime, Rss, Inspector, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // raw value for sorting
        IsNodeRole,
        ProcessRole, // the whole ProcessInfo
        FilterTextRole,
    };

    explicit ProcessListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void merge(const QList<ProcessInfo>& processes);
    const ProcessInfo& process(int row) const { return m_rows.at(row); }
    int rowOf(qint64 pid) const;

private:
    QList<ProcessInfo> m_rows;
};

} // namespace NodeScope

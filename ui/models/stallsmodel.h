#pragma once

// The session's event-loop stalls, oldest first: when each began and how
// long the loop did not turn. Appends only (rows are inserted, never reset)
// until a new session.

#include "types.h"

#include <QAbstractTableModel>

namespace NodeScope {

class StallsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Start, Duration, ColumnCount };

    explicit StallsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QList<LoopStall>& stalls);
    void clear();
    const LoopStall& stall(int row) const { return m_stalls.at(row); }

private:
    QList<LoopStall> m_stalls;
};

} // namespace NodeScope

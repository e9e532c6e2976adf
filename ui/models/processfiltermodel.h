#pragma once

// Sorts the process list with Node processes always first (in either sort
// direction) and filters it by PID, name, user or command line.

#include <QSortFilterProxyModel>

namespace NodeScope {

class ProcessFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ProcessFilterModel(QObject* parent = nullptr);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

} // namespace NodeScope

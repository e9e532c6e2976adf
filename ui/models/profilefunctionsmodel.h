#pragma once

// The functions of a CPU profile with their self and total time, in ms and
// as a share of the profile. Sorting is by number (SortRole), not by the
// formatted text. App functions are bold, the rest grey, as in the stack.

#include "analysis/cpuprofile.h"

#include <QAbstractTableModel>

namespace NodeScope {

class ProfileFunctionsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Function, Location, SelfMs, SelfPercent, TotalMs, TotalPercent, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ProfileFunctionsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setProfile(const CpuProfile& profile);
    void clear();

private:
    QList<ProfileFunction> m_functions;
    double m_durationMs = 0;
};

} // namespace NodeScope

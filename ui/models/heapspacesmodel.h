#pragma once

// V8's heap spaces of the watched process, one row each: reserved size,
// used, available, committed, and the share in use (drawn as a bar by
// UsageBarDelegate). A refresh of the same spaces updates the rows in
// place; only another list of spaces (another process, another Node)
// replaces them.

#include "watch/targetaccess.h"

#include <QAbstractTableModel>

namespace NodeScope {

class HeapSpacesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Space, Size, Used, Available, Committed, Use, ColumnCount };
    // The share in use (0..1) of the Use column, for its bar.
    static constexpr int UseShareRole = Qt::UserRole + 1;

    explicit HeapSpacesModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setSpaces(const QList<HeapSpace>& spaces);
    const QList<HeapSpace>& spaces() const { return m_spaces; }
    // Used as a share of the space's size, 0 for an empty space.
    static double useShare(const HeapSpace& space);

private:
    QList<HeapSpace> m_spaces;
};

} // namespace NodeScope

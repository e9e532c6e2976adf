#pragma once

// The leak suspects, most likely first: the app's function, where it is,
// how fast what it allocates grows, its share of the growth and what it
// holds alive now. Rows are merged in place as the ranking moves on (a
// selection stays put), never reset.

#include "analysis/leaksuspect.h"

#include <QAbstractTableModel>

namespace NodeScope {

class LeakSuspectsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Function, Location, Growth, Share, Live, ColumnCount };

    explicit LeakSuspectsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh(const QList<LeakSuspect>& suspects);
    void clear() { refresh({}); }
    const LeakSuspect& suspectAt(int row) const { return m_rows.at(row); }

    // "closure-leak.js:15:19" for a file URL; the whole URL otherwise.
    static QString shortLocation(const SourceFrame& frame);

private:
    QList<LeakSuspect> m_rows;
};

} // namespace NodeScope

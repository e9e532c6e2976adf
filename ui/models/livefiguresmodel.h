#pragma once

// The live figures table: current, min, max and mean of each metric over the
// session, plus heap used as a share of V8's heap limit and native memory.
// The metrics' rows are fixed; after them comes one row per worker thread
// seen (its heap used), inserted as workers appear. A refresh signals only
// the cells whose text changed: the view repaints those and not the whole
// table (which was a sixth of the dashboard's CPU at 10 Hz).

#include "types.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace NodeScope {

class LiveSession;

class LiveFiguresModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Current, Min, Max, Mean, ColumnCount };

    explicit LiveFiguresModel(const LiveSession* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Re-reads the figures (call after samples arrive; cheap).
    void refresh();
    static const QList<Metric>& rowMetrics();

private:
    QVariant workerData(qsizetype worker, int column, int role) const;

    const LiveSession* m_session;
    qsizetype m_workerRows = 0;
    // What each cell showed at the last refresh, row by row.
    QList<QString> m_shown;
};

} // namespace NodeScope

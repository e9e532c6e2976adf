#pragma once

// The live figures table: current, min, max and mean of each metric over the
// session, plus heap used as a share of V8's heap limit and native memory.
// The metrics' rows are fixed; after them comes one row per worker thread
// seen (its heap used), inserted as workers appear. A refresh is one
// dataChanged over the values.

#include "types.h"

#include <QAbstractTableModel>

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
    static QList<Metric> rowMetrics();

private:
    QVariant workerData(qsizetype worker, int column, int role) const;

    const LiveSession* m_session;
    qsizetype m_workerRows = 0;
};

} // namespace NodeScope

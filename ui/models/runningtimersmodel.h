#pragma once

// The user's running stopwatch timers with their live elapsed time. The
// elapsed column is re-read from the Stopwatch (a QElapsedTimer) on each
// tick; the rows follow start and stop, merged by label.

#include "watch/stopwatch.h"

#include <QAbstractTableModel>

namespace NodeScope {

class RunningTimersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Label, Elapsed, ColumnCount };

    explicit RunningTimersModel(const Stopwatch* stopwatch, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QString label(int row) const { return m_rows.at(row).label; }
    // Rows follow the stopwatch's running timers; elapsed times are refreshed.
    void sync();

private:
    const Stopwatch* m_stopwatch;
    QList<RunningTimer> m_rows;
};

} // namespace NodeScope

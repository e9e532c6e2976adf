#pragma once

// Per-label timer statistics (count, last, min, mean, p50, p95, max) for the
// user's stopwatch and the process's console timers, with a check box per
// row that shows or hides the label's bands on the charts. Rows are merged
// by (source, label), never reset.

#include "analysis/timerstatistics.h"

#include <QAbstractTableModel>
#include <QSet>

namespace NodeScope {

class TimerStatsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Shown, Source, Label, Count, Last, Min, Mean, P50, P95, Max, ColumnCount };

    explicit TimerStatsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh(const TimerStatistics& statistics);
    void clear();
    QSet<QString> hiddenLabels() const { return m_hidden; }

Q_SIGNALS:
    void hiddenLabelsChanged(const QSet<QString>& labels);

private:
    QList<TimerStats> m_rows;
    QSet<QString> m_hidden;
};

} // namespace NodeScope

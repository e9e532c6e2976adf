#pragma once

// Every finished span and lap of the session, oldest first: the stopwatch's
// history. Appends only (rows are inserted, never reset) until a new session.

#include "types.h"

#include <QAbstractTableModel>

namespace NodeScope {

class TimerSpansModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Source, Label, Start, Duration, ColumnCount };

    explicit TimerSpansModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QList<TimerSpan>& spans);
    void clear();
    const TimerSpan& span(int row) const { return m_spans.at(row); }

private:
    QList<TimerSpan> m_spans;
};

} // namespace NodeScope

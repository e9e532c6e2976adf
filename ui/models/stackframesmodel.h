#pragma once

// The frames of one stack snapshot, innermost first: function, where it is,
// and whose code it is. The app's own frames are bold; Node's and
// dependencies' are grey, so the eye lands on the code the user can change.

#include "inspector/sourceframe.h"

#include <QAbstractTableModel>

namespace NodeScope {

class StackFramesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Function, Location, Origin, ColumnCount };

    explicit StackFramesModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the frames with another snapshot's.
    void setFrames(const QList<SourceFrame>& frames);
    const QList<SourceFrame>& frames() const { return m_frames; }

private:
    QList<SourceFrame> m_frames;
};

} // namespace NodeScope

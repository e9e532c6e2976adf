#include "models/stackframesmodel.h"

#include "format.h"
#include "models/codeoriginstyle.h"

namespace NodeScope {

StackFramesModel::StackFramesModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int StackFramesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_frames.size());
}

int StackFramesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StackFramesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_frames.size())
        return {};
    const SourceFrame& frame = m_frames.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Function:
            return Format::printable(frame.function);
        case Location:
            return Format::printable(frame.location());
        case Origin:
            return CodeOrigins::label(frame.origin());
        default:
            return {};
        }
    case Qt::FontRole:
        return CodeOriginStyle::font(frame.origin());
    case Qt::ForegroundRole:
        return CodeOriginStyle::foreground(frame.origin());
    default:
        return {};
    }
}

QVariant StackFramesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case Function:
        return QStringLiteral("Function");
    case Location:
        return QStringLiteral("Script:line:column");
    case Origin:
        return QStringLiteral("Code");
    default:
        return {};
    }
}

void StackFramesModel::setFrames(const QList<SourceFrame>& frames)
{
    // A new snapshot is a new list, not an update of the old one's rows.
    if (!m_frames.isEmpty()) {
        beginRemoveRows({}, 0, int(m_frames.size()) - 1);
        m_frames.clear();
        endRemoveRows();
    }
    if (!frames.isEmpty()) {
        beginInsertRows({}, 0, int(frames.size()) - 1);
        m_frames = frames;
        endInsertRows();
    }
}

} // namespace NodeScope

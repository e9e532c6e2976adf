#pragma once

// Draws a cell as a bar filled to a share (0..1, read from a model role)
// with the cell's text on it: the "Use" of each heap space.

#include <QStyledItemDelegate>

namespace NodeScope {

class UsageBarDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    UsageBarDelegate(int shareRole, QObject* parent = nullptr);

    void paint(
        QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    int m_shareRole;
};

} // namespace NodeScope

#include "panels/usagebardelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace NodeScope {

namespace {

constexpr int kSteps = 1000;
constexpr int kMargin = 2;

} // namespace

UsageBarDelegate::UsageBarDelegate(int shareRole, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_shareRole(shareRole)
{
}

void UsageBarDelegate::paint(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QVariant share = index.data(m_shareRole);
    if (!share.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    bar.minimum = 0;
    bar.maximum = kSteps;
    bar.progress = qBound(0, int(share.toDouble() * kSteps), kSteps);
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state = option.state | QStyle::State_Horizontal;
    bar.palette = option.palette;
    bar.direction = option.direction;
    bar.fontMetrics = option.fontMetrics;
    const QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

} // namespace NodeScope

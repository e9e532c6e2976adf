#include "charts/chartstyle.h"

#include <QAbstractAxis>
#include <QChart>
#include <QPalette>
#include <QPen>

namespace NodeScope {

bool ChartStyle::apply(QChart* chart, const QList<QAbstractAxis*>& axes, const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette.base());
    chart->setBackgroundRoundness(0);
    // The themes' drop shadow is a blur of the whole chart on every repaint.
    chart->setDropShadowEnabled(false);
    const QColor text = palette.color(QPalette::Text);
    // The grid is a faint mix of text into the background, given as an
    // opaque colour: a translucent one sends every grid line's spans
    // through Qt's blending, which splits a long line's spans over the
    // global thread pool -- thread hand-offs that cost more than the
    // drawing, several hundred a second while watching.
    const QColor base = palette.color(QPalette::Base);
    const auto mix = [](int over, int under) { return (over * 40 + under * 215) / 255; };
    const QColor grid(
        mix(text.red(), base.red()), mix(text.green(), base.green()), mix(text.blue(), base.blue()));
    // Grid and axis lines get cosmetic pens (width 0: one pixel at any
    // scale, as the themes' width 1 draws here). Qt Charts draws them as
    // QGraphicsLineItems, whose bounding rect with a pen of any other width
    // is found by stroking the line's path, at every repaint of every line.
    const auto cosmetic = [](QPen pen) {
        if (pen.widthF() <= 1.0)
            pen.setWidthF(0);
        return pen;
    };
    for (QAbstractAxis* axis : axes) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        QPen gridPen = cosmetic(axis->gridLinePen());
        gridPen.setColor(grid);
        axis->setGridLinePen(gridPen);
        axis->setLinePen(cosmetic(axis->linePen()));
    }
    return dark;
}

} // namespace NodeScope

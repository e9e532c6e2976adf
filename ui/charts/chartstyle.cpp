#include "charts/chartstyle.h"

#include <QAbstractAxis>
#include <QChart>
#include <QPalette>

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
    for (QAbstractAxis* axis : axes) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
    }
    return dark;
}

} // namespace NodeScope

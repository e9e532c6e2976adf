#pragma once

// The look every NodeScope chart shares, from the widget's palette: Qt
// Charts' light or dark theme, the palette's base as background, no drop
// shadow, and axes in the text colour over a faint, opaque grid.

#include <QList>

class QAbstractAxis;
class QChart;
class QPalette;

namespace NodeScope {

class ChartStyle {
public:
    // Applies the look to `chart` and its `axes`; true when the palette is dark.
    static bool apply(QChart* chart, const QList<QAbstractAxis*>& axes, const QPalette& palette);
};

} // namespace NodeScope

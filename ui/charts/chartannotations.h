#pragma once

// What is drawn over a chart's plot besides data: the owner's reference
// marks (a vertical marker with a caption, the leak's start; a dashed
// baseline with a caption, the post-GC heap floor's trend) and the session's
// own marks (attach, pause, forced GC...) as short ticks along the bottom,
// which the crosshair's readout names.

#include "types.h"

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <optional>

class QFont;
class QFontMetricsF;
class QPainter;
class QPalette;

namespace NodeScope {

class PlotFrame;

class ChartAnnotations {
public:
    void setMarker(std::optional<qint64> wallMs, const QString& caption);
    // points: x = wall ms, y = a raw value of the chart's unit (bytes, ...).
    void setBaseline(const QList<QPointF>& points, const QString& caption);

    void paint(QPainter* painter, const PlotFrame& frame, const QList<Marker>& sessionMarks,
        const QPalette& palette, const QFont& font) const;

    // Where the baseline's caption goes (its backing box; the text sits 2 px
    // in from its left and 1 px down from its top), for a line ending at lineEnd.
    static QRectF baselineCaptionBox(
        const QRectF& plot, const QPointF& lineEnd, const QFontMetricsF& metrics, const QString& caption);

private:
    void paintBaseline(
        QPainter* painter, const PlotFrame& frame, const QPalette& palette, const QFont& font) const;

    std::optional<qint64> m_marker;
    QString m_markerCaption;
    QList<QPointF> m_baseline;
    QString m_baselineCaption;
};

} // namespace NodeScope

#pragma once

// The heaps of the target's worker threads, one line per worker (heapUsed,
// "worker 2 (grower)"), on the same time window as the charts above it.
// Workers come and go, so the lines come from the WorkerStore, not from the
// fixed metrics of the sample store; a worker that exited keeps its line up
// to its last reading, and its legend entry says it ended.
//
// Readings come about once a second (Sampler::kWorkersEveryMs), so a line
// holds few points; each pixel column still keeps its min and max, so a
// long session's peaks survive. Plain QLineSeries::replace() is enough here.

#include "charts/plotalignment.h"
#include "session/workerstore.h"

#include <QChartView>
#include <QHash>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace NodeScope {

class TimeWindow;

class WorkersChart : public QChartView {
    Q_OBJECT
public:
    WorkersChart(const WorkerStore* store, TimeWindow* window, QWidget* parent = nullptr);

    // What watching worker threads costs the target, for tooltips.
    static QString costText();
    // The colour of the index-th worker seen (the legend's and the figures table's).
    static QColor seriesColor(qsizetype index);

    // Re-reads the store for the visible window.
    void refresh();

    // The line of a worker (nullptr for one never seen), and its points as drawn (x = wall ms, y = MB).
    QLineSeries* series(qint64 threadId) const { return m_series.value(threadId); }
    QList<QPointF> points(qint64 threadId) const;
    void applyPalette();
    // Lining its plot up with the charts above (TimeSeriesChart's, alike).
    double naturalPlotLeft() const;
    double naturalPlotRightInset() const;
    void alignPlot(double left, double rightInset);

private:
    QDateTimeAxis* m_xAxis = nullptr;
    QValueAxis* m_yAxis = nullptr;
    const WorkerStore* m_store;
    TimeWindow* m_window;
    QHash<qint64, QLineSeries*> m_series; // by thread id
    PlotAlignment m_alignment; // margins that line the plot up with the other charts'
};

} // namespace NodeScope

#pragma once

// The "Stalls" panel: every span the watched event loop did not turn, with
// its start and length, a line that sums them up (or says why there are
// none), and a click on one zooms the charts to it with a little of what
// came before and after.

#include <QWidget>

class QLabel;
class QModelIndex;
class QTableView;

namespace NodeScope {

class LiveSession;
class StallsModel;
class TimeWindow;

class StallsPanel : public QWidget {
    Q_OBJECT
public:
    StallsPanel(const LiveSession* session, TimeWindow* window, QWidget* parent = nullptr);

    StallsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QString summary() const;

    // Takes the stalls the session found since the last call (batched by the window).
    void refresh();
    // Shows the stall of a row on the charts.
    void zoomTo(int row);

private:
    const LiveSession* m_session;
    TimeWindow* m_window;
    StallsModel* m_model;
    QTableView* m_view;
    QLabel* m_summary;
};

} // namespace NodeScope

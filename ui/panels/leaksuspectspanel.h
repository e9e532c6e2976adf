#pragma once

// Leak suspects: which of the app's functions allocate the memory that stays
// alive and grows, ranked by growth, with the full stack of the one picked.
// Shown by the main window when the verdict becomes suspect or leak (the
// profiler starts then), and on demand with "Find leak suspects"; also
// offers a heap snapshot for a closer look in DevTools or memlab.

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace NodeScope {

class LeakSuspectsModel;
class SessionPipeline;

class LeakSuspectsPanel : public QWidget {
    Q_OBJECT
public:
    explicit LeakSuspectsPanel(QWidget* parent = nullptr);

    // Takes the ranking and the profiler's state from the pipeline;
    // attached: a Node process is attached (the buttons need one).
    void update(const SessionPipeline& pipeline, bool attached);

    LeakSuspectsModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QString statusText() const;
    // The full stack shown for the selected suspect, a frame a line.
    QString stackText() const;
    QPushButton* findButton() const { return m_find; }

Q_SIGNALS:
    void findRequested(bool on);
    void snapshotRequested();

private:
    void showStackOf(int row);

    LeakSuspectsModel* m_model = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_find = nullptr;
    QPushButton* m_snapshot = nullptr;
    QTableView* m_table = nullptr;
    QPlainTextEdit* m_stack = nullptr;
};

} // namespace NodeScope

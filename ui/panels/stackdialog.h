#pragma once

// "Show stack": the watched process's JavaScript stack right now, innermost
// frame first, app frames bold and the rest grey; Take again, and Copy (one
// frame a line, as `nodescope stack` prints it). Not modal: the charts stay
// live beside it.

#include "inspector/stacksnapshot.h"

#include <QDialog>

class QPushButton;
class QTableView;

namespace NodeScope {

class LiveSession;
class StatusLabel;
class StackFramesModel;

class StackDialog : public QDialog {
    Q_OBJECT
public:
    explicit StackDialog(LiveSession* session, QWidget* parent = nullptr);

    StackFramesModel* model() const { return m_model; }
    QString statusText() const;
    // The stack as text for the clipboard: a header line, then one frame a line.
    QString clipboardText() const;

public Q_SLOTS:
    // Asks the session for a stack; the answer fills the table.
    void takeStack();
    void copyToClipboard();

private:
    void showStack(const StackSnapshot& snapshot, const QString& error);

    LiveSession* m_session = nullptr;
    StackFramesModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    StatusLabel* m_status = nullptr;
    QPushButton* m_againButton = nullptr;
    QPushButton* m_copyButton = nullptr;
    StackSnapshot m_snapshot;
    bool m_waiting = false;
};

} // namespace NodeScope

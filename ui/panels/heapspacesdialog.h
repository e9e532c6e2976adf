#pragma once

// Session ▸ Heap spaces…: V8's heap spaces of the watched process (new,
// old, code, large-object...) with their size, use, room and committed
// memory, read on demand through NodeScope's probe (or the inspector) and
// again with Refresh. When there is nothing to read -- no process attached,
// a process that is not Node, a probe that does not answer -- it says so
// and why, in place of the table. Non-modal: it stays open beside the charts.

#include "watch/targetaccess.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace NodeScope {

class HeapSpacesModel;
class LiveSession;

class HeapSpacesDialog : public QDialog {
    Q_OBJECT
public:
    explicit HeapSpacesDialog(LiveSession* session, QWidget* parent = nullptr);

    HeapSpacesModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QPushButton* refreshButton() const { return m_refresh; }
    // The line above the table, or the message in its place.
    QString stateText() const;
    // Whether the table (rather than a message) is shown.
    bool isShowingSpaces() const;

public Q_SLOTS:
    // Asks the session for the spaces; the answer arrives as showSpaces().
    void refresh();
    // Shows the spaces, or why there are none (error non-empty).
    void showSpaces(const QList<NodeScope::HeapSpace>& spaces, const QString& error);

private:
    void showMessage(const QString& text);

    LiveSession* m_session;
    HeapSpacesModel* m_model;
    QStackedWidget* m_stack;
    QTableView* m_view;
    QLabel* m_summary;
    QLabel* m_message;
    QPushButton* m_refresh;
};

} // namespace NodeScope

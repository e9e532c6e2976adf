#pragma once

// Pick a process: a live, filterable, sortable table (Node processes first),
// Attach on double-click or Enter, a toggle to show every process, and a way
// to connect to an inspector address elsewhere (container, tunnel).

#include "types.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace NodeScope {

class ProcessFilterModel;
class ProcessListModel;
class ProcessScanner;

class ProcessPicker : public QWidget {
    Q_OBJECT
public:
    explicit ProcessPicker(QWidget* parent = nullptr);

    ProcessListModel* model() const { return m_model; }
    ProcessFilterModel* proxy() const { return m_proxy; }
    ProcessScanner* scanner() const { return m_scanner; }
    QTableView* view() const { return m_view; }

    // The selected process, if any.
    std::optional<ProcessInfo> selectedProcess() const;
    // Selects the row of a PID (after the next scan if it isn't listed yet).
    void selectPid(qint64 pid);
    void setShowAll(bool showAll);
    bool showAll() const;

    // Parses "host:port" / "port" / "[::1]:port"; false with a reason when bad.
    static bool parseAddress(const QString& text, QString* host, quint16* port, QString* error);

public Q_SLOTS:
    void attachSelected();
    void connectToAddress();

Q_SIGNALS:
    void attachRequested(const NodeScope::ProcessInfo& process);
    void connectRequested(const QString& host, quint16 port);
    void message(const QString& text, bool error);
    void showAllChanged(bool showAll);

private:
    void updateButtons();

    ProcessListModel* m_model = nullptr;
    ProcessFilterModel* m_proxy = nullptr;
    ProcessScanner* m_scanner = nullptr;
    QLineEdit* m_filter = nullptr;
    QCheckBox* m_showAll = nullptr;
    QTableView* m_view = nullptr;
    QPushButton* m_attach = nullptr;
    QLabel* m_summary = nullptr;
    qint64 m_pendingSelection = 0;
};

} // namespace NodeScope

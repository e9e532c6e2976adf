#include "panels/processpicker.h"

#include "models/processfiltermodel.h"
#include "models/processlistmodel.h"
#include "proc/processscanner.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace NodeScope {

ProcessPicker::ProcessPicker(QWidget* parent)
    : QWidget(parent)
    , m_model(new ProcessListModel(this))
    , m_proxy(new ProcessFilterModel(this))
    , m_scanner(new ProcessScanner(this))
{
    m_proxy->setSourceModel(m_model);

    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(QStringLiteral("Filter: PID, name, user or command line"));
    m_filter->setClearButtonEnabled(true);
    m_showAll = new QCheckBox(QStringLiteral("Show all processes"), this);
    m_showAll->setToolTip(QStringLiteral("Non-Node processes can be watched for rss and CPU"));

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ProcessListModel::Pid, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(ProcessListModel::Name, QHeaderView::Interactive);
    m_view->setColumnWidth(ProcessListModel::Pid, 70);
    m_view->setColumnWidth(ProcessListModel::Name, 180);
    m_view->setColumnWidth(ProcessListModel::User, 70);
    m_view->setColumnWidth(ProcessListModel::Uptime, 70);
    m_view->setColumnWidth(ProcessListModel::Rss, 80);
    m_view->setWordWrap(false);

    m_attach = new QPushButton(QStringLiteral("&Attach"), this);
    m_attach->setDefault(true);
    m_attach->setToolTip(QStringLiteral("Watch the selected process (Enter or double-click)"));
    auto* connectButton = new QPushButton(QStringLiteral("&Connect…"), this);
    connectButton->setToolTip(QStringLiteral("Connect to an inspector address (host:port) elsewhere, e.g. a "
                                             "container or an SSH tunnel: heap figures only"));
    m_summary = new QLabel(this);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_showAll);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(connectButton);
    buttons->addWidget(m_attach);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_showAll, &QCheckBox::toggled, m_scanner, &ProcessScanner::setIncludeNonNode);
    connect(m_showAll, &QCheckBox::toggled, this, &ProcessPicker::showAllChanged);
    connect(m_view, &QTableView::doubleClicked, this, &ProcessPicker::attachSelected);
    connect(m_attach, &QPushButton::clicked, this, &ProcessPicker::attachSelected);
    connect(connectButton, &QPushButton::clicked, this, &ProcessPicker::connectToAddress);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &ProcessPicker::updateButtons);
    connect(m_scanner, &ProcessScanner::scanned, this, [this](const QList<ProcessInfo>& processes) {
        m_model->merge(processes);
        int nodeCount = 0;
        for (const ProcessInfo& process : processes)
            nodeCount += process.isNode ? 1 : 0;
        m_summary->setText(nodeCount == 0 ? QStringLiteral("No Node.js processes running")
                                          : QStringLiteral("%1 Node.js process%2")
                                                .arg(nodeCount)
                                                .arg(nodeCount == 1 ? QString() : QStringLiteral("es")));
        if (m_pendingSelection != 0)
            selectPid(m_pendingSelection);
        else if (!m_view->selectionModel()->hasSelection() && m_proxy->rowCount() > 0
            && m_proxy->index(0, 0).data(ProcessListModel::IsNodeRole).toBool())
            m_view->selectRow(0);
        updateButtons();
    });
    // Enter on the table attaches, like double-click.
    auto* attachAction = new QAction(this);
    attachAction->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    attachAction->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(attachAction);
    connect(attachAction, &QAction::triggered, this, &ProcessPicker::attachSelected);
    updateButtons();
    m_scanner->start();
}

std::optional<ProcessInfo> ProcessPicker::selectedProcess() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    return rows.first().data(ProcessListModel::ProcessRole).value<ProcessInfo>();
}

void ProcessPicker::selectPid(qint64 pid)
{
    const int row = m_model->rowOf(pid);
    if (row < 0) {
        m_pendingSelection = pid;
        return;
    }
    m_pendingSelection = 0;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) { // filtered out
        m_filter->clear();
    }
    m_view->selectRow(m_proxy->mapFromSource(m_model->index(row, 0)).row());
    m_view->scrollTo(m_proxy->mapFromSource(m_model->index(row, 0)));
}

void ProcessPicker::setShowAll(bool showAll)
{
    m_showAll->setChecked(showAll);
}

bool ProcessPicker::showAll() const
{
    return m_showAll->isChecked();
}

void ProcessPicker::updateButtons()
{
    m_attach->setEnabled(selectedProcess().has_value());
}

void ProcessPicker::attachSelected()
{
    const std::optional<ProcessInfo> process = selectedProcess();
    if (!process) {
        Q_EMIT message(QStringLiteral("Select a process to attach to"), true);
        return;
    }
    Q_EMIT attachRequested(*process);
}

bool ProcessPicker::parseAddress(const QString& text, QString* host, quint16* port, QString* error)
{
    const QString trimmed = text.trimmed();
    QString hostPart = QStringLiteral("127.0.0.1");
    QString portPart = trimmed;
    if (trimmed.startsWith(QLatin1Char('['))) { // [::1]:9229
        const qsizetype close = trimmed.indexOf(QLatin1String("]:"));
        if (close < 0) {
            *error = QStringLiteral("write an IPv6 address as [::1]:9229");
            return false;
        }
        hostPart = trimmed.mid(1, close - 1);
        portPart = trimmed.mid(close + 2);
    } else if (trimmed.contains(QLatin1Char(':'))) {
        hostPart = trimmed.section(QLatin1Char(':'), 0, -2);
        portPart = trimmed.section(QLatin1Char(':'), -1);
    }
    bool ok = false;
    const uint value = portPart.toUInt(&ok);
    if (!ok || value == 0 || value > 65535) {
        *error = QStringLiteral("\"%1\" is not host:port (for example 127.0.0.1:9229)").arg(trimmed);
        return false;
    }
    if (hostPart.isEmpty()) {
        *error = QStringLiteral("the host is empty");
        return false;
    }
    *host = hostPart;
    *port = quint16(value);
    return true;
}

void ProcessPicker::connectToAddress()
{
    bool ok = false;
    const QString text = QInputDialog::getText(this, QStringLiteral("Connect to an inspector"),
        QStringLiteral("Inspector address (host:port) of a Node process started with --inspect.\n"
                       "Only heap figures are available this way: rss and CPU need a local process."),
        QLineEdit::Normal, QStringLiteral("127.0.0.1:9229"), &ok);
    if (!ok)
        return;
    QString host;
    quint16 port = 0;
    QString error;
    if (!parseAddress(text, &host, &port, &error)) {
        Q_EMIT message(QStringLiteral("Cannot connect: %1").arg(error), true);
        return;
    }
    Q_EMIT connectRequested(host, port);
}

} // namespace NodeScope

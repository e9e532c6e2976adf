#include "panels/stopwatchpanel.h"

#include "models/runningtimersmodel.h"
#include "models/timerspansmodel.h"
#include "models/timerstatsmodel.h"
#include "settings.h"
#include "watch/livesession.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace NodeScope {

namespace {
QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    return view;
}
} // namespace

StopwatchPanel::StopwatchPanel(LiveSession* session, Settings* settings, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_stats(new TimerStatsModel(this))
    , m_spans(new TimerSpansModel(this))
    , m_running(new RunningTimersModel(session->stopwatch(), this))
    , m_tick(new QTimer(this))
{
    m_label = new QLineEdit(this);
    m_label->setPlaceholderText(QStringLiteral("Label, e.g. load test"));
    m_label->setClearButtonEnabled(true);
    m_startButton = new QPushButton(QStringLiteral("Start"), this);
    m_startButton->setToolTip(
        QStringLiteral("Start a timer with this label (Enter); Ctrl+T starts or stops the last one"));
    m_lapButton = new QPushButton(QStringLiteral("Lap"), this);
    m_lapButton->setToolTip(
        QStringLiteral("Record a split of the selected running timer without stopping it"));
    m_stopButton = new QPushButton(QStringLiteral("Stop"), this);
    m_stopButton->setToolTip(QStringLiteral("Stop the selected running timer and record its span"));

    m_runningView = makeTable(m_running, this);
    m_runningView->setMinimumHeight(60);
    m_statsView = makeTable(m_stats, this);
    m_statsView->setColumnWidth(TimerStatsModel::Shown, 28);
    m_statsView->setColumnWidth(TimerStatsModel::Source, 60);
    m_statsView->setColumnWidth(TimerStatsModel::Label, 120);
    for (int column = TimerStatsModel::Count; column < TimerStatsModel::ColumnCount; ++column)
        m_statsView->setColumnWidth(column, 64);
    m_historyView = makeTable(m_spans, this);
    m_historyView->setColumnWidth(TimerSpansModel::Source, 60);
    m_historyView->setColumnWidth(TimerSpansModel::Label, 140);

    m_capture = new QCheckBox(QStringLiteral("Capture the process's console.time timers"), this);
    m_capture->setChecked(settings->consoleCapture());
    m_capture->setToolTip(captureCostText());
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);

    auto* tabs = new QTabWidget(this);
    tabs->addTab(m_statsView, QStringLiteral("By label"));
    tabs->addTab(m_historyView, QStringLiteral("History"));

    // Wide rather than tall: the stopwatch on the left, the per-label
    // statistics (ten columns) and the history across the rest.
    auto* controls = new QHBoxLayout;
    m_label->setMinimumWidth(140);
    controls->addWidget(m_label, 1);
    controls->addWidget(m_startButton);
    controls->addWidget(m_lapButton);
    controls->addWidget(m_stopButton);
    auto* left = new QVBoxLayout;
    left->addLayout(controls);
    left->addWidget(m_runningView, 1);
    left->addWidget(m_capture);
    left->addWidget(m_note);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(left, 2);
    layout->addWidget(tabs, 5);

    connect(m_label, &QLineEdit::returnPressed, this, [this] { startTimer(m_label->text()); });
    connect(m_startButton, &QPushButton::clicked, this, [this] { startTimer(m_label->text()); });
    connect(m_lapButton, &QPushButton::clicked, this, [this] { lapTimer(selectedRunningLabel()); });
    connect(m_stopButton, &QPushButton::clicked, this, [this] { stopTimer(selectedRunningLabel()); });
    connect(m_capture, &QCheckBox::toggled, settings, &Settings::setConsoleCapture);
    connect(settings, &Settings::consoleCaptureChanged, m_capture, [this](bool capture) {
        const QSignalBlocker blocker(m_capture);
        m_capture->setChecked(capture);
    });
    connect(m_stats, &TimerStatsModel::hiddenLabelsChanged, this, &StopwatchPanel::hiddenLabelsChanged);
    connect(session->stopwatch(), &Stopwatch::runningChanged, this, [this] {
        m_running->sync();
        if (m_runningView->selectionModel() && !m_runningView->selectionModel()->hasSelection()
            && m_running->rowCount() > 0)
            m_runningView->selectRow(m_running->rowCount() - 1);
        updateEnabled();
    });
    connect(m_runningView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &StopwatchPanel::updateEnabled);
    connect(session, &LiveSession::reset, this, &StopwatchPanel::resetViews);
    connect(session, &LiveSession::stateChanged, this, &StopwatchPanel::updateEnabled);
    // Display refresh only: the truth is the Stopwatch's QElapsedTimer.
    m_tick->setInterval(100);
    connect(m_tick, &QTimer::timeout, m_running, &RunningTimersModel::sync);
    m_tick->start();
    updateEnabled();
}

QString StopwatchPanel::captureCostText()
{
    return QStringLiteral(
        "Reads console.timeEnd / console.timeLog without changing the app, through an inspector session\n"
        "inside the process. While it is on, Node routes every console call of the process through that\n"
        "session: an app that logs or times every request loses two thirds to three quarters of its\n"
        "throughput (see docs/performance.md). Off by default; the session closes when you turn it off.");
}

QString StopwatchPanel::selectedRunningLabel() const
{
    const QModelIndexList rows = m_runningView->selectionModel()->selectedRows();
    if (!rows.isEmpty())
        return m_running->label(rows.first().row());
    if (m_running->rowCount() > 0)
        return m_running->label(m_running->rowCount() - 1);
    return {};
}

void StopwatchPanel::updateEnabled()
{
    const bool live = m_session->isLive();
    m_startButton->setEnabled(live);
    m_label->setEnabled(live);
    const bool anyRunning = m_running->rowCount() > 0;
    m_lapButton->setEnabled(live && anyRunning);
    m_stopButton->setEnabled(anyRunning);
    if (!live)
        m_note->setText(QStringLiteral(
            "Timers start while a process is watched, so their spans line up with its samples."));
    else if (m_session->target().nodeVersion.isEmpty())
        m_note->setText(QStringLiteral("No inspector: the process's own console timers are not captured."));
    else
        m_note->setText(QString());
}

bool StopwatchPanel::startTimer(const QString& label)
{
    if (!m_session->isLive()) {
        Q_EMIT message(
            QStringLiteral("Watch a process first: timers are recorded against its samples"), true);
        return false;
    }
    QString error;
    if (!m_session->stopwatch()->start(label, &error)) {
        Q_EMIT message(error, true);
        return false;
    }
    m_label->clear();
    Q_EMIT message(QStringLiteral("Timer '%1' started").arg(Stopwatch::normalizedLabel(label)), false);
    return true;
}

bool StopwatchPanel::stopTimer(const QString& label)
{
    QString error;
    if (label.isEmpty() || !m_session->stopwatch()->stop(label, &error)) {
        Q_EMIT message(label.isEmpty() ? QStringLiteral("No timer is running") : error, true);
        return false;
    }
    return true;
}

bool StopwatchPanel::lapTimer(const QString& label)
{
    QString error;
    if (label.isEmpty() || !m_session->stopwatch()->lap(label, &error)) {
        Q_EMIT message(label.isEmpty() ? QStringLiteral("No timer is running") : error, true);
        return false;
    }
    return true;
}

bool StopwatchPanel::toggleLastTimer()
{
    const QString last = m_session->stopwatch()->lastLabel();
    if (last.isEmpty())
        return startTimer(m_label->text());
    if (!m_session->stopwatch()->isRunning(last) && !m_session->isLive()) {
        Q_EMIT message(
            QStringLiteral("Watch a process first: timers are recorded against its samples"), true);
        return false;
    }
    QString error;
    if (!m_session->stopwatch()->toggleLast(&error)) {
        Q_EMIT message(error, true);
        return false;
    }
    Q_EMIT message(m_session->stopwatch()->isRunning(last) ? QStringLiteral("Timer '%1' started").arg(last)
                                                           : QStringLiteral("Timer '%1' stopped").arg(last),
        false);
    return true;
}

void StopwatchPanel::resetViews()
{
    m_stats->clear();
    m_spans->clear();
    m_spansShown = 0;
    refresh();
}

void StopwatchPanel::refresh()
{
    m_stats->refresh(m_session->timerStatistics());
    const QList<TimerSpan>& all = m_session->store().session().timerSpans();
    if (all.size() > m_spansShown) {
        const bool atBottom
            = m_historyView->verticalScrollBar()->value() == m_historyView->verticalScrollBar()->maximum();
        m_spans->append(all.mid(m_spansShown));
        m_spansShown = all.size();
        if (atBottom)
            m_historyView->scrollToBottom();
    }
    updateEnabled();
}

} // namespace NodeScope

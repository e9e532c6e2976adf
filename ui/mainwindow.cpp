#include "mainwindow.h"

#include "charts/stallshading.h"
#include "charts/timeserieschart.h"
#include "charts/timewindow.h"
#include "charts/workerschart.h"
#include "format.h"
#include "models/livefiguresmodel.h"
#include "models/processlistmodel.h"
#include "panels/cpuprofiledialog.h"
#include "panels/heapsnapshotconfirmation.h"
#include "panels/heapspacesdialog.h"
#include "panels/leakbanner.h"
#include "panels/leakindicator.h"
#include "panels/leaknotifier.h"
#include "panels/leaksettingsdialog.h"
#include "panels/leaksuspectspanel.h"
#include "panels/processpicker.h"
#include "panels/stackdialog.h"
#include "panels/stallspanel.h"
#include "panels/stopwatchpanel.h"
#include "proc/processscanner.h"
#include "proc/processtable.h"
#include "session/metrics.h"
#include "session/sessionfiles.h"
#include "session/workerscsv.h"
#include "settings.h"
#include "watch/livesession.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace NodeScope {

namespace {

Q_LOGGING_CATEGORY(lcStatus, "nodescope.status")

// Repaints are batched: at most ~30 a second, no more often than samples
// arrive (timer spans alone, dozens a second in a busy app, wait for the next
// frame), and no more often than the newest data moves a pixel: a 5-minute
// window on a 1000-pixel chart moves a pixel every 300 ms, so redrawing it
// at 10 Hz would redraw the same picture. At least once a second.
constexpr qint64 kFastestFrameMs = 33;
constexpr qint64 kSlowestFrameMs = 1000;
// How often the heap-limit bar and the sample count change while samples stream in.
constexpr qint64 kStatusFiguresMs = 1000;
// How often "event loop blocked for 4.2 s" counts on while the loop is blocked.
constexpr int kLoopBlockedTickMs = 100;
// The resources chart's readout names this many types, the most numerous first.
constexpr int kMostResourceTypesListed = 8;

QString windowLengthName(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("Whole session");
    if (ms < 3600 * 1000)
        return QStringLiteral("%1 min").arg(ms / 60000);
    return QStringLiteral("%1 h").arg(ms / 3600000);
}

QString intervalName(int ms)
{
    return ms < 1000 ? QStringLiteral("%1 ms").arg(ms) : QStringLiteral("%1 s").arg(ms / 1000);
}

QString stateText(LiveSession::State state)
{
    switch (state) {
    case LiveSession::State::Empty:
        return QStringLiteral("no session");
    case LiveSession::State::Attaching:
        return QStringLiteral("attaching…");
    case LiveSession::State::Watching:
        return QStringLiteral("● live");
    case LiveSession::State::Paused:
        return QStringLiteral("❚❚ paused");
    case LiveSession::State::Ended:
        return QStringLiteral("■ ended");
    case LiveSession::State::Review:
        return QStringLiteral("review");
    }
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_settings(new Settings(this))
    , m_session(new LiveSession(this))
    , m_window(new TimeWindow(this))
    , m_frameTimer(new QTimer(this))
    , m_leakNotifier(new LeakNotifier(this))
{
    setWindowTitle(QStringLiteral("NodeScope"));
    setWindowIcon(QIcon(QStringLiteral(":/nodescope/nodescope.png")));
    m_figures = new LiveFiguresModel(m_session, this);
    m_frameTimer->setSingleShot(true);
    m_sinceFrame.start();
    connect(m_frameTimer, &QTimer::timeout, this, &MainWindow::updateViews);

    m_stack = new QStackedWidget(this);
    auto* empty = new QLabel(this);
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setForegroundRole(QPalette::PlaceholderText);
    empty->setText(QStringLiteral(
        "<h2>Watch a Node.js process</h2>"
        "<p>Pick one in the <b>Processes</b> list and press <b>Attach</b> (or double-click it).<br>"
        "No code change: NodeScope opens its inspector if needed and closes it again when you detach.</p>"
        "<p>Or <b>File ▸ Open CSV…</b> to review a recording.</p>"));
    m_stack->addWidget(empty);
    m_stack->addWidget(createDashboard());
    setCentralWidget(m_stack);

    createDocks();
    createActions();

    m_samplesLabel = new QLabel(this);
    m_followLabel = new QLabel(this);
    m_followLabel->setObjectName(QStringLiteral("followLabel"));
    m_loopBlockedLabel = new QLabel(this);
    m_loopBlockedLabel->setObjectName(QStringLiteral("loopBlocked"));
    QFont blockedFont = m_loopBlockedLabel->font();
    blockedFont.setBold(true);
    m_loopBlockedLabel->setFont(blockedFont);
    QPalette blockedPalette = m_loopBlockedLabel->palette();
    blockedPalette.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
    m_loopBlockedLabel->setPalette(blockedPalette);
    m_loopBlockedLabel->setToolTip(
        QStringLiteral("The process runs synchronous code: no timer, I/O callback or request is served"));
    m_loopBlockedLabel->hide();
    statusBar()->addPermanentWidget(m_loopBlockedLabel);
    statusBar()->addPermanentWidget(m_followLabel);
    statusBar()->addPermanentWidget(m_samplesLabel);
    m_loopBlockedTimer = new QTimer(this);
    m_loopBlockedTimer->setInterval(kLoopBlockedTickMs);
    connect(m_loopBlockedTimer, &QTimer::timeout, this, &MainWindow::updateLoopBlocked);
    connect(m_session, &LiveSession::loopBlockedChanged, this, &MainWindow::setLoopBlocked);

    connect(m_session, &LiveSession::samplesAppended, this, &MainWindow::scheduleFrame);
    connect(m_session, &LiveSession::timerSpanAdded, this, &MainWindow::scheduleFrame);
    connect(m_session, &LiveSession::workersUpdated, this, &MainWindow::scheduleFrame);
    connect(m_session, &LiveSession::message, this, &MainWindow::showMessage);
    connect(m_session, &LiveSession::stateChanged, this, [this] {
        if (!m_session->isLive())
            setLoopBlocked(false, 0); // nothing is watched any more
        updateActions();
        updateHeader();
        scheduleFrame();
    });
    connect(m_session, &LiveSession::targetChanged, this, [this] {
        updateActions(); // the stack and profile need the Node version's arrival
        updateHeader();
        m_figures->refresh();
    });
    connect(m_session, &LiveSession::reset, this, [this] {
        setLoopBlocked(false, 0);
        m_window->setSessionBounds(0, 0);
        m_stack->setCurrentIndex(1);
        m_window->reset();
        scheduleFrame();
    });
    connect(m_window, &TimeWindow::changed, this, &MainWindow::scheduleFrame);
    connect(m_session, &LiveSession::leakVerdictChanged, this, &MainWindow::updateLeak);
    connect(m_session, &LiveSession::reset, this, [this] {
        m_leakNotifier->reset();
        updateLeak();
    });
    connect(m_picker, &ProcessPicker::attachRequested, this, &MainWindow::attachToProcess);
    connect(m_picker, &ProcessPicker::connectRequested, this, &MainWindow::connectToAddress);
    connect(m_picker, &ProcessPicker::message, this, &MainWindow::showMessage);
    connect(m_stopwatchPanel, &StopwatchPanel::message, this, &MainWindow::showMessage);
    connect(
        m_stopwatchPanel, &StopwatchPanel::hiddenLabelsChanged, this, [this](const QSet<QString>& labels) {
            for (TimeSeriesChart* chart : std::as_const(m_charts))
                chart->setHiddenTimerLabels(labels);
        });
    for (TimeSeriesChart* chart : std::as_const(m_charts)) {
        connect(chart, &TimeSeriesChart::hovered, this, [this](std::optional<qint64> wallMs) {
            for (TimeSeriesChart* each : std::as_const(m_charts))
                each->setCrosshair(wallMs);
        });
        connect(chart, &TimeSeriesChart::resized, this, &MainWindow::scheduleFrame);
        connect(chart, &TimeSeriesChart::seriesVisibilityChanged, m_settings,
            [this](Metric metric, bool visible) { m_settings->setSeriesHidden(metric, !visible); });
    }

    applySettings();
    updateActions();
    updateHeader();
    updateViews();
    showMessage(QStringLiteral("Ready: pick a Node.js process to watch"));
}

MainWindow::~MainWindow()
{
    // The session is a child: it is destroyed after this window's members,
    // and its shutdown then still emits stateChanged. Nothing here may hear it.
    disconnect(m_session, nullptr, this, nullptr);
}

QWidget* MainWindow::createDashboard()
{
    auto* page = new QWidget(this);
    m_title = new QLabel(page);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long command line must not widen the window: it is clipped, and whole in the tooltip.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setMinimumWidth(120);
    m_stateBadge = new QLabel(page);
    m_heapBar = new QProgressBar(page);
    m_heapBar->setRange(0, 1000);
    m_heapBar->setTextVisible(true);
    m_heapBar->setToolTip(QStringLiteral("heapUsed as a share of V8's heap limit (heap_size_limit)"));

    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_stateBadge);
    header->addSpacing(12);
    m_leakIndicator = new LeakIndicator(page);
    header->addWidget(m_leakIndicator);

    m_chartsArea = new QWidget(page);
    const auto addChart = [this](ChartGroup group) {
        auto* chart = new TimeSeriesChart(group, &m_session->store(), m_window, m_chartsArea);
        m_charts.append(chart);
        return chart;
    };
    m_memoryChart = addChart(ChartGroup::Memory);
    m_cpuChart = addChart(ChartGroup::Cpu);
    m_eventLoopChart = addChart(ChartGroup::EventLoop);
    m_resourcesChart = addChart(ChartGroup::Resources);
    // Four charts share the height: none insists on more than its plot needs.
    m_memoryChart->setMinimumHeight(140);
    m_cpuChart->setMinimumHeight(130);
    m_memoryChart->setMajorCollectionsShown(true);
    m_memoryChart->setExtraReadoutMetrics({Metric::GcCount, Metric::GcPause});
    // The runtime charts are secondary: they give up height first. The last
    // one carries the time axis' labels for all, which Qt Charts cuts to
    // "..." when the chart is too short for them: it keeps 20 px more.
    m_eventLoopChart->setMinimumHeight(130);
    m_resourcesChart->setMinimumHeight(130);
    // The workers' heaps under the memory chart, shown once a worker is seen.
    m_workersChart = new WorkersChart(&m_session->workers(), m_window, m_chartsArea);
    m_workersChart->setMinimumHeight(130);
    m_workersChart->hide();
    auto* splitter = new QSplitter(Qt::Vertical, m_chartsArea);
    const QList<int> stretch{5, 4, 4, 3}; // memory, CPU, event loop, resources
    for (qsizetype i = 0; i < m_charts.size(); ++i) {
        splitter->addWidget(m_charts[i]);
        m_charts[i]->setTimeLabelsVisible(i + 1 == m_charts.size());
        if (i == 0)
            splitter->addWidget(m_workersChart);
    }
    for (int i = 0; i < splitter->count(); ++i) {
        auto* chart = qobject_cast<TimeSeriesChart*>(splitter->widget(i));
        splitter->setStretchFactor(i, chart ? stretch[m_charts.indexOf(chart)] : 3);
    }
    splitter->setChildrenCollapsible(false);
    auto* chartsLayout = new QVBoxLayout(m_chartsArea);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addLayout(header);
    m_leakBanner = new LeakBanner(m_chartsArea);
    connect(
        m_leakBanner, &LeakBanner::forceCollectionRequested, m_session, &LiveSession::forceGarbageCollection);
    chartsLayout->addWidget(m_leakBanner);
    chartsLayout->addWidget(splitter, 1);

    m_scrollBar = new QScrollBar(Qt::Horizontal, page);
    m_scrollBar->setToolTip(QStringLiteral("Scroll back through the session; the right end follows live"));
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int seconds) {
        if (m_updatingScrollBar)
            return;
        m_window->panTo(m_window->sessionStart() + qint64(seconds) * 1000);
    });

    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_chartsArea, 1);
    layout->addWidget(m_scrollBar);
    return page;
}

void MainWindow::createDocks()
{
    m_picker = new ProcessPicker(this);
    m_picker->setMinimumWidth(280);
    auto* pickerDock = new QDockWidget(QStringLiteral("Processes"), this);
    m_pickerDock = pickerDock;
    pickerDock->setObjectName(QStringLiteral("processes"));
    pickerDock->setWidget(m_picker);
    addDockWidget(Qt::LeftDockWidgetArea, pickerDock);
    m_pickerAction = pickerDock->toggleViewAction();
    // Scanning /proc is for the list: none while it is hidden.
    // (Bound to the scanner, not to this window: docks hide while the window
    // is being destroyed.)
    ProcessScanner* scanner = m_picker->scanner();
    connect(pickerDock, &QDockWidget::visibilityChanged, scanner, [scanner](bool visible) {
        if (visible)
            scanner->start();
        else
            scanner->stop();
    });
    m_pickerAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+P")));

    m_figuresView = new QTableView(this);
    m_figuresView->setModel(m_figures);
    m_figuresView->verticalHeader()->hide();
    m_figuresView->horizontalHeader()->setStretchLastSection(true);
    m_figuresView->setSelectionMode(QAbstractItemView::NoSelection);
    m_figuresView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_figuresView->setFocusPolicy(Qt::NoFocus);
    // Tall enough for every row without a scroll bar, worker threads' rows
    // included as they come.
    m_figuresView->verticalHeader()->setDefaultSectionSize(m_figuresView->fontMetrics().height() + 8);
    const auto fitRows = [this] {
        m_figuresView->setMinimumHeight(m_figuresView->horizontalHeader()->sizeHint().height()
            + m_figures->rowCount() * m_figuresView->verticalHeader()->defaultSectionSize() + 4);
    };
    fitRows();
    connect(m_figures, &QAbstractItemModel::rowsInserted, this, fitRows);
    connect(m_figures, &QAbstractItemModel::rowsRemoved, this, fitRows);
    m_figuresView->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_figuresView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Widths fixed from the widest text a column can hold (again only when
    // a worker thread's row comes): sized to contents, the header would lay
    // out every cell's text again on each refresh (a tenth of the
    // dashboard's CPU while watching).
    const auto fitColumns = [this] {
        const QFontMetrics metrics = m_figuresView->fontMetrics();
        int nameWidth = metrics.horizontalAdvance(
            m_figures->headerData(LiveFiguresModel::Name, Qt::Horizontal).toString());
        for (int row = 0; row < m_figures->rowCount(); ++row)
            nameWidth = qMax(nameWidth,
                metrics.horizontalAdvance(m_figures->index(row, LiveFiguresModel::Name).data().toString()));
        const int valueWidth = metrics.horizontalAdvance(QStringLiteral("99999.9 ms")) + 16;
        QHeaderView* columns = m_figuresView->horizontalHeader();
        columns->setSectionResizeMode(QHeaderView::Interactive);
        columns->resizeSection(LiveFiguresModel::Name, nameWidth + 16);
        for (int column = LiveFiguresModel::Current; column < LiveFiguresModel::ColumnCount; ++column)
            columns->resizeSection(column, valueWidth);
        // Room for every column without a scroll bar.
        m_figuresView->setMinimumWidth(nameWidth + 16 + 4 * valueWidth + 4);
    };
    fitColumns();
    connect(m_figures, &QAbstractItemModel::rowsInserted, this, fitColumns);
    // Heap used against V8's limit sits with the figures: how close to an
    // out-of-memory crash the process is, at a glance.
    auto* figures = new QWidget(this);
    auto* figuresLayout = new QVBoxLayout(figures);
    figuresLayout->setContentsMargins(4, 4, 4, 4);
    figuresLayout->addWidget(m_figuresView);
    figuresLayout->addWidget(new QLabel(QStringLiteral("Heap used of V8's limit:"), figures));
    m_heapBar->setParent(figures);
    figuresLayout->addWidget(m_heapBar);
    figuresLayout->addStretch(1);
    auto* figuresDock = new QDockWidget(QStringLiteral("Live figures"), this);
    m_figuresDock = figuresDock;
    figuresDock->setObjectName(QStringLiteral("figures"));
    figuresDock->setWidget(figures);
    addDockWidget(Qt::RightDockWidgetArea, figuresDock);

    m_stopwatchPanel = new StopwatchPanel(m_session, m_settings, this);
    auto* timersDock = new QDockWidget(QStringLiteral("Timers"), this);
    m_timersDock = timersDock;
    timersDock->setObjectName(QStringLiteral("timers"));
    timersDock->setWidget(m_stopwatchPanel);
    addDockWidget(Qt::BottomDockWidgetArea, timersDock);
    m_stallsPanel = new StallsPanel(m_session, m_window, this);
    auto* stallsDock = new QDockWidget(QStringLiteral("Stalls"), this);
    m_stallsDock = stallsDock;
    stallsDock->setObjectName(QStringLiteral("stalls"));
    stallsDock->setWidget(m_stallsPanel);
    stallsDock->setToolTip(QStringLiteral("Spans the event loop did not turn; click one to zoom to it"));
    addDockWidget(Qt::RightDockWidgetArea, stallsDock);

    m_suspectsPanel = new LeakSuspectsPanel(this);
    m_suspectsDock = new QDockWidget(QStringLiteral("Leak suspects"), this);
    m_suspectsDock->setObjectName(QStringLiteral("suspects"));
    m_suspectsDock->setWidget(m_suspectsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_suspectsDock);
    tabifyDockWidget(timersDock, m_suspectsDock);
    m_suspectsDock->hide(); // until the heap floor grows, or asked for
    connect(m_suspectsPanel, &LeakSuspectsPanel::findRequested, m_session, &LiveSession::findLeakSuspects);
    connect(m_suspectsPanel, &LeakSuspectsPanel::snapshotRequested, this,
        &MainWindow::takeHeapSnapshotInteractive);
    connect(m_session, &LiveSession::suspectsChanged, this, &MainWindow::updateSuspects);
    // The process list runs the full height on the left; the timers run
    // under the charts and the (short) figures table to the right edge.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
    auto* open = file->addAction(QStringLiteral("&Open CSV…"), this, &MainWindow::openCsvInteractive);
    open->setShortcut(QKeySequence::Open);
    m_exportAction = file->addAction(QStringLiteral("&Export CSV…"), this, &MainWindow::exportCsvInteractive);
    m_exportAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    m_pngAction
        = file->addAction(QStringLiteral("Save chart as &PNG…"), this, &MainWindow::saveChartPngInteractive);
    m_pngAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    file->addSeparator();
    auto* quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* sessionMenu = menuBar()->addMenu(QStringLiteral("&Session"));
    sessionMenu->addAction(m_pickerAction);
    m_pauseAction = sessionMenu->addAction(QStringLiteral("&Pause recording"));
    m_pauseAction->setCheckable(true);
    m_pauseAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Space")));
    connect(m_pauseAction, &QAction::toggled, m_session, &LiveSession::setPaused);
    m_detachAction = sessionMenu->addAction(QStringLiteral("&Detach"), m_session, &LiveSession::detach);
    m_detachAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+D")));
    m_detachAction->setToolTip(
        QStringLiteral("Stop sampling and close the inspector NodeScope opened; the data stays"));
    m_newSessionAction = sessionMenu->addAction(QStringLiteral("&New session"), this, [this] {
        if (!confirmDiscard(QStringLiteral("start a new session")))
            return;
        const TargetInfo target = m_session->target();
        const bool wasLive = m_session->isLive();
        if (wasLive && target.pid > 0) {
            attachToPid(target.pid); // same process, fresh data
        } else {
            m_session->clear();
            m_stack->setCurrentIndex(0);
        }
    });
    m_newSessionAction->setShortcut(QKeySequence::New);
    m_captureAction = sessionMenu->addAction(QStringLiteral("Capture console &timers"));
    m_captureAction->setCheckable(true);
    m_captureAction->setChecked(m_settings->consoleCapture());
    m_captureAction->setToolTip(StopwatchPanel::captureCostText());
    connect(m_captureAction, &QAction::toggled, m_settings, &Settings::setConsoleCapture);
    m_workersAction = sessionMenu->addAction(QStringLiteral("Watch &worker threads"));
    m_workersAction->setCheckable(true);
    m_workersAction->setChecked(m_settings->workerWatching());
    m_workersAction->setToolTip(WorkersChart::costText());
    connect(m_workersAction, &QAction::toggled, m_settings, &Settings::setWorkerWatching);
    m_throughInspectorAction = sessionMenu->addAction(QStringLiteral("Sample through the &inspector"));
    m_throughInspectorAction->setCheckable(true);
    m_throughInspectorAction->setChecked(m_settings->sampleThroughInspector());
    m_throughInspectorAction->setToolTip(QStringLiteral(
        "Keep the process's inspector open and sample through it, instead of through NodeScope's probe:\n"
        "heap figures keep coming while its event loop is blocked, but an open inspector makes Node\n"
        "route every console call through it, which costs an app that logs a lot dearly.\n"
        "Applies from the next attach."));
    connect(m_throughInspectorAction, &QAction::toggled, m_settings, &Settings::setSampleThroughInspector);
    sessionMenu->addSeparator();
    m_forceGcAction = sessionMenu->addAction(
        QStringLiteral("&Force garbage collection"), m_session, &LiveSession::forceGarbageCollection);
    m_forceGcAction->setToolTip(
        QStringLiteral("HeapProfiler.collectGarbage: confirms the heap floor; pauses the process"));
    m_forceGcAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+G")));
    m_stackAction = sessionMenu->addAction(QStringLiteral("Show &stack"), this, &MainWindow::showStack);
    m_stackAction->setObjectName(QStringLiteral("showStack"));
    m_stackAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+K")));
    m_stackAction->setToolTip(QStringLiteral(
        "What is it doing? The main thread's JavaScript stack now, even during a stall.\n"
        "Pauses the process for about a millisecond; the inspector opened for it is closed again."));
    m_cpuProfileAction = sessionMenu->addAction(
        QStringLiteral("Record &CPU profile…"), this, &MainWindow::showCpuProfileDialog);
    m_cpuProfileAction->setObjectName(QStringLiteral("recordCpuProfile"));
    m_cpuProfileAction->setToolTip(QStringLiteral(
        "Which functions take the CPU time: a V8 CPU profile of some seconds, saved as .cpuprofile.\n"
        "Costs the process a few percent of one core while it runs."));
    m_heapSpacesAction
        = sessionMenu->addAction(QStringLiteral("&Heap spaces…"), this, &MainWindow::showHeapSpaces);
    m_heapSpacesAction->setToolTip(
        QStringLiteral("V8's heap spaces of the process: size, used, available, committed"));
    QAction* suspectsAction = m_suspectsDock->toggleViewAction();
    suspectsAction->setText(QStringLiteral("Leak s&uspects"));
    suspectsAction->setToolTip(LeakSuspects::costNote());
    sessionMenu->addAction(suspectsAction);
    m_snapshotAction = sessionMenu->addAction(
        QStringLiteral("Take heap sna&pshot…"), this, &MainWindow::takeHeapSnapshotInteractive);
    m_snapshotAction->setToolTip(QStringLiteral("Writes a .heapsnapshot for DevTools or memlab; freezes the "
                                                "process while it is built (the cost is estimated first)"));
    sessionMenu->addAction(QStringLiteral("&Leak detection settings…"), this, [this] {
        LeakSettingsDialog dialog(m_settings->leakSettings(), this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        m_settings->setLeakSettings(dialog.settings());
    });
    sessionMenu->addSeparator();
    auto* toggleTimer = sessionMenu->addAction(
        QStringLiteral("Start/stop the last &timer"), m_stopwatchPanel, &StopwatchPanel::toggleLastTimer);
    toggleTimer->setShortcut(QKeySequence(QStringLiteral("Ctrl+T")));

    QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
    m_followAction = view->addAction(QStringLiteral("&Follow live"));
    m_followAction->setCheckable(true);
    m_followAction->setChecked(true);
    m_followAction->setShortcut(QKeySequence(QStringLiteral("F")));
    connect(m_followAction, &QAction::toggled, m_window, &TimeWindow::setFollowing);
    m_resetZoomAction = view->addAction(QStringLiteral("&Reset zoom"), m_window, &TimeWindow::reset);
    m_resetZoomAction->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence(QStringLiteral("Ctrl+0"))});
    view->addSeparator();
    m_windowActions = new QActionGroup(this);
    int key = 1;
    for (qint64 length : Settings::windowChoices()) {
        QAction* action = view->addAction(windowLengthName(length));
        action->setCheckable(true);
        action->setData(length);
        action->setShortcut(QKeySequence(QStringLiteral("Alt+%1").arg(key++)));
        m_windowActions->addAction(action);
        connect(action, &QAction::triggered, this, [this, length] { setWindowLength(length); });
    }

    QToolBar* bar = addToolBar(QStringLiteral("Session"));
    bar->setObjectName(QStringLiteral("toolbar"));
    bar->setMovable(false);
    bar->addAction(m_pickerAction);
    bar->addAction(m_pauseAction);
    bar->addAction(m_detachAction);
    bar->addAction(m_newSessionAction);
    bar->addSeparator();
    bar->addAction(m_stackAction);
    bar->addAction(m_cpuProfileAction);
    bar->addSeparator();
    bar->addWidget(new QLabel(QStringLiteral(" Every "), bar));
    m_intervalCombo = new QComboBox(bar);
    m_intervalCombo->setObjectName(QStringLiteral("intervalCombo"));
    for (int ms : Settings::intervalChoices())
        m_intervalCombo->addItem(intervalName(ms), ms);
    m_intervalCombo->setToolTip(QStringLiteral("Sampling interval"));
    connect(m_intervalCombo, &QComboBox::activated, this,
        [this](int index) { setIntervalMs(m_intervalCombo->itemData(index).toInt()); });
    bar->addWidget(m_intervalCombo);
    bar->addWidget(new QLabel(QStringLiteral("  Show "), bar));
    m_windowCombo = new QComboBox(bar);
    m_windowCombo->setObjectName(QStringLiteral("windowCombo"));
    for (qint64 length : Settings::windowChoices())
        m_windowCombo->addItem(windowLengthName(length), length);
    m_windowCombo->setToolTip(QStringLiteral("Time window of the charts (Alt+1…Alt+5)"));
    connect(m_windowCombo, &QComboBox::activated, this,
        [this](int index) { setWindowLength(m_windowCombo->itemData(index).toLongLong()); });
    bar->addWidget(m_windowCombo);
    bar->addAction(m_followAction);
    bar->addAction(m_resetZoomAction);
    bar->addSeparator();
    bar->addAction(m_exportAction);
    bar->addAction(m_pngAction);
}

void MainWindow::showStack()
{
    if (!m_stackDialog)
        m_stackDialog = new StackDialog(m_session, this);
    m_stackDialog->setWindowTitle(QStringLiteral("JavaScript stack — %1").arg(m_session->title()));
    m_stackDialog->show();
    m_stackDialog->raise();
    m_stackDialog->takeStack();
}

void MainWindow::showCpuProfileDialog()
{
    if (!m_cpuProfileDialog)
        m_cpuProfileDialog = new CpuProfileDialog(m_session, this);
    m_cpuProfileDialog->setWindowTitle(QStringLiteral("CPU profile — %1").arg(m_session->title()));
    m_cpuProfileDialog->show();
    m_cpuProfileDialog->raise();
}

void MainWindow::setWindowLength(qint64 lengthMs)
{
    m_settings->setWindowMs(lengthMs);
}

void MainWindow::setIntervalMs(int intervalMs)
{
    m_settings->setIntervalMs(intervalMs);
}

void MainWindow::applySettings()
{
    if (!restoreGeometry(m_settings->windowGeometry())) {
        // First run: most of the screen, charts in the middle.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        const QSize size = (available.size() * 0.94).boundedTo(QSize(1920, 1200));
        setGeometry(QStyle::alignedRect(Qt::LeftToRight, Qt::AlignCenter, size, available));
    }
    if (!restoreState(m_settings->windowState())) {
        // Dock sizes only take once the window is laid out.
        QTimer::singleShot(0, this, [this] {
            resizeDocks(
                {m_pickerDock, m_figuresDock}, {int(width() * 0.2), int(width() * 0.26)}, Qt::Horizontal);
            resizeDocks({m_timersDock}, {int(height() * 0.18)}, Qt::Vertical);
        });
    }

    // Each setting has one owner; every control and the session follow it.
    const auto showInterval = [this](int intervalMs) {
        m_session->setIntervalMs(intervalMs);
        const QSignalBlocker blocker(m_intervalCombo);
        m_intervalCombo->setCurrentIndex(qMax(0, m_intervalCombo->findData(intervalMs)));
    };
    showInterval(m_settings->intervalMs());
    connect(m_settings, &Settings::intervalMsChanged, this, [this, showInterval](int intervalMs) {
        showInterval(intervalMs);
        if (m_session->isLive())
            showMessage(QStringLiteral("Sampling every %1").arg(intervalName(intervalMs)));
    });

    const auto showWindow = [this](qint64 windowMs) {
        m_window->setLengthMs(windowMs);
        const QSignalBlocker blocker(m_windowCombo);
        m_windowCombo->setCurrentIndex(qMax(0, m_windowCombo->findData(windowMs)));
        for (QAction* action : m_windowActions->actions())
            action->setChecked(action->data().toLongLong() == windowMs);
    };
    showWindow(m_settings->windowMs());
    connect(m_settings, &Settings::windowMsChanged, this, showWindow);

    m_session->setSampleThroughInspector(m_settings->sampleThroughInspector());
    connect(m_settings, &Settings::sampleThroughInspectorChanged, this, [this](bool through) {
        m_session->setSampleThroughInspector(through);
        const QSignalBlocker blocker(m_throughInspectorAction);
        m_throughInspectorAction->setChecked(through);
        if (m_session->isLive())
            showMessage(through ? QStringLiteral("The next attach samples through the inspector "
                                                 "(Session ▸ New session re-attaches now)")
                                : QStringLiteral("The next attach samples through NodeScope's probe "
                                                 "(Session ▸ New session re-attaches now)"));
    });
    m_session->setWorkerWatching(m_settings->workerWatching());
    connect(m_settings, &Settings::workerWatchingChanged, this, [this](bool on) {
        m_session->setWorkerWatching(on);
        const QSignalBlocker blocker(m_workersAction);
        m_workersAction->setChecked(on);
    });
    m_session->setConsoleCapture(m_settings->consoleCapture());
    connect(m_settings, &Settings::consoleCaptureChanged, this, [this](bool capture) {
        m_session->setConsoleCapture(capture);
        const QSignalBlocker blocker(m_captureAction);
        m_captureAction->setChecked(capture);
    });

    for (TimeSeriesChart* chart : std::as_const(m_charts)) {
        for (Metric metric : chart->metrics())
            chart->setSeriesVisible(metric, !m_settings->isSeriesHidden(metric));
    }
    connect(m_settings, &Settings::seriesHiddenChanged, this, [this](Metric metric, bool hidden) {
        for (TimeSeriesChart* chart : std::as_const(m_charts)) {
            if (chart->metrics().contains(metric) && chart->isSeriesVisible(metric) == hidden)
                chart->setSeriesVisible(metric, !hidden);
        }
    });

    m_picker->setShowAll(m_settings->showAllProcesses());
    connect(m_picker, &ProcessPicker::showAllChanged, m_settings, &Settings::setShowAllProcesses);

    m_session->setLeakSettings(m_settings->leakSettings());
    connect(m_settings, &Settings::leakSettingsChanged, this, [this](const LeakSettings& settings) {
        m_session->setLeakSettings(settings);
        showMessage(QStringLiteral("Leak detection: judged over %1 min, from %2 of growth")
                        .arg(settings.windowSeconds / 60)
                        .arg(Format::bytes(double(settings.minGrowthBytes))));
    });
}

void MainWindow::scheduleFrame()
{
    if (m_frameTimer->isActive())
        return;
    const int plotWidth = qMax(100, m_memoryChart->width() - 80);
    const qint64 msPerPixel = (m_window->to() - m_window->from()) / plotWidth;
    const qint64 spacing
        = qBound(kFastestFrameMs, qMax<qint64>(m_session->intervalMs(), msPerPixel), kSlowestFrameMs);
    m_frameTimer->start(int(qMax<qint64>(0, spacing - m_sinceFrame.elapsed())));
}

void MainWindow::updateViews()
{
    m_frameTimer->stop();
    m_sinceFrame.restart();
    const Session& session = m_session->store().session();
    if (!session.isEmpty())
        m_window->setSessionBounds(session.samples().first().wallMs, session.samples().last().wallMs);
    else if (session.info().startWallMs > 0)
        m_window->setSessionBounds(session.info().startWallMs, session.info().startWallMs);
    updateResourcesReadout();
    for (TimeSeriesChart* chart : std::as_const(m_charts))
        chart->refresh();
    m_workersChart->setVisible(!m_session->workers().isEmpty());
    if (!m_workersChart->isHidden())
        m_workersChart->refresh();
    alignCharts();
    m_figures->refresh();
    m_stopwatchPanel->refresh();
    m_stallsPanel->refresh();
    updateScrollBar();
    // The heap-limit bar and the sample count change at nearly every frame:
    // at 10 Hz they are a blur, and each change repaints the bar (Fusion's
    // gradient) and lays out the labels around it again, ~8 % of the
    // dashboard's CPU. While samples stream in, once a second; else at once.
    const bool streaming = m_session->state() == LiveSession::State::Watching;
    if (!streaming || !m_sinceStatusFigures.isValid() || m_sinceStatusFigures.elapsed() >= kStatusFiguresMs) {
        m_sinceStatusFigures.restart();
        updateHeader();
        m_samplesLabel->setText(QStringLiteral("%1 samples · %2 in memory")
                                    .arg(m_session->store().size())
                                    .arg(Format::bytes(double(m_session->store().memoryBytes()))));
    }
    // A recording under review, or a session that ended, has no "live" to follow: its end.
    if (m_session->isLive())
        m_followLabel->setText(m_window->isFollowing() ? QStringLiteral("following live")
                                                       : QStringLiteral("view paused (Esc: live)"));
    else
        m_followLabel->setText(m_window->isFollowing() ? QStringLiteral("showing the end")
                                                       : QStringLiteral("view moved (Esc: the end)"));
    if (m_followAction->isChecked() != m_window->isFollowing()) {
        const QSignalBlocker blocker(m_followAction);
        m_followAction->setChecked(m_window->isFollowing());
    }
}

void MainWindow::updateScrollBar()
{
    m_updatingScrollBar = true;
    const qint64 span = m_window->to() - m_window->from();
    const qint64 total = m_window->sessionEnd() - m_window->sessionStart();
    const int maximum = int(qMax<qint64>(0, (total - span) / 1000));
    m_scrollBar->setRange(0, maximum);
    m_scrollBar->setPageStep(int(qMax<qint64>(1, span / 1000)));
    m_scrollBar->setValue(
        int(qBound<qint64>(0, (m_window->from() - m_window->sessionStart()) / 1000, qint64(maximum))));
    m_scrollBar->setEnabled(maximum > 0);
    m_updatingScrollBar = false;
}

void MainWindow::updateHeader()
{
    const TargetInfo& target = m_session->target();
    QString title = m_session->title();
    if (!target.nodeVersion.isEmpty())
        title += QStringLiteral(" · Node %1").arg(target.nodeVersion);
    m_title->setText(title);
    m_title->setToolTip(m_session->store().session().info().commandLine);
    m_stateBadge->setText(stateText(m_session->state()));
    setWindowTitle(m_session->title().isEmpty() ? QStringLiteral("NodeScope")
                                                : QStringLiteral("%1 — NodeScope").arg(m_session->title()));
    const double heapUsed = m_session->store().statistics(Metric::HeapUsed).current();
    if (target.heapLimitBytes > 0 && !std::isnan(heapUsed)) {
        const double share = heapUsed / double(target.heapLimitBytes);
        m_heapBar->setEnabled(true);
        m_heapBar->setValue(int(share * 1000));
        m_heapBar->setFormat(QStringLiteral("%1 / %2 (%3)")
                                 .arg(Format::bytes(heapUsed), Format::bytes(double(target.heapLimitBytes)),
                                     Format::percent(share * 100)));
    } else {
        m_heapBar->setEnabled(false);
        m_heapBar->setValue(0);
        m_heapBar->setFormat(QStringLiteral("heap limit unknown"));
    }
}

void MainWindow::updateActions()
{
    const LiveSession::State state = m_session->state();
    const bool live = m_session->isLive();
    const bool hasData = m_session->store().size() > 0 || state == LiveSession::State::Ended
        || state == LiveSession::State::Review;
    m_pauseAction->setEnabled(state == LiveSession::State::Watching || state == LiveSession::State::Paused);
    {
        const QSignalBlocker blocker(m_pauseAction);
        m_pauseAction->setChecked(state == LiveSession::State::Paused);
    }
    m_pauseAction->setText(state == LiveSession::State::Paused ? QStringLiteral("Resume recording")
                                                               : QStringLiteral("Pause recording"));
    m_detachAction->setEnabled(live);
    m_newSessionAction->setEnabled(state != LiveSession::State::Empty);
    m_forceGcAction->setEnabled(live && !m_session->target().nodeVersion.isEmpty());
    m_stackAction->setEnabled(live && !m_session->target().nodeVersion.isEmpty());
    m_cpuProfileAction->setEnabled(live && !m_session->target().nodeVersion.isEmpty());
    m_snapshotAction->setEnabled(m_session->canTakeHeapSnapshot());
    updateSuspects();
    m_exportAction->setEnabled(hasData);
    m_pngAction->setEnabled(state != LiveSession::State::Empty);
}

void MainWindow::showMessage(const QString& text, bool error)
{
    // Also to the terminal, where a user who started us from one looks first.
    qCInfo(lcStatus).noquote() << (error ? "error:" : "status:") << text;
    // Errors stay until the next message; progress fades after a while.
    statusBar()->showMessage(error ? QStringLiteral("⚠ ") + text : text, error ? 0 : 8000);
}

bool MainWindow::confirmDiscard(const QString& what)
{
    if (!m_confirmDiscard || m_session->isSaved() || m_session->store().size() == 0)
        return true;
    QMessageBox box(QMessageBox::Question, QStringLiteral("NodeScope"),
        QStringLiteral("The current session has %1 samples that were not exported.")
            .arg(m_session->store().size()),
        QMessageBox::NoButton, this);
    box.setInformativeText(QStringLiteral("Export them before you %1?").arg(what));
    QPushButton* exportButton = box.addButton(QStringLiteral("Export…"), QMessageBox::AcceptRole);
    box.addButton(QStringLiteral("Discard"), QMessageBox::DestructiveRole);
    QPushButton* cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(exportButton);
    box.exec();
    if (box.clickedButton() == static_cast<QAbstractButton*>(cancel))
        return false;
    if (box.clickedButton() == static_cast<QAbstractButton*>(exportButton)) {
        exportCsvInteractive();
        return m_session->isSaved();
    }
    return true;
}

void MainWindow::attachToPid(qint64 pid)
{
    QString whyNot;
    const std::optional<ProcessInfo> process = ProcessTable::read(pid, &whyNot);
    if (!process) {
        showMessage(QStringLiteral("Cannot watch: %1").arg(whyNot), true);
        return;
    }
    m_picker->selectPid(pid);
    attachToProcess(*process);
}

void MainWindow::attachToProcess(const ProcessInfo& process)
{
    if (m_session->isLive() && m_session->target().pid == process.pid && m_session->store().size() > 0
        && sender() == m_picker) {
        showMessage(QStringLiteral("Already watching PID %1").arg(process.pid));
        return;
    }
    if (!confirmDiscard(QStringLiteral("watch PID %1").arg(process.pid)))
        return;
    if (process.isNode && process.inspector.state == InspectorStatus::State::Unavailable)
        showMessage(QStringLiteral("PID %1: %2. Showing rss and CPU only.")
                        .arg(process.pid)
                        .arg(process.inspector.reason),
            true);
    else
        showMessage(QStringLiteral("Watching PID %1…").arg(process.pid));
    m_session->watchProcess(
        process, process.isNode && process.inspector.state != InspectorStatus::State::Unavailable);
    m_stack->setCurrentIndex(1);
}

void MainWindow::connectToAddress(const QString& host, quint16 port)
{
    if (!confirmDiscard(QStringLiteral("connect to %1:%2").arg(host).arg(port)))
        return;
    m_session->watchAddress(host, port);
    m_stack->setCurrentIndex(1);
}

QString MainWindow::suggestedBaseName() const
{
    const SessionInfo& info = m_session->store().session().info();
    QString name = info.processName.isEmpty() ? QStringLiteral("session") : info.processName;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
    const qint64 start = info.startWallMs > 0 ? info.startWallMs : QDateTime::currentMSecsSinceEpoch();
    return QStringLiteral("nodescope-%1-%2")
        .arg(name, QDateTime::fromMSecsSinceEpoch(start).toString(QStringLiteral("yyyyMMdd-hhmmss")));
}

bool MainWindow::exportCsv(const QString& path)
{
    const SessionFiles::SaveResult saved = SessionFiles::save(m_session->store().session(), path);
    if (!saved.ok) {
        showMessage(
            QStringLiteral("Export failed: %1. The session is kept; try another place.").arg(saved.error),
            true);
        return false;
    }
    QString workers;
    if (!m_session->workers().isEmpty()) {
        // The worker threads' series beside them, as `record` writes them.
        const QString workersPath = WorkersCsv::pathFor(path);
        QString error;
        if (!WorkersCsv::writeFile(
                workersPath, m_session->workers(), m_session->store().session().info().startWallMs, &error)) {
            showMessage(
                QStringLiteral("Export failed: the samples were written, but not the worker threads: %1")
                    .arg(error),
                true);
            return false;
        }
        workers = QStringLiteral(", worker threads to %1").arg(QFileInfo(workersPath).fileName());
    }
    m_session->markSaved();
    m_settings->setLastDirectory(QFileInfo(path).absolutePath());
    const QString timers = saved.timersPath.isEmpty() ? QString()
                                                      : QStringLiteral(" and %1 timer spans to %2")
                                                            .arg(saved.spans)
                                                            .arg(QFileInfo(saved.timersPath).fileName());
    showMessage(
        QStringLiteral("Exported %1 samples to %2%3%4").arg(saved.samples).arg(path, timers, workers));
    return true;
}

void MainWindow::exportCsvInteractive()
{
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export session as CSV"),
        QDir(m_settings->lastDirectory()).filePath(suggestedBaseName() + QStringLiteral(".csv")),
        QStringLiteral("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

bool MainWindow::openCsv(const QString& path)
{
    const SessionFiles::LoadResult loaded = SessionFiles::load(path);
    if (!loaded.session) {
        showMessage(QStringLiteral("Cannot open: %1").arg(loaded.error), true);
        return false;
    }
    if (!confirmDiscard(QStringLiteral("open %1").arg(QFileInfo(path).fileName())))
        return false;
    m_session->review(*loaded.session, loaded.workers);
    m_session->markSaved();
    m_stack->setCurrentIndex(1);
    m_window->setLengthMs(0);
    m_settings->setLastDirectory(QFileInfo(path).absolutePath());
    const QString timers
        = loaded.spans > 0 ? QStringLiteral(", %1 timer spans").arg(loaded.spans) : QString();
    const qsizetype workerCount = loaded.workers.series().size();
    const QString workers = workerCount > 0 ? QStringLiteral(", %1 heap readings of %2 worker thread%3")
                                                  .arg(loaded.workers.readingCount())
                                                  .arg(workerCount)
                                                  .arg(workerCount == 1 ? QString() : QStringLiteral("s"))
                                            : QString();
    const QString notes = loaded.notes.isEmpty()
        ? QString()
        : QStringLiteral(" (%1)").arg(loaded.notes.join(QStringLiteral("; ")));
    showMessage(QStringLiteral("Opened %1: %2 samples%3%4%5")
                    .arg(QFileInfo(path).fileName())
                    .arg(loaded.session->size())
                    .arg(timers, workers, notes),
        !loaded.notes.isEmpty());
    updateViews();
    return true;
}

void MainWindow::openCsvInteractive()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open a NodeScope CSV"),
        m_settings->lastDirectory(), QStringLiteral("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        openCsv(path);
}

bool MainWindow::saveChartPng(const QString& path)
{
    updateViews();
    const QPixmap pixmap = m_chartsArea->grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        showMessage(QStringLiteral("Cannot save %1 (is the folder writable?)").arg(path), true);
        return false;
    }
    showMessage(QStringLiteral("Saved the charts to %1").arg(path));
    return true;
}

void MainWindow::saveChartPngInteractive()
{
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save chart as PNG"),
        QDir(m_settings->lastDirectory()).filePath(suggestedBaseName() + QStringLiteral(".png")),
        QStringLiteral("PNG images (*.png)"));
    if (!path.isEmpty() && saveChartPng(path))
        m_settings->setLastDirectory(QFileInfo(path).absolutePath());
}

void MainWindow::updateLeak()
{
    const LeakDetector& detector = m_session->leakDetector();
    const LeakVerdict js = detector.jsVerdict();
    const LeakVerdict native = detector.nativeVerdict();
    const bool haveHeap = m_session->store().statistics(Metric::HeapUsed).count() > 0;
    m_leakIndicator->setVerdicts(js, native, haveHeap);
    m_leakBanner->update(js, native, m_session->isLive() && !m_session->target().nodeVersion.isEmpty());

    // On the memory chart: where the growth began, and the trend of the
    // post-GC floor the verdict rests on (the sawtooth's lows, fitted).
    if (js.isGrowing() && js.hasSince() && js.floorBytes != LeakVerdict::kNone) {
        m_memoryChart->setMarker(js.sinceWallMs, QStringLiteral("heap floor growing since here"));
        m_memoryChart->setBaseline({QPointF(double(js.sinceWallMs), double(js.floorBytes - js.growthBytes)),
                                       QPointF(double(js.asOfWallMs), double(js.floorBytes))},
            QStringLiteral("heap floor trend %1").arg(Format::bytesPerMinute(js.slopeBytesPerMin)));
    } else {
        m_memoryChart->setMarker(std::nullopt, {});
        m_memoryChart->setBaseline({}, {});
    }

    m_leakNotifier->update(js, native, m_session->title(), m_session->isLive());

    // The suspects come up once as the floor starts to grow (the profiler
    // starts then); closed by the user, they stay closed until it grows again.
    if (js.isGrowing() && !m_suspectsShownForGrowth && m_session->isLive()) {
        m_suspectsShownForGrowth = true;
        m_suspectsDock->show();
        m_suspectsDock->raise();
    } else if (!js.isGrowing()) {
        m_suspectsShownForGrowth = false;
    }
    updateSuspects();
}

void MainWindow::updateSuspects()
{
    m_suspectsPanel->update(m_session->pipeline(), m_session->canTakeHeapSnapshot());
}

void MainWindow::takeHeapSnapshotInteractive()
{
    if (!m_session->canTakeHeapSnapshot()) {
        showMessage(QStringLiteral("A heap snapshot needs an attached Node process"), true);
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Take heap snapshot"),
        QDir(m_settings->lastDirectory()).filePath(suggestedBaseName() + QStringLiteral(".heapsnapshot")),
        QStringLiteral("Heap snapshots (*.heapsnapshot)"));
    if (path.isEmpty())
        return;
    m_settings->setLastDirectory(QFileInfo(path).absolutePath());
    HeapSnapshotConfirmation box(m_session->title(), m_session->snapshotEstimate(path), this);
    box.exec();
    if (box.clickedButton() == box.takeButton())
        m_session->takeHeapSnapshot(path);
}

void MainWindow::alignCharts()
{
    // The event-loop chart's second value axis, and wider value labels on
    // one chart than another, would set the plots off from each other: a
    // stall's band and the crosshair would not read straight down.
    double left = 0;
    double rightInset = 0;
    for (const TimeSeriesChart* chart : std::as_const(m_charts)) {
        if (chart->chart()->plotArea().width() <= 0)
            return; // not laid out yet
        left = qMax(left, chart->naturalPlotLeft());
        rightInset = qMax(rightInset, chart->naturalPlotRightInset());
    }
    const bool workers = !m_workersChart->isHidden() && m_workersChart->chart()->plotArea().width() > 0;
    if (workers) {
        left = qMax(left, m_workersChart->naturalPlotLeft());
        rightInset = qMax(rightInset, m_workersChart->naturalPlotRightInset());
    }
    for (TimeSeriesChart* chart : std::as_const(m_charts))
        chart->alignPlot(left, rightInset);
    if (workers)
        m_workersChart->alignPlot(left, rightInset);
}

void MainWindow::setLoopBlocked(bool blocked, qint64 sinceWallMs)
{
    m_loopBlockedSince = blocked ? std::optional<qint64>(sinceWallMs) : std::nullopt;
    for (TimeSeriesChart* chart : std::as_const(m_charts))
        chart->setLoopBlocked(m_loopBlockedSince);
    // Counting on only while there is something to count.
    if (blocked)
        m_loopBlockedTimer->start();
    else
        m_loopBlockedTimer->stop();
    updateLoopBlocked();
}

QString MainWindow::loopBlockedText() const
{
    return m_loopBlockedLabel->isVisibleTo(statusBar()) ? m_loopBlockedLabel->text() : QString();
}

void MainWindow::updateLoopBlocked()
{
    if (!m_loopBlockedSince) {
        m_loopBlockedLabel->hide();
        m_loopBlockedLabel->clear();
        return;
    }
    const qint64 blockedMs = qMax<qint64>(0, QDateTime::currentMSecsSinceEpoch() - *m_loopBlockedSince);
    m_loopBlockedLabel->setText(
        QStringLiteral("Event loop blocked for %1").arg(StallShading::lengthText(double(blockedMs))));
    m_loopBlockedLabel->show();
}

void MainWindow::updateResourcesReadout()
{
    // The probe counts resources by type at most once a second, and only the
    // latest count is kept: the readout says when it was taken, whatever
    // moment is hovered.
    const SessionPipeline& pipeline = m_session->pipeline();
    QList<QPair<QString, int>> byType = pipeline.resourcesByType();
    if (byType.isEmpty()) {
        m_resourcesChart->setReadoutFooter({});
        return;
    }
    std::stable_sort(
        byType.begin(), byType.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    QStringList parts;
    for (qsizetype i = 0; i < byType.size() && i < kMostResourceTypesListed; ++i)
        parts.append(QStringLiteral("%1 %2").arg(byType[i].first).arg(byType[i].second));
    if (byType.size() > kMostResourceTypesListed)
        parts.append(QStringLiteral("%1 more types").arg(byType.size() - kMostResourceTypesListed));
    m_resourcesChart->setReadoutFooter(
        QStringLiteral("by type at %1: %2")
            .arg(QDateTime::fromMSecsSinceEpoch(pipeline.resourcesByTypeWallMs())
                     .toString(QStringLiteral("hh:mm:ss")),
                parts.join(QStringLiteral(", "))));
}

void MainWindow::showHeapSpaces()
{
    if (!m_heapSpacesDialog)
        m_heapSpacesDialog = new HeapSpacesDialog(m_session, this);
    m_heapSpacesDialog->show();
    m_heapSpacesDialog->raise();
    m_heapSpacesDialog->activateWindow();
    m_heapSpacesDialog->refresh();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!confirmDiscard(QStringLiteral("quit"))) {
        event->ignore();
        return;
    }
    m_settings->saveWindowLayout(saveGeometry(), saveState());
    // Close the inspector we opened before the window goes, so the target is
    // neither left with an open debug port nor kept waiting for us.
    m_session->shutdown();
    event->accept();
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        for (TimeSeriesChart* chart : std::as_const(m_charts))
            chart->applyPalette();
        m_workersChart->applyPalette();
    }
    QMainWindow::changeEvent(event);
}

} // namespace NodeScope

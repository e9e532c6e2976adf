#pragma once

// The dashboard: a process picker (left), the memory, CPU, event-loop and
// resources charts on one time axis (center), live figures and the event
// loop's stalls (right), timers (below), and the controls of a session. Data arrives from LiveSession; views
// are refreshed at most ~30 times a second however fast samples come.

#include "types.h"

#include <QElapsedTimer>
#include <QMainWindow>

#include <optional>

class QAction;
class QActionGroup;
class QComboBox;
class QDockWidget;
class QLabel;
class QProgressBar;
class QScrollBar;
class QStackedWidget;
class QTableView;
class QTimer;

namespace NodeScope {

class CpuProfileDialog;
class HeapSpacesDialog;
class LeakBanner;
class LeakIndicator;
class LeakNotifier;
class LeakSuspectsPanel;
class LiveFiguresModel;
class LiveSession;
class ProcessPicker;
class Settings;
class StackDialog;
class StallsPanel;
class StopwatchPanel;
class TimeSeriesChart;
class TimeWindow;
class WorkersChart;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    LiveSession* session() const { return m_session; }
    Settings* settings() const { return m_settings; }
    QAction* captureAction() const { return m_captureAction; }
    ProcessPicker* picker() const { return m_picker; }
    TimeWindow* timeWindow() const { return m_window; }
    TimeSeriesChart* memoryChart() const { return m_memoryChart; }
    TimeSeriesChart* cpuChart() const { return m_cpuChart; }
    TimeSeriesChart* eventLoopChart() const { return m_eventLoopChart; }
    TimeSeriesChart* resourcesChart() const { return m_resourcesChart; }
    // The worker threads' heaps, under the memory chart; hidden until a worker is seen.
    WorkersChart* workersChart() const { return m_workersChart; }
    QAction* workersAction() const { return m_workersAction; }
    // Every chart, top to bottom.
    const QList<TimeSeriesChart*>& charts() const { return m_charts; }
    StallsPanel* stallsPanel() const { return m_stallsPanel; }
    QAction* heapSpacesAction() const { return m_heapSpacesAction; }
    // The Heap spaces dialog, once Session ▸ Heap spaces… has opened it.
    HeapSpacesDialog* heapSpacesDialog() const { return m_heapSpacesDialog; }
    // The status bar's "event loop blocked for 4.2 s" while the loop is blocked; empty otherwise.
    QString loopBlockedText() const;
    LiveFiguresModel* figuresModel() const { return m_figures; }
    StopwatchPanel* stopwatchPanel() const { return m_stopwatchPanel; }
    LeakIndicator* leakIndicator() const { return m_leakIndicator; }
    LeakBanner* leakBanner() const { return m_leakBanner; }
    QAction* stackAction() const { return m_stackAction; }
    QAction* cpuProfileAction() const { return m_cpuProfileAction; }
    // Created on first use; null before.
    StackDialog* stackDialog() const { return m_stackDialog; }
    CpuProfileDialog* cpuProfileDialog() const { return m_cpuProfileDialog; }
    LeakSuspectsPanel* suspectsPanel() const { return m_suspectsPanel; }
    QDockWidget* suspectsDock() const { return m_suspectsDock; }

    // Asks before throwing away samples that were not exported (modal).
    // Tests and scripted use can turn the question off.
    void setConfirmDiscard(bool confirm) { m_confirmDiscard = confirm; }

public Q_SLOTS:
    void attachToPid(qint64 pid);
    void attachToProcess(const NodeScope::ProcessInfo& process);
    void connectToAddress(const QString& host, quint16 port);
    bool exportCsv(const QString& path);
    bool openCsv(const QString& path);
    bool saveChartPng(const QString& path);
    void setWindowLength(qint64 lengthMs);
    void setIntervalMs(int intervalMs);
    // Redraws now instead of at the next frame (tests, exports).
    void updateViews();
    void showMessage(const QString& text, bool error = false);
    // Opens the stack view and takes the watched process's stack now.
    void showStack();
    // Opens the CPU profile view (recording starts from there).
    void showCpuProfileDialog();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void createActions();
    void createDocks();
    QWidget* createDashboard();
    void scheduleFrame();
    void updateHeader();
    void updateScrollBar();
    void updateActions();
    void updateLeak();
    void alignCharts();
    void setLoopBlocked(bool blocked, qint64 sinceWallMs);
    void updateLoopBlocked();
    void updateResourcesReadout();
    void showHeapSpaces();
    bool confirmDiscard(const QString& what);
    void applySettings();
    void exportCsvInteractive();
    void openCsvInteractive();
    void saveChartPngInteractive();
    void takeHeapSnapshotInteractive();
    void updateSuspects();
    QString suggestedBaseName() const;

    Settings* m_settings = nullptr;
    LiveSession* m_session = nullptr;
    TimeWindow* m_window = nullptr;
    ProcessPicker* m_picker = nullptr;
    StopwatchPanel* m_stopwatchPanel = nullptr;
    TimeSeriesChart* m_memoryChart = nullptr;
    TimeSeriesChart* m_cpuChart = nullptr;
    TimeSeriesChart* m_eventLoopChart = nullptr;
    TimeSeriesChart* m_resourcesChart = nullptr;
    QList<TimeSeriesChart*> m_charts;
    WorkersChart* m_workersChart = nullptr;
    StallsPanel* m_stallsPanel = nullptr;
    HeapSpacesDialog* m_heapSpacesDialog = nullptr;
    QLabel* m_loopBlockedLabel = nullptr;
    QTimer* m_loopBlockedTimer = nullptr;
    std::optional<qint64> m_loopBlockedSince;
    LiveFiguresModel* m_figures = nullptr;
    QTableView* m_figuresView = nullptr;
    QDockWidget* m_pickerDock = nullptr;
    QDockWidget* m_figuresDock = nullptr;
    QDockWidget* m_timersDock = nullptr;
    QDockWidget* m_stallsDock = nullptr;
    QDockWidget* m_suspectsDock = nullptr;
    LeakSuspectsPanel* m_suspectsPanel = nullptr;
    bool m_suspectsShownForGrowth = false; // shown once per growing verdict; the user may close it
    QStackedWidget* m_stack = nullptr;
    QWidget* m_chartsArea = nullptr;
    QScrollBar* m_scrollBar = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_stateBadge = nullptr;
    LeakIndicator* m_leakIndicator = nullptr;
    LeakBanner* m_leakBanner = nullptr;
    QAction* m_forceGcAction = nullptr;
    QAction* m_stackAction = nullptr;
    QAction* m_cpuProfileAction = nullptr;
    StackDialog* m_stackDialog = nullptr;
    CpuProfileDialog* m_cpuProfileDialog = nullptr;
    QAction* m_heapSpacesAction = nullptr;
    QAction* m_snapshotAction = nullptr;
    QProgressBar* m_heapBar = nullptr;
    QLabel* m_samplesLabel = nullptr;
    QLabel* m_followLabel = nullptr;
    QComboBox* m_intervalCombo = nullptr;
    QComboBox* m_windowCombo = nullptr;
    QTimer* m_frameTimer = nullptr;
    LeakNotifier* m_leakNotifier = nullptr;
    QElapsedTimer m_sinceFrame;
    QElapsedTimer m_sinceStatusFigures; // the heap-limit bar and sample count: see updateViews

    QAction* m_pauseAction = nullptr;
    QAction* m_detachAction = nullptr;
    QAction* m_newSessionAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_pngAction = nullptr;
    QAction* m_followAction = nullptr;
    QAction* m_resetZoomAction = nullptr;
    QAction* m_captureAction = nullptr;
    QAction* m_workersAction = nullptr;
    QAction* m_throughInspectorAction = nullptr;
    QAction* m_pickerAction = nullptr;

    QActionGroup* m_windowActions = nullptr;
    bool m_confirmDiscard = true;
    bool m_updatingScrollBar = false;
};

} // namespace NodeScope

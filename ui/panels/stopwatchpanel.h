#pragma once

// The timers panel: the user's stopwatch (type a label, Start; several run at
// once; Lap; Stop), the process's own console.time timers captured through
// the inspector, per-label statistics with a show-on-chart switch, and the
// history of every span.

#include "types.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace NodeScope {

class LiveSession;
class Settings;
class RunningTimersModel;
class TimerSpansModel;
class TimerStatsModel;

class StopwatchPanel : public QWidget {
    Q_OBJECT
public:
    // The capture checkbox follows and writes settings' consoleCapture.
    StopwatchPanel(LiveSession* session, Settings* settings, QWidget* parent = nullptr);

    QCheckBox* captureCheckBox() const { return m_capture; }
    // What capturing the process's console timers costs it, for every
    // control that turns it on.
    static QString captureCostText();

    TimerStatsModel* statsModel() const { return m_stats; }
    TimerSpansModel* spansModel() const { return m_spans; }
    RunningTimersModel* runningModel() const { return m_running; }
    QLineEdit* labelEdit() const { return m_label; }

    // Re-reads statistics and history from the session (batched by the window).
    void refresh();

public Q_SLOTS:
    // The label typed in, or the selected running one for lap/stop.
    bool startTimer(const QString& label);
    bool stopTimer(const QString& label);
    bool lapTimer(const QString& label);
    // The shortcut: starts or stops the last label used.
    bool toggleLastTimer();

Q_SIGNALS:
    void message(const QString& text, bool error);
    void hiddenLabelsChanged(const QSet<QString>& labels);

private:
    QString selectedRunningLabel() const;
    void updateEnabled();
    void resetViews();

    LiveSession* m_session;
    TimerStatsModel* m_stats = nullptr;
    TimerSpansModel* m_spans = nullptr;
    RunningTimersModel* m_running = nullptr;
    QLineEdit* m_label = nullptr;
    QPushButton* m_startButton = nullptr;
    QPushButton* m_lapButton = nullptr;
    QPushButton* m_stopButton = nullptr;
    QTableView* m_runningView = nullptr;
    QTableView* m_statsView = nullptr;
    QTableView* m_historyView = nullptr;
    QCheckBox* m_capture = nullptr;
    QLabel* m_note = nullptr;
    QTimer* m_tick = nullptr;
    qsizetype m_spansShown = 0;
};

} // namespace NodeScope

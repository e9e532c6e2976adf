#pragma once

// The dashboard's settings, with one owner. Every control that shows a
// setting reads it here and follows its change signal, and every control
// that changes one writes it here; nothing else reads QSettings. Two controls
// for one setting (a menu action and a panel checkbox) cannot drift apart,
// and a change is saved the moment it is made.
//
// Series are stored by their metric's stable key (session/metrics.h), never
// by the name on screen, so renaming a label keeps users' choices.

#include "analysis/leakdetector.h"
#include "types.h"

#include <QObject>
#include <QSet>
#include <QString>

namespace NodeScope {

class Settings : public QObject {
    Q_OBJECT
    Q_PROPERTY(int intervalMs READ intervalMs WRITE setIntervalMs NOTIFY intervalMsChanged)
    Q_PROPERTY(bool consoleCapture READ consoleCapture WRITE setConsoleCapture NOTIFY consoleCaptureChanged)
    Q_PROPERTY(bool workerWatching READ workerWatching WRITE setWorkerWatching NOTIFY workerWatchingChanged)
    Q_PROPERTY(bool sampleThroughInspector READ sampleThroughInspector WRITE setSampleThroughInspector NOTIFY
            sampleThroughInspectorChanged)
    Q_PROPERTY(qint64 windowMs READ windowMs WRITE setWindowMs NOTIFY windowMsChanged)
    Q_PROPERTY(
        bool showAllProcesses READ showAllProcesses WRITE setShowAllProcesses NOTIFY showAllProcessesChanged)
    Q_PROPERTY(QString lastDirectory READ lastDirectory WRITE setLastDirectory NOTIFY lastDirectoryChanged)
public:
    // Loads what was saved (QSettings of the application), or the defaults.
    explicit Settings(QObject* parent = nullptr);

    // The choices offered: sampling intervals (ms) and chart windows (ms,
    // 0 = the whole session).
    static QList<int> intervalChoices();
    static QList<qint64> windowChoices();

    int intervalMs() const { return m_intervalMs; }
    // Off by default: capturing costs a process that logs a lot dearly.
    bool consoleCapture() const { return m_consoleCapture; }
    // Read the worker threads' heaps. Off by default, like console-timer
    // capture: a process with workers then pays for an open in-process
    // inspector session on every console call (Sampler::Options::watchWorkers).
    bool workerWatching() const { return m_workerWatching; }
    // Keep the inspector open and sample through it (heap figures even while
    // the event loop is blocked), instead of through the probe. Off by default.
    bool sampleThroughInspector() const { return m_sampleThroughInspector; }
    qint64 windowMs() const { return m_windowMs; }
    bool showAllProcesses() const { return m_showAllProcesses; }
    QString lastDirectory() const { return m_lastDirectory; }
    LeakSettings leakSettings() const { return m_leakSettings; }
    bool isSeriesHidden(Metric metric) const { return m_hiddenSeries.contains(metric); }
    // The main window's geometry and dock layout (QMainWindow's own blobs).
    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void saveWindowLayout(const QByteArray& geometry, const QByteArray& state);

public Q_SLOTS:
    void setIntervalMs(int intervalMs);
    void setConsoleCapture(bool capture);
    void setSampleThroughInspector(bool through);
    void setWorkerWatching(bool on);
    void setWindowMs(qint64 windowMs);
    void setShowAllProcesses(bool showAll);
    void setLastDirectory(const QString& directory);
    void setLeakSettings(const NodeScope::LeakSettings& settings);
    void setSeriesHidden(NodeScope::Metric metric, bool hidden);

Q_SIGNALS:
    void intervalMsChanged(int intervalMs);
    void consoleCaptureChanged(bool capture);
    void sampleThroughInspectorChanged(bool through);
    void workerWatchingChanged(bool on);
    void windowMsChanged(qint64 windowMs);
    void showAllProcessesChanged(bool showAll);
    void lastDirectoryChanged(const QString& directory);
    void leakSettingsChanged(const NodeScope::LeakSettings& settings);
    void seriesHiddenChanged(NodeScope::Metric metric, bool hidden);

private:
    void saveHiddenSeries() const;

    int m_intervalMs = 0;
    bool m_consoleCapture = false;
    bool m_sampleThroughInspector = false;
    bool m_workerWatching = false;
    qint64 m_windowMs = 0;
    bool m_showAllProcesses = false;
    QString m_lastDirectory;
    LeakSettings m_leakSettings;
    QSet<Metric> m_hiddenSeries;
};

} // namespace NodeScope

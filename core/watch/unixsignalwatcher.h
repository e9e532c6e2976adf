#pragma once

// Turns SIGINT/SIGTERM/SIGHUP into a Qt signal through a self-pipe, so a
// recording can end cleanly (writing everything it has) instead of dying.

#include <QObject>

class QSocketNotifier;

namespace NodeScope {

class UnixSignalWatcher : public QObject {
    Q_OBJECT
public:
    // Only one watcher may exist at a time; it owns the process's handlers
    // for the given signals until destroyed.
    explicit UnixSignalWatcher(const QList<int>& signalNumbers, QObject* parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void received(int signalNumber);

private:
    static void handle(int signalNumber);
    QList<int> m_signals;
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace NodeScope

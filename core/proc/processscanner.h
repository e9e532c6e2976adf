#pragma once

// Refreshes the process table in the background: each scan runs on the
// thread pool, the next one is armed only once the last has finished (a slow
// /proc never piles scans up), and a result that arrives after the options
// changed is dropped.

#include "types.h"

#include <QList>
#include <QObject>
#include <QThreadPool>

class QTimer;

namespace NodeScope {

class ProcessScanner : public QObject {
    Q_OBJECT
public:
    explicit ProcessScanner(QObject* parent = nullptr);
    ~ProcessScanner() override;

    void setIncludeNonNode(bool include);
    bool includeNonNode() const { return m_includeNonNode; }
    void setIntervalMs(int intervalMs);

public Q_SLOTS:
    // Starts periodic scanning (a first scan at once).
    void start();
    void stop();
    // A scan now, in addition to the periodic ones.
    void refresh();

Q_SIGNALS:
    void scanned(const QList<NodeScope::ProcessInfo>& processes);

private:
    void launch();

    QThreadPool m_pool;
    QTimer* m_timer = nullptr;
    bool m_includeNonNode = false;
    bool m_running = false;
    bool m_inFlight = false;
    bool m_refreshQueued = false;
    int m_job = 0;
};

} // namespace NodeScope

Q_DECLARE_METATYPE(QList<NodeScope::ProcessInfo>)

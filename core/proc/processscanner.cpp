#include "proc/processscanner.h"

#include "proc/processtable.h"

#include <QThreadPool>
#include <QTimer>

namespace NodeScope {

ProcessScanner::ProcessScanner(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    qRegisterMetaType<QList<NodeScope::ProcessInfo>>();
    m_pool.setMaxThreadCount(1);
    m_timer->setSingleShot(true);
    m_timer->setInterval(2000);
    connect(m_timer, &QTimer::timeout, this, &ProcessScanner::launch);
}

ProcessScanner::~ProcessScanner()
{
    // A scan takes milliseconds; waiting for it keeps `this` valid in its result.
    m_pool.waitForDone();
}

void ProcessScanner::setIncludeNonNode(bool include)
{
    if (include == m_includeNonNode)
        return;
    m_includeNonNode = include;
    ++m_job; // what is in flight answers the old question
    m_inFlight = false;
    refresh();
}

void ProcessScanner::setIntervalMs(int intervalMs)
{
    m_timer->setInterval(intervalMs);
}

void ProcessScanner::start()
{
    m_running = true;
    refresh();
}

void ProcessScanner::stop()
{
    m_running = false;
    m_timer->stop();
}

void ProcessScanner::refresh()
{
    if (m_inFlight) {
        m_refreshQueued = true;
        return;
    }
    m_timer->stop();
    launch();
}

void ProcessScanner::launch()
{
    m_inFlight = true;
    m_refreshQueued = false;
    const int job = ++m_job;
    const ProcessTable::Options options{m_includeNonNode};
    m_pool.start([this, job, options] {
        QList<ProcessInfo> processes = ProcessTable::scan(options);
        QMetaObject::invokeMethod(
            this,
            [this, job, processes = std::move(processes)] {
                if (job != m_job)
                    return; // the options changed meanwhile
                m_inFlight = false;
                Q_EMIT scanned(processes);
                if (m_refreshQueued)
                    refresh();
                else if (m_running)
                    m_timer->start();
            },
            Qt::QueuedConnection);
    });
}

} // namespace NodeScope

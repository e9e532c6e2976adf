#include "samplecostbench.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonValue>
#include <QTimer>

#include <functional>

namespace NodeScope {

namespace {

// The Sampler's expression, verbatim.
const QLatin1String kMemoryExpression("process.memoryUsage()");
// Unmeasured cycles first: the first round trips pay for V8 compiling the
// expression and for cold caches, which no steady-state sample does.
constexpr int kWarmupCycles = 100;

// Runs the event loop until done() holds or timeoutMs pass.
bool waitUntil(const std::function<bool()>& done, QEventLoop& loop, int timeoutMs)
{
    if (done())
        return true;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(timeoutMs);
    loop.exec();
    return done();
}

} // namespace

SampleCostBench::SampleCostBench(qint64 pid, int paceMs)
    : m_pid(pid)
    , m_paceMs(paceMs)
    , m_os(pid)
{
}

bool SampleCostBench::attach(QString* error)
{
    if (!m_os.start(error))
        return false;
    QEventLoop loop;
    bool finished = false;
    QObject::connect(&m_inspector, &InspectorConnection::attached, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QObject::connect(&m_inspector, &InspectorConnection::attachFailed, &loop, [&](const QString& reason) {
        finished = true;
        *error = reason;
        loop.quit();
    });
    m_inspector.attachToPid(m_pid);
    if (!waitUntil([&] { return finished; }, loop, 30000))
        *error = QStringLiteral("attach timed out");
    return m_inspector.isAttached();
}

void SampleCostBench::detach()
{
    QEventLoop loop;
    QObject::connect(&m_inspector, &InspectorConnection::detached, &loop, &QEventLoop::quit);
    m_inspector.detach();
    waitUntil([&] { return m_inspector.phase() != InspectorConnection::Phase::Detaching; }, loop, 10000);
}

bool SampleCostBench::timeCycles(int count, bool withProcfs, bool withInspector, std::vector<double>* totalUs,
    std::vector<double>* procfsPartUs, QString* error)
{
    totalUs->clear();
    totalUs->reserve(std::size_t(count));
    if (procfsPartUs) {
        procfsPartUs->clear();
        procfsPartUs->reserve(std::size_t(count));
    }
    QElapsedTimer clock;
    clock.start();
    int cycle = -kWarmupCycles;
    auto record = [&](qint64 startNs, qint64 procfsEndNs) {
        if (cycle >= 0) {
            const qint64 endNs = clock.nsecsElapsed();
            totalUs->push_back(double(endNs - startNs) / 1000.0);
            if (procfsPartUs)
                procfsPartUs->push_back(double(procfsEndNs - startNs) / 1000.0);
        }
        ++cycle;
    };
    auto procfs = [&] {
        if (withProcfs && !m_os.sample()) {
            *error = m_os.lastError();
            return false;
        }
        return true;
    };

    QEventLoop loop;
    bool failed = false;
    std::function<void()> next = [&] {
        const qint64 startNs = clock.nsecsElapsed();
        if (!procfs()) {
            failed = true;
            return loop.quit();
        }
        const qint64 procfsEndNs = clock.nsecsElapsed();
        if (!withInspector) {
            record(startNs, procfsEndNs);
            if (cycle >= count)
                return loop.quit();
            return QTimer::singleShot(m_paceMs, Qt::PreciseTimer, &loop, next);
        }
        m_inspector.evaluate(
            kMemoryExpression,
            [&, startNs, procfsEndNs](bool ok, const QJsonValue& value, const QString& why) {
                if (!ok || !value.isObject()) {
                    *error = ok ? QStringLiteral("process.memoryUsage() gave no object") : why;
                    failed = true;
                    return loop.quit();
                }
                record(startNs, procfsEndNs);
                if (cycle >= count)
                    return loop.quit();
                // The next cycle from the event loop, as the Sampler's timer
                // would start it, not from inside the CDP client's callback.
                QTimer::singleShot(m_paceMs, Qt::PreciseTimer, &loop, next);
            },
            10000);
    };
    QTimer::singleShot(0, &loop, next);
    // Generous: 2000 cycles paced at 10 ms take 20 s, more on a loaded machine.
    if (!waitUntil([&] { return failed || cycle >= count; }, loop, 600000) && !failed)
        *error = QStringLiteral("timed out after %1 cycles").arg(cycle);
    return !failed && cycle >= count;
}

bool SampleCostBench::run(int samples, Result* result, QString* error)
{
    return timeCycles(samples, true, true, &result->fullUs, &result->fullProcfsPartUs, error)
        && timeCycles(samples, true, false, &result->procfsUs, nullptr, error)
        && timeCycles(samples, false, true, &result->inspectorUs, nullptr, error);
}

} // namespace NodeScope

#include "settings.h"

#include "session/metrics.h"
#include "watch/sampler.h"

#include <QSettings>
#include <QStandardPaths>

namespace NodeScope {

namespace {

constexpr qint64 kDefaultWindowMs = 5 * 60 * 1000;

} // namespace

QList<int> Settings::intervalChoices()
{
    return {10, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 60000};
}

QList<qint64> Settings::windowChoices()
{
    return {60 * 1000, 5 * 60 * 1000, 15 * 60 * 1000, 60 * 60 * 1000, 0};
}

Settings::Settings(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<NodeScope::LeakSettings>();
    const QSettings store;
    m_intervalMs = Sampler::clampInterval(
        store.value(QStringLiteral("sampling/intervalMs"), Sampler::kDefaultIntervalMs).toInt());
    m_consoleCapture = store.value(QStringLiteral("sampling/consoleTimers"), false).toBool();
    m_sampleThroughInspector = store.value(QStringLiteral("sampling/throughInspector"), false).toBool();
    m_workerWatching = store.value(QStringLiteral("sampling/workers"), false).toBool();
    const qint64 window = store.value(QStringLiteral("view/windowMs"), kDefaultWindowMs).toLongLong();
    m_windowMs = windowChoices().contains(window) ? window : kDefaultWindowMs;
    m_showAllProcesses = store.value(QStringLiteral("picker/showAll"), false).toBool();
    m_lastDirectory = store
                          .value(QStringLiteral("lastDirectory"),
                              QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                          .toString();
    // Stable keys; versions before the metric table saved display names,
    // which are still understood.
    const QStringList hidden = store.value(QStringLiteral("view/hiddenSeries")).toStringList();
    for (const MetricInfo& info : Metrics::all()) {
        if (hidden.contains(info.key) || hidden.contains(info.displayName))
            m_hiddenSeries.insert(info.id);
    }
    LeakSettings leak;
    leak.windowSeconds = store.value(QStringLiteral("leak/windowSeconds"), leak.windowSeconds).toInt();
    leak.minGrowthBytes
        = store.value(QStringLiteral("leak/minGrowthBytes"), leak.minGrowthBytes).toLongLong();
    leak.confirmSeconds = store.value(QStringLiteral("leak/confirmSeconds"), leak.confirmSeconds).toInt();
    leak.collectionBudgetMs
        = store.value(QStringLiteral("leak/collectionBudgetMs"), leak.collectionBudgetMs).toInt();
    m_leakSettings = leak;
}

void Settings::setIntervalMs(int intervalMs)
{
    intervalMs = Sampler::clampInterval(intervalMs);
    if (intervalMs == m_intervalMs)
        return;
    m_intervalMs = intervalMs;
    QSettings().setValue(QStringLiteral("sampling/intervalMs"), intervalMs);
    Q_EMIT intervalMsChanged(intervalMs);
}

void Settings::setConsoleCapture(bool capture)
{
    if (capture == m_consoleCapture)
        return;
    m_consoleCapture = capture;
    QSettings().setValue(QStringLiteral("sampling/consoleTimers"), capture);
    Q_EMIT consoleCaptureChanged(capture);
}

void Settings::setWorkerWatching(bool on)
{
    if (on == m_workerWatching)
        return;
    m_workerWatching = on;
    QSettings().setValue(QStringLiteral("sampling/workers"), on);
    Q_EMIT workerWatchingChanged(on);
}

void Settings::setSampleThroughInspector(bool through)
{
    if (through == m_sampleThroughInspector)
        return;
    m_sampleThroughInspector = through;
    QSettings().setValue(QStringLiteral("sampling/throughInspector"), through);
    Q_EMIT sampleThroughInspectorChanged(through);
}

void Settings::setWindowMs(qint64 windowMs)
{
    if (windowMs == m_windowMs || !windowChoices().contains(windowMs))
        return;
    m_windowMs = windowMs;
    QSettings().setValue(QStringLiteral("view/windowMs"), windowMs);
    Q_EMIT windowMsChanged(windowMs);
}

void Settings::setShowAllProcesses(bool showAll)
{
    if (showAll == m_showAllProcesses)
        return;
    m_showAllProcesses = showAll;
    QSettings().setValue(QStringLiteral("picker/showAll"), showAll);
    Q_EMIT showAllProcessesChanged(showAll);
}

void Settings::setLastDirectory(const QString& directory)
{
    if (directory == m_lastDirectory)
        return;
    m_lastDirectory = directory;
    QSettings().setValue(QStringLiteral("lastDirectory"), directory);
    Q_EMIT lastDirectoryChanged(directory);
}

void Settings::setLeakSettings(const LeakSettings& settings)
{
    m_leakSettings = settings;
    QSettings store;
    store.setValue(QStringLiteral("leak/windowSeconds"), settings.windowSeconds);
    store.setValue(QStringLiteral("leak/minGrowthBytes"), settings.minGrowthBytes);
    store.setValue(QStringLiteral("leak/confirmSeconds"), settings.confirmSeconds);
    store.setValue(QStringLiteral("leak/collectionBudgetMs"), settings.collectionBudgetMs);
    Q_EMIT leakSettingsChanged(settings);
}

void Settings::setSeriesHidden(Metric metric, bool hidden)
{
    if (hidden == m_hiddenSeries.contains(metric))
        return;
    if (hidden)
        m_hiddenSeries.insert(metric);
    else
        m_hiddenSeries.remove(metric);
    saveHiddenSeries();
    Q_EMIT seriesHiddenChanged(metric, hidden);
}

QByteArray Settings::windowGeometry() const
{
    return QSettings().value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray Settings::windowState() const
{
    return QSettings().value(QStringLiteral("window/state")).toByteArray();
}

void Settings::saveWindowLayout(const QByteArray& geometry, const QByteArray& state)
{
    QSettings store;
    store.setValue(QStringLiteral("window/geometry"), geometry);
    store.setValue(QStringLiteral("window/state"), state);
}

void Settings::saveHiddenSeries() const
{
    QStringList keys;
    for (const MetricInfo& info : Metrics::all()) {
        if (m_hiddenSeries.contains(info.id))
            keys.append(info.key);
    }
    QSettings().setValue(QStringLiteral("view/hiddenSeries"), keys);
}

} // namespace NodeScope

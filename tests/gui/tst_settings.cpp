// The dashboard's settings have one owner: controls that show the same
// setting agree, a change is saved at once, and a restart shows what was saved.

#include "charts/timeserieschart.h"
#include "mainwindow.h"
#include "panels/stopwatchpanel.h"
#include "settings.h"
#include "watch/livesession.h"

#include "testmain.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QSettings>

using namespace NodeScope;

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("NodeScopeSettingsTest"));
    }
    void init() { QSettings().clear(); }

    void changesAreSavedAndSignalledOnce()
    {
        Settings settings;
        QSignalSpy interval(&settings, &Settings::intervalMsChanged);
        settings.setIntervalMs(1000);
        settings.setIntervalMs(1000);
        QCOMPARE(interval.size(), 1);
        settings.setIntervalMs(3); // below the minimum: clamped
        QCOMPARE(settings.intervalMs(), 10);
        settings.setWindowMs(123); // not a window offered: ignored
        QCOMPARE(settings.windowMs(), qint64(5 * 60 * 1000));
        settings.setWindowMs(0);
        settings.setConsoleCapture(true);
        settings.setSampleThroughInspector(true);
        settings.setSeriesHidden(Metric::External, true);
        LeakSettings leak;
        leak.windowSeconds = 300;
        settings.setLeakSettings(leak);

        const Settings reloaded;
        QCOMPARE(reloaded.intervalMs(), 10);
        QCOMPARE(reloaded.windowMs(), qint64(0));
        QCOMPARE(reloaded.consoleCapture(), true);
        QCOMPARE(reloaded.sampleThroughInspector(), true);
        QVERIFY(reloaded.isSeriesHidden(Metric::External));
        QVERIFY(!reloaded.isSeriesHidden(Metric::Rss));
        QCOMPARE(reloaded.leakSettings().windowSeconds, 300);
    }

    // Series are saved by stable key; names saved by older versions still count.
    void hiddenSeriesByKeyAndByOldName()
    {
        QSettings().setValue(QStringLiteral("view/hiddenSeries"), QStringList{QStringLiteral("CPU total")});
        Settings settings;
        QVERIFY(settings.isSeriesHidden(Metric::Cpu));
        settings.setSeriesHidden(Metric::HeapTotal, true);
        QCOMPARE(QSettings().value(QStringLiteral("view/hiddenSeries")).toStringList(),
            QStringList({QStringLiteral("heapTotal"), QStringLiteral("cpu")}));
    }

    // The bug this owner fixes: the panel's checkbox and the menu action
    // drifted apart, and the panel's toggle was never saved.
    void captureMenuAndPanelAgreeAndPersist()
    {
        {
            MainWindow window;
            window.setConfirmDiscard(false);
            QCheckBox* box = window.stopwatchPanel()->captureCheckBox();
            // Off by default: it costs a process that logs a lot.
            QVERIFY(!box->isChecked());
            QVERIFY(!window.captureAction()->isChecked());
            box->click();
            QVERIFY(box->isChecked());
            QVERIFY(window.captureAction()->isChecked());
            QVERIFY(window.session()->consoleCapture());
            QCOMPARE(QSettings().value(QStringLiteral("sampling/consoleTimers")).toBool(), true);
            window.captureAction()->trigger();
            QVERIFY(!box->isChecked());
            window.captureAction()->trigger();
            QVERIFY(box->isChecked());
            QVERIFY(!box->toolTip().isEmpty());
        }
        MainWindow restarted;
        restarted.setConfirmDiscard(false);
        QVERIFY(restarted.stopwatchPanel()->captureCheckBox()->isChecked());
        QVERIFY(restarted.captureAction()->isChecked());
        QVERIFY(restarted.session()->consoleCapture());
    }

    // Worker threads are watched by default (no workers, no cost); the
    // menu action, the setting and the session agree, and it persists.
    void workerWatchingMenuFollowsTheSettingAndPersists()
    {
        {
            MainWindow window;
            window.setConfirmDiscard(false);
            // Off until asked for: it costs a process with workers dearly.
            QVERIFY(!window.workersAction()->isChecked());
            QVERIFY(!window.session()->workerWatching());
            QVERIFY(window.workersAction()->toolTip().contains(QLatin1String("console")));
            window.workersAction()->trigger();
            QVERIFY(window.settings()->workerWatching());
            QVERIFY(window.session()->workerWatching());
            QCOMPARE(QSettings().value(QStringLiteral("sampling/workers")).toBool(), true);
        }
        MainWindow restarted;
        restarted.setConfirmDiscard(false);
        QVERIFY(restarted.workersAction()->isChecked());
        QVERIFY(restarted.session()->workerWatching());
        restarted.settings()->setWorkerWatching(false);
        QVERIFY(!restarted.workersAction()->isChecked());
        QVERIFY(!restarted.session()->workerWatching());
    }

    void intervalAndWindowControlsFollowTheSetting()
    {
        MainWindow window;
        window.setConfirmDiscard(false);
        window.settings()->setIntervalMs(1000);
        QCOMPARE(window.session()->intervalMs(), 1000);
        auto* intervalCombo = window.findChild<QComboBox*>(QStringLiteral("intervalCombo"));
        QVERIFY(intervalCombo);
        QCOMPARE(intervalCombo->currentData().toInt(), 1000);
        window.setWindowLength(15 * 60 * 1000);
        auto* windowCombo = window.findChild<QComboBox*>(QStringLiteral("windowCombo"));
        QVERIFY(windowCombo);
        QCOMPARE(windowCombo->currentData().toLongLong(), qint64(15 * 60 * 1000));
        int checked = 0;
        for (QAction* action : window.findChildren<QAction*>()) {
            if (action->isCheckable() && action->isChecked() && action->data().toLongLong() == 15 * 60 * 1000)
                ++checked;
        }
        QCOMPARE(checked, 1);
    }

    void hidingASeriesInOneWindowIsRememberedForTheNext()
    {
        {
            MainWindow window;
            window.setConfirmDiscard(false);
            window.memoryChart()->setSeriesVisible(Metric::External, false);
            Q_EMIT window.memoryChart()->seriesVisibilityChanged(Metric::External, false);
        }
        MainWindow next;
        next.setConfirmDiscard(false);
        QVERIFY(!next.memoryChart()->isSeriesVisible(Metric::External));
        QVERIFY(next.memoryChart()->isSeriesVisible(Metric::HeapUsed));
    }
};

NODESCOPE_TEST_MAIN(TestSettings)
#include "tst_settings.moc"

// The two leak dialogs that ask before they cost the target something,
// offscreen: the heap snapshot confirmation with its estimate (and its
// advice against one that does not fit), and the leak settings with the
// forced-collection pause budget.

#include "panels/heapsnapshotconfirmation.h"
#include "panels/leaksettingsdialog.h"

#include "testmain.h"

#include <QAbstractButton>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>

using namespace NodeScope;

namespace {

constexpr qint64 MiB = 1024 * 1024;

MemoryLimits roomy()
{
    MemoryLimits limits;
    limits.memAvailableBytes = 6LL * 1024 * MiB;
    return limits;
}

} // namespace

class TestLeakDialogs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void snapshotThatFitsIsOffered()
    {
        const HeapSnapshotEstimate estimate = HeapSnapshotEstimate::of(52 * MiB, roomy(), 40LL * 1024 * MiB);
        HeapSnapshotConfirmation box(QStringLiteral("node server.js (PID 4242)"), estimate, nullptr);
        QVERIFY(!box.advisedAgainst());
        QCOMPARE(box.icon(), QMessageBox::Question);
        QCOMPARE(box.text(), QStringLiteral("Take a heap snapshot of node server.js (PID 4242)?"));
        QCOMPARE(box.takeButton()->text(), QStringLiteral("Take snapshot"));
        QCOMPARE(box.defaultButton(), box.takeButton());
        // The estimate, in the units of everywhere else.
        QVERIFY2(box.informativeText().startsWith(QStringLiteral("heapUsed is 52.0 MB")),
            qPrintable(box.informativeText()));
        QVERIFY(box.informativeText().contains(QStringLiteral("6.00 GB available on the machine")));
    }

    void snapshotThatDoesNotFitIsAdvisedAgainst()
    {
        MemoryLimits tight;
        tight.memAvailableBytes = 300 * MiB;
        const HeapSnapshotEstimate estimate
            = HeapSnapshotEstimate::of(52 * MiB, tight, MemoryLimits::kUnknown);
        HeapSnapshotConfirmation box(QStringLiteral("node server.js (PID 4242)"), estimate, nullptr);
        QVERIFY(box.advisedAgainst());
        QCOMPARE(box.icon(), QMessageBox::Warning);
        QVERIFY(box.text().startsWith(QStringLiteral("Not recommended: the process may grow by")));
        QCOMPARE(box.takeButton()->text(), QStringLiteral("Take it anyway"));
        // Enter must not take it.
        QVERIFY(box.defaultButton() != box.takeButton());
        QCOMPARE(box.defaultButton(), box.button(QMessageBox::Cancel));
    }

    void leakSettingsRoundTrip()
    {
        LeakSettings chosen;
        chosen.windowSeconds = 15 * 60;
        chosen.minGrowthBytes = 8 * MiB;
        chosen.confirmSeconds = 240;
        chosen.collectionBudgetMs = 250;
        LeakSettingsDialog dialog(chosen);
        const LeakSettings read = dialog.settings();
        QCOMPARE(read.windowSeconds, chosen.windowSeconds);
        QCOMPARE(read.minGrowthBytes, chosen.minGrowthBytes);
        QCOMPARE(read.confirmSeconds, chosen.confirmSeconds);
        QCOMPARE(read.collectionBudgetMs, 250);

        auto* budget = dialog.findChild<QSpinBox*>(QStringLiteral("gcPauseBudget"));
        QVERIFY(budget);
        QCOMPARE(budget->text(), QStringLiteral("250 ms"));
        // What it costs the process is in sight, and follows the value.
        auto* note = dialog.findChild<QLabel*>(QStringLiteral("gcPauseBudgetNote"));
        QVERIFY(note);
        QVERIFY2(note->text().startsWith(QStringLiteral("Pauses the process for up to 250 ms at a time")),
            qPrintable(note->text()));
        budget->setValue(0);
        QCOMPARE(budget->text(), QStringLiteral("never"));
        QVERIFY(note->text().startsWith(QStringLiteral("NodeScope never pauses the process on its own")));
        QCOMPARE(dialog.settings().collectionBudgetMs, 0);

        auto* buttons = dialog.findChild<QDialogButtonBox*>();
        QVERIFY(buttons);
        buttons->button(QDialogButtonBox::RestoreDefaults)->click();
        const LeakSettings defaults;
        QCOMPARE(dialog.settings().windowSeconds, defaults.windowSeconds);
        QCOMPARE(dialog.settings().minGrowthBytes, defaults.minGrowthBytes);
        QCOMPARE(dialog.settings().confirmSeconds, defaults.confirmSeconds);
        QCOMPARE(dialog.settings().collectionBudgetMs, defaults.collectionBudgetMs);
    }
};

NODESCOPE_TEST_MAIN(TestLeakDialogs)
#include "tst_leakdialogs.moc"

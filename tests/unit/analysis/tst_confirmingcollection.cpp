// When the pipeline forces a collection on its own to confirm a rising heap
// floor (core/analysis/confirmingcollection.h): only within the user's pause
// budget, only while the floor rises undecided, one at a time, at most once
// a minute, and its expected pause follows the last one measured.

#include "analysis/confirmingcollection.h"
#include "testmain.h"

#include <QObject>
#include <QtTest>

using namespace NodeScope;
using State = LeakVerdict::State;

namespace {

constexpr qint64 MiB = 1024 * 1024;

LeakVerdict verdict(State state, qint64 riseBytes = 0, bool risingNow = false)
{
    LeakVerdict v;
    v.state = state;
    v.riseBytes = riseBytes;
    v.risingNow = risingNow;
    return v;
}

} // namespace

class TestConfirmingCollection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void neverWithoutABudget()
    {
        ConfirmingCollection c;
        QCOMPARE(c.budgetMs(), 0);
        QVERIFY(!c.wanted(verdict(State::Suspect), 8 * MiB, 60000));
        c.setBudgetMs(-5);
        QCOMPARE(c.budgetMs(), 0);
    }

    void onlyWhileTheFloorRisesUndecided()
    {
        ConfirmingCollection c;
        c.setBudgetMs(100);
        QVERIFY(c.wanted(verdict(State::Suspect), 8 * MiB, 60000));
        QVERIFY(c.wanted(verdict(State::Learning, 20 * MiB, true), 8 * MiB, 60000));
        QVERIFY(c.wanted(verdict(State::Ok, 20 * MiB, true), 8 * MiB, 60000));
        QVERIFY(!c.wanted(verdict(State::Ok, 20 * MiB, false), 8 * MiB, 60000)); // rose, no longer rising
        QVERIFY(!c.wanted(verdict(State::Ok), 8 * MiB, 60000)); // steady
        QVERIFY(!c.wanted(verdict(State::Leak, 20 * MiB, true), 8 * MiB, 60000)); // decided
        QVERIFY(!c.wanted(verdict(State::Suspect), -1, 60000)); // no heap figure
    }

    // Before any is measured, 10 ms per MB: a 50 ms budget allows up to 5 MB.
    void onlyWithinTheBudget()
    {
        ConfirmingCollection c;
        c.setBudgetMs(50);
        QCOMPARE(c.expectedPauseMs(5 * MiB), 50.0);
        QVERIFY(c.wanted(verdict(State::Suspect), 5 * MiB, 60000));
        QVERIFY(!c.wanted(verdict(State::Suspect), 6 * MiB, 60000));
        QCOMPARE(c.expectedPauseMs(0), 1.0); // never free: a round trip at least
    }

    void oneAtATimeAndAMinuteApart()
    {
        ConfirmingCollection c;
        c.setBudgetMs(100);
        c.requested(60000);
        QVERIFY(c.pending());
        QVERIFY(!c.wanted(verdict(State::Suspect), 8 * MiB, 200000)); // still unanswered
        c.measured(8 * MiB, 4.0);
        QVERIFY(!c.pending());
        QVERIFY(!c.wanted(verdict(State::Suspect), 8 * MiB, 60000 + ConfirmingCollection::kMinGapMs - 1));
        QVERIFY(c.wanted(verdict(State::Suspect), 8 * MiB, 60000 + ConfirmingCollection::kMinGapMs));
        c.requested(200000);
        c.failed();
        QVERIFY(!c.pending());
        QVERIFY(!c.wanted(verdict(State::Suspect), 8 * MiB, 200000 + 1000));
    }

    // A collection measured at 2 ms per MB: the next expects that, and the
    // same 50 ms budget now allows 25 MB. reset() forgets it.
    void expectationFollowsTheLastMeasured()
    {
        ConfirmingCollection c;
        c.setBudgetMs(50);
        c.measured(10 * MiB, 20.0);
        QCOMPARE(c.expectedPauseMs(25 * MiB), 50.0);
        QVERIFY(c.wanted(verdict(State::Suspect), 25 * MiB, 60000));
        QVERIFY(!c.wanted(verdict(State::Suspect), 26 * MiB, 60000));
        c.measured(0, 20.0); // no heap figure to scale by: kept as it was
        QCOMPARE(c.expectedPauseMs(25 * MiB), 50.0);
        c.reset();
        QCOMPARE(c.expectedPauseMs(5 * MiB), 50.0);
        QCOMPARE(c.budgetMs(), 50); // a setting, not something learned
    }
};

NODESCOPE_TEST_MAIN(TestConfirmingCollection)
#include "tst_confirmingcollection.moc"

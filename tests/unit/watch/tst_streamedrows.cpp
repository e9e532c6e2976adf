#include "watch/streamedrows.h"

#include "testmain.h"

#include <cmath>

using namespace NodeScope;

namespace {

constexpr qint64 kStart = 1'700'000'000'000;

Sample osAt(qint64 wallMs, qint64 rss)
{
    Sample sample;
    sample.wallMs = wallMs;
    sample.elapsedMs = quint32(wallMs - kStart);
    sample.rssBytes = rss;
    sample.threads = 7;
    sample.cpuUserPercent = 12;
    sample.cpuSystemPercent = 3;
    return sample;
}

TargetReading readingAt(qint64 wallMs, qint64 heapUsed, int collections = 0)
{
    TargetReading reading;
    reading.wallMs = wallMs;
    reading.heapTotalBytes = heapUsed * 2;
    reading.heapUsedBytes = heapUsed;
    reading.externalBytes = 1000;
    reading.arrayBuffersBytes = 100;
    reading.runtime.elu = 0.5f;
    reading.runtime.gcCount = collections;
    reading.runtime.gcPauseMs = float(collections);
    reading.collections.count[CollectionCounts::Minor] = collections;
    reading.collections.pauseMs[CollectionCounts::Minor] = collections;
    return reading;
}

} // namespace

class TestStreamedRows : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Each reading is a row at its own time, with the /proc figures taken
    // nearest to it and its own heap figures.
    void aRowPerReadingWithTheNearestOsFigures()
    {
        StreamedRows rows;
        rows.reset(kStart, kStart - 1);
        for (qint64 t = 0; t <= 100; t += 10)
            rows.addOsSample(osAt(kStart + t, 1'000'000 + t));
        const QList<StreamedRows::Row> made = rows.rowsFor(
            {readingAt(kStart + 12, 500), readingAt(kStart + 27, 600), readingAt(kStart + 44, 700)});
        QCOMPARE(made.size(), 3);
        QCOMPARE(made[0].sample.wallMs, kStart + 12);
        QCOMPARE(made[0].sample.elapsedMs, quint32(12));
        QCOMPARE(made[0].sample.rssBytes, 1'000'010); // the /proc sample at +10
        QCOMPARE(made[1].sample.rssBytes, 1'000'030); // +27 is nearest +30
        QCOMPARE(made[2].sample.rssBytes, 1'000'040);
        QCOMPARE(made[2].sample.heapUsedBytes, 700);
        QCOMPARE(made[2].sample.heapTotalBytes, 1400);
        QCOMPARE(made[2].sample.threads, quint16(7));
        QCOMPARE(made[0].gapMs, 0);
        QCOMPARE(made[1].gapMs, 15);
        QCOMPARE(rows.lastRowWallMs(), kStart + 44);
    }

    // Rows never go back in time: a reading from before the rows the
    // session already has (or before the stream began) makes no row, and
    // its collections are not lost but go with the next row.
    void aLateReadingsCollectionsGoWithTheNextRow()
    {
        StreamedRows rows;
        rows.reset(kStart, kStart + 50);
        rows.addOsSample(osAt(kStart + 60, 1));
        QList<StreamedRows::Row> made = rows.rowsFor({readingAt(kStart + 40, 500, 2)});
        QVERIFY(made.isEmpty());
        made = rows.rowsFor({readingAt(kStart + 61, 600, 3)});
        QCOMPARE(made.size(), 1);
        QCOMPARE(made[0].reading.runtime.gcCount, 5);
        QCOMPARE(made[0].reading.collections.count[CollectionCounts::Minor], 5);
        QCOMPARE(made[0].reading.collections.pauseMs[CollectionCounts::Minor], 5.0);
        QCOMPARE(made[0].sample.heapUsedBytes, 600);
        // Carried once only.
        made = rows.rowsFor({readingAt(kStart + 71, 650, 1)});
        QCOMPARE(made[0].reading.runtime.gcCount, 1);
    }

    // A stretch with no reading (a blocked loop): its /proc samples become
    // rows without heap figures once they are older than the grace the
    // caller gives; the readings that follow carry on after them.
    void osSamplesWithoutReadingsBecomeRowsOfTheirOwn()
    {
        StreamedRows rows;
        rows.reset(kStart, kStart - 1);
        rows.addOsSample(osAt(kStart, 10));
        QCOMPARE(rows.rowsFor({readingAt(kStart + 1, 500)}).size(), 1);
        for (qint64 t = 10; t <= 1500; t += 10)
            rows.addOsSample(osAt(kStart + t, 10 + t));
        // Nothing is older than the cut-off yet that a reading covers.
        const QList<Sample> uncovered = rows.uncoveredBefore(kStart + 500);
        QCOMPARE(uncovered.size(), 49); // +10 ... +490
        QCOMPARE(uncovered.first().wallMs, kStart + 10);
        QVERIFY(!uncovered.first().hasHeap());
        QCOMPARE(uncovered.first().rssBytes, 20);
        QVERIFY(rows.uncoveredBefore(kStart + 500).isEmpty()); // once only
        // The loop turns again: the next reading shows the gap since the last one.
        const QList<StreamedRows::Row> made = rows.rowsFor({readingAt(kStart + 1200, 800)});
        QCOMPARE(made.size(), 1);
        QCOMPARE(made[0].gapMs, 1199);
        QVERIFY(rows.uncoveredBefore(kStart + 1200).isEmpty());
    }

    // Readings that arrive before any /proc sample wait for none: their
    // collections go with the first row that has one.
    void noOsSampleYetMakesNoRow()
    {
        StreamedRows rows;
        rows.reset(kStart, kStart - 1);
        QVERIFY(rows.rowsFor({readingAt(kStart + 5, 500, 1)}).isEmpty());
        rows.addOsSample(osAt(kStart + 10, 1));
        const QList<StreamedRows::Row> made = rows.rowsFor({readingAt(kStart + 15, 600, 1)});
        QCOMPARE(made.size(), 1);
        QCOMPARE(made[0].reading.runtime.gcCount, 2);
    }

    // Only recent /proc samples are kept.
    void oldOsSamplesAreLetGo()
    {
        StreamedRows rows;
        rows.reset(kStart, kStart - 1);
        for (qint64 t = 0; t <= 20'000; t += 10)
            rows.addOsSample(osAt(kStart + t, t));
        const QList<StreamedRows::Row> made = rows.rowsFor({readingAt(kStart + 1000, 500)});
        QCOMPARE(made.size(), 1);
        QCOMPARE(made[0].sample.rssBytes, 20'000 - StreamedRows::kKeepOsMs); // the oldest kept
    }
};

NODESCOPE_TEST_MAIN(TestStreamedRows)
#include "tst_streamedrows.moc"

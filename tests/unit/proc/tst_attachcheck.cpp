#include "proc/attachcheck.h"

#include "testmain.h"

#include <QProcess>

#include <unistd.h>

using namespace NodeScope;

// The one pre-attach check the dashboard, `record` and the inspector
// connection share, on real processes that are not Node.
class TestAttachCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aMissingProcessCannotBeWatched()
    {
        const AttachCheck check = AttachCheck::of(1073741800);
        QVERIFY(!check.canWatch());
        QVERIFY(!check.canAttach());
        QCOMPARE(check.reason(), QStringLiteral("PID 1073741800 does not exist"));
    }

    void aProcessThatIsNotNodeIsWatchedButNotAttached()
    {
        const AttachCheck check = AttachCheck::of(getpid());
        QVERIFY(check.canWatch());
        QVERIFY(!check.canAttach());
        QVERIFY2(
            check.reason().contains(QLatin1String("is not a Node.js process")), qPrintable(check.reason()));
        QVERIFY(check.process());
        QCOMPARE(check.process()->pid, qint64(getpid()));
    }

    void anExitedProcessCannotBeWatched()
    {
        QProcess child;
        child.start(QStringLiteral("true"), {});
        QVERIFY(child.waitForStarted());
        const qint64 pid = child.processId();
        // A zombie until reaped: /proc still has it, but it is gone.
        QTRY_VERIFY_WITH_TIMEOUT(!AttachCheck::of(pid).canWatch(), 5000);
        child.waitForFinished();
    }
};

NODESCOPE_TEST_MAIN(TestAttachCheck)
#include "tst_attachcheck.moc"

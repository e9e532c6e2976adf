// The stack view and the CPU profile table, offscreen: their models under
// QAbstractItemModelTester, then both dialogs driven as a user would against
// a real node process spinning in a named function.

#include "analysis/cpuprofile.h"
#include "mainwindow.h"
#include "models/profilefunctionsmodel.h"
#include "models/stackframesmodel.h"
#include "panels/cpuprofiledialog.h"
#include "panels/stackdialog.h"
#include "watch/livesession.h"

#include "nodeprocess.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QFont>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QScreen>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>

using namespace NodeScope;

namespace {

// With NODESCOPE_SHOTS=DIR (a manual run under Xvfb), the views and the
// whole screen are saved there as PNGs to be looked at.
void saveShot(QWidget* widget, const QString& name)
{
    const QString directory = qEnvironmentVariable("NODESCOPE_SHOTS");
    if (directory.isEmpty())
        return;
    QCoreApplication::processEvents();
    widget->grab().save(directory + QLatin1String("/stack-shot-") + name + QLatin1String(".png"));
    if (QScreen* screen = QGuiApplication::primaryScreen())
        screen->grabWindow(0).save(
            directory + QLatin1String("/stack-shot-") + name + QLatin1String("-screen.png"));
}

SourceFrame frame(const QString& function, const QString& url, int line)
{
    SourceFrame result;
    result.function = function;
    result.url = url;
    result.line = line;
    result.column = 3;
    return result;
}

} // namespace

class TestStackView : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("NodeScopeTest"));
        QSettings().clear();
    }

    void stackFramesModel()
    {
        StackFramesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFrames({frame(QStringLiteral("spin"), QStringLiteral("file:///app/a.js"), 12),
            frame(QStringLiteral("processImmediate"), QStringLiteral("node:internal/timers"), 476),
            frame(QStringLiteral("handle"), QStringLiteral("/app/node_modules/x/index.js"), 5)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, StackFramesModel::Function).data().toString(), QStringLiteral("spin"));
        QCOMPARE(model.index(0, StackFramesModel::Location).data().toString(),
            QStringLiteral("file:///app/a.js:12:3"));
        QCOMPARE(model.index(0, StackFramesModel::Origin).data().toString(), QStringLiteral("app"));
        QCOMPARE(model.index(1, StackFramesModel::Origin).data().toString(), QStringLiteral("Node.js"));
        QCOMPARE(model.index(2, StackFramesModel::Origin).data().toString(), QStringLiteral("node_modules"));
        // The app's frames stand out; the rest is grey context.
        QVERIFY(model.index(0, 0).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model.index(0, 0).data(Qt::ForegroundRole).isValid());
        QVERIFY(!model.index(1, 0).data(Qt::FontRole).isValid());
        QVERIFY(model.index(1, 0).data(Qt::ForegroundRole).isValid());
        QVERIFY(model.index(2, 0).data(Qt::ForegroundRole).isValid());
        model.setFrames({frame(QStringLiteral("other"), QStringLiteral("/b.js"), 1)});
        QCOMPARE(model.rowCount(), 1);
        model.setFrames({});
        QCOMPARE(model.rowCount(), 0);
    }

    void profileFunctionsModelSortsByNumber()
    {
        QFile file(QStringLiteral(NODESCOPE_FIXTURES_DIR "/cpuprofile/outer-inner-idle.cpuprofile"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QString error;
        const auto profile = CpuProfile::parse(json, &error);
        QVERIFY2(profile, qPrintable(error));
        ProfileFunctionsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel sorted;
        sorted.setSourceModel(&model);
        sorted.setSortRole(ProfileFunctionsModel::SortRole);
        model.setProfile(*profile);
        QCOMPARE(model.rowCount(), 3);
        // By total time, as numbers: outer 10 ms, inner 9 ms, (idle) 2 ms (as text, "9.0" would come first).
        sorted.sort(ProfileFunctionsModel::TotalMs, Qt::DescendingOrder);
        QCOMPARE(sorted.index(0, ProfileFunctionsModel::Function).data().toString(), QStringLiteral("outer"));
        QCOMPARE(sorted.index(0, ProfileFunctionsModel::TotalMs).data().toString(), QStringLiteral("10.0"));
        QCOMPARE(
            sorted.index(0, ProfileFunctionsModel::TotalPercent).data().toString(), QStringLiteral("83.3"));
        QCOMPARE(
            sorted.index(2, ProfileFunctionsModel::Function).data().toString(), QStringLiteral("(idle)"));
        sorted.sort(ProfileFunctionsModel::SelfMs, Qt::DescendingOrder);
        QCOMPARE(sorted.index(0, ProfileFunctionsModel::Function).data().toString(), QStringLiteral("inner"));
        QCOMPARE(
            sorted.index(0, ProfileFunctionsModel::SelfPercent).data().toString(), QStringLiteral("75.0"));
        QCOMPARE(sorted.index(0, ProfileFunctionsModel::Location).data().toString(),
            QStringLiteral("file:///app/node_modules/m/i.js:9"));
        QVERIFY(sorted.index(2, 0).data(Qt::FontRole).value<QFont>().bold()); // outer: the app's own
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    // The whole way through the dashboard: attach, Show stack, Copy, record
    // a profile, read its table, save it.
    void stackAndProfileOfALiveProcess()
    {
        QVERIFY2(!NodeProcess::nodeBinary().isEmpty(), "node is not installed; scripts/test.sh installs it");
        NodeProcess node;
        QVERIFY(node.startNode("spinner.js", {}, {QStringLiteral("chunks")}));
        MainWindow window;
        window.setConfirmDiscard(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(!window.stackAction()->isEnabled());
        window.attachToPid(node.pid());
        LiveSession* session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(!session->target().nodeVersion.isEmpty(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(window.stackAction()->isEnabled(), 5000);
        // The probe has taken over once the inspector the attach opened is closed again.
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 10000);
        QVERIFY(window.cpuProfileAction()->isEnabled());

        window.stackAction()->trigger();
        StackDialog* stack = window.stackDialog();
        QVERIFY(stack && stack->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(stack->model()->rowCount() > 0, 20000);
        stack->copyToClipboard();
        // Innermost burnChunk called by spinChunks, or spinChunks itself between two calls.
        const QString innermost = stack->model()->index(0, StackFramesModel::Function).data().toString();
        QVERIFY2(innermost == QLatin1String("burnChunk") || innermost == QLatin1String("spinChunks"),
            qPrintable(QGuiApplication::clipboard()->text()));
        QVERIFY(stack->model()->index(0, 0).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY2(stack->statusText().contains(QLatin1String("held for")), qPrintable(stack->statusText()));
        stack->copyToClipboard();
        const QString copied = QGuiApplication::clipboard()->text();
        QVERIFY2(copied.contains(QLatin1String("\nspinChunks file://")), qPrintable(copied));
        // Take again works the same.
        stack->takeStack();
        QTRY_VERIFY_WITH_TIMEOUT(stack->statusText().contains(QLatin1String("held for")), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        saveShot(stack, QStringLiteral("stack"));

        window.cpuProfileAction()->trigger();
        CpuProfileDialog* profile = window.cpuProfileDialog();
        QVERIFY(profile && profile->isVisible());
        profile->setSeconds(1);
        profile->record();
        QTRY_VERIFY_WITH_TIMEOUT(
            profile->hasProfile() || profile->statusText().startsWith(QLatin1String("No")), 20000);
        QVERIFY2(profile->hasProfile(), qPrintable(profile->statusText()));
        // Sorted by self time: the spinning code first (burnChunk, or spinChunks where V8 inlined it).
        const QString top
            = profile->sortedModel()->index(0, ProfileFunctionsModel::Function).data().toString();
        QVERIFY2(top == QLatin1String("burnChunk") || top == QLatin1String("spinChunks"), qPrintable(top));
        QVERIFY2(profile->statusText().contains(top), qPrintable(profile->statusText()));
        QVERIFY(profile->sortedModel()
                    ->index(0, ProfileFunctionsModel::SelfPercent)
                    .data(ProfileFunctionsModel::SortRole)
                    .toDouble()
            > 0);
        const QString saved = m_dir.filePath(QStringLiteral("dashboard.cpuprofile"));
        QVERIFY(profile->saveProfile(saved));
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString error;
        QVERIFY2(CpuProfile::parse(file.readAll(), &error), qPrintable(error));
        saveShot(profile, QStringLiteral("profile"));
        // One profile at a time: a second one is refused with a reason, not queued.
        QSignalSpy recorded(session, &LiveSession::cpuProfileRecorded);
        session->recordCpuProfile(1);
        session->recordCpuProfile(1);
        QCOMPARE(recorded.size(), 1);
        QVERIFY(recorded.first().at(1).toString().contains(QLatin1String("already being recorded")));
        QVERIFY(recorded.wait(20000));
        QCOMPARE(recorded.at(1).at(1).toString(), QString());
        QVERIFY(!recorded.at(1).at(0).toJsonObject().value(QLatin1String("nodes")).toArray().isEmpty());

        // Detached: the actions go grey, and nothing of ours is left in the process.
        session->detach();
        QTRY_VERIFY_WITH_TIMEOUT(!window.stackAction()->isEnabled(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        QVERIFY(node.isRunning());
    }
};

NODESCOPE_TEST_MAIN(TestStackView)
#include "tst_stackview.moc"

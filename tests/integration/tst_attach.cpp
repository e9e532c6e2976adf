// Attaching to real node processes through the core library.

#include "inspector/inspectorconnection.h"
#include "proc/listeningports.h"
#include "proc/processtable.h"
#include "watch/sampler.h"

#include "fakeinspector.h"
#include "nodeprocess.h"
#include "testmain.h"

#include <QTcpServer>
#include <QTemporaryDir>

#include <cmath>

#include <unistd.h>

using namespace NodeScope;

namespace {

// Attaches and waits; returns the failure reason, or empty on success.
QString attach(InspectorConnection& connection, qint64 pid)
{
    QSignalSpy attached(&connection, &InspectorConnection::attached);
    QSignalSpy failed(&connection, &InspectorConnection::attachFailed);
    connection.attachToPid(pid);
    if (!QTest::qWaitFor([&] { return !attached.isEmpty() || !failed.isEmpty(); }, 15000))
        return QStringLiteral("no answer within 15 s");
    return failed.isEmpty() ? QString() : failed.first().at(0).toString();
}

bool detach(InspectorConnection& connection)
{
    QSignalSpy detached(&connection, &InspectorConnection::detached);
    connection.detach();
    return detached.wait(5000) || detached.size() == 1;
}

} // namespace

class TestAttach : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!NodeProcess::nodeBinary().isEmpty(), "node is not installed; scripts/test.sh installs it");
    }

    void usesAnInspectorTheProcessAlreadyHas()
    {
        NodeProcess node;
        QVERIFY(node.startNode("idle.js", {QStringLiteral("--inspect=0")}));
        QTRY_VERIFY_WITH_TIMEOUT(!NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        const quint16 port = *NodeProcess::listeningPorts(node.pid()).cbegin();

        const std::optional<ProcessInfo> info = ProcessTable::read(node.pid());
        QVERIFY(info);
        QVERIFY(info->isNode);
        QCOMPARE(info->inspector.state, InspectorStatus::State::Open);
        QCOMPARE(info->inspector.port, port);

        InspectorConnection connection;
        QCOMPARE(attach(connection, node.pid()), QString());
        QCOMPARE(connection.target().pid, node.pid());
        QCOMPARE(connection.target().inspectorPort, port);
        QVERIFY(!connection.target().inspectorOpenedByUs);
        QVERIFY(connection.target().nodeVersion.startsWith(QLatin1Char('v')));
        QVERIFY(connection.target().heapLimitBytes > 64 * 1024 * 1024);
        QVERIFY(detach(connection));
        // Not ours to close: the user's --inspect port stays open.
        QTest::qWait(200);
        QVERIFY(NodeProcess::listeningPorts(node.pid()).contains(port));
        QVERIFY(node.isRunning());
    }

    void opensByTheSignalAndMatchesTheProcesssOwnFigures_data()
    {
        QTest::addColumn<int>("intervalMs");
        QTest::newRow("a reading per request") << 100;
        QTest::newRow("streamed readings") << 10;
    }
    void opensByTheSignalAndMatchesTheProcesssOwnFigures()
    {
        QFETCH(int, intervalMs);
        NodeProcess node;
        QVERIFY(node.startNode("self-report.js"));
        QCOMPARE(ProcessTable::read(node.pid())->inspector.state, InspectorStatus::State::Closed);

        Sampler sampler;
        QSignalSpy attached(&sampler, &Sampler::attached);
        QSignalSpy failed(&sampler, &Sampler::attachFailed);
        QList<Sample> samples;
        connect(&sampler, &Sampler::sampleReady, this, [&](const Sample& sample) { samples.append(sample); });
        sampler.watchPid(node.pid(), {intervalMs, true, true});
        QVERIFY(attached.wait(15000));
        QVERIFY(failed.isEmpty());
        const TargetInfo target = attached.first().at(0).value<TargetInfo>();
        QVERIFY(target.inspectorOpenedByUs);
        // The probe takes over and the inspector we opened is closed again:
        // watching leaves no debug port open.
        QSignalSpy route(&sampler, &Sampler::routeChanged);
        QVERIFY(route.wait(10000) || !route.isEmpty());
        QCOMPARE(sampler.access()->route(), TargetAccess::Route::Probe);
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        samples.clear();

        // Ten readings over more than half a second: several of its reports lie among them.
        QTRY_VERIFY_WITH_TIMEOUT(
            samples.size() >= 10 && samples.last().wallMs - samples.first().wallMs >= 600, 10000);
        // Compare each of our heap readings with the process's own report
        // nearest in time: two independent measurements of the same heap.
        QList<QPair<qint64, double>> reports;
        for (const QString& line : node.lines()) {
            const QStringList parts = line.split(QLatin1Char(' '));
            if (parts.size() == 3 && parts[0] == QLatin1String("heapUsed"))
                reports.append({parts[1].toLongLong(), parts[2].toDouble()});
        }
        QVERIFY(reports.size() >= 5);
        int compared = 0;
        for (const Sample& sample : std::as_const(samples)) {
            if (!sample.hasHeap())
                continue;
            QVERIFY(sample.hasOs());
            QVERIFY(sample.heapTotalBytes >= sample.heapUsedBytes);
            QVERIFY(sample.rssBytes > sample.heapUsedBytes);
            // The heap moves between two reports 50 ms apart (the reports
            // themselves allocate): ours must lie between the reports just
            // before and just after it, give or take 5 %.
            const auto after = std::find_if(reports.cbegin(), reports.cend(),
                [&](const auto& report) { return report.first >= sample.wallMs; });
            if (after == reports.cbegin() || after == reports.cend())
                continue;
            const double low = qMin(std::prev(after)->second, after->second) * 0.95;
            const double high = qMax(std::prev(after)->second, after->second) * 1.05;
            QVERIFY2(double(sample.heapUsedBytes) >= low && double(sample.heapUsedBytes) <= high,
                qPrintable(QStringLiteral("ours %1, theirs between %2 and %3")
                               .arg(sample.heapUsedBytes)
                               .arg(std::prev(after)->second)
                               .arg(after->second)));
            ++compared;
        }
        QVERIFY(compared >= 5);

        QSignalSpy stopped(&sampler, &Sampler::stopped);
        sampler.stop();
        QVERIFY(stopped.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 3000);
        QVERIFY(node.isRunning());
    }

    // V8's heap spaces, through the probe and through the inspector alike.
    void readsTheHeapSpaces_data()
    {
        QTest::addColumn<bool>("probe");
        QTest::newRow("through the probe") << true;
        QTest::newRow("through the inspector") << false;
    }
    void readsTheHeapSpaces()
    {
        QFETCH(bool, probe);
        NodeProcess node;
        QVERIFY(node.startNode("idle.js"));
        Sampler sampler;
        QSignalSpy attached(&sampler, &Sampler::attached);
        QSignalSpy route(&sampler, &Sampler::routeChanged);
        Sampler::Options options{100, true, true};
        options.installProbe = probe;
        sampler.watchPid(node.pid(), options);
        QVERIFY(attached.wait(15000));
        if (probe)
            QTRY_COMPARE_WITH_TIMEOUT(sampler.access()->route(), TargetAccess::Route::Probe, 10000);
        QSignalSpy spaces(&sampler, &Sampler::heapSpacesRead);
        sampler.readHeapSpaces();
        QVERIFY(spaces.wait(5000));
        QCOMPARE(spaces.first().at(1).toString(), QString());
        const auto list = spaces.first().at(0).value<QList<HeapSpace>>();
        const auto old = std::find_if(list.cbegin(), list.cend(),
            [](const HeapSpace& space) { return space.name == QLatin1String("old_space"); });
        QVERIFY(old != list.cend());
        QVERIFY(old->usedBytes > 0 && old->usedBytes <= old->sizeBytes);
        QSignalSpy stopped(&sampler, &Sampler::stopped);
        sampler.stop();
        QVERIFY(stopped.wait(8000) || !stopped.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
    }

    void findsAnInspectorOpenedWithoutAFlag()
    {
        NodeProcess node;
        QVERIFY(node.startNode("self-opened.js"));
        QTRY_VERIFY_WITH_TIMEOUT(!NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        const quint16 port = *NodeProcess::listeningPorts(node.pid()).cbegin();
        InspectorConnection connection;
        QCOMPARE(attach(connection, node.pid()), QString());
        QCOMPARE(connection.target().inspectorPort, port);
        QCOMPARE(connection.target().pid, node.pid());
        // NodeScope did not open it, so it does not close it either.
        QVERIFY(!connection.target().inspectorOpenedByUs);
        QVERIFY(detach(connection));
        QTest::qWait(200);
        QVERIFY(NodeProcess::listeningPorts(node.pid()).contains(port));
        QVERIFY(node.isRunning());
    }

    void attachesTwoProcessesOneAfterTheOther()
    {
        NodeProcess first;
        NodeProcess second;
        QVERIFY(first.startNode("idle.js"));
        QVERIFY(second.startNode("idle.js"));
        Sampler a;
        Sampler b;
        QSignalSpy aProbe(&a, &Sampler::routeChanged);
        QSignalSpy bProbe(&b, &Sampler::routeChanged);
        QSignalSpy aSamples(&a, &Sampler::sampleReady);
        QSignalSpy bSamples(&b, &Sampler::sampleReady);
        a.watchPid(first.pid(), {100, true, true});
        QVERIFY(aProbe.wait(10000) || !aProbe.isEmpty());
        // The first one's inspector is closed again once its probe runs, so
        // the second can open on 9229.
        QTRY_VERIFY_WITH_TIMEOUT(!NodeProcess::listeningPorts(first.pid()).contains(9229), 3000);
        b.watchPid(second.pid(), {100, true, true});
        QVERIFY(bProbe.wait(10000) || !bProbe.isEmpty());
        QCOMPARE(a.access()->target().pid, first.pid());
        QCOMPARE(b.access()->target().pid, second.pid());

        // Each probe really is its process: their heap figures come in.
        QTRY_VERIFY_WITH_TIMEOUT(aSamples.size() >= 5 && bSamples.size() >= 5, 5000);
        QVERIFY(aSamples.last().at(0).value<Sample>().hasHeap());
        QVERIFY(bSamples.last().at(0).value<Sample>().hasHeap());

        QSignalSpy aStopped(&a, &Sampler::stopped);
        QSignalSpy bStopped(&b, &Sampler::stopped);
        a.stop();
        b.stop();
        QVERIFY(aStopped.wait(5000) || !aStopped.isEmpty());
        QVERIFY(bStopped.wait(5000) || !bStopped.isEmpty());
        QVERIFY(NodeProcess::listeningPorts(first.pid()).isEmpty());
        QVERIFY(NodeProcess::listeningPorts(second.pid()).isEmpty());
        QVERIFY(first.isRunning());
        QVERIFY(second.isRunning());
    }

    void refusesAProcessThatDoesNotCatchSigusr1()
    {
        // A copy of sleep named "node": looks like Node by name, would die of SIGUSR1.
        QTemporaryDir dir;
        const QString fakeNode = dir.filePath(QStringLiteral("node"));
        QVERIFY(QFile::copy(QStringLiteral("/bin/sleep"), fakeNode));
        QVERIFY(QFile::setPermissions(fakeNode, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QProcess sleeper;
        sleeper.start(fakeNode, {QStringLiteral("60")});
        QVERIFY(sleeper.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(ProcessTable::read(sleeper.processId())
                ? ProcessTable::read(sleeper.processId())->exePath == fakeNode
                : false,
            3000);

        const std::optional<ProcessInfo> info = ProcessTable::read(sleeper.processId());
        QVERIFY(info->isNode); // by name it is
        QCOMPARE(info->inspector.state, InspectorStatus::State::Unavailable);
        QVERIFY(info->inspector.reason.contains(QLatin1String("SIGUSR1")));

        InspectorConnection connection;
        const QString reason = attach(connection, sleeper.processId());
        QVERIFY2(reason.contains(QLatin1String("does not catch SIGUSR1")), qPrintable(reason));
        QTest::qWait(300);
        QCOMPARE(sleeper.state(), QProcess::Running); // still alive
        sleeper.kill();
        sleeper.waitForFinished();
    }

    void refusesWhenAnotherProcessHoldsPort9229()
    {
        QTcpServer squatter;
        if (!squatter.listen(QHostAddress::LocalHost, 9229))
            QFAIL("port 9229 is busy on this machine; these tests need it free");
        NodeProcess node;
        QVERIFY(node.startNode("idle.js"));
        const std::optional<ProcessInfo> info = ProcessTable::read(node.pid());
        QCOMPARE(info->inspector.state, InspectorStatus::State::Unavailable);
        QVERIFY(info->inspector.reason.contains(QStringLiteral("port 9229 is held by PID %1").arg(getpid())));

        InspectorConnection connection;
        const QString reason = attach(connection, node.pid());
        QVERIFY2(
            reason.contains(QStringLiteral("port 9229 is held by PID %1").arg(getpid())), qPrintable(reason));
        // Nothing was signalled: the target has no inspector and lives on.
        QVERIFY(NodeProcess::listeningPorts(node.pid()).isEmpty());
        QVERIFY(!node.standardError().contains(QLatin1String("Debugger")));
        QVERIFY(node.isRunning());
    }

    // execve() takes NODE_OPTIONS twice; Node reads the first (glibc's
    // getenv), so a SIGUSR1 opens the inspector on the first one's
    // --inspect-port. Judged by the last, the attach saw that port held
    // (here, by this test) and refused a process it could attach.
    void nodeOptionsGivenTwiceCountAsNodeReadsThem()
    {
        QTcpServer lastOnesPort;
        QVERIFY(lastOnesPort.listen(QHostAddress::LocalHost, 0));
        quint16 firstOnesPort = 0;
        {
            QTcpServer probe; // a port free a moment ago
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            firstOnesPort = probe.serverPort();
        }
        const QByteArray option("NODE_OPTIONS=--inspect-port=");
        QByteArrayList environment{QByteArray(option + QByteArray::number(firstOnesPort)),
            QByteArray(option + QByteArray::number(lastOnesPort.serverPort()))};
        const QProcessEnvironment own = QProcessEnvironment::systemEnvironment();
        for (const QString& name : own.keys()) {
            if (name != QLatin1String("NODE_OPTIONS"))
                environment.append(QString(name + QLatin1Char('=') + own.value(name)).toLocal8Bit());
        }
        NodeProcess node;
        node.setRawEnvironment(environment);
        QVERIFY(node.startNode("idle.js"));

        const std::optional<ProcessInfo> info = ProcessTable::read(node.pid());
        QVERIFY(info);
        QVERIFY2(info->inspector.state == InspectorStatus::State::Closed, qPrintable(info->inspector.reason));
        InspectorConnection connection;
        QCOMPARE(attach(connection, node.pid()), QString());
        QCOMPARE(connection.target().inspectorPort, firstOnesPort);
        QVERIFY(connection.target().inspectorOpenedByUs);
        QVERIFY(detach(connection));
        QTRY_VERIFY_WITH_TIMEOUT(NodeProcess::listeningPorts(node.pid()).isEmpty(), 5000);
        QVERIFY(node.isRunning());
    }

    void refusesAMissingProcess()
    {
        InspectorConnection connection;
        const QString reason = attach(connection, 0x3ffffff0);
        QVERIFY2(reason.contains(QLatin1String("does not exist")), qPrintable(reason));
    }

    void refusesAProcessThatIsNotNode()
    {
        InspectorConnection connection;
        const QString reason = attach(connection, getpid());
        QVERIFY2(reason.contains(QLatin1String("is not a Node.js process")), qPrintable(reason));
    }

    void refusesAnInspectorThatIsAnotherProcess()
    {
        FakeInspector fake;
        fake.evaluator = [](const QString&) {
            return QJsonObject{{QStringLiteral("pid"), 1},
                {QStringLiteral("version"), QStringLiteral("v20.0.0")}, {QStringLiteral("heapLimit"), 1e9}};
        };
        InspectorConnection connection;
        QSignalSpy failed(&connection, &InspectorConnection::attachFailed);
        connection.attachToAddress(QStringLiteral("127.0.0.1"), fake.port(), 4242);
        QVERIFY(failed.wait(5000));
        QVERIFY2(failed.first().at(0).toString().contains(QLatin1String("belongs to PID 1, not PID 4242")),
            qPrintable(failed.first().at(0).toString()));
    }

    void misbehavingInspectorsFailCleanly_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QByteArray>("jsonList");
        QTest::newRow("error replies") << int(FakeInspector::Mode::ErrorReply) << QByteArray();
        QTest::newRow("garbage") << int(FakeInspector::Mode::Garbage) << QByteArray();
        QTest::newRow("silent") << int(FakeInspector::Mode::Silent) << QByteArray();
        QTest::newRow("closes mid-request") << int(FakeInspector::Mode::CloseOnRequest) << QByteArray();
        QTest::newRow("not an inspector")
            << int(FakeInspector::Mode::Answer) << QByteArray("<html>hello</html>");
    }
    void misbehavingInspectorsFailCleanly()
    {
        QFETCH(int, mode);
        QFETCH(QByteArray, jsonList);
        FakeInspector fake;
        fake.mode = FakeInspector::Mode(mode);
        fake.jsonListBody = jsonList;
        InspectorConnection connection;
        connection.setTimeouts({500, 1000, 500, 1000});
        QSignalSpy attached(&connection, &InspectorConnection::attached);
        QSignalSpy failed(&connection, &InspectorConnection::attachFailed);
        connection.attachToAddress(QStringLiteral("127.0.0.1"), fake.port());
        QVERIFY(failed.wait(5000));
        QVERIFY(attached.isEmpty());
        QVERIFY(!failed.first().at(0).toString().isEmpty());
        QCOMPARE(connection.phase(), InspectorConnection::Phase::Closed);
    }

    void misbehavingExistingInspectorEndsWithTheRealError_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("message");
        QTest::newRow("garbage") << QStringLiteral("garbage") << QStringLiteral("is not a Node inspector");
        QTest::newRow("hang") << QStringLiteral("hang") << QStringLiteral("no answer");
        QTest::newRow("drop") << QStringLiteral("drop") << QStringLiteral("closed");
        QTest::newRow("500 MB list") << QStringLiteral("huge-list") << QStringLiteral("larger than 1 MB");
        QTest::newRow("200 MB message")
            << QStringLiteral("huge-message") << QStringLiteral("Maximum framesize exceeded");
    }
    void misbehavingExistingInspectorEndsWithTheRealError()
    {
        // The process itself serves 9229, the port its inspector would use:
        // what answers there is the error, and a signal could only fail to bind.
        QFETCH(QString, mode);
        QFETCH(QString, message);
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 9229))
            QFAIL("port 9229 is busy on this machine; these tests need it free");
        probe.close();
        NodeProcess node;
        QVERIFY(node.startNode("bad-inspector.js", {}, {mode}));
        InspectorConnection connection;
        QElapsedTimer clock;
        clock.start();
        const QString reason = attach(connection, node.pid());
        QVERIFY2(reason.contains(message), qPrintable(reason));
        QVERIFY2(reason.contains(QLatin1String("port 9229")), qPrintable(reason));
        QVERIFY2(!reason.contains(QLatin1String("SIGUSR1 itself")), qPrintable(reason));
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QTest::qWait(300);
        // Never signalled: Node would have said it could not bind.
        QVERIFY2(!node.standardError().contains(QLatin1String("Starting inspector")),
            qPrintable(node.standardError()));
        QVERIFY(node.isRunning());
    }

    void outOfRangeNumbersFromAnInspectorAreRefused()
    {
        FakeInspector fake;
        double pid = 1e30;
        fake.evaluator = [&pid](const QString&) {
            return QJsonObject{{QStringLiteral("pid"), pid},
                {QStringLiteral("version"), QStringLiteral("v20.0.0")}, {QStringLiteral("heapLimit"), 1e300}};
        };
        InspectorConnection connection;
        QSignalSpy failed(&connection, &InspectorConnection::attachFailed);
        connection.attachToAddress(QStringLiteral("127.0.0.1"), fake.port());
        QVERIFY(failed.wait(5000));
        QVERIFY2(failed.first().at(0).toString().contains(QLatin1String("did not say which process it is")),
            qPrintable(failed.first().at(0).toString()));

        // A good pid with an impossible heap limit: attached, limit unknown.
        pid = 77;
        QSignalSpy attached(&connection, &InspectorConnection::attached);
        connection.attachToAddress(QStringLiteral("127.0.0.1"), fake.port());
        QVERIFY(attached.wait(5000));
        QCOMPARE(connection.target().pid, 77);
        QCOMPARE(connection.target().heapLimitBytes, 0);
    }

    void remoteInspectorGivesHeapFigures()
    {
        FakeInspector fake;
        fake.evaluator = [](const QString& expression) -> QJsonValue {
            if (expression.contains(QLatin1String("memoryUsage")))
                return QJsonObject{{QStringLiteral("rss"), 1000}, {QStringLiteral("heapTotal"), 800},
                    {QStringLiteral("heapUsed"), 600}, {QStringLiteral("external"), 50},
                    {QStringLiteral("arrayBuffers"), 10}};
            return QJsonObject{{QStringLiteral("pid"), 77},
                {QStringLiteral("version"), QStringLiteral("v22.1.0")}, {QStringLiteral("heapLimit"), 4e9}};
        };
        Sampler sampler;
        QSignalSpy samples(&sampler, &Sampler::sampleReady);
        sampler.watchAddress(QStringLiteral("127.0.0.1"), fake.port(), {50, true, true});
        QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 3, 5000);
        const Sample sample = samples.last().at(0).value<Sample>();
        QCOMPARE(sample.heapUsedBytes, 600);
        QCOMPARE(sample.rssBytes, 1000);
        QVERIFY(!sample.hasCpu()); // no /proc for a remote process
        QCOMPARE(sampler.access()->target().pid, 77);
        QCOMPARE(sampler.access()->route(), TargetAccess::Route::Inspector); // no probe for a remote process

        QSignalSpy exited(&sampler, &Sampler::targetExited);
        fake.closeAll();
        QVERIFY(exited.wait(3000));
    }
};

NODESCOPE_TEST_MAIN(TestAttach)
#include "tst_attach.moc"

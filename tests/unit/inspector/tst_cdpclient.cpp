#include "inspector/cdpclient.h"
#include "inspector/inspectorendpoint.h"

#include "fakeinspector.h"
#include "testmain.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QTcpServer>

using namespace NodeScope;

namespace {

// Collects the one reply a call produces.
struct ReplyCatcher {
    int calls = 0;
    CdpReply reply;
    CdpClient::Callback callback()
    {
        return [this](const CdpReply& r) {
            ++calls;
            reply = r;
        };
    }
};

bool openClient(CdpClient& client, const QUrl& url)
{
    QSignalSpy opened(&client, &CdpClient::opened);
    client.open(url, 2000);
    return opened.wait(3000);
}

} // namespace

class TestCdpClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void answeredRequest()
    {
        FakeInspector fake;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        ReplyCatcher catcher;
        client.call(QStringLiteral("Runtime.evaluate"), {{QStringLiteral("expression"), QStringLiteral("1")}},
            catcher.callback());
        QTRY_COMPARE(catcher.calls, 1);
        QVERIFY(catcher.reply.ok);
        QCOMPARE(catcher.reply.result.value(QLatin1String("result"))
                     .toObject()
                     .value(QLatin1String("value"))
                     .toInt(),
            42);
        QCOMPARE(client.pendingCount(), 0);
        QCOMPARE(fake.received.first().value(QLatin1String("method")).toString(),
            QStringLiteral("Runtime.evaluate"));
    }

    void errorReplyFailsTheRequest()
    {
        FakeInspector fake;
        fake.mode = FakeInspector::Mode::ErrorReply;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        ReplyCatcher catcher;
        client.call(QStringLiteral("NodeRuntime.notifyWhenWaitingForDisconnect"), {}, catcher.callback());
        QTRY_COMPARE(catcher.calls, 1);
        QVERIFY(!catcher.reply.ok);
        QVERIFY(catcher.reply.error.contains(QLatin1String("wasn't found")));
        QVERIFY(client.isOpen());
    }

    void garbageIsReportedAndRequestTimesOut()
    {
        FakeInspector fake;
        fake.mode = FakeInspector::Mode::Garbage;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        QSignalSpy protocolErrors(&client, &CdpClient::protocolError);
        ReplyCatcher catcher;
        client.call(QStringLiteral("Runtime.evaluate"), {}, catcher.callback(), 300);
        QTRY_COMPARE(catcher.calls, 1);
        QVERIFY(!catcher.reply.ok);
        QVERIFY(catcher.reply.error.contains(QLatin1String("timed out")));
        QCOMPARE(protocolErrors.size(), 1);
        QVERIFY(client.isOpen()); // garbage alone doesn't end the session
    }

    void slowReplyTimesOutAndLateReplyIsIgnored()
    {
        FakeInspector fake;
        fake.mode = FakeInspector::Mode::Slow;
        fake.slowMs = 400;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        ReplyCatcher catcher;
        client.call(QStringLiteral("Runtime.evaluate"), {}, catcher.callback(), 100);
        QTRY_COMPARE(catcher.calls, 1);
        QVERIFY(catcher.reply.error.contains(QLatin1String("timed out after 100 ms")));
        QTest::qWait(500); // the late reply arrives and must not call back again
        QCOMPARE(catcher.calls, 1);
        QCOMPARE(client.pendingCount(), 0);
    }

    void slowReplyWithinTimeoutSucceeds()
    {
        FakeInspector fake;
        fake.mode = FakeInspector::Mode::Slow;
        fake.slowMs = 100;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        ReplyCatcher catcher;
        client.call(QStringLiteral("Runtime.evaluate"), {}, catcher.callback(), 2000);
        QTRY_COMPARE(catcher.calls, 1);
        QVERIFY(catcher.reply.ok);
    }

    void suddenCloseFailsEveryPendingRequest()
    {
        FakeInspector fake;
        fake.mode = FakeInspector::Mode::CloseOnRequest;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        QSignalSpy closed(&client, &CdpClient::closed);
        ReplyCatcher first;
        ReplyCatcher second;
        client.call(QStringLiteral("A"), {}, first.callback(), 5000);
        client.call(QStringLiteral("B"), {}, second.callback(), 5000);
        QVERIFY(closed.wait(3000));
        QCOMPARE(first.calls, 1);
        QCOMPARE(second.calls, 1);
        QVERIFY(!first.reply.ok);
        QVERIFY(!second.reply.ok);
        QVERIFY(!client.isOpen());
        // Calls after the close fail at once (asynchronously), never hang.
        ReplyCatcher after;
        client.call(QStringLiteral("C"), {}, after.callback());
        QTRY_COMPARE(after.calls, 1);
        QCOMPARE(after.reply.error, QStringLiteral("not connected"));
    }

    void replyWithUnknownIdIsIgnored()
    {
        FakeInspector fake;
        fake.mode = FakeInspector::Mode::WrongId;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        ReplyCatcher catcher;
        client.call(QStringLiteral("X"), {}, catcher.callback(), 200);
        QTRY_COMPARE(catcher.calls, 1);
        QVERIFY(catcher.reply.error.contains(QLatin1String("timed out")));
    }

    void binaryMessageIsAProtocolError()
    {
        FakeInspector fake;
        fake.mode = FakeInspector::Mode::Binary;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        QSignalSpy protocolErrors(&client, &CdpClient::protocolError);
        ReplyCatcher catcher;
        client.call(QStringLiteral("X"), {}, catcher.callback(), 200);
        QVERIFY(protocolErrors.wait(2000));
        QTRY_COMPARE(catcher.calls, 1);
    }

    void eventsArriveAsSignals()
    {
        FakeInspector fake;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        QSignalSpy events(&client, &CdpClient::eventReceived);
        fake.sendEvent(QStringLiteral("NodeRuntime.waitingForDisconnect"), {});
        QVERIFY(events.wait(2000));
        QCOMPARE(events.first().at(0).toString(), QStringLiteral("NodeRuntime.waitingForDisconnect"));
    }

    void connectionRefusedIsReported()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now
        CdpClient client;
        QSignalSpy closed(&client, &CdpClient::closed);
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/x").arg(port)), 2000);
        QVERIFY(closed.wait(3000));
        QVERIFY(!client.isOpen());
    }

    void handshakeThatNeverCompletesTimesOut()
    {
        // Accepts TCP, never answers the WebSocket upgrade.
        QTcpServer mute;
        QVERIFY(mute.listen(QHostAddress::LocalHost, 0));
        CdpClient client;
        QSignalSpy closed(&client, &CdpClient::closed);
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/x").arg(mute.serverPort())), 300);
        QVERIFY(closed.wait(3000));
        QVERIFY(closed.first().at(0).toString().contains(QLatin1String("handshake")));
    }

    void callbackMayCloseTheClient()
    {
        FakeInspector fake;
        fake.mode = FakeInspector::Mode::Silent;
        CdpClient client;
        QVERIFY(openClient(client, fake.url()));
        QSignalSpy closed(&client, &CdpClient::closed);
        int calls = 0;
        // The first request times out and its callback closes the client:
        // the second must fail once, not twice and not never.
        client.call(
            QStringLiteral("A"), {},
            [&](const CdpReply&) {
                ++calls;
                client.close();
            },
            100);
        ReplyCatcher second;
        client.call(QStringLiteral("B"), {}, second.callback(), 5000);
        QTRY_COMPARE(calls, 1);
        QCOMPARE(second.calls, 1);
        QCOMPARE(second.reply.error, QStringLiteral("connection closed"));
        QCOMPARE(closed.size(), 1);
        QTest::qWait(50);
        QCOMPARE(calls, 1);
    }

    void hugeMessageClosesTheConnectionBeforeItIsBuffered()
    {
        // 200 MB announced in one frame: refused on its header, not read into memory.
        FakeInspector fake;
        fake.hugeMessageBytes = 200LL * 1024 * 1024;
        CdpClient client;
        QSignalSpy closed(&client, &CdpClient::closed);
        client.open(fake.url(), 3000);
        QVERIFY(closed.wait(10000));
        const QString reason = closed.first().at(0).toString();
        QVERIFY2(reason.contains(QLatin1String("Maximum framesize exceeded")), qPrintable(reason));
        QVERIFY(!client.isOpen());
        QTest::qWait(200);
        QVERIFY2(fake.streamedBytes < CdpClient::kMaxMessageBytes,
            qPrintable(QString::number(fake.streamedBytes)));
    }

    void hugeTargetListIsRefusedEarly()
    {
        FakeInspector fake;
        fake.hugeListBytes = 500LL * 1024 * 1024;
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        std::optional<InspectorEndpoint::Result> result;
        QElapsedTimer clock;
        clock.start();
        InspectorEndpoint::fetch(&network, QStringLiteral("127.0.0.1"), fake.port(), 5000, this,
            [&result](const InspectorEndpoint::Result& r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 6000);
        QVERIFY(!result->found());
        QVERIFY2(result->error.contains(QLatin1String("larger than 1 MB")), qPrintable(result->error));
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed()))); // not the timeout
        QTest::qWait(200);
        QVERIFY2(fake.streamedBytes < 32LL * 1024 * 1024, qPrintable(QString::number(fake.streamedBytes)));
    }

    void endpointListParsing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("url"); // empty: not found
        QFile node20(QStringLiteral(NODESCOPE_FIXTURES_DIR "/inspector/json-list-node20.json"));
        QVERIFY(node20.open(QIODevice::ReadOnly));
        QTest::newRow("node 20") << node20.readAll()
                                 << QStringLiteral(
                                        "ws://127.0.0.1:9229/930723e1-c42e-47b4-b4fd-e9ef31625ac1");
        QTest::newRow("bound to 0.0.0.0")
            << QByteArray("[{\"webSocketDebuggerUrl\": \"ws://0.0.0.0:9229/abc\"}]")
            << QStringLiteral("ws://127.0.0.1:9229/abc");
        QTest::newRow("html") << QByteArray("<html>Not found</html>") << QString();
        QTest::newRow("empty list") << QByteArray("[]") << QString();
        QTest::newRow("object") << QByteArray("{\"webSocketDebuggerUrl\": \"ws://127.0.0.1:9229/abc\"}")
                                << QString();
        QTest::newRow("http url") << QByteArray("[{\"webSocketDebuggerUrl\": \"http://127.0.0.1:9229/abc\"}]")
                                  << QString();
        // Found by fuzz/fuzz_inspectorlist.cpp: valid until it gets a host.
        QTest::newRow("relative ws url") << QByteArray(
            "[{\"webSocketDebuggerUrl\": \"ws:abc\"}, {\"webSocketDebuggerUrl\": \"ws://h/def\"}]")
                                         << QStringLiteral("ws://127.0.0.1:9229/def");
    }
    void endpointListParsing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, url);
        const InspectorEndpoint::Result result
            = InspectorEndpoint::parseList(body, QStringLiteral("127.0.0.1"), 9229);
        QCOMPARE(result.found(), !url.isEmpty());
        if (result.found())
            QCOMPARE(result.webSocketUrl.toString(), url);
        else
            QVERIFY(!result.error.isEmpty());
    }
};

NODESCOPE_TEST_MAIN(TestCdpClient)
#include "tst_cdpclient.moc"

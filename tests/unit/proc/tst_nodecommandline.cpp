#include "proc/nodecommandline.h"
#include "proc/processtable.h"

#include "testmain.h"

using namespace NodeScope;

class TestNodeCommandLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QString>("nodeOptions");
        QTest::addColumn<bool>("requested");
        QTest::addColumn<int>("requestedPort"); // -1: none
        QTest::addColumn<int>("signalPort");
        QTest::addColumn<bool>("sigusr1Disabled");

        QTest::newRow("plain") << "node app.js"
                               << "" << false << -1 << 9229 << false;
        QTest::newRow("--inspect") << "node --inspect app.js"
                                   << "" << true << 9229 << 9229 << false;
        // --inspect=0 also makes a later SIGUSR1 pick a random port.
        QTest::newRow("--inspect=0") << "node --inspect=0 app.js"
                                     << "" << true << 0 << 0 << false;
        QTest::newRow("--inspect=host:port") << "node --inspect=127.0.0.1:9300 app.js"
                                             << "" << true << 9300 << 9300 << false;
        QTest::newRow("--inspect-brk=port") << "node --inspect-brk=9400 app.js"
                                            << "" << true << 9400 << 9400 << false;
        QTest::newRow("--inspect-port alone") << "node --inspect-port=9500 app.js"
                                              << "" << false << -1 << 9500 << false;
        QTest::newRow("--inspect-port separate") << "node --inspect-port 9501 app.js"
                                                 << "" << false << -1 << 9501 << false;
        QTest::newRow("--inspect then port") << "node --inspect --inspect-port=9502 app.js"
                                             << "" << true << 9502 << 9502 << false;
        QTest::newRow("script args are not node's") << "node app.js --inspect=1234"
                                                    << "" << false << -1 << 9229 << false;
        QTest::newRow("after --") << "node -- --inspect"
                                  << "" << false << -1 << 9229 << false;
        QTest::newRow("-r value skipped") << "node -r ./x.js --inspect=0 app.js"
                                          << "" << true << 0 << 0 << false;
        QTest::newRow("NODE_OPTIONS") << "node app.js"
                                      << "--inspect=9600" << true << 9600 << 9600 << false;
        QTest::newRow("disable-sigusr1") << "node --disable-sigusr1 app.js"
                                         << "" << false << -1 << 9229 << true;
        QTest::newRow("bad port ignored") << "node --inspect=abc app.js"
                                          << "" << true << -1 << 9229 << false;
    }
    void parse()
    {
        QFETCH(QString, args);
        QFETCH(QString, nodeOptions);
        QFETCH(bool, requested);
        QFETCH(int, requestedPort);
        QFETCH(int, signalPort);
        QFETCH(bool, sigusr1Disabled);
        const NodeCommandLine flags = NodeCommandLine::parse(args.split(QLatin1Char(' ')), nodeOptions);
        QCOMPARE(flags.inspectRequested(), requested);
        QCOMPARE(flags.requestedPort().has_value(), requestedPort >= 0);
        if (requestedPort >= 0)
            QCOMPARE(int(*flags.requestedPort()), requestedPort);
        QCOMPARE(int(flags.signalPort()), signalPort);
        QCOMPARE(flags.sigusr1Disabled(), sigusr1Disabled);
    }

    void nodeExecutableNames_data()
    {
        QTest::addColumn<QString>("exe");
        QTest::addColumn<bool>("isNode");
        QTest::newRow("node") << "/usr/bin/node" << true;
        QTest::newRow("nodejs") << "/usr/bin/nodejs" << true;
        QTest::newRow("versioned") << "/opt/node20" << true;
        QTest::newRow("nvm style") << "/home/u/.nvm/versions/node/v20.1.0/bin/node" << true;
        QTest::newRow("deleted after upgrade") << "/usr/bin/node (deleted)" << true;
        QTest::newRow("node-18.19.1") << "/usr/local/bin/node-18.19.1" << true;
        QTest::newRow("nodemon is not node") << "/usr/bin/nodemon" << false;
        QTest::newRow("sleep") << "/usr/bin/sleep" << false;
        QTest::newRow("empty") << "" << false;
    }
    void nodeExecutableNames()
    {
        QFETCH(QString, exe);
        QFETCH(bool, isNode);
        QCOMPARE(ProcessTable::isNodeExecutable(exe), isNode);
    }
};

NODESCOPE_TEST_MAIN(TestNodeCommandLine)
#include "tst_nodecommandline.moc"

#include "proc/startenvironment.h"

#include "testmain.h"

#include <unistd.h>

using namespace NodeScope;

namespace {

// The bytes of a literal, NULs included (the last, the literal's own, not).
template <std::size_t N> QByteArray entries(const char (&text)[N])
{
    return QByteArray(text, qsizetype(N - 1));
}

} // namespace

class TestStartEnvironment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void value_data()
    {
        QTest::addColumn<QByteArray>("environBytes");
        QTest::addColumn<bool>("present");
        QTest::addColumn<QByteArray>("nodeOptions");

        QTest::newRow("unset") << entries("HOME=/root\0PATH=/bin\0") << false << QByteArray();
        QTest::newRow("empty file") << QByteArray() << false << QByteArray();
        QTest::newRow("one") << entries("HOME=/root\0NODE_OPTIONS=--inspect-port=9300\0") << true
                             << QByteArray("--inspect-port=9300");
        // execve() takes a name twice; getenv(), and so Node, reads the first.
        QTest::newRow("twice: the first counts")
            << entries("NODE_OPTIONS=--inspect-port=9300\0NODE_OPTIONS=--inspect-port=9400\0") << true
            << QByteArray("--inspect-port=9300");
        QTest::newRow("twice, the first empty")
            << entries("NODE_OPTIONS=\0NODE_OPTIONS=--inspect-port=9400\0") << true << QByteArray();
        QTest::newRow("a longer name is another variable")
            << entries("NODE_OPTIONS_X=--inspect\0NODE_OPTIONS=--title=a\0") << true
            << QByteArray("--title=a");
        QTest::newRow("a name without = is no entry")
            << entries("NODE_OPTIONS\0NODE_OPTIONS=--title=b\0") << true << QByteArray("--title=b");
        QTest::newRow("value with = and spaces")
            << entries("NODE_OPTIONS=--title=a=b --max-old-space-size=100\0") << true
            << QByteArray("--title=a=b --max-old-space-size=100");
        QTest::newRow("last entry without its NUL")
            << entries("A=1\0NODE_OPTIONS=--title=c") << true << QByteArray("--title=c");
        QTest::newRow("name only as a value")
            << entries("X=NODE_OPTIONS=--inspect\0") << false << QByteArray();
    }
    void value()
    {
        QFETCH(QByteArray, environBytes);
        QFETCH(bool, present);
        QFETCH(QByteArray, nodeOptions);
        const StartEnvironment environment(environBytes);
        const std::optional<QByteArray> found = environment.value("NODE_OPTIONS");
        QCOMPARE(found.has_value(), present);
        QCOMPARE(found.value_or(QByteArray()), nodeOptions);
        QCOMPARE(environment.nodeOptions(), QString::fromUtf8(nodeOptions));
    }

    void namesThatCannotBeVariables()
    {
        const StartEnvironment environment(entries("A=1\0=2\0"));
        QVERIFY(!environment.value("").has_value());
        QVERIFY(!environment.value("A=1").has_value());
        QCOMPARE(environment.value("A").value_or(QByteArray()), QByteArray("1"));
    }

    // This test's own start: PATH as it was given to it (nothing here sets it).
    void readsAProcessesOwnFile()
    {
        const StartEnvironment own = StartEnvironment::ofProcess(getpid());
        QVERIFY(own.value("PATH").has_value());
        QCOMPARE(*own.value("PATH"), qgetenv("PATH"));
        QVERIFY(!StartEnvironment::ofProcess(1073741800).value("PATH").has_value()); // no such process
    }
};

NODESCOPE_TEST_MAIN(TestStartEnvironment)
#include "tst_startenvironment.moc"

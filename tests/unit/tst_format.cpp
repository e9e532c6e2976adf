// Format::printable and JsonNumber: what a target says, made safe to show and to count.

#include "format.h"
#include "jsonnumber.h"

#include "testmain.h"

#include <cmath>
#include <limits>

using namespace NodeScope;

class TestFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printableEscapesControls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("v20.20.2") << QStringLiteral("v20.20.2");
        QTest::newRow("unicode kept") << QStringLiteral("größe ✓") << QStringLiteral("größe ✓");
        QTest::newRow("escape sequence") << QStringLiteral("v20\x1b[2J") << QStringLiteral("v20\\x1b[2J");
        QTest::newRow("line breaks") << QStringLiteral("a\nb\r\tc") << QStringLiteral("a\\x0ab\\x0d\\x09c");
        QTest::newRow("nul and del") << QString(QStringLiteral("a") + QChar(0) + QStringLiteral("b")
            + QChar(0x7f)) << QStringLiteral("a\\x00b\\x7f");
        QTest::newRow("c1 csi") << QString::fromUtf16(u"x\u009b2Jy") << QStringLiteral("x\\x9b2Jy");
    }
    void printableEscapesControls()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(Format::printable(text), expected);
    }

    void jsonNumbersOutOfRangeAreRefused_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("integer") << QJsonValue(4242) << true << qint64(4242);
        QTest::newRow("fraction truncates") << QJsonValue(12.9) << true << qint64(12);
        QTest::newRow("2^53") << QJsonValue(9007199254740992.0) << true << qint64(9007199254740992LL);
        QTest::newRow("1e30") << QJsonValue(1e30) << false << qint64(0);
        QTest::newRow("-1e30") << QJsonValue(-1e30) << false << qint64(0);
        QTest::newRow("2^63") << QJsonValue(9223372036854775808.0) << false << qint64(0);
        QTest::newRow("infinity") << QJsonValue(std::numeric_limits<double>::infinity()) << false
                                  << qint64(0);
        QTest::newRow("nan") << QJsonValue(std::nan("")) << false << qint64(0);
        QTest::newRow("string") << QJsonValue(QStringLiteral("12")) << false << qint64(0);
        QTest::newRow("null") << QJsonValue() << false << qint64(0);
    }
    void jsonNumbersOutOfRangeAreRefused()
    {
        QFETCH(QJsonValue, value);
        QFETCH(bool, valid);
        QFETCH(qint64, expected);
        const std::optional<qint64> number = JsonNumber::toInt64(value);
        QCOMPARE(number.has_value(), valid);
        if (valid)
            QCOMPARE(*number, expected);
    }

    void jsonNumbersHonourTheirBounds()
    {
        QCOMPARE(JsonNumber::toInt64(QJsonValue(0), 1, 100), std::nullopt);
        QCOMPARE(JsonNumber::toInt64(QJsonValue(101), 1, 100), std::nullopt);
        QCOMPARE(JsonNumber::toInt64(QJsonValue(100), 1, 100), std::optional<qint64>(100));
    }
};

NODESCOPE_TEST_MAIN(TestFormat)
#include "tst_format.moc"

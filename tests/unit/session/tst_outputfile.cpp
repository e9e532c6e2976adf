// OutputFile against real files, FIFOs, devices and limits.

#include "session/outputfile.h"

#include "testmain.h"

#include <QTemporaryDir>

#include <csignal>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace NodeScope;

namespace {

bool isCharacterDevice(const char* path)
{
    struct stat info { };
    return ::stat(path, &info) == 0 && S_ISCHR(info.st_mode);
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestOutputFile : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // As in `record`: a file size limit must end in EFBIG, not in death.
        std::signal(SIGXFSZ, SIG_IGN);
        std::signal(SIGPIPE, SIG_IGN);
    }

    void writesWholeRecordsToARegularFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("rows.csv"));
        OutputFile file;
        QString error;
        QVERIFY2(file.open(path, &error), qPrintable(error));
        QVERIFY(file.isRegularFile());
        QVERIFY(file.writeRecord("a,b\r\n", &error));
        QVERIFY(file.writeRecord("1,2\r\n", &error));
        QCOMPARE(readAll(path), QByteArray("a,b\r\n1,2\r\n")); // unbuffered: there at once
        file.close();
        QVERIFY(file.open(path, &error)); // truncates
        QCOMPARE(readAll(path), QByteArray());
    }

    void fullDeviceSaysNoSpace()
    {
        if (!isCharacterDevice("/dev/full"))
            QSKIP("no /dev/full here");
        OutputFile file;
        QString error;
        QVERIFY2(file.open(QStringLiteral("/dev/full"), &error), qPrintable(error));
        QVERIFY(!file.isRegularFile());
        QVERIFY(!file.writeRecord("row\r\n", &error));
        QCOMPARE(error, QStringLiteral("cannot write /dev/full: No space left on device"));
        QVERIFY(isCharacterDevice("/dev/full"));
    }

    void fileSizeLimitLeavesOnlyWholeRows()
    {
        const QString path = m_dir.filePath(QStringLiteral("limited.csv"));
        OutputFile file;
        QString error;
        QVERIFY(file.open(path, &error));
        rlimit old{};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &old) == 0);
        rlimit limited = old;
        limited.rlim_cur = 25; // the third 10-byte row crosses it
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
        const bool first = file.writeRecord("row 0001\r\n", &error);
        const bool second = file.writeRecord("row 0002\r\n", &error);
        const bool third = file.writeRecord("row 0003\r\n", &error);
        ::setrlimit(RLIMIT_FSIZE, &old);
        QVERIFY(first && second);
        QVERIFY(!third);
        QCOMPARE(error, QStringLiteral("cannot write %1: File too large").arg(path));
        QCOMPARE(readAll(path), QByteArray("row 0001\r\nrow 0002\r\n")); // the half row is gone
        // And the file goes on from there once there is room again.
        QVERIFY2(file.writeRecord("row 0003\r\n", &error), qPrintable(error));
        QCOMPARE(readAll(path), QByteArray("row 0001\r\nrow 0002\r\nrow 0003\r\n"));
    }

    void fifoIsWrittenThroughWhenSomeoneReads()
    {
        const QString path = m_dir.filePath(QStringLiteral("pipe"));
        QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
        OutputFile file;
        QString error;
        QVERIFY(!file.open(path, &error)); // nobody reads: refused, not waited on
        QVERIFY2(error.contains(QLatin1String("nobody is reading")), qPrintable(error));

        const int reader = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK);
        QVERIFY(reader >= 0);
        QVERIFY2(file.open(path, &error), qPrintable(error));
        QVERIFY(file.writeRecord("through\r\n", &error));
        char buffer[32] = {};
        QCOMPARE(::read(reader, buffer, sizeof buffer), ssize_t(9));
        QCOMPARE(QByteArray(buffer), QByteArray("through\r\n"));
        ::close(reader);
        QVERIFY(!file.writeRecord("gone\r\n", &error)); // the reader left: EPIPE, not SIGPIPE
        QVERIFY2(error.contains(QLatin1String("Broken pipe")), qPrintable(error));
        struct stat info { };
        QVERIFY(::stat(QFile::encodeName(path).constData(), &info) == 0 && S_ISFIFO(info.st_mode));
    }

    void documentReplacesARegularFileOnlyWhenComplete()
    {
        const QString path = m_dir.filePath(QStringLiteral("summary.json"));
        QString error;
        QVERIFY(OutputFile::writeDocument(path, "{\"a\": 1}\n", &error));
        QCOMPARE(readAll(path), QByteArray("{\"a\": 1}\n"));
        QVERIFY(OutputFile::writeDocument(path, "{\"a\": 2}\n", &error));
        QCOMPARE(readAll(path), QByteArray("{\"a\": 2}\n"));
        // A symbolic link stays one; the file it points to gets the content.
        const QString link = m_dir.filePath(QStringLiteral("link.json"));
        QVERIFY(QFile::link(path, link));
        QVERIFY(OutputFile::writeDocument(link, "{\"a\": 3}\n", &error));
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(readAll(path), QByteArray("{\"a\": 3}\n"));
        // No temporary files left behind.
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Hidden | QDir::Files).filter(QStringLiteral(".summary")),
            QStringList());
    }

    void documentGoesThroughDevices()
    {
        QString error;
        QVERIFY2(OutputFile::writeDocument(QStringLiteral("/dev/null"), "{}\n", &error), qPrintable(error));
        QVERIFY(isCharacterDevice("/dev/null")); // written through, not replaced
        if (isCharacterDevice("/dev/full")) {
            QVERIFY(!OutputFile::writeDocument(QStringLiteral("/dev/full"), "{}\n", &error));
            QCOMPARE(error, QStringLiteral("cannot write /dev/full: No space left on device"));
            QVERIFY(isCharacterDevice("/dev/full"));
        }
    }

    void refusesWhatIsNotAFile_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("directory") << QStringLiteral("/tmp") << QStringLiteral("it is a directory");
        QTest::newRow("missing directory") << QStringLiteral("/nonexistent-dir/x.csv")
                                           << QStringLiteral("directory /nonexistent-dir does not exist");
    }
    void refusesWhatIsNotAFile()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        const QString checked = OutputFile::checkPath(path);
        QVERIFY2(checked.contains(message), qPrintable(checked));
        OutputFile file;
        QString error;
        QVERIFY(!file.open(path, &error));
        QVERIFY2(error.startsWith(QStringLiteral("cannot write %1: ").arg(path)), qPrintable(error));
        QVERIFY(!OutputFile::writeDocument(path, "{}", &error));
    }

    void refusesABlockDevice()
    {
        QDir dev(QStringLiteral("/dev"));
        for (const QString& name : dev.entryList(QDir::System)) {
            struct stat info { };
            const QByteArray path = QFile::encodeName(dev.filePath(name));
            if (::stat(path.constData(), &info) == 0 && S_ISBLK(info.st_mode)) {
                const QString checked = OutputFile::checkPath(dev.filePath(name));
                QVERIFY2(checked.contains(QLatin1String("block device")), qPrintable(checked));
                return;
            }
        }
        QSKIP("no block device in /dev");
    }
};

NODESCOPE_TEST_MAIN(TestOutputFile)
#include "tst_outputfile.moc"

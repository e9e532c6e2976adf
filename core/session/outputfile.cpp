#include "session/outputfile.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace NodeScope {

namespace {

QString why(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString cannotWrite(const QString& path, const QString& reason)
{
    return QStringLiteral("cannot write %1: %2").arg(path, reason);
}

// What kind of thing a path names, as far as writing to it goes.
enum class Kind { Missing, Regular, WriteThrough, Refused, Unknown };

Kind kindOf(const QString& path, QString* reason)
{
    struct stat info { };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0) {
        if (errno == ENOENT)
            return Kind::Missing;
        *reason = why(errno);
        return Kind::Unknown;
    }
    if (S_ISREG(info.st_mode))
        return Kind::Regular;
    if (S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode))
        return Kind::WriteThrough;
    *reason = S_ISDIR(info.st_mode) ? QStringLiteral("it is a directory")
        : S_ISBLK(info.st_mode)     ? QStringLiteral("it is a block device; refusing to write to it")
        : S_ISSOCK(info.st_mode)    ? QStringLiteral("it is a socket")
                                    : QStringLiteral("it is not a file");
    return Kind::Refused;
}

// write(2) until all is written or it fails; returns the errno, 0 when done.
// A short write on a full disk or at the file size limit is followed by one
// more write, which fails and says which.
int writeAll(int fd, const char* data, qsizetype size)
{
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size_t(size));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (written == 0)
            return EIO;
        data += written;
        size -= written;
    }
    return 0;
}

} // namespace

OutputFile::~OutputFile()
{
    close();
}

QString OutputFile::checkPath(const QString& path)
{
    QString reason;
    switch (kindOf(path, &reason)) {
    case Kind::Refused:
    case Kind::Unknown:
        return cannotWrite(path, reason);
    case Kind::Regular:
    case Kind::WriteThrough:
        if (::access(QFile::encodeName(path).constData(), W_OK) != 0)
            return cannotWrite(path, why(errno));
        return {};
    case Kind::Missing:
        break;
    }
    const QString directory = QFileInfo(path).absolutePath();
    if (!QFileInfo(directory).isDir())
        return cannotWrite(path, QStringLiteral("directory %1 does not exist").arg(directory));
    if (::access(QFile::encodeName(directory).constData(), W_OK | X_OK) != 0)
        return cannotWrite(path, why(errno));
    return {};
}

bool OutputFile::open(const QString& path, QString* error)
{
    close();
    QString reason;
    const Kind kind = kindOf(path, &reason);
    if (kind == Kind::Refused || kind == Kind::Unknown) {
        *error = cannotWrite(path, reason);
        return false;
    }
    int flags = O_WRONLY | O_CLOEXEC;
    if (kind == Kind::Regular || kind == Kind::Missing)
        flags |= O_CREAT | O_TRUNC;
    else
        flags |= O_NONBLOCK; // a FIFO without a reader fails (ENXIO) instead of blocking us forever
    const int fd = ::open(QFile::encodeName(path).constData(), flags, 0666);
    if (fd < 0) {
        *error = cannotWrite(
            path, errno == ENXIO ? QStringLiteral("nobody is reading from that FIFO") : why(errno));
        return false;
    }
    struct stat info { };
    if (::fstat(fd, &info) != 0
        || !(S_ISREG(info.st_mode) || S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode))) {
        ::close(fd); // replaced by something else between the look and the open
        *error = cannotWrite(path, QStringLiteral("it is not a file, a FIFO or a character device"));
        return false;
    }
    if (flags & O_NONBLOCK)
        ::fcntl(
            fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK); // rows are written whole, waiting if need be
    m_fd = fd;
    m_regular = S_ISREG(info.st_mode);
    m_wholeBytes = 0;
    m_path = path;
    return true;
}

bool OutputFile::writeRecord(const QByteArray& record, QString* error)
{
    if (m_fd < 0) {
        *error = cannotWrite(m_path, QStringLiteral("not open"));
        return false;
    }
    const int failure = writeAll(m_fd, record.constData(), record.size());
    if (failure == 0) {
        m_wholeBytes += record.size();
        return true;
    }
    // Keep only whole rows: a reader (or SampleCsv::read) must never see half
    // a row. A FIFO or a device cannot take bytes back.
    if (m_regular && ::ftruncate(m_fd, off_t(m_wholeBytes)) == 0)
        ::lseek(m_fd, off_t(m_wholeBytes), SEEK_SET);
    *error = cannotWrite(m_path, why(failure));
    return false;
}

void OutputFile::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool OutputFile::writeDocument(const QString& path, const QByteArray& content, QString* error)
{
    QString reason;
    const Kind kind = kindOf(path, &reason);
    if (kind == Kind::Refused || kind == Kind::Unknown) {
        *error = cannotWrite(path, reason);
        return false;
    }
    if (kind == Kind::WriteThrough) {
        OutputFile through;
        return through.open(path, error) && through.writeRecord(content, error);
    }
    // A symbolic link stays one: the file it points to is what gets replaced.
    const QString target = kind == Kind::Regular ? QFileInfo(path).canonicalFilePath() : path;
    const QFileInfo targetInfo(target);
    QByteArray temporary
        = QFile::encodeName(targetInfo.absolutePath() + QStringLiteral("/.") + targetInfo.fileName())
        + ".XXXXXX";
    const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0) {
        *error = cannotWrite(path, why(errno));
        return false;
    }
    // mkostemp makes 0600; a summary is as readable as any file the user makes.
    mode_t mode = 0666;
    struct stat existing { };
    if (kind == Kind::Regular && ::stat(QFile::encodeName(target).constData(), &existing) == 0) {
        mode = existing.st_mode & 07777;
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode &= ~mask;
    }
    ::fchmod(fd, mode);
    int failure = writeAll(fd, content.constData(), content.size());
    if (::close(fd) != 0 && failure == 0)
        failure = errno;
    if (failure == 0 && ::rename(temporary.constData(), QFile::encodeName(target).constData()) != 0)
        failure = errno;
    if (failure != 0) {
        ::unlink(temporary.constData());
        *error = cannotWrite(path, why(failure));
        return false;
    }
    return true;
}

} // namespace NodeScope

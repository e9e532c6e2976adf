#include "proc/procfs.h"

#include <QFile>
#include <QHostAddress>
#include <QtEndian>

#include <cmath>
#include <cstring>

#include <cerrno>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace NodeScope::Procfs {

namespace {

std::optional<quint64> toUnsigned(const QByteArray& field)
{
    bool ok = false;
    const quint64 value = field.toULongLong(&ok);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

std::optional<qint64> toSigned(const QByteArray& field)
{
    bool ok = false;
    const qint64 value = field.toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

// "0100007F:2405" style (little-endian hex per 32-bit word) to text.
QString decodeAddress(const QByteArray& hex)
{
    if (hex.size() == 8) {
        bool ok = false;
        const quint32 raw = hex.toUInt(&ok, 16);
        if (!ok)
            return {};
        // The kernel prints the address's memory (network byte order) as a
        // native integer, so the integer's own bytes are the address bytes.
        return QHostAddress(qFromBigEndian<quint32>(&raw)).toString();
    }
    if (hex.size() == 32) {
        Q_IPV6ADDR bytes;
        for (int word = 0; word < 4; ++word) {
            bool ok = false;
            const quint32 raw = hex.mid(word * 8, 8).toUInt(&ok, 16);
            if (!ok)
                return {};
            std::memcpy(&bytes.c[word * 4], &raw, 4);
        }
        return QHostAddress(bytes).toString();
    }
    return {};
}

} // namespace

bool ListeningSocket::isLoopbackOrAny() const
{
    const QHostAddress host(address);
    return host.isLoopback() || host == QHostAddress::AnyIPv4 || host == QHostAddress::AnyIPv6
        || address == QLatin1String("::ffff:127.0.0.1");
}

std::optional<Stat> parseStat(const QByteArray& bytes)
{
    // The command name may itself contain spaces and ')' (process.title can be
    // anything), so the fields start after the LAST ')'.
    const qsizetype open = bytes.indexOf('(');
    const qsizetype close = bytes.lastIndexOf(')');
    if (open < 0 || close < open)
        return std::nullopt;

    const QList<QByteArray> fields = bytes.mid(close + 1).simplified().split(' ');
    // fields[0] is field (3) "state"; we need up to field (24) rss -> index 21.
    if (fields.size() < 22)
        return std::nullopt;

    Stat stat;
    stat.comm = QString::fromUtf8(bytes.mid(open + 1, close - open - 1));
    if (fields[0].size() != 1)
        return std::nullopt;
    stat.state = fields[0].at(0);
    const auto field = [&](int procNumber) { return fields[procNumber - 3]; };
    const auto ppid = toSigned(field(4));
    const auto utime = toUnsigned(field(14));
    const auto stime = toUnsigned(field(15));
    const auto threads = toSigned(field(20));
    const auto start = toUnsigned(field(22));
    const auto rss = toSigned(field(24));
    if (!ppid || !utime || !stime || !threads || !start || !rss)
        return std::nullopt;
    stat.ppid = *ppid;
    stat.utimeTicks = *utime;
    stat.stimeTicks = *stime;
    stat.numThreads = int(*threads);
    stat.startTimeTicks = *start;
    stat.rssPages = *rss;
    return stat;
}

std::optional<Status> parseStatus(const QByteArray& bytes)
{
    Status status;
    bool haveUid = false;
    bool haveSigCgt = false;
    for (const QByteArray& line : bytes.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray key = line.left(colon);
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (key == "Name") {
            status.name = QString::fromUtf8(value);
        } else if (key == "Uid") {
            const QList<QByteArray> ids = value.simplified().split(' ');
            bool okReal = false;
            bool okEffective = false;
            if (ids.size() >= 2) {
                status.realUid = ids[0].toUInt(&okReal);
                status.effectiveUid = ids[1].toUInt(&okEffective);
            }
            haveUid = okReal && okEffective;
        } else if (key == "SigCgt" || key == "SigIgn" || key == "SigBlk") {
            bool ok = false;
            const quint64 mask = value.toULongLong(&ok, 16);
            if (!ok)
                continue;
            if (key == "SigCgt") {
                status.sigCgt = mask;
                haveSigCgt = true;
            } else if (key == "SigIgn") {
                status.sigIgn = mask;
            } else {
                status.sigBlk = mask;
            }
        } else if (key == "Threads") {
            status.threads = value.toInt();
        } else if (key == "VmRSS") {
            const QList<QByteArray> parts = value.simplified().split(' ');
            bool ok = false;
            const qint64 kb = parts.value(0).toLongLong(&ok);
            if (ok)
                status.vmRssKb = kb;
        }
    }
    if (!haveUid || !haveSigCgt)
        return std::nullopt;
    return status;
}

QList<ListeningSocket> parseListeningSockets(const QByteArray& bytes)
{
    QList<ListeningSocket> sockets;
    const QList<QByteArray> lines = bytes.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // line 0 is the header
        const QList<QByteArray> fields = lines[i].simplified().split(' ');
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        if (fields.size() < 10 || fields[3] != "0A")
            continue;
        const qsizetype colon = fields[1].indexOf(':');
        if (colon < 0)
            continue;
        bool okPort = false;
        const uint port = fields[1].mid(colon + 1).toUInt(&okPort, 16);
        const auto inode = toUnsigned(fields[9]);
        const QString address = decodeAddress(fields[1].left(colon));
        if (!okPort || port == 0 || port > 65535 || !inode || address.isEmpty())
            continue;
        sockets.append({*inode, quint16(port), address});
    }
    return sockets;
}

QStringList parseCmdline(const QByteArray& bytes)
{
    QStringList args;
    QByteArray trimmed = bytes;
    while (trimmed.endsWith('\0'))
        trimmed.chop(1);
    if (trimmed.isEmpty())
        return args;
    for (const QByteArray& arg : trimmed.split('\0'))
        args.append(QString::fromUtf8(arg));
    return args;
}

std::optional<quint64> parseSocketInode(const QString& fdLinkTarget)
{
    static const QLatin1String prefix("socket:[");
    if (!fdLinkTarget.startsWith(prefix) || !fdLinkTarget.endsWith(QLatin1Char(']')))
        return std::nullopt;
    bool ok = false;
    const quint64 inode = QStringView(fdLinkTarget)
                              .mid(prefix.size(), fdLinkTarget.size() - prefix.size() - 1)
                              .toULongLong(&ok);
    return ok ? std::optional<quint64>(inode) : std::nullopt;
}

std::optional<double> parseUptime(const QByteArray& bytes)
{
    const QList<QByteArray> fields = bytes.simplified().split(' ');
    bool ok = false;
    const double seconds = fields.value(0).toDouble(&ok);
    // Qt reads "inf" and "nan" as numbers; ages computed from them would be too.
    return ok && std::isfinite(seconds) && seconds >= 0 ? std::optional<double>(seconds) : std::nullopt;
}

QByteArray readFile(const QString& path)
{
    // POSIX, not QFile: QFile stats the file, finds size 0, and grows its
    // buffer read by read (mremap) -- three times the system calls of a
    // plain read, and the sampler reads a dozen of these files a sample.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    QByteArray bytes;
    char chunk[4096];
    for (;;) {
        const ssize_t length = ::read(fd, chunk, sizeof(chunk));
        if (length < 0 && errno == EINTR)
            continue;
        if (length <= 0)
            break;
        bytes.append(chunk, qsizetype(length));
    }
    ::close(fd);
    return bytes;
}

QList<qint64> numericEntries(const QString& directory)
{
    // readdir, not QDir: QDir stats every entry to filter and sorts them.
    QList<qint64> numbers;
    DIR* dir = ::opendir(QFile::encodeName(directory).constData());
    if (!dir)
        return numbers;
    while (const dirent* entry = ::readdir(dir)) {
        const char* name = entry->d_name;
        if (*name < '1' || *name > '9')
            continue;
        qint64 number = 0;
        bool digits = true;
        for (const char* c = name; *c && digits; ++c) {
            digits = *c >= '0' && *c <= '9' && number < (qint64(1) << 50);
            number = number * 10 + (*c - '0');
        }
        if (digits)
            numbers.append(number);
    }
    ::closedir(dir);
    return numbers;
}

} // namespace NodeScope::Procfs

namespace NodeScope::Procfs {

QString readLink(const QString& path)
{
    char buffer[4096];
    const ssize_t length = ::readlink(QFile::encodeName(path).constData(), buffer, sizeof(buffer));
    if (length <= 0)
        return {};
    return QFile::decodeName(QByteArray(buffer, length));
}

} // namespace NodeScope::Procfs

namespace NodeScope::Procfs {

QSet<qint64> threadIds(qint64 pid)
{
    const QList<qint64> ids = numericEntries(QStringLiteral("/proc/%1/task").arg(pid));
    return QSet<qint64>(ids.cbegin(), ids.cend());
}

} // namespace NodeScope::Procfs

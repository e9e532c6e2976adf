#include "proc/memorylimits.h"

#include "proc/procfs.h"

#include <QDir>
#include <QFileInfo>

namespace NodeScope {

namespace {

// "0::/path" (v2) or "N:memory:/path" (v1); empty when neither.
QString cgroupPathOf(const QByteArray& cgroup, bool* v1)
{
    QString v2Path;
    for (const QByteArray& line : cgroup.split('\n')) {
        const QList<QByteArray> fields = line.split(':');
        if (fields.size() < 3)
            continue;
        const QString path = QString::fromUtf8(line.mid(fields[0].size() + fields[1].size() + 2)).trimmed();
        if (fields[1].split(',').contains("memory")) {
            *v1 = true;
            return path;
        }
        if (fields[0] == "0" && fields[1].isEmpty())
            v2Path = path;
    }
    *v1 = false;
    return v2Path;
}

qint64 numberIn(const QByteArray& text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    return ok && value >= 0 ? value : MemoryLimits::kUnknown;
}

} // namespace

qint64 MemoryLimits::parseMemAvailable(const QByteArray& meminfo)
{
    for (const QByteArray& line : meminfo.split('\n')) {
        if (!line.startsWith("MemAvailable:"))
            continue;
        const QList<QByteArray> fields = line.mid(13).simplified().split(' ');
        bool ok = false;
        const qint64 kilobytes = fields.value(0).toLongLong(&ok);
        if (ok && kilobytes >= 0)
            return fields.value(1) == "kB" ? kilobytes * 1024 : kilobytes;
    }
    return kUnknown;
}

qint64 MemoryLimits::parseLimit(const QByteArray& text)
{
    const qint64 value = numberIn(text);
    return value != kUnknown && value < (qint64(1) << 62) ? value : kUnknown;
}

MemoryLimits MemoryLimits::ofProcess(qint64 pid, const QString& root)
{
    const QDir base(root);
    MemoryLimits limits;
    limits.memAvailableBytes
        = parseMemAvailable(Procfs::readFile(base.filePath(QStringLiteral("proc/meminfo"))));
    bool v1 = false;
    const QString path
        = cgroupPathOf(Procfs::readFile(base.filePath(QStringLiteral("proc/%1/cgroup").arg(pid))), &v1);
    if (path.isEmpty() || path.contains(QLatin1String("..")))
        return limits;
    limits.cgroupPath = path;
    const QString mount
        = base.filePath(v1 ? QStringLiteral("sys/fs/cgroup/memory") : QStringLiteral("sys/fs/cgroup"));
    const QString limitFile = v1 ? QStringLiteral("memory.limit_in_bytes") : QStringLiteral("memory.max");
    const QString usageFile = v1 ? QStringLiteral("memory.usage_in_bytes") : QStringLiteral("memory.current");
    // The tightest room of the cgroup and its parents: a parent's limit binds too.
    QString level = path;
    while (true) {
        const QString directory = mount + (level == QLatin1String("/") ? QString() : level);
        const qint64 limit = parseLimit(Procfs::readFile(directory + QLatin1Char('/') + limitFile));
        const qint64 usage = numberIn(Procfs::readFile(directory + QLatin1Char('/') + usageFile));
        if (limit != kUnknown) {
            const qint64 headroom = qMax<qint64>(0, limit - (usage == kUnknown ? 0 : usage));
            if (limits.cgroupHeadroomBytes == kUnknown || headroom < limits.cgroupHeadroomBytes) {
                limits.cgroupHeadroomBytes = headroom;
                limits.cgroupLimitBytes = limit;
            }
        }
        if (level == QLatin1String("/") || level.isEmpty())
            break;
        const qsizetype slash = level.lastIndexOf(QLatin1Char('/'));
        level = slash <= 0 ? QStringLiteral("/") : level.left(slash);
    }
    return limits;
}

} // namespace NodeScope

#include "machineload.h"

#include <QFile>
#include <QList>
#include <QThread>

namespace NodeScope {

namespace {

QByteArray readAll(const char* path)
{
    QFile file(QString::fromLatin1(path));
    // procfs files report size 0: read until EOF rather than by size.
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

MachineLoad::Snapshot MachineLoad::snapshot()
{
    const QByteArray stat = readAll("/proc/stat");
    const QList<QByteArray> fields = stat.left(stat.indexOf('\n')).simplified().split(' ');
    Snapshot snap;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice;
    // guest time is already counted in user, so stop at steal.
    for (int i = 1; i < fields.size() && i <= 8; ++i) {
        const unsigned long long ticks = fields.at(i).toULongLong();
        snap.totalTicks += ticks;
        if (i != 4 && i != 5) // idle, iowait
            snap.busyTicks += ticks;
    }
    return snap;
}

double MachineLoad::busyCores(const Snapshot& before, const Snapshot& after)
{
    const double total = double(after.totalTicks - before.totalTicks);
    if (total <= 0)
        return 0;
    return double(after.busyTicks - before.busyTicks) / total * cores();
}

double MachineLoad::loadAverage()
{
    return readAll("/proc/loadavg").split(' ').value(0).toDouble();
}

int MachineLoad::cores()
{
    return QThread::idealThreadCount();
}

QString MachineLoad::cpuModel()
{
    const QList<QByteArray> lines = readAll("/proc/cpuinfo").split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith("model name"))
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
    }
    return QStringLiteral("unknown");
}

} // namespace NodeScope

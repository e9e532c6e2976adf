#include "proc/startenvironment.h"

#include "proc/procfs.h"

namespace NodeScope {

StartEnvironment::StartEnvironment(const QByteArray& environBytes)
    : m_bytes(environBytes)
{
}

StartEnvironment StartEnvironment::ofProcess(qint64 pid)
{
    return StartEnvironment(Procfs::readFile(QStringLiteral("/proc/%1/environ").arg(pid)));
}

std::optional<QByteArray> StartEnvironment::value(QByteArrayView name) const
{
    if (name.isEmpty() || name.contains('='))
        return std::nullopt;
    qsizetype start = 0;
    while (start < m_bytes.size()) {
        qsizetype end = m_bytes.indexOf('\0', start);
        if (end < 0)
            end = m_bytes.size();
        const QByteArrayView entry(m_bytes.constData() + start, end - start);
        if (entry.size() > name.size() && entry.startsWith(name) && entry.at(name.size()) == '=')
            return entry.sliced(name.size() + 1).toByteArray();
        start = end + 1;
    }
    return std::nullopt;
}

QString StartEnvironment::nodeOptions() const
{
    return QString::fromUtf8(value("NODE_OPTIONS").value_or(QByteArray()));
}

} // namespace NodeScope

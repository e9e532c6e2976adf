#pragma once

// Parsers for the /proc files NodeScope reads. They take bytes, not paths, so
// tests can feed fixture files, and they never trust the input: a truncated or
// garbage file yields std::nullopt (or an empty result), never a crash.

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace NodeScope::Procfs {

// The fields of /proc/PID/stat we use (proc(5) numbering in comments).
struct Stat {
    QString comm; // (2), between the first '(' and the LAST ')'
    char state = '?'; // (3)
    qint64 ppid = 0; // (4)
    quint64 utimeTicks = 0; // (14)
    quint64 stimeTicks = 0; // (15)
    int numThreads = 0; // (20)
    quint64 startTimeTicks = 0; // (22), clock ticks after boot
    qint64 rssPages = 0; // (24)
};

// The fields of /proc/PID/status we use.
struct Status {
    QString name;
    uint realUid = 0;
    uint effectiveUid = 0;
    quint64 sigCgt = 0; // caught signals; bit (n-1) is signal n
    quint64 sigIgn = 0;
    quint64 sigBlk = 0;
    int threads = 0;
    qint64 vmRssKb = -1;
};

struct ListeningSocket {
    quint64 inode = 0;
    quint16 port = 0;
    QString address; // "127.0.0.1", "0.0.0.0", "::1", "::"
    bool isLoopbackOrAny() const;
};

std::optional<Stat> parseStat(const QByteArray& bytes);
std::optional<Status> parseStatus(const QByteArray& bytes);
// LISTEN rows (state 0A) of /proc/PID/net/tcp or tcp6.
QList<ListeningSocket> parseListeningSockets(const QByteArray& bytes);
// NUL-separated arguments; empty for kernel threads and zombies.
QStringList parseCmdline(const QByteArray& bytes);
// "socket:[12345]" -> 12345
std::optional<quint64> parseSocketInode(const QString& fdLinkTarget);
// First field of /proc/uptime, in seconds.
std::optional<double> parseUptime(const QByteArray& bytes);

// SIGUSR1 is signal 10, so bit 9 of the SigCgt mask.
constexpr quint64 kSigUsr1Mask = quint64(1) << 9;

// Reads a whole /proc file; an empty array when it can't be read. /proc
// files report size 0: it reads until end of file.
QByteArray readFile(const QString& path);
// The entries of a /proc directory that are numbers (PIDs of /proc, thread
// ids of /proc/PID/task), unsorted; empty when it can't be read.
QList<qint64> numericEntries(const QString& directory);
// The raw target of a symbolic link ("socket:[123]", "/usr/bin/node"), empty
// when it can't be read. Unlike QFile::symLinkTarget it does not resolve the
// pseudo-targets of /proc into paths.
QString readLink(const QString& path);
// The ids of a process's threads (/proc/PID/task), empty when it is gone.
QSet<qint64> threadIds(qint64 pid);

} // namespace NodeScope::Procfs

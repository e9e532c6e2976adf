#include "probe/probechannel.h"

#include "jsonnumber.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QRandomGenerator>
#include <QTimer>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace NodeScope {

namespace {

QString linkText(const QString& path)
{
    char buffer[256];
    const ssize_t length = ::readlink(QFile::encodeName(path).constData(), buffer, sizeof(buffer) - 1);
    return length > 0 ? QString::fromLocal8Bit(buffer, int(length)) : QString();
}

// Where the target's /tmp is, seen from here: our own /tmp when it shares
// our filesystem view, else through /proc/PID/root (a chroot, a container's
// mount namespace, systemd's PrivateTmp).
QString targetTmpFromHere(qint64 pid)
{
    const QString proc = QStringLiteral("/proc/%1/").arg(pid);
    const bool sameMounts
        = linkText(QStringLiteral("/proc/self/ns/mnt")) == linkText(proc + QLatin1String("ns/mnt"));
    const bool sameRoot = linkText(proc + QLatin1String("root")) == QLatin1String("/");
    if (sameMounts && sameRoot)
        return QStringLiteral("/tmp");
    return proc + QLatin1String("root/tmp");
}

// Directories a NodeScope that was killed between listening and the probe's
// connection left behind ("nodescope-<its pid>-<random>"): removed when that
// NodeScope is gone.
void removeStaleDirectories(const QString& tmp)
{
    const QStringList entries
        = QDir(tmp).entryList({QStringLiteral("nodescope-*")}, QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        const qint64 owner = entry.section(QLatin1Char('-'), 1, 1).toLongLong();
        if (owner <= 0 || owner == QCoreApplication::applicationPid()
            || QFileInfo::exists(QStringLiteral("/proc/%1").arg(owner)))
            continue;
        QDir(tmp + QLatin1Char('/') + entry).removeRecursively();
    }
}

QString oversizeReason()
{
    return QStringLiteral("the probe sent a message over %1 MB")
        .arg(ProbeChannel::kMaxMessageBytes / (1024 * 1024));
}

} // namespace

ProbeChannel::ProbeChannel(QObject* parent)
    : QObject(parent)
{
}

ProbeChannel::~ProbeChannel()
{
    // No callbacks into an object being destroyed; the socket closes with us.
    for (const Pending& pending : std::as_const(m_pending))
        delete pending.timer;
    m_pending.clear();
    stopListening();
}

bool ProbeChannel::isListening() const
{
    return m_server && m_server->isListening();
}

bool ProbeChannel::listen(qint64 pid, uint targetUid, QString* error)
{
    close(QStringLiteral("restarted"));
    m_pid = pid;
    const QString tmp = targetTmpFromHere(pid);
    if (!QFileInfo(tmp).isDir()) {
        *error = QStringLiteral("PID %1 has no /tmp NodeScope can reach").arg(pid);
        return false;
    }
    removeStaleDirectories(tmp);
    const QString name = QStringLiteral("nodescope-%1-%2")
                             .arg(QCoreApplication::applicationPid())
                             .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
    m_directory = tmp + QLatin1Char('/') + name;
    if (::mkdir(QFile::encodeName(m_directory).constData(), 0700) != 0) {
        *error = QStringLiteral("cannot make %1: %2")
                     .arg(m_directory, QString::fromLocal8Bit(std::strerror(errno)));
        m_directory.clear();
        return false;
    }
    // Root watching another user's process: the directory becomes theirs, so
    // their process can enter it and nobody else can.
    const bool handOver = ::geteuid() == 0 && targetUid != 0;
    if (handOver && ::chown(QFile::encodeName(m_directory).constData(), targetUid, gid_t(-1)) != 0) {
        *error = QStringLiteral("cannot hand %1 to uid %2: %3")
                     .arg(m_directory)
                     .arg(targetUid)
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        stopListening();
        return false;
    }
    const QString socketPath = m_directory + QLatin1String("/p.sock");
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(socketPath)) {
        *error = QStringLiteral("cannot listen on %1: %2").arg(socketPath, m_server->errorString());
        stopListening();
        return false;
    }
    if (handOver)
        (void)::chown(QFile::encodeName(socketPath).constData(), targetUid, gid_t(-1));
    connect(m_server, &QLocalServer::newConnection, this, &ProbeChannel::acceptPending);
    m_targetPath = QStringLiteral("/tmp/") + name + QLatin1String("/p.sock");
    m_token = QString::number(QRandomGenerator::system()->generate64(), 16)
        + QString::number(QRandomGenerator::system()->generate64(), 16);
    return true;
}

void ProbeChannel::stopListening()
{
    if (m_server) {
        m_server->close(); // removes the socket file
        m_server->deleteLater();
        m_server = nullptr;
    }
    if (!m_directory.isEmpty()) {
        QDir(m_directory).removeRecursively();
        m_directory.clear();
    }
}

void ProbeChannel::acceptPending()
{
    while (m_server && m_server->hasPendingConnections()) {
        QLocalSocket* socket = m_server->nextPendingConnection();
        // The kernel says who connected; only the target's process may.
        ucred peer{};
        socklen_t length = sizeof(peer);
        const bool known
            = ::getsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &peer, &length) == 0;
        if (!known || qint64(peer.pid) != m_pid || m_socket) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_socket = socket;
        socket->setParent(this); // the server's children go with it, and it goes now
        connect(socket, &QLocalSocket::readyRead, this, &ProbeChannel::readLines);
        connect(socket, &QLocalSocket::disconnected, this,
            [this] { close(QStringLiteral("the probe closed the connection")); });
        connect(socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError code) {
            if (code != QLocalSocket::PeerClosedError)
                close(m_socket ? m_socket->errorString() : QStringLiteral("socket error"));
        });
        // Connected: the path is no longer needed, and nothing of ours stays in their /tmp.
        stopListening();
        readLines();
    }
}

void ProbeChannel::readLines()
{
    while (m_socket && m_socket->canReadLine()) {
        // No size limit on readLine: given one, Qt allocates that much for
        // every line (64 MB: an mmap, then an mremap to shrink it, each a
        // TLB flush on every core, a tenth of the dashboard's CPU). A whole
        // line is in the buffer already; its size is checked after.
        if (!takeLine(m_socket->readLine()))
            return;
    }
    if (m_socket && m_socket->bytesAvailable() > kMaxMessageBytes)
        close(oversizeReason());
}

bool ProbeChannel::takeLine(const QByteArray& line)
{
    if (!line.endsWith('\n') || line.size() > kMaxMessageBytes + 1) {
        close(oversizeReason());
        return false;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (!document.isObject()) {
        close(QStringLiteral("the probe sent something that is not JSON (%1)").arg(parseError.errorString()));
        return false;
    }
    handle(document.object());
    return true;
}

void ProbeChannel::handle(const QJsonObject& message)
{
    if (!m_connected) {
        // The first message must be the hello of the probe we installed.
        if (message.value(QLatin1String("hello")).toInt() != 1
            || message.value(QLatin1String("token")).toString() != m_token
            || JsonNumber::toInt64(message.value(QLatin1String("pid"))) != m_pid) {
            close(QStringLiteral("the peer did not introduce itself as our probe"));
            return;
        }
        m_connected = true;
        Q_EMIT connected(message);
        return;
    }
    if (message.contains(QLatin1String("event"))) {
        Q_EMIT eventReceived(message.value(QLatin1String("event")).toString(),
            message.value(QLatin1String("params")).toObject(),
            message.value(QLatin1String("worker")).toArray());
        return;
    }
    if (message.contains(QLatin1String("readings"))) {
        Q_EMIT readingsReceived(message.value(QLatin1String("readings")).toArray());
        return;
    }
    const int id = message.value(QLatin1String("id")).toInt(-1);
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return; // late (timed out) or unknown: ignored
    const Pending pending = *it;
    m_pending.erase(it);
    delete pending.timer;
    Reply reply;
    if (message.contains(QLatin1String("error"))) {
        reply.error = message.value(QLatin1String("error")).toString();
        if (reply.error.isEmpty()) // a failure always says why
            reply.error = QStringLiteral("the probe reported an error without a message");
    } else {
        reply.ok = true;
        reply.message = message;
    }
    pending.callback(reply);
}

bool ProbeChannel::write(const QJsonObject& message)
{
    if (!m_socket || !m_connected)
        return false;
    QByteArray line = QJsonDocument(message).toJson(QJsonDocument::Compact);
    line += '\n';
    return m_socket->write(line) == line.size();
}

void ProbeChannel::request(QJsonObject message, Callback callback, int timeoutMs)
{
    const int id = m_nextId++;
    message.insert(QStringLiteral("id"), id);
    if (!write(message)) {
        QTimer::singleShot(0, this, [callback] {
            callback({false, {}, QStringLiteral("the probe is not connected")});
        });
        return;
    }
    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, id, timeoutMs] {
        const auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        const Pending pending = *it;
        m_pending.erase(it);
        pending.timer->deleteLater();
        pending.callback({false, {}, QStringLiteral("no reply from the probe within %1 ms").arg(timeoutMs)});
    });
    m_pending.insert(id, {std::move(callback), timer});
    timer->start(timeoutMs);
}

void ProbeChannel::send(const QJsonObject& message)
{
    write(message);
}

void ProbeChannel::failAll(const QString& reason)
{
    const QHash<int, Pending> pending = std::exchange(m_pending, {});
    for (const Pending& entry : pending) {
        delete entry.timer;
        entry.callback({false, {}, reason});
    }
}

void ProbeChannel::stop()
{
    if (m_socket && m_connected) {
        write(QJsonObject{{QStringLiteral("op"), QStringLiteral("stop")}});
        m_socket->flush();
    }
    close(QStringLiteral("stopped"));
}

void ProbeChannel::close(const QString& reason)
{
    const bool wasOpen = m_socket != nullptr || m_server != nullptr;
    stopListening();
    const bool wasConnected = m_connected;
    m_connected = false;
    if (QLocalSocket* socket = std::exchange(m_socket, nullptr)) {
        socket->disconnect(this);
        socket->disconnectFromServer();
        socket->deleteLater();
    }
    failAll(reason);
    if (wasOpen && (wasConnected || reason != QLatin1String("restarted")))
        Q_EMIT closed(reason);
}

} // namespace NodeScope

#include "watch/cpuprofilerecorder.h"

#include "watch/targetaccess.h"

#include <QTimer>

namespace NodeScope {

namespace {

const QString kSession = QStringLiteral("profile");
constexpr int kRequestMs = 5000;

} // namespace

CpuProfileRecorder::CpuProfileRecorder(TargetAccess* access, QObject* parent)
    : QObject(parent)
    , m_access(access)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &CpuProfileRecorder::stopProfiler);
}

CpuProfileRecorder::~CpuProfileRecorder()
{
    abandon();
}

void CpuProfileRecorder::call(const QString& method, const QJsonObject& params,
    std::function<void(bool, const QJsonObject&, const QString&)> done, int timeoutMs)
{
    if (!m_access)
        return done(false, {}, QStringLiteral("the process is no longer watched"));
    const int generation = m_generation;
    m_access->cdpInSession(
        kSession, method, params,
        [this, generation, done](const CdpReply& reply) {
            if (generation == m_generation)
                done(reply.ok, reply.result, reply.error);
        },
        timeoutMs);
}

void CpuProfileRecorder::start(const Options& options)
{
    if (m_phase != Phase::Idle) {
        QTimer::singleShot(
            0, this, [this] { Q_EMIT failed(QStringLiteral("a CPU profile is already being recorded")); });
        return;
    }
    if (!m_access || !m_access->isAttached()) {
        QTimer::singleShot(0, this,
            [this] { Q_EMIT failed(QStringLiteral("a CPU profile needs an attached Node process")); });
        return;
    }
    m_options = options;
    m_options.seconds = qBound(0.1, options.seconds, kMaxSeconds);
    m_options.intervalUs = qBound(50, options.intervalUs, 1000000);
    m_phase = Phase::Starting;
    m_stopWhenStarted = false;
    m_route = int(m_access->route());
    ++m_generation;
    call(
        QStringLiteral("Profiler.enable"), {},
        [this](bool ok, const QJsonObject&, const QString& error) {
            if (!ok)
                return fail(QStringLiteral("Profiler.enable failed: %1").arg(error));
        },
        kRequestMs);
    call(
        QStringLiteral("Profiler.setSamplingInterval"), {{QStringLiteral("interval"), m_options.intervalUs}},
        [](bool, const QJsonObject&, const QString&) {}, kRequestMs);
    call(
        QStringLiteral("Profiler.start"), {},
        [this](bool ok, const QJsonObject&, const QString& error) {
            if (m_phase != Phase::Starting)
                return;
            if (!ok)
                return fail(QStringLiteral("Profiler.start failed: %1").arg(error));
            m_phase = Phase::Running;
            m_clock.start();
            m_timer->start(int(m_options.seconds * 1000));
            Q_EMIT started(m_options.seconds);
            if (std::exchange(m_stopWhenStarted, false))
                stopProfiler();
        },
        kRequestMs);
}

void CpuProfileRecorder::stopNow()
{
    if (m_phase == Phase::Starting)
        m_stopWhenStarted = true;
    if (m_phase == Phase::Running)
        stopProfiler();
}

void CpuProfileRecorder::stopProfiler()
{
    if (m_phase != Phase::Running)
        return;
    m_timer->stop();
    m_phase = Phase::Stopping;
    const qint64 pid = m_access ? m_access->pid() : 0;
    if (m_access && int(m_access->route()) != m_route)
        return fail(
            QStringLiteral("NodeScope's way into PID %1 changed during the profile (its probe took over from "
                           "the inspector, or the connection was lost), and the profile went with the old "
                           "session: record it again")
                .arg(pid));
    const bool throughProbe = m_access && m_access->route() == TargetAccess::Route::Probe;
    call(
        QStringLiteral("Profiler.stop"), {},
        [this, pid, throughProbe](bool ok, const QJsonObject& result, const QString& error) {
            if (m_phase != Phase::Stopping)
                return;
            if (!ok) {
                if (throughProbe && error.startsWith(QLatin1String("no reply")))
                    return fail(
                        QStringLiteral("PID %1's event loop did not turn within %2 s of the profile's end "
                                       "(busy in synchronous code?): NodeScope's probe runs on that loop "
                                       "and could not hand the profile over. The profiler stops in the "
                                       "process as soon as its loop turns")
                            .arg(pid)
                            .arg(m_options.stopPatienceMs / 1000.0));
                return fail(QStringLiteral("Profiler.stop failed: %1").arg(error));
            }
            const QJsonObject profile = result.value(QLatin1String("profile")).toObject();
            if (!profile.contains(QLatin1String("nodes")))
                return fail(QStringLiteral("Profiler.stop gave no profile"));
            release();
            Q_EMIT finished(profile);
        },
        m_options.stopPatienceMs);
}

void CpuProfileRecorder::release()
{
    m_phase = Phase::Idle;
    ++m_generation;
    m_timer->stop();
    if (!m_access)
        return;
    m_access->cdpInSession(
        kSession, QStringLiteral("Profiler.disable"), {}, [](const CdpReply&) {}, kRequestMs);
    // The probe's session of its own closes (on the inspector route the one
    // session is shared and stays).
    m_access->releaseCdpSession(kSession);
}

void CpuProfileRecorder::abandon()
{
    if (m_phase == Phase::Idle)
        return;
    if (m_phase == Phase::Running && m_access)
        m_access->cdpInSession(
            kSession, QStringLiteral("Profiler.stop"), {}, [](const CdpReply&) {}, kRequestMs);
    release();
}

void CpuProfileRecorder::fail(const QString& reason)
{
    if (m_phase == Phase::Idle)
        return;
    release();
    Q_EMIT failed(reason);
}

} // namespace NodeScope

#include "session/sessionfiles.h"

#include "session/samplecsv.h"
#include "session/timerscsv.h"
#include "session/workerscsv.h"

#include <QFileInfo>

namespace NodeScope {

QString SessionFiles::timersPathFor(const QString& samplesPath)
{
    return TimersCsv::pathFor(samplesPath);
}

SessionFiles::SaveResult SessionFiles::save(const Session& session, const QString& samplesPath)
{
    SaveResult result;
    if (!SampleCsv::write(session, samplesPath, &result.error))
        return result;
    result.samples = session.size();
    const QList<TimerSpan>& spans = session.timerSpans();
    const QString timersPath = timersPathFor(samplesPath);
    if (!spans.isEmpty() || QFileInfo::exists(timersPath)) {
        QString error;
        if (!TimersCsv::writeFile(timersPath, spans, &error)) {
            result.error = QStringLiteral("the samples were written, but not the timers: %1").arg(error);
            return result;
        }
        result.timersPath = timersPath;
        result.spans = spans.size();
    }
    result.ok = true;
    return result;
}

void SessionFiles::readWorkers(const QString& workersPath, const Session& session, LoadResult* result)
{
    if (!QFileInfo::exists(workersPath))
        return;
    const QString name = QFileInfo(workersPath).fileName();
    WorkerStore workers;
    QString error;
    // Like the timers: a workers file that cannot be read costs the workers, not the samples.
    if (!WorkersCsv::readFile(workersPath, &workers, &error) && workers.isEmpty()) {
        result->notes.append(QStringLiteral("worker threads: %1").arg(error));
        return;
    }
    const qint64 first = session.samples().constFirst().wallMs - kWorkersSlackMs;
    const qint64 last = session.samples().constLast().wallMs + kWorkersSlackMs;
    for (const WorkerSeries& series : workers.series()) {
        if (series.firstSeenWallMs < first || series.lastSeenWallMs > last) {
            result->notes.append(
                QStringLiteral("%1 is from another recording (its times lie outside the samples'): not read")
                    .arg(name));
            return;
        }
    }
    if (!error.isEmpty())
        result->notes.append(QStringLiteral("worker threads: %1").arg(error));
    result->workers = std::move(workers);
}

SessionFiles::LoadResult SessionFiles::load(const QString& samplesPath)
{
    LoadResult result;
    SampleCsv::ReadResult samples = SampleCsv::read(samplesPath);
    if (!samples.session) {
        result.error = samples.error;
        return result;
    }
    const QString name = QFileInfo(samplesPath).fileName();
    if (samples.session->isEmpty()) {
        result.error = samples.error.isEmpty()
            ? QStringLiteral("%1 has no sample rows").arg(name)
            : QStringLiteral("%1 has no sample rows (%2)").arg(name, samples.error);
        return result;
    }
    if (!samples.error.isEmpty())
        result.notes.append(samples.error);

    Session session = std::move(*samples.session);
    session.info().source = name;
    const QString timersPath = timersPathFor(samplesPath);
    if (QFileInfo::exists(timersPath)) {
        QList<TimerSpan> spans;
        QString error;
        // A timers file that cannot be read costs the timers, not the samples.
        if (!TimersCsv::readFile(timersPath, &spans, &error) || !error.isEmpty())
            result.notes.append(QStringLiteral("timers: %1").arg(error));
        for (const TimerSpan& span : std::as_const(spans))
            session.addTimerSpan(span);
        result.spans = spans.size();
    }
    readWorkers(WorkersCsv::pathFor(samplesPath), session, &result);
    result.session = std::move(session);
    return result;
}

} // namespace NodeScope

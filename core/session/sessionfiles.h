#pragma once

// A session on disk: the samples CSV and, beside it, `<name>-timers.csv`
// (DESIGN.md) and, when the process had worker threads, `<name>-workers.csv`.
// The dashboard's Export and Open and `nodescope record` all go through
// here, so files written by one are read by the other. Each file is written
// whole through QSaveFile: an existing file is only replaced once the new
// one is complete, and a failure leaves the session in memory untouched.

#include "session/session.h"
#include "session/workerstore.h"

#include <QList>
#include <QString>

#include <optional>

namespace NodeScope {

class SessionFiles {
public:
    // "/runs/api.csv" -> "/runs/api-timers.csv".
    static QString timersPathFor(const QString& samplesPath);

    struct SaveResult {
        bool ok = false;
        QString error; // why not, when !ok
        QString timersPath; // written (or replaced) beside the samples; empty when none
        qsizetype samples = 0;
        qsizetype spans = 0;
    };
    // Writes the samples, then the timer spans when there are any (or when
    // an older timers file beside the path would otherwise pair with the new
    // samples by mistake).
    static SaveResult save(const Session& session, const QString& samplesPath);

    struct LoadResult {
        std::optional<Session> session; // nullopt when nothing could be read
        QString error; // why nothing, when there is no session
        QStringList notes; // what was skipped or could not be read, said plainly
        qsizetype spans = 0; // timer spans read (they are in the session)
        WorkerStore workers; // the worker threads' heap series, ended
    };
    // Reads a samples CSV and its timers and workers files when they lie
    // beside it. A file with no sample rows is an error; rows that do not
    // parse are skipped and noted. A workers file whose readings lie outside
    // the samples' time span (by more than kWorkersSlackMs) is from another
    // recording into the same name and is noted, not read.
    static LoadResult load(const QString& samplesPath);
    static constexpr qint64 kWorkersSlackMs = 60'000;

private:
    static void readWorkers(const QString& workersPath, const Session& session, LoadResult* result);
};

} // namespace NodeScope

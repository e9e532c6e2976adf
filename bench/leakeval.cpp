// nodescope_leakeval: how well the leak detector does, as a markdown table.
//
// Replays generated series (bench/leakeval/syntheticseries.h) at several
// sampling intervals, and the memory logs of real Node scripts that
// bench/leakeval/run.js leaves in a directory, through LeakDetector, sample by
// sample, and reports when it first said `suspect` and `leak`, its false
// alarms, and how its out-of-memory projection compares with the real death.
//
//   node bench/leakeval/run.js /tmp/leakruns     # ~20 min, once
//   nodescope_leakeval [--traces /tmp/leakruns] [--intervals 100,1000,10000]
//
// --intervals 0 leaves the generated series out. docs/leak-detection.md
// holds the figures and how they were made.

#include "analysis/leakdetector.h"
#include "leakeval/syntheticseries.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cmath>

using namespace NodeScope;

namespace {

struct Run {
    QString name;
    QString source; // "generated" or "node"
    bool leaks = false; // truth of the verdict under test
    bool native = false; // judge nativeVerdict instead of jsVerdict
    int intervalMs = 0;
    double leakStartSec = 0;
    double endSec = 0;
    double deathSec = -1; // when the process died (or would die); -1: it does not
    qint64 heapLimitBytes = 0;
    std::vector<Sample> samples;
};

// What one verdict did over a replay.
struct VerdictLog {
    double firstSuspectSec = -1; // from the start of the leak (or of the run when healthy)
    double firstLeakSec = -1;
    double learningEndsSec = -1;
    int falseLeakEpisodes = 0; // entries into `leak` while there was nothing to find
    int suspectEpisodes = 0; // entries into `suspect` from `ok` while there was nothing to find
    int changes = 0; // state changes after learning
    LeakVerdict::State state = LeakVerdict::State::Learning;
    LeakVerdict::State worst = LeakVerdict::State::Learning;

    void note(const LeakVerdict& v, double t, bool leaking, double leakStartSec)
    {
        using State = LeakVerdict::State;
        auto rank = [](State s) {
            return s == State::Leak ? 3 : s == State::Suspect ? 2 : s == State::Ok ? 1 : 0;
        };
        if (rank(v.state) > rank(worst))
            worst = v.state;
        if (v.state == state)
            return;
        const bool nothingToFind = !leaking || t < leakStartSec;
        if (state == State::Learning)
            learningEndsSec = t;
        else
            ++changes;
        const double since = leaking ? t - leakStartSec : t;
        if (v.state == State::Suspect && firstSuspectSec < 0 && since >= 0)
            firstSuspectSec = since;
        if (v.state == State::Leak && firstLeakSec < 0 && since >= 0)
            firstLeakSec = since;
        if (nothingToFind && v.state == State::Leak)
            ++falseLeakEpisodes;
        if (nothingToFind && v.state == State::Suspect && state != State::Leak)
            ++suspectEpisodes;
        state = v.state;
    }
};

struct Result {
    VerdictLog tested; // the verdict the truth is about
    VerdictLog other; // the other one, which has nothing to find
    QString finalExplanation;
    // Out-of-memory projection at the first `leak`, then at fractions of the life.
    struct Projection {
        double atSec = 0;
        double projectedSec = -1; // projected death, from the run's start
    };
    std::vector<Projection> projections;
};

bool g_printChanges = false;

Result replay(const Run& run)
{
    LeakDetector detector;
    detector.setHeapLimitBytes(run.heapLimitBytes);
    Result r;
    if (run.samples.empty())
        return r;
    const qint64 startWall = run.samples.front().wallMs;
    const quint32 startElapsed = run.samples.front().elapsedMs;
    std::vector<double> checkpoints;
    if (run.deathSec > 0) {
        for (double f : {0.25, 0.5, 0.75, 0.9})
            checkpoints.push_back(f * run.deathSec);
    }
    size_t nextCheckpoint = 0;

    for (const Sample& s : run.samples) {
        const double t = double(s.elapsedMs - startElapsed) / 1000.0;
        if (run.deathSec > 0 && t >= run.deathSec)
            break;
        detector.addSample(s);
        const LeakVerdict tested = run.native ? detector.nativeVerdict() : detector.jsVerdict();
        const LeakVerdict other = run.native ? detector.jsVerdict() : detector.nativeVerdict();
        const bool firstLeak = tested.state == LeakVerdict::State::Leak && r.tested.firstLeakSec < 0;
        if (g_printChanges && tested.state != r.tested.state) {
            QTextStream(stderr) << run.name << " @" << run.intervalMs << " ms, " << qRound(t)
                                << " s: " << tested.explanation() << '\n';
        }
        if (g_printChanges && other.state != r.other.state) {
            QTextStream(stderr) << run.name << " @" << run.intervalMs << " ms, " << qRound(t)
                                << " s, other verdict: " << other.explanation() << '\n';
        }
        r.tested.note(tested, t, run.leaks, run.leakStartSec);
        r.other.note(other, t, false, 0);
        auto projectionNow = [&]() {
            Result::Projection p;
            p.atSec = t;
            if (tested.hasProjection())
                p.projectedSec = double(tested.projectedOomWallMs - startWall) / 1000.0;
            return p;
        };
        if (firstLeak && run.deathSec > 0)
            r.projections.insert(r.projections.begin(), projectionNow());
        while (nextCheckpoint < checkpoints.size() && t >= checkpoints[nextCheckpoint]) {
            r.projections.push_back(projectionNow());
            ++nextCheckpoint;
        }
    }
    r.finalExplanation = (run.native ? detector.nativeVerdict() : detector.jsVerdict()).explanation();
    return r;
}

QString seconds(double s)
{
    if (s < 0)
        return QStringLiteral("-");
    if (s < 120)
        return QString::number(qRound(s)) + QStringLiteral(" s");
    return QString::number(s / 60.0, 'f', 1) + QStringLiteral(" min");
}

// Reads a CSV in the `nodescope record` layout (what memlog.js writes).
std::vector<Sample> readCsv(const QString& path, QString* error)
{
    std::vector<Sample> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return out;
    }
    f.readLine(); // header
    while (!f.atEnd()) {
        const QList<QByteArray> cells = f.readLine().trimmed().split(',');
        if (cells.size() < 7)
            continue; // a line cut short by the process's death
        Sample s;
        bool ok = true;
        s.elapsedMs = cells[0].toUInt(&ok);
        const QDateTime wall = QDateTime::fromString(QString::fromLatin1(cells[1]), Qt::ISODateWithMs);
        if (!ok || !wall.isValid())
            continue;
        s.wallMs = wall.toMSecsSinceEpoch();
        auto bytes
            = [&cells](int i) { return cells[i].isEmpty() ? Sample::kMissingBytes : cells[i].toLongLong(); };
        s.rssBytes = bytes(2);
        s.heapTotalBytes = bytes(3);
        s.heapUsedBytes = bytes(4);
        s.externalBytes = bytes(5);
        s.arrayBuffersBytes = bytes(6);
        out.push_back(s);
    }
    return out;
}

std::vector<Sample> thin(const std::vector<Sample>& samples, int intervalMs)
{
    std::vector<Sample> out;
    qint64 next = -1;
    for (const Sample& s : samples) {
        if (qint64(s.elapsedMs) >= next) {
            out.push_back(s);
            next = qint64(s.elapsedMs) + intervalMs - intervalMs / 20;
        }
    }
    return out;
}

QString projectionCell(const Run& run, const Result& r)
{
    if (run.deathSec <= 0)
        return QStringLiteral("");
    QStringList parts;
    for (const Result::Projection& p : r.projections) {
        const double actualLeft = run.deathSec - p.atSec;
        if (p.projectedSec < 0) {
            parts << QStringLiteral("at %1: none").arg(seconds(p.atSec));
            continue;
        }
        const double projectedLeft = p.projectedSec - p.atSec;
        const double errorPct = 100.0 * (projectedLeft - actualLeft) / actualLeft;
        parts << QStringLiteral("at %1: %2 left, real %3 (%4%5%)")
                     .arg(seconds(p.atSec), seconds(projectedLeft), seconds(actualLeft),
                         errorPct >= 0 ? QStringLiteral("+") : QString(), QString::number(qRound(errorPct)));
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Evaluates the leak detector; prints a markdown table."));
    parser.addHelpOption();
    const QCommandLineOption tracesOption(QStringLiteral("traces"),
        QStringLiteral("Directory left by bench/leakeval/run.js."), QStringLiteral("dir"));
    const QCommandLineOption intervalsOption(QStringLiteral("intervals"),
        QStringLiteral("Sampling intervals for generated series, ms."), QStringLiteral("list"),
        QStringLiteral("100,1000,10000"));
    const QCommandLineOption verboseOption(
        QStringLiteral("verbose"), QStringLiteral("Print final verdicts."));
    const QCommandLineOption changesOption(
        QStringLiteral("changes"), QStringLiteral("Print every change of the judged verdict."));
    const QCommandLineOption onlyOption(QStringLiteral("only"),
        QStringLiteral("Only the scenarios whose name contains this."), QStringLiteral("text"));
    const QCommandLineOption seedOption(
        QStringLiteral("seed"), QStringLiteral("Seed of the generated series."), QStringLiteral("n"));
    parser.addOption(onlyOption);
    parser.addOption(seedOption);
    parser.addOption(tracesOption);
    parser.addOption(intervalsOption);
    parser.addOption(verboseOption);
    parser.addOption(changesOption);
    parser.process(app);
    g_printChanges = parser.isSet(changesOption);

    std::vector<Run> runs;
    for (const QString& text : parser.value(intervalsOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const int interval = text.toInt();
        if (interval <= 0)
            continue;
        for (LeakEval::SeriesSpec spec : LeakEval::standardScenarios(interval)) {
            if (parser.isSet(onlyOption) && !spec.name.contains(parser.value(onlyOption)))
                continue;
            if (parser.isSet(seedOption))
                spec.seed = parser.value(seedOption).toULongLong();
            Run run;
            run.name = spec.name;
            run.source = QStringLiteral("generated");
            run.native = spec.nativeLeaks;
            run.leaks = spec.nativeLeaks || spec.leaks;
            run.intervalMs = interval;
            run.leakStartSec = spec.leaks ? spec.leakStartSec : 0;
            run.endSec = spec.durationSec;
            run.deathSec = spec.deathSec();
            run.heapLimitBytes = spec.heapLimitBytes;
            run.samples = LeakEval::generateSeries(spec);
            runs.push_back(std::move(run));
        }
    }

    if (parser.isSet(tracesOption)) {
        const QDir dir(parser.value(tracesOption));
        const QStringList metas = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
        for (const QString& metaName : metas) {
            QFile metaFile(dir.filePath(metaName));
            if (!metaFile.open(QIODevice::ReadOnly))
                continue;
            const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
            QString error;
            const std::vector<Sample> samples = readCsv(
                dir.filePath(meta.value(QStringLiteral("name")).toString() + QStringLiteral(".csv")), &error);
            if (samples.empty()) {
                QTextStream(stderr) << metaName << ": no samples " << error << '\n';
                continue;
            }
            if (parser.isSet(onlyOption)
                && !meta.value(QStringLiteral("name")).toString().contains(parser.value(onlyOption)))
                continue;
            const int logged = meta.value(QStringLiteral("intervalMs")).toInt(100);
            for (int interval : {logged, 1000}) {
                Run run;
                run.name = meta.value(QStringLiteral("name")).toString();
                run.source = QStringLiteral("node");
                run.leaks = meta.value(QStringLiteral("truth")).toString() == QStringLiteral("leak");
                run.intervalMs = interval;
                run.heapLimitBytes = qint64(meta.value(QStringLiteral("heapLimitBytes")).toDouble());
                run.samples = interval == logged ? samples : thin(samples, interval);
                run.endSec = double(run.samples.back().elapsedMs) / 1000.0;
                if (meta.value(QStringLiteral("heapOom")).toBool()) {
                    // Death is when the process exited; the first sample is within
                    // a few ms of its start.
                    run.deathSec = double(qint64(meta.value(QStringLiteral("exitWallMs")).toDouble())
                                       - samples.front().wallMs)
                        / 1000.0;
                    run.endSec = run.deathSec;
                }
                runs.push_back(std::move(run));
            }
        }
    }

    QTextStream out(stdout);
    out << "| scenario | source | sampling | truth | learning ends | first suspect | first leak "
           "| false alarms: leak / suspect episodes | state changes | final (judged / other) "
           "| OOM projection: time left projected vs real |\n";
    out << "|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const Run& run : runs) {
        const Result r = replay(run);
        const QString truth = run.leaks
            ? (run.native ? QStringLiteral("native leak") : QStringLiteral("leak"))
            : QStringLiteral("healthy");
        // False alarms: the judged verdict before any leak, plus the other verdict throughout.
        const int falseLeaks = r.tested.falseLeakEpisodes + r.other.falseLeakEpisodes;
        const int falseSuspects = r.tested.suspectEpisodes + r.other.suspectEpisodes;
        out << "| " << run.name << " | " << run.source << " | " << run.intervalMs << " ms | " << truth
            << " | " << seconds(r.tested.learningEndsSec) << " | " << seconds(r.tested.firstSuspectSec)
            << " | " << seconds(r.tested.firstLeakSec) << " | " << falseLeaks << " / " << falseSuspects
            << " | " << r.tested.changes << " | " << LeakVerdict::stateName(r.tested.state) << " / "
            << LeakVerdict::stateName(r.other.state) << " | " << projectionCell(run, r) << " |\n";
        if (parser.isSet(verboseOption))
            QTextStream(stderr) << run.name << " @" << run.intervalMs << ": " << r.finalExplanation << '\n';
    }
    return 0;
}

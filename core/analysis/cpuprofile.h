#pragma once

// A V8 CPU profile (the .cpuprofile JSON that Profiler.stop returns and
// DevTools and speedscope open), read into time per function: self time (the
// samples that were in the function itself) and total time (the samples with
// the function anywhere on the stack, recursion counted once).
//
// A sample lasts until the next one (timeDeltas), the last one until the
// profile's endTime, as DevTools counts them. A function is its name, URL,
// line and column: the same function reached by different paths is one row.

#include "inspector/codeorigin.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace NodeScope {

struct ProfileFunction {
    QString
        function; // "(anonymous)" for unnamed; V8's "(program)", "(idle)", "(garbage collector)" as they are
    QString url;
    int line = 0; // 1-based; 0 when unknown
    int column = 0; // 1-based; 0 when unknown
    CodeOrigin origin = CodeOrigin::Unknown;
    double selfMs = 0;
    double totalMs = 0;

    // "url:line" (or empty): where it is, for a table.
    QString location() const;
};

class CpuProfile {
public:
    // nullopt with *error when the JSON is not a CPU profile.
    static std::optional<CpuProfile> parse(const QByteArray& json, QString* error);
    static std::optional<CpuProfile> fromJson(const QJsonObject& profile, QString* error);

    double durationMs() const { return m_durationMs; }
    qint64 sampleCount() const { return m_sampleCount; }
    // Every function that was sampled (self or total above 0), most self time first.
    const QList<ProfileFunction>& functions() const { return m_functions; }
    // The first `count` functions by self time, V8's own pseudo-functions
    // ((idle), (program), (garbage collector), (root)) left out when jsOnly.
    QList<ProfileFunction> topBySelf(int count, bool jsOnly) const;
    // Share of the whole profile, 0-100.
    double percentOf(double ms) const { return m_durationMs > 0 ? 100.0 * ms / m_durationMs : 0; }
    // For a summary: {durationMs, samples, top: [{function, url, line, column, origin, selfMs,
    // selfPercent, totalMs, totalPercent}]}.
    QJsonObject summaryJson(int count) const;

    static bool isPseudoFunction(const QString& name);

private:
    double m_durationMs = 0;
    qint64 m_sampleCount = 0;
    QList<ProfileFunction> m_functions;
};

} // namespace NodeScope

#include "analysis/cpuprofile.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QVarLengthArray>

#include <algorithm>
#include <cmath>

namespace NodeScope {

namespace {

int oneBased(const QJsonValue& value)
{
    const double number = value.toDouble(-1);
    return number >= 0 && number < 1e9 ? int(number) + 1 : 0;
}

struct Node {
    qint64 parent = -1; // index into the node list
    int function = -1; // index into the function list
    double selfMs = 0;
};

} // namespace

QString ProfileFunction::location() const
{
    if (url.isEmpty())
        return {};
    return line > 0 ? QStringLiteral("%1:%2").arg(url).arg(line) : url;
}

bool CpuProfile::isPseudoFunction(const QString& name)
{
    return name == QLatin1String("(root)") || name == QLatin1String("(program)")
        || name == QLatin1String("(idle)") || name == QLatin1String("(garbage collector)");
}

std::optional<CpuProfile> CpuProfile::parse(const QByteArray& json, QString* error)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("not JSON: %1").arg(parseError.errorString())
            : QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    return fromJson(document.object(), error);
}

std::optional<CpuProfile> CpuProfile::fromJson(const QJsonObject& profile, QString* error)
{
    const QJsonArray nodeArray = profile.value(QLatin1String("nodes")).toArray();
    const QJsonArray samples = profile.value(QLatin1String("samples")).toArray();
    const QJsonArray deltas = profile.value(QLatin1String("timeDeltas")).toArray();
    if (nodeArray.isEmpty()) {
        *error = QStringLiteral("not a CPU profile: it has no \"nodes\"");
        return std::nullopt;
    }
    if (samples.size() != deltas.size()) {
        *error = QStringLiteral("not a CPU profile: %1 samples but %2 time deltas")
                     .arg(samples.size())
                     .arg(deltas.size());
        return std::nullopt;
    }

    CpuProfile result;
    QHash<qint64, qint64> indexOfId;
    QHash<QString, int> functionOfKey;
    QList<Node> nodes(nodeArray.size());
    for (qsizetype i = 0; i < nodeArray.size(); ++i) {
        const QJsonObject node = nodeArray.at(i).toObject();
        const QJsonObject frame = node.value(QLatin1String("callFrame")).toObject();
        ProfileFunction function;
        function.function = frame.value(QLatin1String("functionName")).toString().left(512);
        if (function.function.isEmpty())
            function.function = QStringLiteral("(anonymous)");
        function.url = frame.value(QLatin1String("url")).toString().left(2048);
        function.line = oneBased(frame.value(QLatin1String("lineNumber")));
        function.column = oneBased(frame.value(QLatin1String("columnNumber")));
        function.origin = CodeOrigins::of(function.url);
        const QString key = QStringLiteral("%1\n%2\n%3\n%4")
                                .arg(function.function, function.url)
                                .arg(function.line)
                                .arg(function.column);
        auto it = functionOfKey.find(key);
        if (it == functionOfKey.end()) {
            it = functionOfKey.insert(key, int(result.m_functions.size()));
            result.m_functions.append(function);
        }
        nodes[i].function = *it;
        indexOfId.insert(qint64(node.value(QLatin1String("id")).toDouble(-1)), i);
    }
    // Parents from the children lists (Profiler.stop) or from "parent" (other writers).
    for (qsizetype i = 0; i < nodeArray.size(); ++i) {
        const QJsonObject node = nodeArray.at(i).toObject();
        const QJsonArray children = node.value(QLatin1String("children")).toArray();
        for (const QJsonValue& child : children) {
            const qint64 childIndex = indexOfId.value(qint64(child.toDouble(-1)), -1);
            if (childIndex >= 0 && childIndex != i)
                nodes[childIndex].parent = i;
        }
        if (node.contains(QLatin1String("parent")))
            nodes[i].parent = indexOfId.value(qint64(node.value(QLatin1String("parent")).toDouble(-1)), -1);
    }

    // Timestamps in microseconds; each sample lasts until the next one.
    const double startUs = profile.value(QLatin1String("startTime")).toDouble();
    const double endUs = profile.value(QLatin1String("endTime")).toDouble();
    double at = startUs;
    QList<double> times(samples.size());
    for (qsizetype i = 0; i < samples.size(); ++i) {
        at += deltas.at(i).toDouble();
        times[i] = at;
    }
    double totalMs = 0;
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const double next = i + 1 < samples.size() ? times[i + 1] : std::max(endUs, times[i]);
        const double ms = std::max(0.0, next - times[i]) / 1000.0;
        const qint64 index = indexOfId.value(qint64(samples.at(i).toDouble(-1)), -1);
        if (index < 0 || !std::isfinite(ms))
            continue;
        nodes[index].selfMs += ms;
        totalMs += ms;
        ++result.m_sampleCount;
    }
    result.m_durationMs = totalMs;

    // Each node's self time counts once toward every distinct function on its path to the root.
    for (qsizetype index = 0; index < nodes.size(); ++index) {
        const double selfMs = nodes.at(index).selfMs;
        if (selfMs <= 0)
            continue;
        result.m_functions[nodes.at(index).function].selfMs += selfMs;
        QVarLengthArray<int, 64> seen;
        qint64 walk = index;
        // Bounded by the node count: a parent cycle in a broken file ends here.
        for (qsizetype depth = 0; walk >= 0 && depth < nodes.size(); ++depth) {
            const int function = nodes.at(walk).function;
            if (!seen.contains(function)) {
                seen.append(function);
                result.m_functions[function].totalMs += selfMs;
            }
            walk = nodes.at(walk).parent;
        }
    }
    result.m_functions.erase(
        std::remove_if(result.m_functions.begin(), result.m_functions.end(),
            [](const ProfileFunction& f) { return f.totalMs <= 0 || f.function == QLatin1String("(root)"); }),
        result.m_functions.end());
    std::stable_sort(result.m_functions.begin(), result.m_functions.end(),
        [](const ProfileFunction& a, const ProfileFunction& b) { return a.selfMs > b.selfMs; });
    return result;
}

QList<ProfileFunction> CpuProfile::topBySelf(int count, bool jsOnly) const
{
    QList<ProfileFunction> top;
    for (const ProfileFunction& function : m_functions) {
        if (top.size() >= count)
            break;
        if (!jsOnly || !isPseudoFunction(function.function))
            top.append(function);
    }
    return top;
}

QJsonObject CpuProfile::summaryJson(int count) const
{
    QJsonArray top;
    for (const ProfileFunction& function : topBySelf(count, false)) {
        top.append(QJsonObject{
            {QStringLiteral("function"), function.function},
            {QStringLiteral("url"), function.url},
            {QStringLiteral("line"), function.line > 0 ? QJsonValue(function.line) : QJsonValue()},
            {QStringLiteral("column"), function.column > 0 ? QJsonValue(function.column) : QJsonValue()},
            {QStringLiteral("origin"), CodeOrigins::name(function.origin)},
            {QStringLiteral("selfMs"), std::round(function.selfMs * 1000) / 1000},
            {QStringLiteral("selfPercent"), std::round(percentOf(function.selfMs) * 100) / 100},
            {QStringLiteral("totalMs"), std::round(function.totalMs * 1000) / 1000},
            {QStringLiteral("totalPercent"), std::round(percentOf(function.totalMs) * 100) / 100},
        });
    }
    return QJsonObject{
        {QStringLiteral("durationMs"), std::round(m_durationMs * 1000) / 1000},
        {QStringLiteral("samples"), m_sampleCount},
        {QStringLiteral("top"), top},
    };
}

} // namespace NodeScope

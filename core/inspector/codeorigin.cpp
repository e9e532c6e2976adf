#include "inspector/codeorigin.h"

namespace NodeScope {

CodeOrigin CodeOrigins::of(const QString& url)
{
    if (url.isEmpty())
        return CodeOrigin::Unknown;
    if (url.startsWith(QLatin1String("node:")))
        return CodeOrigin::Node;
    // Node before 16 named its own modules without a scheme ("internal/timers.js", "events.js").
    if (url.startsWith(QLatin1String("internal/"))
        || (!url.contains(QLatin1Char('/')) && url.endsWith(QLatin1String(".js"))))
        return CodeOrigin::Node;
    if (!url.contains(QLatin1Char('/')))
        return CodeOrigin::Unknown; // "evalmachine.<anonymous>" and the like
    if (url.contains(QLatin1String("/node_modules/")))
        return CodeOrigin::Dependency;
    return CodeOrigin::App;
}

namespace {

// Each origin's words, in one place.
struct OriginWords {
    CodeOrigin origin;
    const char* json;
    const char* label;
};
constexpr OriginWords kWords[] = {
    {CodeOrigin::App, "app", "app"},
    {CodeOrigin::Dependency, "node_modules", "node_modules"},
    {CodeOrigin::Node, "node", "Node.js"},
    {CodeOrigin::Unknown, "unknown", "V8 / native"},
};

const OriginWords& wordsOf(CodeOrigin origin)
{
    for (const OriginWords& words : kWords) {
        if (words.origin == origin)
            return words;
    }
    return kWords[3];
}

} // namespace

QString CodeOrigins::name(CodeOrigin origin)
{
    return QLatin1String(wordsOf(origin).json);
}

QString CodeOrigins::label(CodeOrigin origin)
{
    return QLatin1String(wordsOf(origin).label);
}

} // namespace NodeScope

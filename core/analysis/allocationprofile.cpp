#include "analysis/allocationprofile.h"

#include <QJsonArray>

namespace NodeScope {

namespace {

// V8's pseudo frames ("(root)", "(V8 API)", "(GC)") have no script and
// positions of -1: 0, unknown.
SourceFrame frameOf(const QJsonObject& callFrame)
{
    SourceFrame frame;
    frame.function = callFrame.value(QLatin1String("functionName")).toString().left(256);
    if (frame.function.isEmpty())
        frame.function = QStringLiteral("(anonymous)");
    frame.url = callFrame.value(QLatin1String("url")).toString().left(2048);
    frame.line = SourceFrame::oneBased(callFrame.value(QLatin1String("lineNumber")));
    frame.column = SourceFrame::oneBased(callFrame.value(QLatin1String("columnNumber")));
    return frame;
}

} // namespace

std::optional<AllocationProfile> AllocationProfile::fromCdp(
    const QJsonObject& result, qint64 wallMs, QString* error)
{
    const QJsonObject profile = result.contains(QLatin1String("profile"))
        ? result.value(QLatin1String("profile")).toObject()
        : result;
    const QJsonObject head = profile.value(QLatin1String("head")).toObject();
    if (head.isEmpty()) {
        if (error)
            *error = QStringLiteral("the heap profile has no call tree");
        return std::nullopt;
    }
    AllocationProfile parsed;
    parsed.wallMs = wallMs;

    // Depth-first, each node with its caller's stack (callers only: the
    // root is not a frame).
    struct Pending {
        QJsonObject node;
        QList<SourceFrame> callers; // nearest caller first
    };
    QList<Pending> pending;
    for (const QJsonValue& child : head.value(QLatin1String("children")).toArray())
        pending.append({child.toObject(), {}});
    int visited = 0;
    while (!pending.isEmpty()) {
        if (++visited > kMaxNodes) {
            if (error)
                *error = QStringLiteral("the heap profile has more than %1 nodes").arg(kMaxNodes);
            return std::nullopt;
        }
        Pending current = pending.takeLast();
        QList<SourceFrame> stack;
        stack.reserve(qMin<qsizetype>(current.callers.size() + 1, kMaxStackDepth));
        stack.append(frameOf(current.node.value(QLatin1String("callFrame")).toObject()));
        for (const SourceFrame& caller : current.callers) {
            if (stack.size() >= kMaxStackDepth)
                break;
            stack.append(caller);
        }
        const double selfSize = current.node.value(QLatin1String("selfSize")).toDouble();
        if (selfSize >= 1 && selfSize < 1e15) {
            parsed.sites.append({stack, qint64(selfSize)});
            parsed.totalLiveBytes += qint64(selfSize);
        }
        for (const QJsonValue& child : current.node.value(QLatin1String("children")).toArray())
            pending.append({child.toObject(), stack});
    }
    return parsed;
}

} // namespace NodeScope

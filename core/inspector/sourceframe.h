#pragma once

// One JavaScript frame as V8 names it through the inspector: a function and
// where it is. A paused stack's call frames (StackSnapshot) and the sites of
// the sampling heap profiler (AllocationProfile) are lists of these. Lines
// and columns are kept 1-based, as Node's stack traces and editors print them
// (CDP counts from 0). For a profile's node V8 gives the function's own
// position, for a paused frame the line it stands on.

#include "inspector/codeorigin.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace NodeScope {

struct SourceFrame {
    QString function; // "(anonymous)" when the function has no name
    QString url; // file:///..., node:internal/..., empty for V8's own code and entries
    int line = 0; // 1-based; 0 when unknown
    int column = 0; // 1-based; 0 when unknown

    bool operator==(const SourceFrame&) const = default;

    // Whose code it is, from the URL: the app's own, node_modules, Node's, V8's.
    CodeOrigin origin() const { return CodeOrigins::of(url); }
    // "file:///app/server.js:12:5" (empty for V8's own code).
    QString location() const;
    // "spin file:///app/server.js:12:5": the one-line form terminals print.
    QString text() const;
    // {function, url, line, column, origin}; line and column null when unknown.
    QJsonObject toJson() const;

    // CDP's 0-based lineNumber or columnNumber, 1-based; 0 for V8's pseudo
    // frames' -1 and for anything that is not a position.
    static int oneBased(const QJsonValue& cdpPosition);
};

} // namespace NodeScope

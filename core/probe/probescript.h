#pragma once

// The one expression NodeScope evaluates to install its probe
// (core/probe/probe.js, compiled in) in a target: run it with the inspector's
// command-line API on (includeCommandLineAPI), which provides `require` on
// Node versions without process.getBuiltinModule.

#include <QString>

namespace NodeScope {

class ProbeScript {
public:
    // The probe's source, as it runs in the target.
    static QString source();
    // Installs the probe, connecting to socketPath (as the target sees it)
    // and introducing itself with token.
    static QString installExpression(const QString& socketPath, const QString& token);
};

} // namespace NodeScope

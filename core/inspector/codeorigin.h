#pragma once

// Whose code a script URL is: the app's own, a dependency under
// node_modules, Node's own (node:internal/..., node:events), or nothing a
// user can open (V8 builtins, eval). A stack or a profile is read by its app
// frames first; the rest is context.

#include <QMetaType>
#include <QString>

namespace NodeScope {

enum class CodeOrigin { App, Dependency, Node, Unknown };

class CodeOrigins {
public:
    static CodeOrigin of(const QString& url);
    // "app", "node_modules", "node", "unknown": the JSON word for it.
    static QString name(CodeOrigin origin);
    // "app", "node_modules", "Node.js", "V8 / native": the word for a table.
    static QString label(CodeOrigin origin);
};

} // namespace NodeScope

Q_DECLARE_METATYPE(NodeScope::CodeOrigin)

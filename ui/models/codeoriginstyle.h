#pragma once

// How a table shows whose code a row is: the app's own bold, the rest
// (Node's, dependencies', V8's) grey, so the eye lands on code the user can change.

#include "inspector/codeorigin.h"

#include <QVariant>

namespace NodeScope {

class CodeOriginStyle {
public:
    // Qt::FontRole and Qt::ForegroundRole values; invalid means the view's default.
    static QVariant font(CodeOrigin origin);
    static QVariant foreground(CodeOrigin origin);
};

} // namespace NodeScope

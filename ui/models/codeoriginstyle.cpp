#include "models/codeoriginstyle.h"

#include <QApplication>
#include <QFont>
#include <QPalette>

namespace NodeScope {

QVariant CodeOriginStyle::font(CodeOrigin origin)
{
    if (origin != CodeOrigin::App)
        return {};
    QFont font;
    font.setBold(true);
    return font;
}

QVariant CodeOriginStyle::foreground(CodeOrigin origin)
{
    if (origin == CodeOrigin::App)
        return {};
    return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
}

} // namespace NodeScope

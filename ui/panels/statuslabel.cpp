#include "panels/statuslabel.h"

namespace NodeScope {

StatusLabel::StatusLabel(QWidget* parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
}

void StatusLabel::setStatus(const QString& text, bool error)
{
    m_error = error;
    setText(text);
    setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

} // namespace NodeScope

#pragma once

// A dialog's one line of state: what is going on, or (in red) what went wrong.

#include <QLabel>

namespace NodeScope {

class StatusLabel : public QLabel {
    Q_OBJECT
public:
    explicit StatusLabel(QWidget* parent = nullptr);

    void setStatus(const QString& text, bool error);
    bool isError() const { return m_error; }

private:
    bool m_error = false;
};

} // namespace NodeScope

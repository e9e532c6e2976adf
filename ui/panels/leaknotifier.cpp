#include "panels/leaknotifier.h"

#include <QSystemTrayIcon>
#include <QWidget>

namespace NodeScope {

LeakNotifier::LeakNotifier(QWidget* window)
    : QObject(window)
    , m_window(window)
{
}

void LeakNotifier::update(
    const LeakVerdict& js, const LeakVerdict& native, const QString& sessionTitle, bool live)
{
    const bool leak = js.state == LeakVerdict::State::Leak || native.state == LeakVerdict::State::Leak;
    if (!leak || m_notified || !live)
        return;
    m_notified = true;
    if (!QSystemTrayIcon::isSystemTrayAvailable() || !QSystemTrayIcon::supportsMessages())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(m_window->windowIcon(), this);
        m_tray->setToolTip(QStringLiteral("NodeScope"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
    }
    m_tray->show();
    m_tray->showMessage(QStringLiteral("Memory leak in %1").arg(sessionTitle),
        (js.state == LeakVerdict::State::Leak ? js : native).explanation(), QSystemTrayIcon::Warning, 15000);
}

} // namespace NodeScope

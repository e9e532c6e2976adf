#pragma once

// A desktop notification (through the system tray, where there is one) the
// first time a watched session's verdict becomes `leak`. The banner and the
// indicator say the same inside the window whether or not a tray exists;
// this is for the user who is looking at something else.

#include "analysis/leakverdict.h"

#include <QObject>

class QSystemTrayIcon;
class QWidget;

namespace NodeScope {

class LeakNotifier : public QObject {
    Q_OBJECT
public:
    // Clicking the notification raises `window`.
    explicit LeakNotifier(QWidget* window);

    // A new session: the next leak is news again.
    void reset() { m_notified = false; }
    // Notifies once per session, and only while it is live.
    void update(const LeakVerdict& js, const LeakVerdict& native, const QString& sessionTitle, bool live);

private:
    QWidget* m_window;
    QSystemTrayIcon* m_tray = nullptr;
    bool m_notified = false;
};

} // namespace NodeScope

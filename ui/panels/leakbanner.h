#pragma once

// Shown when the leak detector says `leak`: what grows, how fast, since when,
// and when the heap would run out; with a way to confirm by forcing a full
// collection (which pauses the process) and to dismiss it until the verdict
// changes.

#include "analysis/leakverdict.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace NodeScope {

class LeakBanner : public QFrame {
    Q_OBJECT
public:
    explicit LeakBanner(QWidget* parent = nullptr);

    // Shows or hides the banner for these verdicts.
    void update(const LeakVerdict& js, const LeakVerdict& native, bool canForceCollection);
    QString text() const;

Q_SIGNALS:
    void forceCollectionRequested();

private:
    QLabel* m_text = nullptr;
    QPushButton* m_force = nullptr;
    QString m_dismissedFor; // the explanation kind dismissed; shown again if it changes state
};

} // namespace NodeScope

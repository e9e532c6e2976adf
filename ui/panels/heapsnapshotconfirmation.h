#pragma once

// "Take heap snapshot…" asks first: what the snapshot will cost the process
// (HeapSnapshotEstimate) and, when the estimate does not fit the memory or
// disk there is, why not to, with Cancel as the default.

#include "analysis/heapsnapshotestimate.h"

#include <QMessageBox>

class QPushButton;

namespace NodeScope {

class HeapSnapshotConfirmation : public QMessageBox {
    Q_OBJECT
public:
    HeapSnapshotConfirmation(
        const QString& targetTitle, const HeapSnapshotEstimate& estimate, QWidget* parent);

    // The button that takes it ("Take snapshot", or "Take it anyway" against the advice).
    QPushButton* takeButton() const { return m_take; }
    bool advisedAgainst() const { return m_advisedAgainst; }

private:
    QPushButton* m_take = nullptr;
    bool m_advisedAgainst = false;
};

} // namespace NodeScope

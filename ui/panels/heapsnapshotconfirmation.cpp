#include "panels/heapsnapshotconfirmation.h"

#include <QPushButton>

namespace NodeScope {

HeapSnapshotConfirmation::HeapSnapshotConfirmation(
    const QString& targetTitle, const HeapSnapshotEstimate& estimate, QWidget* parent)
    : QMessageBox(parent)
{
    const QString refusal = estimate.refusal();
    m_advisedAgainst = !refusal.isEmpty();
    setWindowTitle(QStringLiteral("Take heap snapshot"));
    setIcon(m_advisedAgainst ? QMessageBox::Warning : QMessageBox::Question);
    setText(m_advisedAgainst ? QStringLiteral("Not recommended: %1.").arg(refusal)
                             : QStringLiteral("Take a heap snapshot of %1?").arg(targetTitle));
    setInformativeText(estimate.description());
    addButton(QMessageBox::Cancel);
    m_take = addButton(m_advisedAgainst ? QStringLiteral("Take it anyway") : QStringLiteral("Take snapshot"),
        m_advisedAgainst ? QMessageBox::DestructiveRole : QMessageBox::AcceptRole);
    if (m_advisedAgainst)
        setDefaultButton(QMessageBox::Cancel);
    else
        setDefaultButton(m_take);
}

} // namespace NodeScope

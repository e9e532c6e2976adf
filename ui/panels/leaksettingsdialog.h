#pragma once

// Sensitivity of the leak detector: how long a window the trend is judged
// over, the smallest growth worth an alarm, how long a growth must last
// before `leak`, and the pause a forced collection may cost the target.

#include "analysis/leakdetector.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace NodeScope {

class LeakSettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit LeakSettingsDialog(const LeakSettings& settings, QWidget* parent = nullptr);
    LeakSettings settings() const;

private:
    LeakSettings m_settings;
    QSpinBox* m_window = nullptr;
    QDoubleSpinBox* m_growth = nullptr;
    QSpinBox* m_confirm = nullptr;
    QSpinBox* m_gcBudget = nullptr;
    QLabel* m_gcBudgetNote = nullptr; // what the budget costs the process
};

} // namespace NodeScope

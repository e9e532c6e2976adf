#pragma once

// Sensitivity of the leak detector: how long a window the trend is judged
// over, and the smallest growth worth an alarm.

#include "analysis/leakdetector.h"

#include <QDialog>

class QDoubleSpinBox;
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
};

} // namespace NodeScope

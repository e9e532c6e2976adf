#pragma once

// "Record CPU profile…": records the watched process for some seconds, then
// lists its functions by self and total time (sortable), and saves the
// .cpuprofile for DevTools or speedscope. Not modal: the charts stay live.

#include "analysis/cpuprofile.h"

#include <QDialog>
#include <QJsonObject>

#include <optional>

class QDoubleSpinBox;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace NodeScope {

class LiveSession;
class StatusLabel;
class ProfileFunctionsModel;

class CpuProfileDialog : public QDialog {
    Q_OBJECT
public:
    explicit CpuProfileDialog(LiveSession* session, QWidget* parent = nullptr);

    ProfileFunctionsModel* model() const { return m_model; }
    QSortFilterProxyModel* sortedModel() const { return m_sorted; }
    QString statusText() const;
    bool hasProfile() const { return !m_profileJson.isEmpty(); }
    void setSeconds(double seconds);

public Q_SLOTS:
    void record();
    // Writes the last profile as a .cpuprofile; false (and the status says why) when it cannot.
    bool saveProfile(const QString& path);

private:
    void showProfile(const QJsonObject& profile, const QString& error);
    void saveInteractive();

    LiveSession* m_session = nullptr;
    ProfileFunctionsModel* m_model = nullptr;
    QSortFilterProxyModel* m_sorted = nullptr;
    QTableView* m_view = nullptr;
    StatusLabel* m_status = nullptr;
    QDoubleSpinBox* m_seconds = nullptr;
    QPushButton* m_recordButton = nullptr;
    QPushButton* m_saveButton = nullptr;
    QJsonObject m_profileJson;
    bool m_waiting = false;
};

} // namespace NodeScope

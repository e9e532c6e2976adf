#include "panels/cpuprofiledialog.h"

#include "format.h"
#include "models/profilefunctionsmodel.h"
#include "panels/statuslabel.h"
#include "session/outputfile.h"
#include "watch/livesession.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace NodeScope {

CpuProfileDialog::CpuProfileDialog(LiveSession* session, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_model(new ProfileFunctionsModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_status(new StatusLabel(this))
    , m_seconds(new QDoubleSpinBox(this))
{
    setWindowTitle(QStringLiteral("CPU profile — %1").arg(session->title()));
    setObjectName(QStringLiteral("cpuProfileDialog"));
    resize(1000, 560);
    m_seconds->setRange(1, 600);
    m_seconds->setDecimals(0);
    m_seconds->setValue(10);
    m_seconds->setSuffix(QStringLiteral(" s"));
    m_recordButton = new QPushButton(QStringLiteral("&Record"), this);
    m_recordButton->setToolTip(QStringLiteral(
        "V8 samples the main thread every millisecond while the profile runs: a few percent of one core"));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(QStringLiteral("Record for"), this));
    top->addWidget(m_seconds);
    top->addWidget(m_recordButton);
    top->addStretch(1);

    m_status->setStatus(
        QStringLiteral("Records which functions the process spends its CPU time in. The table lists "
                       "each function's self time (in the function itself) and total time (with what "
                       "it calls); the app's own functions are bold."),
        false);

    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(ProfileFunctionsModel::SortRole);
    m_view->setModel(m_sorted);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ProfileFunctionsModel::SelfMs, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle); // a path's end names the file
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(ProfileFunctionsModel::Function, QHeaderView::Interactive);
    header->resizeSection(ProfileFunctionsModel::Function, 240);
    header->setSectionResizeMode(ProfileFunctionsModel::Location, QHeaderView::Stretch);
    for (int column = ProfileFunctionsModel::SelfMs; column < ProfileFunctionsModel::ColumnCount; ++column)
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_saveButton = buttons->addButton(QStringLiteral("&Save .cpuprofile…"), QDialogButtonBox::ActionRole);
    m_saveButton->setToolTip(QStringLiteral("Opens in Chrome DevTools (Performance) and speedscope"));
    m_saveButton->setEnabled(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_saveButton, &QPushButton::clicked, this, &CpuProfileDialog::saveInteractive);
    connect(m_recordButton, &QPushButton::clicked, this, &CpuProfileDialog::record);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);

    connect(session, &LiveSession::cpuProfileStarted, this, [this](double seconds) {
        if (m_waiting)
            m_status->setStatus(QStringLiteral("Recording a CPU profile of %1 for %2…")
                                    .arg(m_session->title(), Format::duration(seconds)),
                false);
    });
    connect(session, &LiveSession::cpuProfileRecorded, this, &CpuProfileDialog::showProfile);
}

QString CpuProfileDialog::statusText() const
{
    return m_status->text();
}

void CpuProfileDialog::setSeconds(double seconds)
{
    m_seconds->setValue(seconds);
}

void CpuProfileDialog::record()
{
    m_waiting = true;
    m_recordButton->setEnabled(false);
    m_status->setStatus(QStringLiteral("Starting the profiler…"), false);
    m_session->recordCpuProfile(m_seconds->value());
}

void CpuProfileDialog::showProfile(const QJsonObject& profile, const QString& error)
{
    if (!m_waiting)
        return;
    m_waiting = false;
    m_recordButton->setEnabled(true);
    if (!error.isEmpty()) {
        m_status->setStatus(QStringLiteral("No profile: %1").arg(Format::printable(error)), true);
        return;
    }
    QString parseError;
    const std::optional<CpuProfile> parsed = CpuProfile::fromJson(profile, &parseError);
    if (!parsed) {
        m_status->setStatus(QStringLiteral("The profile could not be read: %1").arg(parseError), true);
        return;
    }
    m_profileJson = profile;
    m_model->setProfile(*parsed);
    m_saveButton->setEnabled(true);
    const QList<ProfileFunction> top = parsed->topBySelf(1, true);
    m_status->setStatus(
        QStringLiteral("Profile of %1, %2 samples.%3 Save it to open it in DevTools or speedscope.")
            .arg(Format::duration(parsed->durationMs() / 1000))
            .arg(parsed->sampleCount())
            .arg(top.isEmpty() ? QString()
                               : QStringLiteral(" Most time in JavaScript went to %1 (%2 self).")
                                     .arg(Format::printable(top.first().function),
                                         Format::percent(parsed->percentOf(top.first().selfMs)))),
        false);
}

bool CpuProfileDialog::saveProfile(const QString& path)
{
    if (m_profileJson.isEmpty())
        return false;
    QString error;
    if (!OutputFile::writeDocument(
            path, QJsonDocument(m_profileJson).toJson(QJsonDocument::Compact), &error)) {
        m_status->setStatus(QStringLiteral("Not saved: %1").arg(error), true);
        return false;
    }
    m_status->setStatus(QStringLiteral("Saved to %1").arg(QDir::toNativeSeparators(path)), false);
    return true;
}

void CpuProfileDialog::saveInteractive()
{
    const QString suggested = QDir::home().filePath(
        QStringLiteral("nodescope-%1.cpuprofile")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Save CPU profile"), suggested, QStringLiteral("CPU profiles (*.cpuprofile)"));
    if (!path.isEmpty())
        saveProfile(path);
}

} // namespace NodeScope

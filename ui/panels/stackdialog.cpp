#include "panels/stackdialog.h"

#include "format.h"
#include "models/stackframesmodel.h"
#include "panels/statuslabel.h"
#include "watch/livesession.h"

#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace NodeScope {

StackDialog::StackDialog(LiveSession* session, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_model(new StackFramesModel(this))
    , m_view(new QTableView(this))
    , m_status(new StatusLabel(this))
{
    setWindowTitle(QStringLiteral("JavaScript stack — %1").arg(session->title()));
    setObjectName(QStringLiteral("stackDialog"));
    resize(900, 480);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle); // a path's end names the file
    m_view->horizontalHeader()->setSectionResizeMode(
        StackFramesModel::Function, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(StackFramesModel::Location, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(StackFramesModel::Origin, QHeaderView::ResizeToContents);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_againButton = buttons->addButton(QStringLiteral("&Take again"), QDialogButtonBox::ActionRole);
    m_againButton->setToolTip(
        QStringLiteral("Pauses the main thread for about a millisecond to read its stack"));
    m_copyButton = buttons->addButton(QStringLiteral("&Copy"), QDialogButtonBox::ActionRole);
    m_copyButton->setEnabled(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_againButton, &QPushButton::clicked, this, &StackDialog::takeStack);
    connect(m_copyButton, &QPushButton::clicked, this, &StackDialog::copyToClipboard);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);

    connect(session, &LiveSession::stackGrabbed, this, &StackDialog::showStack);
}

QString StackDialog::statusText() const
{
    return m_status->text();
}

void StackDialog::takeStack()
{
    m_waiting = true;
    m_againButton->setEnabled(false);
    m_status->setStatus(
        QStringLiteral("Pausing the main thread of %1 for its stack…").arg(m_session->title()), false);
    m_session->grabStack();
}

void StackDialog::showStack(const StackSnapshot& snapshot, const QString& error)
{
    if (!m_waiting)
        return; // somebody else's question
    m_waiting = false;
    m_againButton->setEnabled(true);
    if (!error.isEmpty()) {
        // An old stack beside a new error would read as the answer.
        m_snapshot = StackSnapshot{};
        m_model->setFrames({});
        m_copyButton->setEnabled(false);
        m_status->setStatus(QStringLiteral("No stack: %1").arg(Format::printable(error)), true);
        return;
    }
    m_snapshot = snapshot;
    m_model->setFrames(snapshot.frames);
    m_copyButton->setEnabled(!snapshot.frames.isEmpty());
    const QString when
        = QDateTime::fromMSecsSinceEpoch(snapshot.wallMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    if (snapshot.idle) {
        m_status->setStatus(
            QStringLiteral("%1: PID %2 ran no JavaScript within a second of the request: its main thread is "
                           "idle in its event loop (or in native code).")
                .arg(when)
                .arg(snapshot.pid),
            false);
        return;
    }
    int appFrames = 0;
    for (const SourceFrame& frame : snapshot.frames)
        appFrames += frame.origin() == CodeOrigin::App ? 1 : 0;
    m_status->setStatus(
        QStringLiteral(
            "%1: PID %2 (Node %3), %4 frames, %5 of them the app's own (bold). The main thread was "
            "held for %6; reached through %7.%8")
            .arg(when)
            .arg(snapshot.pid)
            .arg(Format::printable(snapshot.nodeVersion))
            .arg(snapshot.frames.size() + snapshot.omittedFrames)
            .arg(appFrames)
            .arg(Format::milliseconds(snapshot.pausedMs))
            .arg(snapshot.via)
            .arg(snapshot.omittedFrames > 0
                    ? QStringLiteral(" The %1 outermost frames are left out.").arg(snapshot.omittedFrames)
                    : QString()),
        false);
}

QString StackDialog::clipboardText() const
{
    if (m_snapshot.frames.isEmpty())
        return {};
    return QStringLiteral("PID %1 (Node %2), %3\n")
               .arg(m_snapshot.pid)
               .arg(Format::printable(m_snapshot.nodeVersion), Format::wallTime(m_snapshot.wallMs))
        + m_snapshot.text();
}

void StackDialog::copyToClipboard()
{
    QGuiApplication::clipboard()->setText(clipboardText());
}

} // namespace NodeScope

#include "panels/heapspacesdialog.h"

#include "format.h"
#include "models/heapspacesmodel.h"
#include "panels/usagebardelegate.h"
#include "watch/livesession.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace NodeScope {

namespace {

enum Page { MessagePage, SpacesPage };

} // namespace

HeapSpacesDialog::HeapSpacesDialog(LiveSession* session, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_model(new HeapSpacesModel(this))
    , m_stack(new QStackedWidget(this))
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(QStringLiteral("Heap spaces — NodeScope"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(
        HeapSpacesModel::Use, new UsageBarDelegate(HeapSpacesModel::UseShareRole, m_view));
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(HeapSpacesModel::Use, QHeaderView::Stretch);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setFocusPolicy(Qt::NoFocus);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* spacesPage = new QWidget(this);
    auto* spacesLayout = new QVBoxLayout(spacesPage);
    spacesLayout->setContentsMargins(0, 0, 0, 0);
    spacesLayout->addWidget(m_summary);
    spacesLayout->addWidget(m_view, 1);

    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stack->insertWidget(MessagePage, m_message);
    m_stack->insertWidget(SpacesPage, spacesPage);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_refresh = buttons->addButton(QStringLiteral("&Refresh"), QDialogButtonBox::ActionRole);
    m_refresh->setToolTip(
        QStringLiteral("Reads v8.getHeapSpaceStatistics() in the process again: one call, no pause"));
    connect(m_refresh, &QPushButton::clicked, this, &HeapSpacesDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_stack, 1);
    layout->addWidget(buttons);
    resize(720, 420);

    connect(m_session, &LiveSession::heapSpacesRead, this, &HeapSpacesDialog::showSpaces);
    showMessage(QStringLiteral("Press Refresh to read the heap spaces of the watched process."));
}

QString HeapSpacesDialog::stateText() const
{
    return m_stack->currentIndex() == SpacesPage ? m_summary->text() : m_message->text();
}

bool HeapSpacesDialog::isShowingSpaces() const
{
    return m_stack->currentIndex() == SpacesPage;
}

void HeapSpacesDialog::showMessage(const QString& text)
{
    m_message->setText(text);
    m_stack->setCurrentIndex(MessagePage);
}

void HeapSpacesDialog::refresh()
{
    // The table stays while a refresh is on its way: the figures change, the page does not.
    if (!isShowingSpaces())
        showMessage(QStringLiteral("Reading the heap spaces…"));
    m_session->readHeapSpaces();
}

void HeapSpacesDialog::showSpaces(const QList<HeapSpace>& spaces, const QString& error)
{
    if (!error.isEmpty()) {
        showMessage(QStringLiteral("Cannot read the heap spaces: %1.").arg(error));
        return;
    }
    if (spaces.isEmpty()) {
        showMessage(QStringLiteral("The process reported no heap spaces."));
        return;
    }
    m_model->setSpaces(spaces);
    HeapSpace total;
    for (const HeapSpace& space : spaces) {
        total.sizeBytes += space.sizeBytes;
        total.usedBytes += space.usedBytes;
        total.physicalBytes += space.physicalBytes;
    }
    const qint64 pid = m_session->target().pid;
    m_summary->setText(QStringLiteral("%1 spaces%2, read at %3: %4 used of %5 (%6 committed)")
                           .arg(spaces.size())
                           .arg(pid > 0 ? QStringLiteral(" of PID %1").arg(pid) : QString(),
                               QDateTime::currentDateTime().toString(QStringLiteral("hh:mm:ss")),
                               Format::bytes(double(total.usedBytes)), Format::bytes(double(total.sizeBytes)),
                               Format::bytes(double(total.physicalBytes))));
    m_stack->setCurrentIndex(SpacesPage);
}

} // namespace NodeScope

#include "panels/stallspanel.h"

#include "charts/stallshading.h"
#include "charts/timewindow.h"
#include "format.h"
#include "models/stallsmodel.h"
#include "watch/livesession.h"
#include "watch/sampler.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace NodeScope {

namespace {

// Around a stall, this share of its length is shown before and after it (at
// least a second), so what led to it and what followed are on screen too.
constexpr double kContextShare = 0.5;
constexpr qint64 kMinimumContextMs = 1000;

} // namespace

StallsPanel::StallsPanel(const LiveSession* session, TimeWindow* window, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_window(window)
    , m_model(new StallsModel(this))
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
{
    m_summary->setWordWrap(true);
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    const auto zoom = [this](const QModelIndex& index) {
        if (index.isValid())
            zoomTo(index.row());
    };
    connect(m_view, &QAbstractItemView::clicked, this, zoom);
    connect(m_view, &QAbstractItemView::activated, this, zoom);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    refresh();
}

QString StallsPanel::summary() const
{
    return m_summary->text();
}

void StallsPanel::refresh()
{
    const QList<LoopStall>& stalls = m_session->store().session().stalls();
    if (stalls.size() < m_model->rowCount())
        m_model->clear(); // a new session
    if (stalls.size() > m_model->rowCount())
        m_model->append(stalls.mid(m_model->rowCount()));

    QString text;
    if (!stalls.isEmpty()) {
        double longest = 0;
        double total = 0;
        for (const LoopStall& stall : stalls) {
            longest = qMax(longest, stall.durationMs);
            total += stall.durationMs;
        }
        text = stalls.size() == 1
            ? QStringLiteral("1 stall of %1").arg(StallShading::lengthText(longest))
            : QStringLiteral("%1 stalls, the longest %2, %3 in all")
                  .arg(stalls.size())
                  .arg(StallShading::lengthText(longest), StallShading::lengthText(total));
    } else if (m_session->store().session().hasRuntime()) {
        text = QStringLiteral("No stalls: the event loop has not stopped for %1 or more")
                   .arg(Format::milliseconds(Sampler::kDefaultStallThresholdMs));
    } else {
        text = QStringLiteral("No event-loop figures in this session: stalls are seen through "
                              "NodeScope's probe");
    }
    if (m_summary->text() != text)
        m_summary->setText(text);
}

void StallsPanel::zoomTo(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const LoopStall& stall = m_model->stall(row);
    const qint64 length = qint64(stall.durationMs);
    const qint64 context = qMax(kMinimumContextMs, qint64(double(length) * kContextShare));
    m_window->zoomTo(stall.startWallMs - context, stall.startWallMs + length + context);
}

} // namespace NodeScope

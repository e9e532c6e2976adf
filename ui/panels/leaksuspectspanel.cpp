#include "panels/leaksuspectspanel.h"

#include "format.h"
#include "models/leaksuspectsmodel.h"
#include "watch/sessionpipeline.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace NodeScope {

LeakSuspectsPanel::LeakSuspectsPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new LeakSuspectsModel(this))
{
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_find = new QPushButton(QStringLiteral("Find leak suspects"), this);
    m_find->setCheckable(true);
    m_find->setToolTip(LeakSuspects::costNote()
        + QStringLiteral(".\nBy default it runs only while the heap floor grows; this runs it now, until you "
                         "press again."));
    m_snapshot = new QPushButton(QStringLiteral("Take heap snapshot…"), this);
    m_snapshot->setToolTip(
        QStringLiteral("Writes a .heapsnapshot for DevTools' Memory tab or memlab.\n"
                       "Freezes the process while it is built: the cost is estimated first."));

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    // The figures keep their width; the file name takes what is left.
    for (int column : {LeakSuspectsModel::Function, LeakSuspectsModel::Growth, LeakSuspectsModel::Share,
             LeakSuspectsModel::Live})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LeakSuspectsModel::Location, QHeaderView::Stretch);

    m_stack = new QPlainTextEdit(this);
    m_stack->setReadOnly(true);
    m_stack->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_stack->setPlaceholderText(QStringLiteral("Pick a suspect to see the stack that allocates"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_find);
    buttons->addWidget(m_snapshot);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);

    connect(m_find, &QPushButton::clicked, this, &LeakSuspectsPanel::findRequested);
    connect(m_snapshot, &QPushButton::clicked, this, &LeakSuspectsPanel::snapshotRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { showStackOf(current.isValid() ? current.row() : -1); });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
        [this] { showStackOf(m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1); });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this,
        [this] { showStackOf(m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1); });
}

void LeakSuspectsPanel::update(const SessionPipeline& pipeline, bool attached)
{
    m_model->refresh(pipeline.suspects());
    // The most likely one is picked until the user picks another.
    if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_model->index(0, 0));

    const LeakSuspects& suspects = pipeline.leakSuspects();
    const bool sampling = pipeline.isSamplingHeap();
    QString status;
    if (!attached && pipeline.suspects().isEmpty()) {
        status = QStringLiteral("Leak suspects need an attached Node process.");
    } else if (sampling && !suspects.isReady()) {
        status = QStringLiteral("Sampling allocations in the process… a first ranking after %1 of readings.")
                     .arg(Format::duration(double(LeakSuspects::kMinSpanMs) / 1000));
    } else if (!pipeline.suspects().isEmpty()) {
        status = QStringLiteral("Most likely first, over the last %1 of sampled allocations%2; %3.")
                     .arg(Format::duration(double(suspects.spanMs()) / 1000),
                         sampling ? QString() : QStringLiteral(" (sampling has stopped: as last seen)"),
                         suspects.growthWording());
    } else if (sampling) {
        status = QStringLiteral("No allocation site's live memory grows over the last %1.")
                     .arg(Format::duration(double(suspects.spanMs()) / 1000));
    } else {
        status = QStringLiteral("Suspects are looked for while the heap floor grows, or now with Find leak "
                                "suspects.");
    }
    m_status->setText(status);
    {
        const QSignalBlocker blocker(m_find);
        m_find->setChecked(pipeline.isFindingSuspectsOnDemand());
    }
    m_find->setText(pipeline.isFindingSuspectsOnDemand() ? QStringLiteral("Stop looking")
                                                         : QStringLiteral("Find leak suspects"));
    m_find->setEnabled(attached);
    m_snapshot->setEnabled(attached);
}

void LeakSuspectsPanel::showStackOf(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        m_stack->clear();
        return;
    }
    QStringList lines;
    for (const SourceFrame& frame : m_model->suspectAt(row).stack)
        lines.append(Format::printable(frame.text()));
    const QString text = lines.join(QLatin1Char('\n'));
    if (text != m_stack->toPlainText())
        m_stack->setPlainText(text);
}

QString LeakSuspectsPanel::statusText() const
{
    return m_status->text();
}

QString LeakSuspectsPanel::stackText() const
{
    return m_stack->toPlainText();
}

} // namespace NodeScope

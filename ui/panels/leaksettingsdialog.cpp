#include "panels/leaksettingsdialog.h"

#include "format.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace NodeScope {

namespace {
constexpr double kMegabyte = 1024.0 * 1024.0;
}

LeakSettingsDialog::LeakSettingsDialog(const LeakSettings& settings, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setWindowTitle(QStringLiteral("Leak detection"));
    m_window = new QSpinBox(this);
    m_window->setObjectName(QStringLiteral("window"));
    m_window->setRange(1, 24 * 60);
    m_window->setSuffix(QStringLiteral(" min"));
    m_window->setValue(qMax(1, settings.windowSeconds / 60));
    m_window->setToolTip(
        QStringLiteral("The trend of the post-GC heap floor is judged over this trailing window.\n"
                       "Longer is slower to alarm and harder to fool."));
    m_growth = new QDoubleSpinBox(this);
    m_growth->setObjectName(QStringLiteral("minimumGrowth"));
    m_growth->setRange(0.1, 4096);
    m_growth->setDecimals(1);
    m_growth->setSuffix(QStringLiteral(" MB"));
    m_growth->setValue(double(settings.minGrowthBytes) / kMegabyte);
    m_growth->setToolTip(QStringLiteral("Floor growth over the window below which nothing is reported."));
    m_confirm = new QSpinBox(this);
    m_confirm->setObjectName(QStringLiteral("confirmAfter"));
    m_confirm->setRange(0, 24 * 3600);
    m_confirm->setSuffix(QStringLiteral(" s"));
    m_confirm->setValue(settings.confirmSeconds);
    m_confirm->setToolTip(
        QStringLiteral("Growth must last this long, and keep its pace, before \"leak\" (\"suspect\" comes\n"
                       "earlier): a cache warming up slows down, a leak does not."));
    m_gcBudget = new QSpinBox(this);
    m_gcBudget->setObjectName(QStringLiteral("gcPauseBudget"));
    m_gcBudget->setRange(0, 10000);
    m_gcBudget->setSuffix(QStringLiteral(" ms"));
    m_gcBudget->setSpecialValueText(QStringLiteral("never"));
    m_gcBudget->setValue(settings.collectionBudgetMs);
    m_gcBudget->setToolTip(
        QStringLiteral("While the heap floor rises and the verdict is undecided, force a full garbage\n"
                       "collection to confirm it (at most once a minute) when its pause is expected\n"
                       "within this budget. It stops the process for that long: 4-12 ms per MB of heap\n"
                       "measured on Node 20. \"never\": only when you ask (Force GC)."));
    // What the budget costs the target, in sight rather than in a tooltip.
    m_gcBudgetNote = new QLabel(this);
    m_gcBudgetNote->setObjectName(QStringLiteral("gcPauseBudgetNote"));
    m_gcBudgetNote->setWordWrap(true);
    auto describeBudget = [this](int budgetMs) {
        m_gcBudgetNote->setText(budgetMs > 0
                ? QStringLiteral("Pauses the process for up to %1 at a time, at most once a minute, while a "
                                 "rising floor is undecided (4-12 ms per MB of heap on Node 20).")
                      .arg(Format::milliseconds(budgetMs))
                : QStringLiteral("NodeScope never pauses the process on its own; Force GC still does "
                                 "when you ask."));
    };
    describeBudget(m_gcBudget->value());
    connect(m_gcBudget, &QSpinBox::valueChanged, this, describeBudget);
    auto* note = new QLabel(
        QStringLiteral("Changing these starts the judgement over on the data recorded so far."), this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        const LeakSettings defaults;
        m_window->setValue(defaults.windowSeconds / 60);
        m_growth->setValue(double(defaults.minGrowthBytes) / kMegabyte);
        m_confirm->setValue(defaults.confirmSeconds);
        m_gcBudget->setValue(defaults.collectionBudgetMs);
    });
    auto* form = new QFormLayout(this);
    form->addRow(QStringLiteral("Trend window:"), m_window);
    form->addRow(QStringLiteral("Minimum growth:"), m_growth);
    form->addRow(QStringLiteral("Confirm after:"), m_confirm);
    form->addRow(QStringLiteral("Forced GC pause budget:"), m_gcBudget);
    form->addRow(QString(), m_gcBudgetNote);
    form->addRow(note);
    form->addRow(buttons);
}

LeakSettings LeakSettingsDialog::settings() const
{
    LeakSettings settings = m_settings;
    settings.windowSeconds = m_window->value() * 60;
    settings.minGrowthBytes = qint64(m_growth->value() * kMegabyte);
    settings.confirmSeconds = m_confirm->value();
    settings.collectionBudgetMs = m_gcBudget->value();
    return settings;
}

} // namespace NodeScope

#include "panels/leakbanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace NodeScope {

LeakBanner::LeakBanner(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("leakBanner"));
    setStyleSheet(
        QStringLiteral("#leakBanner { background: #fbe3e0; border: 1px solid #c0392b; border-radius: 4px; }"
                       "#leakBanner QLabel { color: #5c1a12; }"));
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_force = new QPushButton(QStringLiteral("Force GC to confirm"), this);
    m_force->setToolTip(
        QStringLiteral("Runs a full garbage collection in the target (HeapProfiler.collectGarbage).\n"
                       "The process pauses while it runs: tens to hundreds of ms on a big heap."));
    auto* dismiss = new QPushButton(QStringLiteral("Dismiss"), this);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_force);
    layout->addWidget(dismiss);
    connect(m_force, &QPushButton::clicked, this, &LeakBanner::forceCollectionRequested);
    connect(dismiss, &QPushButton::clicked, this, [this] {
        m_dismissedFor = property("kind").toString();
        hide();
    });
    hide();
}

QString LeakBanner::text() const
{
    return m_text->text();
}

void LeakBanner::update(const LeakVerdict& js, const LeakVerdict& native, bool canForceCollection)
{
    QStringList lines;
    QString kind;
    if (js.state == LeakVerdict::State::Leak) {
        lines.append(
            QStringLiteral("<b>JavaScript memory leak:</b> %1").arg(js.explanation().toHtmlEscaped()));
        kind += QStringLiteral("js");
    }
    if (native.state == LeakVerdict::State::Leak) {
        lines.append(
            QStringLiteral("<b>Native memory leak:</b> %1").arg(native.explanation().toHtmlEscaped()));
        kind += QStringLiteral("native");
    }
    if (kind.isEmpty()) {
        m_dismissedFor.clear(); // a later leak shows again
        hide();
        return;
    }
    setProperty("kind", kind);
    m_text->setText(lines.join(QStringLiteral("<br>")));
    m_force->setVisible(canForceCollection && js.state == LeakVerdict::State::Leak);
    setVisible(kind != m_dismissedFor);
}

} // namespace NodeScope

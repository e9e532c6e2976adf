#include "panels/leakindicator.h"

namespace NodeScope {

LeakIndicator::LeakIndicator(QWidget* parent)
    : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    setVerdicts({}, {}, false);
}

QColor LeakIndicator::stateColor(LeakVerdict::State state)
{
    switch (state) {
    case LeakVerdict::State::Learning:
        return QColor(0x7f, 0x8c, 0x8d);
    case LeakVerdict::State::Ok:
        return QColor(0x27, 0xae, 0x60);
    case LeakVerdict::State::Suspect:
        return QColor(0xe6, 0x7e, 0x22);
    case LeakVerdict::State::Leak:
        return QColor(0xc0, 0x39, 0x2b);
    }
    return Qt::gray;
}

QString LeakIndicator::stateWord(LeakVerdict::State state)
{
    switch (state) {
    case LeakVerdict::State::Learning:
        return QStringLiteral("leak check: learning");
    case LeakVerdict::State::Ok:
        return QStringLiteral("no leak");
    case LeakVerdict::State::Suspect:
        return QStringLiteral("leak suspected");
    case LeakVerdict::State::Leak:
        return QStringLiteral("memory leak");
    }
    return {};
}

void LeakIndicator::setVerdicts(const LeakVerdict& js, const LeakVerdict& native, bool haveHeap)
{
    // The native verdict alone can only speak when there is no heap to judge.
    m_state = haveHeap ? qMax(js.state, native.state) : native.state;
    const QString word = stateWord(m_state);
    setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                .arg(stateColor(m_state).name(), word.toHtmlEscaped()));
    QString tip = QStringLiteral("<b>JavaScript heap:</b> %1<br><b>Native memory:</b> %2")
                      .arg((haveHeap ? js.explanation() : QStringLiteral("no heap figures (no inspector)"))
                               .toHtmlEscaped(),
                          native.explanation().toHtmlEscaped());
    tip += QStringLiteral(
        "<br><br>Judged on the memory that survives garbage collection (the post-GC floor), "
        "so a healthy sawtooth is not a leak.");
    setToolTip(tip);
}

} // namespace NodeScope

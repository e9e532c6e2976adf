#pragma once

// The leak verdict, always on screen: a colored dot and a word ("learning",
// "no leak", "suspect", "leak"), so that "no leak" is a verdict and not
// silence. The full explanation of both the JavaScript heap and native
// memory is in the tooltip.

#include "analysis/leakverdict.h"

#include <QLabel>

namespace NodeScope {

class LeakIndicator : public QLabel {
    Q_OBJECT
public:
    explicit LeakIndicator(QWidget* parent = nullptr);

    void setVerdicts(const LeakVerdict& js, const LeakVerdict& native, bool haveHeap);
    // The worse of the two states, as shown.
    LeakVerdict::State shownState() const { return m_state; }
    static QColor stateColor(LeakVerdict::State state);
    static QString stateWord(LeakVerdict::State state);

private:
    LeakVerdict::State m_state = LeakVerdict::State::Learning;
};

} // namespace NodeScope

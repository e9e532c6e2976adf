#include "charts/valueaxisscale.h"

#include "format.h"

#include <cmath>

namespace NodeScope {

ValueAxisScale ValueAxisScale::forValues(MetricUnit unit, double maxValue)
{
    ValueAxisScale scale;
    const bool shown = std::isfinite(maxValue);
    // Whole units at least where a fraction means nothing (a count) or
    // would magnify noise (an idle process's 0.1 % of CPU).
    double minimumTop = 0;
    switch (unit) {
    case MetricUnit::Bytes:
        scale.m_unitName = Format::byteUnit(shown ? maxValue : 0, &scale.m_divisor);
        break;
    case MetricUnit::Percent:
        scale.m_unitName = QStringLiteral("% core"); // "% of one core" did not fit a chart 160 px high
        minimumTop = 1;
        break;
    case MetricUnit::Ratio:
        // 0..1 drawn as a percentage of the interval, always against the
        // whole: a loop 30 % busy should look a third full, not nearly full.
        scale.m_unitName = QStringLiteral("%");
        scale.m_divisor = 0.01;
        scale.m_top = 100;
        scale.m_ticks = 6;
        return scale;
    case MetricUnit::Milliseconds:
        scale.m_unitName = QStringLiteral("ms");
        minimumTop = 1;
        break;
    case MetricUnit::Count:
        minimumTop = 1;
        break;
    }
    double top = shown && maxValue > 0 ? maxValue / scale.m_divisor * 1.08 : 1;
    top = qMax(top, minimumTop);
    // Nice round steps (1, 2, 2.5, 5 x 10^k), four to six of them.
    const double magnitude = std::pow(10.0, std::floor(std::log10(top / 5)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = factor * magnitude;
        if (top / step <= 6)
            break;
    }
    scale.m_top = std::ceil(top / step - 1e-9) * step;
    scale.m_ticks = int(std::lround(scale.m_top / step)) + 1;
    return scale;
}

} // namespace NodeScope

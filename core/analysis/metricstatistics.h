#pragma once

// Running current / min / max / mean of one metric over a whole session,
// O(1) per sample; missing values don't count.

#include <QtGlobal>

#include <cmath>
#include <limits>

namespace NodeScope {

class MetricStatistics {
public:
    void add(double value)
    {
        if (std::isnan(value))
            return;
        m_current = value;
        m_min = qMin(m_min, value);
        m_max = qMax(m_max, value);
        m_sum += value;
        ++m_count;
    }
    void clear() { *this = MetricStatistics(); }

    bool isEmpty() const { return m_count == 0; }
    qint64 count() const { return m_count; }
    double current() const { return m_count ? m_current : std::numeric_limits<double>::quiet_NaN(); }
    double min() const { return m_count ? m_min : std::numeric_limits<double>::quiet_NaN(); }
    double max() const { return m_count ? m_max : std::numeric_limits<double>::quiet_NaN(); }
    double mean() const
    {
        return m_count ? m_sum / double(m_count) : std::numeric_limits<double>::quiet_NaN();
    }

private:
    double m_current = 0;
    double m_min = std::numeric_limits<double>::infinity();
    double m_max = -std::numeric_limits<double>::infinity();
    double m_sum = 0;
    qint64 m_count = 0;
};

} // namespace NodeScope

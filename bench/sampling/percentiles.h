#pragma once

// Order statistics of one series of measurements (timings, rates). The
// benchmark reports medians and tails rather than means because the machine is
// shared and noisy: one descheduling moves a mean, not a median.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace NodeScope {

class Percentiles {
public:
    explicit Percentiles(std::vector<double> values)
        : m_sorted(std::move(values))
    {
        std::sort(m_sorted.begin(), m_sorted.end());
    }

    int count() const { return int(m_sorted.size()); }
    bool isEmpty() const { return m_sorted.empty(); }

    // Nearest rank: the smallest value with at least the fraction q of the
    // series at or below it, so p99 of 2000 samples is a real sample.
    double at(double q) const
    {
        if (m_sorted.empty())
            return std::numeric_limits<double>::quiet_NaN();
        const auto rank = std::size_t(std::ceil(q * double(m_sorted.size())));
        return m_sorted[std::clamp<std::size_t>(rank, 1, m_sorted.size()) - 1];
    }

    // The middle value, or the mean of the two middle ones: with the 3-5
    // repeats of a slow benchmark the difference is visible.
    double median() const
    {
        if (m_sorted.empty())
            return std::numeric_limits<double>::quiet_NaN();
        const std::size_t n = m_sorted.size();
        return n % 2 ? m_sorted[n / 2] : (m_sorted[n / 2 - 1] + m_sorted[n / 2]) / 2;
    }

    double min() const
    {
        return m_sorted.empty() ? std::numeric_limits<double>::quiet_NaN() : m_sorted.front();
    }
    double max() const
    {
        return m_sorted.empty() ? std::numeric_limits<double>::quiet_NaN() : m_sorted.back();
    }

private:
    std::vector<double> m_sorted;
};

} // namespace NodeScope

#pragma once

// Theil-Sen line through floor points plus the Mann-Kendall trend statistic
// (both come from the same pairs): what the leak detector judges a floor by.
// O(n^2) in the points: the detector runs it once per closed bucket over at
// most ~130 of them. Times are ms relative to originMs.

#include "analysis/baselinepoint.h"

#include <QtGlobal>

#include <span>

namespace NodeScope {

struct TrendFit {
    double slope = 0; // bytes per ms
    double intercept = 0; // bytes at originMs
    double z = 0; // Mann-Kendall z, corrected for autocorrelation; > 0 rising
    double spread = 0; // robust standard deviation of the points around the line
    double slopeError = 0; // standard error of the slope, bytes per ms
    double recentResidual = 0; // median residual of the last quarter of the span
    int recentCount = 0; // points in that quarter
    qint64 originMs = 0;
    int points = 0;

    double valueAt(qint64 elapsedMs) const { return intercept + slope * double(elapsedMs - originMs); }

    // Points in time order. A span, so a half of a window is fitted in place.
    static TrendFit of(std::span<const BaselinePoint> points);
};

} // namespace NodeScope

#include "analysis/trendfit.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

namespace NodeScope {

namespace {

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + qsizetype(mid), v.end());
    double m = v[mid];
    if (v.size() % 2 == 0) {
        const double lower = *std::max_element(v.begin(), v.begin() + qsizetype(mid));
        m = (m + lower) / 2;
    }
    return m;
}

} // namespace

TrendFit TrendFit::of(std::span<const BaselinePoint> points)
{
    using It = std::span<const BaselinePoint>::iterator;
    const It begin = points.begin();
    const It end = points.end();
    TrendFit f;
    f.points = int(points.size());
    if (f.points < 2)
        return f;
    f.originMs = begin->elapsedMs;
    std::vector<double> slopes;
    slopes.reserve(size_t(f.points) * size_t(f.points - 1) / 2);
    qint64 s = 0;
    for (It i = begin; i != end; ++i) {
        for (It j = std::next(i); j != end; ++j) {
            const qint64 dv = j->bytes - i->bytes;
            s += (dv > 0) - (dv < 0);
            const qint64 dt = qint64(j->elapsedMs) - qint64(i->elapsedMs);
            if (dt != 0)
                slopes.push_back(double(dv) / double(dt));
        }
    }
    f.slope = median(std::move(slopes));
    std::vector<double> residuals;
    residuals.reserve(size_t(f.points));
    for (It i = begin; i != end; ++i)
        residuals.push_back(double(i->bytes) - f.slope * double(qint64(i->elapsedMs) - f.originMs));
    f.intercept = median(residuals);
    for (double& r : residuals)
        r -= f.intercept;

    // Neighbouring floor points are not independent: a bucket that missed
    // the collection sits on the same ramp as the next. Left alone that
    // inflates the Mann-Kendall z several times over, so the variance is
    // widened by the lag-1 autocorrelation of the residuals (AR(1)
    // variance inflation, as in Yue & Wang's correction).
    double mean = 0;
    for (double r : residuals)
        mean += r;
    mean /= double(residuals.size());
    double num = 0;
    double den = 0;
    for (size_t i = 0; i < residuals.size(); ++i) {
        den += (residuals[i] - mean) * (residuals[i] - mean);
        if (i + 1 < residuals.size())
            num += (residuals[i] - mean) * (residuals[i + 1] - mean);
    }
    const double rho = den > 0 ? std::clamp(num / den, 0.0, 0.9) : 0.0;
    const double inflation = (1 + rho) / (1 - rho);
    const double n = f.points;
    const double variance = n * (n - 1) * (2 * n + 5) / 18 * inflation;
    if (s != 0)
        f.z = (double(s) - (s > 0 ? 1 : -1)) / std::sqrt(variance);

    // Robust spread of the floor around the line, and where its most
    // recent quarter sits: a growth that stopped leaves the last points
    // below the line fitted through the whole window.
    std::vector<double> absolute;
    absolute.reserve(residuals.size());
    for (double r : residuals)
        absolute.push_back(std::abs(r));
    f.spread = 1.4826 * median(std::move(absolute));
    // Standard error of a least-squares slope with that spread; Theil-Sen's
    // is close enough to it to tell a real change of slope from noise.
    double meanT = 0;
    for (It i = begin; i != end; ++i)
        meanT += double(qint64(i->elapsedMs) - f.originMs);
    meanT /= n;
    double sxx = 0;
    for (It i = begin; i != end; ++i) {
        const double d = double(qint64(i->elapsedMs) - f.originMs) - meanT;
        sxx += d * d;
    }
    f.slopeError = sxx > 0 ? f.spread / std::sqrt(sxx) : 0;
    const qint64 lastMs = std::prev(end)->elapsedMs;
    const qint64 quarterFrom = lastMs - (lastMs - f.originMs) / 4;
    std::vector<double> recentResiduals;
    size_t k = 0;
    for (It i = begin; i != end; ++i, ++k) {
        if (qint64(i->elapsedMs) >= quarterFrom)
            recentResiduals.push_back(residuals[k]);
    }
    f.recentCount = int(recentResiduals.size());
    f.recentResidual = median(std::move(recentResiduals));
    return f;
}

} // namespace NodeScope

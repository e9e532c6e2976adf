#include "session/session.h"

#include <algorithm>

namespace NodeScope {

bool Session::append(const Sample& sample)
{
    if (!m_samples.isEmpty() && sample.elapsedMs < m_samples.constLast().elapsedMs)
        return false;
    m_samples.append(sample);
    return true;
}

qsizetype Session::lowerBound(quint32 elapsedMs) const
{
    const auto it = std::lower_bound(m_samples.cbegin(), m_samples.cend(), elapsedMs,
        [](const Sample& sample, quint32 value) { return sample.elapsedMs < value; });
    return it - m_samples.cbegin();
}

} // namespace NodeScope

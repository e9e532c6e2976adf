#include "session/session.h"

#include <algorithm>

namespace NodeScope {

bool Session::append(const Sample& sample, const RuntimeSample& runtime)
{
    if (!m_samples.isEmpty() && sample.elapsedMs < m_samples.constLast().elapsedMs)
        return false;
    // The runtime list starts with the first runtime figures, as long as the
    // samples so far (all without). (Testing for an empty list after the
    // resize lost the figures of a first sample that had them.)
    const bool keepRuntime = !m_runtime.isEmpty() || !runtime.isEmpty();
    if (m_runtime.isEmpty() && !runtime.isEmpty())
        m_runtime.resize(m_samples.size());
    m_samples.append(sample);
    if (keepRuntime)
        m_runtime.append(runtime);
    return true;
}

const RuntimeSample& Session::runtimeAt(qsizetype index) const
{
    static const RuntimeSample none;
    return index < m_runtime.size() ? m_runtime.at(index) : none;
}

qsizetype Session::lowerBound(quint32 elapsedMs) const
{
    const auto it = std::lower_bound(m_samples.cbegin(), m_samples.cend(), elapsedMs,
        [](const Sample& sample, quint32 value) { return sample.elapsedMs < value; });
    return it - m_samples.cbegin();
}

} // namespace NodeScope

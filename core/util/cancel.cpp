#include "util/cancel.h"

namespace sluice {

void CancelToken::cancel()
{
    m_cancelled.store(true);
    std::lock_guard lock(m_mutex);
    if (m_hook)
        m_hook();
}

void CancelToken::setHook(std::function<void()> hook)
{
    std::lock_guard lock(m_mutex);
    m_hook = std::move(hook);
    if (m_hook && m_cancelled.load())
        m_hook();
}

} // namespace sluice

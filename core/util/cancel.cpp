#include "util/cancel.h"

namespace sluice {

void CancelToken::cancel()
{
    m_cancelled.store(true);
    std::lock_guard lock(m_mutex);
    for (auto &[id, hook] : m_hooks)
        hook();
}

std::uint64_t CancelToken::addHook(std::function<void()> hook)
{
    std::lock_guard lock(m_mutex);
    const std::uint64_t id = m_nextId++;
    if (m_cancelled.load())
        hook();
    m_hooks.emplace(id, std::move(hook));
    return id;
}

void CancelToken::removeHook(std::uint64_t id)
{
    std::lock_guard lock(m_mutex);
    m_hooks.erase(id);
}

CancelHook::CancelHook(CancelToken *token, std::function<void()> hook) : m_token(token)
{
    if (m_token)
        m_id = m_token->addHook(std::move(hook));
}

void CancelHook::reset()
{
    if (m_token && m_id)
        m_token->removeHook(m_id);
    m_id = 0;
}

} // namespace sluice

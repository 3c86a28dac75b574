#include "net/ratelimiter.h"

namespace sluice::net {

RateLimiter::RateLimiter(int requests, int perMs)
{
    if (requests <= 0 || perMs <= 0)
        return;
    // time_point::min() marks "never used", so the first N starts are free.
    m_starts.assign(static_cast<std::size_t>(requests), Clock::time_point::min());
    m_window = std::chrono::milliseconds(perMs);
}

RateLimiter::Clock::time_point RateLimiter::nextStart(Clock::time_point now) const
{
    if (m_starts.empty())
        return now;
    const Clock::time_point oldest = m_starts[m_next];
    if (oldest == Clock::time_point::min())
        return now;
    const Clock::time_point allowed = oldest + m_window;
    return allowed > now ? allowed : now;
}

void RateLimiter::started(Clock::time_point now)
{
    if (m_starts.empty())
        return;
    m_starts[m_next] = now;
    m_next = (m_next + 1) % m_starts.size();
}

} // namespace sluice::net

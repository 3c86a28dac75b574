#pragma once
// Paces request starts so that at most N start in any window of W ms (a rolling window, the
// shape vendors document: "190 requests per 10 seconds"). Time is passed in, so the limiter
// itself never sleeps and is tested without a clock.

#include <chrono>
#include <cstddef>
#include <vector>

namespace sluice::net {

class RateLimiter
{
public:
    using Clock = std::chrono::steady_clock;

    RateLimiter() = default;
    RateLimiter(int requests, int perMs); // requests <= 0 or perMs <= 0: unlimited

    bool unlimited() const { return m_starts.empty(); }
    // The earliest time a request may start (now when a start is allowed at once).
    Clock::time_point nextStart(Clock::time_point now) const;
    // Records a start; call only when nextStart(now) <= now.
    void started(Clock::time_point now);

private:
    // The last N start times as a ring: m_starts[m_next] is the oldest, and the next start is
    // allowed once that one is a full window old.
    std::vector<Clock::time_point> m_starts;
    std::size_t m_next = 0;
    Clock::duration m_window{};
};

} // namespace sluice::net

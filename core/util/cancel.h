#pragma once
// A cancel flag shared between whoever runs a long job and whoever may stop it (a Stop button,
// SIGINT). The job registers a hook (e.g. the row stream's cancel) so a blocking call is
// interrupted at once instead of at the next check.

#include <atomic>
#include <functional>
#include <mutex>

namespace sluice {

class CancelToken
{
public:
    void cancel();
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    // The hook runs on cancel() (or at once if already cancelled); clear it with nullptr
    // before whatever it refers to is destroyed.
    void setHook(std::function<void()> hook);

private:
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::function<void()> m_hook;
};

} // namespace sluice

#pragma once
// A cancel flag shared between whoever runs a long job and whoever may stop it (a Stop button,
// SIGINT). Whatever blocks on the job's behalf (a row stream, an HTTP transfer) registers a
// hook for as long as it blocks, so cancel() interrupts it at once instead of at the next check.
// Several hooks may be registered at the same time (a source being read while a destination
// sends); each is removed by its owner, usually through a CancelHook.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace sluice {

class CancelToken
{
public:
    void cancel();
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    // The hook runs on cancel() (or at once if already cancelled). Remove it before whatever it
    // refers to is destroyed; removing waits for a hook that is running to return.
    std::uint64_t addHook(std::function<void()> hook);
    void removeHook(std::uint64_t id);

private:
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::uint64_t m_nextId = 1;
    std::map<std::uint64_t, std::function<void()>> m_hooks;
};

// Registers a hook for the lifetime of a scope; a null token does nothing.
class CancelHook
{
public:
    CancelHook(CancelToken *token, std::function<void()> hook);
    ~CancelHook() { reset(); }
    CancelHook(const CancelHook &) = delete;
    CancelHook &operator=(const CancelHook &) = delete;
    // Removes the hook now (before the scope ends).
    void reset();

private:
    CancelToken *m_token;
    std::uint64_t m_id = 0;
};

} // namespace sluice

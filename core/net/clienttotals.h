#pragma once
// What every HTTP client a destination's writers used added up to (requests, retries, waits),
// for tests and diagnostics. Writers report when they close, possibly after the destination is
// gone, so they hold the totals weakly.

#include "net/httpclient.h"

#include <functional>
#include <memory>
#include <mutex>

namespace sluice::net {

class ClientTotals
{
public:
    void add(const ClientStats &stats);
    ClientStats get() const;
    // A writer's on-close callback that adds to these totals while they exist.
    static std::function<void(const ClientStats &)> adder(const std::shared_ptr<ClientTotals> &);

private:
    mutable std::mutex m_mutex;
    ClientStats m_stats;
};

// A log sink that passes each line to both (either may be empty).
std::function<void(const std::string &)> teeLog(std::function<void(const std::string &)> first,
                                                std::function<void(const std::string &)> second);

} // namespace sluice::net

#include "net/clienttotals.h"

namespace sluice::net {

void ClientTotals::add(const ClientStats &s)
{
    std::lock_guard lock(m_mutex);
    m_stats.requests += s.requests;
    m_stats.retries += s.retries;
    m_stats.rateLimitWaits += s.rateLimitWaits;
    m_stats.networkErrors += s.networkErrors;
    m_stats.connectionsOpened += s.connectionsOpened;
    m_stats.waited += s.waited;
}

ClientStats ClientTotals::get() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

std::function<void(const ClientStats &)>
ClientTotals::adder(const std::shared_ptr<ClientTotals> &totals)
{
    return [weak = std::weak_ptr<ClientTotals>(totals)](const ClientStats &s) {
        if (auto t = weak.lock())
            t->add(s);
    };
}

std::function<void(const std::string &)> teeLog(std::function<void(const std::string &)> first,
                                                std::function<void(const std::string &)> second)
{
    if (!first)
        return second;
    if (!second)
        return first;
    return [first = std::move(first), second = std::move(second)](const std::string &line) {
        first(line);
        second(line);
    };
}

} // namespace sluice::net

#include "engine/stateindex.h"

#include <algorithm>
#include <bit>

namespace sluice {

StateIndex::StateIndex(std::vector<StateEntry> sortedEntries) : m_entries(std::move(sortedEntries))
{
    // About one entry per bucket, at most 2^22 buckets (16 MB of directory).
    const int bits = std::clamp(static_cast<int>(std::bit_width(m_entries.size())), 1, 22);
    m_shift = 64 - bits;
    const std::size_t buckets = std::size_t{1} << bits;
    m_directory.assign(buckets + 1, 0);
    std::size_t i = 0;
    for (std::size_t b = 0; b < buckets; ++b) {
        m_directory[b] = static_cast<std::uint32_t>(i);
        while (i < m_entries.size() && bucket(m_entries[i].keyHash) == b)
            ++i;
    }
    m_directory[buckets] = static_cast<std::uint32_t>(m_entries.size());
}

std::size_t StateIndex::bucket(std::int64_t keyHash) const
{
    // Flipping the sign bit maps signed order (as SQLite sorts) onto unsigned order.
    const auto u = static_cast<std::uint64_t>(keyHash) ^ (std::uint64_t{1} << 63);
    return static_cast<std::size_t>(u >> m_shift);
}

StateEntry *StateIndex::find(std::int64_t keyHash)
{
    if (m_entries.empty())
        return nullptr;
    const std::size_t b = bucket(keyHash);
    for (std::uint32_t i = m_directory[b]; i < m_directory[b + 1]; ++i) {
        if (m_entries[i].keyHash == keyHash)
            return &m_entries[i];
    }
    return nullptr;
}

} // namespace sluice

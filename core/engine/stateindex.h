#pragma once
// The sync state as the engine consults it while planning: entries sorted by key hash, plus
// a directory from the hash's top bits to the first entry of that bucket. Hashes are uniform, so
// a lookup touches the directory and one or two neighbouring entries instead of the ~20 scattered
// cache lines of a binary search over a million entries (~28 bytes per entry in all).

#include "workspace/syncstate.h"

#include <vector>

namespace sluice {

class StateIndex
{
public:
    StateIndex() = default;
    explicit StateIndex(std::vector<StateEntry> sortedEntries);

    StateEntry *find(std::int64_t keyHash);
    std::vector<StateEntry> &entries() { return m_entries; }
    std::size_t size() const { return m_entries.size(); }
    bool empty() const { return m_entries.empty(); }

private:
    std::size_t bucket(std::int64_t keyHash) const;

    std::vector<StateEntry> m_entries;
    std::vector<std::uint32_t> m_directory; // bucket b's entries: [dir[b], dir[b + 1])
    int m_shift = 63;
};

} // namespace sluice

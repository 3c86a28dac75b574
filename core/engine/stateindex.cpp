#include "engine/stateindex.h"

#include <bit>

namespace sluice {

StateIndex::StateIndex(std::size_t expected)
{
    const std::size_t slots = std::bit_ceil(std::max<std::size_t>(16, expected * 2));
    m_slots.assign(slots, Entry{0, 0});
    m_mask = slots - 1;
    m_shift = 64 - std::countr_zero(slots);
}

void StateIndex::insert(std::int64_t keyHash, std::int64_t rowHash, bool rejected)
{
    std::size_t i = slotOf(keyHash);
    while (m_slots[i].keyHash != 0 && m_slots[i].keyHash != keyHash)
        i = (i + 1) & m_mask;
    if (m_slots[i].keyHash == 0)
        ++m_size;
    m_slots[i] = Entry{keyHash, static_cast<std::uint64_t>(rowHash & kDigestMask) |
                                    (rejected ? kRejected : 0)};
}

void StateIndex::prefetch(std::int64_t keyHash) const
{
    __builtin_prefetch(&m_slots[slotOf(keyHash)]);
}

StateIndex::Entry *StateIndex::find(std::int64_t keyHash)
{
    for (std::size_t i = slotOf(keyHash);; i = (i + 1) & m_mask) {
        Entry &e = m_slots[i];
        if (e.keyHash == keyHash)
            return &e;
        if (e.keyHash == 0)
            return nullptr;
    }
}

} // namespace sluice

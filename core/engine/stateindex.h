#pragma once
// The sync state as the engine consults it while planning: an open-addressing hash table
// from key hash to the digest of the values last acknowledged, 16 bytes a slot at a load of
// at most 1/2 (≈ 32 MB per million keys). A key's slot follows from its hash alone, so the
// engine can prefetch it while it maps the row, and a lookup costs one cache miss.

#include <cstdint>
#include <vector>

namespace sluice {

class StateIndex
{
public:
    // Row digests use the low 62 bits; the top two mark the entry.
    static constexpr std::uint64_t kRejected = std::uint64_t{1} << 63;
    static constexpr std::uint64_t kSeen = std::uint64_t{1} << 62;
    static constexpr std::int64_t kDigestMask = (std::int64_t{1} << 62) - 1;

    struct Entry
    {
        std::int64_t keyHash; // 0: empty slot (Hasher never returns 0)
        std::uint64_t bits;   // digest | kRejected | kSeen

        std::int64_t rowHash() const { return static_cast<std::int64_t>(bits) & kDigestMask; }
        bool rejected() const { return bits & kRejected; }
        bool seen() const { return bits & kSeen; }
        void markSeen() { bits |= kSeen; }
    };

    explicit StateIndex(std::size_t expected = 0);

    void insert(std::int64_t keyHash, std::int64_t rowHash, bool rejected);
    void prefetch(std::int64_t keyHash) const;
    Entry *find(std::int64_t keyHash);
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    template <class Fn> void forEach(Fn fn) const
    {
        for (const Entry &e : m_slots) {
            if (e.keyHash != 0)
                fn(e);
        }
    }

private:
    // The hash's top bits, in signed order: the state is read sorted by key hash, so building
    // the table fills it front to back instead of jumping around memory.
    std::size_t slotOf(std::int64_t keyHash) const
    {
        return static_cast<std::size_t>(
            (static_cast<std::uint64_t>(keyHash) ^ (std::uint64_t{1} << 63)) >> m_shift);
    }

    std::vector<Entry> m_slots;
    std::size_t m_mask = 0;
    int m_shift = 60;
    std::size_t m_size = 0;
};

} // namespace sluice

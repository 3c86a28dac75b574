#include "engine/keycheck.h"

#include <unordered_set>

namespace sluice {

namespace {

struct Digest
{
    std::uint64_t a;
    std::uint64_t b;
    bool operator==(const Digest &) const = default;
};

struct DigestHash
{
    std::size_t operator()(const Digest &d) const { return static_cast<std::size_t>(d.a); }
};

// Two independent 64-bit hashes: a false "duplicate" would need both to collide, which at
// 2^-128 per pair does not happen for any table a desktop can stream.
Digest digestOf(std::string_view key)
{
    std::uint64_t fnv = 14695981039346656037ull;
    for (unsigned char c : key) {
        fnv ^= c;
        fnv *= 1099511628211ull;
    }
    return Digest{std::hash<std::string_view>{}(key), fnv};
}

constexpr std::int64_t kProgressEvery = 10000;

} // namespace

Result<KeyCheckResult> checkPrimaryKey(Source &source, const SourceQuery &query,
                                       const std::string &keyColumn, CancelToken *cancel,
                                       const KeyCheckProgress &progress)
{
    if (keyColumn.empty())
        return fail(ErrorKind::Usage, "Choose the column that identifies each row first.");
    if (cancel && cancel->cancelled())
        return fail(ErrorKind::Cancelled, "Stopped.");
    auto stream = source.open(query);
    if (!stream)
        return std::unexpected(stream.error());
    RowStream *raw = stream->get();
    const auto &columns = raw->columns();
    std::size_t keyIndex = columns.size();
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].name == keyColumn) {
            keyIndex = i;
            break;
        }
    }
    if (keyIndex == columns.size())
        return fail(ErrorKind::Invalid, "The model has no column named \"" + keyColumn +
                                            "\". Pick the key from the model's columns.");
    CancelHook hook(cancel, [raw] { raw->cancel(); });

    KeyCheckResult result;
    std::unordered_set<Digest, DigestHash> seen;
    std::unordered_set<Digest, DigestHash> reported; // duplicates already given as examples
    std::string keyText;
    Row row;
    Result<KeyCheckResult> outcome = KeyCheckResult{};
    for (;;) {
        auto more = raw->next(row);
        if (!more) {
            outcome = std::unexpected(more.error());
            break;
        }
        if (!*more) {
            outcome = std::move(result);
            break;
        }
        ++result.rows;
        const Value &key = row[keyIndex];
        if (key.isNull() || (key.type == ValueType::Text && key.text.empty())) {
            ++result.missingKeys;
            if (result.missingExamples.size() < KeyCheckResult::maxExamples)
                result.missingExamples.push_back(result.rows);
        } else {
            // The engine matches keys by their text form, so 1 and '1' are the same key here too.
            keyText.clear();
            key.appendTo(keyText);
            const Digest d = digestOf(keyText);
            if (!seen.insert(d).second) {
                ++result.duplicateRows;
                if (result.duplicateExamples.size() < KeyCheckResult::maxExamples &&
                    reported.insert(d).second)
                    result.duplicateExamples.push_back(keyText);
            }
        }
        if (progress && result.rows % kProgressEvery == 0)
            progress(result.rows);
    }
    hook.reset();
    return outcome;
}

} // namespace sluice

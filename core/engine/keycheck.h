#pragma once
// Checks that a model's primary key is usable: every row has a key and no key repeats. Streams
// the model once, keeping two 64-bit digests per key rather than the keys themselves, so
// millions of rows fit in modest memory.

#include "sources/source.h"

#include <functional>
#include <string>
#include <vector>

namespace sluice {

struct KeyCheckResult
{
    static constexpr std::size_t maxExamples = 5;

    std::int64_t rows = 0;
    std::int64_t missingKeys = 0;               // rows whose key is NULL or empty
    std::int64_t duplicateRows = 0;             // rows whose key an earlier row already had
    std::vector<std::int64_t> missingExamples;  // 1-based row numbers
    std::vector<std::string> duplicateExamples; // distinct repeated keys

    bool ok() const { return missingKeys == 0 && duplicateRows == 0; }
};

// Called now and then with the rows read so far.
using KeyCheckProgress = std::function<void(std::int64_t rows)>;

// Fails with Invalid when keyColumn is not a column of the result, Cancelled when stopped.
Result<KeyCheckResult> checkPrimaryKey(Source &source, const SourceQuery &query,
                                       const std::string &keyColumn, CancelToken *cancel = nullptr,
                                       const KeyCheckProgress &progress = {});

} // namespace sluice

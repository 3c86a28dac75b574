#pragma once
// A forward-only stream of rows with column metadata. Sources hand these out; the engine,
// previews and exports pull from them one row at a time so nothing holds a whole table.

#include "data/value.h"
#include "util/error.h"

#include <vector>

namespace sluice {

class RowStream
{
public:
    virtual ~RowStream() = default;
    virtual const std::vector<Column> &columns() const = 0;
    // Fills row (resized to columns().size()) and returns true, or returns false at the end.
    virtual Result<bool> next(Row &row) = 0;
    // Safe to call from any thread while next() runs; next() then fails with Cancelled soon
    // after (well under a second).
    virtual void cancel() = 0;
};

} // namespace sluice

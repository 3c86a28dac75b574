#pragma once
// The Source interface: something a model can be read from (a SQLite file, a folder of CSV
// files, later PostgreSQL). Drivers are created through the registry in sourceregistry.h.

#include "data/rowstream.h"
#include "util/cancel.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

struct SourceQuery
{
    std::string sql;                   // either SQL text...
    std::string table;                 // ...or a table (file) name
    std::optional<std::int64_t> limit; // pushed into the query where the source can
    std::int64_t offset = 0;           // rows skipped before the first one returned
};

struct TableInfo
{
    std::string name;
    std::string kind; // "table", "view", "file"
    std::vector<Column> columns;
};

class Source
{
public:
    virtual ~Source() = default;
    virtual Result<std::unique_ptr<RowStream>> open(const SourceQuery &query) = 0;
    virtual Result<std::vector<TableInfo>> tables() = 0;
    // How many rows the query returns (at most query.limit). Can take as long as reading the
    // whole result, so it runs in the background; cancel (from any thread) makes it fail with
    // Cancelled soon after. The default streams the rows; drivers with a query language
    // override it to let the database count.
    virtual Result<std::int64_t> count(const SourceQuery &query, CancelToken *cancel = nullptr);
};

// Counts by reading every row: the fallback for sources that cannot count natively.
Result<std::int64_t> countByStreaming(Source &source, const SourceQuery &query,
                                      CancelToken *cancel);

} // namespace sluice

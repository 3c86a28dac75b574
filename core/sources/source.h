#pragma once
// The Source interface: something a model can be read from (a SQLite file, a folder of CSV
// files, later PostgreSQL). Drivers are created through the registry in sourceregistry.h.

#include "data/rowstream.h"

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
};

} // namespace sluice

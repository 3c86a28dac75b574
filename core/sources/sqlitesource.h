#pragma once
// A SQLite database file as a source. Opened read-only with query_only on and ATTACH
// disabled, so a model can never change it; cancel goes through sqlite3_interrupt.

#include "data/driverinfo.h"
#include "sources/source.h"

namespace sluice {

DriverInfo sqliteSourceDriverInfo();
Result<std::unique_ptr<Source>> createSqliteSource(const nlohmann::json &settings,
                                                   const DriverContext &context);

class SqliteSource : public Source
{
public:
    explicit SqliteSource(std::filesystem::path path) : m_path(std::move(path)) {}
    Result<std::unique_ptr<RowStream>> open(const SourceQuery &query) override;
    Result<std::vector<TableInfo>> tables() override;
    // SELECT count(*) over the query, interrupted through sqlite3_interrupt on cancel.
    Result<std::int64_t> count(const SourceQuery &query, CancelToken *cancel = nullptr) override;

private:
    struct Prepared;
    // Opens the file and checks the query is one read-only statement; returns the SQL to run
    // (with the limit applied).
    Result<Prepared> prepareQuery(const SourceQuery &query);

    std::filesystem::path m_path;
};

} // namespace sluice

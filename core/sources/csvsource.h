#pragma once
// CSV files as a source: one .csv file, or a folder whose .csv files are its tables. The
// header row names the columns, types are guessed from the first 1000 rows, and rows stream
// with flat memory. CSV has no query language, so models pick a file as their table.

#include "data/driverinfo.h"
#include "sources/source.h"

#include <filesystem>

namespace sluice {

DriverInfo csvSourceDriverInfo();
Result<std::unique_ptr<Source>> createCsvSource(const nlohmann::json &settings,
                                                const DriverContext &context);

class CsvSource : public Source
{
public:
    // delimiter 0: detect it from each file's first line.
    CsvSource(std::filesystem::path path, char delimiter)
        : m_path(std::move(path)), m_delimiter(delimiter)
    {
    }
    Result<std::unique_ptr<RowStream>> open(const SourceQuery &query) override;
    // Every table with its columns; a file that cannot be read (bad header, not UTF-8) fails
    // the whole listing with a message naming it rather than being listed without columns.
    Result<std::vector<TableInfo>> tables() override;

private:
    Result<std::filesystem::path> fileForTable(const std::string &table) const;
    Result<std::vector<std::string>> fileNames() const;

    std::filesystem::path m_path;
    char m_delimiter = 0;
};

} // namespace sluice

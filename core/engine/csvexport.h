#pragma once
// One-off export of a model's rows to a CSV file (header row first). Writes a temporary file
// next to the target and renames it over the target at the end, so a failed or cancelled
// export leaves any previous file exactly as it was.

#include "csv/csvwriter.h"
#include "sources/source.h"

#include <filesystem>
#include <functional>

namespace sluice {

// Called now and then with the rows written so far.
using CsvExportProgress = std::function<void(std::int64_t rows)>;

// Returns the number of data rows written.
Result<std::int64_t> exportToCsv(Source &source, const SourceQuery &query,
                                 const std::filesystem::path &path,
                                 const CsvWriteOptions &options = {}, CancelToken *cancel = nullptr,
                                 const CsvExportProgress &progress = {});

} // namespace sluice

#pragma once
// One-off export of a model's rows (any row stream) to Google Sheets: into a new spreadsheet,
// a new tab, or an existing tab whose values are replaced. The header row comes first and
// values are written RAW, through the same writer as syncs, so the 50,000-characters-per-cell
// and 10,000,000-cell limits are checked before each batch is sent.

#include "data/rowstream.h"
#include "destinations/googlesheetsapi.h"
#include "util/cancel.h"

#include <functional>
#include <string>

namespace sluice {

struct SheetsExportOptions
{
    std::string spreadsheetId; // an id or address; empty: create a new spreadsheet
    std::string title;         // the new spreadsheet's title (default: the tab's name)
    std::string tab;           // default "Sheet1"; an existing tab's values are replaced
};

struct SheetsExportResult
{
    std::string spreadsheetId;
    std::string url;
    std::string tab;
    std::int64_t rows = 0; // data rows written (the header not counted)
    bool newSpreadsheet = false;
    bool newTab = false;
};

// Called after each batch with the rows written so far.
using SheetsExportProgress = std::function<void(std::int64_t rows)>;

// `config` carries the credentials (its spreadsheet id is not used: options say where).
Result<SheetsExportResult> exportToGoogleSheets(RowStream &rows, GoogleSheetsConfig config,
                                                const SheetsExportOptions &options,
                                                CancelToken *cancel = nullptr,
                                                const SheetsExportProgress &progress = {});

} // namespace sluice

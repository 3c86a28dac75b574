#pragma once
// RFC 4180 output: fields quoted only when they must be (delimiter, quote, CR or LF, or
// leading/trailing space), quotes doubled, CRLF-free ("\n") line ends.

#include "data/value.h"

#include <string>
#include <string_view>

namespace sluice {

struct CsvWriteOptions
{
    char delimiter = ',';
    // Spreadsheet-safe: a cell starting with = + - @ (or tab/CR) gets a leading apostrophe so
    // Excel, LibreOffice and Google Sheets show it as text instead of running it as a formula.
    bool spreadsheetSafe = true;
};

void appendCsvField(std::string &out, std::string_view field, const CsvWriteOptions &options);
// NULL is written as an empty field; the empty string as "" so the two stay apart.
void appendCsvValue(std::string &out, const Value &value, const CsvWriteOptions &options);

} // namespace sluice

#pragma once
// Streaming RFC 4180 reader: quoted fields with doubled quotes, delimiters and line breaks
// inside quotes, CRLF or LF line ends, UTF-8 with or without BOM. Reads the file in chunks,
// so memory stays flat however large the file is.
//
// Leniencies, because real files need them: a line with nothing on it is skipped (exports and
// hand edits often leave blank lines; the price is that in a one-column file a NULL row reads
// as a blank line); a lone CR also ends a line (old Mac exports); a quote in the middle of an
// unquoted field is kept as a literal character (5" disk). Strict where guessing would shift
// data: text after a closing quote, a quote that never closes and invalid UTF-8 are errors
// naming the line.

#include "util/error.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

struct CsvReadOptions
{
    char delimiter = 0; // 0: detect from the first line (',', ';', '\t' or '|')
    // Bytes read at a time (fromString() reads its string the same way, so it behaves exactly
    // like a file). Tests set this tiny to put chunk boundaries inside every kind of token.
    std::size_t chunkSize = 256 * 1024;
    // A record larger than this stops reading with an error rather than pulling the rest of the
    // file into memory: in practice it is a quote that is never closed.
    std::size_t maxRecordBytes = 64 * 1024 * 1024;
};

struct CsvField
{
    std::string_view text; // valid until the next call to next()
    bool quoted = false;   // "" (quoted, empty) is an empty string; an unquoted empty is NULL
};

class CsvReader
{
public:
    static Result<std::unique_ptr<CsvReader>> open(const std::filesystem::path &path,
                                                   CsvReadOptions options = {});
    static std::unique_ptr<CsvReader> fromString(std::string data, CsvReadOptions options = {});
    ~CsvReader();

    // Reads one record. Returns false at the end of the input. A malformed record (a quote
    // that is never closed, text after a closing quote, invalid UTF-8) is an error whose
    // message names the line, and reading cannot continue past it.
    Result<bool> next(std::vector<CsvField> &fields);
    std::int64_t line() const; // 1-based line where the last record started
    char delimiter() const;

    struct Impl;

private:
    explicit CsvReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace sluice

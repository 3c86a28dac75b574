// Fuzz target for CsvReader. Properties checked on every input:
//  - it parses or fails with a message naming a line; never a crash, hang or sanitizer report;
//  - reading it in tiny chunks gives exactly what reading it whole gives (records, line
//    numbers, errors), so chunk boundaries cannot change the data;
//  - a record limit only ever adds the "record too large" error, never different data;
//  - what parses, written back with the CSV writer and read again, gives the same fields.
// Built as a libFuzzer binary with clang, and run by fuzzdriver.cpp as a CTest smoke test.

#include "csv/csvreader.h"
#include "csv/csvwriter.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

using namespace sluice;

namespace {

struct Field
{
    std::string text;
    bool null = false;
    bool operator==(const Field &) const = default;
};

struct Outcome
{
    std::vector<std::vector<Field>> records;
    std::vector<std::int64_t> lines;
    std::optional<std::string> error;
    char delimiter = 0;
};

Outcome readAll(std::string input, const CsvReadOptions &options)
{
    Outcome out;
    auto reader = CsvReader::fromString(std::move(input), options);
    out.delimiter = reader->delimiter();
    std::vector<CsvField> fields;
    for (;;) {
        auto more = reader->next(fields);
        if (!more) {
            out.error = more.error().message;
            break;
        }
        if (!*more)
            break;
        std::vector<Field> record;
        record.reserve(fields.size());
        for (const CsvField &f : fields)
            record.push_back(Field{std::string(f.text), f.text.empty() && !f.quoted});
        out.records.push_back(std::move(record));
        out.lines.push_back(reader->line());
    }
    return out;
}

[[noreturn]] void violated(const char *what, const Outcome &a, const Outcome &b)
{
    std::fprintf(stderr, "CSV fuzz property violated: %s\n", what);
    std::fprintf(stderr, "  first:  %zu records, error: %s\n", a.records.size(),
                 a.error ? a.error->c_str() : "none");
    std::fprintf(stderr, "  second: %zu records, error: %s\n", b.records.size(),
                 b.error ? b.error->c_str() : "none");
    std::abort();
}

void check(bool ok, const char *what, const Outcome &a, const Outcome &b)
{
    if (!ok)
        violated(what, a, b);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char *>(data), size);

    const Outcome whole = readAll(input, CsvReadOptions{});
    check(!whole.error || whole.error->starts_with("Line "), "error names a line", whole, whole);
    for (std::size_t i = 0; i < whole.lines.size(); ++i)
        check(whole.lines[i] >= 1 && (i == 0 || whole.lines[i] > whole.lines[i - 1]),
              "record lines increase", whole, whole);

    CsvReadOptions tiny;
    tiny.chunkSize = 1 + (size ? data[size / 2] % 13 : 0);
    const Outcome chunked = readAll(input, tiny);
    check(chunked.delimiter == whole.delimiter && chunked.records == whole.records &&
              chunked.lines == whole.lines && chunked.error == whole.error,
          "chunked read equals whole read", whole, chunked);

    CsvReadOptions limited;
    limited.delimiter = whole.delimiter;
    limited.chunkSize = 8;
    limited.maxRecordBytes = 64;
    const Outcome capped = readAll(input, limited);
    const std::size_t n = capped.records.size();
    check(n <= whole.records.size() &&
              std::equal(capped.records.begin(), capped.records.end(), whole.records.begin()),
          "record limit keeps the records before it", whole, capped);
    if (!capped.error || capped.error->find("larger than") == std::string::npos)
        check(capped.records == whole.records && capped.error == whole.error,
              "record limit changes nothing else", whole, capped);

    if (whole.error)
        return 0;
    CsvWriteOptions writeOptions;
    writeOptions.delimiter = whole.delimiter;
    writeOptions.spreadsheetSafe = false; // the guard changes text on purpose
    std::string written;
    Value value;
    for (const auto &record : whole.records) {
        for (std::size_t i = 0; i < record.size(); ++i) {
            if (i)
                written += whole.delimiter;
            if (record[i].null)
                value.setNull();
            else
                value.setText(record[i].text);
            appendCsvValue(written, value, writeOptions);
        }
        written += '\n';
    }
    CsvReadOptions again;
    again.delimiter = whole.delimiter;
    const Outcome reread = readAll(written, again);
    check(!reread.error && reread.records == whole.records, "writer output reads back the same",
          whole, reread);
    return 0;
}

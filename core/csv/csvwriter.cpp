#include "csv/csvwriter.h"

namespace sluice {

namespace {

bool startsLikeFormula(std::string_view s)
{
    if (s.empty())
        return false;
    switch (s.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return true;
    default:
        return false;
    }
}

} // namespace

void appendCsvField(std::string &out, std::string_view field, const CsvWriteOptions &options)
{
    const bool guard = options.spreadsheetSafe && startsLikeFormula(field);
    // A field starting with a UTF-8 byte order mark is quoted too: first in a file, a reader
    // would otherwise take its first three bytes for the file's BOM and drop them.
    bool quote = field.empty() ? false
                               : (field.front() == ' ' || field.back() == ' ' ||
                                  field.starts_with("\xEF\xBB\xBF"));
    if (!quote) {
        for (char c : field) {
            if (c == options.delimiter || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
    }
    if (!quote) {
        if (guard)
            out += '\'';
        out += field;
        return;
    }
    out += '"';
    if (guard)
        out += '\'';
    for (char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void appendCsvValue(std::string &out, const Value &value, const CsvWriteOptions &options)
{
    switch (value.type) {
    case ValueType::Null:
        return;
    case ValueType::Text:
        if (value.text.empty()) {
            out += "\"\"";
            return;
        }
        appendCsvField(out, value.text, options);
        return;
    case ValueType::Integer:
    case ValueType::Real: {
        // Negative numbers start with '-' but are data, not formulas: never guarded.
        value.appendTo(out);
        return;
    }
    }
}

} // namespace sluice

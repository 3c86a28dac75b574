#include "data/value.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace sluice {

void Value::appendTo(std::string &out) const
{
    switch (type) {
    case ValueType::Null:
        return;
    case ValueType::Integer: {
        std::array<char, 24> buf;
        auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), integer);
        out.append(buf.data(), end);
        return;
    }
    case ValueType::Real: {
        if (std::isnan(real)) {
            out += "NaN";
            return;
        }
        if (std::isinf(real)) {
            out += real > 0 ? "Infinity" : "-Infinity";
            return;
        }
        std::array<char, 32> buf;
        auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), real);
        out.append(buf.data(), end);
        return;
    }
    case ValueType::Text:
        out += text;
        return;
    }
}

std::string Value::toString() const
{
    std::string s;
    appendTo(s);
    return s;
}

bool Value::operator==(const Value &other) const
{
    if (type != other.type)
        return false;
    switch (type) {
    case ValueType::Null:
        return true;
    case ValueType::Integer:
        return integer == other.integer;
    case ValueType::Real:
        return real == other.real || (std::isnan(real) && std::isnan(other.real));
    case ValueType::Text:
        return text == other.text;
    }
    return false;
}

const char *columnTypeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Unknown:
        return "any";
    case ColumnType::Integer:
        return "integer";
    case ColumnType::Real:
        return "number";
    case ColumnType::Text:
        return "text";
    case ColumnType::Boolean:
        return "boolean";
    case ColumnType::Date:
        return "date";
    case ColumnType::DateTime:
        return "datetime";
    }
    return "any";
}

ColumnType columnTypeFromName(std::string_view name)
{
    for (auto t : {ColumnType::Unknown, ColumnType::Integer, ColumnType::Real, ColumnType::Text,
                   ColumnType::Boolean, ColumnType::Date, ColumnType::DateTime}) {
        if (name == columnTypeName(t))
            return t;
    }
    return ColumnType::Unknown;
}

ColumnType columnTypeFromSql(std::string_view declared)
{
    std::string up(declared);
    std::transform(up.begin(), up.end(), up.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    auto has = [&](const char *s) { return up.find(s) != std::string::npos; };
    if (up.empty())
        return ColumnType::Unknown;
    // Names people use for dates and booleans first; then SQLite's affinity rules (3.1).
    if (has("DATETIME") || has("TIMESTAMP"))
        return ColumnType::DateTime;
    if (has("DATE"))
        return ColumnType::Date;
    if (has("BOOL"))
        return ColumnType::Boolean;
    if (has("INT"))
        return ColumnType::Integer;
    if (has("CHAR") || has("CLOB") || has("TEXT"))
        return ColumnType::Text;
    if (has("BLOB"))
        return ColumnType::Unknown;
    if (has("REAL") || has("FLOA") || has("DOUB") || has("NUMERIC") || has("DECIMAL"))
        return ColumnType::Real;
    return ColumnType::Unknown;
}

} // namespace sluice

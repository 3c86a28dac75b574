#pragma once
// One cell of a row as it flows through Sluice. A plain struct rather than a variant so a
// row's buffers are reused from one row to the next while streaming millions of rows.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

enum class ValueType : std::uint8_t
{
    Null,
    Integer,
    Real,
    Text
};

// What a column or field holds, as declared or inferred. Text is the fallback.
enum class ColumnType : std::uint8_t
{
    Unknown,
    Integer,
    Real,
    Text,
    Boolean,
    Date,
    DateTime
};

struct Value
{
    ValueType type = ValueType::Null;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;

    bool isNull() const { return type == ValueType::Null; }
    void setNull() { type = ValueType::Null; }
    void setInteger(std::int64_t v)
    {
        type = ValueType::Integer;
        integer = v;
    }
    void setReal(double v)
    {
        type = ValueType::Real;
        real = v;
    }
    void setText(std::string_view v)
    {
        type = ValueType::Text;
        text.assign(v);
    }

    // Canonical text form: integers in decimal, reals shortest round-trip, NULL as "".
    std::string toString() const;
    void appendTo(std::string &out) const;
    bool operator==(const Value &other) const;
};

using Row = std::vector<Value>;

struct Column
{
    std::string name;
    ColumnType type = ColumnType::Unknown;
};

const char *columnTypeName(ColumnType type);
ColumnType columnTypeFromName(std::string_view name);    // Unknown when not recognised
ColumnType columnTypeFromSql(std::string_view declared); // SQLite declared-type affinity rules

} // namespace sluice

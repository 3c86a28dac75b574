#pragma once
// A sync's field mapping: which model column (or constant) feeds which destination field,
// through which transforms. Stored by column *name*, so a model whose columns change shows
// what vanished instead of silently shifting links.

#include "data/value.h"
#include "util/error.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sluice {

struct Transform
{
    enum class Kind : std::uint8_t
    {
        Trim,           // strip leading/trailing white space
        Lower,          // lower-case (Unicode-aware)
        Upper,          // upper-case (Unicode-aware)
        DefaultIfEmpty, // arg: the value used when the input is NULL or ""
        DateFormat,     // arg: a Qt date format ("dd/MM/yyyy"); input ISO 8601 date/time or epoch s
        NumberFormat,   // arg: decimals, e.g. "2" → 1234.50
    };
    Kind kind = Kind::Trim;
    std::string arg;

    bool operator==(const Transform &) const = default;
};

struct FieldMapping
{
    std::string column;                  // model column; empty when constant is set
    std::optional<std::string> constant; // a static value instead of a column
    std::string field;                   // destination field
    std::vector<Transform> transforms;   // applied in order

    bool operator==(const FieldMapping &) const = default;
};

struct Mapping
{
    std::vector<FieldMapping> fields;

    std::vector<std::string> destinationFields() const;
    bool operator==(const Mapping &) const = default;
};

const char *transformKindName(Transform::Kind kind);
std::optional<Transform::Kind> transformKindFromName(std::string_view name);

// JSON form, as stored in the workspace and in exported configs:
// [{"column": "email", "field": "Email", "transforms": [{"op": "trim"}, {"op": "lower"}]},
//  {"constant": "warehouse", "field": "Lead source"}]
// Transforms with an argument: {"op": "default", "value": "n/a"}, {"op": "date", "format":
// "dd/MM/yyyy"}, {"op": "number", "decimals": 2}.
nlohmann::json mappingToJson(const Mapping &mapping);
Result<Mapping> mappingFromJson(const nlohmann::json &json);

// A mapping bound to the columns of one row stream, ready to apply to millions of rows.
class CompiledMapping
{
public:
    // Fails naming every mapped column the model no longer has, and every duplicate field.
    static Result<CompiledMapping> compile(const Mapping &mapping,
                                           const std::vector<Column> &columns);

    std::size_t size() const { return m_steps.size(); }
    // Fills out (one value per mapped field). Returns false with a message naming the field and
    // the offending value when a transform cannot apply (e.g. "abc" is not a date).
    bool apply(const Row &in, Row &out, std::string &error) const;

private:
    // A transform with its argument parsed once at compile time, not once per row.
    struct CompiledTransform
    {
        Transform::Kind kind = Transform::Kind::Trim;
        std::string text; // DefaultIfEmpty: the replacement
        QString format;   // DateFormat: the Qt format
        int decimals = 0; // NumberFormat
    };
    struct Step
    {
        int column = -1; // -1: constant (already transformed at compile time)
        Value constant;
        std::string field;
        std::vector<CompiledTransform> transforms;
    };
    static bool runTransforms(const Step &step, Value &value, std::string &error);

    std::vector<Step> m_steps;
};

} // namespace sluice

#pragma once
// Auto-map: proposes links from model columns to destination fields by name. Exact names
// first, then names (or the fields' labels, e.g. HubSpot's "Company Name") equal once case,
// underscores, dashes, dots and spaces are ignored. It never
// touches a field the existing mapping already feeds, nor uses a column twice.

#include "destinations/destination.h"
#include "mapping/mapping.h"

namespace sluice {

enum class MatchKind
{
    Exact,
    Normalized
};

struct MappingSuggestion
{
    std::string column;
    std::string field;
    MatchKind match = MatchKind::Exact;
};

std::vector<MappingSuggestion> autoMap(const std::vector<Column> &columns,
                                       const std::vector<FieldInfo> &fields,
                                       const Mapping &existing);

// "First_Name", "first name" and "firstname" all normalise to "firstname".
std::string normalizeName(std::string_view name);

} // namespace sluice

#pragma once
// Dates and times as databases write them (ISO 8601), read without allocating: destinations
// turn millions of values into the numbers their APIs want (HubSpot's milliseconds, Salesforce's
// dates) and reject a value that is not a real date before it is sent.

#include <cstdint>
#include <string_view>

namespace sluice {

// "2024-03-05" at the start of s, a real calendar date → days since 1970-01-01.
bool parseIsoDate(std::string_view s, std::int64_t &days);
// "2024-03-05", "2024-03-05 10:00", "2024-03-05T10:00:00.25Z", "2024-03-05T10:00:00+02:00"
// → milliseconds since 1970-01-01 UTC. Without a zone the time is taken as UTC.
bool parseIsoDateTime(std::string_view s, std::int64_t &ms);

} // namespace sluice

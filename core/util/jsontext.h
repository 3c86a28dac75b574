#pragma once
// Building JSON request bodies by appending text: the destinations write thousands of records a
// request, and appending escaped strings straight into one buffer avoids building a json value
// per record. nlohmann_json is used wherever a body is parsed or built whole.

#include <string>
#include <string_view>

namespace sluice {

// Appends text as a JSON string literal (quotes included). Invalid UTF-8 becomes U+FFFD, so one
// bad byte in a source row cannot make a destination refuse a whole request.
void appendJsonString(std::string &out, std::string_view text);

} // namespace sluice

#pragma once
// ASCII text helpers shared by the HTTP files (header names, methods, Retry-After): no locale,
// no allocation beyond the returned string.

#include <string>
#include <string_view>

namespace sluice::net::text {

char asciiLower(char c);
std::string toLower(std::string_view s);
std::string toUpper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool isSpace(char c); // space, tab, CR, LF
std::string_view trim(std::string_view s);

} // namespace sluice::net::text

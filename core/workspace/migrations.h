#pragma once
// The workspace schema as a list of forward migrations: step N takes a version N-1 database
// to version N. Never edit a released step; add a new one.

#include <string_view>
#include <vector>

namespace sluice {

const std::vector<std::string_view> &workspaceMigrations();

} // namespace sluice

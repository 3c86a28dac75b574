#pragma once
// Helpers shared by tests: temporary folders and small SQLite fixtures.

#include "data/value.h"

#include <QTemporaryDir>

#include <filesystem>
#include <string>

namespace sluice::test {

std::string readFile(const std::filesystem::path &path);
void writeFile(const std::filesystem::path &path, const std::string &content);

// Values, for building expected rows.
Value text(std::string_view s);
Value integer(std::int64_t i);
Value real(double d);
Value null();

} // namespace sluice::test

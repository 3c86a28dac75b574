#pragma once
// Helpers shared by tests: temporary folders and small SQLite fixtures.

#include <QTemporaryDir>

#include <filesystem>
#include <string>

namespace sluice::test {

std::string readFile(const std::filesystem::path &path);
void writeFile(const std::filesystem::path &path, const std::string &content);

} // namespace sluice::test

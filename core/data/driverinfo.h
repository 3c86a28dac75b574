#pragma once
// What a driver (source or destination kind) declares about itself: a label and the settings
// a connection of that kind needs. The GUI builds its connection dialogs from this, so a new
// driver needs no UI code.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

class SecretStore;

enum class SettingKind
{
    Text,
    Number,
    FilePath,
    FolderPath,
    Secret,
    Choice,
    Boolean
};

struct SettingSpec
{
    std::string key;
    std::string label;
    SettingKind kind = SettingKind::Text;
    nlohmann::json defaultValue;
    bool required = false;
    std::vector<std::string> choices; // for Choice
    std::string help;
};

struct DriverInfo
{
    std::string kind;  // stable id stored in the workspace, e.g. "sqlite"
    std::string label; // shown to users, e.g. "SQLite database"
    std::vector<SettingSpec> settings;
};

// Where relative paths in connection settings are resolved: the workspace file's folder, so a
// workspace and its files can move together (and sync configs can live in git). And where
// Secret settings stored as markers are read (see secrets/secretsettings.h) and drivers cache
// OAuth tokens: the workspace's secret store (Workspace::driverContext), or the user's default
// store when none is given.
struct DriverContext
{
    std::filesystem::path baseDir;
    std::shared_ptr<SecretStore> secrets;
    std::filesystem::path resolve(const std::string &path) const;
    // `secrets`, or the user's default store when none was given; never null. Drivers pass it
    // to their token providers (TokenProvider::setCache) so tokens outlive the run.
    std::shared_ptr<SecretStore> secretStore() const;
};

// Checks settings against the specs: required keys present, numbers numeric, choices valid.
// Returns a message naming the first bad setting, or empty when fine.
std::string validateSettings(const DriverInfo &info, const nlohmann::json &settings);

const char *settingKindName(SettingKind kind);

} // namespace sluice

#include "engine/connectiontest.h"

#include "destinations/destinationregistry.h"
#include "sources/sourceregistry.h"

#include <algorithm>
#include <filesystem>

namespace sluice {

namespace {

std::string plural(std::size_t n, const char *one, const char *many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The folder settings of a destination whose folder is not there yet. Asked before creating
// the destination so the message can say the first run will create it, instead of "0 files".
std::string missingFolder(const DriverInfo &info, const nlohmann::json &settings,
                          const DriverContext &context)
{
    for (const auto &spec : info.settings) {
        if (spec.kind != SettingKind::FolderPath)
            continue;
        auto it = settings.find(spec.key);
        if (it == settings.end() || !it->is_string() || it->get<std::string>().empty())
            continue;
        const std::filesystem::path folder = context.resolve(it->get<std::string>());
        std::error_code ec;
        if (!std::filesystem::exists(folder, ec))
            return folder.string();
    }
    return {};
}

Result<std::string> testSource(const ConnectionDef &connection, const DriverContext &context)
{
    auto source = createSource(connection.kind, connection.settings, context);
    if (!source)
        return std::unexpected(source.error());
    auto tables = (*source)->tables();
    if (!tables)
        return std::unexpected(tables.error());
    return "Connected: " + plural(tables->size(), "table", "tables") + ".";
}

Result<std::string> testDestination(const ConnectionDef &connection, const DriverContext &context)
{
    const DestinationDriver *driver = findDestinationDriver(connection.kind);
    auto destination = createDestination(connection.kind, connection.settings, context);
    if (!destination)
        return std::unexpected(destination.error());
    const std::string missing =
        driver ? missingFolder(driver->info, connection.settings, context) : std::string();
    auto objects = (*destination)->objects();
    if (!objects)
        return std::unexpected(objects.error());
    if (!missing.empty())
        return "Connected: the folder " + missing +
               " does not exist yet; it will be created on the first run.";
    // A driver with a folder setting keeps its objects as files in that folder.
    const bool folderBased =
        driver &&
        std::any_of(driver->info.settings.begin(), driver->info.settings.end(),
                    [](const SettingSpec &s) { return s.kind == SettingKind::FolderPath; });
    if (folderBased)
        return "Connected: the folder has " + plural(objects->size(), "file", "files") + ".";
    return "Connected: " + plural(objects->size(), "object", "objects") + ".";
}

} // namespace

Result<std::string> testConnection(const ConnectionDef &connection, const DriverContext &context)
{
    if (connection.role == ConnectionRole::Source)
        return testSource(connection, context);
    return testDestination(connection, context);
}

} // namespace sluice

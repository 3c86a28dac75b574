#include "sources/sourceregistry.h"

#include "secrets/secretsettings.h"
#include "sources/csvsource.h"
#include "sources/sqlitesource.h"

namespace sluice {

const std::vector<SourceDriver> &sourceDrivers()
{
    static const std::vector<SourceDriver> drivers = {
        {sqliteSourceDriverInfo(), createSqliteSource},
        {csvSourceDriverInfo(), createCsvSource},
    };
    return drivers;
}

const SourceDriver *findSourceDriver(std::string_view kind)
{
    for (const auto &d : sourceDrivers()) {
        if (d.info.kind == kind)
            return &d;
    }
    return nullptr;
}

Result<std::unique_ptr<Source>>
createSource(const std::string &kind, const nlohmann::json &settings, const DriverContext &context)
{
    const SourceDriver *driver = findSourceDriver(kind);
    if (!driver)
        return fail(ErrorKind::Invalid, "\"" + kind +
                                            "\" is not a source type this version of "
                                            "Sluice knows.");
    // Drivers get real values: secrets come out of the secret store or the environment here.
    auto resolved = resolveSecretSettings(driver->info, settings, *context.secretStore());
    if (!resolved)
        return std::unexpected(resolved.error());
    if (auto msg = validateSettings(driver->info, *resolved); !msg.empty())
        return fail(ErrorKind::Invalid, msg);
    return driver->create(*resolved, context);
}

} // namespace sluice

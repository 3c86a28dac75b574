#include "destinations/destinationregistry.h"

#include "destinations/csvdestination.h"
#include "destinations/googlesheetsdestination.h"
#include "destinations/hubspotdestination.h"
#include "destinations/salesforcedestination.h"
#include "destinations/webhookdestination.h"
#include "secrets/secretsettings.h"

namespace sluice {

const std::vector<DestinationDriver> &destinationDrivers()
{
    static const std::vector<DestinationDriver> drivers = {
        {csvDestinationDriverInfo(), createCsvDestination},
        {hubSpotDestinationDriverInfo(), createHubSpotDestination},
        {salesforceDestinationDriverInfo(), createSalesforceDestination},
        {googleSheetsDestinationDriverInfo(), createGoogleSheetsDestination},
        {webhookDestinationDriverInfo(), createWebhookDestination},
    };
    return drivers;
}

const DestinationDriver *findDestinationDriver(std::string_view kind)
{
    for (const auto &d : destinationDrivers()) {
        if (d.info.kind == kind)
            return &d;
    }
    return nullptr;
}

Result<std::unique_ptr<Destination>> createDestination(const std::string &kind,
                                                       const nlohmann::json &settings,
                                                       const DriverContext &context)
{
    const DestinationDriver *driver = findDestinationDriver(kind);
    if (!driver)
        return fail(ErrorKind::Invalid, "\"" + kind +
                                            "\" is not a destination type this version "
                                            "of Sluice knows.");
    // Drivers get real values: secrets come out of the secret store or the environment here.
    auto resolved = resolveSecretSettings(driver->info, settings, *context.secretStore());
    if (!resolved)
        return std::unexpected(resolved.error());
    if (auto msg = validateSettings(driver->info, *resolved); !msg.empty())
        return fail(ErrorKind::Invalid, msg);
    return driver->create(*resolved, context);
}

} // namespace sluice

#pragma once
// The HubSpot destination (CRM v3 with a private app's access token): contacts, companies and
// custom objects, their properties for the mapping canvas (unique ones as candidate keys,
// read-only ones marked, hidden ones left out), and writers that upsert, update, create and
// archive in batches of 100.

#include "data/driverinfo.h"
#include "destinations/destination.h"
#include "destinations/hubspotapi.h"
#include "net/clienttotals.h"

#include <memory>
#include <mutex>

namespace sluice {

DriverInfo hubSpotDestinationDriverInfo();
Result<std::unique_ptr<Destination>> createHubSpotDestination(const nlohmann::json &settings,
                                                              const DriverContext &context);

class HubSpotDestination final : public Destination
{
public:
    explicit HubSpotDestination(HubSpotConfig config);

    DestinationCaps capabilities() const override;
    Result<std::vector<ObjectInfo>> objects() override;
    Result<std::vector<FieldInfo>> fields(const std::string &object) override;
    Result<std::unique_ptr<Writer>> openWriter(const WriteSpec &spec) override;

    // What the HTTP clients of this destination's writers did so far (requests, retries, waits):
    // the engine's run record does not see the retries the HTTP layer makes on its own.
    net::ClientStats httpStats() const;

private:
    HubSpotConfig m_config;
    std::unique_ptr<HubSpotApi> m_api; // for objects() and fields(); writers get their own
    std::shared_ptr<net::ClientTotals> m_totals = std::make_shared<net::ClientTotals>();
};

} // namespace sluice

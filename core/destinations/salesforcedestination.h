#pragma once
// The Salesforce destination (REST API with a connected app's client credentials or JWT
// bearer sign-in): the org's createable sObjects and their fields for the mapping canvas
// (External ID and idLookup fields as candidate keys, read-only ones marked), and writers that
// upsert, update, create and delete through sObject Collections, or through Bulk API 2.0 jobs
// for change sets from the Bulk API threshold up.

#include "data/driverinfo.h"
#include "destinations/destination.h"
#include "destinations/salesforceapi.h"
#include "net/clienttotals.h"

#include <memory>
#include <mutex>

namespace sluice {

DriverInfo salesforceDestinationDriverInfo();
Result<std::unique_ptr<Destination>> createSalesforceDestination(const nlohmann::json &settings,
                                                                 const DriverContext &context);
// The connection's settings as a configuration (the private key file read, the login URL
// checked), with a token provider that caches sessions in the context's secret store.
Result<SalesforceConfig> salesforceConfigFromSettings(const nlohmann::json &settings,
                                                      const DriverContext &context);

class SalesforceDestination final : public Destination
{
public:
    // Signs in with config.tokens, or with a provider made from the config's credentials.
    explicit SalesforceDestination(SalesforceConfig config);

    DestinationCaps capabilities() const override;
    Result<std::vector<ObjectInfo>> objects() override;
    Result<std::vector<FieldInfo>> fields(const std::string &object) override;
    Result<std::unique_ptr<Writer>> openWriter(const WriteSpec &spec) override;

    // Stops requests in flight and Bulk API polling of the writers opened from now on (the
    // engine does not hand writers its cancel token yet). May be null.
    void setCancelToken(CancelToken *cancel) { m_cancel = cancel; }
    // What the HTTP clients of this destination's writers did so far (requests, retries, waits):
    // the engine's run record does not see the retries the HTTP layer makes on its own.
    net::ClientStats httpStats() const;
    // The org's API usage as Salesforce last reported it.
    SalesforceApiUsage apiUsage() const { return m_api->usage(); }
    const SalesforceConfig &config() const { return m_config; }

    // Records one write() hands to one Bulk API job at most (bounds the engine's batch, and so
    // memory); change sets below the threshold but above this go as several batches.
    static constexpr std::size_t kMaxBulkBatch = 50'000;

private:
    SalesforceConfig m_config;
    std::unique_ptr<SalesforceApi> m_api; // for objects() and fields(); writers get their own
    CancelToken *m_cancel = nullptr;
    std::shared_ptr<net::ClientTotals> m_totals = std::make_shared<net::ClientTotals>();
};

} // namespace sluice

#pragma once
// The Google Sheets destination (Sheets API v4 with a service account's key file): the tabs of
// one spreadsheet are its objects, a tab's header row its fields (any name may be mapped: a
// new name becomes a new column, a new tab is created on the first run), and writers that
// mirror, upsert, update or insert rows by a key column.

#include "data/driverinfo.h"
#include "destinations/destination.h"
#include "destinations/googlesheetsapi.h"
#include "net/clienttotals.h"

#include <memory>
#include <mutex>

namespace sluice {

DriverInfo googleSheetsDestinationDriverInfo();
Result<std::unique_ptr<Destination>> createGoogleSheetsDestination(const nlohmann::json &settings,
                                                                   const DriverContext &context);
// A connection's settings as a client configuration: reads the key file (the private key stays
// in memory and in the user's file, nowhere else) and caches tokens in the context's store.
Result<GoogleSheetsConfig> googleSheetsConfig(const nlohmann::json &settings,
                                              const DriverContext &context);

class GoogleSheetsDestination final : public Destination
{
public:
    explicit GoogleSheetsDestination(GoogleSheetsConfig config);

    DestinationCaps capabilities() const override;
    Result<std::vector<ObjectInfo>> objects() override;
    Result<std::vector<FieldInfo>> fields(const std::string &object) override;
    // True when the tab is gone or holds no rows below its header (someone cleared it).
    bool recordsLost(const std::string &object) override;
    Result<std::unique_ptr<Writer>> openWriter(const WriteSpec &spec) override;

    const GoogleSheetsConfig &config() const { return m_config; }
    // What the HTTP clients of this destination's writers did so far (requests, retries, waits).
    net::ClientStats httpStats() const;

    // Rows per write(): a few requests of about a megabyte each.
    static constexpr std::size_t kBatchSize = 10'000;

private:
    GoogleSheetsConfig m_config;
    std::unique_ptr<GoogleSheetsApi> m_api; // for objects() and fields(); writers get their own
    std::shared_ptr<net::ClientTotals> m_totals = std::make_shared<net::ClientTotals>();
};

} // namespace sluice

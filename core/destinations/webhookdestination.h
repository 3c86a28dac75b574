#pragma once
// The webhook destination: POSTs each change as an event (record.created, record.updated,
// record.deleted) in JSON batches to a URL the user gives, signed the Standard Webhooks way
// when a secret is set, for receivers such as an automation tool, a serverless function or a
// team's own service. It has one object, "events", whose fields are whatever the mapping names.

#include "data/driverinfo.h"
#include "destinations/destination.h"
#include "destinations/webhookwriter.h"
#include "net/clienttotals.h"

#include <memory>
#include <mutex>

namespace sluice {

DriverInfo webhookDestinationDriverInfo();
Result<std::unique_ptr<Destination>> createWebhookDestination(const nlohmann::json &settings,
                                                              const DriverContext &context);

class WebhookDestination final : public Destination
{
public:
    explicit WebhookDestination(WebhookConfig config);
    ~WebhookDestination() override;

    DestinationCaps capabilities() const override;
    // Checks that something answers at the URL (a HEAD request, which a receiver must not act
    // on), so testing the connection finds a wrong address, a refused TLS certificate or a
    // disabled endpoint (410) before a sync runs; then offers the one object, "events".
    Result<std::vector<ObjectInfo>> objects() override;
    Result<std::vector<FieldInfo>> fields(const std::string &object) override;
    Result<std::unique_ptr<Writer>> openWriter(const WriteSpec &spec) override;

    const WebhookConfig &config() const { return m_config; }
    // What the HTTP clients of this destination's writers did so far (requests, retries, waits):
    // the engine's run record does not see the retries the HTTP layer makes on its own.
    net::ClientStats httpStats() const;

    static constexpr const char *kObject = "events";

private:
    WebhookConfig m_config;
    std::shared_ptr<net::ClientTotals> m_totals = std::make_shared<net::ClientTotals>();
};

} // namespace sluice

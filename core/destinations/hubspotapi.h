#pragma once
// HubSpot's CRM v3 API as the HubSpot destination speaks it: requests carrying the private-app
// token, the properties and custom-object listings, and HubSpot's error bodies turned into
// messages for users. Shared by the destination (schema for the mapping canvas) and its writer.

#include "destinations/destination.h"
#include "net/httpclient.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

struct HubSpotConfig
{
    std::string accessToken; // a private app's token ("pat-…"); never shown in a message
    std::string baseUrl = "https://api.hubapi.com";
    int requestsInFlight = 4;
    int timeoutMs = 60'000; // per request
    net::RetryPolicy retry;
    // HubSpot's documented limit for private apps on Professional and Enterprise accounts.
    net::RateLimit rateLimit{190, 10'000};
    std::string caFile;
    std::function<void(const std::string &line)> log; // redacted request lines, when set
};

struct HubSpotPropertyInfo
{
    std::string name;
    std::string label;
    std::string type;      // string, number, date, datetime, enumeration, bool, …
    std::string fieldType; // text, select, booleancheckbox, …
    bool unique = false;   // hasUniqueValue
    bool readOnly = false; // modificationMetadata.readOnlyValue (or calculated)
    bool hidden = false;
};

class HubSpotApi
{
public:
    explicit HubSpotApi(HubSpotConfig config);

    const HubSpotConfig &config() const { return m_config; }
    net::HttpClient &http() { return *m_http; }

    net::Request get(const std::string &pathAndQuery) const;
    net::Request post(const std::string &path, std::string body) const;

    // GET /crm/v3/properties/{objectType}, hidden ones included (callers decide).
    Result<std::vector<HubSpotPropertyInfo>> properties(const std::string &objectType);
    // GET /crm/v3/schemas: custom objects by objectTypeId, labelled with their plural label.
    // Empty when the token may not read schemas: custom objects are optional.
    Result<std::vector<ObjectInfo>> customObjects();

    // The error a failed request means for the whole run (401, 403, unknown object, daily
    // limit, …), worded for users; `what` says what Sluice was doing ("listing the properties
    // of contacts").
    Error requestError(const net::Response &response, const std::string &what) const;
    Error transportError(const Error &error, const std::string &what) const;
    // HubSpot's own words from an error body or one entry of a batch's "errors", with the
    // per-property messages of "Property values were not valid: [...]" pulled out.
    std::string message(const nlohmann::json &error) const;
    std::string message(const net::Response &response) const;
    // "503 Service Unavailable: <HubSpot's message>", for records that will be sent again.
    std::string summary(const net::Response &response) const;
    // Removes the token from text that came back from the server, just in case it echoes it.
    std::string scrub(std::string text) const;

    // True for a 429 HubSpot sent because the account's daily allowance is used up.
    static bool isDailyLimit(const net::Response &response);
    // The scopes a 403 says are missing ("crm.objects.contacts.write", …).
    static std::vector<std::string> missingScopes(const nlohmann::json &body);

private:
    HubSpotConfig m_config;
    std::unique_ptr<net::HttpClient> m_http;
};

// The object type as it goes into a URL path ("contacts", "2-1234567").
std::string hubSpotObjectPath(const std::string &objectType);

} // namespace sluice

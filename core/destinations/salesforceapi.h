#pragma once
// Salesforce's REST API as the Salesforce destination speaks it: requests to the org's
// instance (the instance_url its token endpoint names) carrying a session from a connected
// app's sign-in, renewed once when Salesforce answers 401; describeGlobal and describe for the
// mapping canvas; and Salesforce's error arrays turned into messages for users. Shared by the
// destination and its writers.

#include "destinations/destination.h"
#include "net/httpclient.h"
#include "net/tokenprovider.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sluice {

// The org's API usage as the last answer's Sforce-Limit-Info header gave it, shared by the
// destination's API clients.
struct SalesforceUsageBox
{
    std::atomic<long> used{-1}; // -1: not seen yet
    std::atomic<long> limit{-1};
};

struct SalesforceConfig
{
    enum class Auth : std::uint8_t
    {
        ClientCredentials,
        JwtBearer
    };
    // The login URL: the org's My Domain (https://acme.my.salesforce.com), or
    // https://login.salesforce.com / https://test.salesforce.com. Tokens come from
    // <loginUrl>/services/oauth2/token; the API is then reached at the token's instance_url.
    std::string loginUrl = "https://login.salesforce.com";
    Auth auth = Auth::ClientCredentials;
    std::string clientId;      // the connected app's consumer key
    std::string clientSecret;  // client credentials; never shown in a message
    std::string username;      // JWT bearer: the user to act as
    std::string privateKeyPem; // JWT bearer; never shown in a message
    std::string apiVersion = "60.0";
    int requestsInFlight = 4;
    int timeoutMs = 120'000; // per request
    // Change sets of at least this many records of one kind go through one Bulk API 2.0 job;
    // 0 never uses the Bulk API.
    std::size_t bulkThreshold = 10'000;
    int bulkPollMs = 2'000; // first wait before asking about a job; doubles up to the max
    int bulkPollMaxMs = 30'000;
    int bulkMaxWaitMs = 2 * 3'600'000; // a job not done by then is aborted
    // Bytes of CSV in one job (Salesforce takes 150 MB after base64, i.e. about 100 MB).
    std::size_t bulkUploadBytes = 100'000'000;
    net::RetryPolicy retry;
    std::string caFile;
    std::function<void(const std::string &line)> log; // redacted request lines, when set
    // Where sessions come from; made from the settings above when not given. Shared by the
    // destination and its writers, so one run signs in once.
    std::shared_ptr<net::TokenProvider> tokens;
    // Where the org's API usage is noted (shared like tokens); made when not given.
    std::shared_ptr<SalesforceUsageBox> usage;
};

struct SalesforceFieldInfo
{
    std::string name;
    std::string label;
    std::string type; // id, string, boolean, int, double, currency, percent, date, datetime, …
    int length = 0;
    bool nillable = true;
    bool createable = false;
    bool updateable = false;
    bool defaultedOnCreate = false;
    bool externalId = false;
    bool idLookup = false;
    bool unique = false;
    bool hidden = false; // deprecatedAndHidden
};

struct SalesforceObjectInfo
{
    std::string name;
    std::string label;
    bool createable = false;
    bool updateable = false;
    bool deletable = false;
    bool queryable = false;
    std::vector<SalesforceFieldInfo> fields;
    const SalesforceFieldInfo *field(const std::string &name) const; // case-insensitive
};

// The org's API allowance as the last answer's Sforce-Limit-Info header gave it.
struct SalesforceApiUsage
{
    long used = -1; // -1: not seen yet
    long limit = -1;
};

class SalesforceApi
{
public:
    // config.tokens must be set.
    explicit SalesforceApi(SalesforceConfig config);

    const SalesforceConfig &config() const { return m_config; }
    net::HttpClient &http() { return *m_http; }

    // A request relative to /services/data/vXX.X (path starts with '/'), or to the instance
    // when absolute is set (nextRecordsUrl).
    struct Call
    {
        std::string method = "GET";
        std::string path;
        std::string body;
        std::string contentType = "application/json";
        std::string accept = "application/json";
        bool absolute = false;
    };
    // Sends the calls, up to requestsInFlight at once, one result per call in order. Calls
    // answered 401 are sent again once with a new session; a second 401 is returned as it is.
    // The error is a failed sign-in or a cancel.
    Result<std::vector<Result<net::Response>>> send(std::vector<Call> calls,
                                                    CancelToken *cancel = nullptr);
    // One call; a transport failure is an error too (with `what` in its message), and so is any
    // answer other than 2xx when failNon2xx is set.
    Result<net::Response> sendOne(Call call, const std::string &what, CancelToken *cancel,
                                  bool failNon2xx = true);

    Result<std::vector<SalesforceObjectInfo>> describeGlobal(CancelToken *cancel = nullptr);
    Result<SalesforceObjectInfo> describe(const std::string &object, CancelToken *cancel = nullptr);

    // The error a failed request means for the whole run (401, 403, the daily limit, …),
    // worded for users; `what` says what Sluice was doing ("describing Contact").
    Error requestError(const net::Response &response, const std::string &what) const;
    Error transportError(const Error &error, const std::string &what) const;
    // Salesforce's error entries ({statusCode|errorCode, message, fields}) as
    // "CODE: message (field, field)", several joined with "; ".
    std::string errorsText(const nlohmann::json &errors) const;
    // The body's errors as text, or the status when the body says nothing usable.
    std::string message(const net::Response &response) const;
    // The first errorCode of a request-level error array ("" when there is none).
    static std::string errorCode(const net::Response &response);
    // 403 REQUEST_LIMIT_EXCEEDED for the org's daily total (not a concurrency limit).
    static bool isDailyLimit(const net::Response &response);
    // Removes secrets (session, client secret) from text that came back from the server.
    std::string scrub(std::string text) const;

    SalesforceApiUsage usage() const
    {
        return {m_config.usage->used.load(), m_config.usage->limit.load()};
    }

private:
    struct Session
    {
        std::string token;
        std::string base; // https://host/services/data/v60.0
        std::string instance;
    };
    Result<Session> session(CancelToken *cancel);
    net::Request build(const Call &call, const Session &session) const;
    void noteUsage(const net::Response &response);

    SalesforceConfig m_config;
    std::unique_ptr<net::HttpClient> m_http;
    mutable std::mutex m_scrubMutex;
    std::vector<std::string> m_sessionsUsed; // to scrub them from echoed text
};

// A SOQL string literal: quoted, with \ and ' escaped.
std::string soqlQuote(std::string_view text);

} // namespace sluice

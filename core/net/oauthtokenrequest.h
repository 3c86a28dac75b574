#pragma once
// One call to an OAuth 2 token endpoint (RFC 6749 §3.2): a form POST, the JSON answer (§5.1,
// plus vendors' extras such as Salesforce's instance_url), and the §5.2 error body turned into a
// plain sentence in the vendor's own words. Shared by every grant the token providers use.

#include "net/httpclient.h"
#include "net/tokenprovider.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::net {

struct TokenEndpointAnswer
{
    std::string accessToken;
    std::string tokenType;
    std::optional<std::int64_t> expiresIn; // seconds; Salesforce sends none
    std::string refreshToken;
    std::string scope;
    std::string instanceUrl;
    ~TokenEndpointAnswer();
};

struct TokenRequest
{
    std::string tokenUrl;
    std::vector<std::pair<std::string, std::string>> form;
    std::string vendor;     // "Google", "Salesforce", "HubSpot": who refused
    std::string credential; // what was refused: "the service account key", "the sign-in"
    std::string hint;       // what to do, appended to a refusal
    ~TokenRequest();
};

// Sends the request. A refusal reads "<vendor> refused <credential>: <error_description>."
// and the hint; nothing the request carried as a secret (client_secret, assertion, codes,
// refresh_token) appears in any message, even if the server echoed it. The URL must be https
// (plain http only to this machine: 127.0.0.1, ::1, localhost).
Result<TokenEndpointAnswer> requestToken(HttpClient &http, const TokenRequest &request,
                                         CancelToken *cancel = nullptr);

// The answer as a token, expiring after expires_in or, when the server does not say (Salesforce:
// the org's session timeout, 15 min at the least), after `assumedLifetime`.
AccessToken toAccessToken(const TokenEndpointAnswer &answer,
                          std::chrono::system_clock::time_point now,
                          std::chrono::seconds assumedLifetime = std::chrono::minutes(15));

// Whether a URL may carry credentials: https, or http to this machine only.
Result<void> checkCredentialUrl(const std::string &url, const std::string &what);

} // namespace sluice::net

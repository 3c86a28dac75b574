#include "net/oauthsalesforce.h"

#include "net/jwt.h"
#include "net/oauthtokenrequest.h"

#include <nlohmann/json.hpp>

namespace sluice::net {

namespace {

// Salesforce does not say how long a token lives (the org's session timeout decides, 15 minutes
// at the least); a 401 renews it sooner.
constexpr std::chrono::minutes kAssumedLifetime{15};

std::string origin(const std::string &url)
{
    const auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return url;
    const auto end = url.find('/', scheme + 3);
    return end == std::string::npos ? url : url.substr(0, end);
}

} // namespace

SalesforceClientCredentialsProvider::SalesforceClientCredentialsProvider(std::string tokenUrl,
                                                                         std::string clientId,
                                                                         std::string clientSecret)
    : m_tokenUrl(std::move(tokenUrl)), m_clientId(std::move(clientId)),
      m_clientSecret(std::move(clientSecret))
{
}

SalesforceClientCredentialsProvider::~SalesforceClientCredentialsProvider()
{
    wipeSecret(m_clientSecret);
}

Result<AccessToken> SalesforceClientCredentialsProvider::fetch(HttpClient &http,
                                                               CancelToken *cancel)
{
    if (m_clientId.empty() || m_clientSecret.empty())
        return fail(ErrorKind::Invalid, "Enter the connected app's consumer key and consumer "
                                        "secret in the connection's settings.");
    TokenRequest request;
    request.tokenUrl = m_tokenUrl;
    request.form = {{"grant_type", "client_credentials"},
                    {"client_id", m_clientId},
                    {"client_secret", m_clientSecret}};
    request.vendor = "Salesforce";
    request.credential = "the connected app's client credentials";
    request.hint = "Check the consumer key and secret, that the client credentials flow is "
                   "enabled for the connected app with a run-as user, and that the token URL is "
                   "your org's My Domain URL.";
    const auto sent = now();
    auto answer = requestToken(http, request, cancel);
    if (!answer)
        return std::unexpected(answer.error());
    return toAccessToken(*answer, sent, kAssumedLifetime);
}

std::string SalesforceClientCredentialsProvider::fingerprint() const
{
    return "salesforce-cc\n" + m_tokenUrl + "\n" + m_clientId + "\n" + sha256Hex(m_clientSecret);
}

SalesforceJwtBearerConfig::~SalesforceJwtBearerConfig()
{
    wipeSecret(privateKey);
}

SalesforceJwtBearerProvider::SalesforceJwtBearerProvider(SalesforceJwtBearerConfig config)
    : m_config(std::move(config))
{
    if (m_config.audience.empty())
        m_config.audience = origin(m_config.tokenUrl);
}

Result<std::string> SalesforceJwtBearerProvider::assertion() const
{
    const auto iat =
        std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
    // Salesforce accepts an assertion for at most 3 minutes.
    const nlohmann::json claims = {{"iss", m_config.clientId},
                                   {"sub", m_config.username},
                                   {"aud", m_config.audience},
                                   {"exp", iat + 180}};
    auto jwt = signJwtRs256(claims, m_config.privateKey);
    if (!jwt)
        return fail(jwt.error().kind,
                    "The connected app's private key is unusable: " + jwt.error().message,
                    jwt.error().detail);
    return jwt;
}

Result<AccessToken> SalesforceJwtBearerProvider::fetch(HttpClient &http, CancelToken *cancel)
{
    if (m_config.clientId.empty() || m_config.username.empty())
        return fail(ErrorKind::Invalid, "Enter the connected app's consumer key and the Salesforce "
                                        "username to sign in as.");
    auto jwt = assertion();
    if (!jwt)
        return std::unexpected(jwt.error());
    TokenRequest request;
    request.tokenUrl = m_config.tokenUrl;
    request.form = {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                    {"assertion", std::move(*jwt)}};
    request.vendor = "Salesforce";
    request.credential = "the JWT sign-in for " + m_config.username;
    request.hint = "Check the consumer key, the username, that the user is pre-authorized for "
                   "the connected app, that its certificate matches the private key, and that "
                   "the login URL fits the org (test.salesforce.com for sandboxes).";
    const auto sent = now();
    auto answer = requestToken(http, request, cancel);
    if (!answer)
        return std::unexpected(answer.error());
    return toAccessToken(*answer, sent, kAssumedLifetime);
}

std::string SalesforceJwtBearerProvider::fingerprint() const
{
    return "salesforce-jwt\n" + m_config.tokenUrl + "\n" + m_config.audience + "\n" +
           m_config.clientId + "\n" + m_config.username + "\n" + sha256Hex(m_config.privateKey);
}

} // namespace sluice::net

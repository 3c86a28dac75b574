#pragma once
// Salesforce's server-to-server sign-ins: the client-credentials flow (a connected app's
// consumer key and secret, at the org's My Domain token URL) and the JWT bearer flow (a
// connected app's certificate: a 3-minute RS256 JWT with iss = consumer key, sub = username,
// aud = login/test URL). Both answers carry instance_url, the org's API host, which the
// Salesforce destination must use (AccessToken::instanceUrl); neither says when the token
// expires, so it is renewed every 15 minutes or after a 401.

#include "net/tokenprovider.h"

namespace sluice::net {

class SalesforceClientCredentialsProvider : public TokenProvider
{
public:
    // tokenUrl: https://<MyDomain>.my.salesforce.com/services/oauth2/token
    SalesforceClientCredentialsProvider(std::string tokenUrl, std::string clientId,
                                        std::string clientSecret);
    ~SalesforceClientCredentialsProvider() override;

protected:
    Result<AccessToken> fetch(HttpClient &http, CancelToken *cancel) override;
    std::string fingerprint() const override;

private:
    std::string m_tokenUrl;
    std::string m_clientId;
    std::string m_clientSecret;
};

struct SalesforceJwtBearerConfig
{
    // https://login.salesforce.com/services/oauth2/token (test.salesforce.com for sandboxes, or
    // the My Domain URL).
    std::string tokenUrl = "https://login.salesforce.com/services/oauth2/token";
    // https://login.salesforce.com, https://test.salesforce.com or a community URL; empty: the
    // token URL's scheme and host.
    std::string audience;
    std::string clientId;   // the connected app's consumer key (iss)
    std::string username;   // the user to act as (sub)
    std::string privateKey; // PEM, the half of the connected app's certificate
    ~SalesforceJwtBearerConfig();
};

class SalesforceJwtBearerProvider : public TokenProvider
{
public:
    explicit SalesforceJwtBearerProvider(SalesforceJwtBearerConfig config);

    Result<std::string> assertion() const; // for tests

protected:
    Result<AccessToken> fetch(HttpClient &http, CancelToken *cancel) override;
    std::string fingerprint() const override;

private:
    SalesforceJwtBearerConfig m_config;
};

} // namespace sluice::net

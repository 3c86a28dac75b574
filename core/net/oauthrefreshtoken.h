#pragma once
// Access tokens from a refresh token (RFC 6749 §6), the credential the desktop sign-in leaves
// behind (oauthauthorization.h). When the vendor rotates the refresh token (HubSpot, Salesforce
// with rotation on, Google sometimes), the new one replaces the old: in memory and in the token
// cache in the secret store, which the next run reads before the configured one, so a rotation
// is never lost between runs.

#include "net/oauthauthorization.h"
#include "net/tokenprovider.h"

namespace sluice::net {

class RefreshTokenProvider : public TokenProvider
{
public:
    RefreshTokenProvider(OAuthClientConfig client, std::string refreshToken);
    ~RefreshTokenProvider() override;

    // The refresh token in use now (the configured one, or the latest rotation). Not to be
    // called while another thread is in token().
    std::string currentRefreshToken() const;

protected:
    Result<AccessToken> fetch(HttpClient &http, CancelToken *cancel) override;
    std::string fingerprint() const override;
    void restored(const AccessToken &token) override;

private:
    OAuthClientConfig m_client;
    std::string m_configured; // what the connection holds: names the cache entry
    std::string m_refreshToken;
};

} // namespace sluice::net

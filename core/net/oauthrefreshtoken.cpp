#include "net/oauthrefreshtoken.h"

#include "net/oauthtokenrequest.h"

namespace sluice::net {

RefreshTokenProvider::RefreshTokenProvider(OAuthClientConfig client, std::string refreshToken)
    : m_client(std::move(client)), m_configured(refreshToken),
      m_refreshToken(std::move(refreshToken))
{
}

RefreshTokenProvider::~RefreshTokenProvider()
{
    wipeSecret(m_configured);
    wipeSecret(m_refreshToken);
}

std::string RefreshTokenProvider::currentRefreshToken() const
{
    return m_refreshToken;
}

void RefreshTokenProvider::restored(const AccessToken &token)
{
    if (!token.refreshToken.empty())
        m_refreshToken = token.refreshToken;
}

Result<AccessToken> RefreshTokenProvider::fetch(HttpClient &http, CancelToken *cancel)
{
    if (m_refreshToken.empty())
        return fail(ErrorKind::Invalid, "Sluice is not signed in to " + m_client.vendor +
                                            " for this connection. Edit the connection and sign "
                                            "in.");
    TokenRequest request;
    request.tokenUrl = m_client.tokenUrl;
    request.form = {{"grant_type", "refresh_token"},
                    {"refresh_token", m_refreshToken},
                    {"client_id", m_client.clientId}};
    if (!m_client.clientSecret.empty())
        request.form.emplace_back("client_secret", m_client.clientSecret);
    request.vendor = m_client.vendor;
    request.credential = "the saved sign-in";
    request.hint = "The sign-in may have been revoked or may have expired: edit the connection "
                   "and sign in to " +
                   m_client.vendor + " again.";
    const auto sent = now();
    auto answer = requestToken(http, request, cancel);
    if (!answer)
        return std::unexpected(answer.error());
    AccessToken token = toAccessToken(*answer, sent, std::chrono::hours(1));
    if (!token.refreshToken.empty() && token.refreshToken != m_refreshToken) {
        wipeSecret(m_refreshToken);
        m_refreshToken = token.refreshToken; // rotated: the old one no longer works
    }
    token.refreshToken = m_refreshToken; // the cache keeps the one to use next time
    return token;
}

std::string RefreshTokenProvider::fingerprint() const
{
    return "refresh\n" + m_client.tokenUrl + "\n" + m_client.clientId + "\n" +
           sha256Hex(m_configured);
}

} // namespace sluice::net

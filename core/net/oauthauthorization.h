#pragma once
// The parts of the OAuth 2 authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636, RFC 8252
// loopback redirect) that are not UI: the URL the browser opens, checking what the loopback
// listener received, and trading the code for tokens. The GUI owns the listener on
// 127.0.0.1:<port> and the browser; it stores the refresh token it gets as the connection's
// secret, and RefreshTokenProvider keeps access tokens coming from then on.

#include "net/tokenprovider.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sluice::net {

// One app registration at one vendor. URLs default to nothing: the connection settings carry
// the vendor's real endpoints (tests point them at an emulator).
struct OAuthClientConfig
{
    std::string vendor;           // "Google", "HubSpot", "Salesforce": for messages
    std::string authorizationUrl; // e.g. https://accounts.google.com/o/oauth2/v2/auth
    std::string tokenUrl;         // e.g. https://oauth2.googleapis.com/token
    std::string clientId;
    std::string clientSecret; // optional: desktop apps' "secrets" are not secret, PKCE is the proof
    std::vector<std::string> scopes;
    // Vendor extras for the authorization URL, e.g. Google's access_type=offline and
    // prompt=consent (needed to get a refresh token).
    std::vector<std::pair<std::string, std::string>> extraParams;
    std::string redirectPath; // appended to http://127.0.0.1:<port>, e.g. "/callback"
    ~OAuthClientConfig();
};

struct AuthorizationRequest
{
    std::string url;          // for the browser
    std::string redirectUri;  // http://127.0.0.1:<port><redirectPath>
    std::string state;        // must come back unchanged
    std::string codeVerifier; // kept here, never sent until the code is exchanged
    ~AuthorizationRequest();
};

// A fresh state and code verifier, and the URL with client_id, redirect_uri, response_type=code,
// scope, code_challenge, code_challenge_method=S256, state and the extras.
Result<AuthorizationRequest> beginAuthorization(const OAuthClientConfig &client,
                                                std::uint16_t loopbackPort);

// The query the loopback listener received: the authorization code, once `state` matches
// (compared in constant time). "error" (the user declined, or the vendor refused) becomes a
// plain message.
Result<std::string> authorizationCode(const AuthorizationRequest &request,
                                      const std::map<std::string, std::string> &query,
                                      const std::string &vendor);

// Trades the code (with the verifier) at the token URL. The token's refreshToken is what the
// connection keeps; it is empty when the vendor gave none (Google: ask with access_type=offline).
Result<AccessToken> exchangeAuthorizationCode(HttpClient &http, const OAuthClientConfig &client,
                                              const AuthorizationRequest &request,
                                              const std::string &code,
                                              CancelToken *cancel = nullptr);

} // namespace sluice::net

#include "net/oauthauthorization.h"

#include "net/oauthtokenrequest.h"
#include "net/pkce.h"

namespace sluice::net {

namespace {

std::string joined(const std::vector<std::string> &parts)
{
    std::string out;
    for (const auto &p : parts)
        out += (out.empty() ? "" : " ") + p;
    return out;
}

} // namespace

OAuthClientConfig::~OAuthClientConfig()
{
    wipeSecret(clientSecret);
}

AuthorizationRequest::~AuthorizationRequest()
{
    wipeSecret(codeVerifier);
}

Result<AuthorizationRequest> beginAuthorization(const OAuthClientConfig &client,
                                                std::uint16_t loopbackPort)
{
    if (client.clientId.empty())
        return fail(ErrorKind::Invalid,
                    "No client id is set for signing in to " + client.vendor + ".");
    if (auto ok = checkCredentialUrl(client.authorizationUrl, "sign-in URL"); !ok)
        return std::unexpected(ok.error());
    if (loopbackPort == 0)
        return fail(ErrorKind::Usage, "The sign-in needs the port the app listens on.");
    auto verifier = makeCodeVerifier();
    auto state = makeState();
    if (!verifier || !state)
        return std::unexpected(!verifier ? verifier.error() : state.error());
    AuthorizationRequest request;
    // RFC 8252 §7.3: the loopback IP literal, not "localhost".
    request.redirectUri = "http://127.0.0.1:" + std::to_string(loopbackPort) + client.redirectPath;
    request.state = std::move(*state);
    request.codeVerifier = std::move(*verifier);
    std::vector<std::pair<std::string, std::string>> params = {
        {"client_id", client.clientId},
        {"redirect_uri", request.redirectUri},
        {"response_type", "code"},
    };
    if (!client.scopes.empty())
        params.emplace_back("scope", joined(client.scopes));
    params.emplace_back("code_challenge", codeChallengeS256(request.codeVerifier));
    params.emplace_back("code_challenge_method", "S256");
    params.emplace_back("state", request.state);
    for (const auto &extra : client.extraParams)
        params.push_back(extra);
    request.url = client.authorizationUrl +
                  (client.authorizationUrl.find('?') == std::string::npos ? "?" : "&") +
                  formEncode(params);
    return request;
}

Result<std::string> authorizationCode(const AuthorizationRequest &request,
                                      const std::map<std::string, std::string> &query,
                                      const std::string &vendor)
{
    auto value = [&](const char *key) {
        auto it = query.find(key);
        return it == query.end() ? std::string() : it->second;
    };
    // The state first: an answer that is not ours must not even produce an error message
    // from its content.
    if (!constantTimeEquals(value("state"), request.state))
        return fail(ErrorKind::Invalid, "The sign-in answer does not belong to this sign-in (its "
                                        "state differs). Start the sign-in again.");
    const std::string error = value("error");
    if (error == "access_denied")
        return fail(ErrorKind::Cancelled,
                    "The sign-in was declined in the browser, so Sluice has no access to " +
                        vendor + ". Sign in again and allow access.");
    if (!error.empty()) {
        std::string description = value("error_description");
        return fail(ErrorKind::Destination, vendor + " refused the sign-in: " +
                                                (description.empty() ? error : description) +
                                                ". Check the app's client id and redirect URL.");
    }
    std::string code = value("code");
    if (code.empty())
        return fail(ErrorKind::Invalid, "The sign-in answer has no authorization code. Start "
                                        "the sign-in again.");
    return code;
}

Result<AccessToken> exchangeAuthorizationCode(HttpClient &http, const OAuthClientConfig &client,
                                              const AuthorizationRequest &request,
                                              const std::string &code, CancelToken *cancel)
{
    TokenRequest r;
    r.tokenUrl = client.tokenUrl;
    r.form = {{"grant_type", "authorization_code"},
              {"code", code},
              {"redirect_uri", request.redirectUri},
              {"client_id", client.clientId},
              {"code_verifier", request.codeVerifier}};
    if (!client.clientSecret.empty())
        r.form.emplace_back("client_secret", client.clientSecret);
    r.vendor = client.vendor;
    r.credential = "the sign-in";
    r.hint = "Start the sign-in again (a code can be used once, within minutes).";
    const auto sent = std::chrono::system_clock::now();
    auto answer = requestToken(http, r, cancel);
    if (!answer)
        return std::unexpected(answer.error());
    return toAccessToken(*answer, sent, std::chrono::hours(1));
}

} // namespace sluice::net

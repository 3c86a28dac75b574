#include "net/oauthtokenrequest.h"

#include "secrets/secretstore.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace sluice::net {

namespace {

bool isSecretField(const std::string &name)
{
    return name == "client_secret" || name == "assertion" || name == "code" ||
           name == "code_verifier" || name == "refresh_token" || name == "password" ||
           name == "client_assertion";
}

std::string hideSecrets(std::string text, const TokenRequest &request)
{
    for (const auto &[name, value] : request.form) {
        if (!isSecretField(name) || value.size() < 4)
            continue;
        for (auto pos = text.find(value); pos != std::string::npos; pos = text.find(value, pos))
            text.replace(pos, value.size(), "[hidden]");
    }
    return text;
}

// RFC 6749 §5.2 codes, for servers that send no description.
std::string explainError(const std::string &code)
{
    if (code == "invalid_grant")
        return "the grant is invalid, expired or revoked";
    if (code == "invalid_client")
        return "the client id or secret is not accepted";
    if (code == "unauthorized_client")
        return "this client is not allowed to use this kind of sign-in";
    if (code == "unsupported_grant_type")
        return "this kind of sign-in is not supported";
    if (code == "invalid_scope")
        return "the requested scope is not allowed";
    if (code == "access_denied")
        return "access was denied";
    if (code == "invalid_request")
        return "the request is malformed";
    return code;
}

std::string sentence(std::string text)
{
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n'))
        text.pop_back();
    if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?')
        text += '.';
    return text;
}

std::string hostOf(const std::string &url)
{
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find_first_of("/?#", start);
    std::string host = url.substr(start, end == std::string::npos ? end : end - start);
    if (auto at = host.rfind('@'); at != std::string::npos)
        host = host.substr(at + 1); // never user:password@
    return host;
}

} // namespace

TokenEndpointAnswer::~TokenEndpointAnswer()
{
    wipeSecret(accessToken);
    wipeSecret(refreshToken);
}

TokenRequest::~TokenRequest()
{
    for (auto &[name, value] : form) {
        if (isSecretField(name))
            wipeSecret(value);
    }
}

Result<void> checkCredentialUrl(const std::string &url, const std::string &what)
{
    std::string lower = url;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.starts_with("https://"))
        return {};
    if (lower.starts_with("http://")) {
        std::string host = hostOf(lower);
        if (host.starts_with("[::1]"))
            return {};
        host = host.substr(0, host.find(':'));
        if (host == "127.0.0.1" || host == "localhost")
            return {};
        return fail(ErrorKind::Invalid, "The " + what + " " + redact(url) +
                                            " must start with https://: credentials are never "
                                            "sent unencrypted.");
    }
    return fail(ErrorKind::Invalid,
                "The " + what + " \"" + redact(url) + "\" is not a web address (https://…).");
}

Result<TokenEndpointAnswer> requestToken(HttpClient &http, const TokenRequest &request,
                                         CancelToken *cancel)
{
    if (auto ok = checkCredentialUrl(request.tokenUrl, "token URL"); !ok)
        return std::unexpected(ok.error());
    Request r;
    r.method = "POST";
    r.url = request.tokenUrl;
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Accept", "application/json"}};
    r.body = formEncode(request.form);
    r.timeoutMs = 30'000;
    auto response = http.send(std::move(r), cancel);
    if (!response) {
        if (response.error().kind == ErrorKind::Cancelled)
            return std::unexpected(response.error());
        return fail(response.error().kind,
                    "Cannot reach " + request.vendor + "'s sign-in service (" +
                        hostOf(request.tokenUrl) +
                        "): " + hideSecrets(response.error().message, request),
                    hideSecrets(response.error().detail, request));
    }
    std::string body = std::move(response->body);
    struct Wipe
    {
        std::string &text;
        ~Wipe() { wipeSecret(text); }
    } wipe{body};
    const auto json = nlohmann::json::parse(body, nullptr, false);
    const bool isObject = !json.is_discarded() && json.is_object();
    auto text = [&](const char *key) {
        auto it = isObject ? json.find(key) : json.end();
        return isObject && it != json.end() && it->is_string() ? it->get<std::string>()
                                                               : std::string();
    };
    if (response->status == 404 || response->status == 405)
        return fail(ErrorKind::Invalid,
                    "There is no sign-in service at " + redact(request.tokenUrl) + " (HTTP " +
                        std::to_string(response->status) + "). Check the token URL.",
                    "HTTP " + std::to_string(response->status));
    const std::string refusedBy = request.vendor + " refused " + request.credential + ": ";
    const std::string hint = request.hint.empty() ? std::string() : " " + request.hint;
    if (isObject && json.contains("error")) {
        // RFC 6749 §5.2: {"error": "invalid_grant", "error_description": "…"}. Some servers
        // nest it ({"error": {"message": …}}).
        std::string description = text("error_description");
        std::string code = text("error");
        if (code.empty() && json["error"].is_object())
            description = json["error"].value("message", std::string());
        if (description.empty())
            description = explainError(code);
        return fail(ErrorKind::Destination,
                    sentence(refusedBy + hideSecrets(description, request)) + hint,
                    "HTTP " + std::to_string(response->status) + ", error " + code);
    }
    if (response->status < 200 || response->status >= 300) {
        std::string message = text("message");
        if (message.empty() && isObject)
            message = text("error_description");
        return fail(ErrorKind::Destination,
                    sentence(refusedBy + (message.empty()
                                              ? "HTTP status " + std::to_string(response->status) +
                                                    " from " + redact(request.tokenUrl)
                                              : hideSecrets(message, request))) +
                        (message.empty() ? " Check the token URL." : hint),
                    "HTTP " + std::to_string(response->status));
    }
    if (!isObject || text("access_token").empty())
        return fail(ErrorKind::Destination,
                    request.vendor + "'s sign-in service (" + hostOf(request.tokenUrl) +
                        ") answered without an access token. Check the token URL.",
                    "HTTP " + std::to_string(response->status));
    TokenEndpointAnswer answer;
    answer.accessToken = text("access_token");
    answer.tokenType = text("token_type");
    answer.refreshToken = text("refresh_token");
    answer.scope = text("scope");
    answer.instanceUrl = text("instance_url");
    if (auto it = json.find("expires_in"); it != json.end()) {
        if (it->is_number_integer())
            answer.expiresIn = it->get<std::int64_t>();
        else if (it->is_string()) {
            try {
                answer.expiresIn = std::stoll(it->get<std::string>());
            } catch (...) {
            }
        }
    }
    if (!answer.tokenType.empty()) {
        std::string type = answer.tokenType;
        std::transform(type.begin(), type.end(), type.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (type != "bearer")
            return fail(ErrorKind::Destination,
                        request.vendor + "'s sign-in service answered with a \"" +
                            answer.tokenType + "\" token; Sluice needs a Bearer token.");
    }
    return answer;
}

AccessToken toAccessToken(const TokenEndpointAnswer &answer,
                          std::chrono::system_clock::time_point now,
                          std::chrono::seconds assumedLifetime)
{
    AccessToken token;
    token.accessToken = answer.accessToken;
    token.obtainedAt = now;
    const auto lifetime = answer.expiresIn && *answer.expiresIn > 0
                              ? std::chrono::seconds(*answer.expiresIn)
                              : assumedLifetime;
    token.expiresAt = now + lifetime;
    token.instanceUrl = answer.instanceUrl;
    token.scope = answer.scope;
    token.refreshToken = answer.refreshToken;
    return token;
}

} // namespace sluice::net

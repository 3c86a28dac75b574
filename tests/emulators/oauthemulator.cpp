#include "oauthemulator.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <array>
#include <memory>
#include <optional>

namespace sluice::emu {

namespace {

using Form = std::map<std::string, std::string>;

std::string percentDecode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
                   hex(text[i + 2]) >= 0) {
            out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string percentEncode(std::string_view text)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

Form parseForm(std::string_view body)
{
    Form form;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t end = body.find('&', pos);
        if (end == std::string_view::npos)
            end = body.size();
        const std::string_view item = body.substr(pos, end - pos);
        if (!item.empty()) {
            const auto eq = item.find('=');
            form[percentDecode(item.substr(0, eq))] =
                eq == std::string_view::npos ? std::string() : percentDecode(item.substr(eq + 1));
        }
        pos = end + 1;
    }
    return form;
}

std::string value(const Form &form, const char *key)
{
    auto it = form.find(key);
    return it == form.end() ? std::string() : it->second;
}

std::optional<std::string> base64UrlDecode(std::string_view text)
{
    std::array<int, 256> table;
    table.fill(-1);
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(alphabet[i])] = i;
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int v = table[static_cast<unsigned char>(c)];
        if (v < 0)
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

std::string base64UrlEncode(const unsigned char *data, std::size_t size)
{
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < size; ++i) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(buffer >> bits) & 63];
        }
    }
    if (bits > 0)
        out += alphabet[(buffer << (6 - bits)) & 63];
    return out;
}

struct Jwt
{
    nlohmann::json header;
    nlohmann::json claims;
    std::string signingInput;
    std::string signature;
};

std::optional<Jwt> splitJwt(const std::string &jwt)
{
    const auto a = jwt.find('.');
    const auto b = a == std::string::npos ? a : jwt.find('.', a + 1);
    if (b == std::string::npos || jwt.find('.', b + 1) != std::string::npos)
        return std::nullopt;
    auto header = base64UrlDecode(std::string_view(jwt).substr(0, a));
    auto claims = base64UrlDecode(std::string_view(jwt).substr(a + 1, b - a - 1));
    auto signature = base64UrlDecode(std::string_view(jwt).substr(b + 1));
    if (!header || !claims || !signature)
        return std::nullopt;
    Jwt out;
    out.header = nlohmann::json::parse(*header, nullptr, false);
    out.claims = nlohmann::json::parse(*claims, nullptr, false);
    if (!out.header.is_object() || !out.claims.is_object())
        return std::nullopt;
    out.signingInput = jwt.substr(0, b);
    out.signature = std::move(*signature);
    return out;
}

// RS256: RSASSA-PKCS1-v1_5 with SHA-256 under the registered public key.
bool signatureValid(const Jwt &jwt, const std::string &publicKeyPem)
{
    if (jwt.header.value("alg", "") != "RS256")
        return false;
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(publicKeyPem.data(), static_cast<int>(publicKeyPem.size())), BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    if (!key)
        return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(),
                            reinterpret_cast<const unsigned char *>(jwt.signature.data()),
                            jwt.signature.size(),
                            reinterpret_cast<const unsigned char *>(jwt.signingInput.data()),
                            jwt.signingInput.size()) == 1;
}

std::string sha256Base64Url(const std::string &text)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
    return base64UrlEncode(digest, size);
}

std::int64_t unixNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool isLoopbackRedirect(const std::string &uri)
{
    for (const char *prefix : {"http://127.0.0.1:", "http://[::1]:"}) {
        if (!uri.starts_with(prefix))
            continue;
        std::size_t i = std::string_view(prefix).size();
        std::size_t digits = 0;
        while (i < uri.size() && std::isdigit(static_cast<unsigned char>(uri[i]))) {
            ++i;
            ++digits;
        }
        return digits > 0 && (i == uri.size() || uri[i] == '/');
    }
    return false;
}

} // namespace

OAuthEmulator::OAuthEmulator()
{
    // A throwaway test key, made fresh for every emulator: it signs nothing outside the tests.
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
    auto pem = [](auto write) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        write(bio.get());
        char *data = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    };
    m_privateKey = pem([&](BIO *b) {
        PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    m_publicKey = pem([&](BIO *b) { PEM_write_bio_PUBKEY(b, key.get()); });
    addServiceAccount(kServiceAccount, m_publicKey);
    addClient(kClientId, kClientSecret);
    setSalesforceApp(kSalesforceClientId, kSalesforceClientSecret, m_publicKey);
}

std::string OAuthEmulator::serviceAccountKeyFile(const std::string &tokenUri) const
{
    return nlohmann::json{
        {"type", "service_account"},
        {"project_id", "example-project"},
        {"private_key_id", "test-key-1"},
        {"private_key", m_privateKey},
        {"client_email", kServiceAccount},
        {"client_id", "123"},
        {"auth_uri", "https://accounts.google.com/o/oauth2/auth"},
        {"token_uri", tokenUri},
        {"auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs"},
        {"client_x509_cert_url",
         "https://www.googleapis.com/robot/v1/metadata/x509/sa%40example-project.iam."
         "gserviceaccount.com"},
        {"universe_domain", "googleapis.com"}}
        .dump(2);
}

void OAuthEmulator::addServiceAccount(const std::string &clientEmail,
                                      const std::string &publicKeyPem)
{
    m_serviceAccounts[clientEmail] = publicKeyPem;
}

void OAuthEmulator::removeServiceAccount(const std::string &clientEmail)
{
    m_serviceAccounts.erase(clientEmail);
}

void OAuthEmulator::addClient(const std::string &clientId, const std::string &clientSecret)
{
    m_clients[clientId] = clientSecret;
}

void OAuthEmulator::setSalesforceApp(const std::string &clientId, const std::string &clientSecret,
                                     const std::string &publicKeyPem)
{
    m_sfClientId = clientId;
    m_sfClientSecret = clientSecret;
    m_sfPublicKey = publicKeyPem;
    m_clients[clientId] = clientSecret;
}

void OAuthEmulator::addRefreshToken(const std::string &token, const std::string &clientId)
{
    m_refreshTokens[token] = clientId;
}

bool OAuthEmulator::isValidAccessToken(const std::string &token) const
{
    auto it = m_accessTokens.find(token);
    return it != m_accessTokens.end() && std::chrono::system_clock::now() < it->second;
}

std::string OAuthEmulator::newToken(const char *prefix) const
{
    unsigned char bytes[24];
    RAND_bytes(bytes, sizeof bytes);
    return prefix + base64UrlEncode(bytes, sizeof bytes);
}

EmuReply OAuthEmulator::handle(const EmuRequest &request)
{
    const std::string &p = request.path;
    if (request.method == "POST") {
        if (p == "/token" || p == "/o/oauth2/token")
            return token(Vendor::Google, request);
        if (p == "/services/oauth2/token")
            return token(Vendor::Salesforce, request);
        if (p == "/oauth/v1/token")
            return token(Vendor::HubSpot, request);
    }
    if (request.method == "GET") {
        if (p == "/o/oauth2/v2/auth")
            return authorize(Vendor::Google, request);
        if (p == "/services/oauth2/authorize")
            return authorize(Vendor::Salesforce, request);
        if (p == "/oauth/authorize")
            return authorize(Vendor::HubSpot, request);
    }
    return EmuReply::json(404, {{"error", "not_found"}, {"error_description", "No such endpoint"}});
}

EmuReply OAuthEmulator::refuse(Vendor vendor, int status, const std::string &error,
                               const std::string &description)
{
    ++refusals;
    if (vendor == Vendor::HubSpot) {
        // HubSpot's own shape, not RFC 6749's [UNCONFIRMED status names other than
        // BAD_REFRESH_TOKEN].
        return EmuReply::json(status, {{"status", error},
                                       {"message", description},
                                       {"correlationId", "00000000-0000-4000-8000-000000000000"}});
    }
    return EmuReply::json(status, {{"error", error}, {"error_description", description}});
}

EmuReply OAuthEmulator::token(Vendor vendor, const EmuRequest &request)
{
    lastForms.push_back(request.body);
    if (lastForms.size() > 20)
        lastForms.erase(lastForms.begin());
    const std::string type = request.header("content-type");
    if (!type.starts_with("application/x-www-form-urlencoded"))
        return refuse(vendor, 400, vendor == Vendor::HubSpot ? "BAD_REQUEST" : "invalid_request",
                      "The request must be form-encoded (application/x-www-form-urlencoded).");
    const Form form = parseForm(request.body);
    const std::string grant = value(form, "grant_type");
    if (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer" && vendor == Vendor::Google)
        return googleJwt(request, form);
    if (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer" && vendor == Vendor::Salesforce)
        return salesforceJwt(request, form);
    if (grant == "client_credentials" && vendor == Vendor::Salesforce)
        return clientCredentials(form);
    if (grant == "refresh_token")
        return refresh(vendor, form);
    if (grant == "authorization_code")
        return authorizationCode(vendor, form);
    if (vendor == Vendor::HubSpot)
        return refuse(vendor, 400, "BAD_GRANT_TYPE", "missing or unknown grant type");
    return refuse(vendor, 400, "unsupported_grant_type", "Invalid grant_type: " + grant);
}

EmuReply OAuthEmulator::googleJwt(const EmuRequest &request, const Form &form)
{
    const auto jwt = splitJwt(value(form, "assertion"));
    if (!jwt)
        return refuse(Vendor::Google, 400, "invalid_request",
                      "Invalid JWT format."); // [UNCONFIRMED]
    const std::string iss = jwt->claims.value("iss", "");
    auto account = m_serviceAccounts.find(iss);
    if (account == m_serviceAccounts.end())
        return refuse(Vendor::Google, 400, "invalid_grant", "Invalid grant: account not found");
    if (!signatureValid(*jwt, account->second))
        return refuse(Vendor::Google, 400, "invalid_grant", "Invalid JWT Signature.");
    // The audience is this very endpoint, as the key file's token_uri names it.
    const std::string self = "http://" + request.header("host") + request.path;
    if (jwt->claims.value("aud", "") != self)
        return refuse(Vendor::Google, 400, "invalid_grant",
                      "Invalid JWT: Failed audience check. The right audience is " + self);
    const auto &claims = jwt->claims;
    const std::int64_t now = unixNow();
    const bool timesOk =
        claims.contains("iat") && claims["iat"].is_number_integer() && claims.contains("exp") &&
        claims["exp"].is_number_integer() && claims["exp"].get<std::int64_t>() > now &&
        claims["iat"].get<std::int64_t>() <= now + 300 &&
        claims["exp"].get<std::int64_t>() - claims["iat"].get<std::int64_t>() <= 3600;
    if (!timesOk)
        return refuse(Vendor::Google, 400, "invalid_grant",
                      "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                      "reasonable timeframe. Check your iat and exp values in the JWT claim.");
    const std::string scope = claims.value("scope", "");
    if (scope.empty())
        return refuse(Vendor::Google, 400, "invalid_scope",
                      "Invalid OAuth scope or ID token audience provided."); // [UNCONFIRMED]
    return issue(Vendor::Google, "jwt-bearer", "", "");
}

EmuReply OAuthEmulator::salesforceJwt(const EmuRequest &request, const Form &form)
{
    // Salesforce's texts for these refusals are [UNCONFIRMED] (saas-apis.md §3).
    const auto jwt = splitJwt(value(form, "assertion"));
    if (!jwt)
        return refuse(Vendor::Salesforce, 400, "invalid_grant", "invalid assertion");
    if (jwt->claims.value("iss", "") != m_sfClientId)
        return refuse(Vendor::Salesforce, 400, "invalid_client_id", "client identifier invalid");
    if (!signatureValid(*jwt, m_sfPublicKey))
        return refuse(Vendor::Salesforce, 400, "invalid_grant", "invalid assertion");
    const std::string aud = jwt->claims.value("aud", "");
    const std::string self = "http://" + request.header("host");
    if (aud != "https://login.salesforce.com" && aud != "https://test.salesforce.com" &&
        aud != self)
        return refuse(Vendor::Salesforce, 400, "invalid_grant", "audience is invalid");
    const auto &claims = jwt->claims;
    const std::int64_t now = unixNow();
    if (!claims.contains("exp") || !claims["exp"].is_number_integer() ||
        claims["exp"].get<std::int64_t>() <= now || claims["exp"].get<std::int64_t>() > now + 300)
        return refuse(Vendor::Salesforce, 400, "invalid_grant", "expired authorization code");
    if (claims.value("sub", "") != kSalesforceUser)
        return refuse(Vendor::Salesforce, 400, "invalid_grant",
                      "user hasn't approved this consumer");
    return issue(Vendor::Salesforce, "jwt-bearer", "id full", "");
}

EmuReply OAuthEmulator::clientCredentials(const Form &form)
{
    const std::string id = value(form, "client_id");
    auto client = m_clients.find(id);
    if (client == m_clients.end())
        return refuse(Vendor::Salesforce, 400, "invalid_client_id", "client identifier invalid");
    if (client->second.empty() || value(form, "client_secret") != client->second)
        return refuse(Vendor::Salesforce, 400, "invalid_client", "invalid client credentials");
    return issue(Vendor::Salesforce, "client_credentials", "", "");
}

EmuReply OAuthEmulator::refresh(Vendor vendor, const Form &form)
{
    const std::string id = value(form, "client_id");
    auto client = m_clients.find(id);
    if (client == m_clients.end()) {
        if (vendor == Vendor::HubSpot)
            return refuse(vendor, 400, "BAD_CLIENT_ID", "missing or unknown client id");
        return refuse(vendor, 401, "invalid_client",
                      vendor == Vendor::Google ? "The OAuth client was not found."
                                               : "client identifier invalid");
    }
    if (!client->second.empty() && value(form, "client_secret") != client->second) {
        if (vendor == Vendor::HubSpot)
            return refuse(vendor, 400, "BAD_CLIENT_SECRET", "missing or invalid client secret");
        return refuse(vendor, 401, "invalid_client",
                      vendor == Vendor::Google ? "Unauthorized" : "invalid client credentials");
    }
    const std::string refreshToken = value(form, "refresh_token");
    auto known = m_refreshTokens.find(refreshToken);
    if (known == m_refreshTokens.end() || known->second != id) {
        if (vendor == Vendor::HubSpot)
            return refuse(vendor, 400, "BAD_REFRESH_TOKEN", "missing or invalid refresh token");
        return refuse(vendor, 400, "invalid_grant",
                      vendor == Vendor::Google ? "Token has been expired or revoked."
                                               : "expired access/refresh token");
    }
    std::string next;
    if (m_rotate) {
        m_refreshTokens.erase(known);
        next = newToken("1//rt-");
        m_refreshTokens[next] = id;
    } else if (vendor == Vendor::HubSpot) {
        next = refreshToken; // HubSpot repeats the refresh token in every answer
    }
    return issue(vendor, "refresh_token", "", next);
}

EmuReply OAuthEmulator::authorizationCode(Vendor vendor, const Form &form)
{
    const std::string codeValue = value(form, "code");
    auto it = m_codes.find(codeValue);
    if (it == m_codes.end()) {
        if (vendor == Vendor::HubSpot)
            return refuse(vendor, 400, "BAD_AUTH_CODE", "missing or unknown auth code");
        return refuse(vendor, 400, "invalid_grant",
                      vendor == Vendor::Google ? "Bad Request" : "invalid authorization code");
    }
    const Code code = it->second;
    m_codes.erase(it); // a code is good for one attempt
    const std::string id = value(form, "client_id");
    auto client = m_clients.find(id);
    if (client == m_clients.end() || id != code.clientId ||
        (!client->second.empty() && value(form, "client_secret") != client->second))
        return refuse(vendor, 401, vendor == Vendor::HubSpot ? "BAD_CLIENT_ID" : "invalid_client",
                      vendor == Vendor::Google ? "Unauthorized" : "invalid client credentials");
    if (value(form, "redirect_uri") != code.redirectUri)
        return refuse(vendor, 400,
                      vendor == Vendor::HubSpot  ? "BAD_REDIRECT_URI"
                      : vendor == Vendor::Google ? "redirect_uri_mismatch"
                                                 : "invalid_grant",
                      vendor == Vendor::Google ? "Bad Request"
                                               : "redirect_uri must match configuration");
    const std::string verifier = value(form, "code_verifier");
    if (verifier.empty())
        return refuse(vendor, 400, vendor == Vendor::HubSpot ? "BAD_REQUEST" : "invalid_grant",
                      vendor == Vendor::Google ? "Missing code verifier."
                                               : "invalid code verifier");
    if (sha256Base64Url(verifier) != code.challenge)
        return refuse(vendor, 400, vendor == Vendor::HubSpot ? "BAD_REQUEST" : "invalid_grant",
                      vendor == Vendor::Google ? "Invalid code verifier."
                                               : "invalid code verifier");
    const std::string refreshToken = newToken("1//rt-");
    m_refreshTokens[refreshToken] = id;
    return issue(vendor, "authorization_code", code.scope, refreshToken);
}

EmuReply OAuthEmulator::authorize(Vendor vendor, const EmuRequest &request)
{
    auto q = [&](const char *key) {
        auto it = request.query.find(key);
        return it == request.query.end() ? std::string() : it->second;
    };
    // Problems with the request itself are shown to the user in the browser, not redirected.
    if (m_clients.find(q("client_id")) == m_clients.end())
        return EmuReply::text(401, "Error 401: invalid_client. The OAuth client was not found.");
    const std::string redirect = q("redirect_uri");
    if (!isLoopbackRedirect(redirect))
        return EmuReply::text(400, "Error 400: redirect_uri_mismatch");
    if (q("response_type") != "code")
        return EmuReply::text(400, "Error 400: unsupported_response_type");
    if (q("code_challenge").empty() || q("code_challenge_method") != "S256")
        return EmuReply::text(400, "Error 400: invalid_request. code_challenge_method must be "
                                   "S256 and code_challenge is required.");
    std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&") +
                           "state=" + percentEncode(q("state"));
    if (!m_allows) {
        location += "&error=access_denied";
    } else {
        const std::string code = newToken(vendor == Vendor::Google ? "4/0A" : "aPrx");
        m_codes[code] = Code{q("client_id"), redirect, q("code_challenge"), q("scope")};
        location += "&code=" + percentEncode(code);
        if (vendor == Vendor::Google)
            location += "&scope=" + percentEncode(q("scope"));
    }
    EmuReply reply = EmuReply::text(302, "");
    reply.headers = {{"Location", location}};
    return reply;
}

EmuReply OAuthEmulator::issue(Vendor vendor, const std::string &grant, const std::string &scope,
                              const std::string &refreshToken)
{
    ++grants[grant];
    const int lifetime = vendor == Vendor::HubSpot ? std::min(m_lifetime, 1800) : m_lifetime;
    const std::string access = newToken(vendor == Vendor::Google       ? "ya29.test-"
                                        : vendor == Vendor::Salesforce ? "00D000000000001!AR8."
                                                                       : "CKnt-");
    m_accessTokens[access] = std::chrono::system_clock::now() + std::chrono::seconds(lifetime);
    nlohmann::json body;
    switch (vendor) {
    case Vendor::Google:
        body = {{"access_token", access}, {"expires_in", lifetime}, {"token_type", "Bearer"}};
        if (!scope.empty())
            body["scope"] = scope;
        break;
    case Vendor::Salesforce: {
        // No expires_in: the org's session timeout decides.
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
        body = {{"access_token", access},
                {"signature", "dGVzdCBzaWduYXR1cmU="},
                {"instance_url", m_instanceUrl},
                {"id", "https://login.salesforce.com/id/00D000000000001/005000000000001"},
                {"token_type", "Bearer"},
                {"issued_at", std::to_string(ms)}};
        if (grant == "client_credentials")
            body["token_format"] = "opaque";
        if (!scope.empty())
            body["scope"] = scope;
        break;
    }
    case Vendor::HubSpot:
        body = {{"token_type", "bearer"}, {"access_token", access}, {"expires_in", lifetime}};
        break;
    }
    if (!refreshToken.empty())
        body["refresh_token"] = refreshToken;
    return EmuReply::json(200, body);
}

} // namespace sluice::emu

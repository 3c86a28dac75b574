#include "net/oauthserviceaccount.h"

#include "net/jwt.h"
#include "net/oauthtokenrequest.h"

#include <nlohmann/json.hpp>

namespace sluice::net {

namespace {

constexpr const char *kDefaultTokenUri = "https://oauth2.googleapis.com/token";

std::string joined(const std::vector<std::string> &parts)
{
    std::string out;
    for (const auto &p : parts)
        out += (out.empty() ? "" : " ") + p;
    return out;
}

} // namespace

ServiceAccountKey::~ServiceAccountKey()
{
    wipeSecret(privateKey);
}

Result<ServiceAccountKey> ServiceAccountKey::parse(std::string_view text)
{
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return fail(ErrorKind::Invalid,
                    "The service account key file is not valid JSON. Download a new JSON key "
                    "in the Google Cloud console (IAM & Admin › Service accounts › Keys).");
    struct Wipe
    {
        nlohmann::json &json;
        ~Wipe()
        {
            if (auto it = json.find("private_key"); it != json.end() && it->is_string())
                wipeSecret(it->get_ref<std::string &>());
        }
    } wipe{json};
    auto text_ = [&](const char *key) {
        auto it = json.find(key);
        return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string type = text_("type");
    if (type != "service_account")
        return fail(ErrorKind::Invalid,
                    type.empty()
                        ? std::string("The file is not a Google service account key (it has no "
                                      "\"type\": \"service_account\").")
                        : "The file is a Google \"" + type +
                              "\" credential, not a service account key. Create a key for a "
                              "service account (IAM & Admin › Service accounts › Keys › JSON).");
    ServiceAccountKey key;
    key.clientEmail = text_("client_email");
    key.privateKey = text_("private_key");
    key.privateKeyId = text_("private_key_id");
    key.projectId = text_("project_id");
    key.tokenUri = text_("token_uri");
    if (key.tokenUri.empty())
        key.tokenUri = kDefaultTokenUri;
    for (auto [value, name] :
         {std::pair{&key.clientEmail, "client_email"}, std::pair{&key.privateKey, "private_key"}}) {
        if (value->empty())
            return fail(ErrorKind::Invalid, std::string("The service account key file has no \"") +
                                                name +
                                                "\". Download a new JSON key; do not edit it.");
    }
    if (auto ok = checkCredentialUrl(key.tokenUri, "token_uri of the key file"); !ok)
        return std::unexpected(ok.error());
    return key;
}

GoogleServiceAccountProvider::GoogleServiceAccountProvider(ServiceAccountKey key,
                                                           std::vector<std::string> scopes,
                                                           std::string subject)
    : m_key(std::move(key)), m_scopes(std::move(scopes)), m_subject(std::move(subject))
{
}

Result<std::string> GoogleServiceAccountProvider::assertion() const
{
    const auto iat =
        std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
    nlohmann::json claims = {{"iss", m_key.clientEmail},
                             {"scope", joined(m_scopes)},
                             {"aud", m_key.tokenUri},
                             {"iat", iat},
                             {"exp", iat + 3600}};
    if (!m_subject.empty())
        claims["sub"] = m_subject;
    nlohmann::json header = nlohmann::json::object();
    if (!m_key.privateKeyId.empty())
        header["kid"] = m_key.privateKeyId;
    auto jwt = signJwtRs256(claims, m_key.privateKey, header);
    if (!jwt)
        return fail(jwt.error().kind,
                    "The service account key file's private key is unusable: " +
                        jwt.error().message,
                    jwt.error().detail);
    return jwt;
}

Result<AccessToken> GoogleServiceAccountProvider::fetch(HttpClient &http, CancelToken *cancel)
{
    if (m_scopes.empty())
        return fail(ErrorKind::Usage, "No Google API scope was given for the service account.");
    auto jwt = assertion();
    if (!jwt)
        return std::unexpected(jwt.error());
    TokenRequest request;
    request.tokenUrl = m_key.tokenUri;
    request.form = {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                    {"assertion", std::move(*jwt)}};
    request.vendor = "Google";
    request.credential = "the service account key";
    request.hint = "Check that the key file is current (a key deleted in the Google Cloud "
                   "console stops working) and that this computer's clock is right.";
    const auto sent = now();
    auto answer = requestToken(http, request, cancel);
    if (!answer)
        return std::unexpected(answer.error());
    return toAccessToken(*answer, sent, std::chrono::hours(1));
}

std::string GoogleServiceAccountProvider::fingerprint() const
{
    // The key id changes when the key is replaced; the key's hash covers a key file edited in
    // place. Scopes and subject change what the token may do.
    return "google-sa\n" + m_key.tokenUri + "\n" + m_key.clientEmail + "\n" + m_key.privateKeyId +
           "\n" + sha256Hex(m_key.privateKey) + "\n" + joined(m_scopes) + "\n" + m_subject;
}

} // namespace sluice::net

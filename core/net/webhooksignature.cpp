#include "net/webhooksignature.h"

#include "net/jwt.h"
#include "net/pkce.h"
#include "secrets/secretstore.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <charconv>
#include <memory>

namespace sluice::net {

namespace {

struct MacFree
{
    void operator()(EVP_MAC_CTX *p) const { EVP_MAC_CTX_free(p); }
};

EVP_MAC *hmac()
{
    static EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

} // namespace

Result<WebhookSigner> WebhookSigner::fromSecret(std::string_view secret)
{
    if (secret.empty())
        return fail(ErrorKind::Invalid, "The webhook signing secret is empty.");
    if (secret.starts_with("whsec_")) {
        auto key = base64Decode(secret.substr(6));
        if (!key || key->empty())
            return fail(ErrorKind::Invalid,
                        "The webhook signing secret starts with \"whsec_\" but the rest is not "
                        "base64. Copy the whole secret from the receiving service.");
        return WebhookSigner(std::move(*key));
    }
    return WebhookSigner(std::string(secret));
}

WebhookSigner::~WebhookSigner()
{
    wipeSecret(m_key);
}

WebhookSigner::WebhookSigner(WebhookSigner &&other) noexcept : m_key(std::move(other.m_key))
{
    other.m_key.clear();
}

WebhookSigner &WebhookSigner::operator=(WebhookSigner &&other) noexcept
{
    if (this != &other) {
        wipeSecret(m_key);
        m_key = std::move(other.m_key);
        other.m_key.clear();
    }
    return *this;
}

std::string WebhookSigner::sign(std::string_view id, std::int64_t timestamp,
                                std::string_view body) const
{
    // Streamed into the MAC piece by piece: the body (up to megabytes) is not copied.
    const std::string ts = std::to_string(timestamp);
    std::unique_ptr<EVP_MAC_CTX, MacFree> ctx(EVP_MAC_CTX_new(hmac()));
    char digestName[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0),
                           OSSL_PARAM_construct_end()};
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t size = 0;
    auto update = [&](std::string_view part) {
        return EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char *>(part.data()),
                              part.size()) == 1;
    };
    const bool ok = ctx &&
                    EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char *>(m_key.data()),
                                 m_key.size(), params) == 1 &&
                    update(id) && update(".") && update(ts) && update(".") && update(body) &&
                    EVP_MAC_final(ctx.get(), out, &size, sizeof out) == 1;
    if (!ok)
        return {}; // only when OpenSSL itself is broken; an empty signature never verifies
    return "v1," + base64Encode(std::string_view(reinterpret_cast<const char *>(out), size));
}

Result<void> WebhookSigner::verify(std::string_view id, std::string_view timestamp,
                                   std::string_view body, std::string_view signatures,
                                   std::int64_t now, int toleranceSeconds) const
{
    std::int64_t ts = 0;
    const auto [end, ec] =
        std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
    if (ec != std::errc() || end != timestamp.data() + timestamp.size())
        return fail(ErrorKind::Invalid, "The webhook-timestamp header is not a Unix time.");
    if (ts < now - toleranceSeconds || ts > now + toleranceSeconds)
        return fail(ErrorKind::Invalid, "The webhook-timestamp is too far from the current time.");
    const std::string expected = sign(id, ts, body);
    if (expected.empty())
        return fail(ErrorKind::Internal, "Computing the webhook signature failed.");
    bool match = false;
    std::size_t pos = 0;
    while (pos <= signatures.size()) {
        std::size_t next = signatures.find(' ', pos);
        if (next == std::string_view::npos)
            next = signatures.size();
        const std::string_view one = signatures.substr(pos, next - pos);
        // Every entry is compared, so the time does not tell which one matched.
        if (one.starts_with("v1,"))
            match = constantTimeEquals(one, expected) || match;
        pos = next + 1;
    }
    if (!match)
        return fail(ErrorKind::Invalid, "No matching webhook signature.");
    return {};
}

std::string newWebhookMessageId()
{
    auto random = randomUrlSafe(24);
    return "msg_" + (random ? *random : std::string());
}

} // namespace sluice::net

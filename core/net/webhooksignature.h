#pragma once
// Signs and checks webhook deliveries the Standard Webhooks 1.0 way: headers webhook-id (stable
// across retries of one message), webhook-timestamp (Unix seconds) and webhook-signature
// "v1,<base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))>". The key is the
// base64-decoded part of a "whsec_…" secret, or a raw secret's bytes. The signature header may
// list several space-separated signatures (during a secret rotation); one match is enough.

#include "util/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::net {

class WebhookSigner
{
public:
    // "whsec_<base64>" or any other non-empty text, used as-is.
    static Result<WebhookSigner> fromSecret(std::string_view secret);
    ~WebhookSigner();
    WebhookSigner(WebhookSigner &&other) noexcept;
    WebhookSigner &operator=(WebhookSigner &&other) noexcept;
    WebhookSigner(const WebhookSigner &) = delete;
    WebhookSigner &operator=(const WebhookSigner &) = delete;

    // The webhook-signature value: "v1,<base64 signature>".
    std::string sign(std::string_view id, std::int64_t timestamp, std::string_view body) const;
    // Accepts when one "v1,…" entry of `signatures` matches (compared in constant time) and the
    // timestamp is within `toleranceSeconds` of `now` (either way), as receivers must check.
    Result<void> verify(std::string_view id, std::string_view timestamp, std::string_view body,
                        std::string_view signatures, std::int64_t now,
                        int toleranceSeconds = 300) const;

private:
    explicit WebhookSigner(std::string key) : m_key(std::move(key)) {}
    std::string m_key;
};

// A new webhook-id: "msg_" and 24 random bytes, base64url.
std::string newWebhookMessageId();

} // namespace sluice::net

#pragma once
// Access tokens for the SaaS APIs, one provider per way of getting one (a fixed private-app
// token, a Google service-account key, Salesforce client credentials or JWT bearer, a refresh
// token from the desktop sign-in). The base class keeps the token until ~60 s before it expires
// and, given a secret store, caches it there so the next run (another process) does not sign in
// again; after the API answers 401 the caller invalidates it and asks again.

#include "net/httpclient.h"
#include "secrets/secretstore.h"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace sluice::net {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct AccessToken
{
    std::string accessToken;
    std::chrono::system_clock::time_point obtainedAt;
    std::chrono::system_clock::time_point expiresAt; // time_point::max(): does not expire
    std::string instanceUrl;  // Salesforce: the org's API host for this token
    std::string scope;        // as granted, when the server says
    std::string refreshToken; // refresh-token grant: the current (possibly rotated) one
};

class TokenProvider
{
public:
    virtual ~TokenProvider();
    TokenProvider(const TokenProvider &) = delete;
    TokenProvider &operator=(const TokenProvider &) = delete;

    // A token valid for at least another ~60 s (less for very short-lived tokens): from memory,
    // from the cache, or from the token endpoint. Errors say what the vendor refused and why,
    // in the vendor's words (e.g. "Google refused the service account key: Invalid JWT
    // Signature."), never with a secret in them. Safe to call from several threads.
    Result<std::string> accessToken(HttpClient &http, CancelToken *cancel = nullptr);
    Result<AccessToken> token(HttpClient &http, CancelToken *cancel = nullptr);

    // The API refused `rejected` (401): forget it, here and in the cache, so the next call gets
    // a new one. A token other than the current one (another request refreshed meanwhile) is
    // ignored; empty means whatever is current.
    void invalidate(std::string_view rejected = {});
    // Whether invalidate() can lead to a different token (false for a fixed token: a 401 then
    // means the token itself is wrong).
    virtual bool canRefresh() const { return true; }

    // Caches tokens in `store` (nullptr: memory only).
    void setCache(std::shared_ptr<SecretStore> store);
    // For tests: time for expiry and for JWT iat/exp.
    void setClock(Clock clock);

protected:
    TokenProvider();
    // Gets a new token from the vendor.
    virtual Result<AccessToken> fetch(HttpClient &http, CancelToken *cancel) = 0;
    // What identifies the credential (token URL, client, a hash of the secret…); the cache key
    // is a SHA-256 of it, so a changed credential never gets an old token. Empty: no cache.
    virtual std::string fingerprint() const = 0;
    // A token from the cache is about to be used: a refresh-token provider adopts its rotated
    // refresh token.
    virtual void restored(const AccessToken &) {}
    std::chrono::system_clock::time_point now() const;

private:
    bool fresh(const AccessToken &token) const;
    std::string cacheKey() const;
    void loadCache();
    void saveCache(const AccessToken &token);
    void forgetCached(const std::string &refused);

    mutable std::mutex m_mutex;
    Clock m_clock;
    std::shared_ptr<SecretStore> m_cache;
    bool m_cacheLoaded = false;
    std::optional<AccessToken> m_current;
};

// A fixed token (HubSpot private-app token): never fetched, never cached.
class StaticTokenProvider : public TokenProvider
{
public:
    explicit StaticTokenProvider(std::string token);
    ~StaticTokenProvider() override;
    bool canRefresh() const override { return false; }

protected:
    Result<AccessToken> fetch(HttpClient &http, CancelToken *cancel) override;
    std::string fingerprint() const override { return {}; }

private:
    std::string m_token;
};

// A hex SHA-256, to name a credential in a cache key without storing it.
std::string sha256Hex(std::string_view text);

} // namespace sluice::net

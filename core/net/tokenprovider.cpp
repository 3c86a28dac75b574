#include "net/tokenprovider.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

namespace sluice::net {

namespace {

using namespace std::chrono;

std::int64_t toMs(system_clock::time_point t)
{
    if (t == system_clock::time_point::max())
        return -1;
    return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

system_clock::time_point fromMs(std::int64_t ms)
{
    if (ms < 0)
        return system_clock::time_point::max();
    return system_clock::time_point(duration_cast<system_clock::duration>(milliseconds(ms)));
}

} // namespace

std::string sha256Hex(std::string_view text)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (unsigned i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

TokenProvider::TokenProvider() : m_clock([] { return system_clock::now(); }) {}

TokenProvider::~TokenProvider()
{
    if (m_current) {
        wipeSecret(m_current->accessToken);
        wipeSecret(m_current->refreshToken);
    }
}

void TokenProvider::setCache(std::shared_ptr<SecretStore> store)
{
    std::lock_guard lock(m_mutex);
    m_cache = std::move(store);
    m_cacheLoaded = false;
}

void TokenProvider::setClock(Clock clock)
{
    std::lock_guard lock(m_mutex);
    m_clock = std::move(clock);
}

system_clock::time_point TokenProvider::now() const
{
    return m_clock();
}

bool TokenProvider::fresh(const AccessToken &token) const
{
    if (token.accessToken.empty())
        return false;
    if (token.expiresAt == system_clock::time_point::max())
        return true;
    // Renew a minute early, so a request does not leave with a token that expires on the way;
    // a token that lives less than two minutes is renewed after half its life instead.
    const auto life = token.expiresAt - token.obtainedAt;
    const system_clock::duration margin = std::min<system_clock::duration>(seconds(60), life / 2);
    return now() < token.expiresAt - margin;
}

std::string TokenProvider::cacheKey() const
{
    const std::string what = fingerprint();
    return what.empty() ? std::string() : "token:" + sha256Hex(what);
}

void TokenProvider::loadCache()
{
    m_cacheLoaded = true;
    const std::string key = cacheKey();
    if (!m_cache || key.empty())
        return;
    auto stored = m_cache->get(key);
    if (!stored || !*stored)
        return; // an unreadable cache only costs a sign-in
    auto json = nlohmann::json::parse(**stored, nullptr, false);
    wipeSecret(**stored);
    if (json.is_discarded() || !json.is_object())
        return;
    AccessToken token;
    token.accessToken = json.value("access_token", std::string());
    token.obtainedAt = fromMs(json.value("obtained_at", std::int64_t{0}));
    token.expiresAt = fromMs(json.value("expires_at", std::int64_t{0}));
    token.instanceUrl = json.value("instance_url", std::string());
    token.scope = json.value("scope", std::string());
    token.refreshToken = json.value("refresh_token", std::string());
    if (token.accessToken.empty() && token.refreshToken.empty())
        return;
    restored(token);
    m_current = std::move(token);
}

void TokenProvider::saveCache(const AccessToken &token)
{
    const std::string key = cacheKey();
    if (!m_cache || key.empty())
        return;
    if (token.accessToken.empty() && token.refreshToken.empty()) {
        (void)m_cache->remove(key);
        return;
    }
    nlohmann::json json = {{"access_token", token.accessToken},
                           {"obtained_at", toMs(token.obtainedAt)},
                           {"expires_at", toMs(token.expiresAt)}};
    if (!token.instanceUrl.empty())
        json["instance_url"] = token.instanceUrl;
    if (!token.scope.empty())
        json["scope"] = token.scope;
    if (!token.refreshToken.empty())
        json["refresh_token"] = token.refreshToken;
    std::string text = json.dump();
    // A cache that cannot be written costs a sign-in next run, not this run.
    (void)m_cache->set(key, text);
    wipeSecret(text);
}

Result<std::string> TokenProvider::accessToken(HttpClient &http, CancelToken *cancel)
{
    auto t = token(http, cancel);
    if (!t)
        return std::unexpected(t.error());
    return t->accessToken;
}

Result<AccessToken> TokenProvider::token(HttpClient &http, CancelToken *cancel)
{
    // One fetch at a time: requests that need a token meanwhile wait for that one.
    std::lock_guard lock(m_mutex);
    if (m_current && fresh(*m_current))
        return *m_current;
    if (!m_cacheLoaded) {
        loadCache();
        if (m_current && fresh(*m_current))
            return *m_current;
    }
    auto fetched = fetch(http, cancel);
    if (!fetched && fetched.error().kind == ErrorKind::Destination && m_cache) {
        // Another process (the GUI, a scheduled run) may have renewed the token meanwhile: with
        // a rotating refresh token, that revoked the one this process holds. Its result is in
        // the cache.
        const std::string heldRefresh = m_current ? m_current->refreshToken : std::string();
        loadCache();
        if (m_current && fresh(*m_current))
            return *m_current;
        if (m_current && !m_current->refreshToken.empty() && m_current->refreshToken != heldRefresh)
            fetched = fetch(http, cancel);
    }
    if (!fetched)
        return std::unexpected(fetched.error());
    if (m_current) {
        wipeSecret(m_current->accessToken);
        wipeSecret(m_current->refreshToken);
    }
    m_current = std::move(*fetched);
    saveCache(*m_current);
    return *m_current;
}

void TokenProvider::invalidate(std::string_view rejected)
{
    std::lock_guard lock(m_mutex);
    if (!m_current || m_current->accessToken.empty() ||
        (!rejected.empty() && rejected != m_current->accessToken))
        return;
    // The refresh token (if any) stays: it is how the next token is got.
    std::string refused = std::move(m_current->accessToken);
    m_current->accessToken.clear();
    m_current->expiresAt = m_current->obtainedAt;
    m_cacheLoaded = true;
    forgetCached(refused);
    wipeSecret(refused);
}

void TokenProvider::forgetCached(const std::string &refused)
{
    const std::string key = cacheKey();
    if (!m_cache || key.empty())
        return;
    auto stored = m_cache->get(key);
    if (!stored || !*stored)
        return;
    auto json = nlohmann::json::parse(**stored, nullptr, false);
    wipeSecret(**stored);
    // Only the refused token goes: an entry another process wrote meanwhile (a newer token, a
    // newer rotated refresh token) is left as it is.
    if (json.is_discarded() || !json.is_object() || json.value("access_token", "") != refused)
        return;
    if (json.value("refresh_token", "").empty()) {
        (void)m_cache->remove(key);
        return;
    }
    json["access_token"] = "";
    json["expires_at"] = json.value("obtained_at", std::int64_t{0});
    std::string text = json.dump();
    (void)m_cache->set(key, text);
    wipeSecret(text);
}

StaticTokenProvider::StaticTokenProvider(std::string token) : m_token(std::move(token)) {}

StaticTokenProvider::~StaticTokenProvider()
{
    wipeSecret(m_token);
}

Result<AccessToken> StaticTokenProvider::fetch(HttpClient &, CancelToken *)
{
    if (m_token.empty())
        return fail(ErrorKind::Invalid, "No access token was given. Enter the token in the "
                                        "connection's settings.");
    AccessToken token;
    token.accessToken = m_token;
    token.obtainedAt = now();
    token.expiresAt = std::chrono::system_clock::time_point::max();
    return token;
}

} // namespace sluice::net

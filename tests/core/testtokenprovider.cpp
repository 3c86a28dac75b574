// Token providers end to end over HTTP against the OAuth emulator: Google service accounts
// (RS256 JWT checked by the emulator against the test key's public half), Salesforce client
// credentials and JWT bearer (instance_url), refresh tokens with rotation kept across runs,
// the authorization-code flow with PKCE, caching until shortly before expiry and across
// processes, invalidation after a 401, and the vendors' refusals in plain words with no secret
// in any message or log line.
#include "emulator.h"
#include "net/jwt.h"
#include "net/oauthauthorization.h"
#include "net/oauthrefreshtoken.h"
#include "net/oauthsalesforce.h"
#include "net/oauthserviceaccount.h"
#include "net/pkce.h"
#include "net/tokenprovider.h"
#include "oauthemulator.h"
#include "secrets/memorysecretstore.h"

#include <QUrl>
#include <QUrlQuery>
#include <QtTest>

#include <thread>

using namespace sluice;
using namespace sluice::net;
using sluice::emu::EmulatorServer;
using sluice::emu::OAuthEmulator;
using namespace std::chrono_literals;

namespace {

constexpr const char *kScope = "https://www.googleapis.com/auth/spreadsheets";

// A line of the private key's base64 body: finding it anywhere means the key leaked.
std::string keyFragment(const std::string &pem)
{
    return pem.substr(pem.find('\n') + 1, 48);
}

} // namespace

class TestTokenProvider : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EmulatorServer> m_server;
    std::vector<std::string> m_log;
    std::unique_ptr<HttpClient> m_http;

    template <class F> auto emu(F &&f) { return m_server->inspect<OAuthEmulator>(f); }
    std::string url(const char *path) const { return m_server->baseUrl() + path; }

    ServiceAccountKey key(const std::string &tokenPath = "/token")
    {
        const std::string file =
            emu([&](OAuthEmulator &e) { return e.serviceAccountKeyFile(url(tokenPath.c_str())); });
        return ServiceAccountKey::parse(file).value();
    }

    long grants(const std::string &grant)
    {
        return emu([&](OAuthEmulator &e) {
            auto it = e.grants.find(grant);
            return it == e.grants.end() ? 0L : it->second;
        });
    }

    bool valid(const std::string &token)
    {
        return emu([&](OAuthEmulator &e) { return e.isValidAccessToken(token); });
    }

    // Fails the test when a message or a log line holds one of the secrets.
    void checkNoSecrets(const std::vector<std::string> &secrets, const std::string &message = {})
    {
        for (const auto &secret : secrets) {
            QVERIFY(!secret.empty());
            QVERIFY2(message.find(secret) == std::string::npos, message.c_str());
            for (const auto &line : m_log)
                QVERIFY2(line.find(secret) == std::string::npos, line.c_str());
        }
    }

private slots:
    void initTestCase()
    {
        qputenv("no_proxy", "127.0.0.1,localhost");
        qputenv("NO_PROXY", "127.0.0.1,localhost");
    }

    void init()
    {
        m_server = std::make_unique<EmulatorServer>(std::make_unique<OAuthEmulator>());
        emu([&](OAuthEmulator &e) {
            e.setInstanceUrl(m_server->baseUrl());
            return 0;
        });
        m_log.clear();
        ClientOptions options;
        options.retry.baseDelayMs = 20;
        options.log = [this](const std::string &line) { m_log.push_back(line); };
        m_http = std::make_unique<HttpClient>(options);
    }

    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void serviceAccountGetsAToken()
    {
        GoogleServiceAccountProvider provider(key(), {kScope});
        auto token = provider.token(*m_http);
        QVERIFY2(token, token ? "" : token.error().message.c_str());
        QVERIFY(token->accessToken.starts_with("ya29."));
        QVERIFY(valid(token->accessToken));
        const auto life = token->expiresAt - token->obtainedAt;
        QVERIFY(life >= 3598s && life <= 3600s);
        QCOMPARE(grants("jwt-bearer"), 1L);

        // What was sent: Google's grant type and an assertion the emulator accepted, whose
        // claims follow the key file.
        const std::string form = emu([](OAuthEmulator &e) { return e.lastForms.back(); });
        QVERIFY(form.starts_with(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="));
        auto assertion = provider.assertion();
        QVERIFY(assertion);
        auto decoded =
            verifyJwtRs256(*assertion, emu([](OAuthEmulator &e) { return e.publicKeyPem(); }));
        QVERIFY(decoded);
        QCOMPARE(decoded->header["kid"], "test-key-1");
        QCOMPARE(decoded->claims["iss"], OAuthEmulator::kServiceAccount);
        QCOMPARE(decoded->claims["aud"], url("/token"));
        QCOMPARE(decoded->claims["scope"], kScope);
        QCOMPARE(decoded->claims["exp"].get<std::int64_t>() -
                     decoded->claims["iat"].get<std::int64_t>(),
                 std::int64_t{3600});

        // Cached: the second call asks nobody.
        auto again = provider.accessToken(*m_http);
        QCOMPARE(again.value(), token->accessToken);
        QCOMPARE(grants("jwt-bearer"), 1L);
        checkNoSecrets({keyFragment(key().privateKey), token->accessToken, *assertion});
    }

    void olderTokenUriIsHonoured()
    {
        // Older key files name https://accounts.google.com/o/oauth2/token: the file decides.
        GoogleServiceAccountProvider provider(key("/o/oauth2/token"), {kScope, "openid"});
        QVERIFY(provider.token(*m_http));
        QCOMPARE(grants("jwt-bearer"), 1L);
    }

    void renewsShortlyBeforeExpiry()
    {
        emu([](OAuthEmulator &e) {
            e.setAccessTokenLifetime(100);
            return 0;
        });
        GoogleServiceAccountProvider provider(key(), {kScope});
        auto base = std::chrono::system_clock::now();
        auto offset = 0s;
        provider.setClock([&] { return base + offset; });
        const std::string first = provider.accessToken(*m_http).value();
        // A 100 s token is renewed after half its life (the 60 s margin would leave 40 s).
        offset = 49s;
        QCOMPARE(provider.accessToken(*m_http).value(), first);
        QCOMPARE(grants("jwt-bearer"), 1L);
        offset = 51s;
        const std::string second = provider.accessToken(*m_http).value();
        QVERIFY(second != first);
        QCOMPARE(grants("jwt-bearer"), 2L);

        // A one-hour token: renewed 60 s before it expires.
        emu([](OAuthEmulator &e) {
            e.setAccessTokenLifetime(3600);
            return 0;
        });
        GoogleServiceAccountProvider hourly(key(), {kScope});
        offset = 0s;
        base = std::chrono::system_clock::now();
        hourly.setClock([&] { return base + offset; });
        const std::string h1 = hourly.accessToken(*m_http).value();
        offset = 3600s - 61s;
        QCOMPARE(hourly.accessToken(*m_http).value(), h1);
        // The clock moves past the margin; the next JWT's iat is then an hour ahead of the
        // emulator's clock, which Google refuses like this:
        offset = 3600s - 59s;
        auto late = hourly.accessToken(*m_http);
        QVERIFY(!late);
        QVERIFY2(late.error().message.starts_with(
                     "Google refused the service account key: Invalid JWT: Token must be a "
                     "short-lived token (60 minutes) and in a reasonable timeframe."),
                 late.error().message.c_str());
        QVERIFY(late.error().message.find("clock") != std::string::npos); // the hint
    }

    void cacheServesTheNextRun()
    {
        auto store = std::make_shared<MemorySecretStore>();
        std::string first;
        {
            GoogleServiceAccountProvider run1(key(), {kScope});
            run1.setCache(store);
            first = run1.accessToken(*m_http).value();
        }
        QCOMPARE(store->all().size(), std::size_t(1));
        const auto [cacheKey, cached] = *store->all().begin();
        QVERIFY(cacheKey.starts_with("token:"));
        QVERIFY(cacheKey.find(OAuthEmulator::kServiceAccount) == std::string::npos);

        GoogleServiceAccountProvider run2(key(), {kScope});
        run2.setCache(store);
        QCOMPARE(run2.accessToken(*m_http).value(), first);
        QCOMPARE(grants("jwt-bearer"), 1L);

        // Another scope is another credential: not served from that cache entry.
        GoogleServiceAccountProvider other(key(),
                                           {kScope, "https://www.googleapis.com/auth/drive"});
        other.setCache(store);
        QVERIFY(other.accessToken(*m_http).value() != first);
        QCOMPARE(grants("jwt-bearer"), 2L);
    }

    void invalidateAfterA401()
    {
        auto store = std::make_shared<MemorySecretStore>();
        GoogleServiceAccountProvider provider(key(), {kScope});
        provider.setCache(store);
        const std::string first = provider.accessToken(*m_http).value();
        emu([](OAuthEmulator &e) {
            e.revokeAccessTokens();
            return 0;
        });
        QVERIFY(!valid(first)); // the API would now answer 401
        provider.invalidate(first);
        const std::string second = provider.accessToken(*m_http).value();
        QVERIFY(second != first);
        QVERIFY(valid(second));
        // A late 401 for the old token does not throw away the new one.
        provider.invalidate(first);
        QCOMPARE(provider.accessToken(*m_http).value(), second);
        QCOMPARE(grants("jwt-bearer"), 2L);
        // And the next run does not pick the refused token from the cache.
        GoogleServiceAccountProvider next(key(), {kScope});
        next.setCache(store);
        QCOMPARE(next.accessToken(*m_http).value(), second);
        QVERIFY(provider.canRefresh());
    }

    void serviceAccountRefusals()
    {
        // A key deleted in the console.
        emu([](OAuthEmulator &e) {
            e.removeServiceAccount(OAuthEmulator::kServiceAccount);
            return 0;
        });
        GoogleServiceAccountProvider gone(key(), {kScope});
        auto r = gone.token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with(
                     "Google refused the service account key: Invalid grant: account not found."),
                 r.error().message.c_str());

        // The right account, signed with another key.
        emu([](OAuthEmulator &e) {
            e.addServiceAccount(OAuthEmulator::kServiceAccount, e.publicKeyPem());
            return 0;
        });
        ServiceAccountKey wrong = key();
        wrong.privateKey = generateRsaKeyPair().value().privateKeyPem;
        const std::string wrongFragment = keyFragment(wrong.privateKey);
        GoogleServiceAccountProvider forged(std::move(wrong), {kScope});
        r = forged.token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with(
                     "Google refused the service account key: Invalid JWT Signature."),
                 r.error().message.c_str());
        QCOMPARE(r.error().kind, ErrorKind::Destination);

        // No scope.
        GoogleServiceAccountProvider noScope(key(), {});
        QVERIFY(!noScope.token(*m_http));
        checkNoSecrets({keyFragment(key().privateKey), wrongFragment}, r.error().message);
        QCOMPARE(grants("jwt-bearer"), 0L);
    }

    void emulatorChecksTheAudience()
    {
        // The provider always sets aud = token_uri; the emulator must still refuse others.
        const std::string pem = emu([](OAuthEmulator &e) { return e.privateKeyPem(); });
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        const std::string jwt = signJwtRs256({{"iss", OAuthEmulator::kServiceAccount},
                                              {"scope", kScope},
                                              {"aud", "https://oauth2.googleapis.com/token"},
                                              {"iat", now},
                                              {"exp", now + 3600}},
                                             pem)
                                    .value();
        Request request;
        request.method = "POST";
        request.url = url("/token");
        request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
        request.body = formEncode(
            {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", jwt}});
        auto response = m_http->send(request);
        QVERIFY(response);
        QCOMPARE(response->status, 400L);
        const auto body = nlohmann::json::parse(response->body);
        QCOMPARE(body["error"], "invalid_grant");
        QCOMPARE(body["error_description"],
                 "Invalid JWT: Failed audience check. The right audience is " + url("/token"));
    }

    void keyFileProblems()
    {
        struct Case
        {
            std::string file;
            std::string expect;
        };
        const std::string good = emu([&](OAuthEmulator &e) {
            return e.serviceAccountKeyFile("https://oauth2.googleapis.com/token");
        });
        auto edited = [&](const char *field, nlohmann::json value) {
            auto j = nlohmann::json::parse(good);
            if (value.is_null())
                j.erase(field);
            else
                j[field] = value;
            return j.dump();
        };
        const std::vector<Case> cases = {
            {"not json", "not valid JSON"},
            {"[1,2]", "not valid JSON"},
            {edited("type", "authorized_user"), "\"authorized_user\" credential, not a service"},
            {edited("type", nullptr), "not a Google service account key"},
            {edited("private_key", nullptr), "has no \"private_key\""},
            {edited("client_email", ""), "has no \"client_email\""},
            {edited("token_uri", "http://oauth2.example.com/token"), "must start with https://"},
        };
        for (const auto &c : cases) {
            auto r = ServiceAccountKey::parse(c.file);
            QVERIFY(!r);
            QVERIFY2(r.error().message.find(c.expect) != std::string::npos,
                     r.error().message.c_str());
            QVERIFY(r.error().message.find(keyFragment(
                        nlohmann::json::parse(good)["private_key"].get<std::string>())) ==
                    std::string::npos);
        }
        auto parsed = ServiceAccountKey::parse(edited("token_uri", nullptr));
        QVERIFY(parsed);
        QCOMPARE(parsed->tokenUri, std::string("https://oauth2.googleapis.com/token"));

        // A damaged private key: a clear message when signing, before any request.
        auto damaged = ServiceAccountKey::parse(good).value();
        damaged.privateKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        GoogleServiceAccountProvider provider(std::move(damaged), {kScope});
        auto r = provider.token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("The service account key file's private key is "
                                               "unusable: The private key cannot be read"),
                 r.error().message.c_str());
        QVERIFY(m_log.empty());
    }

    void salesforceClientCredentials()
    {
        SalesforceClientCredentialsProvider provider(url("/services/oauth2/token"),
                                                     OAuthEmulator::kSalesforceClientId,
                                                     OAuthEmulator::kSalesforceClientSecret);
        auto token = provider.token(*m_http);
        QVERIFY2(token, token ? "" : token.error().message.c_str());
        QCOMPARE(token->instanceUrl, m_server->baseUrl());
        QVERIFY(valid(token->accessToken));
        // No expires_in from Salesforce: renewed after 15 minutes at the latest.
        QCOMPARE(
            std::chrono::duration_cast<std::chrono::minutes>(token->expiresAt - token->obtainedAt),
            15min);

        SalesforceClientCredentialsProvider wrong(
            url("/services/oauth2/token"), OAuthEmulator::kSalesforceClientId, "not-the-secret-42");
        auto r = wrong.token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("Salesforce refused the connected app's client "
                                               "credentials: invalid client credentials."),
                 r.error().message.c_str());
        checkNoSecrets(
            {OAuthEmulator::kSalesforceClientSecret, "not-the-secret-42", token->accessToken},
            r.error().message);
    }

    void salesforceJwtBearer()
    {
        SalesforceJwtBearerConfig config;
        config.tokenUrl = url("/services/oauth2/token");
        config.clientId = OAuthEmulator::kSalesforceClientId;
        config.username = OAuthEmulator::kSalesforceUser;
        config.privateKey = emu([](OAuthEmulator &e) { return e.privateKeyPem(); });
        SalesforceJwtBearerProvider provider(config);
        auto decoded = decodeJwt(provider.assertion().value());
        QVERIFY(decoded);
        QCOMPARE(decoded->claims["aud"], m_server->baseUrl()); // the token URL's origin
        QCOMPARE(decoded->claims["sub"], OAuthEmulator::kSalesforceUser);
        QVERIFY(!decoded->claims.contains("iat") || decoded->claims["iat"].is_number());
        auto token = provider.token(*m_http);
        QVERIFY2(token, token ? "" : token.error().message.c_str());
        QCOMPARE(token->instanceUrl, m_server->baseUrl());
        QCOMPARE(token->scope, std::string("id full"));

        config.username = "someone.else@example.com";
        SalesforceJwtBearerProvider stranger(config);
        auto r = stranger.token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("Salesforce refused the JWT sign-in for "
                                               "someone.else@example.com: user hasn't approved "
                                               "this consumer."),
                 r.error().message.c_str());
        config.username = OAuthEmulator::kSalesforceUser;
        config.audience = "https://login.salesforce.com";
        QVERIFY(SalesforceJwtBearerProvider(config).token(*m_http)); // the real audience works too
        config.audience = "https://evil.example.com";
        QVERIFY(!SalesforceJwtBearerProvider(config).token(*m_http));
        checkNoSecrets({keyFragment(config.privateKey), token->accessToken});
    }

    void refreshTokenRotationSurvivesRuns()
    {
        emu([](OAuthEmulator &e) {
            e.addRefreshToken("1//original-refresh-token", OAuthEmulator::kClientId);
            e.setRotateRefreshTokens(true);
            return 0;
        });
        OAuthClientConfig client;
        client.vendor = "Google";
        client.tokenUrl = url("/token");
        client.clientId = OAuthEmulator::kClientId;
        client.clientSecret = OAuthEmulator::kClientSecret;
        auto store = std::make_shared<MemorySecretStore>();
        std::string rotated;
        std::string firstAccess;
        {
            RefreshTokenProvider run1(client, "1//original-refresh-token");
            run1.setCache(store);
            firstAccess = run1.accessToken(*m_http).value();
            rotated = run1.currentRefreshToken();
            QVERIFY(rotated != "1//original-refresh-token");
            QVERIFY(!rotated.empty());
        }
        // The rotation is in the secret store (inside the token cache entry).
        QCOMPARE(store->all().size(), std::size_t(1));
        QVERIFY(store->all().begin()->second.find(rotated) != std::string::npos);

        // Next run, same configured (now revoked) refresh token: the cached access token first…
        RefreshTokenProvider run2(client, "1//original-refresh-token");
        run2.setCache(store);
        QCOMPARE(run2.accessToken(*m_http).value(), firstAccess);
        QCOMPARE(grants("refresh_token"), 1L);
        // …and after a 401 the rotated refresh token, not the revoked one.
        run2.invalidate();
        auto second = run2.accessToken(*m_http);
        QVERIFY2(second, second ? "" : second.error().message.c_str());
        QVERIFY(*second != firstAccess);
        QCOMPARE(grants("refresh_token"), 2L);
        QVERIFY(run2.currentRefreshToken() != rotated); // rotated once more

        // Without the cache the original is useless, and the message says what to do.
        RefreshTokenProvider lost(client, "1//original-refresh-token");
        auto r = lost.token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with(
                     "Google refused the saved sign-in: Token has been expired or revoked. The "
                     "sign-in may have been revoked or may have expired: edit the connection and "
                     "sign in to Google again."),
                 r.error().message.c_str());
        checkNoSecrets(
            {"1//original-refresh-token", rotated, OAuthEmulator::kClientSecret, firstAccess},
            r.error().message);
    }

    void rotationRaceBetweenProcesses()
    {
        // Two processes (the GUI and a scheduled run) share one connection, and so one cache
        // entry. When one rotates the refresh token, the other's copy is revoked: it must pick
        // up the result from the cache instead of failing.
        emu([](OAuthEmulator &e) {
            e.addRefreshToken("1//rt0", OAuthEmulator::kClientId);
            e.setRotateRefreshTokens(true);
            return 0;
        });
        OAuthClientConfig client;
        client.vendor = "Google";
        client.tokenUrl = url("/token");
        client.clientId = OAuthEmulator::kClientId;
        client.clientSecret = OAuthEmulator::kClientSecret;
        auto store = std::make_shared<MemorySecretStore>();
        RefreshTokenProvider a(client, "1//rt0");
        RefreshTokenProvider b(client, "1//rt0");
        a.setCache(store);
        b.setCache(store);
        const std::string a1 = a.accessToken(*m_http).value();
        QCOMPARE(b.accessToken(*m_http).value(), a1); // from the cache
        QCOMPARE(grants("refresh_token"), 1L);

        // The API refuses a1 in both; A renews first (and rotates), B's refresh token is stale.
        auto revoke = [&] {
            emu([](OAuthEmulator &e) {
                e.revokeAccessTokens();
                return 0;
            });
        };
        revoke();
        a.invalidate(a1);
        const std::string a2 = a.accessToken(*m_http).value();
        b.invalidate(a1);
        auto b2 = b.accessToken(*m_http);
        QVERIFY2(b2, b2 ? "" : b2.error().message.c_str());
        QCOMPARE(*b2, a2); // A's token, read from the cache after B's refresh was refused
        QCOMPARE(grants("refresh_token"), 2L);

        // Now the cached access token is refused too: B renews with A's rotated refresh token.
        revoke();
        b.invalidate(a2);
        a.invalidate(a2);
        const std::string b3 = b.accessToken(*m_http).value();
        revoke();
        b.invalidate(b3);
        auto a3 = a.accessToken(*m_http); // A holds a revoked refresh token and a refused token
        QVERIFY2(a3, a3 ? "" : a3.error().message.c_str());
        QVERIFY(valid(*a3));
        QCOMPARE(grants("refresh_token"), 4L);
        // Both stale refreshes really were refused by the server (and recovered from).
        QCOMPARE(emu([](OAuthEmulator &e) { return e.refusals; }), 2L);
    }

    void refreshTokenClientProblems()
    {
        emu([](OAuthEmulator &e) {
            e.addRefreshToken("1//rt", OAuthEmulator::kClientId);
            return 0;
        });
        OAuthClientConfig client;
        client.vendor = "Google";
        client.tokenUrl = url("/token");
        client.clientId = OAuthEmulator::kClientId;
        client.clientSecret = "wrong-secret-1234";
        auto r = RefreshTokenProvider(client, "1//rt").token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("Google refused the saved sign-in: Unauthorized."),
                 r.error().message.c_str());
        client.clientId = "unknown-client";
        r = RefreshTokenProvider(client, "1//rt").token(*m_http);
        QVERIFY(!r);
        QVERIFY(r.error().message.starts_with(
            "Google refused the saved sign-in: The OAuth client was not found."));
        r = RefreshTokenProvider(client, "").token(*m_http);
        QVERIFY(!r);
        QVERIFY(r.error().message.find("not signed in to Google") != std::string::npos);
    }

    void hubspotRefusalShape()
    {
        // HubSpot answers {"status","message"} instead of RFC 6749's error body.
        OAuthClientConfig client;
        client.vendor = "HubSpot";
        client.tokenUrl = url("/oauth/v1/token");
        client.clientId = OAuthEmulator::kClientId;
        client.clientSecret = OAuthEmulator::kClientSecret;
        auto r = RefreshTokenProvider(client, "na1-bad-refresh-token").token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with(
                     "HubSpot refused the saved sign-in: missing or invalid refresh token."),
                 r.error().message.c_str());
        emu([](OAuthEmulator &e) {
            e.addRefreshToken("na1-good", OAuthEmulator::kClientId);
            return 0;
        });
        auto token = RefreshTokenProvider(client, "na1-good").token(*m_http);
        QVERIFY(token);
        QCOMPARE(
            std::chrono::duration_cast<std::chrono::seconds>(token->expiresAt - token->obtainedAt),
            1800s);
    }

    void authorizationCodeWithPkce()
    {
        OAuthClientConfig client;
        client.vendor = "Google";
        client.authorizationUrl = url("/o/oauth2/v2/auth");
        client.tokenUrl = url("/token");
        client.clientId = OAuthEmulator::kClientId;
        client.clientSecret = OAuthEmulator::kClientSecret;
        client.scopes = {kScope, "openid"};
        client.extraParams = {{"access_type", "offline"}, {"prompt", "consent"}};
        auto request = beginAuthorization(client, 54321);
        QVERIFY(request);
        QCOMPARE(request->redirectUri, std::string("http://127.0.0.1:54321"));
        const QUrl authUrl(QString::fromStdString(request->url));
        const QUrlQuery q(authUrl);
        auto item = [&](const char *k) {
            return q.queryItemValue(k, QUrl::FullyDecoded).toStdString();
        };
        QCOMPARE(item("client_id"), std::string(OAuthEmulator::kClientId));
        QCOMPARE(item("redirect_uri"), request->redirectUri);
        QCOMPARE(item("response_type"), std::string("code"));
        QCOMPARE(item("scope"), std::string(kScope) + " openid");
        QCOMPARE(item("code_challenge_method"), std::string("S256"));
        QCOMPARE(item("code_challenge"), codeChallengeS256(request->codeVerifier));
        QCOMPARE(item("state"), request->state);
        QCOMPARE(item("access_type"), std::string("offline"));
        QVERIFY(request->url.find(request->codeVerifier) == std::string::npos);

        // The "browser": the emulator redirects to the loopback URI.
        auto browse = [&](const AuthorizationRequest &r) {
            Request get;
            get.url = r.url;
            auto answer = m_http->send(get);
            std::map<std::string, std::string> query;
            if (!answer || answer->status != 302)
                return query;
            const QUrl location(QString::fromStdString(answer->header("Location")));
            if (location.toString(QUrl::RemoveQuery).toStdString() != r.redirectUri)
                return query;
            for (const auto &[k, v] : QUrlQuery(location).queryItems(QUrl::FullyDecoded))
                query[k.toStdString()] = v.toStdString();
            return query;
        };
        auto query = browse(*request);
        QVERIFY(query.contains("code"));
        auto code = authorizationCode(*request, query, "Google");
        QVERIFY(code);
        auto tokens = exchangeAuthorizationCode(*m_http, client, *request, *code);
        QVERIFY2(tokens, tokens ? "" : tokens.error().message.c_str());
        QVERIFY(valid(tokens->accessToken));
        QVERIFY(!tokens->refreshToken.empty());
        QCOMPARE(tokens->scope, std::string(kScope) + " openid");
        // The refresh token is what the connection keeps from then on.
        QVERIFY(RefreshTokenProvider(client, tokens->refreshToken).token(*m_http));

        // A code works once.
        auto again = exchangeAuthorizationCode(*m_http, client, *request, *code);
        QVERIFY(!again);
        QVERIFY(again.error().message.starts_with("Google refused the sign-in: Bad Request."));

        // A verifier that does not match the challenge (someone else's code).
        auto second = beginAuthorization(client, 54321).value();
        auto code2 = authorizationCode(second, browse(second), "Google").value();
        AuthorizationRequest forged;
        forged.redirectUri = second.redirectUri;
        forged.state = second.state;
        forged.codeVerifier = makeCodeVerifier().value();
        auto bad = exchangeAuthorizationCode(*m_http, client, forged, code2);
        QVERIFY(!bad);
        QVERIFY2(
            bad.error().message.starts_with("Google refused the sign-in: Invalid code verifier."),
            bad.error().message.c_str());
        checkNoSecrets({forged.codeVerifier, second.codeVerifier, code2,
                        OAuthEmulator::kClientSecret, tokens->refreshToken, tokens->accessToken},
                       bad.error().message);
    }

    void authorizationAnswers()
    {
        AuthorizationRequest request;
        request.state = "expected-state";
        request.codeVerifier = "v";
        auto r = authorizationCode(request, {{"code", "c"}, {"state", "other"}}, "HubSpot");
        QVERIFY(!r);
        QVERIFY(r.error().message.find("does not belong to this sign-in") != std::string::npos);
        r = authorizationCode(request, {{"code", "c"}}, "HubSpot");
        QVERIFY(!r);
        r = authorizationCode(request, {{"error", "access_denied"}, {"state", "expected-state"}},
                              "HubSpot");
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        QVERIFY(r.error().message.find("declined") != std::string::npos);
        r = authorizationCode(request, {{"state", "expected-state"}}, "HubSpot");
        QVERIFY(!r);
        QCOMPARE(authorizationCode(request, {{"code", "c"}, {"state", "expected-state"}}, "HubSpot")
                     .value(),
                 std::string("c"));

        // The user declines in the emulator's "browser".
        emu([](OAuthEmulator &e) {
            e.setUserAllows(false);
            return 0;
        });
        OAuthClientConfig client;
        client.vendor = "Salesforce";
        client.authorizationUrl = url("/services/oauth2/authorize");
        client.clientId = OAuthEmulator::kClientId;
        client.redirectPath = "/callback";
        auto begun = beginAuthorization(client, 40000).value();
        QCOMPARE(begun.redirectUri, std::string("http://127.0.0.1:40000/callback"));
        Request get;
        get.url = begun.url;
        auto answer = m_http->send(get);
        QVERIFY(answer);
        QCOMPARE(answer->status, 302L);
        QVERIFY(answer->header("Location").find("error=access_denied") != std::string::npos);

        client.authorizationUrl = "http://accounts.example.com/auth";
        QVERIFY(!beginAuthorization(client, 40000));
        client.authorizationUrl = url("/services/oauth2/authorize");
        client.clientId.clear();
        QVERIFY(!beginAuthorization(client, 40000));
    }

    void staticToken()
    {
        StaticTokenProvider provider("pat-na1-0000");
        QCOMPARE(provider.accessToken(*m_http).value(), std::string("pat-na1-0000"));
        QVERIFY(!provider.canRefresh());
        provider.invalidate();
        QCOMPARE(provider.accessToken(*m_http).value(), std::string("pat-na1-0000"));
        QVERIFY(!StaticTokenProvider("").accessToken(*m_http));
        QVERIFY(m_log.empty()); // no request
    }

    void transportProblems()
    {
        // A 503 is retried by the HTTP layer; the token still comes.
        m_server->queueFault(emu::Fault::Unavailable, 2);
        GoogleServiceAccountProvider provider(key(), {kScope});
        QVERIFY(provider.token(*m_http));

        // A wrong token URL: plain words, no secret.
        SalesforceClientCredentialsProvider wrongPath(url("/nothing/here"),
                                                      OAuthEmulator::kSalesforceClientId,
                                                      OAuthEmulator::kSalesforceClientSecret);
        auto r = wrongPath.token(*m_http);
        QVERIFY(!r);
        QVERIFY2(r.error().message == "There is no sign-in service at " + url("/nothing/here") +
                                          " (HTTP 404). Check the token URL.",
                 r.error().message.c_str());

        // Plain http to another host is refused before anything is sent.
        const auto before = m_log.size();
        SalesforceClientCredentialsProvider plain("http://login.example.com/services/oauth2/token",
                                                  "id", "secret-value-123");
        r = plain.token(*m_http);
        QVERIFY(!r);
        QVERIFY(r.error().message.find("must start with https://") != std::string::npos);
        QCOMPARE(m_log.size(), before);

        // Nobody listening.
        const std::string dead = url("/token");
        m_server.reset();
        SalesforceClientCredentialsProvider down(dead, "id", "secret-value-123");
        ClientOptions quick;
        quick.retry.maxAttempts = 2;
        quick.retry.baseDelayMs = 10;
        HttpClient http(quick);
        r = down.token(http);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("Cannot reach Salesforce's sign-in service "
                                               "(127.0.0.1:"),
                 r.error().message.c_str());
        QVERIFY(r.error().message.find("secret-value-123") == std::string::npos);
        m_server = std::make_unique<EmulatorServer>(std::make_unique<OAuthEmulator>());
    }

    void cancelled()
    {
        CancelToken cancel;
        cancel.cancel();
        GoogleServiceAccountProvider provider(key(), {kScope});
        auto r = provider.token(*m_http, &cancel);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
    }

    void concurrentCallersShareOneFetch()
    {
        m_server->setLatency(200);
        GoogleServiceAccountProvider provider(key(), {kScope});
        std::vector<std::thread> threads;
        std::vector<std::string> tokens(4);
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&, i] {
                HttpClient http;
                tokens[i] = provider.accessToken(http).value_or("failed");
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(grants("jwt-bearer"), 1L);
        for (const auto &t : tokens)
            QCOMPARE(t, tokens[0]);
    }
};

QTEST_GUILESS_MAIN(TestTokenProvider)
#include "testtokenprovider.moc"

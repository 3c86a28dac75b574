#pragma once
// OAuth 2 token and authorization endpoints of Google, Salesforce and HubSpot in memory, for
// tests of the token providers and of destinations that sign in. Paths pick the vendor:
//   Google:     POST /token (also /o/oauth2/token), GET /o/oauth2/v2/auth
//   Salesforce: POST /services/oauth2/token,      GET /services/oauth2/authorize
//   HubSpot:    POST /oauth/v1/token,             GET /oauth/authorize
// Grants: JWT bearer (Google service accounts: the RS256 signature is checked against the
// account's public key, and iss, aud = this endpoint's own URL, iat/exp ≤ 1 h, scope; Salesforce:
// iss = consumer key, sub = a pre-authorized user, aud = login/test/this host, exp), client
// credentials (Salesforce), refresh_token (optionally rotating, which revokes the old one) and
// authorization_code with PKCE (the code_verifier must hash to the code_challenge; a code is
// used once; redirect_uri must match). The authorization endpoint stands in for the browser:
// it checks the request and answers 302 to the loopback redirect_uri with code and state (or
// error=access_denied). Answers and errors use the vendors' documented bodies
// (../../shared/reference/saas-apis.md §1b, §1c, §3); texts not found in a primary source are
// marked [UNCONFIRMED]. Everything here is independent of Sluice's own OAuth code (OpenSSL only).

#include "emulator.h"

#include <chrono>
#include <map>
#include <set>
#include <string>

namespace sluice::emu {

class OAuthEmulator : public Emulator
{
public:
    // Generates a throwaway RSA key pair (a test key, never a real one) and registers a Google
    // service account and a Salesforce connected app that use it, plus an OAuth client.
    OAuthEmulator();

    EmuReply handle(const EmuRequest &request) override;

    // --- Set-up ---
    static constexpr const char *kServiceAccount = "sa@example-project.iam.gserviceaccount.com";
    static constexpr const char *kClientId = "test-client.apps.example.com";
    static constexpr const char *kClientSecret = "test-client-secret-0123456789";
    static constexpr const char *kSalesforceClientId = "3MVG9test.consumer.key";
    static constexpr const char *kSalesforceClientSecret = "sf-consumer-secret-0123456789";
    static constexpr const char *kSalesforceUser = "integration@example.com";

    const std::string &privateKeyPem() const { return m_privateKey; } // the test key (PKCS#8)
    const std::string &publicKeyPem() const { return m_publicKey; }
    // A complete service-account key file for kServiceAccount whose token_uri is `tokenUri`.
    std::string serviceAccountKeyFile(const std::string &tokenUri) const;

    void addServiceAccount(const std::string &clientEmail, const std::string &publicKeyPem);
    void removeServiceAccount(const std::string &clientEmail); // its key was "deleted"
    // A client for refresh-token and authorization-code grants; an empty secret is a public
    // client (PKCE only).
    void addClient(const std::string &clientId, const std::string &clientSecret);
    void setSalesforceApp(const std::string &clientId, const std::string &clientSecret,
                          const std::string &publicKeyPem);
    void setInstanceUrl(std::string url) { m_instanceUrl = std::move(url); }
    // A refresh token the client may use (as if the user had signed in earlier).
    void addRefreshToken(const std::string &token, const std::string &clientId);
    // Each refresh answers with a new refresh token and revokes the old one.
    void setRotateRefreshTokens(bool on) { m_rotate = on; }
    void setAccessTokenLifetime(int seconds) { m_lifetime = seconds; }
    // What the "user" answers in the browser: allow (default) or deny.
    void setUserAllows(bool allows) { m_allows = allows; }
    // Every access token issued so far stops working (as after expiry or a password change).
    void revokeAccessTokens() { m_accessTokens.clear(); }

    // --- Inspection ---
    bool isValidAccessToken(const std::string &token) const;
    std::map<std::string, long> grants; // token requests by grant_type (answered with a token)
    long refusals = 0;                  // token requests answered with an error
    std::vector<std::string> lastForms; // raw bodies of the last 20 token requests

private:
    enum class Vendor
    {
        Google,
        Salesforce,
        HubSpot
    };
    struct Code
    {
        std::string clientId;
        std::string redirectUri;
        std::string challenge;
        std::string scope;
    };
    EmuReply token(Vendor vendor, const EmuRequest &request);
    EmuReply authorize(Vendor vendor, const EmuRequest &request);
    EmuReply googleJwt(const EmuRequest &request, const std::map<std::string, std::string> &form);
    EmuReply salesforceJwt(const EmuRequest &request,
                           const std::map<std::string, std::string> &form);
    EmuReply refresh(Vendor vendor, const std::map<std::string, std::string> &form);
    EmuReply authorizationCode(Vendor vendor, const std::map<std::string, std::string> &form);
    EmuReply clientCredentials(const std::map<std::string, std::string> &form);
    EmuReply issue(Vendor vendor, const std::string &grant, const std::string &scope,
                   const std::string &refreshToken);
    EmuReply refuse(Vendor vendor, int status, const std::string &error,
                    const std::string &description);
    std::string newToken(const char *prefix) const;

    std::string m_privateKey;
    std::string m_publicKey;
    std::map<std::string, std::string> m_serviceAccounts; // email → public key PEM
    std::map<std::string, std::string> m_clients;         // client id → secret
    std::string m_sfClientId;
    std::string m_sfClientSecret;
    std::string m_sfPublicKey;
    std::string m_instanceUrl = "https://example.my.salesforce.com";
    std::map<std::string, std::string> m_refreshTokens; // token → client id
    std::map<std::string, Code> m_codes;
    std::map<std::string, std::chrono::system_clock::time_point> m_accessTokens;
    bool m_rotate = false;
    bool m_allows = true;
    int m_lifetime = 3599;
};

} // namespace sluice::emu

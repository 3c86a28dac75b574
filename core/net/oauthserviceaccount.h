#pragma once
// Google service accounts (RFC 7523 JWT bearer grant): the key file's client_email signs a
// one-hour JWT with its RSA private key (iss, scope, aud = the key file's token_uri, iat, exp,
// optional sub for domain-wide delegation) and trades it at token_uri for an access token.

#include "net/tokenprovider.h"

#include <string>
#include <vector>

namespace sluice::net {

// The parts of a service-account key file (JSON, "type": "service_account") that signing needs.
struct ServiceAccountKey
{
    std::string clientEmail;
    std::string privateKey; // PEM
    std::string privateKeyId;
    std::string tokenUri; // defaults to https://oauth2.googleapis.com/token
    std::string projectId;
    ~ServiceAccountKey();

    // Errors name what is wrong with the file (not JSON, another kind of key, a missing field)
    // and never quote the private key.
    static Result<ServiceAccountKey> parse(std::string_view json);
};

class GoogleServiceAccountProvider : public TokenProvider
{
public:
    // `subject`: a user to act as (domain-wide delegation), or empty.
    GoogleServiceAccountProvider(ServiceAccountKey key, std::vector<std::string> scopes,
                                 std::string subject = {});

    // The signed assertion the token request carries (for tests).
    Result<std::string> assertion() const;

protected:
    Result<AccessToken> fetch(HttpClient &http, CancelToken *cancel) override;
    std::string fingerprint() const override;

private:
    ServiceAccountKey m_key;
    std::vector<std::string> m_scopes;
    std::string m_subject;
};

} // namespace sluice::net

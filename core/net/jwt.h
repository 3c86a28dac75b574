#pragma once
// JSON Web Tokens signed with RS256 (RFC 7515/7519), as Google's service-account and
// Salesforce's JWT-bearer grants want them: base64url(header).base64url(claims).signature, the
// signature RSASSA-PKCS1-v1_5 with SHA-256 over the first two parts, made with OpenSSL's EVP
// interface. Verification (for the token-endpoint emulators) takes a PEM public key or
// certificate. Also the base64 codecs these formats use. No message ever contains key material.

#include "util/error.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace sluice::net {

std::string base64Encode(std::string_view data);    // RFC 4648 §4, with '=' padding
std::string base64UrlEncode(std::string_view data); // RFC 4648 §5, without padding (as JWT)
// Both accept text with or without padding; anything outside the alphabet is an error.
Result<std::string> base64Decode(std::string_view text);
Result<std::string> base64UrlDecode(std::string_view text);

// Signs `claims` with a PEM RSA private key: PKCS#8 ("BEGIN PRIVATE KEY", as in Google key
// files) or PKCS#1 ("BEGIN RSA PRIVATE KEY"). The header gets "alg":"RS256" and "typ":"JWT"
// unless it already says otherwise for typ; extra header fields (kid) are kept. A key pasted
// with literal "\n" sequences instead of line breaks is accepted too.
Result<std::string> signJwtRs256(const nlohmann::json &claims, std::string_view privateKeyPem,
                                 nlohmann::json header = nlohmann::json::object());

struct DecodedJwt
{
    nlohmann::json header;
    nlohmann::json claims;
};

// Splits and decodes a JWT without checking its signature.
Result<DecodedJwt> decodeJwt(std::string_view jwt);
// Checks that the JWT is RS256 and its signature matches the PEM public key ("BEGIN PUBLIC KEY",
// "BEGIN RSA PUBLIC KEY") or certificate ("BEGIN CERTIFICATE"); returns its header and claims.
// Time claims (exp, iat) are the caller's to check.
Result<DecodedJwt> verifyJwtRs256(std::string_view jwt, std::string_view publicKeyPem);

// A fresh RSA key pair in PEM, for tests and emulators: the private half as PKCS#8 or PKCS#1,
// the public half as "BEGIN PUBLIC KEY".
struct RsaKeyPair
{
    std::string privateKeyPem;
    std::string publicKeyPem;
};
Result<RsaKeyPair> generateRsaKeyPair(int bits = 2048, bool pkcs1 = false);

} // namespace sluice::net

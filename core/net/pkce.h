#pragma once
// Proof Key for Code Exchange (RFC 7636) and the other random strings of the OAuth 2
// authorization-code flow: the app keeps a random code_verifier, sends its SHA-256
// (code_challenge, method S256) with the authorization request, and proves it is the same app by
// sending the verifier with the code; `state` ties the redirect to the request. All randomness
// comes from OpenSSL's RAND_bytes.

#include "util/error.h"

#include <string>
#include <string_view>

namespace sluice::net {

// `length` characters (43..128, RFC 7636 §4.1) from the unreserved set [A-Za-z0-9-._~].
Result<std::string> makeCodeVerifier(std::size_t length = 64);
// BASE64URL(SHA256(ASCII(code_verifier))), no padding (RFC 7636 §4.2).
std::string codeChallengeS256(std::string_view verifier);
// Whether a verifier matches a challenge sent earlier with method S256 (for the emulators).
bool verifyCodeChallengeS256(std::string_view verifier, std::string_view challenge);
// An unguessable value for `state` (and other one-time ids): 32 random bytes, base64url.
Result<std::string> makeState();
// `bytes` random bytes from RAND_bytes, base64url-encoded.
Result<std::string> randomUrlSafe(std::size_t bytes);

// Compares in time that depends only on the lengths, for secrets and signatures.
bool constantTimeEquals(std::string_view a, std::string_view b);

} // namespace sluice::net

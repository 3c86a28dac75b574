#include "net/pkce.h"

#include "net/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>

namespace sluice::net {

namespace {

Result<std::string> randomBytes(std::size_t n)
{
    std::string bytes(n, '\0');
    if (n > static_cast<std::size_t>(INT_MAX) ||
        RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), static_cast<int>(n)) != 1)
        return fail(ErrorKind::Internal, "The system's random number generator failed; try again.");
    return bytes;
}

} // namespace

Result<std::string> makeCodeVerifier(std::size_t length)
{
    if (length < 43 || length > 128)
        return fail(ErrorKind::Usage, "A PKCE code verifier has 43 to 128 characters.");
    // Unbiased: each random byte is mapped onto the 66 allowed characters only when it falls
    // below the largest multiple of 66 (264 > 256, so 198 = 3 × 66); the rest are drawn again.
    static constexpr char kAllowed[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    constexpr unsigned kCount = sizeof kAllowed - 1;
    constexpr unsigned kLimit = 256 / kCount * kCount;
    std::string out;
    out.reserve(length);
    while (out.size() < length) {
        auto bytes = randomBytes(length);
        if (!bytes)
            return std::unexpected(bytes.error());
        for (unsigned char b : *bytes) {
            if (b < kLimit && out.size() < length)
                out += kAllowed[b % kCount];
        }
    }
    return out;
}

std::string codeChallengeS256(std::string_view verifier)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(verifier.data(), verifier.size(), digest, &size, EVP_sha256(), nullptr);
    return base64UrlEncode(std::string_view(reinterpret_cast<const char *>(digest), size));
}

bool verifyCodeChallengeS256(std::string_view verifier, std::string_view challenge)
{
    return constantTimeEquals(codeChallengeS256(verifier), challenge);
}

Result<std::string> randomUrlSafe(std::size_t bytes)
{
    auto raw = randomBytes(bytes);
    if (!raw)
        return std::unexpected(raw.error());
    return base64UrlEncode(*raw);
}

Result<std::string> makeState()
{
    return randomUrlSafe(32);
}

bool constantTimeEquals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace sluice::net

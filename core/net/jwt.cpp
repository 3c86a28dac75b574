#include "net/jwt.h"

#include "secrets/secretstore.h"

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <array>
#include <memory>

namespace sluice::net {

namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view data, const char *alphabet, bool pad)
{
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const unsigned v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    const std::size_t rest = data.size() - i;
    if (rest == 1) {
        const unsigned v = p[i] << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (pad)
            out += "==";
    } else if (rest == 2) {
        const unsigned v = (p[i] << 16) | (p[i + 1] << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        if (pad)
            out += '=';
    }
    return out;
}

Result<std::string> decode(std::string_view text, const char *alphabet, const char *what)
{
    std::array<signed char, 256> table;
    table.fill(-1);
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    std::size_t end = text.size();
    while (end > 0 && text[end - 1] == '=' && text.size() - end < 2)
        --end;
    const std::size_t padding = text.size() - end;
    auto bad = [&] {
        return fail(ErrorKind::Invalid, std::string("The text is not valid ") + what + ".");
    };
    if ((padding > 0 && text.size() % 4 != 0) || end % 4 == 1)
        return bad();
    std::string out;
    out.reserve(end / 4 * 3 + 2);
    unsigned buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < end; ++i) {
        const int v = table[static_cast<unsigned char>(text[i])];
        if (v < 0)
            return bad();
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

struct PkeyFree
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
struct BioFree
{
    void operator()(BIO *p) const { BIO_free(p); }
};
struct MdCtxFree
{
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
};
struct X509Free
{
    void operator()(X509 *p) const { X509_free(p); }
};
struct DecoderFree
{
    void operator()(OSSL_DECODER_CTX *p) const { OSSL_DECODER_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

// OpenSSL's reason for the log (never key material), and an empty error queue afterwards.
std::string opensslReason()
{
    std::string detail;
    while (unsigned long e = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(e, text, sizeof text);
        detail += (detail.empty() ? "" : "; ") + std::string(text);
    }
    return detail;
}

// Encrypted keys would make OpenSSL ask for a password on the terminal: refuse instead.
int noPassword(char *, int, int, void *)
{
    return -1;
}

Bio memoryBio(std::string_view text)
{
    return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

Result<Pkey> loadPrivateKey(std::string_view pemIn)
{
    ERR_clear_error();
    std::string pem(pemIn);
    // Pasted out of a JSON file by hand, a key keeps its "\n" escapes.
    if (pem.find('\n') == std::string::npos && pem.find("\\n") != std::string::npos) {
        std::string fixed;
        for (std::size_t i = 0; i < pem.size(); ++i) {
            if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
                fixed += '\n';
                ++i;
            } else {
                fixed += pem[i];
            }
        }
        wipeSecret(pem);
        pem = std::move(fixed);
    }
    struct Wipe
    {
        std::string &text;
        ~Wipe() { wipeSecret(text); }
    } wipe{pem};
    if (pem.find("-----BEGIN") == std::string::npos)
        return fail(ErrorKind::Invalid,
                    "The private key is not in PEM format: it should start with "
                    "\"-----BEGIN PRIVATE KEY-----\". Use the key exactly as downloaded.");
    if (pem.find("ENCRYPTED") != std::string::npos)
        return fail(ErrorKind::Invalid,
                    "The private key is protected by a password, which Sluice cannot use. "
                    "Export an unencrypted key (e.g. openssl pkcs8 -nocrypt).");
    Bio bio = memoryBio(pem);
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr));
    if (!key)
        return fail(ErrorKind::Invalid,
                    "The private key cannot be read: it is damaged or not a private key. Use "
                    "the key exactly as downloaded (\"-----BEGIN PRIVATE KEY-----\" … "
                    "\"-----END PRIVATE KEY-----\").",
                    opensslReason());
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
        return fail(ErrorKind::Invalid,
                    "The private key is not an RSA key; RS256 signatures need an RSA key.");
    return key;
}

Result<Pkey> loadPublicKey(std::string_view pem)
{
    ERR_clear_error();
    Bio bio = memoryBio(pem);
    Pkey key;
    if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
        std::unique_ptr<X509, X509Free> cert(
            PEM_read_bio_X509(bio.get(), nullptr, noPassword, nullptr));
        if (cert)
            key.reset(X509_get_pubkey(cert.get()));
    } else {
        // "BEGIN PUBLIC KEY" (SubjectPublicKeyInfo) and "BEGIN RSA PUBLIC KEY" (PKCS#1).
        EVP_PKEY *raw = nullptr;
        std::unique_ptr<OSSL_DECODER_CTX, DecoderFree> decoder(OSSL_DECODER_CTX_new_for_pkey(
            &raw, "PEM", nullptr, "RSA", OSSL_KEYMGMT_SELECT_PUBLIC_KEY, nullptr, nullptr));
        if (decoder && OSSL_DECODER_from_bio(decoder.get(), bio.get()) == 1)
            key.reset(raw);
    }
    if (!key)
        return fail(ErrorKind::Invalid,
                    "The public key cannot be read: give a PEM public key or certificate.",
                    opensslReason());
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
        return fail(ErrorKind::Invalid, "The public key is not an RSA key.");
    return key;
}

Result<nlohmann::json> decodeJsonPart(std::string_view part, const char *what)
{
    auto bytes = base64UrlDecode(part);
    if (!bytes)
        return fail(ErrorKind::Invalid, std::string("The JWT's ") + what + " is not base64url.");
    auto json = nlohmann::json::parse(*bytes, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return fail(ErrorKind::Invalid,
                    std::string("The JWT's ") + what + " is not a JSON object.");
    return json;
}

} // namespace

std::string base64Encode(std::string_view data)
{
    return encode(data, kStd, true);
}

std::string base64UrlEncode(std::string_view data)
{
    return encode(data, kUrl, false);
}

Result<std::string> base64Decode(std::string_view text)
{
    return decode(text, kStd, "base64");
}

Result<std::string> base64UrlDecode(std::string_view text)
{
    return decode(text, kUrl, "base64url");
}

Result<std::string> signJwtRs256(const nlohmann::json &claims, std::string_view privateKeyPem,
                                 nlohmann::json header)
{
    if (!claims.is_object() || !header.is_object())
        return fail(ErrorKind::Usage, "A JWT's header and claims must be JSON objects.");
    auto key = loadPrivateKey(privateKeyPem);
    if (!key)
        return std::unexpected(key.error());
    header["alg"] = "RS256";
    if (!header.contains("typ"))
        header["typ"] = "JWT";
    const std::string input = base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims.dump());
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    std::size_t length = 0;
    auto data = reinterpret_cast<const unsigned char *>(input.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1)
        return fail(ErrorKind::Internal, "Signing the JWT failed.", opensslReason());
    std::string signature(length, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       data, input.size()) != 1)
        return fail(ErrorKind::Internal, "Signing the JWT failed.", opensslReason());
    signature.resize(length);
    return input + "." + base64UrlEncode(signature);
}

Result<DecodedJwt> decodeJwt(std::string_view jwt)
{
    const auto first = jwt.find('.');
    const auto second = first == std::string_view::npos ? first : jwt.find('.', first + 1);
    if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos)
        return fail(ErrorKind::Invalid, "The JWT is malformed: it must have three parts "
                                        "separated by dots.");
    auto header = decodeJsonPart(jwt.substr(0, first), "header");
    if (!header)
        return std::unexpected(header.error());
    auto claims = decodeJsonPart(jwt.substr(first + 1, second - first - 1), "claims");
    if (!claims)
        return std::unexpected(claims.error());
    return DecodedJwt{std::move(*header), std::move(*claims)};
}

Result<DecodedJwt> verifyJwtRs256(std::string_view jwt, std::string_view publicKeyPem)
{
    auto decoded = decodeJwt(jwt);
    if (!decoded)
        return decoded;
    // The algorithm is fixed here, not taken from the token: "none" or HS256 never pass.
    if (decoded->header.value("alg", "") != "RS256")
        return fail(ErrorKind::Invalid, "The JWT is not signed with RS256.");
    auto key = loadPublicKey(publicKeyPem);
    if (!key)
        return std::unexpected(key.error());
    const auto dot = jwt.rfind('.');
    auto signature = base64UrlDecode(jwt.substr(dot + 1));
    if (!signature)
        return fail(ErrorKind::Invalid, "The JWT's signature is not base64url.");
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    const std::string_view input = jwt.substr(0, dot);
    ERR_clear_error();
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1)
        return fail(ErrorKind::Internal, "Checking the JWT's signature failed.", opensslReason());
    const int ok = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char *>(signature->data()), signature->size(),
        reinterpret_cast<const unsigned char *>(input.data()), input.size());
    ERR_clear_error();
    if (ok != 1)
        return fail(ErrorKind::Invalid, "Invalid JWT Signature.");
    return decoded;
}

Result<RsaKeyPair> generateRsaKeyPair(int bits, bool pkcs1)
{
    ERR_clear_error();
    Pkey key(EVP_RSA_gen(static_cast<unsigned>(bits)));
    if (!key)
        return fail(ErrorKind::Internal, "Generating an RSA key failed.", opensslReason());
    auto toText = [](BIO *bio) {
        char *data = nullptr;
        const long n = BIO_get_mem_data(bio, &data);
        return std::string(data, static_cast<std::size_t>(n));
    };
    Bio priv(BIO_new(BIO_s_mem()));
    Bio pub(BIO_new(BIO_s_mem()));
    const int wrote = pkcs1 ? PEM_write_bio_PrivateKey_traditional(priv.get(), key.get(), nullptr,
                                                                   nullptr, 0, nullptr, nullptr)
                            : PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0,
                                                       nullptr, nullptr);
    if (wrote != 1 || PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1)
        return fail(ErrorKind::Internal, "Writing an RSA key failed.", opensslReason());
    return RsaKeyPair{toText(priv.get()), toText(pub.get())};
}

} // namespace sluice::net

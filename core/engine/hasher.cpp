#include "engine/hasher.h"

#include <openssl/evp.h>

#include <cstring>

namespace sluice {

Hasher::Hasher() : m_ctx(EVP_MD_CTX_new()), m_md(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {}

Hasher::~Hasher()
{
    EVP_MD_CTX_free(m_ctx);
    EVP_MD_free(m_md);
}

std::int64_t Hasher::hash(std::string_view bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestInit_ex(m_ctx, m_md, nullptr);
    EVP_DigestUpdate(m_ctx, bytes.data(), bytes.size());
    EVP_DigestFinal_ex(m_ctx, digest, &len);
    std::int64_t out;
    std::memcpy(&out, digest, sizeof out);
    return out == 0 ? 1 : out; // 0 marks an empty slot in StateIndex
}

std::int64_t Hasher::hashRecord(std::int64_t seed, const std::vector<Value> &values)
{
    m_buffer.clear();
    m_buffer.append(reinterpret_cast<const char *>(&seed), sizeof seed);
    for (const Value &v : values) {
        m_buffer += static_cast<char>(v.type);
        switch (v.type) {
        case ValueType::Null:
            break;
        case ValueType::Integer:
            m_buffer.append(reinterpret_cast<const char *>(&v.integer), sizeof v.integer);
            break;
        case ValueType::Real:
            m_buffer.append(reinterpret_cast<const char *>(&v.real), sizeof v.real);
            break;
        case ValueType::Text: {
            const auto n = static_cast<std::uint32_t>(v.text.size());
            m_buffer.append(reinterpret_cast<const char *>(&n), sizeof n);
            m_buffer += v.text;
            break;
        }
        }
    }
    return hash(m_buffer);
}

} // namespace sluice

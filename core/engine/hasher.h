#pragma once
// 64-bit digests for change detection: the first 8 bytes of SHA-256 (OpenSSL, hardware
// accelerated), stable across versions and platforms so stored state stays valid.

#include "data/value.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_md_ctx_st EVP_MD_CTX;
typedef struct evp_md_st EVP_MD;

namespace sluice {

class Hasher
{
public:
    Hasher();
    ~Hasher();
    Hasher(const Hasher &) = delete;
    Hasher &operator=(const Hasher &) = delete;

    std::int64_t hash(std::string_view bytes); // never 0
    // Digest of a mapped record: each value's type and bytes, unambiguously framed, after a
    // seed (the mapped field names) so a changed mapping counts as a change.
    std::int64_t hashRecord(std::int64_t seed, const std::vector<Value> &values);

private:
    EVP_MD_CTX *m_ctx;
    EVP_MD *m_md;
    std::string m_buffer;
};

} // namespace sluice

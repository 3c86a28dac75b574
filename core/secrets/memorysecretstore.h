#pragma once
// A secret store that keeps secrets in memory only: for tests, and for a session that must not
// write credentials anywhere (they are gone when the process ends).

#include "secrets/secretstore.h"

#include <map>
#include <mutex>

namespace sluice {

class MemorySecretStore : public SecretStore
{
public:
    ~MemorySecretStore() override;

    std::string describe() const override { return "the in-memory secret store"; }
    Result<std::optional<std::string>> get(const std::string &key) override;
    Result<void> set(const std::string &key, const std::string &value) override;
    Result<void> remove(const std::string &key) override;

    std::map<std::string, std::string> all() const; // for tests

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::string> m_secrets;
};

} // namespace sluice

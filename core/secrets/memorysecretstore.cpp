#include "secrets/memorysecretstore.h"

namespace sluice {

MemorySecretStore::~MemorySecretStore()
{
    for (auto &[key, value] : m_secrets)
        wipeSecret(value);
}

Result<std::optional<std::string>> MemorySecretStore::get(const std::string &key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_secrets.find(key);
    if (it == m_secrets.end())
        return std::optional<std::string>();
    return std::optional<std::string>(it->second);
}

Result<void> MemorySecretStore::set(const std::string &key, const std::string &value)
{
    if (key.empty())
        return fail(ErrorKind::Usage, "A secret needs a name.");
    std::lock_guard lock(m_mutex);
    auto &slot = m_secrets[key];
    wipeSecret(slot);
    slot = value;
    return {};
}

Result<void> MemorySecretStore::remove(const std::string &key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_secrets.find(key);
    if (it != m_secrets.end()) {
        wipeSecret(it->second);
        m_secrets.erase(it);
    }
    return {};
}

std::map<std::string, std::string> MemorySecretStore::all() const
{
    std::lock_guard lock(m_mutex);
    return m_secrets;
}

} // namespace sluice

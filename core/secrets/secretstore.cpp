#include "secrets/secretstore.h"

#include "secrets/filesecretstore.h"

#include <openssl/crypto.h>

#include <map>
#include <mutex>

namespace sluice {

std::shared_ptr<SecretStore> defaultSecretStore()
{
    // One object per path, so every part of the process shares its lock; the path is looked up
    // each time because tests point SLUICE_SECRETS_FILE somewhere else per test.
    static std::mutex mutex;
    static std::map<std::filesystem::path, std::shared_ptr<SecretStore>> stores;
    const std::filesystem::path path = FileSecretStore::defaultPath();
    std::lock_guard lock(mutex);
    auto &store = stores[path];
    if (!store)
        store = std::make_shared<FileSecretStore>(path);
    return store;
}

void wipeSecret(std::string &text)
{
    if (!text.empty())
        OPENSSL_cleanse(text.data(), text.size());
    text.clear();
}

} // namespace sluice

#pragma once
// Where credentials live, behind one small interface: a secret is a string stored under a string
// key (e.g. "connection:<uuid>:api_token", "token:<fingerprint>"). The file store is the
// fallback that works everywhere; an OS keychain backend (QtKeychain / libsecret) can implement
// the same interface later. Implementations are safe to call from several threads, and their
// messages never contain a secret.

#include "util/error.h"

#include <memory>
#include <optional>
#include <string>

namespace sluice {

class SecretStore
{
public:
    virtual ~SecretStore() = default;

    // Where the secrets are, for messages ("the file /home/ann/.local/share/Sluice/secrets.json").
    virtual std::string describe() const = 0;
    // nullopt when no secret is stored under the key; an error when the store cannot be read.
    virtual Result<std::optional<std::string>> get(const std::string &key) = 0;
    virtual Result<void> set(const std::string &key, const std::string &value) = 0;
    // Removing a key that is not there is not an error.
    virtual Result<void> remove(const std::string &key) = 0;
};

// The user's store: a FileSecretStore at $SLUICE_SECRETS_FILE, or else secrets.json in the
// application data folder (QStandardPaths::AppDataLocation). One object per path, shared.
std::shared_ptr<SecretStore> defaultSecretStore();

// Overwrites a buffer that held a secret, in a way the optimizer cannot drop.
void wipeSecret(std::string &text);

} // namespace sluice

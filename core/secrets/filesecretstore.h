#pragma once
// The secret store that works on every machine: one JSON file readable by its owner only
// (mode 0600, in a 0700 folder when Sluice creates it). Every change rewrites the file atomically
// (a 0600 temp file, fsync, rename) under an advisory lock, so the GUI and a scheduled CLI run
// can both write (e.g. a rotated refresh token) without losing each other's changes. A file
// that others can read is tightened to 0600 before use; one owned by another user is refused.

#include "secrets/secretstore.h"

#include <filesystem>
#include <mutex>

namespace sluice {

class FileSecretStore : public SecretStore
{
public:
    explicit FileSecretStore(std::filesystem::path path);

    // $SLUICE_SECRETS_FILE when set, else <AppDataLocation>/secrets.json.
    static std::filesystem::path defaultPath();

    const std::filesystem::path &path() const { return m_path; }

    std::string describe() const override;
    Result<std::optional<std::string>> get(const std::string &key) override;
    Result<void> set(const std::string &key, const std::string &value) override;
    Result<void> remove(const std::string &key) override;

private:
    struct Content;
    Result<Content> load();
    Result<void> save(const Content &content);
    template <class F> Result<void> update(F &&change);

    std::filesystem::path m_path;
    std::mutex m_mutex;
};

} // namespace sluice

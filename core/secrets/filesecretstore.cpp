#include "secrets/filesecretstore.h"

#include <QStandardPaths>
#include <QtGlobal>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sluice {

namespace {

constexpr int kFormatVersion = 1;

std::string errnoText(int err)
{
    return std::strerror(err);
}

// Closes a file descriptor on every return path.
class Fd
{
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

Result<void> writeAll(int fd, const std::string &text)
{
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(ErrorKind::Io, errnoText(errno));
        }
        done += static_cast<std::size_t>(n);
    }
    return {};
}

} // namespace

struct FileSecretStore::Content
{
    nlohmann::json secrets = nlohmann::json::object();
};

FileSecretStore::FileSecretStore(std::filesystem::path path) : m_path(std::move(path)) {}

std::filesystem::path FileSecretStore::defaultPath()
{
    const QString fromEnv = qEnvironmentVariable("SLUICE_SECRETS_FILE");
    if (!fromEnv.isEmpty())
        return std::filesystem::path(fromEnv.toStdString());
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::HomeLocation) + "/.sluice";
    return std::filesystem::path(dir.toStdString()) / "secrets.json";
}

std::string FileSecretStore::describe() const
{
    return "the secrets file " + m_path.string();
}

Result<FileSecretStore::Content> FileSecretStore::load()
{
    Content content;
    Fd fd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT)
            return content; // nothing stored yet
        return fail(ErrorKind::Io, "Cannot read " + describe() + ": " + errnoText(errno) + ".",
                    "open failed");
    }
    struct stat st
    {
    };
    if (::fstat(fd.get(), &st) != 0)
        return fail(ErrorKind::Io, "Cannot read " + describe() + ": " + errnoText(errno) + ".");
    if (!S_ISREG(st.st_mode))
        return fail(ErrorKind::Io, "Cannot read " + describe() +
                                       ": it is not a regular file. Move it away and enter the "
                                       "connections' secrets again.");
    if (st.st_uid != ::geteuid())
        return fail(ErrorKind::Io, describe() +
                                       " belongs to another user, so Sluice will not trust the "
                                       "secrets in it. Move it away, or fix its owner.");
    if ((st.st_mode & 077) != 0) {
        // Someone (a copy, a backup restore) made it readable by others: close that door before
        // reading, like ssh does for its keys, and say so in the log.
        if (::fchmod(fd.get(), 0600) != 0)
            return fail(ErrorKind::Io, describe() +
                                           " can be read by other users and its permissions "
                                           "cannot be changed (" +
                                           errnoText(errno) + "). Run: chmod 600 " +
                                           m_path.string());
        qWarning("Sluice: %s was readable by other users; its permissions are now 0600.",
                 m_path.c_str());
    }
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            wipeSecret(text);
            return fail(ErrorKind::Io, "Cannot read " + describe() + ": " + errnoText(errno) + ".");
        }
        if (n == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    std::memset(buffer, 0, sizeof buffer);
    if (text.empty())
        return content; // an empty file: as if nothing were stored
    // No parser message in the error: it quotes the text around the problem, which is a secret.
    auto json = nlohmann::json::parse(text, nullptr, false);
    wipeSecret(text);
    if (json.is_discarded() || !json.is_object() || !json.contains("secrets") ||
        !json["secrets"].is_object())
        return fail(ErrorKind::Io, describe() +
                                       " is damaged (it is not a Sluice secrets file). Move it "
                                       "away; then enter the connections' secrets again.");
    if (json.value("sluice_secrets", 0) > kFormatVersion)
        return fail(ErrorKind::Io,
                    describe() + " was written by a newer Sluice. Update Sluice to use it.");
    for (auto it = json["secrets"].begin(); it != json["secrets"].end(); ++it) {
        if (!it->is_string())
            return fail(ErrorKind::Io, describe() + " is damaged (the entry \"" + it.key() +
                                           "\" is not text). Move the file away; then enter "
                                           "the connections' secrets again.");
    }
    content.secrets = std::move(json["secrets"]);
    return content;
}

Result<void> FileSecretStore::save(const Content &content)
{
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path tmp =
        m_path.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    auto failed = [&](const std::string &what) -> Result<void> {
        ::unlink(tmp.c_str());
        return fail(ErrorKind::Io, "Cannot save " + describe() + ": " + what +
                                       ". Check that the folder is writable and the disk is "
                                       "not full.");
    };
    // O_EXCL and mode 0600 at creation: the file is never readable by others, not even for the
    // moment between creating it and a chmod.
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        return failed(errnoText(errno));
    std::string text =
        nlohmann::json{{"sluice_secrets", kFormatVersion}, {"secrets", content.secrets}}.dump(2) +
        "\n";
    auto written = writeAll(fd.get(), text);
    wipeSecret(text);
    if (!written)
        return failed(written.error().message);
    if (::fsync(fd.get()) != 0)
        return failed(errnoText(errno));
    if (::close(fd.release()) != 0)
        return failed(errnoText(errno));
    if (::rename(tmp.c_str(), m_path.c_str()) != 0)
        return failed(errnoText(errno));
    // The rename itself must survive a power cut too.
    Fd dir(::open(m_path.parent_path().empty() ? "." : m_path.parent_path().c_str(),
                  O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0)
        ::fsync(dir.get());
    return {};
}

template <class F> Result<void> FileSecretStore::update(F &&change)
{
    std::lock_guard guard(m_mutex);
    const std::filesystem::path dir = m_path.parent_path();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
        if (dir.has_parent_path())
            std::filesystem::create_directories(dir.parent_path(), ec);
        // The folder Sluice creates for its secrets is its owner's alone.
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
            return fail(ErrorKind::Io, "Cannot create the folder " + dir.string() + " for " +
                                           describe() + ": " + errnoText(errno) + ".");
    }
    // Another process (the GUI, a scheduled run) may change the file at the same time: the lock
    // makes read-change-write one step, so neither loses the other's change.
    const std::string lockPath = m_path.string() + ".lock";
    Fd lock(::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (lock.get() < 0)
        return fail(ErrorKind::Io, "Cannot lock " + describe() + ": " + errnoText(errno) + ".");
    while (::flock(lock.get(), LOCK_EX) != 0) {
        if (errno != EINTR)
            return fail(ErrorKind::Io, "Cannot lock " + describe() + ": " + errnoText(errno) + ".");
    }
    auto content = load();
    if (!content)
        return std::unexpected(content.error());
    if (!change(content->secrets))
        return {}; // nothing changed: no write
    return save(*content);
}

Result<std::optional<std::string>> FileSecretStore::get(const std::string &key)
{
    std::lock_guard guard(m_mutex);
    // No lock file for reading: the file is only ever replaced whole (rename), so a reader sees
    // either the old or the new version.
    auto content = load();
    if (!content)
        return std::unexpected(content.error());
    auto it = content->secrets.find(key);
    if (it == content->secrets.end())
        return std::optional<std::string>();
    return std::optional<std::string>(it->get<std::string>());
}

Result<void> FileSecretStore::set(const std::string &key, const std::string &value)
{
    if (key.empty())
        return fail(ErrorKind::Usage, "A secret needs a name.");
    return update([&](nlohmann::json &secrets) {
        auto it = secrets.find(key);
        if (it != secrets.end() && it->get_ref<const std::string &>() == value)
            return false;
        secrets[key] = value;
        return true;
    });
}

Result<void> FileSecretStore::remove(const std::string &key)
{
    std::error_code ec;
    if (!std::filesystem::exists(m_path, ec))
        return {}; // nothing stored, nothing to remove (and no folder or lock file to create)
    return update([&](nlohmann::json &secrets) { return secrets.erase(key) > 0; });
}

} // namespace sluice

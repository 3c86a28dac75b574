#pragma once
// The workspace: one SQLite file (WAL) holding a user's connections, models, syncs, runs and
// per-sync state. Opening it migrates the schema forward; typed accessors keep SQL out of
// callers. One Workspace object per thread: open another for another thread.

#include "data/driverinfo.h"
#include "secrets/secretstore.h"
#include "util/sqlite.h"
#include "workspace/definitions.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace sluice {

class Workspace
{
public:
    static constexpr int schemaVersion = 2;

    // Creates the file (and its folder) when missing, then migrates it to schemaVersion.
    static Result<Workspace> open(const std::filesystem::path &path);
    // The default workspace in the user's data folder (QStandardPaths::AppDataLocation).
    static std::filesystem::path defaultPath();

    Workspace(Workspace &&) noexcept = default;
    Workspace &operator=(Workspace &&) noexcept = default;

    const std::filesystem::path &path() const { return m_path; }
    // Relative paths in connection settings resolve against this folder.
    std::filesystem::path baseDir() const { return m_path.parent_path(); }
    SqliteDb &db() { return m_db; }
    Result<int> version();

    // Where connections' secrets live: the user's default store unless a test sets another.
    // The store is per user, not per workspace: its keys are unique across workspaces.
    SecretStore &secretStore() { return *m_secrets; }
    void setSecretStore(std::shared_ptr<SecretStore> store) { m_secrets = std::move(store); }
    // What drivers are created with: relative paths resolve against the workspace's folder, and
    // secret settings are read from this workspace's secret store.
    DriverContext driverContext() const { return DriverContext{baseDir(), m_secrets}; }

    // Connections. save* inserts when id == 0, else updates; it validates settings against
    // the driver's declared settings. Secret settings never reach the workspace file: a typed
    // value moves into the secret store and the file keeps a marker, "env:NAME" is kept as a
    // reference, and an absent or empty secret keeps the stored one (secrets/secretsettings.h).
    // Removing a connection removes its secrets.
    Result<std::vector<ConnectionDef>> connections();
    Result<ConnectionDef> connection(std::int64_t id);
    Result<ConnectionDef> connectionByName(const std::string &name);
    Result<std::int64_t> saveConnection(const ConnectionDef &connection);
    Result<void> removeConnection(std::int64_t id);

    Result<std::vector<ModelDef>> models();
    Result<ModelDef> model(std::int64_t id);
    Result<ModelDef> modelByName(const std::string &name);
    Result<std::int64_t> saveModel(const ModelDef &model);
    Result<void> removeModel(std::int64_t id);

    Result<std::vector<SyncDef>> syncs();
    Result<SyncDef> sync(std::int64_t id);
    Result<SyncDef> syncByName(const std::string &name);
    Result<std::int64_t> saveSync(const SyncDef &sync);
    Result<void> removeSync(std::int64_t id); // also drops its runs and state
    Result<std::vector<SyncSummary>> syncSummaries();

    // Runs.
    Result<std::int64_t> insertRun(const RunRecord &run);
    Result<void> updateRun(const RunRecord &run);
    Result<std::vector<RunRecord>> runs(std::int64_t syncId, int limit = 100);
    Result<std::optional<RunRecord>> lastRun(std::int64_t syncId);
    Result<std::vector<RejectedRecord>> rejectedRecords(std::int64_t runId);
    // Marks runs left "running" by a process that died as failed, so history tells the truth.
    Result<void> closeInterruptedRuns(std::int64_t syncId, const std::string &message);

private:
    Workspace(std::filesystem::path path, SqliteDb db)
        : m_path(std::move(path)), m_db(std::move(db)), m_secrets(defaultSecretStore())
    {
    }
    Result<void> migrate();

    std::filesystem::path m_path;
    SqliteDb m_db;
    std::shared_ptr<SecretStore> m_secrets;
};

} // namespace sluice

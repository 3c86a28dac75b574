#pragma once
// The workspace: one SQLite file (WAL) holding a user's connections, models, syncs, runs and
// per-sync state. Opening it migrates the schema forward; typed accessors keep SQL out of
// callers. One Workspace object per thread: open another for another thread.

#include "util/sqlite.h"
#include "workspace/definitions.h"

#include <filesystem>
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

    // Connections. save* inserts when id == 0, else updates; it validates settings against
    // the driver's declared settings and refuses to store secrets.
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
        : m_path(std::move(path)), m_db(std::move(db))
    {
    }
    Result<void> migrate();

    std::filesystem::path m_path;
    SqliteDb m_db;
};

} // namespace sluice

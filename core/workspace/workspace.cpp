#include "workspace/workspace.h"

#include "destinations/destinationregistry.h"
#include "secrets/secretsettings.h"
#include "sources/sourceregistry.h"
#include "workspace/migrations.h"

#include <QStandardPaths>

#include <sqlite3.h>

#include <signal.h>
#include <unistd.h>

namespace sluice {

namespace {

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        auto r_ = (expr);                                                                          \
        if (!r_)                                                                                   \
            return std::unexpected(r_.error());                                                    \
    } while (0)

nlohmann::json parseJsonColumn(std::string_view text, nlohmann::json fallback)
{
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? fallback : j;
}

ConnectionDef readConnection(const SqliteStatement &s)
{
    ConnectionDef c;
    c.id = s.columnInt(0);
    c.name = s.columnText(1);
    c.role =
        s.columnTextView(2) == "destination" ? ConnectionRole::Destination : ConnectionRole::Source;
    c.kind = s.columnText(3);
    c.settings = parseJsonColumn(s.columnTextView(4), nlohmann::json::object());
    return c;
}

ModelDef readModel(const SqliteStatement &s)
{
    ModelDef m;
    m.id = s.columnInt(0);
    m.name = s.columnText(1);
    m.connectionId = s.columnInt(2);
    m.sql = s.columnText(3);
    m.table = s.columnText(4);
    m.primaryKey = s.columnText(5);
    m.description = s.columnText(6);
    return m;
}

SyncDef readSync(const SqliteStatement &s)
{
    SyncDef d;
    d.id = s.columnInt(0);
    d.name = s.columnText(1);
    d.modelId = s.columnInt(2);
    d.destinationId = s.columnInt(3);
    d.object = s.columnText(4);
    d.mode = syncModeFromName(s.columnTextView(5)).value_or(SyncMode::Upsert);
    d.keyField = s.columnText(6);
    if (auto m = mappingFromJson(parseJsonColumn(s.columnTextView(7), nlohmann::json::array())))
        d.mapping = *m;
    d.schedule = parseJsonColumn(s.columnTextView(8), nlohmann::json{{"type", "manual"}});
    if (auto o = SyncOptions::fromJson(parseJsonColumn(s.columnTextView(9), {})))
        d.options = *o;
    d.enabled = s.columnInt(10) != 0;
    return d;
}

constexpr const char *kRunColumns =
    "id, sync_id, trigger, status, started_at, coalesce(finished_at, ''), duration_ms, rows_read, "
    "added, changed, removed, unchanged, rejected, skipped, retries, error";

RunRecord readRun(const SqliteStatement &s)
{
    RunRecord r;
    r.id = s.columnInt(0);
    r.syncId = s.columnInt(1);
    r.trigger = s.columnText(2);
    r.status = runStatusFromName(s.columnTextView(3)).value_or(RunStatus::Failed);
    r.startedAt = s.columnText(4);
    r.finishedAt = s.columnText(5);
    r.durationMs = s.columnInt(6);
    r.counts.rowsRead = s.columnInt(7);
    r.counts.added = s.columnInt(8);
    r.counts.changed = s.columnInt(9);
    r.counts.removed = s.columnInt(10);
    r.counts.unchanged = s.columnInt(11);
    r.counts.rejected = s.columnInt(12);
    r.counts.skipped = s.columnInt(13);
    r.counts.retries = s.columnInt(14);
    r.error = s.columnText(15);
    return r;
}

template <class T, class Reader>
Result<std::vector<T>> queryAll(SqliteDb &db, std::string_view sql, Reader reader,
                                std::optional<std::int64_t> arg = std::nullopt)
{
    auto stmt = db.prepare(sql);
    if (!stmt)
        return std::unexpected(stmt.error());
    if (arg)
        stmt->bind(1, *arg);
    std::vector<T> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        out.push_back(reader(*stmt));
    }
    return out;
}

template <class T, class Reader, class Arg>
Result<T> queryOne(SqliteDb &db, std::string_view sql, Reader reader, const Arg &arg,
                   const std::string &notFound)
{
    auto stmt = db.prepare(sql);
    if (!stmt)
        return std::unexpected(stmt.error());
    if constexpr (std::is_integral_v<Arg>)
        stmt->bind(1, static_cast<std::int64_t>(arg));
    else
        stmt->bind(1, std::string_view(arg));
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return fail(ErrorKind::NotFound, notFound);
    return reader(*stmt);
}

bool processAlive(std::int64_t pid)
{
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace

Result<Workspace> Workspace::open(const std::filesystem::path &path)
{
    if (path.empty())
        return fail(ErrorKind::Usage, "No workspace file was given.");
    std::error_code ec;
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path(), ec);
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorKind::Io, "The workspace path " + path.string() +
                                       " is a folder. Give the path of a workspace file instead.");
    auto db = SqliteDb::open(path, SqliteDb::Mode::ReadWriteCreate);
    if (!db)
        return fail(ErrorKind::Io, "Cannot open the workspace " + path.string() + ": " +
                                       db.error().message +
                                       ". Check that the folder exists and is writable.");
    Workspace ws(std::filesystem::absolute(path, ec), std::move(*db));
    // Before anything writes: a file that is not SQLite fails here ("file is not a database"),
    // and version 0 with tables in it is somebody else's database (say, a warehouse picked by
    // mistake), which must not get Sluice's tables.
    auto probe = ws.m_db.prepare("SELECT (SELECT user_version FROM pragma_user_version), "
                                 "(SELECT count(*) FROM sqlite_schema)");
    auto row = probe ? probe->step() : Result<bool>(std::unexpected(probe.error()));
    if (!row)
        return fail(ErrorKind::Io, "Cannot open the workspace " + path.string() + ": " +
                                       row.error().message +
                                       ". Is it really a Sluice workspace file?");
    if (probe->columnInt(0) == 0 && probe->columnInt(1) > 0)
        return fail(ErrorKind::Invalid, path.string() +
                                            " is a SQLite database, but not a Sluice workspace. "
                                            "It was left unchanged. Open a .sluice workspace "
                                            "file, or give a new file name to create one.");
    *probe = SqliteStatement();
    if (auto r = ws.m_db.exec("PRAGMA journal_mode=WAL"); !r)
        return fail(ErrorKind::Io,
                    "Cannot open the workspace " + path.string() + ": " + r.error().message + ".");
    TRY(ws.m_db.exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL"));
    if (auto r = ws.migrate(); !r)
        return std::unexpected(r.error());
    return ws;
}

std::filesystem::path Workspace::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::HomeLocation) + "/.sluice";
    return std::filesystem::path(dir.toStdString()) / "workspace.sluice";
}

Result<int> Workspace::version()
{
    auto s = m_db.prepare("PRAGMA user_version");
    if (!s)
        return std::unexpected(s.error());
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return static_cast<int>(s->columnInt(0));
}

Result<void> Workspace::migrate()
{
    auto v = version();
    if (!v)
        return std::unexpected(v.error());
    const auto &steps = workspaceMigrations();
    if (*v > static_cast<int>(steps.size()))
        return fail(ErrorKind::Invalid,
                    "This workspace was written by a newer Sluice (schema version " +
                        std::to_string(*v) + "; this version knows up to " +
                        std::to_string(steps.size()) + "). Update Sluice to open it.");
    for (int next = *v + 1; next <= static_cast<int>(steps.size()); ++next) {
        SqliteTransaction tx(m_db);
        TRY(tx.begin());
        if (auto r = m_db.exec(steps[next - 1]); !r)
            return fail(ErrorKind::Internal,
                        "Upgrading the workspace to version " + std::to_string(next) +
                            " failed: " + r.error().message + ". The file was left unchanged.");
        TRY(m_db.exec("PRAGMA user_version=" + std::to_string(next)));
        TRY(tx.commit());
    }
    return {};
}

// ---- connections --------------------------------------------------------------------------

Result<std::vector<ConnectionDef>> Workspace::connections()
{
    return queryAll<ConnectionDef>(
        m_db, "SELECT id, name, role, kind, settings FROM connections ORDER BY name",
        readConnection);
}

Result<ConnectionDef> Workspace::connection(std::int64_t id)
{
    return queryOne<ConnectionDef>(
        m_db, "SELECT id, name, role, kind, settings FROM connections WHERE id=?", readConnection,
        id, "The connection no longer exists.");
}

Result<ConnectionDef> Workspace::connectionByName(const std::string &name)
{
    return queryOne<ConnectionDef>(
        m_db, "SELECT id, name, role, kind, settings FROM connections WHERE name=?", readConnection,
        name, "There is no connection named \"" + name + "\".");
}

Result<std::int64_t> Workspace::saveConnection(const ConnectionDef &c)
{
    if (c.name.empty())
        return fail(ErrorKind::Invalid, "A connection needs a name.");
    const DriverInfo *info = nullptr;
    if (c.role == ConnectionRole::Source) {
        if (auto *d = findSourceDriver(c.kind))
            info = &d->info;
    } else if (auto *d = findDestinationDriver(c.kind)) {
        info = &d->info;
    }
    if (!info)
        return fail(ErrorKind::Invalid, "Connection \"" + c.name + "\": \"" + c.kind +
                                            "\" is not a known " + connectionRoleName(c.role) +
                                            " type.");
    nlohmann::json existing = nlohmann::json::object();
    if (c.id != 0) {
        auto before = connection(c.id);
        if (before)
            existing = before->settings;
    }
    auto update = storeSecretSettings(*info, c.settings, existing, *m_secrets);
    if (!update)
        return fail(update.error().kind, "Connection \"" + c.name + "\": " + update.error().message,
                    update.error().detail);
    // Whatever happens next, a secret written for this save must not outlive a failed save.
    bool saved = false;
    struct Undo
    {
        SecretStore &store;
        const std::vector<std::string> &keys;
        const bool &saved;
        ~Undo()
        {
            if (!saved)
                for (const auto &key : keys)
                    (void)store.remove(key);
        }
    } undo{*m_secrets, update->written, saved};
    if (auto msg = validateSettings(*info, settingsForValidation(update->settings)); !msg.empty())
        return fail(ErrorKind::Invalid, "Connection \"" + c.name + "\": " + msg);
    // The secrets this save replaced go once the row is written. Inside a caller's transaction
    // (an import) they stay: a rollback would bring back the row that points at them.
    auto dropReplaced = [&] {
        saved = true;
        if (sqlite3_get_autocommit(m_db.handle()) == 0)
            return;
        for (const auto &key : update->dropped)
            (void)m_secrets->remove(key);
    };
    const std::string now = utcNowIso();
    const std::string settings = update->settings.dump();
    if (c.id == 0) {
        auto s = m_db.prepare("INSERT INTO connections (name, role, kind, settings, created_at, "
                              "updated_at) VALUES (?, ?, ?, ?, ?, ?)");
        if (!s)
            return std::unexpected(s.error());
        s->bind(1, c.name);
        s->bind(2, connectionRoleName(c.role));
        s->bind(3, c.kind);
        s->bind(4, settings);
        s->bind(5, now);
        s->bind(6, now);
        if (auto r = s->exec(); !r)
            return fail(ErrorKind::Invalid,
                        "Cannot save the connection \"" + c.name + "\": " +
                            (r.error().message.find("UNIQUE") != std::string::npos
                                 ? "another connection already has that name."
                                 : r.error().message));
        dropReplaced();
        return m_db.lastInsertId();
    }
    auto s = m_db.prepare("UPDATE connections SET name=?, role=?, kind=?, settings=?, "
                          "updated_at=? WHERE id=?");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, c.name);
    s->bind(2, connectionRoleName(c.role));
    s->bind(3, c.kind);
    s->bind(4, settings);
    s->bind(5, now);
    s->bind(6, c.id);
    if (auto r = s->exec(); !r)
        return fail(ErrorKind::Invalid, "Cannot save the connection \"" + c.name + "\": " +
                                            (r.error().message.find("UNIQUE") != std::string::npos
                                                 ? "another connection already has that name."
                                                 : r.error().message));
    if (m_db.changes() == 0)
        return fail(ErrorKind::NotFound, "The connection \"" + c.name + "\" no longer exists.");
    dropReplaced();
    return c.id;
}

Result<void> Workspace::removeConnection(std::int64_t id)
{
    auto before = connection(id);
    auto s = m_db.prepare("DELETE FROM connections WHERE id=?");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, id);
    if (auto r = s->exec(); !r)
        return fail(ErrorKind::Invalid,
                    "This connection is still used by a model or a sync. Delete those first.");
    // Its secrets go with it (not inside a caller's transaction, which may still roll back).
    if (before && sqlite3_get_autocommit(m_db.handle()) != 0) {
        for (const auto &key : secretStoreKeys(before->settings)) {
            if (auto r = m_secrets->remove(key); !r)
                return fail(r.error().kind, "The connection was deleted, but its secrets could "
                                            "not be removed: " +
                                                r.error().message);
        }
    }
    return {};
}

// ---- models -------------------------------------------------------------------------------

static constexpr const char *kModelColumns =
    "id, name, connection_id, sql, table_name, primary_key, description";

Result<std::vector<ModelDef>> Workspace::models()
{
    return queryAll<ModelDef>(
        m_db, std::string("SELECT ") + kModelColumns + " FROM models ORDER BY name", readModel);
}

Result<ModelDef> Workspace::model(std::int64_t id)
{
    return queryOne<ModelDef>(m_db,
                              std::string("SELECT ") + kModelColumns + " FROM models WHERE id=?",
                              readModel, id, "The model no longer exists.");
}

Result<ModelDef> Workspace::modelByName(const std::string &name)
{
    return queryOne<ModelDef>(m_db,
                              std::string("SELECT ") + kModelColumns + " FROM models WHERE name=?",
                              readModel, name, "There is no model named \"" + name + "\".");
}

Result<std::int64_t> Workspace::saveModel(const ModelDef &m)
{
    if (m.name.empty())
        return fail(ErrorKind::Invalid, "A model needs a name.");
    if (m.sql.empty() == m.table.empty())
        return fail(ErrorKind::Invalid,
                    "Model \"" + m.name + "\": give either SQL or a table, not both or neither.");
    if (m.primaryKey.empty())
        return fail(ErrorKind::Invalid, "Model \"" + m.name +
                                            "\" needs a primary key column: the column that "
                                            "identifies each row (e.g. an id or an email).");
    auto conn = connection(m.connectionId);
    if (!conn)
        return fail(ErrorKind::Invalid,
                    "Model \"" + m.name + "\": its source connection does not exist.");
    if (conn->role != ConnectionRole::Source)
        return fail(ErrorKind::Invalid, "Model \"" + m.name + "\": \"" + conn->name +
                                            "\" is a destination, not a source.");
    const std::string now = utcNowIso();
    auto s = m.id == 0 ? m_db.prepare("INSERT INTO models (name, connection_id, sql, table_name, "
                                      "primary_key, description, created_at, updated_at) VALUES "
                                      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)")
                       : m_db.prepare("UPDATE models SET name=?1, connection_id=?2, sql=?3, "
                                      "table_name=?4, primary_key=?5, description=?6, "
                                      "updated_at=?7 WHERE id=?8");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, m.name);
    s->bind(2, m.connectionId);
    s->bind(3, m.sql);
    s->bind(4, m.table);
    s->bind(5, m.primaryKey);
    s->bind(6, m.description);
    s->bind(7, now);
    if (m.id != 0)
        s->bind(8, m.id);
    if (auto r = s->exec(); !r)
        return fail(ErrorKind::Invalid, "Cannot save the model \"" + m.name + "\": " +
                                            (r.error().message.find("UNIQUE") != std::string::npos
                                                 ? "another model already has that name."
                                                 : r.error().message));
    return m.id == 0 ? m_db.lastInsertId() : m.id;
}

Result<void> Workspace::removeModel(std::int64_t id)
{
    auto s = m_db.prepare("DELETE FROM models WHERE id=?");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, id);
    if (auto r = s->exec(); !r)
        return fail(ErrorKind::Invalid,
                    "This model is still used by a sync. Delete the sync first.");
    return {};
}

// ---- syncs --------------------------------------------------------------------------------

static constexpr const char *kSyncColumns = "id, name, model_id, destination_id, object, mode, "
                                            "key_field, mapping, schedule, options, enabled";

Result<std::vector<SyncDef>> Workspace::syncs()
{
    return queryAll<SyncDef>(
        m_db, std::string("SELECT ") + kSyncColumns + " FROM syncs ORDER BY name", readSync);
}

Result<SyncDef> Workspace::sync(std::int64_t id)
{
    return queryOne<SyncDef>(m_db, std::string("SELECT ") + kSyncColumns + " FROM syncs WHERE id=?",
                             readSync, id, "The sync no longer exists.");
}

Result<SyncDef> Workspace::syncByName(const std::string &name)
{
    return queryOne<SyncDef>(m_db,
                             std::string("SELECT ") + kSyncColumns + " FROM syncs WHERE name=?",
                             readSync, name, "There is no sync named \"" + name + "\".");
}

Result<std::int64_t> Workspace::saveSync(const SyncDef &d)
{
    if (d.name.empty())
        return fail(ErrorKind::Invalid, "A sync needs a name.");
    if (d.object.empty())
        return fail(ErrorKind::Invalid,
                    "Sync \"" + d.name + "\" needs a destination object (e.g. a file name).");
    if (d.mapping.fields.empty())
        return fail(ErrorKind::Invalid,
                    "Sync \"" + d.name + "\" maps no fields. Map at least one column.");
    if (!model(d.modelId))
        return fail(ErrorKind::Invalid, "Sync \"" + d.name + "\": its model does not exist.");
    auto dest = connection(d.destinationId);
    if (!dest || dest->role != ConnectionRole::Destination)
        return fail(ErrorKind::Invalid,
                    "Sync \"" + d.name + "\": its destination connection does not exist.");
    const std::string now = utcNowIso();
    auto s =
        d.id == 0
            ? m_db.prepare("INSERT INTO syncs (name, model_id, destination_id, object, mode, "
                           "key_field, mapping, schedule, options, enabled, created_at, "
                           "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)")
            : m_db.prepare("UPDATE syncs SET name=?1, model_id=?2, destination_id=?3, "
                           "object=?4, mode=?5, key_field=?6, mapping=?7, schedule=?8, "
                           "options=?9, enabled=?10, updated_at=?11 WHERE id=?12");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, d.name);
    s->bind(2, d.modelId);
    s->bind(3, d.destinationId);
    s->bind(4, d.object);
    s->bind(5, syncModeName(d.mode));
    s->bind(6, d.keyField);
    s->bind(7, mappingToJson(d.mapping).dump());
    s->bind(8, d.schedule.dump());
    s->bind(9, d.options.toJson().dump());
    s->bind(10, std::int64_t{d.enabled ? 1 : 0});
    s->bind(11, now);
    if (d.id != 0)
        s->bind(12, d.id);
    if (auto r = s->exec(); !r)
        return fail(ErrorKind::Invalid, "Cannot save the sync \"" + d.name + "\": " +
                                            (r.error().message.find("UNIQUE") != std::string::npos
                                                 ? "another sync already has that name."
                                                 : r.error().message));
    return d.id == 0 ? m_db.lastInsertId() : d.id;
}

Result<void> Workspace::removeSync(std::int64_t id)
{
    SqliteTransaction tx(m_db);
    TRY(tx.begin());
    for (const char *sql :
         {"DELETE FROM sync_state WHERE sync_id=?", "DELETE FROM syncs WHERE id=?"}) {
        auto s = m_db.prepare(sql);
        if (!s)
            return std::unexpected(s.error());
        s->bind(1, id);
        TRY(s->exec());
    }
    return tx.commit();
}

Result<std::vector<SyncSummary>> Workspace::syncSummaries()
{
    auto all = syncs();
    if (!all)
        return std::unexpected(all.error());
    std::vector<SyncSummary> out;
    for (auto &d : *all) {
        SyncSummary s;
        s.sync = d;
        if (auto m = model(d.modelId)) {
            s.modelName = m->name;
            if (auto c = connection(m->connectionId))
                s.sourceName = c->name;
        }
        if (auto c = connection(d.destinationId))
            s.destinationName = c->name;
        auto last = lastRun(d.id);
        if (!last)
            return std::unexpected(last.error());
        s.lastRun = *last;
        out.push_back(std::move(s));
    }
    return out;
}

// ---- runs ---------------------------------------------------------------------------------

Result<std::int64_t> Workspace::insertRun(const RunRecord &r)
{
    auto s = m_db.prepare("INSERT INTO runs (sync_id, trigger, status, started_at, pid) "
                          "VALUES (?, ?, ?, ?, ?)");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, r.syncId);
    s->bind(2, r.trigger);
    s->bind(3, runStatusName(r.status));
    s->bind(4, r.startedAt);
    s->bind(5, static_cast<std::int64_t>(::getpid()));
    TRY(s->exec());
    return m_db.lastInsertId();
}

Result<void> Workspace::updateRun(const RunRecord &r)
{
    auto s = m_db.prepare(
        "UPDATE runs SET status=?, finished_at=nullif(?, ''), duration_ms=?, rows_read=?, added=?, "
        "changed=?, removed=?, unchanged=?, rejected=?, skipped=?, retries=?, error=? WHERE id=?");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, runStatusName(r.status));
    s->bind(2, r.finishedAt);
    s->bind(3, r.durationMs);
    s->bind(4, r.counts.rowsRead);
    s->bind(5, r.counts.added);
    s->bind(6, r.counts.changed);
    s->bind(7, r.counts.removed);
    s->bind(8, r.counts.unchanged);
    s->bind(9, r.counts.rejected);
    s->bind(10, r.counts.skipped);
    s->bind(11, r.counts.retries);
    s->bind(12, r.error);
    s->bind(13, r.id);
    return s->exec();
}

Result<std::vector<RunRecord>> Workspace::runs(std::int64_t syncId, int limit)
{
    return queryAll<RunRecord>(m_db,
                               std::string("SELECT ") + kRunColumns +
                                   " FROM runs WHERE sync_id=? ORDER BY id DESC LIMIT " +
                                   std::to_string(limit),
                               readRun, syncId);
}

Result<std::optional<RunRecord>> Workspace::lastRun(std::int64_t syncId)
{
    auto r = runs(syncId, 1);
    if (!r)
        return std::unexpected(r.error());
    if (r->empty())
        return std::optional<RunRecord>{};
    return std::optional<RunRecord>(r->front());
}

Result<std::vector<RejectedRecord>> Workspace::rejectedRecords(std::int64_t runId)
{
    return queryAll<RejectedRecord>(
        m_db,
        "SELECT run_id, key, operation, reason FROM rejected_records WHERE run_id=? ORDER BY id",
        [](const SqliteStatement &s) {
            RejectedRecord r;
            r.runId = s.columnInt(0);
            r.key = s.columnText(1);
            const auto op = s.columnTextView(2);
            for (auto o : {Op::Create, Op::Update, Op::Upsert, Op::Delete}) {
                if (op == opName(o))
                    r.op = o;
            }
            r.reason = s.columnText(3);
            return r;
        },
        runId);
}

Result<void> Workspace::closeInterruptedRuns(std::int64_t syncId, const std::string &message)
{
    auto s = m_db.prepare("SELECT id, pid FROM runs WHERE sync_id=? AND status='running'");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    std::vector<std::int64_t> dead;
    for (;;) {
        auto row = s->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        const auto pid = s->columnInt(1);
        if (!processAlive(pid))
            dead.push_back(s->columnInt(0));
        else
            return fail(ErrorKind::Invalid, "This sync is already running (process " +
                                                std::to_string(pid) +
                                                "). Wait for it to finish or stop it first.");
    }
    auto u = m_db.prepare("UPDATE runs SET status='failed', error=? WHERE id=?");
    if (!u)
        return std::unexpected(u.error());
    for (auto id : dead) {
        u->bind(1, message);
        u->bind(2, id);
        TRY(u->exec());
    }
    return {};
}

} // namespace sluice

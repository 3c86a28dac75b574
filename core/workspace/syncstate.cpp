#include "workspace/syncstate.h"

namespace sluice {

Result<std::int64_t> SyncState::count()
{
    auto s = m_db.prepare("SELECT count(*) FROM sync_state WHERE sync_id=?");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, m_syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return s->columnInt(0);
}

Result<void> SyncState::scan(const std::function<void(std::int64_t, std::int64_t, bool)> &fn)
{
    auto s = m_db.prepare("SELECT key_hash, row_hash, rejected FROM sync_state WHERE sync_id=? "
                          "ORDER BY key_hash");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, m_syncId);
    for (;;) {
        auto row = s->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return {};
        fn(s->columnInt(0), s->columnInt(1), s->columnInt(2) != 0);
    }
}

Result<std::string> SyncState::checkpoint()
{
    auto s = m_db.prepare("SELECT checkpoint FROM sync_checkpoints WHERE sync_id=?");
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, m_syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? s->columnText(0) : std::string();
}

Result<std::vector<StateKey>> SyncState::keys(std::span<const std::int64_t> keyHashes)
{
    auto s = m_db.prepare("SELECT key, dest_id FROM sync_state WHERE sync_id=? AND key_hash=?");
    if (!s)
        return std::unexpected(s.error());
    std::vector<StateKey> out;
    out.reserve(keyHashes.size());
    for (auto h : keyHashes) {
        s->bind(1, m_syncId);
        s->bind(2, h);
        auto row = s->step();
        if (!row)
            return std::unexpected(row.error());
        if (*row)
            out.push_back(StateKey{h, s->columnText(0), s->columnText(1)});
        s->reset();
    }
    return out;
}

Result<SqliteStatement *> SyncState::statement(SqliteStatement &slot, const char *sql)
{
    if (!slot) {
        auto s = m_db.prepare(sql);
        if (!s)
            return std::unexpected(s.error());
        slot = std::move(*s);
    }
    return &slot;
}

Result<void> SyncState::begin()
{
    auto r = m_db.exec("BEGIN IMMEDIATE");
    if (r)
        m_inTransaction = true;
    return r;
}

Result<void> SyncState::acknowledge(std::int64_t keyHash, std::string_view key,
                                    std::int64_t rowHash, std::string_view destId, bool isNew)
{
    auto s =
        isNew ? statement(m_insert, "INSERT INTO sync_state (sync_id, key_hash, key, row_hash, "
                                    "dest_id, rejected) VALUES (?1, ?2, ?3, ?4, ?5, 0)")
              : statement(m_ack,
                          "INSERT INTO sync_state (sync_id, key_hash, key, row_hash, dest_id, "
                          "rejected) VALUES (?1, ?2, ?3, ?4, ?5, 0) ON CONFLICT (sync_id, "
                          "key_hash) DO UPDATE SET key=excluded.key, row_hash=excluded.row_hash, "
                          "dest_id=CASE WHEN excluded.dest_id <> '' THEN excluded.dest_id ELSE "
                          "dest_id END, rejected=0");
    if (!s)
        return std::unexpected(s.error());
    (*s)->bind(1, m_syncId);
    (*s)->bind(2, keyHash);
    (*s)->bindStatic(3, key);
    (*s)->bind(4, rowHash);
    (*s)->bindStatic(5, destId);
    return (*s)->exec();
}

Result<void> SyncState::forget(std::int64_t keyHash)
{
    auto s = statement(m_forget, "DELETE FROM sync_state WHERE sync_id=? AND key_hash=?");
    if (!s)
        return std::unexpected(s.error());
    (*s)->bind(1, m_syncId);
    (*s)->bind(2, keyHash);
    return (*s)->exec();
}

Result<void> SyncState::markRejected(std::int64_t keyHash)
{
    auto s = statement(m_reject, "UPDATE sync_state SET rejected=1 WHERE sync_id=? AND key_hash=?");
    if (!s)
        return std::unexpected(s.error());
    (*s)->bind(1, m_syncId);
    (*s)->bind(2, keyHash);
    return (*s)->exec();
}

Result<void> SyncState::addRejection(std::int64_t runId, std::string_view key, Op op,
                                     std::string_view reason)
{
    auto s = statement(m_rejection, "INSERT INTO rejected_records (run_id, key, operation, reason) "
                                    "VALUES (?, ?, ?, ?)");
    if (!s)
        return std::unexpected(s.error());
    (*s)->bind(1, runId);
    (*s)->bind(2, key);
    (*s)->bind(3, std::string_view(opName(op)));
    (*s)->bind(4, reason);
    return (*s)->exec();
}

Result<void> SyncState::setCheckpoint(std::string_view checkpoint)
{
    auto s =
        statement(m_checkpoint,
                  "INSERT OR REPLACE INTO sync_checkpoints (sync_id, checkpoint) VALUES (?, ?)");
    if (!s)
        return std::unexpected(s.error());
    (*s)->bind(1, m_syncId);
    (*s)->bind(2, checkpoint);
    return (*s)->exec();
}

Result<void> SyncState::commit()
{
    auto r = m_db.exec("COMMIT");
    if (r)
        m_inTransaction = false;
    return r;
}

void SyncState::rollback()
{
    if (m_inTransaction)
        (void)m_db.exec("ROLLBACK");
    m_inTransaction = false;
}

} // namespace sluice

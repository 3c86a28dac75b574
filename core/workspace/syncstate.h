#pragma once
// A sync's change-detection state in the workspace: per primary key, the digest of the mapped
// values the destination last acknowledged, its record id there, and whether it was rejected.
// Reads give the engine a compact sorted index; writes go in transactions, one per batch, so
// state moves forward only for acknowledged records.

#include "destinations/destination.h"
#include "util/sqlite.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace sluice {

struct StateKey
{
    std::int64_t keyHash = 0;
    std::string key;
    std::string destId;
};

class SyncState
{
public:
    SyncState(SqliteDb &db, std::int64_t syncId) : m_db(db), m_syncId(syncId) {}

    Result<std::int64_t> count();
    // Calls fn(keyHash, rowHash, rejected) for every key in the state, in key-hash order.
    Result<void> scan(const std::function<void(std::int64_t, std::int64_t, bool)> &fn);
    Result<std::string> checkpoint();
    // The keys and destination ids of the given hashes (missing hashes are skipped).
    Result<std::vector<StateKey>> keys(std::span<const std::int64_t> keyHashes);

    // Writing: begin(), any number of changes, commit(). Nothing is visible before commit().
    Result<void> begin();
    // isNew: the key has no state yet (a plain insert, cheaper than an upsert).
    Result<void> acknowledge(std::int64_t keyHash, std::string_view key, std::int64_t rowHash,
                             std::string_view destId, bool isNew);
    Result<void> forget(std::int64_t keyHash); // the record was deleted in the destination
    Result<void> markRejected(std::int64_t keyHash);
    Result<void> addRejection(std::int64_t runId, std::string_view key, Op op,
                              std::string_view reason);
    Result<void> setCheckpoint(std::string_view checkpoint);
    Result<void> commit();
    void rollback();

private:
    Result<SqliteStatement *> statement(SqliteStatement &slot, const char *sql);

    SqliteDb &m_db;
    std::int64_t m_syncId;
    bool m_inTransaction = false;
    SqliteStatement m_insert, m_ack, m_forget, m_reject, m_rejection, m_checkpoint;
};

} // namespace sluice

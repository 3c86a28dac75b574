#include "workspace/migrations.h"

namespace sluice {

const std::vector<std::string_view> &workspaceMigrations()
{
    static const std::vector<std::string_view> steps = {
        // 1: definitions and run history.
        R"sql(
CREATE TABLE connections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('source', 'destination')),
    kind TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE RESTRICT,
    sql TEXT NOT NULL DEFAULT '',
    table_name TEXT NOT NULL DEFAULT '',
    primary_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE syncs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE RESTRICT,
    destination_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE RESTRICT,
    object TEXT NOT NULL,
    mode TEXT NOT NULL,
    key_field TEXT NOT NULL DEFAULT '',
    mapping TEXT NOT NULL DEFAULT '[]',
    schedule TEXT NOT NULL DEFAULT '{"type":"manual"}',
    options TEXT NOT NULL DEFAULT '{}',
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    sync_id INTEGER NOT NULL REFERENCES syncs (id) ON DELETE CASCADE,
    trigger TEXT NOT NULL DEFAULT 'manual',
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    rows_read INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_by_sync ON runs (sync_id, id);
)sql",
        // 2: change detection state, rejected records, and richer run records.
        R"sql(
ALTER TABLE runs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
-- No foreign key here: a million-row commit should not look up the parent sync per row.
-- Workspace::removeSync deletes a sync's state with it.
CREATE TABLE sync_state (
    sync_id INTEGER NOT NULL,
    key_hash INTEGER NOT NULL,
    key TEXT NOT NULL,
    row_hash INTEGER NOT NULL,
    dest_id TEXT NOT NULL DEFAULT '',
    rejected INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sync_id, key_hash)
) WITHOUT ROWID;
CREATE TABLE sync_checkpoints (
    sync_id INTEGER PRIMARY KEY REFERENCES syncs (id) ON DELETE CASCADE,
    checkpoint TEXT NOT NULL
);
CREATE TABLE rejected_records (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    operation TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX rejected_by_run ON rejected_records (run_id);
)sql",
    };
    return steps;
}

} // namespace sluice

#pragma once
// The things a workspace holds, as plain values: connections, models, syncs, runs and the
// records a destination rejected. Ids are the workspace's row ids; 0 means "not saved yet".

#include "destinations/destination.h"
#include "mapping/mapping.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace sluice {

enum class ConnectionRole
{
    Source,
    Destination
};
const char *connectionRoleName(ConnectionRole role);

struct ConnectionDef
{
    std::int64_t id = 0;
    std::string name;
    ConnectionRole role = ConnectionRole::Source;
    std::string kind;                                   // driver kind, e.g. "sqlite", "csv"
    nlohmann::json settings = nlohmann::json::object(); // secrets: markers (secretsettings.h)
};

struct ModelDef
{
    std::int64_t id = 0;
    std::string name;
    std::int64_t connectionId = 0;
    std::string sql;   // SQL text, or…
    std::string table; // …a table (or file) name
    std::string primaryKey;
    std::string description;
};

struct SyncOptions
{
    // Mirror guard: stop before deleting more than this share of the destination's records.
    double mirrorMaxDeletePercent = 50.0;
    std::size_t batchSize = 0; // 0: the destination's own default

    nlohmann::json toJson() const;
    static Result<SyncOptions> fromJson(const nlohmann::json &json);
};

struct SyncDef
{
    std::int64_t id = 0;
    std::string name;
    std::int64_t modelId = 0;
    std::int64_t destinationId = 0;
    std::string object; // destination object: a file name, a CRM object, a sheet tab
    SyncMode mode = SyncMode::Upsert;
    std::string keyField; // destination field matched against the model's primary key
    Mapping mapping;
    nlohmann::json schedule = nlohmann::json{{"type", "manual"}};
    SyncOptions options;
    bool enabled = true;
};

enum class RunStatus
{
    Running,
    Succeeded,
    Partial,
    Failed,
    Cancelled
};
const char *runStatusName(RunStatus status);
std::optional<RunStatus> runStatusFromName(std::string_view name);

struct RunCounts
{
    std::int64_t rowsRead = 0;
    std::int64_t added = 0;
    std::int64_t changed = 0;
    std::int64_t removed = 0;
    std::int64_t unchanged = 0;
    std::int64_t rejected = 0;
    std::int64_t skipped = 0; // changes the mode does not send (e.g. updates in insert mode)
    std::int64_t retries = 0;
};

struct RunRecord
{
    std::int64_t id = 0;
    std::int64_t syncId = 0;
    std::string trigger = "manual"; // manual, cli, schedule
    RunStatus status = RunStatus::Running;
    std::string startedAt;  // ISO 8601 UTC
    std::string finishedAt; // empty while running
    std::int64_t durationMs = 0;
    RunCounts counts;
    std::string error;
};

struct RejectedRecord
{
    std::int64_t runId = 0;
    std::string key;
    Op op = Op::Upsert;
    std::string reason;
};

// A sync with the names of what it refers to, for lists (CLI `list`, the main window).
struct SyncSummary
{
    SyncDef sync;
    std::string modelName;
    std::string sourceName;
    std::string destinationName;
    std::optional<RunRecord> lastRun;
};

std::string utcNowIso(); // e.g. 2026-11-25T09:30:00.123Z

} // namespace sluice

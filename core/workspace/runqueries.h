#pragma once
// Read-only queries over the run history of all syncs, for the runs dashboard: runs joined with
// their sync's name and filtered by sync and status, and the rejected records of one run with a
// search by key. Kept apart from Workspace so the dashboard's needs do not grow its interface.

#include "workspace/workspace.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

struct RunListEntry
{
    RunRecord run;
    std::string syncName;
};

struct RunFilter
{
    std::optional<std::int64_t> syncId; // all syncs when empty
    std::optional<RunStatus> status;    // every status when empty
    int limit = 500;                    // newest first; at least 1
};

// Newest first (by id, which follows start time).
Result<std::vector<RunListEntry>> queryRuns(Workspace &workspace, const RunFilter &filter);

// The rejected records of a run in the order they were rejected. A non-empty keySearch keeps
// only keys containing it (case-insensitive for ASCII letters; % and _ match themselves).
Result<std::vector<RejectedRecord>> queryRejectedRecords(Workspace &workspace, std::int64_t runId,
                                                         std::string_view keySearch = {},
                                                         int limit = 100000);

} // namespace sluice

#pragma once
// The sync engine: reads a model, maps each row, detects what changed since the destination's
// last acknowledged state, plans (dry run), sends the changes in batches and moves state forward
// only for acknowledged records. Every run is recorded in the workspace.

#include "engine/spillfile.h"
#include "sources/source.h"
#include "util/cancel.h"
#include "workspace/workspace.h"

#include <functional>

namespace sluice {

struct RunOptions
{
    bool dryRun = false;          // plan only: nothing is written anywhere
    bool allowMassDelete = false; // let this run pass the mirror guard
    bool fullResync = false;      // send every row again, whatever the state says
    std::string trigger = "manual";
    int sampleSize = 5;         // sample records per kind in the plan
    int maxAttempts = 5;        // per record, for transient (retryable) failures
    int retryBaseDelayMs = 200; // first backoff; doubles per attempt, with jitter
};

struct RunProgress
{
    enum class Phase
    {
        Reading,
        Sending,
        Done
    };
    Phase phase = Phase::Reading;
    std::int64_t rowsRead = 0;
    std::int64_t toSend = 0;
    std::int64_t sent = 0;
};

struct PlanSample
{
    ChangeKind kind = ChangeKind::Added; // Unchanged is never sampled
    bool removed = false;
    Op op = Op::Upsert;
    std::string key;
    std::vector<Value> values;
};

struct RunResult
{
    RunRecord record; // id 0 for a dry run, which is not recorded
    std::vector<std::string> fields;
    std::vector<PlanSample> samples;
    std::vector<std::string> log; // plain-language lines about what happened
    bool massDeleteBlocked =
        false; // the mirror guard stopped it; RunOptions::allowMassDelete passes
};

class SyncEngine
{
public:
    using ProgressFn = std::function<void(const RunProgress &)>;

    explicit SyncEngine(Workspace &workspace) : m_workspace(workspace) {}

    // Runs a saved sync, creating its source and destination from the workspace.
    RunResult run(std::int64_t syncId, const RunOptions &options, CancelToken *cancel = nullptr,
                  ProgressFn progress = {});
    // Runs with a given source and destination (tests and custom wiring).
    RunResult run(const SyncDef &sync, const ModelDef &model, Source &source,
                  Destination &destination, const RunOptions &options,
                  CancelToken *cancel = nullptr, ProgressFn progress = {});

private:
    Workspace &m_workspace;
};

} // namespace sluice

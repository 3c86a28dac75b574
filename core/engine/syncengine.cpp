#include "engine/syncengine.h"

#include "data/prefetchingrowstream.h"
#include "destinations/destinationregistry.h"
#include "engine/hasher.h"
#include "engine/stateindex.h"
#include "sources/sourceregistry.h"
#include "workspace/syncstate.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace sluice {

namespace {

using Clock = std::chrono::steady_clock;

std::string plural(std::int64_t n, const char *one, const char *many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string joinQuoted(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &s : items)
        out += (out.empty() ? "\"" : ", \"") + s + "\"";
    return out;
}

// A record acknowledged by the destination whose state is not yet committed. Keys live in a
// shared arena so a million pending acks cost ~40 bytes each plus the keys.
struct PendingAck
{
    std::int64_t keyHash;
    std::int64_t rowHash;
    std::uint64_t keyOffset;
    std::uint32_t keyLength;
    std::uint32_t destId; // index into destIds, or npos
    bool forget;          // the record was deleted
    bool isNew;           // the key has no state yet
};

class Run
{
public:
    Run(Workspace &ws, const SyncDef &sync, const ModelDef &model, Source &source,
        Destination &destination, const RunOptions &options, CancelToken *cancel,
        SyncEngine::ProgressFn progress)
        : m_ws(ws), m_sync(sync), m_model(model), m_source(source), m_dest(destination),
          m_options(options), m_cancel(cancel), m_progressFn(std::move(progress)),
          m_state(ws.db(), sync.id)
    {
    }

    RunResult execute();

private:
    Result<void> plan();
    Result<void> apply();
    Result<void> checkKeys(std::vector<std::int64_t> &newKeys, std::vector<std::int64_t> &dups);
    Result<void> sendBatch(std::span<Change> batch, std::span<SpilledRecord> meta);
    Result<void> flushAcks();
    // Sending: openWriter(), then feed() records (batched); apply() finishes.
    Result<void> openWriter();
    Result<void> feed(SpilledRecord &record); // takes the record's buffers
    Result<void> sendPending();
    Result<void> replaySpill();
    Result<void> stopSending(Error error);
    void closeWriter(); // adds the writer's retries to the run record, then drops it
    void destinationLog(const std::string &line);
    void reportProgress(bool force = false);
    bool cancelled() const { return m_cancel && m_cancel->cancelled(); }
    void sample(ChangeKind kind, bool removed, Op op, const std::string &key,
                const std::vector<Value> &values);
    void waitMs(int ms);
    void recordRejection(const SpilledRecord &meta, const std::string &reason);

    Workspace &m_ws;
    const SyncDef &m_sync;
    const ModelDef &m_model;
    Source &m_source;
    Destination &m_dest;
    const RunOptions &m_options;
    CancelToken *m_cancel;
    std::size_t m_destinationLines = 0;
    SyncEngine::ProgressFn m_progressFn;
    SyncState m_state;

    RunResult m_result;
    DestinationCaps m_caps;
    std::vector<std::string> m_fields;
    StateIndex m_index;
    std::vector<std::int64_t> m_removed; // key hashes to delete (mirror)
    SpillFile m_spill;
    std::int64_t m_fieldSeed = 0;
    bool m_rewrite = false; // full snapshot: something changed (or the copy was lost)
    RunProgress m_progress;
    Clock::time_point m_lastProgress{};
    Clock::time_point m_lastFlush{};
    std::string m_checkpoint;
    bool m_checkpointDirty = false;

    std::vector<PendingAck> m_acks;
    std::string m_keyArena;
    std::vector<std::string> m_destIds;
    std::vector<std::int64_t> m_changedHashes; // per batch: changed records to look up
    struct Rejection
    {
        std::int64_t keyHash;
        bool inState;
        std::string key;
        Op op;
        std::string reason;
    };
    std::vector<Rejection> m_rejections; // not yet stored
    std::int64_t m_rejectedCount = 0;
    std::unique_ptr<Writer> m_writer;
    std::size_t m_batchSize = 1000;
    std::vector<Change> m_batch;
    std::vector<SpilledRecord> m_batchMeta;
    std::size_t m_pending = 0; // records in m_batchMeta not yet sent
    std::int64_t m_undelivered = 0;
    std::string m_lastRetryMessage;
    // Acknowledged counts per kind.
    std::int64_t m_ackAdded = 0, m_ackChanged = 0, m_ackRemoved = 0;
    std::int64_t m_planAdded = 0, m_planChanged = 0, m_planRemoved = 0;
};

RunResult Run::execute()
{
    const auto started = Clock::now();
    RunRecord &rec = m_result.record;
    rec.syncId = m_sync.id;
    rec.trigger = m_options.trigger;
    rec.startedAt = utcNowIso();
    rec.status = RunStatus::Running;

    if (!m_options.dryRun) {
        if (auto r = m_ws.closeInterruptedRuns(
                m_sync.id, "The run was interrupted (the program stopped before it finished). "
                           "Nothing acknowledged was lost; the next run sends the rest.");
            !r) {
            rec.status = RunStatus::Failed;
            rec.error = r.error().message;
            return m_result;
        }
        auto id = m_ws.insertRun(rec);
        if (!id) {
            rec.status = RunStatus::Failed;
            rec.error = "Cannot record the run in the workspace: " + id.error().message;
            return m_result;
        }
        rec.id = *id;
    }

    Result<void> outcome = plan();
    if (!outcome && m_writer)
        outcome = stopSending(outcome.error()); // a snapshot started while planning is dropped
    else if (outcome && !m_options.dryRun)
        outcome = apply();

    if (m_options.dryRun) {
        rec.counts.added = m_planAdded;
        rec.counts.changed = m_planChanged;
        rec.counts.removed = m_planRemoved;
    } else {
        rec.counts.added = m_ackAdded;
        rec.counts.changed = m_ackChanged;
        rec.counts.removed = m_ackRemoved;
    }
    rec.counts.rejected = m_rejectedCount;

    if (!outcome) {
        const bool stopped = outcome.error().kind == ErrorKind::Cancelled || cancelled();
        rec.status = stopped ? RunStatus::Cancelled : RunStatus::Failed;
        rec.error = stopped ? "Stopped by the user. Records already acknowledged are kept; the "
                              "next run sends the rest."
                            : outcome.error().message;
    } else if (m_rejectedCount > 0 || m_undelivered > 0) {
        rec.status = RunStatus::Partial;
        if (m_undelivered > 0)
            rec.error = plural(m_undelivered, "record", "records") +
                        " could not be delivered after " + std::to_string(m_options.maxAttempts) +
                        " attempts (last answer: " + m_lastRetryMessage +
                        "). They will be sent again next run.";
        else
            rec.error = plural(rec.counts.rejected, "record was", "records were") +
                        " rejected; the rejected records say why. They will be sent again next "
                        "run.";
    } else {
        rec.status = RunStatus::Succeeded;
    }
    rec.finishedAt = utcNowIso();
    rec.durationMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    if (!m_options.dryRun) {
        if (auto r = m_ws.updateRun(rec); !r) {
            rec.status = RunStatus::Failed;
            rec.error = "Cannot record the run's result in the workspace: " + r.error().message;
        }
    }
    m_progress.phase = RunProgress::Phase::Done;
    reportProgress(true);
    return m_result;
}

void Run::reportProgress(bool force)
{
    if (!m_progressFn)
        return;
    const auto now = Clock::now();
    if (!force && now - m_lastProgress < std::chrono::milliseconds(100))
        return;
    m_lastProgress = now;
    m_progressFn(m_progress);
}

void Run::sample(ChangeKind kind, bool removed, Op op, const std::string &key,
                 const std::vector<Value> &values)
{
    const auto n =
        std::count_if(m_result.samples.begin(), m_result.samples.end(),
                      [&](const PlanSample &s) { return s.kind == kind && s.removed == removed; });
    if (n < m_options.sampleSize)
        m_result.samples.push_back(PlanSample{kind, removed, op, key, values});
}

Result<void> Run::plan()
{
    m_caps = m_dest.capabilities();
    if (std::find(m_caps.modes.begin(), m_caps.modes.end(), m_sync.mode) == m_caps.modes.end()) {
        std::string supported;
        for (auto m : m_caps.modes)
            supported += std::string(supported.empty() ? "" : ", ") + syncModeName(m);
        return fail(ErrorKind::Invalid, std::string("This destination does not support the \"") +
                                            syncModeName(m_sync.mode) + "\" mode; it supports: " +
                                            supported + ". Change the sync's mode.");
    }
    m_fields = m_sync.mapping.destinationFields();
    m_result.fields = m_fields;
    {
        Hasher h;
        std::string seed;
        for (const auto &f : m_fields)
            seed += f + '\0';
        m_fieldSeed = h.hash(seed);
    }

    SourceQuery query{m_model.sql, m_model.table, std::nullopt};
    auto opened = m_source.open(query);
    if (!opened)
        return std::unexpected(opened.error());
    // Read the source on a second core while this thread maps, hashes and writes.
    std::unique_ptr<RowStream> stream = std::make_unique<PrefetchingRowStream>(std::move(*opened));
    CancelHook hook(m_cancel, [s = stream.get()] { s->cancel(); });

    const auto &columns = stream->columns();
    int keyColumn = -1;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].name == m_model.primaryKey)
            keyColumn = static_cast<int>(i);
    }
    if (keyColumn < 0)
        return fail(ErrorKind::Invalid, "The model has no column \"" + m_model.primaryKey +
                                            "\", which is its primary key. Fix the model's SQL or "
                                            "choose another primary key.");
    auto compiled = CompiledMapping::compile(m_sync.mapping, columns);
    if (!compiled)
        return std::unexpected(compiled.error());

    auto stateCount = m_state.count();
    if (!stateCount)
        return std::unexpected(stateCount.error());
    m_index = StateIndex(static_cast<std::size_t>(*stateCount));
    if (auto r = m_state.scan([this](std::int64_t key, std::int64_t row, bool rejected) {
            m_index.insert(key, row, rejected);
        });
        !r)
        return r;

    bool resendAll = m_options.fullResync;
    if (!m_index.empty() && m_dest.recordsLost(m_sync.object)) {
        resendAll = true;
        m_result.log.push_back("The destination no longer holds what Sluice wrote earlier (" +
                               m_sync.object + "); sending every record again.");
    }
    if (m_caps.fullSnapshot && m_index.empty())
        m_rewrite = true;
    if (resendAll)
        m_rewrite = true;

    if (!m_options.dryRun) {
        if (auto r = m_spill.create(m_ws.baseDir()); !r)
            return r;
    }

    Hasher hasher;
    Row row;
    Row mapped;
    std::string keyText;
    std::string transformError;
    std::vector<std::int64_t> newKeys;
    std::vector<std::int64_t> duplicateKeys;
    std::vector<std::int64_t> nullKeyRows;
    std::int64_t nullKeys = 0;
    SpilledRecord rec;
    auto &counts = m_result.record.counts;

    for (;;) {
        auto more = stream->next(row);
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
        ++counts.rowsRead;
        m_progress.rowsRead = counts.rowsRead;
        if ((counts.rowsRead & 0x3ff) == 0) {
            if (cancelled())
                return fail(ErrorKind::Cancelled, "Stopped.");
            reportProgress();
        }
        const Value &key = row[keyColumn];
        if (key.isNull() || (key.type == ValueType::Text && key.text.empty())) {
            if (++nullKeys <= 5)
                nullKeyRows.push_back(counts.rowsRead);
            continue;
        }
        keyText.clear();
        key.appendTo(keyText);
        const std::int64_t keyHash = hasher.hash(keyText);
        m_index.prefetch(keyHash); // looked up below, after the mapping work
        const bool mappedOk = compiled->apply(row, mapped, transformError);
        const std::int64_t rowHash =
            mappedOk ? hasher.hashRecord(m_fieldSeed, mapped) & StateIndex::kDigestMask : 0;
        StateIndex::Entry *entry = m_index.find(keyHash);
        if (entry) {
            if (entry->seen())
                duplicateKeys.push_back(keyHash);
            entry->markSeen();
        } else {
            newKeys.push_back(keyHash); // checked for duplicates at the end
        }
        if (!mappedOk) {
            const Op op = entry ? (m_sync.mode == SyncMode::Insert ? Op::Create : Op::Update)
                                : (m_sync.mode == SyncMode::Update ? Op::Update : Op::Create);
            m_rejections.push_back(
                Rejection{keyHash, entry != nullptr, keyText, op, "Not sent: " + transformError});
            ++m_rejectedCount;
            continue;
        }

        ChangeKind kind;
        if (!entry)
            kind = ChangeKind::Added;
        else if (entry->rejected() || entry->rowHash() != rowHash || resendAll)
            kind = ChangeKind::Changed;
        else
            kind = ChangeKind::Unchanged;

        // What the mode makes of it.
        bool send = kind != ChangeKind::Unchanged;
        Op op = Op::Upsert;
        switch (m_sync.mode) {
        case SyncMode::Insert:
            op = Op::Create;
            if (kind == ChangeKind::Changed) {
                send = false;
                ++counts.skipped;
            }
            break;
        case SyncMode::Update:
            op = Op::Update;
            break;
        case SyncMode::Upsert:
        case SyncMode::Mirror:
            op = Op::Upsert;
            break;
        }
        if (kind == ChangeKind::Added && send)
            ++m_planAdded;
        else if (kind == ChangeKind::Changed && send)
            ++m_planChanged;
        else if (kind == ChangeKind::Unchanged)
            ++counts.unchanged;
        if (send)
            m_rewrite = m_rewrite || m_caps.fullSnapshot;
        if (send)
            sample(kind, false, op, keyText, mapped);

        if (!m_options.dryRun && (send || m_caps.fullSnapshot)) {
            rec.kind = send ? kind : ChangeKind::Unchanged;
            rec.op = op;
            rec.keyHash = keyHash;
            rec.rowHash = rowHash;
            rec.key.swap(keyText);
            rec.destId.clear();
            rec.values.swap(mapped); // mapped is refilled for the next row
            // A snapshot is invisible until commit, so once it must be rewritten, rows go
            // straight to it; if a check below fails, it is simply dropped.
            if (m_caps.fullSnapshot && m_rewrite && !m_writer) {
                if (auto r = openWriter(); !r)
                    return r;
                if (auto r = replaySpill(); !r)
                    return r;
            }
            if (auto r = m_writer ? feed(rec) : m_spill.append(rec); !r)
                return r;
        }
    }
    m_progress.rowsRead = counts.rowsRead;
    reportProgress(true);

    if (nullKeys > 0) {
        std::string rows;
        for (auto r : nullKeyRows)
            rows += (rows.empty() ? "" : ", ") + std::to_string(r);
        return fail(ErrorKind::Invalid,
                    "The primary key \"" + m_model.primaryKey + "\" is empty in " +
                        plural(nullKeys, "row", "rows") + " (row " + rows +
                        (nullKeys > 5 ? ", …" : "") +
                        "). Every row needs a key: filter those rows out in the model or choose "
                        "another primary key. Nothing was sent.");
    }
    if (auto r = checkKeys(newKeys, duplicateKeys); !r)
        return r;

    if (m_sync.mode == SyncMode::Mirror) {
        m_index.forEach([this](const StateIndex::Entry &e) {
            if (!e.seen())
                m_removed.push_back(e.keyHash);
        });
    }
    m_planRemoved = static_cast<std::int64_t>(m_removed.size());
    if (!m_removed.empty()) {
        if (m_caps.fullSnapshot)
            m_rewrite = true;
        const auto total = static_cast<std::int64_t>(m_index.size());
        const double pct = 100.0 * static_cast<double>(m_planRemoved) / static_cast<double>(total);
        const bool all = m_planRemoved == total;
        if ((all || pct > m_sync.options.mirrorMaxDeletePercent) && !m_options.allowMassDelete) {
            char pctText[16];
            std::snprintf(pctText, sizeof pctText, "%.0f%%", pct);
            std::string why =
                all ? "This run would delete all " + plural(total, "record", "records") +
                          " Sluice put in the destination, because the model returned none of "
                          "them."
                    : "This run would delete " + std::to_string(m_planRemoved) + " of the " +
                          plural(total, "record", "records") + " in the destination (" + pctText +
                          "), more than the " +
                          std::to_string(static_cast<int>(m_sync.options.mirrorMaxDeletePercent)) +
                          "% this sync allows.";
            m_result.massDeleteBlocked = true;
            return fail(ErrorKind::Invalid,
                        why +
                            " Nothing was sent or deleted. An empty or shrunken model often means "
                            "an upstream job failed: check the model's preview. If the deletions "
                            "are right, run again allowing mass deletes.");
        }
    }
    if (m_options.sampleSize > 0 && !m_removed.empty()) {
        const std::size_t n = std::min<std::size_t>(m_removed.size(), m_options.sampleSize);
        auto keys = m_state.keys(std::span(m_removed.data(), n));
        if (!keys)
            return std::unexpected(keys.error());
        for (const auto &k : *keys)
            sample(ChangeKind::Changed, true, Op::Delete, k.key, {});
    }
    m_result.log.push_back("Read " + plural(counts.rowsRead, "row", "rows") + ": " +
                           std::to_string(m_planAdded) + " to add, " +
                           std::to_string(m_planChanged) + " to change, " +
                           std::to_string(m_planRemoved) + " to remove, " +
                           std::to_string(counts.unchanged) + " unchanged" +
                           (counts.skipped ? ", " + std::to_string(counts.skipped) +
                                                 " changes skipped (insert mode never updates)"
                                           : std::string()) +
                           ".");
    return {};
}

Result<void> Run::checkKeys(std::vector<std::int64_t> &newKeys,
                            std::vector<std::int64_t> &duplicates)
{
    std::unordered_set<std::int64_t> dups(duplicates.begin(), duplicates.end());
    std::sort(newKeys.begin(), newKeys.end());
    for (std::size_t i = 1; i < newKeys.size(); ++i) {
        if (newKeys[i] == newKeys[i - 1])
            dups.insert(newKeys[i]);
    }
    newKeys = {};
    if (dups.empty())
        return {};
    // Rare path: read the model again to name a few of the duplicated keys.
    std::vector<std::string> names;
    std::unordered_set<std::int64_t> named;
    if (auto stream = m_source.open(SourceQuery{m_model.sql, m_model.table, std::nullopt})) {
        int keyColumn = -1;
        for (std::size_t i = 0; i < (*stream)->columns().size(); ++i) {
            if ((*stream)->columns()[i].name == m_model.primaryKey)
                keyColumn = static_cast<int>(i);
        }
        Hasher h;
        Row row;
        while (keyColumn >= 0 && names.size() < 5) {
            auto more = (*stream)->next(row);
            if (!more || !*more)
                break;
            const std::string k = row[keyColumn].toString();
            const auto hash = h.hash(k);
            if (dups.count(hash) && named.insert(hash).second)
                names.push_back(k);
        }
    }
    return fail(
        ErrorKind::Invalid,
        "The primary key \"" + m_model.primaryKey + "\" is not unique: " +
            plural(static_cast<std::int64_t>(dups.size()), "value appears", "values appear") +
            " more than once (" + joinQuoted(names) + (dups.size() > names.size() ? ", …" : "") +
            "). Each row needs its own key: fix the model (e.g. remove duplicates) or "
            "choose another primary key. Nothing was sent.");
}

void Run::waitMs(int ms)
{
    const auto until = Clock::now() + std::chrono::milliseconds(ms);
    while (Clock::now() < until && !cancelled())
        std::this_thread::sleep_for(
            std::min<Clock::duration>(std::chrono::milliseconds(20), until - Clock::now()));
}

void Run::recordRejection(const SpilledRecord &meta, const std::string &reason)
{
    const bool inState = m_index.find(meta.keyHash) != nullptr;
    m_rejections.push_back(Rejection{meta.keyHash, inState, meta.key, meta.op, reason});
    ++m_rejectedCount;
}

Result<void> Run::sendBatch(std::span<Change> batch, std::span<SpilledRecord> meta)
{
    std::mt19937 jitter(static_cast<unsigned>(meta.empty() ? 0 : meta.front().keyHash));
    std::vector<Change> retryBatch; // copies of the records answered "retry", for the next attempt
    std::vector<SpilledRecord> retryMeta;
    for (int attempt = 1; !batch.empty(); ++attempt) {
        if (cancelled())
            return fail(ErrorKind::Cancelled, "Stopped.");
        auto results = m_writer->write(batch);
        if (!results)
            return std::unexpected(results.error());
        if (results->size() != batch.size())
            return fail(ErrorKind::Internal, "The destination answered for " +
                                                 std::to_string(results->size()) + " of " +
                                                 std::to_string(batch.size()) + " records.");
        m_checkpoint = m_writer->checkpoint();
        m_checkpointDirty = true;
        std::vector<Change> nextBatch;
        std::vector<SpilledRecord> nextMeta;
        int waitFor = 0;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const RecordResult &res = (*results)[i];
            SpilledRecord &m = meta[i];
            switch (res.status) {
            case RecordResult::Status::Ok: {
                ++m_progress.sent;
                if (m.op == Op::Delete)
                    ++m_ackRemoved;
                else if (m.kind == ChangeKind::Added)
                    ++m_ackAdded;
                else if (m.kind == ChangeKind::Changed)
                    ++m_ackChanged;
                if (m.kind == ChangeKind::Unchanged)
                    break; // a full snapshot re-wrote it; its state is already right
                PendingAck ack{m.keyHash,
                               m.rowHash,
                               m_keyArena.size(),
                               static_cast<std::uint32_t>(m.key.size()),
                               UINT32_MAX,
                               m.op == Op::Delete,
                               m.kind == ChangeKind::Added};
                m_keyArena += m.key;
                if (!res.destId.empty()) {
                    ack.destId = static_cast<std::uint32_t>(m_destIds.size());
                    m_destIds.push_back(res.destId);
                }
                m_acks.push_back(ack);
                break;
            }
            case RecordResult::Status::Rejected:
                ++m_progress.sent;
                recordRejection(m,
                                res.message.empty() ? "Rejected by the destination." : res.message);
                break;
            case RecordResult::Status::Retry:
                m_lastRetryMessage = res.message;
                if (attempt >= m_options.maxAttempts) {
                    ++m_undelivered;
                    break;
                }
                waitFor = std::max(waitFor, res.retryAfterMs);
                nextBatch.push_back(batch[i]);
                nextMeta.push_back(m);
                break;
            }
        }
        retryBatch = std::move(nextBatch);
        retryMeta = std::move(nextMeta);
        batch = retryBatch;
        meta = retryMeta;
        if (!batch.empty()) {
            m_result.record.counts.retries += static_cast<std::int64_t>(batch.size());
            const int backoff = m_options.retryBaseDelayMs * (1 << std::min(attempt - 1, 8));
            const int jittered = backoff / 2 + static_cast<int>(jitter() % (backoff / 2 + 1));
            waitMs(std::max(waitFor, jittered));
        }
    }
    reportProgress();
    return {};
}

Result<void> Run::flushAcks()
{
    if (m_acks.empty() && m_rejections.empty() && !m_checkpointDirty)
        return {};
    std::sort(m_acks.begin(), m_acks.end(),
              [](const PendingAck &a, const PendingAck &b) { return a.keyHash < b.keyHash; });
    if (auto r = m_state.begin(); !r)
        return r;
    auto fail_ = [this](const Error &e) -> Result<void> {
        m_state.rollback();
        return std::unexpected(
            Error{ErrorKind::Io,
                  "Cannot save the sync's progress in the workspace: " + e.message +
                      ". The next run will send these records again.",
                  e.detail});
    };
    for (const auto &a : m_acks) {
        Result<void> r;
        if (a.forget)
            r = m_state.forget(a.keyHash);
        else
            r = m_state.acknowledge(
                a.keyHash, std::string_view(m_keyArena).substr(a.keyOffset, a.keyLength), a.rowHash,
                a.destId == UINT32_MAX ? "" : m_destIds[a.destId], a.isNew);
        if (!r)
            return fail_(r.error());
    }
    for (const auto &rej : m_rejections) {
        if (rej.inState) {
            if (auto r = m_state.markRejected(rej.keyHash); !r)
                return fail_(r.error());
        }
        if (m_result.record.id != 0) {
            if (auto r = m_state.addRejection(m_result.record.id, rej.key, rej.op, rej.reason); !r)
                return fail_(r.error());
        }
    }
    if (m_checkpointDirty) {
        if (auto r = m_state.setCheckpoint(m_checkpoint); !r)
            return fail_(r.error());
    }
    if (auto r = m_state.commit(); !r)
        return fail_(r.error());
    m_rejections.clear();
    m_acks.clear();
    m_keyArena.clear();
    m_destIds.clear();
    m_checkpointDirty = false;
    m_lastFlush = Clock::now();
    return {};
}

Result<void> Run::openWriter()
{
    auto checkpoint = m_state.checkpoint();
    if (!checkpoint)
        return std::unexpected(checkpoint.error());
    WriteSpec spec{m_sync.object,   m_sync.mode, m_fields,
                   m_sync.keyField, *checkpoint, m_result.record.startedAt};
    spec.cancel = m_cancel;
    spec.log = [this](const std::string &line) { destinationLog(line); };
    auto writer = m_dest.openWriter(spec);
    if (!writer)
        return std::unexpected(writer.error());
    m_writer = std::move(*writer);
    m_batchSize = std::max<std::size_t>(1, m_sync.options.batchSize ? m_sync.options.batchSize
                                                                    : m_caps.batchSize);
    m_batchMeta.resize(m_batchSize);
    m_pending = 0;
    m_lastFlush = Clock::now();
    m_progress.phase = RunProgress::Phase::Sending;
    // Store where the destination starts before anything is written, so a run killed before
    // its first commit can still be cut back to here (e.g. a change log's length).
    m_checkpoint = m_writer->checkpoint();
    if (m_checkpoint != *checkpoint) {
        m_checkpointDirty = true;
        if (auto r = flushAcks(); !r)
            return r;
    }
    return {};
}

Result<void> Run::feed(SpilledRecord &record)
{
    SpilledRecord &slot = m_batchMeta[m_pending++];
    slot.kind = record.kind;
    slot.op = record.op;
    slot.keyHash = record.keyHash;
    slot.rowHash = record.rowHash;
    slot.key.swap(record.key);
    slot.destId.swap(record.destId);
    slot.values.swap(record.values);
    ++m_progress.toSend;
    if (m_pending == m_batchSize)
        return sendPending();
    return {};
}

Result<void> Run::sendPending()
{
    if (m_pending == 0)
        return {};
    m_batch.resize(m_pending);
    for (std::size_t i = 0; i < m_pending; ++i) {
        m_batch[i].op = m_batchMeta[i].op;
        m_batch[i].key = m_batchMeta[i].key;
        m_batch[i].destId = m_batchMeta[i].destId;
        m_batch[i].values.swap(m_batchMeta[i].values);
    }
    // A changed record goes out with the id the destination gave it before (state keeps it on
    // disk, not in the in-memory index), e.g. to update by id or to chain a webhook's events.
    m_changedHashes.clear();
    for (std::size_t i = 0; i < m_pending; ++i)
        if (m_batchMeta[i].kind == ChangeKind::Changed && m_batch[i].op != Op::Delete &&
            m_batch[i].destId.empty())
            m_changedHashes.push_back(m_batchMeta[i].keyHash);
    if (!m_changedHashes.empty()) {
        auto known = m_state.keys(m_changedHashes);
        if (!known)
            return std::unexpected(known.error());
        std::unordered_map<std::int64_t, StateKey *> byHash;
        for (auto &k : *known)
            if (!k.destId.empty())
                byHash.emplace(k.keyHash, &k);
        for (std::size_t i = 0; i < m_pending && !byHash.empty(); ++i) {
            auto it = byHash.find(m_batchMeta[i].keyHash);
            if (it != byHash.end() && it->second->key == m_batch[i].key &&
                m_batchMeta[i].kind == ChangeKind::Changed && m_batch[i].op != Op::Delete)
                m_batch[i].destId = it->second->destId;
        }
    }
    auto r = sendBatch(std::span(m_batch), std::span(m_batchMeta.data(), m_pending));
    m_pending = 0;
    if (!r)
        return r;
    if (!m_caps.fullSnapshot &&
        (m_acks.size() >= 50000 || Clock::now() - m_lastFlush > std::chrono::seconds(2)))
        return flushAcks();
    return {};
}

Result<void> Run::replaySpill()
{
    if (auto r = m_spill.startReading(); !r)
        return r;
    SpilledRecord rec;
    for (;;) {
        auto more = m_spill.read(rec);
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            return {};
        if (auto r = feed(rec); !r)
            return r;
    }
}

// On failure, keep what the destination already acknowledged (unless it is a snapshot, whose
// records only become real at commit) and drop the rest.
Result<void> Run::stopSending(Error e)
{
    if (m_writer)
        m_writer->abort();
    closeWriter();
    if (m_caps.fullSnapshot) {
        m_acks.clear();
        m_keyArena.clear();
        m_ackAdded = m_ackChanged = m_ackRemoved = 0;
    }
    if (auto r = flushAcks(); !r)
        e.message += " (Also: " + r.error().message + ")";
    return std::unexpected(std::move(e));
}

Result<void> Run::apply()
{
    if (!m_writer) {
        const bool anything = m_planAdded + m_planChanged + m_planRemoved > 0;
        if (m_caps.fullSnapshot ? !m_rewrite : !anything)
            return flushAcks(); // nothing to send; store records the mapping refused, if any
        if (auto r = openWriter(); !r)
            return stopSending(r.error());
        if (auto r = replaySpill(); !r)
            return stopSending(r.error());
    }
    reportProgress(true);

    // Records whose rows left the model (mirror). A snapshot simply no longer contains them.
    for (std::size_t start = 0; start < m_removed.size(); start += m_batchSize) {
        const std::size_t count = std::min(m_batchSize, m_removed.size() - start);
        auto keys = m_state.keys(std::span(m_removed.data() + start, count));
        if (!keys)
            return stopSending(keys.error());
        for (auto &k : *keys) {
            if (m_caps.fullSnapshot) {
                m_acks.push_back(PendingAck{k.keyHash, 0, m_keyArena.size(),
                                            static_cast<std::uint32_t>(k.key.size()), UINT32_MAX,
                                            true, false});
                m_keyArena += k.key;
                ++m_ackRemoved;
                continue;
            }
            SpilledRecord rec;
            rec.kind = ChangeKind::Changed;
            rec.op = Op::Delete;
            rec.keyHash = k.keyHash;
            rec.key = std::move(k.key);
            rec.destId = std::move(k.destId);
            if (auto r = feed(rec); !r)
                return stopSending(r.error());
        }
    }
    if (auto r = sendPending(); !r)
        return stopSending(r.error());
    if (auto r = m_writer->commit(); !r)
        return stopSending(r.error());
    closeWriter();
    return flushAcks();
}

void Run::closeWriter()
{
    if (!m_writer)
        return;
    const WriterStats s = m_writer->stats();
    m_writer.reset();
    if (s.retries + s.rateLimitWaits == 0)
        return;
    m_result.record.counts.retries += s.retries + s.rateLimitWaits;
    char waited[32];
    std::snprintf(waited, sizeof waited, "%.1f s", static_cast<double>(s.waitedMs) / 1000.0);
    m_result.log.push_back(
        "The destination took " + plural(s.requests, "request", "requests") + ": " +
        std::to_string(s.retries) + " sent again after network or server errors, " +
        std::to_string(s.rateLimitWaits) + " after rate limits (" + waited + " spent waiting).");
}

void Run::destinationLog(const std::string &line)
{
    // A destination in trouble can say a lot; the first lines tell the story.
    constexpr std::size_t kMaxLines = 200;
    if (m_destinationLines < kMaxLines)
        m_result.log.push_back(line);
    else if (m_destinationLines == kMaxLines)
        m_result.log.push_back("(further lines from the destination are not kept)");
    ++m_destinationLines;
}

} // namespace

RunResult SyncEngine::run(const SyncDef &sync, const ModelDef &model, Source &source,
                          Destination &destination, const RunOptions &options, CancelToken *cancel,
                          ProgressFn progress)
{
    Run run(m_workspace, sync, model, source, destination, options, cancel, std::move(progress));
    return run.execute();
}

RunResult SyncEngine::run(std::int64_t syncId, const RunOptions &options, CancelToken *cancel,
                          ProgressFn progress)
{
    RunResult failed;
    failed.record.syncId = syncId;
    failed.record.trigger = options.trigger;
    failed.record.status = RunStatus::Failed;
    failed.record.startedAt = failed.record.finishedAt = utcNowIso();
    auto sync = m_workspace.sync(syncId);
    if (!sync) {
        failed.record.error = sync.error().message;
        return failed;
    }
    auto model = m_workspace.model(sync->modelId);
    auto sourceConn = model ? m_workspace.connection(model->connectionId)
                            : Result<ConnectionDef>(std::unexpected(model.error()));
    auto destConn = m_workspace.connection(sync->destinationId);
    const DriverContext context = m_workspace.driverContext();
    Result<std::unique_ptr<Source>> source =
        sourceConn ? createSource(sourceConn->kind, sourceConn->settings, context)
                   : Result<std::unique_ptr<Source>>(std::unexpected(sourceConn.error()));
    Result<std::unique_ptr<Destination>> destination =
        destConn ? createDestination(destConn->kind, destConn->settings, context)
                 : Result<std::unique_ptr<Destination>>(std::unexpected(destConn.error()));
    if (!source || !destination) {
        // Record the failure like any other run so the history shows it.
        const Error &e = !source ? source.error() : destination.error();
        failed.record.error = (!source ? "The source" : "The destination") +
                              std::string(" cannot be opened: ") + e.message;
        if (!options.dryRun) {
            if (auto id = m_workspace.insertRun(failed.record)) {
                failed.record.id = *id;
                (void)m_workspace.updateRun(failed.record);
            }
        }
        return failed;
    }
    return run(*sync, *model, **source, **destination, options, cancel, std::move(progress));
}

} // namespace sluice

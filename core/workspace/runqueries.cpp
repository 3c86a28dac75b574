#include "workspace/runqueries.h"

#include "destinations/destination.h"

#include <algorithm>

namespace sluice {

namespace {

// LIKE with '\' as its escape character, so a user's % or _ is not a wildcard.
std::string likePattern(std::string_view text)
{
    std::string pattern = "%";
    pattern.reserve(text.size() + 2);
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            pattern += '\\';
        pattern += c;
    }
    pattern += '%';
    return pattern;
}

Op opFromName(std::string_view name)
{
    for (auto o : {Op::Create, Op::Update, Op::Upsert, Op::Delete}) {
        if (name == opName(o))
            return o;
    }
    return Op::Upsert;
}

} // namespace

Result<std::vector<RunListEntry>> queryRuns(Workspace &workspace, const RunFilter &filter)
{
    std::string sql =
        "SELECT r.id, r.sync_id, r.trigger, r.status, r.started_at, coalesce(r.finished_at, ''), "
        "r.duration_ms, r.rows_read, r.added, r.changed, r.removed, r.unchanged, r.rejected, "
        "r.skipped, r.retries, r.error, coalesce(s.name, '') "
        "FROM runs r LEFT JOIN syncs s ON s.id = r.sync_id WHERE 1";
    if (filter.syncId)
        sql += " AND r.sync_id = ?1";
    if (filter.status)
        sql += " AND r.status = ?2";
    sql += " ORDER BY r.id DESC LIMIT ?3";
    auto stmt = workspace.db().prepare(sql);
    if (!stmt)
        return std::unexpected(stmt.error());
    if (filter.syncId)
        stmt->bind(1, *filter.syncId);
    if (filter.status)
        stmt->bind(2, std::string_view(runStatusName(*filter.status)));
    stmt->bind(3, std::int64_t(std::max(filter.limit, 1)));

    std::vector<RunListEntry> entries;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        RunListEntry e;
        RunRecord &r = e.run;
        r.id = stmt->columnInt(0);
        r.syncId = stmt->columnInt(1);
        r.trigger = stmt->columnText(2);
        r.status = runStatusFromName(stmt->columnTextView(3)).value_or(RunStatus::Failed);
        r.startedAt = stmt->columnText(4);
        r.finishedAt = stmt->columnText(5);
        r.durationMs = stmt->columnInt(6);
        r.counts.rowsRead = stmt->columnInt(7);
        r.counts.added = stmt->columnInt(8);
        r.counts.changed = stmt->columnInt(9);
        r.counts.removed = stmt->columnInt(10);
        r.counts.unchanged = stmt->columnInt(11);
        r.counts.rejected = stmt->columnInt(12);
        r.counts.skipped = stmt->columnInt(13);
        r.counts.retries = stmt->columnInt(14);
        r.error = stmt->columnText(15);
        e.syncName = stmt->columnText(16);
        entries.push_back(std::move(e));
    }
    return entries;
}

Result<std::vector<RejectedRecord>> queryRejectedRecords(Workspace &workspace, std::int64_t runId,
                                                         std::string_view keySearch, int limit)
{
    std::string sql = "SELECT run_id, key, operation, reason FROM rejected_records WHERE run_id=?1";
    if (!keySearch.empty())
        sql += " AND key LIKE ?2 ESCAPE '\\'";
    sql += " ORDER BY id LIMIT ?3";
    auto stmt = workspace.db().prepare(sql);
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, runId);
    const std::string pattern = likePattern(keySearch);
    if (!keySearch.empty())
        stmt->bind(2, std::string_view(pattern));
    stmt->bind(3, std::int64_t(std::max(limit, 1)));

    std::vector<RejectedRecord> records;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        RejectedRecord r;
        r.runId = stmt->columnInt(0);
        r.key = stmt->columnText(1);
        r.op = opFromName(stmt->columnTextView(2));
        r.reason = stmt->columnText(3);
        records.push_back(std::move(r));
    }
    return records;
}

} // namespace sluice

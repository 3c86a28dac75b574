#pragma once
// The Destination interface: somewhere a sync writes records (a CSV file, later HubSpot,
// Google Sheets, …). It describes its objects and fields for the mapping canvas, declares
// the sync modes it supports, and hands out a Writer for one run.

#include "data/value.h"
#include "util/cancel.h"
#include "util/error.h"

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sluice {

enum class SyncMode : std::uint8_t
{
    Insert,
    Update,
    Upsert,
    Mirror
};
const char *syncModeName(SyncMode mode);
std::optional<SyncMode> syncModeFromName(std::string_view name);
std::string syncModeExplanation(SyncMode mode); // one plain sentence for users

// What one change asks the destination to do with one record.
enum class Op : std::uint8_t
{
    Create,
    Update,
    Upsert,
    Delete
};
const char *opName(Op op);

struct FieldInfo
{
    std::string name;
    ColumnType type = ColumnType::Unknown;
    bool required = false;
    bool key = false; // unique: can identify a record (candidate for the key match)
    bool readOnly = false;
    std::string label; // what the vendor's own screens call it ("First Name"), when it differs
};

struct ObjectInfo
{
    std::string name;
    std::string label;
    bool openFields = false; // any field name may be mapped (a CSV file makes its own columns)
};

struct Change
{
    Op op = Op::Upsert;
    std::string key;           // the model's primary-key value, as text
    std::vector<Value> values; // one per WriteSpec::fields; empty for Delete
    std::string destId;        // the destination's id for the record, when known from state
};

struct RecordResult
{
    enum class Status : std::uint8_t
    {
        Ok,
        Rejected,
        Retry
    };
    Status status = Status::Ok;
    std::string message; // the destination's own words, for Rejected and Retry
    std::string destId;  // the id the destination gave the record, if any
    int retryAfterMs = 0;
};

struct DestinationCaps
{
    std::vector<SyncMode> modes;
    // A full-snapshot destination is rewritten whole: whenever anything changed it receives
    // every current record (not only changes), and nothing is durable before commit().
    bool fullSnapshot = false;
    std::size_t batchSize = 1000;
};

struct WriteSpec
{
    std::string object;
    SyncMode mode = SyncMode::Upsert;
    std::vector<std::string> fields; // the mapped destination fields, in Change::values order
    std::string keyField;            // destination field that holds the key; may be empty
    std::string checkpoint;          // what the last committed batch's checkpoint() returned
    std::string runStartedAt;        // ISO 8601 UTC, for destinations that stamp records
    // Stop: a writer blocked on the network returns soon after this is cancelled (may be null).
    CancelToken *cancel = nullptr;
    // Lines for the run log (retries, waits, refusals), on the thread that calls write(); the
    // engine caps how many it keeps. Never pass a secret: log lines are stored and shown.
    std::function<void(const std::string &line)> log;
};

// What a writer did on the wire, for the run record: requests sent again after network errors,
// server errors or rate limits are the run's retries too.
struct WriterStats
{
    std::int64_t requests = 0;
    std::int64_t retries = 0;        // after a network error or a server error
    std::int64_t rateLimitWaits = 0; // after the destination said "too many requests"
    std::int64_t waitedMs = 0;       // in backoff and rate-limit waits
};

class Writer
{
public:
    virtual ~Writer() = default;
    // One result per change, in order; an error means the whole batch failed (nothing of it
    // may be assumed written) and the run stops.
    virtual Result<std::vector<RecordResult>> write(std::span<const Change> batch) = 0;
    // A token stored with the sync state in the same transaction as a batch's results, handed
    // back in WriteSpec::checkpoint next run (e.g. the committed length of an append-only file).
    virtual std::string checkpoint() const { return {}; }
    virtual WriterStats stats() const { return {}; }
    // Makes everything written durable (a full snapshot is renamed into place here).
    virtual Result<void> commit() = 0;
    // Drops what was not committed. Must leave what the last commit made intact.
    virtual void abort() = 0;
};

class Destination
{
public:
    virtual ~Destination() = default;
    virtual DestinationCaps capabilities() const = 0;
    virtual Result<std::vector<ObjectInfo>> objects() = 0;
    virtual Result<std::vector<FieldInfo>> fields(const std::string &object) = 0;
    // True when records Sluice wrote earlier are known to be gone (e.g. the output file was
    // deleted), so the engine must send everything again.
    virtual bool recordsLost(const std::string & /*object*/) { return false; }
    virtual Result<std::unique_ptr<Writer>> openWriter(const WriteSpec &spec) = 0;
};

} // namespace sluice

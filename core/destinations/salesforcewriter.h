#pragma once
// Writes one sync run's changes to a Salesforce object. Changes of one kind below the Bulk API
// threshold go through sObject Collections (upsert by an external ID, create, update by Id,
// delete by Id; at most 200 records a request, allOrNone false, requests sent concurrently)
// and Salesforce's per-record answers are matched to rows by position; at or above it they go
// through one Bulk API 2.0 job (see SalesforceBulk) matched by the key column. Records to
// update, and records to delete whose Salesforce Id is not stored, are found by SOQL first.

#include "destinations/destination.h"
#include "destinations/salesforceapi.h"

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice {

class SalesforceWriter final : public Writer
{
public:
    // Checks the sync's fields and key against the object's describe (one request), so a
    // misspelt or read-only field stops the run before anything is sent. `cancel` (may be null)
    // stops requests in flight and Bulk API polling. `onClose` gets the HTTP client's statistics
    // when the writer is destroyed.
    static Result<std::unique_ptr<Writer>>
    open(std::unique_ptr<SalesforceApi> api, const WriteSpec &spec, CancelToken *cancel = nullptr,
         std::function<void(const net::ClientStats &)> onClose = {});
    ~SalesforceWriter() override;

    Result<std::vector<RecordResult>> write(std::span<const Change> batch) override;
    Result<void> commit() override { return {}; } // Salesforce keeps each record as written
    WriterStats stats() const override;
    void abort() override {}

    static constexpr std::size_t kMaxRecords = 200;     // sObject Collections
    static constexpr std::size_t kMaxQueryValues = 100; // values in one SOQL IN (…) list

    enum class Kind : std::uint8_t
    {
        Text,
        Integer,
        Number,
        Boolean,
        Date,     // YYYY-MM-DD
        DateTime, // YYYY-MM-DDThh:mm:ss.sssZ
    };
    enum class Form : std::uint8_t
    {
        Null,
        String, // a JSON string
        Bare,   // a JSON number or boolean
    };
    // A value as Salesforce takes it: its text and whether JSON quotes it. NULL and "" are Null
    // (which clears the field). False when the value cannot be one of that kind ("soon" for a
    // date); `text` then holds what was wrong, for the message.
    static bool normalize(const Value &value, Kind kind, std::string &text, Form &form);
    static void appendJson(std::string &out, const std::string &text, Form form);
    // A CSV cell for the Bulk API: Null as #N/A (which clears the field; an empty cell would
    // leave it as it is).
    static void appendCsv(std::string &out, const std::string &text, Form form);
    // "CODE:message:fields --" (one or more, as Bulk API results write them) →
    // "CODE: message (fields)", as sObject Collections errors read.
    static std::string bulkErrorText(std::string_view error);

private:
    enum class Action : std::uint8_t
    {
        Upsert,
        Create,
        Update,
        Delete,
        Lookup, // Salesforce Ids by the key field (for updates, and deletes without an Id)
        Verify, // the records creates collided with, by Id
    };
    struct Job
    {
        Action action;
        std::vector<std::uint32_t> rows;
        std::string next; // a lookup's further page (nextRecordsUrl)
    };

    SalesforceWriter(std::unique_ptr<SalesforceApi> api, const WriteSpec &spec,
                     SalesforceObjectInfo object, std::vector<std::string> fields,
                     std::vector<Kind> kinds, int keyIndex, Kind keyKind, CancelToken *cancel,
                     std::function<void(const net::ClientStats &)> onClose);

    bool useBulk(std::size_t count) const;
    // Renders each row's record (JSON members, or CSV cells when bulk) into m_bodies; rows
    // with a value Salesforce cannot take are rejected here.
    void render(const std::vector<std::uint32_t> &rows, std::span<const Change> batch, bool csv,
                std::vector<RecordResult> &results);
    Result<void> runCollections(std::vector<Job> jobs, std::span<const Change> batch,
                                std::vector<RecordResult> &results);
    SalesforceApi::Call call(const Job &job, std::span<const Change> batch) const;
    Result<void> handle(const Job &job, const Result<net::Response> &response,
                        std::span<const Change> batch, std::vector<RecordResult> &results,
                        std::vector<std::string> &more);
    void handleWrite(const Job &job, const net::Response &response,
                     std::vector<RecordResult> &results);
    void handleLookup(const net::Response &response, std::vector<std::string> &more);
    void handleVerify(const net::Response &response, std::span<const Change> batch,
                      std::vector<RecordResult> &results);
    Result<void> runBulk(Action action, const std::vector<std::uint32_t> &rows,
                         std::vector<RecordResult> &results);
    // One row's answer, from either API: Ok with the Id, or Salesforce's refusal.
    void settle(Action action, std::uint32_t row, bool success, std::string_view id,
                std::string_view code, std::string message, std::vector<RecordResult> &results);
    void retry(const std::vector<std::uint32_t> &rows, const std::string &message, int afterMs,
               std::vector<RecordResult> &results);
    void reject(std::uint32_t row, std::string message, std::vector<RecordResult> &results);
    std::string what(Action action) const;

    std::unique_ptr<SalesforceApi> m_api;
    SalesforceObjectInfo m_object;
    SyncMode m_mode;
    std::vector<std::string> m_fields;    // Salesforce's spelling of the mapped fields
    std::vector<std::string> m_jsonNames; // "\"Name\":" for each field, escaped once
    std::vector<Kind> m_kinds;
    std::string m_keyField; // Salesforce's spelling; may be empty (insert)
    int m_keyIndex = -1;    // the key field's position in m_fields, or -1 when not mapped
    Kind m_keyKind = Kind::Text;
    CancelToken *m_cancel = nullptr;
    std::function<void(const net::ClientStats &)> m_onClose;

    // Per write(), kept as members so their buffers are reused from batch to batch: the key
    // each row is sent and matched under, its Salesforce Id, its rendered record, the status
    // code of its refusal, and whether it has its answer.
    std::vector<std::string> m_keys;
    std::vector<std::string> m_ids;
    std::vector<std::string> m_bodies;
    std::vector<std::string> m_codes;
    std::vector<std::uint8_t> m_done;
    // Lookups: lower-cased key value → rows waiting for its Id, and how many records had it.
    std::unordered_map<std::string, std::vector<std::uint32_t>> m_waiting;
    std::unordered_map<std::string, int> m_found;
    std::string m_scratch;
};

} // namespace sluice

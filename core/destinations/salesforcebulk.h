#pragma once
// Bulk API 2.0 ingest jobs for the Salesforce writer: one job per CSV upload (Salesforce takes
// one upload per job), closed with UploadComplete, polled with a growing pause until it is done
// (a cancel aborts it), and its successful, failed and unprocessed records read back and handed
// over by the value of a key column, since Salesforce does not keep their order. Recovers from
// an upload that reached Salesforce twice (a retried PUT) by starting the job again.

#include "destinations/salesforceapi.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

class SalesforceBulk
{
public:
    struct JobSpec
    {
        std::string object;
        std::string operation;       // insert, update, upsert, delete
        std::string externalIdField; // upsert
        std::string keyColumn;       // the column results are matched by (the uploaded value)
    };
    struct Outcome
    {
        enum class Status : std::uint8_t
        {
            Ok,
            Failed,     // Salesforce refused the record: error says why
            Unprocessed // the job ended before reaching it: error says why
        };
        Status status = Status::Ok;
        std::string_view key;   // the key column's value as uploaded
        std::string_view id;    // sf__Id, when Salesforce gives one
        bool created = false;   // sf__Created
        std::string_view error; // sf__Error ("CODE:message:fields --"), or why unprocessed
    };
    using Sink = std::function<void(const Outcome &)>;

    SalesforceBulk(SalesforceApi &api, CancelToken *cancel);

    // Runs one job per chunk (each a CSV text with its header row), one after the other, and
    // hands every result row to the sink. An error stops the run: the records of the chunk at
    // hand then have no result.
    Result<void> run(const JobSpec &spec, const std::vector<std::string> &chunks, const Sink &sink);

    const std::vector<std::string> &jobIds() const { return m_jobIds; }

    // Jobs a chunk may be started as when Salesforce refuses to close them.
    static constexpr int kMaxAttempts = 3;

private:
    enum class Closed : std::uint8_t
    {
        Ok,
        Again, // the job got the data twice: start over with a new job
    };
    Result<void> runOne(const JobSpec &spec, const std::string &csv, const Sink &sink);
    Result<std::string> create(const JobSpec &spec);
    Result<Closed> uploadAndClose(const std::string &id, const std::string &csv);
    Result<nlohmann::json> waitUntilDone(const std::string &id);
    Result<void> results(const std::string &id, const std::string &kind, const JobSpec &spec,
                         Outcome::Status status, const std::string &why, const Sink &sink);
    void abortJob(const std::string &id);
    bool pause(int ms); // false when cancelled meanwhile

    SalesforceApi &m_api;
    CancelToken *m_cancel;
    std::vector<std::string> m_jobIds;
};

} // namespace sluice

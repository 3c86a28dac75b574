#include "destinations/salesforcebulk.h"

#include "csv/csvreader.h"

#include <chrono>
#include <thread>

namespace sluice {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string stringField(const json &node, const char *key)
{
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

long longField(const json &node, const char *key)
{
    auto it = node.find(key);
    return it != node.end() && it->is_number() ? it->get<long>() : 0;
}

bool finished(const std::string &state)
{
    return state == "JobComplete" || state == "Failed" || state == "Aborted";
}

} // namespace

SalesforceBulk::SalesforceBulk(SalesforceApi &api, CancelToken *cancel)
    : m_api(api), m_cancel(cancel)
{
}

bool SalesforceBulk::pause(int ms)
{
    const auto until = Clock::now() + std::chrono::milliseconds(ms);
    while (Clock::now() < until) {
        if (m_cancel && m_cancel->cancelled())
            return false;
        std::this_thread::sleep_for(
            std::min<Clock::duration>(std::chrono::milliseconds(25), until - Clock::now()));
    }
    return !(m_cancel && m_cancel->cancelled());
}

Result<void> SalesforceBulk::run(const JobSpec &spec, const std::vector<std::string> &chunks,
                                 const Sink &sink)
{
    for (const auto &csv : chunks) {
        if (auto r = runOne(spec, csv, sink); !r)
            return r;
    }
    return {};
}

Result<std::string> SalesforceBulk::create(const JobSpec &spec)
{
    json body = {{"object", spec.object},
                 {"operation", spec.operation},
                 {"contentType", "CSV"},
                 {"lineEnding", "LF"},
                 {"columnDelimiter", "COMMA"}};
    if (!spec.externalIdField.empty())
        body["externalIdFieldName"] = spec.externalIdField;
    auto response = m_api.sendOne({"POST", "/jobs/ingest", body.dump()},
                                  "starting a Bulk API job for " + spec.object, m_cancel);
    if (!response)
        return std::unexpected(response.error());
    const json info = json::parse(response->body, nullptr, false);
    const std::string id = info.is_object() ? stringField(info, "id") : std::string();
    if (id.empty())
        return fail(ErrorKind::Destination,
                    "Salesforce did not say which Bulk API job it started for " + spec.object + ".",
                    response->body.substr(0, 300));
    m_jobIds.push_back(id);
    return id;
}

void SalesforceBulk::abortJob(const std::string &id)
{
    // Best effort, and even after a cancel: a job left open would only be cleaned up by
    // Salesforce days later.
    (void)m_api.sendOne({"PATCH", "/jobs/ingest/" + id, R"({"state":"Aborted"})"},
                        "aborting Bulk API job " + id, nullptr, false);
}

Result<SalesforceBulk::Closed> SalesforceBulk::uploadAndClose(const std::string &id,
                                                              const std::string &csv)
{
    SalesforceApi::Call put{"PUT", "/jobs/ingest/" + id + "/batches", csv, "text/csv"};
    auto uploaded =
        m_api.sendOne(std::move(put), "uploading records to Bulk API job " + id, m_cancel);
    if (!uploaded) {
        abortJob(id);
        return std::unexpected(uploaded.error());
    }
    const std::string what = "closing Bulk API job " + id;
    auto closed = m_api.sendOne({"PATCH", "/jobs/ingest/" + id, R"({"state":"UploadComplete"})"},
                                what, m_cancel, false);
    if (!closed)
        return std::unexpected(closed.error());
    if (closed->status >= 200 && closed->status < 300)
        return Closed::Ok;
    // A PUT whose answer was lost and that the HTTP layer sent again reached the job twice, and
    // Salesforce refuses such a job ("Found multipe contents for job"): nothing of it was
    // processed, so it is aborted and the data goes into a new job.
    const std::string said = m_api.message(*closed);
    if (SalesforceApi::errorCode(*closed) == "INVALIDJOB" &&
        (said.find("multipe contents") != std::string::npos ||
         said.find("multiple contents") != std::string::npos)) {
        abortJob(id);
        return Closed::Again;
    }
    // A close whose answer was lost and that was sent again finds the job already closed.
    auto info = m_api.sendOne({"GET", "/jobs/ingest/" + id}, what, m_cancel, false);
    if (info && info->status == 200) {
        const json body = json::parse(info->body, nullptr, false);
        const std::string state = body.is_object() ? stringField(body, "state") : std::string();
        if (state == "UploadComplete" || state == "InProgress" || finished(state))
            return Closed::Ok;
    }
    abortJob(id);
    return std::unexpected(m_api.requestError(*closed, what));
}

Result<json> SalesforceBulk::waitUntilDone(const std::string &id)
{
    const auto &config = m_api.config();
    const auto start = Clock::now();
    int delay = std::max(1, config.bulkPollMs);
    for (;;) {
        if (!pause(delay)) {
            abortJob(id);
            return fail(ErrorKind::Cancelled, "Stopped.");
        }
        auto response = m_api.sendOne({"GET", "/jobs/ingest/" + id},
                                      "asking about Bulk API job " + id, m_cancel);
        if (!response) {
            abortJob(id);
            return std::unexpected(response.error());
        }
        json info = json::parse(response->body, nullptr, false);
        if (!info.is_object())
            info = json::object();
        if (finished(stringField(info, "state")))
            return info;
        const auto waited =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
        if (waited >= config.bulkMaxWaitMs) {
            abortJob(id);
            return fail(ErrorKind::Destination,
                        "Salesforce had not finished Bulk API job " + id + " after " +
                            std::to_string(waited / 60'000) +
                            " minutes, so Sluice aborted it. The org may be busy with other "
                            "jobs; its records will be sent again by the next run.");
        }
        delay = std::min(delay * 2, std::max(delay, config.bulkPollMaxMs));
    }
}

Result<void> SalesforceBulk::results(const std::string &id, const std::string &kind,
                                     const JobSpec &spec, Outcome::Status status,
                                     const std::string &why, const Sink &sink)
{
    const std::string what = "reading the results of Bulk API job " + id;
    SalesforceApi::Call call{"GET", "/jobs/ingest/" + id + "/" + kind + "/"};
    call.accept = "text/csv";
    auto response = m_api.sendOne(std::move(call), what, m_cancel);
    if (!response)
        return std::unexpected(response.error());
    CsvReadOptions options;
    options.delimiter = ',';
    auto reader = CsvReader::fromString(std::move(response->body), options);
    std::vector<CsvField> fields;
    auto header = reader->next(fields);
    if (!header)
        return fail(ErrorKind::Destination, "Salesforce sent results Sluice cannot read while " +
                                                what + ": " + header.error().message);
    if (!*header)
        return {}; // no rows at all
    int keyAt = -1, idAt = -1, createdAt = -1, errorAt = -1;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string_view name = fields[i].text;
        if (name == spec.keyColumn)
            keyAt = static_cast<int>(i);
        else if (name == "sf__Id")
            idAt = static_cast<int>(i);
        else if (name == "sf__Created")
            createdAt = static_cast<int>(i);
        else if (name == "sf__Error")
            errorAt = static_cast<int>(i);
    }
    if (keyAt < 0)
        return fail(ErrorKind::Destination,
                    "Salesforce's Bulk API results have no column " + spec.keyColumn +
                        ", so Sluice cannot tell which record each result is for (" + what + ").");
    for (;;) {
        auto more = reader->next(fields);
        if (!more)
            return fail(ErrorKind::Destination,
                        "Salesforce sent results Sluice cannot read while " + what + ": " +
                            more.error().message);
        if (!*more)
            return {};
        auto at = [&](int i) {
            return i >= 0 && static_cast<std::size_t>(i) < fields.size()
                       ? fields[static_cast<std::size_t>(i)].text
                       : std::string_view();
        };
        Outcome o;
        o.status = status;
        o.key = at(keyAt);
        o.id = at(idAt);
        o.created = at(createdAt) == "true";
        o.error = status == Outcome::Status::Unprocessed ? std::string_view(why) : at(errorAt);
        sink(o);
    }
}

Result<void> SalesforceBulk::runOne(const JobSpec &spec, const std::string &csv, const Sink &sink)
{
    std::string id;
    for (int attempt = 1;; ++attempt) {
        auto created = create(spec);
        if (!created)
            return std::unexpected(created.error());
        id = *created;
        auto closed = uploadAndClose(id, csv);
        if (!closed)
            return std::unexpected(closed.error());
        if (*closed == Closed::Ok)
            break;
        if (attempt >= kMaxAttempts)
            return fail(ErrorKind::Destination,
                        "Salesforce's Bulk API kept refusing to start jobs for " + spec.object +
                            " (the data reached each job twice). Try again later, or raise the "
                            "Bulk API threshold so changes this size go through sObject "
                            "Collections instead.");
    }
    auto info = waitUntilDone(id);
    if (!info)
        return std::unexpected(info.error());
    const std::string state = stringField(*info, "state");
    const std::string problem = stringField(*info, "errorMessage");
    if (state == "Failed" && longField(*info, "numberRecordsProcessed") == 0)
        return fail(ErrorKind::Destination,
                    "Salesforce's Bulk API could not run the job for " + spec.object + " (" +
                        (problem.empty() ? std::string("no reason given") : problem) +
                        "). Nothing of it was written.",
                    "Bulk API job " + id + " failed");
    if (auto r = results(id, "successfulResults", spec, Outcome::Status::Ok, {}, sink); !r)
        return r;
    if (auto r = results(id, "failedResults", spec, Outcome::Status::Failed, {}, sink); !r)
        return r;
    if (state != "JobComplete") {
        const std::string why = "Salesforce's Bulk API job " + id + " ended (" + state +
                                ") before this record" +
                                (problem.empty() ? std::string(".") : ": " + problem);
        if (auto r =
                results(id, "unprocessedrecords", spec, Outcome::Status::Unprocessed, why, sink);
            !r)
            return r;
    }
    return {};
}

} // namespace sluice

#pragma once
// Salesforce's REST API in memory, for tests: the sObjects Contact, Account and a custom
// Subscription__c with realistic describe results, describeGlobal, sObject Collections
// (upsert by an external ID, create, update, delete; at most 200 records, allOrNone, results in
// request order with Salesforce's per-record errors), SOQL queries of the simple kind Sluice
// sends, and Bulk API 2.0 ingest jobs (CSV upload, UploadComplete, a job that moves through
// InProgress to JobComplete over a few polls, successful/failed/unprocessed results as CSV).
// Request-level errors are Salesforce's JSON arrays ([{"message","errorCode","fields"}]); a
// session the token endpoint did not issue answers 401 INVALID_SESSION_ID, a used-up daily
// allowance 403 REQUEST_LIMIT_EXCEEDED, and every response carries Sforce-Limit-Info. The token
// endpoint (/services/oauth2/token: client credentials and JWT bearer) is an OAuthEmulator
// served on the same host. Wire formats follow ../../shared/reference/saas-apis.md §3; texts
// not found in a primary source are marked [UNCONFIRMED].

#include "emulator.h"
#include "oauthemulator.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::emu {

struct SalesforceField
{
    std::string name;
    std::string label;
    std::string type; // id, string, email, phone, url, textarea, picklist, boolean, int, double,
                      // currency, percent, date, datetime, reference, anyType
    int length = 0;   // text types
    int precision = 0;
    int scale = 0;
    bool nillable = true;
    bool createable = true;
    bool updateable = true;
    bool defaultedOnCreate = false;
    bool externalId = false;
    bool idLookup = false;
    bool unique = false;
    bool custom = false;
    bool nameField = false;
    bool restrictedPicklist = false;
    std::vector<std::string> picklistValues;
    std::string defaultPicklistValue;
    std::vector<std::string> referenceTo;
    std::string relationshipName;
};

struct SalesforceRecord
{
    std::string id;
    std::map<std::string, nlohmann::json> fields; // by the field's API name, Id included
};

class SalesforceEmulator : public Emulator
{
public:
    SalesforceEmulator();

    EmuReply handle(const EmuRequest &request) override;
    EmuReply rateLimited(bool withRetryAfter) override;
    EmuReply serverError(int status) override;

    // --- Set-up ---
    // The token endpoint; its Salesforce connected app (OAuthEmulator::kSalesforceClientId …)
    // signs in with client credentials or a JWT signed by oauth().privateKeyPem().
    OAuthEmulator &oauth() { return m_oauth; }
    // What token answers give as instance_url. Unless set, it is this server as the token
    // request reached it: "http://" + its Host header (set it for a server with TLS).
    void setInstanceUrl(const std::string &url)
    {
        m_oauth.setInstanceUrl(url);
        m_instanceUrlSet = true;
    }
    // A session accepted without signing in (for tests that talk to the API directly).
    void addSession(const std::string &accessToken) { m_sessions.insert(accessToken); }
    // Every API request answers 401, whatever the session (a user whose access was revoked).
    void setRejectAllSessions(bool on) { m_rejectAll = on; }
    // The org's daily API request allowance (API requests so far count against it); -1: none.
    void setDailyApiLimit(long limit) { m_dailyLimit = limit; }
    void setApiUsage(long used) { m_apiUsed = used; }
    // How many GETs of a job's info after UploadComplete until it reports JobComplete (the first
    // ones report InProgress). The records are written when it completes.
    void setPollsToComplete(int polls) { m_pollsToComplete = polls; }
    // On (default): Bulk API results come back in another order than the uploaded rows, since
    // Salesforce does not promise any order.
    void setShuffleBulkResults(bool on) { m_shuffle = on; }
    // SOQL answers at most this many records at a time (Salesforce: 2,000) and gives a
    // nextRecordsUrl for the rest.
    void setQueryPageSize(std::size_t size) { m_queryPageSize = size; }
    // The next write of the record whose Ext_Id__c is `externalId` (through either API) fails
    // with this per-record error instead, `times` times (e.g. UNABLE_TO_LOCK_ROW, which passes).
    void injectRecordError(const std::string &externalId, const std::string &statusCode,
                           const std::string &message, int times = 1);
    void addField(const std::string &object, SalesforceField field);
    // Puts a record in directly (no validation, not counted); returns its 18-character Id.
    std::string seed(const std::string &object,
                     const std::map<std::string, nlohmann::json> &fields);

    // --- Inspection ---
    std::size_t recordCount(const std::string &object) const;
    std::vector<SalesforceRecord> records(const std::string &object) const;
    // A record whose field holds value (text compared without case, as SOQL does).
    std::optional<SalesforceRecord> find(const std::string &object, const std::string &field,
                                         const std::string &value) const;
    std::optional<SalesforceRecord> byId(const std::string &object, const std::string &id) const;
    // The bearer tokens API requests carried (to check that none leaked anywhere).
    const std::set<std::string> &sessionsSeen() const { return m_sessionsSeen; }

    struct BulkJobInfo
    {
        std::string id;
        std::string object;
        std::string operation;
        std::string state;
        int uploads = 0;
        std::size_t rows = 0;
        std::size_t failed = 0;
    };
    std::vector<BulkJobInfo> bulkJobs() const;

    struct Counters
    {
        long requests = 0;         // every request handle() saw (token requests included)
        long apiRequests = 0;      // /services/data requests with a valid session
        long unauthorized = 0;     // 401s
        long limitExceeded = 0;    // 403 REQUEST_LIMIT_EXCEEDED
        long collectionWrites = 0; // accepted sObject Collections write requests
        long queries = 0;          // SOQL requests (first pages)
        long maxCollectionRecords = 0;
        std::map<std::string, long> recordsByOperation; // "upsert" → records received, …
        long created = 0;
        long updated = 0;
        long deleted = 0;
        long recordErrors = 0; // records answered with errors (both APIs)
        long bulkJobsCreated = 0;
        long bulkJobsCompleted = 0;
        long bulkJobsAborted = 0;
        long bulkUploads = 0;
        std::size_t maxUploadBytes = 0;
        std::map<std::string, long> bulkRowsByOperation;
    };
    Counters counters() const { return m_counters; }

    static constexpr const char *kApiVersion = "60.0";
    static constexpr std::size_t kMaxCollectionRecords = 200;

private:
    struct ObjectDef
    {
        std::string name;
        std::string label;
        std::string labelPlural;
        std::string keyPrefix;
        bool custom = false;
        bool createable = true;
        bool updateable = true;
        bool deletable = true;
        bool queryable = true;
        std::vector<SalesforceField> fields;
        std::map<std::string, SalesforceRecord> records; // by 18-character Id
        std::set<std::string> deleted;                   // 18-character Ids
        // field → lower-cased value → Id, for unique and external-ID fields
        std::map<std::string, std::unordered_map<std::string, std::string>> unique;
        std::uint64_t nextId = 1;

        const SalesforceField *field(const std::string &name) const; // case-insensitive
    };
    struct RecordError
    {
        std::string statusCode;
        std::string message;
        std::vector<std::string> fields;
    };
    struct WriteResult
    {
        bool success = false;
        bool created = false;
        std::string id;
        std::vector<RecordError> errors;
    };
    enum class WriteMode
    {
        Create,
        Update,
        Upsert
    };
    // Previous state of records a request touched, to roll back allOrNone requests.
    struct Undo
    {
        ObjectDef *object;
        std::string id;
        std::optional<SalesforceRecord> before;
    };
    struct BulkResultRow
    {
        std::string id;
        bool success = false;
        bool created = false;
        std::string error; // "CODE:message:fields --"
        std::size_t row = 0;
    };
    struct BulkJob
    {
        std::string id;
        std::string object;
        std::string operation;
        std::string externalIdField;
        std::string lineEnding = "LF";
        std::string state = "Open";
        std::string createdDate;
        std::string errorMessage;
        std::vector<std::string> uploads;
        int polls = 0;
        bool processed = false;
        std::vector<std::string> header;
        std::vector<std::vector<std::string>> rows;
        std::vector<BulkResultRow> results;
    };
    struct QueryCursor
    {
        std::vector<nlohmann::json> records;
        std::size_t offset = 0;
        std::size_t total = 0;
    };

    ObjectDef *object(const std::string &name);
    const ObjectDef *object(const std::string &name) const;
    EmuReply api(const EmuRequest &request, const std::string &rest);
    EmuReply error(int status, const std::string &code, const std::string &message,
                   const std::vector<std::string> &fields = {}) const;
    EmuReply notFound() const;
    EmuReply methodNotAllowed(const std::string &method, const std::string &allowed) const;

    EmuReply describeGlobal() const;
    EmuReply describe(const ObjectDef &object) const;
    EmuReply collections(const EmuRequest &request, const std::vector<std::string> &parts);
    EmuReply collectionsWrite(const EmuRequest &request, WriteMode mode, ObjectDef *urlObject,
                              const std::string &externalField);
    EmuReply collectionsDelete(const EmuRequest &request);
    EmuReply query(const EmuRequest &request);
    EmuReply queryMore(const std::string &locator);
    EmuReply queryPage(QueryCursor cursor);
    EmuReply bulk(const EmuRequest &request, const std::vector<std::string> &parts);
    EmuReply createJob(const EmuRequest &request);
    EmuReply changeJobState(BulkJob &job, const EmuRequest &request);
    EmuReply jobResults(const BulkJob &job, const std::string &kind) const;
    nlohmann::json jobJson(const BulkJob &job, bool counters) const;
    void processJob(BulkJob &job);

    // JSON value of a request → the value as stored; false (with why) when Salesforce could not
    // deserialize it.
    bool fromJson(const SalesforceField &field, const nlohmann::json &in, nlohmann::json &out,
                  std::string &why) const;
    // CSV text of a Bulk API upload → the value as stored.
    bool fromCsv(const SalesforceField &field, const std::string &in, nlohmann::json &out,
                 std::string &why) const;
    WriteResult write(ObjectDef &object, WriteMode mode,
                      std::map<std::string, nlohmann::json> values, const std::string &matchField,
                      const std::string &id, std::vector<Undo> *undo);
    WriteResult remove(ObjectDef &object, const std::string &id, std::vector<Undo> *undo);
    void put(ObjectDef &object, SalesforceRecord record, std::vector<Undo> *undo);
    void erase(ObjectDef &object, const std::string &id);
    void rollback(std::vector<Undo> &undo);
    std::string newId(ObjectDef &object);
    std::string nowIso() const;
    nlohmann::json recordJson(const ObjectDef &object, const SalesforceRecord &record,
                              const std::vector<const SalesforceField *> &fields) const;

    OAuthEmulator m_oauth;
    std::set<std::string> m_sessions;
    std::set<std::string> m_sessionsSeen;
    bool m_rejectAll = false;
    bool m_instanceUrlSet = false;
    long m_dailyLimit = 100'000;
    long m_apiUsed = 0;
    int m_pollsToComplete = 2;
    bool m_shuffle = true;
    std::size_t m_queryPageSize = 2000;
    std::string m_version; // of the request being handled ("60.0")
    std::vector<ObjectDef> m_objects;
    std::map<std::string, BulkJob> m_jobs;
    std::map<std::string, QueryCursor> m_cursors;
    struct Injected
    {
        std::string statusCode;
        std::string message;
        int times = 0;
    };
    std::map<std::string, Injected> m_injected; // by lower-cased Ext_Id__c
    std::uint64_t m_nextJob = 1;
    std::uint64_t m_nextCursor = 1;
    std::uint32_t m_shuffleState = 2463534242u;
    Counters m_counters;
};

} // namespace sluice::emu

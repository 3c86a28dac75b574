#pragma once
// HubSpot's CRM v3 API in memory, for tests: contacts, companies and custom objects with a
// realistic property list, batch create/update/upsert/archive/read, paged listing, the
// properties and schemas endpoints, and HubSpot's own validation and error bodies (401 without
// the private-app token, 403 for a missing scope, 400 above 100 inputs, per-record errors with
// the input's objectWriteTraceId, 429 with HubSpot's rate-limit body and headers). It can
// enforce HubSpot's rolling request limit (e.g. 190 per 10 s) and a daily limit.

#include "emulator.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::emu {

struct HubSpotProperty
{
    std::string name;
    std::string label;
    std::string type;      // string, number, date, datetime, enumeration, bool, phone_number
    std::string fieldType; // text, textarea, number, date, select, booleancheckbox, …
    std::string groupName;
    bool hasUniqueValue = false;
    bool hidden = false;
    bool readOnlyValue = false; // set by HubSpot (ids, timestamps, calculated properties)
    bool calculated = false;
    std::vector<std::string> options; // allowed values of an enumeration or bool
};

struct HubSpotRecord
{
    std::string id;
    std::map<std::string, std::string> properties; // as HubSpot stores them: all strings
    std::string createdAt;
    std::string updatedAt;
};

class HubSpotEmulator : public Emulator
{
public:
    explicit HubSpotEmulator(std::string token = "pat-na1-11111111-2222-3333-4444-555555555555");

    EmuReply handle(const EmuRequest &request) override;
    EmuReply rateLimited(bool withRetryAfter) override;
    EmuReply serverError(int status) override;

    // --- Set-up ---
    void setToken(std::string token) { m_token = std::move(token); }
    // The scopes the token was granted; empty (the default) grants every scope.
    void setScopes(std::set<std::string> scopes) { m_scopes = std::move(scopes); }
    // On (default): inputs that all carry an objectWriteTraceId get per-record errors in a 207
    // reply while the valid ones are written. Off, or without trace ids: one invalid input
    // fails the whole request with 400 and nothing of it is written.
    void setMultiStatus(bool on) { m_multiStatus = on; }
    // On (default): results come back in another order than the inputs, as HubSpot does not
    // promise any order.
    void setShuffleResults(bool on) { m_shuffle = on; }
    // HubSpot's rolling limit: at most `requests` in any `perMs` window; 0 turns it off.
    void setRateLimit(int requests, int perMs);
    // Requests allowed until the daily limit is hit (429 with policyName DAILY); -1: no limit.
    void setDailyLimit(long requests) { m_dailyLeft = requests; }
    void addProperty(const std::string &objectType, HubSpotProperty property);
    // A custom object (GET /crm/v3/schemas lists it); `id` like "2-1234567". Gets hs_object_id,
    // hs_createdate and hs_lastmodifieddate, plus the given properties.
    void addCustomObject(const std::string &id, const std::string &name,
                         const std::string &singular, const std::string &plural,
                         std::vector<HubSpotProperty> properties);
    // Puts a record in directly (not counted as a request); returns its id.
    std::string seed(const std::string &objectType,
                     const std::map<std::string, std::string> &properties);

    // --- Inspection ---
    std::size_t recordCount(const std::string &objectType) const;
    std::vector<HubSpotRecord> records(const std::string &objectType) const;
    std::optional<HubSpotRecord> find(const std::string &objectType, const std::string &property,
                                      const std::string &value) const;
    std::optional<HubSpotRecord> byId(const std::string &objectType, const std::string &id) const;

    struct Counters
    {
        long requests = 0;      // every request handle() saw
        long writeRequests = 0; // batch create/update/upsert/archive requests that were accepted
        long created = 0;       // records created
        long updated = 0;       // records updated (by update or upsert)
        long archived = 0;
        long recordErrors = 0; // per-record errors answered
        long rateLimited = 0;  // 429s from the enforced limits (not injected faults)
        long unauthorized = 0; // 401s
        long maxInputs = 0;    // the largest number of inputs seen in one batch request
        std::map<std::string, long> inputsByOperation; // "upsert" → inputs received, …
    };
    Counters counters() const { return m_counters; }

private:
    struct ObjectType
    {
        std::string id;       // "0-1", "0-2", "2-…"
        std::string name;     // "contacts", "companies", or the custom object's name
        std::string singular; // "Contact": for messages
        std::string plural;
        std::string lastModifiedProperty; // lastmodifieddate or hs_lastmodifieddate
        std::string createdProperty;      // createdate or hs_createdate
        bool custom = false;
        std::vector<HubSpotProperty> properties;
        std::map<std::int64_t, HubSpotRecord> records; // by numeric id: listing pages by id
        // property → normalized value → record id, for unique properties (and contacts' email)
        std::map<std::string, std::unordered_map<std::string, std::int64_t>> unique;

        const HubSpotProperty *property(const std::string &name) const;
        bool isIdProperty(const std::string &name) const; // may identify records in upsert
    };
    // What an input would change, checked before anything is written.
    struct Problem
    {
        std::string category; // VALIDATION_ERROR, CONFLICT, OBJECT_NOT_FOUND
        std::string message;
        nlohmann::json context = nlohmann::json::object();
    };
    // Undo log of one request: previous versions of the records it touched.
    struct Undo
    {
        std::int64_t id;
        std::optional<HubSpotRecord> before;
    };

    ObjectType *objectType(const std::string &name);
    const ObjectType *objectType(const std::string &name) const;
    std::optional<EmuReply> checkAuth(const EmuRequest &request);
    std::optional<EmuReply> checkScope(const std::string &scope);
    std::optional<EmuReply> checkLimits();
    EmuReply error(int status, const std::string &category, const std::string &message,
                   nlohmann::json extra = nlohmann::json::object());
    EmuReply notFound(const std::string &path);

    EmuReply listProperties(const std::string &type);
    EmuReply listSchemas();
    EmuReply listObjects(ObjectType &type, const EmuRequest &request);
    EmuReply getObject(ObjectType &type, const std::string &id);
    EmuReply batch(ObjectType &type, const std::string &operation, const EmuRequest &request);
    EmuReply batchRead(ObjectType &type, const nlohmann::json &body);
    EmuReply batchArchive(ObjectType &type, const nlohmann::json &inputs);

    // Checks one input's properties and normalizes their values (e.g. a date to midnight ms).
    std::vector<nlohmann::json> validate(const ObjectType &type, const nlohmann::json &properties,
                                         std::map<std::string, std::string> &normalized) const;
    std::optional<Problem> conflict(const ObjectType &type,
                                    const std::map<std::string, std::string> &properties,
                                    std::int64_t self) const;
    std::int64_t findBy(const ObjectType &type, const std::string &property,
                        const std::string &value) const;
    void put(ObjectType &type, HubSpotRecord record, std::vector<Undo> *undo);
    void rollback(ObjectType &type, std::vector<Undo> &undo);
    nlohmann::json recordJson(const ObjectType &type, const HubSpotRecord &record,
                              const std::set<std::string> *only) const;
    std::string correlationId();
    std::string nowIso() const;
    void rateLimitHeaders(EmuReply &reply) const;

    std::string m_token;
    std::set<std::string> m_scopes;
    bool m_multiStatus = true;
    bool m_shuffle = true;
    int m_limitRequests = 0;
    int m_limitPerMs = 0;
    long m_dailyLeft = -1;
    std::deque<std::chrono::steady_clock::time_point> m_window;
    std::vector<ObjectType> m_types;
    std::int64_t m_nextId = 1001;
    std::uint64_t m_nextCorrelation = 1;
    std::uint32_t m_shuffleState = 12345;
    Counters m_counters;
    static constexpr long kPortalId = 4400123;
};

} // namespace sluice::emu

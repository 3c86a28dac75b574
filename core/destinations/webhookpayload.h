#pragma once
// The JSON bodies the webhook destination POSTs, and the ids that let a receiver drop what it
// already has. One request carries one batch envelope (Standard Webhooks' {type, timestamp,
// data} shape):
//   {"type":"sluice.batch","timestamp":"…","data":{"events":[
//     {"id":"evt_…","type":"record.created","timestamp":"…","data":{"key":"7","name":…}}, …]}}
// An event's id is a hash of the sync, the record's key, what the event says and the record's
// previous event (the id Sluice keeps for it), so the same change sent again gets the same id
// while a new change never reuses an old one; the batch's webhook-id is a hash of its events'
// ids. Records without a previous event are tied to the run instead, so a retry within the run
// keeps its ids and a later run's identical change does not collide with it.

#include "destinations/destination.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sluice {

class WebhookPayload
{
public:
    enum class EventType : std::uint8_t
    {
        Created,
        Updated,
        Deleted
    };
    // Create → created, Update → updated, Delete → deleted; an Upsert is an update when Sluice
    // knows the record's previous event (Change::destId), else a creation.
    static EventType eventType(const Change &change);
    static const char *eventTypeName(EventType type); // "record.created", …

    // `fields` are the mapped field names in Change::values order (none may be "key"); `salt`
    // is text unique to the sync; `timestamp` (ISO 8601) goes into every event and envelope;
    // `runLink` identifies the run, standing in for the previous event of records without one.
    WebhookPayload(std::vector<std::string> fields, std::string salt, std::string timestamp,
                   std::string runLink);

    struct Batch
    {
        std::string body;
        std::string messageId;             // the webhook-id: "msg_" + 32 base64url characters
        std::vector<std::string> eventIds; // one per row, in order: "evt_" + 22 characters
    };
    // Builds the body for batch[rows[0]], batch[rows[1]], … in that order into `out` (its
    // buffers are reused).
    void build(std::span<const Change> batch, std::span<const std::uint32_t> rows, Batch &out);

    // Appends a value as JSON: integers and finite reals as numbers, text as a string, NULL (and
    // NaN or infinity, which JSON cannot hold) as null.
    static void appendValue(std::string &out, const Value &value);

private:
    std::vector<std::string> m_fields;
    std::vector<std::string> m_prefixes; // ",\"name\":", escaped once
    std::string m_salt;
    std::string m_timestampJson; // the timestamp as a JSON string literal
    std::string m_runLink;
    std::string m_data; // one event's data object, reused
};

} // namespace sluice

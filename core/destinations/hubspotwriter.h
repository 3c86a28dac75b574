#pragma once
// Writes one sync run's changes to a HubSpot object through the CRM v3 batch endpoints: upsert
// or update by a unique property (idProperty), create, and archive by HubSpot's record id. Each
// write() splits its changes into requests of at most 100 inputs, sends them concurrently, and
// maps HubSpot's per-record answers back to the rows through objectWriteTraceId.

#include "destinations/destination.h"
#include "destinations/hubspotapi.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

class HubSpotWriter final : public Writer
{
public:
    // Checks the sync's fields and key against the object's properties (one request), so a
    // misspelt or read-only property stops the run before anything is sent. `onClose` gets the
    // HTTP client's statistics when the writer is destroyed.
    static Result<std::unique_ptr<Writer>>
    open(std::unique_ptr<HubSpotApi> api, const WriteSpec &spec,
         std::function<void(const net::ClientStats &)> onClose = {});
    ~HubSpotWriter() override;

    Result<std::vector<RecordResult>> write(std::span<const Change> batch) override;
    Result<void> commit() override { return {}; } // HubSpot keeps each record as it is written
    WriterStats stats() const override;
    void abort() override {}

    // HubSpot's batch endpoints take at most this many inputs.
    static constexpr std::size_t kMaxInputs = 100;

    enum class Kind : std::uint8_t
    {
        Text,
        Number,
        Date,     // midnight UTC, in milliseconds
        DateTime, // milliseconds since the epoch
        Bool
    };
    // A value as HubSpot wants it: always a string; NULL is "" (which clears the property).
    static void render(const Value &value, Kind kind, std::string &out);

private:
    enum class Endpoint : std::uint8_t
    {
        Create,
        Update,
        Upsert,
        Archive,
        Read,  // the HubSpot ids of records to archive, by key
        Verify // the records a create collided with, by HubSpot id
    };
    struct Job
    {
        Endpoint endpoint;
        std::vector<std::uint32_t> rows; // indexes into the batch
    };

    HubSpotWriter(std::unique_ptr<HubSpotApi> api, const WriteSpec &spec, std::vector<Kind> kinds,
                  int keyIndex, bool emailKey,
                  std::function<void(const net::ClientStats &)> onClose);

    // Sends the jobs, and the halves of any that must be split, until every row has an answer.
    Result<void> run(std::vector<Job> jobs, std::span<const Change> batch,
                     std::vector<RecordResult> &results);
    net::Request request(const Job &job, std::span<const Change> batch);
    void appendProperties(std::string &body, const Change &change, std::uint32_t row);
    Result<void> handle(const Job &job, const Result<net::Response> &response,
                        std::span<const Change> batch, std::vector<RecordResult> &results,
                        std::vector<Job> &next);
    void handleWrite(const Job &job, const net::Response &response,
                     std::vector<RecordResult> &results);
    void handleRead(const Job &job, const net::Response &response,
                    std::vector<RecordResult> &results);
    void handleVerify(const Job &job, const net::Response &response, std::span<const Change> batch,
                      std::vector<RecordResult> &results);
    void retry(const Job &job, const std::string &message, int afterMs,
               std::vector<RecordResult> &results);
    void reject(const Job &job, const std::string &message, std::vector<RecordResult> &results);
    std::string normalized(std::string_view id) const;
    std::string what(Endpoint endpoint) const;

    std::unique_ptr<HubSpotApi> m_api;
    std::string m_object;
    std::string m_objectPath;
    SyncMode m_mode;
    std::vector<std::string> m_fields;
    std::vector<std::string> m_fieldPrefixes; // "\"name\":" for each field, escaped once
    std::vector<Kind> m_kinds;
    std::string m_keyField;
    int m_keyIndex = -1;     // the key field's position in m_fields, or -1 when not mapped
    bool m_emailKey = false; // HubSpot compares emails without case
    std::function<void(const net::ClientStats &)> m_onClose;
    CancelToken *m_cancel = nullptr; // Stop interrupts requests in flight

    // Per write(): the id value each row is sent under, the HubSpot id of a delete (or of the
    // record a create collided with), and which rows are answered. Kept as members so their
    // buffers are reused from batch to batch.
    std::vector<std::string> m_idValues;
    std::vector<std::string> m_hubSpotIds;
    std::vector<std::uint8_t> m_done;
    std::vector<std::uint32_t> m_mark;
    std::uint32_t m_stamp = 0;
    // Creates HubSpot refused as "already exists": if the existing record holds exactly what
    // was sent, it is this sync's own, created by an attempt whose answer was lost (libcurl
    // even re-sends a request on its own when a reused connection drops).
    std::vector<std::uint32_t> m_collided;
    std::string m_scratch;
};

} // namespace sluice

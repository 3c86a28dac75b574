#pragma once
// A generic webhook receiver, for tests: it takes POSTs on one path the way Standard Webhooks
// 1.0 tells receivers to, checking webhook-id, webhook-timestamp (within 5 minutes) and, when a
// secret is set, webhook-signature (401 when missing or wrong); it acknowledges a webhook-id it
// already has with 200 without storing the events again (receivers must dedup by id), and keeps
// the events it received for tests. It accepts one event ({type, timestamp, data}) or Sluice's
// batch envelope ({"type":"sluice.batch", …, "data":{"events":[…]}}) and can be told to refuse
// some payloads (e.g. 422 when a field has a given value), to require an API-key header, to
// answer 413 above a size, or to answer 410 Gone (endpoint disabled).

#include "emulator.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::emu {

struct WebhookEvent
{
    std::string messageId; // the webhook-id of the delivery that brought it
    std::string id;        // the event's own id, when it has one
    std::string type;      // record.created, …
    std::string timestamp;
    std::string key; // data.key as text
    nlohmann::json data;
};

class WebhookEmulator : public Emulator
{
public:
    // `secret`: "whsec_<base64>" or raw text; empty: signatures are not checked.
    explicit WebhookEmulator(std::string path = "/webhook", std::string secret = {});

    EmuReply handle(const EmuRequest &request) override;

    // --- Set-up ---
    void setPath(std::string path) { m_path = std::move(path); }
    void setSecret(std::string secret);
    void setToleranceSeconds(int seconds) { m_toleranceS = seconds; }
    // Requests without this header (name in lower case) and value get 401.
    void requireHeader(std::string lowerName, std::string value);
    // Refuses a whole delivery (nothing of it stored) when one of its events' data[field],
    // as text, equals `value`.
    void rejectWhen(std::string field, std::string value, int status = 422,
                    std::string message = {});
    void clearRejections() { m_rules.clear(); }
    void setGone(bool gone) { m_gone = gone; }
    void setMaxBodyBytes(std::size_t bytes) { m_maxBody = bytes; } // 0: no limit

    // --- Inspection ---
    const std::vector<WebhookEvent> &events() const { return m_events; }
    std::vector<WebhookEvent> eventsFor(const std::string &key) const;
    std::size_t eventCount(const std::string &type = {}) const;
    std::size_t distinctKeys(const std::string &type = {}) const;
    // Each key's data after applying the events in order (created/updated set it, deleted
    // removes it): what a receiver mirroring the model would hold.
    std::map<std::string, nlohmann::json> current() const;
    // How often each webhook-id arrived with a valid signature (accepted or dropped as a
    // duplicate), and the ids in the order they were first accepted.
    const std::unordered_map<std::string, int> &deliveriesById() const { return m_timesSeen; }
    const std::vector<std::string> &acceptedIds() const { return m_acceptedIds; }

    struct Counters
    {
        long requests = 0;     // every request handle() saw
        long accepted = 0;     // deliveries stored
        long duplicates = 0;   // deliveries with a webhook-id already stored: 200, dropped
        long idConflicts = 0;  // of those, ones whose events differ from the first (a bug)
        long unauthorized = 0; // 401: missing/wrong signature, stale timestamp, missing header
        long malformed = 0;    // 400/415
        long rejected = 0;     // refused by a rejectWhen rule
        long tooLarge = 0;     // 413
        long gone = 0;         // 410
        long probes = 0;       // HEAD/GET on the path
    };
    Counters counters() const { return m_counters; }

private:
    struct Rule
    {
        std::string field;
        std::string value;
        int status;
        std::string message;
    };
    EmuReply error(int status, const std::string &code, const std::string &message);
    std::optional<EmuReply> checkSignature(const EmuRequest &request, const std::string &id,
                                           const std::string &timestamp);

    std::string m_path;
    std::string m_key; // the HMAC key: decoded whsec_ secret or raw bytes
    bool m_signed = false;
    int m_toleranceS = 300;
    std::vector<std::pair<std::string, std::string>> m_requiredHeaders;
    std::vector<Rule> m_rules;
    bool m_gone = false;
    std::size_t m_maxBody = 0;

    std::vector<WebhookEvent> m_events;
    std::unordered_map<std::string, int> m_timesSeen;
    std::unordered_map<std::string, std::string> m_fingerprint; // webhook-id → its events
    std::vector<std::string> m_acceptedIds;
    Counters m_counters;
};

} // namespace sluice::emu

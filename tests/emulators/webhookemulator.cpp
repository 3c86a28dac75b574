#include "webhookemulator.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <chrono>

namespace sluice::emu {

namespace {

using json = nlohmann::json;

std::string base64(const unsigned char *data, std::size_t size)
{
    std::string out(4 * ((size + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()), data,
                                  static_cast<int>(size));
    out.resize(static_cast<std::size_t>(std::max(0, n)));
    return out;
}

// Standard base64 with padding, as whsec_ secrets are written; nullopt when it is not.
std::optional<std::string> unbase64(std::string_view text)
{
    if (text.empty() || text.size() % 4 != 0)
        return std::nullopt;
    std::string out(text.size() / 4 * 3, '\0');
    const int n =
        EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                        reinterpret_cast<const unsigned char *>(text.data()), int(text.size()));
    if (n < 0)
        return std::nullopt;
    // EVP_DecodeBlock counts the padding as zero bytes.
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i)
        --size;
    out.resize(size);
    return out;
}

std::string asText(const json &v)
{
    return v.is_string() ? v.get<std::string>() : v.dump();
}

} // namespace

WebhookEmulator::WebhookEmulator(std::string path, std::string secret) : m_path(std::move(path))
{
    setSecret(std::move(secret));
}

void WebhookEmulator::setSecret(std::string secret)
{
    m_signed = !secret.empty();
    m_key.clear();
    if (!m_signed)
        return;
    if (secret.starts_with("whsec_")) {
        auto key = unbase64(std::string_view(secret).substr(6));
        if (!key)
            throw std::invalid_argument("the whsec_ secret is not base64");
        m_key = std::move(*key);
    } else {
        m_key = std::move(secret);
    }
}

void WebhookEmulator::requireHeader(std::string lowerName, std::string value)
{
    m_requiredHeaders.emplace_back(std::move(lowerName), std::move(value));
}

void WebhookEmulator::rejectWhen(std::string field, std::string value, int status,
                                 std::string message)
{
    if (message.empty())
        message = "The field " + field + " may not be \"" + value + "\".";
    m_rules.push_back(Rule{std::move(field), std::move(value), status, std::move(message)});
}

EmuReply WebhookEmulator::error(int status, const std::string &code, const std::string &message)
{
    return EmuReply::json(status, {{"error", code}, {"message", message}});
}

std::optional<EmuReply> WebhookEmulator::checkSignature(const EmuRequest &request,
                                                        const std::string &id,
                                                        const std::string &timestamp)
{
    if (!m_signed)
        return std::nullopt;
    const std::string header = request.header("webhook-signature");
    if (header.empty()) {
        ++m_counters.unauthorized;
        return error(401, "missing_signature", "The webhook-signature header is missing.");
    }
    const std::string signed_ = id + "." + timestamp + "." + request.body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macSize = 0;
    HMAC(EVP_sha256(), m_key.data(), static_cast<int>(m_key.size()),
         reinterpret_cast<const unsigned char *>(signed_.data()), signed_.size(), mac, &macSize);
    const std::string expected = base64(mac, macSize);
    // A space-separated list of "v1,<base64>" (several during a secret rotation).
    std::size_t pos = 0;
    while (pos < header.size()) {
        std::size_t end = header.find(' ', pos);
        if (end == std::string::npos)
            end = header.size();
        const std::string_view one(header.data() + pos, end - pos);
        if (one.starts_with("v1,") && one.size() - 3 == expected.size() &&
            CRYPTO_memcmp(one.data() + 3, expected.data(), expected.size()) == 0)
            return std::nullopt;
        pos = end + 1;
    }
    ++m_counters.unauthorized;
    return error(401, "invalid_signature", "No signature in webhook-signature matches.");
}

EmuReply WebhookEmulator::handle(const EmuRequest &request)
{
    ++m_counters.requests;
    if (request.path != m_path)
        return error(404, "not_found", "Nothing is listening on " + request.path + ".");
    if (request.method == "HEAD" || request.method == "GET") {
        ++m_counters.probes;
        if (m_gone) {
            ++m_counters.gone;
            return error(410, "gone", "This endpoint has been disabled.");
        }
        if (request.method == "HEAD")
            return EmuReply::text(200, {});
        EmuReply reply = error(405, "method_not_allowed", "Send events with POST.");
        reply.headers.emplace_back("Allow", "POST");
        return reply;
    }
    if (request.method != "POST") {
        EmuReply reply = error(405, "method_not_allowed", "Send events with POST.");
        reply.headers.emplace_back("Allow", "POST");
        return reply;
    }
    if (m_gone) {
        ++m_counters.gone;
        return error(410, "gone", "This endpoint has been disabled.");
    }
    for (const auto &[name, value] : m_requiredHeaders) {
        if (request.header(name) != value) {
            ++m_counters.unauthorized;
            return error(401, "unauthorized", "The " + name + " header is missing or wrong.");
        }
    }

    const std::string id = request.header("webhook-id");
    const std::string timestamp = request.header("webhook-timestamp");
    if (id.empty() || timestamp.empty()) {
        ++m_counters.malformed;
        return error(400, "missing_headers", "webhook-id and webhook-timestamp are required.");
    }
    std::int64_t ts = 0;
    const auto [end, ec] =
        std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
    if (ec != std::errc() || end != timestamp.data() + timestamp.size()) {
        ++m_counters.malformed;
        return error(400, "bad_timestamp", "webhook-timestamp must be Unix seconds.");
    }
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    if (ts < now - m_toleranceS || ts > now + m_toleranceS) {
        ++m_counters.unauthorized;
        return error(401, "stale_timestamp", "webhook-timestamp is too far from now.");
    }
    if (auto refused = checkSignature(request, id, timestamp))
        return *refused;
    if (!request.header("content-type").starts_with("application/json")) {
        ++m_counters.malformed;
        return error(415, "unsupported_media_type", "Send application/json.");
    }
    if (m_maxBody > 0 && request.body.size() > m_maxBody) {
        ++m_counters.tooLarge;
        return error(413, "payload_too_large",
                     "The payload is larger than " + std::to_string(m_maxBody) + " bytes.");
    }

    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("type") || !body["type"].is_string() ||
        !body.contains("data") || !body["data"].is_object()) {
        ++m_counters.malformed;
        return error(400, "invalid_payload", "Expected a JSON object with type and data.");
    }
    std::vector<const json *> list;
    if (body["type"] == "sluice.batch") {
        const json &data = body["data"];
        auto events = data.find("events");
        if (events == data.end() || !events->is_array()) {
            ++m_counters.malformed;
            return error(400, "invalid_payload", "data.events must be a list.");
        }
        for (const auto &e : *events)
            list.push_back(&e);
    } else {
        list.push_back(&body);
    }
    std::string fingerprint;
    for (const json *e : list) {
        if (!e->is_object() || !e->contains("type") || !(*e)["type"].is_string() ||
            !e->contains("timestamp") || !(*e)["timestamp"].is_string() || !e->contains("data") ||
            !(*e)["data"].is_object() || !(*e)["data"].contains("key")) {
            ++m_counters.malformed;
            return error(400, "invalid_event",
                         "Each event needs type, timestamp and data with a key: " +
                             e->dump().substr(0, 200));
        }
        // What the event says, without the timestamps (a later delivery may restamp them).
        fingerprint += (*e)["type"].get<std::string>();
        fingerprint += e->contains("id") ? asText((*e)["id"]) : std::string();
        fingerprint += (*e)["data"].dump();
        fingerprint += '\n';
    }

    // Receivers must acknowledge a message they already processed without processing it again.
    if (auto first = m_fingerprint.find(id); first != m_fingerprint.end()) {
        ++m_timesSeen[id];
        ++m_counters.duplicates;
        if (first->second != fingerprint)
            ++m_counters.idConflicts;
        return EmuReply::json(200, {{"received", 0}, {"duplicate", true}});
    }

    for (const json *e : list) {
        for (const Rule &rule : m_rules) {
            const json &data = (*e)["data"];
            if (data.contains(rule.field) && asText(data[rule.field]) == rule.value) {
                ++m_counters.rejected;
                return error(rule.status, "validation_failed", rule.message);
            }
        }
    }

    for (const json *e : list) {
        WebhookEvent event;
        event.messageId = id;
        event.id = e->contains("id") ? asText((*e)["id"]) : std::string();
        event.type = (*e)["type"].get<std::string>();
        event.timestamp = (*e)["timestamp"].get<std::string>();
        event.key = asText((*e)["data"]["key"]);
        event.data = (*e)["data"];
        m_events.push_back(std::move(event));
    }
    ++m_timesSeen[id];
    m_fingerprint[id] = std::move(fingerprint);
    m_acceptedIds.push_back(id);
    ++m_counters.accepted;
    return EmuReply::json(200, {{"received", list.size()}});
}

std::vector<WebhookEvent> WebhookEmulator::eventsFor(const std::string &key) const
{
    std::vector<WebhookEvent> out;
    for (const auto &e : m_events) {
        if (e.key == key)
            out.push_back(e);
    }
    return out;
}

std::size_t WebhookEmulator::eventCount(const std::string &type) const
{
    if (type.empty())
        return m_events.size();
    std::size_t n = 0;
    for (const auto &e : m_events)
        n += e.type == type;
    return n;
}

std::size_t WebhookEmulator::distinctKeys(const std::string &type) const
{
    std::set<std::string> keys;
    for (const auto &e : m_events) {
        if (type.empty() || e.type == type)
            keys.insert(e.key);
    }
    return keys.size();
}

std::map<std::string, nlohmann::json> WebhookEmulator::current() const
{
    std::map<std::string, nlohmann::json> out;
    for (const auto &e : m_events) {
        if (e.type == "record.deleted")
            out.erase(e.key);
        else
            out[e.key] = e.data;
    }
    return out;
}

} // namespace sluice::emu

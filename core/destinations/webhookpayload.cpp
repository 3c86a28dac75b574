#include "destinations/webhookpayload.h"

#include "net/jwt.h"
#include "util/jsontext.h"

#include <openssl/evp.h>

#include <charconv>
#include <cmath>
#include <memory>

namespace sluice {

namespace {

struct DigestFree
{
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
};

// SHA-256 over length-prefixed parts, so no two different lists of parts hash alike.
class Digest
{
public:
    Digest() : m_ctx(EVP_MD_CTX_new()) {}
    void start() { EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr); }
    void part(std::string_view bytes)
    {
        unsigned char length[8];
        std::uint64_t n = bytes.size();
        for (auto &b : length) {
            b = static_cast<unsigned char>(n & 0xff);
            n >>= 8;
        }
        EVP_DigestUpdate(m_ctx.get(), length, sizeof length);
        EVP_DigestUpdate(m_ctx.get(), bytes.data(), bytes.size());
    }
    // "<prefix>" + base64url of the digest's first `bytes` bytes.
    std::string finish(std::string_view prefix, std::size_t bytes)
    {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        EVP_DigestFinal_ex(m_ctx.get(), out, &size);
        std::string id(prefix);
        id += net::base64UrlEncode(std::string_view(reinterpret_cast<const char *>(out),
                                                    std::min<std::size_t>(bytes, size)));
        return id;
    }

private:
    std::unique_ptr<EVP_MD_CTX, DigestFree> m_ctx;
};

} // namespace

WebhookPayload::EventType WebhookPayload::eventType(const Change &change)
{
    switch (change.op) {
    case Op::Create:
        return EventType::Created;
    case Op::Update:
        return EventType::Updated;
    case Op::Delete:
        return EventType::Deleted;
    case Op::Upsert:
        break;
    }
    return change.destId.empty() ? EventType::Created : EventType::Updated;
}

const char *WebhookPayload::eventTypeName(EventType type)
{
    switch (type) {
    case EventType::Created:
        return "record.created";
    case EventType::Updated:
        return "record.updated";
    case EventType::Deleted:
        return "record.deleted";
    }
    return "record.updated";
}

WebhookPayload::WebhookPayload(std::vector<std::string> fields, std::string salt,
                               std::string timestamp, std::string runLink)
    : m_fields(std::move(fields)), m_salt(std::move(salt)), m_runLink(std::move(runLink))
{
    m_prefixes.reserve(m_fields.size());
    for (const auto &f : m_fields) {
        std::string p = ",";
        appendJsonString(p, f);
        p += ':';
        m_prefixes.push_back(std::move(p));
    }
    appendJsonString(m_timestampJson, timestamp);
}

void WebhookPayload::appendValue(std::string &out, const Value &value)
{
    switch (value.type) {
    case ValueType::Null:
        out += "null";
        return;
    case ValueType::Integer: {
        char buf[24];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value.integer);
        out.append(buf, end);
        return;
    }
    case ValueType::Real:
        if (!std::isfinite(value.real)) {
            out += "null";
            return;
        }
        value.appendTo(out); // shortest round-trip form, which JSON accepts as a number
        return;
    case ValueType::Text:
        appendJsonString(out, value.text);
        return;
    }
    out += "null";
}

void WebhookPayload::build(std::span<const Change> batch, std::span<const std::uint32_t> rows,
                           Batch &out)
{
    out.body.clear();
    out.eventIds.clear();
    out.eventIds.reserve(rows.size());
    out.body.reserve(96 + rows.size() * (160 + m_fields.size() * 24));
    out.body += "{\"type\":\"sluice.batch\",\"timestamp\":";
    out.body += m_timestampJson;
    out.body += ",\"data\":{\"events\":[";

    Digest digest;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const Change &change = batch[rows[k]];
        const EventType type = eventType(change);
        const char *typeName = eventTypeName(type);

        m_data.clear();
        m_data += "{\"key\":";
        appendJsonString(m_data, change.key);
        if (type != EventType::Deleted) {
            for (std::size_t f = 0; f < m_fields.size() && f < change.values.size(); ++f) {
                m_data += m_prefixes[f];
                appendValue(m_data, change.values[f]);
            }
        }
        m_data += '}';

        digest.start();
        digest.part(m_salt);
        digest.part(change.key);
        digest.part(typeName);
        digest.part(change.destId.empty() ? m_runLink : change.destId);
        digest.part(m_data);
        out.eventIds.push_back(digest.finish("evt_", 16));

        if (k)
            out.body += ',';
        out.body += "{\"id\":\"";
        out.body += out.eventIds.back(); // base64url: nothing to escape
        out.body += "\",\"type\":\"";
        out.body += typeName;
        out.body += "\",\"timestamp\":";
        out.body += m_timestampJson;
        out.body += ",\"data\":";
        out.body += m_data;
        out.body += '}';
    }
    out.body += "]}}";

    digest.start();
    digest.part(m_salt);
    for (const auto &id : out.eventIds)
        digest.part(id);
    out.messageId = digest.finish("msg_", 24);
}

} // namespace sluice

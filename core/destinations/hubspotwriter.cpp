#include "destinations/hubspotwriter.h"

#include "util/isotime.h"
#include "util/jsontext.h"
#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace sluice {

namespace {

using json = nlohmann::json;

constexpr std::int64_t kDayMs = 86'400'000;
// When HubSpot's 429 survives the client's own waits and says nothing about when to come back.
constexpr int kRateLimitRetryMs = 1000;

std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool isContacts(const std::string &object)
{
    const std::string o = lower(object);
    return o == "contacts" || o == "contact" || o == "0-1";
}

std::string joinNames(const std::vector<std::string> &names)
{
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", \"" : "\"") + names[i] + "\"";
    return out;
}

void appendInt(std::string &out, std::int64_t v)
{
    char buf[24];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ptr);
}

// The trace ids of one batch error: HubSpot gives them as a list (or, to be lenient, one string).
std::vector<std::string> contextStrings(const json &error, const char *key)
{
    std::vector<std::string> out;
    auto ctx = error.find("context");
    if (ctx == error.end() || !ctx->is_object())
        return out;
    auto it = ctx->find(key);
    if (it == ctx->end())
        return out;
    if (it->is_string())
        out.push_back(it->get<std::string>());
    else if (it->is_array()) {
        for (const auto &v : *it) {
            if (v.is_string())
                out.push_back(v.get<std::string>());
        }
    }
    return out;
}

std::string stringField(const json &node, const char *key)
{
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "Contact already exists. Existing ID: 1234" → "1234".
std::string existingId(const json &error, const std::string &message)
{
    auto ids = contextStrings(error, "existingIds");
    if (!ids.empty())
        return ids.front();
    const auto pos = message.find("Existing ID: ");
    if (pos == std::string::npos)
        return {};
    std::string id;
    for (std::size_t i = pos + 13; i < message.size() && message[i] >= '0' && message[i] <= '9';
         ++i)
        id += message[i];
    return id;
}

// Whether a 4xx for a request of several inputs may be caused by some of them only, so that
// sending each half on its own finds the culprits and lets the rest through. HubSpot may answer
// a batch with one invalid input this way instead of a 207 with per-record errors.
bool splittable(const net::Response &response)
{
    if (response.status == 413)
        return true;
    if (response.status != 400 && response.status != 404 && response.status != 409 &&
        response.status != 422)
        return false;
    json body = json::parse(response.body, nullptr, false);
    if (!body.is_object())
        return false;
    const std::string message = stringField(body, "message");
    // Problems with the request as a whole: splitting cannot help.
    for (const char *whole : {"The maximum number of inputs", "Invalid input JSON", "Duplicate IDs",
                              "idProperty", "Unable to infer object type"}) {
        if (message.find(whole) != std::string::npos)
            return false;
    }
    return true;
}

// Whether a value HubSpot holds is the one Sluice sent, allowing for how HubSpot stores values
// (emails in lower case, dates and times as milliseconds or ISO 8601, numbers as it likes).
bool sameValue(HubSpotWriter::Kind kind, const std::string &field, const std::string &sent,
               const json &stored)
{
    using Kind = HubSpotWriter::Kind;
    const std::string held = stored.is_string() ? stored.get<std::string>() : std::string();
    if (sent.empty() || held.empty())
        return sent.empty() && held.empty();
    if (sent == held)
        return true;
    auto allDigits = [](const std::string &t) {
        return !t.empty() && std::all_of(t.begin(), t.end(),
                                         [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    };
    auto ms = [&](const std::string &t, std::int64_t &out) {
        if (allDigits(t)) {
            auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
            return ec == std::errc() && ptr == t.data() + t.size();
        }
        return parseIsoDateTime(t, out);
    };
    switch (kind) {
    case Kind::Date:
    case Kind::DateTime: {
        std::int64_t a = 0, b = 0;
        return ms(sent, a) && ms(held, b) && a == b;
    }
    case Kind::Number: {
        double a = 0, b = 0;
        auto [pa, ea] = std::from_chars(sent.data(), sent.data() + sent.size(), a);
        auto [pb, eb] = std::from_chars(held.data(), held.data() + held.size(), b);
        return ea == std::errc() && eb == std::errc() && pa == sent.data() + sent.size() &&
               pb == held.data() + held.size() && a == b;
    }
    case Kind::Bool:
        return lower(sent) == lower(held);
    case Kind::Text:
        return field == "email" && lower(sent) == lower(held);
    }
    return false;
}

} // namespace

// ---------------------------------------------------------------------------------------------

void HubSpotWriter::render(const Value &value, Kind kind, std::string &out)
{
    out.clear();
    switch (value.type) {
    case ValueType::Null:
        return;
    case ValueType::Integer:
        if (kind == Kind::Bool)
            out = value.integer != 0 ? "true" : "false";
        else
            appendInt(out, value.integer);
        return;
    case ValueType::Real:
        if (kind == Kind::Bool)
            out = value.real != 0.0 ? "true" : "false";
        else
            value.appendTo(out);
        return;
    case ValueType::Text:
        break;
    }
    const std::string &t = value.text;
    switch (kind) {
    case Kind::Date: {
        // The calendar date as written; a time after it says nothing about the date.
        std::int64_t days = 0;
        if (parseIsoDate(t, days) && (t.size() == 10 || t[10] == 'T' || t[10] == ' ')) {
            appendInt(out, days * kDayMs);
            return;
        }
        break;
    }
    case Kind::DateTime: {
        std::int64_t ms = 0;
        if (parseIsoDateTime(t, ms)) {
            appendInt(out, ms);
            return;
        }
        break;
    }
    case Kind::Bool: {
        const std::string l = lower(t);
        if (l == "true" || l == "t" || l == "yes" || l == "y" || l == "1") {
            out = "true";
            return;
        }
        if (l == "false" || l == "f" || l == "no" || l == "n" || l == "0") {
            out = "false";
            return;
        }
        break;
    }
    case Kind::Text:
    case Kind::Number:
        break;
    }
    // Anything else goes as written: HubSpot's answer then says what is wrong with it.
    out = t;
}

Result<std::unique_ptr<Writer>>
HubSpotWriter::open(std::unique_ptr<HubSpotApi> api, const WriteSpec &spec,
                    std::function<void(const net::ClientStats &)> onClose)
{
    if (spec.object.empty())
        return fail(ErrorKind::Usage, "Choose the HubSpot object this sync writes to, e.g. "
                                      "contacts or companies.");
    auto props = api->properties(spec.object);
    if (!props)
        return std::unexpected(props.error());
    std::unordered_map<std::string, const HubSpotPropertyInfo *> byName;
    for (const auto &p : *props)
        byName.emplace(p.name, &p);
    const bool contacts = isContacts(spec.object);

    std::vector<std::string> unknown, readOnly;
    std::vector<Kind> kinds;
    int keyIndex = -1;
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        const std::string &f = spec.fields[i];
        auto it = byName.find(f);
        if (it == byName.end()) {
            unknown.push_back(f);
            continue;
        }
        const HubSpotPropertyInfo &p = *it->second;
        if (p.readOnly)
            readOnly.push_back(f);
        Kind kind = Kind::Text;
        if (p.type == "number")
            kind = Kind::Number;
        else if (p.type == "date")
            kind = Kind::Date;
        else if (p.type == "datetime")
            kind = Kind::DateTime;
        else if (p.type == "bool" || p.fieldType == "booleancheckbox")
            kind = Kind::Bool;
        kinds.push_back(kind);
        if (f == spec.keyField)
            keyIndex = static_cast<int>(i);
    }
    if (!unknown.empty())
        return fail(ErrorKind::Invalid,
                    "HubSpot's " + spec.object + " have no propert" +
                        (unknown.size() == 1 ? "y " : "ies ") + joinNames(unknown) +
                        ". Map to HubSpot's internal property names (e.g. firstname rather "
                        "than First Name), or create the properties in HubSpot first.");
    if (!readOnly.empty())
        return fail(ErrorKind::Invalid,
                    "HubSpot sets " + joinNames(readOnly) + " itself (read-only in " + spec.object +
                        "), so Sluice cannot write " + (readOnly.size() == 1 ? "it" : "them") +
                        ". Remove " + (readOnly.size() == 1 ? "it" : "them") +
                        " from the mapping.");

    const bool keyed = spec.mode != SyncMode::Insert;
    if (keyed && spec.keyField.empty())
        return fail(ErrorKind::Usage,
                    std::string("Choose a key field: in ") + syncModeName(spec.mode) +
                        " mode HubSpot finds each record by a property with unique values, "
                        "such as " +
                        (contacts ? "email" : "a custom property that requires unique values") +
                        ".");
    if (!spec.keyField.empty()) {
        auto it = byName.find(spec.keyField);
        if (it == byName.end())
            return fail(ErrorKind::Invalid, "The key field \"" + spec.keyField +
                                                "\" is not a property of HubSpot's " + spec.object +
                                                ". Choose another key field.");
        const HubSpotPropertyInfo &p = *it->second;
        const bool canIdentify = (p.unique || (contacts && p.name == "email")) && !p.readOnly;
        if (p.readOnly)
            return fail(ErrorKind::Invalid, "The key field \"" + spec.keyField +
                                                "\" is read-only in HubSpot, so Sluice cannot "
                                                "write it. Choose another key field.");
        if (keyed && !canIdentify)
            return fail(ErrorKind::Invalid,
                        "HubSpot cannot find " + spec.object + " by \"" + spec.keyField +
                            "\": its values are not unique. Use " +
                            (contacts ? std::string("email, or ") : std::string()) +
                            "a property created with \"Require unique values\" as the key "
                            "field.");
    }
    return std::unique_ptr<Writer>(new HubSpotWriter(std::move(api), spec, std::move(kinds),
                                                     keyIndex, contacts && spec.keyField == "email",
                                                     std::move(onClose)));
}

HubSpotWriter::HubSpotWriter(std::unique_ptr<HubSpotApi> api, const WriteSpec &spec,
                             std::vector<Kind> kinds, int keyIndex, bool emailKey,
                             std::function<void(const net::ClientStats &)> onClose)
    : m_api(std::move(api)), m_object(spec.object), m_objectPath(hubSpotObjectPath(spec.object)),
      m_mode(spec.mode), m_fields(spec.fields), m_kinds(std::move(kinds)),
      m_keyField(spec.keyField), m_keyIndex(keyIndex), m_emailKey(emailKey),
      m_onClose(std::move(onClose)), m_cancel(spec.cancel)
{
    for (const auto &f : m_fields) {
        std::string prefix;
        appendJsonString(prefix, f);
        prefix += ':';
        m_fieldPrefixes.push_back(std::move(prefix));
    }
}

HubSpotWriter::~HubSpotWriter()
{
    if (m_onClose)
        m_onClose(m_api->http().stats());
}

WriterStats HubSpotWriter::stats() const
{
    const net::ClientStats s = m_api->http().stats();
    return WriterStats{s.requests, s.retries, s.rateLimitWaits, s.waited.count()};
}

std::string HubSpotWriter::normalized(std::string_view id) const
{
    return m_emailKey ? lower(id) : std::string(id);
}

std::string HubSpotWriter::what(Endpoint endpoint) const
{
    switch (endpoint) {
    case Endpoint::Create:
        return "creating " + m_object;
    case Endpoint::Update:
        return "updating " + m_object;
    case Endpoint::Upsert:
        return "writing " + m_object;
    case Endpoint::Archive:
        return "archiving " + m_object;
    case Endpoint::Read:
        return "looking up " + m_object + " to archive";
    case Endpoint::Verify:
        return "reading " + m_object + " that already existed";
    }
    return "writing " + m_object;
}

Result<std::vector<RecordResult>> HubSpotWriter::write(std::span<const Change> batch)
{
    const std::size_t n = batch.size();
    for (const Change &c : batch) {
        if (c.op != Op::Delete && c.values.size() != m_fields.size())
            return fail(ErrorKind::Internal,
                        "Sluice sent a record with the wrong number of values to HubSpot.",
                        "expected " + std::to_string(m_fields.size()) + " values, got " +
                            std::to_string(c.values.size()));
    }
    std::vector<RecordResult> results(n);
    m_idValues.resize(n);
    m_hubSpotIds.resize(n);
    m_done.assign(n, 0);
    m_mark.assign(n, 0);

    std::vector<std::uint32_t> creates, updates, upserts, archives, lookups;
    for (std::uint32_t i = 0; i < n; ++i) {
        const Change &c = batch[i];
        // The key is sent as the mapped key field's value when there is one (it may have been
        // transformed), else as the model's key.
        std::string &id = m_idValues[i];
        id.clear();
        m_hubSpotIds[i].clear();
        if (c.op != Op::Delete && m_keyIndex >= 0)
            render(c.values[static_cast<std::size_t>(m_keyIndex)],
                   m_kinds[static_cast<std::size_t>(m_keyIndex)], id);
        if (id.empty())
            id = c.key;
        switch (c.op) {
        case Op::Create:
            creates.push_back(i);
            break;
        case Op::Update:
            updates.push_back(i);
            break;
        case Op::Upsert:
            upserts.push_back(i);
            break;
        case Op::Delete:
            if (!c.destId.empty()) {
                m_hubSpotIds[i] = c.destId;
                archives.push_back(i);
            } else if (!m_keyField.empty()) {
                lookups.push_back(i); // written before Sluice kept HubSpot's ids
            } else {
                results[i].status = RecordResult::Status::Rejected;
                results[i].message = "Sluice does not know this record's HubSpot id and the "
                                     "sync has no key field to look it up, so it was not "
                                     "archived.";
                m_done[i] = 1;
            }
            break;
        }
    }
    if ((!updates.empty() || !upserts.empty()) && m_keyField.empty())
        return fail(ErrorKind::Usage, "Choose a key field so HubSpot can find the records to "
                                      "update.");

    auto chunked = [](Endpoint endpoint, const std::vector<std::uint32_t> &rows,
                      std::vector<Job> &jobs) {
        for (std::size_t start = 0; start < rows.size(); start += kMaxInputs) {
            const std::size_t end = std::min(rows.size(), start + kMaxInputs);
            jobs.push_back(Job{
                endpoint, std::vector<std::uint32_t>(rows.begin() + start, rows.begin() + end)});
        }
    };

    // Records to archive whose HubSpot id is unknown are looked up by key first.
    if (!lookups.empty()) {
        std::vector<Job> jobs;
        chunked(Endpoint::Read, lookups, jobs);
        if (auto r = run(std::move(jobs), batch, results); !r)
            return std::unexpected(r.error());
        for (auto i : lookups) {
            if (!m_hubSpotIds[i].empty()) {
                m_done[i] = 0;
                archives.push_back(i);
            }
        }
    }

    std::vector<Job> jobs;
    chunked(Endpoint::Upsert, upserts, jobs);
    chunked(Endpoint::Update, updates, jobs);
    chunked(Endpoint::Create, creates, jobs);
    chunked(Endpoint::Archive, archives, jobs);
    m_collided.clear();
    if (auto r = run(std::move(jobs), batch, results); !r)
        return std::unexpected(r.error());

    // Creates that collided with an existing record: ours if it holds what was sent.
    if (!m_collided.empty()) {
        std::vector<Job> verify;
        chunked(Endpoint::Verify, m_collided, verify);
        if (auto r = run(std::move(verify), batch, results); !r)
            return std::unexpected(r.error());
    }
    return results;
}

Result<void> HubSpotWriter::run(std::vector<Job> jobs, std::span<const Change> batch,
                                std::vector<RecordResult> &results)
{
    while (!jobs.empty()) {
        std::vector<net::Request> requests;
        requests.reserve(jobs.size());
        for (const Job &job : jobs)
            requests.push_back(request(job, batch));
        auto responses = m_api->http().sendAll(std::move(requests), m_cancel);
        std::vector<Job> next;
        for (std::size_t k = 0; k < jobs.size(); ++k) {
            if (auto r = handle(jobs[k], responses[k], batch, results, next); !r)
                return r;
        }
        jobs = std::move(next);
    }
    return {};
}

void HubSpotWriter::appendProperties(std::string &body, const Change &change, std::uint32_t row)
{
    body += "\"properties\":{";
    bool first = true;
    for (std::size_t f = 0; f < m_fields.size(); ++f) {
        if (!first)
            body += ',';
        first = false;
        body += m_fieldPrefixes[f];
        if (static_cast<int>(f) == m_keyIndex) {
            appendJsonString(body, m_idValues[row]);
        } else {
            render(change.values[f], m_kinds[f], m_scratch);
            appendJsonString(body, m_scratch);
        }
    }
    // The key goes with the record even when not mapped: HubSpot's answer names records by it.
    if (m_keyIndex < 0 && !m_keyField.empty()) {
        if (!first)
            body += ',';
        appendJsonString(body, m_keyField);
        body += ':';
        appendJsonString(body, m_idValues[row]);
    }
    body += '}';
}

net::Request HubSpotWriter::request(const Job &job, std::span<const Change> batch)
{
    std::string body;
    body.reserve(64 + job.rows.size() * (48 + m_fields.size() * 32));
    std::string path = "/crm/v3/objects/" + m_objectPath + "/batch/";
    switch (job.endpoint) {
    case Endpoint::Create:
        path += "create";
        break;
    case Endpoint::Update:
        path += "update";
        break;
    case Endpoint::Upsert:
        path += "upsert";
        break;
    case Endpoint::Archive:
        path += "archive";
        break;
    case Endpoint::Read:
        path += "read";
        body += "{\"idProperty\":";
        appendJsonString(body, m_keyField);
        body += ",\"properties\":[";
        appendJsonString(body, m_keyField);
        body += "],";
        break;
    case Endpoint::Verify:
        path += "read";
        body += "{\"properties\":[";
        for (std::size_t f = 0; f < m_fields.size(); ++f) {
            if (f)
                body += ',';
            appendJsonString(body, m_fields[f]);
        }
        body += "],";
        break;
    }
    if (job.endpoint != Endpoint::Read && job.endpoint != Endpoint::Verify)
        body += '{';
    body += "\"inputs\":[";
    for (std::size_t k = 0; k < job.rows.size(); ++k) {
        const std::uint32_t row = job.rows[k];
        if (k)
            body += ',';
        body += '{';
        switch (job.endpoint) {
        case Endpoint::Archive:
        case Endpoint::Verify:
            body += "\"id\":";
            appendJsonString(body, m_hubSpotIds[row]);
            break;
        case Endpoint::Read:
            body += "\"id\":";
            appendJsonString(body, batch[row].key);
            break;
        case Endpoint::Update:
        case Endpoint::Upsert:
            body += "\"idProperty\":";
            appendJsonString(body, m_keyField);
            body += ",\"id\":";
            appendJsonString(body, m_idValues[row]);
            body += ',';
            [[fallthrough]];
        case Endpoint::Create:
            body += "\"objectWriteTraceId\":\"";
            appendInt(body, row);
            body += "\",";
            appendProperties(body, batch[row], row);
            break;
        }
        body += '}';
    }
    body += "]}";
    return m_api->post(path, std::move(body));
}

void HubSpotWriter::retry(const Job &job, const std::string &message, int afterMs,
                          std::vector<RecordResult> &results)
{
    for (auto row : job.rows) {
        results[row].status = RecordResult::Status::Retry;
        results[row].message = message;
        results[row].retryAfterMs = afterMs;
        m_done[row] = 1;
    }
}

void HubSpotWriter::reject(const Job &job, const std::string &message,
                           std::vector<RecordResult> &results)
{
    for (auto row : job.rows) {
        results[row].status = RecordResult::Status::Rejected;
        results[row].message = message;
        m_done[row] = 1;
    }
}

Result<void> HubSpotWriter::handle(const Job &job, const Result<net::Response> &response,
                                   std::span<const Change> batch,
                                   std::vector<RecordResult> &results, std::vector<Job> &next)
{
    if (job.endpoint == Endpoint::Verify) {
        // Only a chance to turn a rejection into a success: the rows keep HubSpot's
        // "already exists" when the check itself fails.
        if (response && response->status >= 200 && response->status < 300)
            handleVerify(job, *response, batch, results);
        return {};
    }
    if (!response) {
        const Error &e = response.error();
        if (e.kind == ErrorKind::Cancelled || e.kind == ErrorKind::Invalid)
            return std::unexpected(m_api->transportError(e, what(job.endpoint)));
        // The network failed even after the client's retries: the engine sends these again.
        retry(job, m_api->scrub(e.message), 0, results);
        return {};
    }
    const net::Response &r = *response;
    if (r.status >= 200 && r.status < 300) {
        if (job.endpoint == Endpoint::Archive) {
            for (auto row : job.rows) {
                results[row] = RecordResult{};
                results[row].destId = m_hubSpotIds[row];
                m_done[row] = 1;
            }
        } else if (job.endpoint == Endpoint::Read) {
            handleRead(job, r, results);
        } else {
            handleWrite(job, r, results);
        }
        return {};
    }
    if (r.status == 401 || r.status == 403)
        return std::unexpected(m_api->requestError(r, what(job.endpoint)));
    if (r.status == 404) {
        const json body = json::parse(r.body, nullptr, false);
        if (!body.is_object() ||
            stringField(body, "message").starts_with("Unable to infer object type"))
            return std::unexpected(m_api->requestError(r, what(job.endpoint)));
    }
    if (r.status == 429) {
        if (HubSpotApi::isDailyLimit(r))
            return std::unexpected(m_api->requestError(r, what(job.endpoint)));
        const int asked =
            net::retryAfterMs(r.header("Retry-After"), std::chrono::system_clock::now());
        retry(job, m_api->summary(r), asked >= 0 ? asked : kRateLimitRetryMs, results);
        return {};
    }
    if (r.status >= 500) {
        retry(job, "HubSpot answered " + m_api->summary(r), 0, results);
        return {};
    }
    if (job.rows.size() > 1 && splittable(r)) {
        const auto half = static_cast<std::ptrdiff_t>(job.rows.size() / 2);
        next.push_back(Job{job.endpoint, {job.rows.begin(), job.rows.begin() + half}});
        next.push_back(Job{job.endpoint, {job.rows.begin() + half, job.rows.end()}});
        return {};
    }
    reject(job, m_api->message(r), results);
    return {};
}

void HubSpotWriter::handleWrite(const Job &job, const net::Response &response,
                                std::vector<RecordResult> &results)
{
    const std::uint32_t stamp = ++m_stamp;
    for (auto row : job.rows)
        m_mark[row] = stamp;
    auto inJob = [&](std::int64_t row) {
        return row >= 0 && static_cast<std::size_t>(row) < m_mark.size() &&
               m_mark[static_cast<std::size_t>(row)] == stamp &&
               !m_done[static_cast<std::size_t>(row)];
    };
    std::unordered_map<std::string, std::uint32_t> byKey;
    if (!m_keyField.empty()) {
        byKey.reserve(job.rows.size());
        for (auto row : job.rows)
            byKey.emplace(normalized(m_idValues[row]), row);
    }
    auto rowOfKey = [&](const std::string &key) -> std::int64_t {
        auto it = byKey.find(normalized(key));
        return it == byKey.end() ? -1 : it->second;
    };

    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object()) {
        if (auto list = body.find("results"); list != body.end() && list->is_array()) {
            for (const auto &item : *list) {
                if (!item.is_object())
                    continue;
                std::int64_t row = -1;
                const std::string trace = stringField(item, "objectWriteTraceId");
                if (!trace.empty()) {
                    std::from_chars(trace.data(), trace.data() + trace.size(), row);
                } else if (!m_keyField.empty()) {
                    if (auto props = item.find("properties");
                        props != item.end() && props->is_object())
                        row = rowOfKey(stringField(*props, m_keyField.c_str()));
                } else if (job.rows.size() == 1) {
                    row = job.rows.front();
                }
                if (!inJob(row))
                    continue;
                RecordResult &res = results[static_cast<std::size_t>(row)];
                res = RecordResult{};
                res.destId = stringField(item, "id");
                m_done[static_cast<std::size_t>(row)] = 1;
            }
        }
        std::vector<std::string> unattributed;
        if (auto list = body.find("errors"); list != body.end() && list->is_array()) {
            for (const auto &error : *list) {
                if (!error.is_object())
                    continue;
                const std::string message = m_api->message(error);
                std::vector<std::int64_t> rows;
                for (const auto &t : contextStrings(error, "objectWriteTraceId")) {
                    std::int64_t row = -1;
                    std::from_chars(t.data(), t.data() + t.size(), row);
                    rows.push_back(row);
                }
                if (rows.empty() && !m_keyField.empty()) {
                    for (const auto &id : contextStrings(error, "ids"))
                        rows.push_back(rowOfKey(id));
                }
                bool any = false;
                for (auto row : rows) {
                    if (!inJob(row))
                        continue;
                    any = true;
                    const auto i = static_cast<std::size_t>(row);
                    RecordResult &res = results[i];
                    res.status = RecordResult::Status::Rejected;
                    res.message = message.empty() ? "HubSpot refused this record." : message;
                    if (job.endpoint == Endpoint::Create &&
                        stringField(error, "category") == "CONFLICT") {
                        m_hubSpotIds[i] = existingId(error, message);
                        if (!m_hubSpotIds[i].empty())
                            m_collided.push_back(static_cast<std::uint32_t>(i));
                    }
                    m_done[i] = 1;
                }
                if (!any)
                    unattributed.push_back(message);
            }
        }
        if (!unattributed.empty()) {
            // HubSpot named failures without saying which records: whatever it did not report
            // as written is among them.
            std::string message;
            for (const auto &m : unattributed)
                message += (message.empty() ? "" : "; ") + m;
            for (auto row : job.rows) {
                if (!m_done[row]) {
                    results[row].status = RecordResult::Status::Rejected;
                    results[row].message = message;
                    m_done[row] = 1;
                }
            }
        }
    }
    // HubSpot lists what failed; a record it did not list was written, though an answer that
    // did not name it leaves its id unknown (a later archive looks it up by key).
    for (auto row : job.rows) {
        if (!m_done[row]) {
            results[row] = RecordResult{};
            m_done[row] = 1;
        }
    }
}

void HubSpotWriter::handleRead(const Job &job, const net::Response &response,
                               std::vector<RecordResult> &results)
{
    std::unordered_map<std::string, std::uint32_t> byKey;
    byKey.reserve(job.rows.size());
    for (auto row : job.rows)
        byKey.emplace(normalized(m_idValues[row]), row);
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object()) {
        if (auto list = body.find("results"); list != body.end() && list->is_array()) {
            for (const auto &item : *list) {
                if (!item.is_object())
                    continue;
                auto props = item.find("properties");
                if (props == item.end() || !props->is_object())
                    continue;
                auto it = byKey.find(normalized(stringField(*props, m_keyField.c_str())));
                if (it != byKey.end())
                    m_hubSpotIds[it->second] = stringField(item, "id");
            }
        }
    }
    // Records HubSpot does not have are already gone: nothing to archive.
    for (auto row : job.rows) {
        if (m_hubSpotIds[row].empty()) {
            results[row] = RecordResult{};
            m_done[row] = 1;
        }
    }
}

void HubSpotWriter::handleVerify(const Job &job, const net::Response &response,
                                 std::span<const Change> batch, std::vector<RecordResult> &results)
{
    std::unordered_map<std::string, std::uint32_t> byId;
    for (auto row : job.rows)
        byId.emplace(m_hubSpotIds[row], row);
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("results") || !body["results"].is_array())
        return;
    for (const auto &item : body["results"]) {
        if (!item.is_object())
            continue;
        auto it = byId.find(stringField(item, "id"));
        auto props = item.find("properties");
        if (it == byId.end() || props == item.end() || !props->is_object())
            continue;
        const std::uint32_t row = it->second;
        bool same = true;
        for (std::size_t f = 0; f < m_fields.size() && same; ++f) {
            if (static_cast<int>(f) == m_keyIndex)
                m_scratch = m_idValues[row];
            else
                render(batch[row].values[f], m_kinds[f], m_scratch);
            auto held = props->find(m_fields[f]);
            same = sameValue(m_kinds[f], m_fields[f], m_scratch,
                             held == props->end() ? json() : *held);
        }
        if (same) {
            results[row] = RecordResult{};
            results[row].destId = it->first;
        }
    }
}

} // namespace sluice

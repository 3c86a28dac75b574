#include "destinations/salesforcewriter.h"

#include "csv/csvwriter.h"
#include "destinations/salesforcebulk.h"
#include "net/httptext.h"
#include "util/isotime.h"
#include "util/jsontext.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

namespace sluice {

namespace {

using json = nlohmann::json;
using Kind = SalesforceWriter::Kind;
using Form = SalesforceWriter::Form;

// When a 429 survives the client's own waits and says nothing about when to come back.
constexpr int kRateLimitRetryMs = 1000;

std::string lower(std::string_view s)
{
    return net::text::toLower(s);
}

std::string joinNames(const std::vector<std::string> &names)
{
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", \"" : "\"") + names[i] + "\"";
    return out;
}

// Transparent hashing, so results can be looked up by a string_view without a copy.
struct ViewHash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using KeyIndex = std::unordered_map<std::string, std::uint32_t, ViewHash, std::equal_to<>>;

void formatDateTime(std::int64_t ms, std::string &out)
{
    const std::time_t secs = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    const int millis = static_cast<int>(((ms % 1000) + 1000) % 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    const int n =
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    out.assign(buf, static_cast<std::size_t>(n));
}

void appendInt(std::string &out, std::int64_t v)
{
    char buf[24];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ptr);
}

// Invalid UTF-8 becomes U+FFFD: Salesforce refuses a whole request (or job) for one bad byte.
void sanitizeUtf8(std::string &s)
{
    if (std::all_of(s.begin(), s.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return;
    std::string out;
    out.reserve(s.size());
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const auto *end = p + s.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            out += static_cast<char>(c);
            ++p;
            continue;
        }
        int len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        }
        bool ok = len > 0 && end - p >= len;
        for (int i = 1; ok && i < len; ++i) {
            if ((p[i] & 0xc0) != 0x80)
                ok = false;
            else
                cp = (cp << 6) | (p[i] & 0x3f);
        }
        static const std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
        ok = ok && cp >= kMin[len] && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
        if (ok) {
            out.append(reinterpret_cast<const char *>(p), static_cast<std::size_t>(len));
            p += len;
        } else {
            out += "\xef\xbf\xbd";
            ++p;
        }
    }
    s.swap(out);
}

std::string_view trimmed(std::string_view s)
{
    return net::text::trim(s);
}

// Whether Salesforce takes what it is told with this kind of field as a JSON string.
Form formOf(Kind kind)
{
    return kind == Kind::Text || kind == Kind::Date || kind == Kind::DateTime ? Form::String
                                                                              : Form::Bare;
}

const char *kindDescription(Kind kind)
{
    switch (kind) {
    case Kind::Integer:
        return "a whole number";
    case Kind::Number:
        return "a number";
    case Kind::Boolean:
        return "true or false";
    case Kind::Date:
        return "a date like 2024-03-05";
    case Kind::DateTime:
        return "a date and time like 2024-03-05T14:30:00Z";
    case Kind::Text:
        break;
    }
    return "text";
}

// Field types Sluice writes, and how; false for those it cannot write (compound address and
// location fields, binary base64 fields).
bool kindOf(const std::string &type, Kind &kind)
{
    if (type == "int" || type == "long") {
        kind = Kind::Integer;
    } else if (type == "double" || type == "currency" || type == "percent") {
        kind = Kind::Number;
    } else if (type == "boolean") {
        kind = Kind::Boolean;
    } else if (type == "date") {
        kind = Kind::Date;
    } else if (type == "datetime") {
        kind = Kind::DateTime;
    } else if (type == "address" || type == "location" || type == "base64" ||
               type == "complexvalue") {
        return false;
    } else {
        kind = Kind::Text; // string, email, phone, url, textarea, picklist, id, reference, …
    }
    return true;
}

// Request-level errors about the request as a whole (or the schema), which no record of it can
// get past: the run stops.
bool wholeRequest(const std::string &code)
{
    return code == "INVALID_FIELD" || code == "INVALID_TYPE" || code == "NOT_FOUND" ||
           code == "EXCEEDED_ID_LIMIT" || code == "INVALID_SESSION_ID" ||
           code == "API_DISABLED_FOR_ORG" || code == "REQUEST_LIMIT_EXCEEDED" ||
           code == "METHOD_NOT_ALLOWED" || code == "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY";
}

bool looksLikeCode(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size() &&
           ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' || (i > 0 && s[i] >= '0' && s[i] <= '9')))
        ++i;
    return i > 0 && i < s.size() && s[i] == ':';
}

std::string stringField(const json &node, const char *key)
{
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "duplicate value found: Ext_Id__c duplicates value on record with id: 003…" → field and Id.
bool duplicateOf(std::string_view message, std::string &field, std::string &id)
{
    const std::string_view found = "duplicate value found: ";
    const std::string_view dup = " duplicates value on record with id: ";
    const auto a = message.find(found);
    const auto b = message.find(dup);
    if (a == std::string_view::npos || b == std::string_view::npos || b < a)
        return false;
    field = std::string(message.substr(a + found.size(), b - a - found.size()));
    id.clear();
    for (std::size_t i = b + dup.size();
         i < message.size() && std::isalnum(static_cast<unsigned char>(message[i])); ++i)
        id += message[i];
    return !id.empty();
}

bool sameValue(Kind kind, const std::string &text, Form form, const json &stored)
{
    if (form == Form::Null)
        return stored.is_null() || (kind == Kind::Boolean && stored == false) ||
               (stored.is_string() && stored.get<std::string>().empty());
    switch (kind) {
    case Kind::Text:
    case Kind::Date:
        return stored.is_string() && stored.get<std::string>() == text;
    case Kind::Integer:
    case Kind::Number: {
        double sent = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), sent);
        if (ec != std::errc())
            return false;
        return stored.is_number() &&
               std::fabs(stored.get<double>() - sent) <= 1e-9 * std::max(1.0, std::fabs(sent));
    }
    case Kind::Boolean:
        return stored.is_boolean() && stored.get<bool>() == (text == "true");
    case Kind::DateTime: {
        std::int64_t a = 0, b = 0;
        if (!stored.is_string() || !parseIsoDateTime(text, a))
            return false;
        // Salesforce writes +0000 rather than Z.
        std::string held = stored.get<std::string>();
        if (held.size() > 5 && (held[held.size() - 5] == '+' || held[held.size() - 5] == '-'))
            held.insert(held.size() - 2, ":");
        return parseIsoDateTime(held, b) && a == b;
    }
    }
    return false;
}

} // namespace

// ---------------------------------------------------------------------------------------------

bool SalesforceWriter::normalize(const Value &value, Kind kind, std::string &text, Form &form)
{
    text.clear();
    form = formOf(kind);
    switch (value.type) {
    case ValueType::Null:
        form = Form::Null;
        return true;
    case ValueType::Integer:
        switch (kind) {
        case Kind::Text:
        case Kind::Integer:
        case Kind::Number:
            appendInt(text, value.integer);
            return true;
        case Kind::Boolean:
            text = value.integer != 0 ? "true" : "false";
            return true;
        case Kind::Date:
        case Kind::DateTime:
            appendInt(text, value.integer);
            return false;
        }
        return false;
    case ValueType::Real:
        if (!std::isfinite(value.real)) {
            value.appendTo(text);
            return false;
        }
        switch (kind) {
        case Kind::Text:
        case Kind::Number:
            value.appendTo(text);
            return true;
        case Kind::Integer:
            if (value.real != std::floor(value.real) || std::fabs(value.real) > 9.0e15) {
                value.appendTo(text);
                return false;
            }
            appendInt(text, static_cast<std::int64_t>(value.real));
            return true;
        case Kind::Boolean:
            text = value.real != 0.0 ? "true" : "false";
            return true;
        case Kind::Date:
        case Kind::DateTime:
            value.appendTo(text);
            return false;
        }
        return false;
    case ValueType::Text:
        break;
    }
    if (kind == Kind::Text) {
        text = value.text;
        sanitizeUtf8(text);
        if (text.empty())
            form = Form::Null;
        return true;
    }
    const std::string_view t = trimmed(value.text);
    if (t.empty()) {
        form = Form::Null;
        return true;
    }
    switch (kind) {
    case Kind::Integer: {
        std::string_view digits = t.front() == '+' ? t.substr(1) : t;
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (ec == std::errc() && p == digits.data() + digits.size()) {
            appendInt(text, v);
            return true;
        }
        double d = 0;
        auto [pd, ed] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
        if (ed == std::errc() && pd == digits.data() + digits.size() && d == std::floor(d) &&
            std::fabs(d) <= 9.0e15) {
            appendInt(text, static_cast<std::int64_t>(d));
            return true;
        }
        break;
    }
    case Kind::Number: {
        std::string_view digits = t.front() == '+' ? t.substr(1) : t;
        double d = 0;
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
        if (ec == std::errc() && p == digits.data() + digits.size() && std::isfinite(d)) {
            Value v;
            v.setReal(d);
            v.appendTo(text);
            return true;
        }
        break;
    }
    case Kind::Boolean: {
        const std::string l = lower(t);
        if (l == "true" || l == "t" || l == "yes" || l == "y" || l == "1" || l == "on") {
            text = "true";
            return true;
        }
        if (l == "false" || l == "f" || l == "no" || l == "n" || l == "0" || l == "off") {
            text = "false";
            return true;
        }
        break;
    }
    case Kind::Date: {
        // The calendar date as written; a time after it says nothing about the date.
        std::int64_t days = 0;
        if (parseIsoDate(t, days) && (t.size() == 10 || t[10] == 'T' || t[10] == ' ')) {
            text.assign(t.substr(0, 10));
            return true;
        }
        break;
    }
    case Kind::DateTime: {
        std::int64_t ms = 0;
        if (parseIsoDateTime(t, ms)) {
            formatDateTime(ms, text);
            return true;
        }
        break;
    }
    case Kind::Text:
        break;
    }
    text.assign(t);
    sanitizeUtf8(text);
    return false;
}

void SalesforceWriter::appendJson(std::string &out, const std::string &text, Form form)
{
    switch (form) {
    case Form::Null:
        out += "null";
        return;
    case Form::Bare:
        out += text;
        return;
    case Form::String:
        appendJsonString(out, text);
        return;
    }
}

void SalesforceWriter::appendCsv(std::string &out, const std::string &text, Form form)
{
    if (form == Form::Null) {
        out += "#N/A";
        return;
    }
    CsvWriteOptions options;
    options.spreadsheetSafe = false; // Salesforce stores what it is sent
    appendCsvField(out, text, options);
}

std::string SalesforceWriter::bulkErrorText(std::string_view error)
{
    std::string out;
    std::string_view rest = error;
    while (!rest.empty()) {
        if (!looksLikeCode(rest)) {
            out += (out.empty() ? "" : "; ") + std::string(trimmed(rest));
            break;
        }
        const auto colon = rest.find(':');
        const std::string_view code = rest.substr(0, colon);
        std::string_view body = rest.substr(colon + 1);
        // An error ends with "--" (after its fields) where the text ends or the next error's
        // code begins; a "--" inside a message is passed over.
        std::size_t end = std::string_view::npos;
        for (auto pos = body.find("--"); pos != std::string_view::npos;
             pos = body.find("--", pos + 1)) {
            if (pos + 2 == body.size() || looksLikeCode(body.substr(pos + 2))) {
                end = pos;
                break;
            }
        }
        std::string_view segment =
            trimmed(end == std::string_view::npos ? body : body.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : body.substr(end + 2);
        std::string fields;
        std::string_view message = segment;
        if (end != std::string_view::npos) {
            const auto last = segment.rfind(':');
            if (last != std::string_view::npos) {
                message = segment.substr(0, last);
                std::string_view list = segment.substr(last + 1);
                while (!list.empty()) {
                    const auto comma = list.find(',');
                    const std::string_view name = trimmed(list.substr(0, comma));
                    if (!name.empty())
                        fields += (fields.empty() ? "" : ", ") + std::string(name);
                    list = comma == std::string_view::npos ? std::string_view()
                                                           : list.substr(comma + 1);
                }
            }
        }
        std::string item(code);
        if (!trimmed(message).empty())
            item += ": " + std::string(trimmed(message));
        if (!fields.empty())
            item += " (" + fields + ")";
        out += (out.empty() ? "" : "; ") + item;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------

Result<std::unique_ptr<Writer>>
SalesforceWriter::open(std::unique_ptr<SalesforceApi> api, const WriteSpec &spec,
                       CancelToken *cancel, std::function<void(const net::ClientStats &)> onClose)
{
    auto described = api->describe(spec.object, cancel);
    if (!described)
        return std::unexpected(described.error());
    SalesforceObjectInfo object = std::move(*described);
    const std::string &name = object.name;
    const bool creates = spec.mode != SyncMode::Update;
    const bool updates = spec.mode != SyncMode::Insert;
    if ((creates && !object.createable) || (updates && !object.updateable) ||
        (spec.mode == SyncMode::Mirror && !object.deletable))
        return fail(ErrorKind::Invalid,
                    "Salesforce does not let this user " +
                        std::string(spec.mode == SyncMode::Mirror ? "create, change and delete"
                                    : creates && updates          ? "create and change"
                                    : creates                     ? "create"
                                                                  : "change") +
                        " " + name +
                        " records. Choose another object or sync mode, or check "
                        "the user's object permissions in Salesforce.");

    std::vector<std::string> unknown, readOnly, unsupported, fields;
    std::vector<Kind> kinds;
    int keyIndex = -1;
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        const SalesforceFieldInfo *f = object.field(spec.fields[i]);
        if (!f || f->hidden) {
            unknown.push_back(spec.fields[i]);
            continue;
        }
        Kind kind = Kind::Text;
        if (!kindOf(f->type, kind))
            unsupported.push_back(f->name);
        const bool writable = spec.mode == SyncMode::Insert   ? f->createable
                              : spec.mode == SyncMode::Update ? f->updateable
                                                              : f->createable || f->updateable;
        if (!writable)
            readOnly.push_back(f->name);
        fields.push_back(f->name);
        kinds.push_back(kind);
        if (!spec.keyField.empty() && net::text::iequals(f->name, spec.keyField))
            keyIndex = static_cast<int>(i);
    }
    if (!unknown.empty())
        return fail(ErrorKind::Invalid,
                    "Salesforce's " + name + " has no field" + (unknown.size() == 1 ? " " : "s ") +
                        joinNames(unknown) +
                        " that this user can see. Map to the fields' API names (e.g. LastName "
                        "rather than Last Name, Custom__c for custom fields), or check the "
                        "user's field-level security.");
    if (!unsupported.empty())
        return fail(ErrorKind::Invalid,
                    "Sluice cannot write " + joinNames(unsupported) +
                        " (a compound address or location, or a file field). Map to the parts "
                        "instead, e.g. BillingCity rather than BillingAddress.");
    if (!readOnly.empty())
        return fail(ErrorKind::Invalid,
                    "Salesforce sets " + joinNames(readOnly) + " itself (read-only in " + name +
                        " for this user), so Sluice cannot write " +
                        (readOnly.size() == 1 ? "it" : "them") + ". Remove " +
                        (readOnly.size() == 1 ? "it" : "them") + " from the mapping.");

    std::vector<std::string> externalIds;
    for (const auto &f : object.fields) {
        if (f.externalId && !f.hidden)
            externalIds.push_back(f.name);
    }
    const std::string suggestion =
        externalIds.empty()
            ? " " + name + " has none yet: create one in Setup › Object Manager › " + name +
                  " › Fields (a text field marked External ID and Unique)."
            : " (" + name + " has " + joinNames(externalIds) + ").";
    const bool keyed = spec.mode != SyncMode::Insert;
    if (keyed && spec.keyField.empty())
        return fail(ErrorKind::Usage,
                    std::string("Choose a key field: in ") + syncModeName(spec.mode) +
                        " mode Salesforce finds each record by an External ID field" + suggestion);
    std::string keyField;
    Kind keyKind = Kind::Text;
    if (!spec.keyField.empty()) {
        const SalesforceFieldInfo *k = object.field(spec.keyField);
        if (!k || k->hidden)
            return fail(ErrorKind::Invalid, "The key field \"" + spec.keyField +
                                                "\" is not a field of Salesforce's " + name +
                                                ". Choose another key field" + suggestion);
        if ((spec.mode == SyncMode::Upsert || spec.mode == SyncMode::Mirror) && !k->externalId)
            return fail(ErrorKind::Invalid,
                        "Salesforce can upsert " + name +
                            " records only by an External ID "
                            "field, and \"" +
                            k->name + "\" is not one. Choose an External ID field as the key" +
                            suggestion);
        if (spec.mode == SyncMode::Update && !k->externalId && !k->idLookup)
            return fail(ErrorKind::Invalid,
                        "Salesforce cannot look " + name + " records up by \"" + k->name +
                            "\". Choose an External ID field (or another field Salesforce can "
                            "find records by, such as Email for contacts) as the key" +
                            suggestion);
        keyField = k->name;
        (void)kindOf(k->type, keyKind);
    }
    return std::unique_ptr<Writer>(
        new SalesforceWriter(std::move(api), spec, std::move(object), std::move(fields),
                             std::move(kinds), keyIndex, keyKind, cancel, std::move(onClose)));
}

SalesforceWriter::SalesforceWriter(std::unique_ptr<SalesforceApi> api, const WriteSpec &spec,
                                   SalesforceObjectInfo object, std::vector<std::string> fields,
                                   std::vector<Kind> kinds, int keyIndex, Kind keyKind,
                                   CancelToken *cancel,
                                   std::function<void(const net::ClientStats &)> onClose)
    : m_api(std::move(api)), m_object(std::move(object)), m_mode(spec.mode),
      m_fields(std::move(fields)), m_kinds(std::move(kinds)), m_keyIndex(keyIndex),
      m_keyKind(keyKind), m_cancel(cancel), m_onClose(std::move(onClose))
{
    if (const SalesforceFieldInfo *k = m_object.field(spec.keyField); k && !spec.keyField.empty())
        m_keyField = k->name;
    for (const auto &f : m_fields) {
        std::string name;
        appendJsonString(name, f);
        name += ':';
        m_jsonNames.push_back(std::move(name));
    }
}

WriterStats SalesforceWriter::stats() const
{
    const net::ClientStats s = m_api->http().stats();
    return WriterStats{s.requests, s.retries, s.rateLimitWaits, s.waited.count()};
}

SalesforceWriter::~SalesforceWriter()
{
    if (m_onClose)
        m_onClose(m_api->http().stats());
}

std::string SalesforceWriter::what(Action action) const
{
    switch (action) {
    case Action::Upsert:
        return "writing " + m_object.name + " records";
    case Action::Create:
        return "creating " + m_object.name + " records";
    case Action::Update:
        return "updating " + m_object.name + " records";
    case Action::Delete:
        return "deleting " + m_object.name + " records";
    case Action::Lookup:
        return "looking up " + m_object.name + " records by " + m_keyField;
    case Action::Verify:
        return "reading " + m_object.name + " records that already existed";
    }
    return "writing " + m_object.name + " records";
}

bool SalesforceWriter::useBulk(std::size_t count) const
{
    const std::size_t threshold = m_api->config().bulkThreshold;
    return threshold > 0 && count >= threshold;
}

void SalesforceWriter::retry(const std::vector<std::uint32_t> &rows, const std::string &message,
                             int afterMs, std::vector<RecordResult> &results)
{
    for (auto row : rows) {
        if (m_done[row])
            continue;
        results[row].status = RecordResult::Status::Retry;
        results[row].message = message;
        results[row].retryAfterMs = afterMs;
        m_done[row] = 1;
    }
}

void SalesforceWriter::reject(std::uint32_t row, std::string message,
                              std::vector<RecordResult> &results)
{
    results[row].status = RecordResult::Status::Rejected;
    results[row].message = std::move(message);
    m_done[row] = 1;
}

void SalesforceWriter::settle(Action action, std::uint32_t row, bool success, std::string_view id,
                              std::string_view code, std::string message,
                              std::vector<RecordResult> &results)
{
    RecordResult &res = results[row];
    m_done[row] = 1;
    if (success || (action == Action::Delete &&
                    (code == "ENTITY_IS_DELETED" || code == "INVALID_CROSS_REFERENCE_KEY"))) {
        // A record to delete that is gone already is as good as deleted.
        res = RecordResult{};
        res.destId = action == Action::Delete || id.empty() ? m_ids[row] : std::string(id);
        return;
    }
    if (code == "ALL_OR_NONE_OPERATION_ROLLED_BACK" || code == "UNABLE_TO_LOCK_ROW") {
        // Not about this record: another one's refusal, or a lock held by someone else.
        res.status = RecordResult::Status::Retry;
        res.message = std::move(message);
        return;
    }
    res.status = RecordResult::Status::Rejected;
    res.message = message.empty() ? "Salesforce refused this record." : std::move(message);
    m_codes[row].assign(code);
    if (action == Action::Create && code == "DUPLICATE_VALUE" && !m_keyField.empty()) {
        // Created already? A create whose answer was lost (and that was sent again) collides
        // with the record it made; handleVerify() tells it from someone else's.
        std::string field, existing;
        if (duplicateOf(res.message, field, existing) && net::text::iequals(field, m_keyField))
            m_ids[row] = existing;
    }
}

void SalesforceWriter::render(const std::vector<std::uint32_t> &rows, std::span<const Change> batch,
                              bool csv, std::vector<RecordResult> &results)
{
    Form form = Form::Null;
    for (auto row : rows) {
        std::string &body = m_bodies[row];
        body.clear();
        const Change &c = batch[row];
        bool ok = true;
        for (std::size_t f = 0; f < m_fields.size() && ok; ++f) {
            if (static_cast<int>(f) == m_keyIndex) {
                m_scratch = m_keys[row];
                form = formOf(m_keyKind);
            } else if (!normalize(c.values[f], m_kinds[f], m_scratch, form)) {
                reject(row,
                       "Not sent: Salesforce's " + m_fields[f] + " takes " +
                           kindDescription(m_kinds[f]) + ", and \"" + m_scratch + "\" is not one.",
                       results);
                ok = false;
                break;
            }
            if (csv) {
                if (f)
                    body += ',';
                appendCsv(body, m_scratch, form);
            } else {
                if (!body.empty())
                    body += ',';
                body += m_jsonNames[f];
                appendJson(body, m_scratch, form);
            }
        }
        if (!ok)
            continue;
        // The key goes with the record even when it is not mapped: it is how Salesforce finds
        // the record, and how the Bulk API's results are told apart.
        if (m_keyIndex < 0 && !m_keyField.empty()) {
            if (csv) {
                if (!m_fields.empty())
                    body += ',';
                appendCsv(body, m_keys[row], Form::String);
            } else {
                if (!body.empty())
                    body += ',';
                appendJsonString(body, m_keyField);
                body += ':';
                appendJsonString(body, m_keys[row]);
            }
        }
    }
}

SalesforceApi::Call SalesforceWriter::call(const Job &job, std::span<const Change> batch) const
{
    (void)batch;
    SalesforceApi::Call c;
    const std::string objectPath = net::urlEncode(m_object.name);
    auto records = [&](bool withId) {
        std::string body;
        std::size_t size = 64;
        for (auto row : job.rows)
            size += m_bodies[row].size() + m_object.name.size() + 64;
        body.reserve(size);
        body += R"({"allOrNone":false,"records":[)";
        for (std::size_t k = 0; k < job.rows.size(); ++k) {
            const auto row = job.rows[k];
            if (k)
                body += ',';
            body += R"({"attributes":{"type":)";
            appendJsonString(body, m_object.name);
            body += '}';
            if (withId) {
                body += R"(,"Id":)";
                appendJsonString(body, m_ids[row]);
            }
            if (!m_bodies[row].empty()) {
                body += ',';
                body += m_bodies[row];
            }
            body += '}';
        }
        body += "]}";
        return body;
    };
    auto literal = [&](const std::string &value) {
        if (m_keyKind != Kind::Text) {
            double d = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
            if (ec == std::errc() && p == value.data() + value.size())
                return value;
        }
        return soqlQuote(value);
    };
    switch (job.action) {
    case Action::Upsert:
        c.method = "PATCH";
        c.path = "/composite/sobjects/" + objectPath + "/" + net::urlEncode(m_keyField);
        c.body = records(false);
        break;
    case Action::Create:
        c.method = "POST";
        c.path = "/composite/sobjects";
        c.body = records(false);
        break;
    case Action::Update:
        c.method = "PATCH";
        c.path = "/composite/sobjects";
        c.body = records(true);
        break;
    case Action::Delete: {
        std::string ids;
        for (auto row : job.rows)
            ids += (ids.empty() ? "" : ",") + m_ids[row];
        c.method = "DELETE";
        c.path = "/composite/sobjects?ids=" + net::urlEncode(ids) + "&allOrNone=false";
        break;
    }
    case Action::Lookup: {
        if (!job.next.empty()) {
            c.path = job.next;
            c.absolute = true;
            break;
        }
        std::string values;
        std::unordered_map<std::string, bool> seen;
        for (auto row : job.rows) {
            if (seen.emplace(lower(m_keys[row]), true).second)
                values += (values.empty() ? "" : ",") + literal(m_keys[row]);
        }
        const std::string soql = "SELECT Id, " + m_keyField + " FROM " + m_object.name + " WHERE " +
                                 m_keyField + " IN (" + values + ")";
        c.path = "/query?q=" + net::urlEncode(soql);
        break;
    }
    case Action::Verify: {
        std::string select = "Id";
        std::vector<std::string> names = m_fields;
        if (m_keyIndex < 0 && !m_keyField.empty())
            names.push_back(m_keyField);
        for (const auto &n : names) {
            if (!net::text::iequals(n, "Id"))
                select += ", " + n;
        }
        std::string ids;
        for (auto row : job.rows)
            ids += (ids.empty() ? "" : ",") + soqlQuote(m_ids[row]);
        const std::string soql =
            "SELECT " + select + " FROM " + m_object.name + " WHERE Id IN (" + ids + ")";
        c.path = "/query?q=" + net::urlEncode(soql);
        break;
    }
    }
    return c;
}

Result<void> SalesforceWriter::runCollections(std::vector<Job> jobs, std::span<const Change> batch,
                                              std::vector<RecordResult> &results)
{
    while (!jobs.empty()) {
        std::vector<SalesforceApi::Call> calls;
        calls.reserve(jobs.size());
        for (const Job &job : jobs)
            calls.push_back(call(job, batch));
        auto sent = m_api->send(std::move(calls), m_cancel);
        if (!sent)
            return std::unexpected(sent.error());
        std::vector<Job> next;
        for (std::size_t k = 0; k < jobs.size(); ++k) {
            std::vector<std::string> more;
            if (auto r = handle(jobs[k], (*sent)[k], batch, results, more); !r)
                return r;
            for (auto &url : more)
                next.push_back(Job{Action::Lookup, jobs[k].rows, std::move(url)});
        }
        jobs = std::move(next);
    }
    return {};
}

Result<void> SalesforceWriter::handle(const Job &job, const Result<net::Response> &response,
                                      std::span<const Change> batch,
                                      std::vector<RecordResult> &results,
                                      std::vector<std::string> &more)
{
    const bool read = job.action == Action::Lookup || job.action == Action::Verify;
    if (!response) {
        const Error &e = response.error();
        if (e.kind == ErrorKind::Cancelled || e.kind == ErrorKind::Invalid)
            return std::unexpected(m_api->transportError(e, what(job.action)));
        // Still failing after the HTTP layer's retries: the engine sends these again.
        if (job.action != Action::Verify)
            retry(job.rows, m_api->scrub(e.message), 0, results);
        return {};
    }
    const net::Response &r = *response;
    if (r.status >= 200 && r.status < 300) {
        if (job.action == Action::Lookup)
            handleLookup(r, more);
        else if (job.action == Action::Verify)
            handleVerify(r, batch, results);
        else
            handleWrite(job, r, results);
        return {};
    }
    if (job.action == Action::Verify && r.status != 401 && r.status != 403)
        return {}; // the rows keep Salesforce's "duplicate value"
    if (r.status == 401 || r.status == 403 || r.status == 404)
        return std::unexpected(m_api->requestError(r, what(job.action)));
    if (r.status == 429) {
        const int asked =
            net::retryAfterMs(r.header("Retry-After"), std::chrono::system_clock::now());
        retry(job.rows, "Salesforce answered " + m_api->message(r),
              asked >= 0 ? asked : kRateLimitRetryMs, results);
        return {};
    }
    if (r.status >= 500) {
        retry(job.rows, "Salesforce answered " + m_api->message(r), 0, results);
        return {};
    }
    const std::string code = SalesforceApi::errorCode(r);
    if (wholeRequest(code) || code == "MALFORMED_QUERY")
        return std::unexpected(m_api->requestError(r, what(job.action)));
    // Something in these records that Salesforce could not read at all: each is refused with
    // its words (and sent again next run).
    const std::string said = m_api->message(r);
    for (auto row : job.rows) {
        if (!m_done[row])
            reject(row, read ? "Sluice could not look this record up in Salesforce: " + said : said,
                   results);
    }
    return {};
}

void SalesforceWriter::handleWrite(const Job &job, const net::Response &response,
                                   std::vector<RecordResult> &results)
{
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_array()) {
        retry(job.rows, "Salesforce sent an answer Sluice does not understand.", 0, results);
        return;
    }
    for (std::size_t k = 0; k < job.rows.size(); ++k) {
        const auto row = job.rows[k];
        if (m_done[row])
            continue;
        if (k >= body.size() || !body[k].is_object()) {
            retry({row}, "Salesforce did not answer for this record.", 0, results);
            continue;
        }
        const json &item = body[k];
        const bool success = item.contains("success") && item["success"] == true;
        std::string code;
        if (auto errors = item.find("errors"); errors != item.end() && errors->is_array() &&
                                               !errors->empty() && (*errors)[0].is_object())
            code = stringField((*errors)[0], "statusCode");
        settle(job.action, row, success, stringField(item, "id"), code,
               success ? std::string() : m_api->errorsText(item.value("errors", json::array())),
               results);
    }
}

void SalesforceWriter::handleLookup(const net::Response &response, std::vector<std::string> &more)
{
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object())
        return;
    if (auto records = body.find("records"); records != body.end() && records->is_array()) {
        for (const auto &rec : *records) {
            if (!rec.is_object())
                continue;
            auto value = rec.find(m_keyField);
            if (value == rec.end() || value->is_null())
                continue;
            std::string key;
            if (value->is_string())
                key = value->get<std::string>();
            else if (value->is_number_integer())
                key = std::to_string(value->get<std::int64_t>());
            else if (value->is_number() && value->get<double>() == std::floor(value->get<double>()))
                key = std::to_string(static_cast<std::int64_t>(value->get<double>()));
            else
                key = value->dump();
            auto waiting = m_waiting.find(lower(key));
            if (waiting == m_waiting.end())
                continue;
            ++m_found[waiting->first];
            for (auto row : waiting->second)
                m_ids[row] = stringField(rec, "Id");
        }
    }
    if (body.value("done", true) == false && !stringField(body, "nextRecordsUrl").empty())
        more.push_back(stringField(body, "nextRecordsUrl"));
}

void SalesforceWriter::handleVerify(const net::Response &response, std::span<const Change> batch,
                                    std::vector<RecordResult> &results)
{
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("records") || !body["records"].is_array())
        return;
    std::unordered_map<std::string, std::uint32_t> byId; // by the 15-character form
    for (std::uint32_t row = 0; row < m_ids.size(); ++row) {
        if (batch[row].op == Op::Create && m_codes[row] == "DUPLICATE_VALUE" && !m_ids[row].empty())
            byId.emplace(m_ids[row].substr(0, 15), row);
    }
    Form form = Form::Null;
    for (const auto &rec : body["records"]) {
        if (!rec.is_object())
            continue;
        auto it = byId.find(stringField(rec, "Id").substr(0, 15));
        if (it == byId.end())
            continue;
        const std::uint32_t row = it->second;
        bool same = true;
        for (std::size_t f = 0; f < m_fields.size() && same; ++f) {
            if (static_cast<int>(f) == m_keyIndex) {
                m_scratch = m_keys[row];
                form = formOf(m_keyKind);
            } else if (!normalize(batch[row].values[f], m_kinds[f], m_scratch, form)) {
                same = false;
                break;
            }
            const json stored = rec.contains(m_fields[f]) ? rec[m_fields[f]] : json();
            same = static_cast<int>(f) == m_keyIndex
                       ? stored.is_string() && lower(stored.get<std::string>()) == lower(m_scratch)
                       : sameValue(m_kinds[f], m_scratch, form, stored);
        }
        if (same) {
            results[row] = RecordResult{};
            results[row].destId = stringField(rec, "Id");
            m_codes[row].clear();
        }
    }
}

Result<void> SalesforceWriter::runBulk(Action action, const std::vector<std::uint32_t> &rows,
                                       std::vector<RecordResult> &results)
{
    SalesforceBulk::JobSpec spec;
    spec.object = m_object.name;
    const bool byId = action == Action::Update || action == Action::Delete;
    switch (action) {
    case Action::Upsert:
        spec.operation = "upsert";
        spec.externalIdField = m_keyField;
        break;
    case Action::Create:
        spec.operation = "insert";
        break;
    case Action::Update:
        spec.operation = "update";
        break;
    default:
        spec.operation = "delete";
        break;
    }
    spec.keyColumn = byId ? "Id" : m_keyField;

    std::string header = byId ? "Id" : "";
    if (action != Action::Delete) {
        for (const auto &f : m_fields)
            header += (header.empty() ? "" : ",") + f;
        if (m_keyIndex < 0 && !m_keyField.empty())
            header += (header.empty() ? "" : ",") + m_keyField;
    }
    header += '\n';

    KeyIndex byKey;
    byKey.reserve(rows.size());
    std::vector<std::string> chunks;
    std::string chunk = header;
    const std::size_t limit = std::max<std::size_t>(1024, m_api->config().bulkUploadBytes);
    std::size_t inChunk = 0;
    std::string line;
    for (auto row : rows) {
        line.clear();
        if (byId) {
            line = m_ids[row];
            if (action == Action::Update && !m_bodies[row].empty())
                line += ',' + m_bodies[row];
        } else {
            line = m_bodies[row];
        }
        line += '\n';
        if (inChunk > 0 && chunk.size() + line.size() > limit) {
            chunks.push_back(std::move(chunk));
            chunk = header;
            inChunk = 0;
        }
        chunk += line;
        ++inChunk;
        byKey.emplace(byId ? m_ids[row] : m_keys[row], row);
    }
    if (inChunk > 0)
        chunks.push_back(std::move(chunk));

    SalesforceBulk bulk(*m_api, m_cancel);
    auto sink = [&](const SalesforceBulk::Outcome &o) {
        auto it = byKey.find(o.key);
        if (it == byKey.end())
            return;
        const std::uint32_t row = it->second;
        // The same record twice in the results (it should not be): success wins.
        if (m_done[row] && (results[row].status == RecordResult::Status::Ok ||
                            o.status != SalesforceBulk::Outcome::Status::Ok))
            return;
        switch (o.status) {
        case SalesforceBulk::Outcome::Status::Ok:
            settle(action, row, true, o.id, {}, {}, results);
            break;
        case SalesforceBulk::Outcome::Status::Failed: {
            const auto colon = o.error.find(':');
            const std::string_view code =
                colon == std::string_view::npos ? std::string_view() : o.error.substr(0, colon);
            settle(action, row, false, o.id, code, m_api->scrub(bulkErrorText(o.error)), results);
            break;
        }
        case SalesforceBulk::Outcome::Status::Unprocessed:
            m_done[row] = 0;
            retry({row}, std::string(o.error), 0, results);
            break;
        }
    };
    if (auto r = bulk.run(spec, chunks, sink); !r)
        return r;
    std::string jobs;
    for (const auto &id : bulk.jobIds())
        jobs += (jobs.empty() ? "" : ", ") + id;
    retry(rows, "Salesforce's Bulk API gave no result for this record (job " + jobs + ").", 0,
          results);
    return {};
}

Result<std::vector<RecordResult>> SalesforceWriter::write(std::span<const Change> batch)
{
    const std::size_t n = batch.size();
    for (const Change &c : batch) {
        if (c.op != Op::Delete && c.values.size() != m_fields.size())
            return fail(ErrorKind::Internal,
                        "Sluice sent a record with the wrong number of values to Salesforce.",
                        "expected " + std::to_string(m_fields.size()) + " values, got " +
                            std::to_string(c.values.size()));
    }
    std::vector<RecordResult> results(n);
    m_keys.resize(n);
    m_ids.resize(n);
    m_bodies.resize(n);
    m_codes.resize(n);
    m_done.assign(n, 0);

    std::vector<std::uint32_t> upserts, creates, updates, deletes, lookups;
    std::unordered_map<std::string, std::uint32_t> seen;
    Form form = Form::Null;
    for (std::uint32_t i = 0; i < n; ++i) {
        const Change &c = batch[i];
        std::string &key = m_keys[i];
        key.clear();
        m_ids[i].clear();
        m_codes[i].clear();
        if (c.op == Op::Delete) {
            if (!c.destId.empty()) {
                m_ids[i] = c.destId;
                deletes.push_back(i);
            } else if (!m_keyField.empty()) {
                key = c.key; // written before Sluice kept Salesforce's Ids
                sanitizeUtf8(key);
                lookups.push_back(i);
            } else {
                reject(i,
                       "Sluice does not know this record's Salesforce Id and the sync has no key "
                       "field to look it up, so it was not deleted.",
                       results);
            }
            continue;
        }
        if (m_keyIndex >= 0) {
            const auto k = static_cast<std::size_t>(m_keyIndex);
            if (!normalize(c.values[k], m_keyKind, key, form)) {
                reject(i,
                       "Not sent: Salesforce's " + m_keyField + " takes " +
                           kindDescription(m_keyKind) + ", and \"" + key + "\" is not one.",
                       results);
                continue;
            }
            if (form == Form::Null) {
                reject(i,
                       "Not sent: the key field " + m_keyField +
                           " is empty for this record, and Salesforce finds records by it.",
                       results);
                continue;
            }
        } else if (!m_keyField.empty()) {
            key = c.key;
            sanitizeUtf8(key);
        }
        if (!key.empty() && !seen.emplace(lower(key), i).second) {
            reject(i,
                   "Not sent: another record of this run has the same " + m_keyField + " \"" + key +
                       "\", and Salesforce holds one record per value. Make the values unique in "
                       "the model.",
                   results);
            continue;
        }
        switch (c.op) {
        case Op::Upsert:
            upserts.push_back(i);
            break;
        case Op::Create:
            creates.push_back(i);
            break;
        case Op::Update:
            updates.push_back(i);
            break;
        case Op::Delete:
            break;
        }
    }
    if ((!upserts.empty() || !updates.empty()) && m_keyField.empty())
        return fail(ErrorKind::Usage, "Choose a key field so Salesforce can find the records to "
                                      "update.");

    auto chunked = [](Action action, const std::vector<std::uint32_t> &rows, std::vector<Job> &jobs,
                      std::size_t size) {
        for (std::size_t start = 0; start < rows.size(); start += size) {
            const std::size_t end = std::min(rows.size(), start + size);
            jobs.push_back(Job{action,
                               std::vector<std::uint32_t>(rows.begin() + static_cast<long>(start),
                                                          rows.begin() + static_cast<long>(end)),
                               {}});
        }
    };
    auto open = [this](std::vector<std::uint32_t> &rows) {
        std::erase_if(rows, [this](std::uint32_t r) { return m_done[r] != 0; });
    };

    // Records to update, and records to delete whose Id is not stored, are found by key first.
    if (!updates.empty() || !lookups.empty()) {
        m_waiting.clear();
        m_found.clear();
        std::vector<std::vector<std::uint32_t>> groups;
        for (const auto *list : {&updates, &lookups}) {
            for (auto row : *list) {
                auto [it, fresh] = m_waiting.try_emplace(lower(m_keys[row]));
                it->second.push_back(row);
            }
        }
        std::vector<Job> jobs;
        Job job{Action::Lookup, {}, {}};
        std::size_t values = 0;
        for (auto &[key, rows] : m_waiting) {
            job.rows.insert(job.rows.end(), rows.begin(), rows.end());
            if (++values == kMaxQueryValues) {
                jobs.push_back(std::move(job));
                job = Job{Action::Lookup, {}, {}};
                values = 0;
            }
        }
        if (!job.rows.empty())
            jobs.push_back(std::move(job));
        if (auto r = runCollections(std::move(jobs), batch, results); !r)
            return std::unexpected(r.error());
        for (auto row : updates) {
            if (m_done[row])
                continue;
            const int found = m_found[lower(m_keys[row])];
            if (found == 0)
                reject(row,
                       "Salesforce has no " + m_object.name + " whose " + m_keyField + " is \"" +
                           m_keys[row] + "\"; in update mode Sluice changes existing records only.",
                       results);
            else if (found > 1)
                reject(row,
                       "Salesforce has " + std::to_string(found) + " " + m_object.name +
                           " records whose " + m_keyField + " is \"" + m_keys[row] +
                           "\", so Sluice cannot tell which one to update.",
                       results);
        }
        for (auto row : lookups) {
            if (m_done[row])
                continue;
            const int found = m_found[lower(m_keys[row])];
            if (found == 0) {
                results[row] = RecordResult{}; // gone already: nothing to delete
                m_done[row] = 1;
            } else if (found > 1) {
                reject(row,
                       "Salesforce has " + std::to_string(found) + " " + m_object.name +
                           " records whose " + m_keyField + " is \"" + m_keys[row] +
                           "\", so Sluice did not delete any of them.",
                       results);
            } else {
                deletes.push_back(row);
            }
        }
        open(updates);
    }

    const bool bulkUpserts = useBulk(upserts.size());
    const bool bulkCreates = useBulk(creates.size()) && !m_keyField.empty();
    const bool bulkUpdates = useBulk(updates.size());
    const bool bulkDeletes = useBulk(deletes.size());
    render(upserts, batch, bulkUpserts, results);
    render(creates, batch, bulkCreates, results);
    render(updates, batch, bulkUpdates, results);
    open(upserts);
    open(creates);
    open(updates);

    std::vector<Job> jobs;
    if (!bulkUpserts)
        chunked(Action::Upsert, upserts, jobs, kMaxRecords);
    if (!bulkCreates)
        chunked(Action::Create, creates, jobs, kMaxRecords);
    if (!bulkUpdates)
        chunked(Action::Update, updates, jobs, kMaxRecords);
    if (!bulkDeletes)
        chunked(Action::Delete, deletes, jobs, kMaxRecords);
    if (auto r = runCollections(std::move(jobs), batch, results); !r)
        return std::unexpected(r.error());
    if (bulkUpserts) {
        if (auto r = runBulk(Action::Upsert, upserts, results); !r)
            return std::unexpected(r.error());
    }
    if (bulkCreates) {
        if (auto r = runBulk(Action::Create, creates, results); !r)
            return std::unexpected(r.error());
    }
    if (bulkUpdates) {
        if (auto r = runBulk(Action::Update, updates, results); !r)
            return std::unexpected(r.error());
    }
    if (bulkDeletes) {
        if (auto r = runBulk(Action::Delete, deletes, results); !r)
            return std::unexpected(r.error());
    }

    // Creates that collided with an existing record: this sync's own if it holds what was sent.
    std::vector<std::uint32_t> collided;
    for (auto row : creates) {
        if (m_codes[row] == "DUPLICATE_VALUE" && !m_ids[row].empty())
            collided.push_back(row);
    }
    if (!collided.empty()) {
        std::vector<Job> verify;
        chunked(Action::Verify, collided, verify, kMaxQueryValues);
        if (auto r = runCollections(std::move(verify), batch, results); !r)
            return std::unexpected(r.error());
    }

    for (std::uint32_t i = 0; i < n; ++i) {
        if (!m_done[i]) {
            results[i].status = RecordResult::Status::Retry;
            results[i].message = "Salesforce gave no answer for this record.";
        }
    }
    return results;
}

} // namespace sluice

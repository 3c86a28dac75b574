#include "hubspotemulator.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace sluice::emu {

namespace {

using json = nlohmann::json;
using SysClock = std::chrono::system_clock;

constexpr std::size_t kMaxInputs = 100;
constexpr int kMaxListLimit = 100;
constexpr std::size_t kMaxValueLength = 65536;
constexpr std::int64_t kDayMs = 86'400'000;
// Quoted from a real HubSpot 400 (see reference/saas-apis.md, section 2).
const char *const kTooManyInputs = "The maximum number of inputs supported in a batch is 100. "
                                   "Please reduce the number of items and try again";

std::string lower(std::string s)
{
    for (auto &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> split(const std::string &s, char sep)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto pos = s.find(sep, start);
        out.push_back(s.substr(start, pos - start));
        if (pos == std::string::npos)
            return out;
        start = pos + 1;
    }
}

bool allDigits(std::string_view s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool parseInt64(std::string_view s, std::int64_t &out)
{
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

bool isNumber(std::string_view s)
{
    if (!s.empty() && s.front() == '+')
        return false;
    double d = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    return ec == std::errc() && ptr == s.data() + s.size();
}

// Good enough to tell "a@example.com" from "not-an-email": one @, a dotted domain, no spaces.
bool isEmail(std::string_view s)
{
    const auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos)
        return false;
    if (s.find_first_of(" \t\r\n,;<>()[]\\\"") != std::string_view::npos)
        return false;
    const std::string_view domain = s.substr(at + 1);
    const auto dot = domain.rfind('.');
    return dot != std::string_view::npos && dot > 0 && domain.size() - dot - 1 >= 2 &&
           domain.find("..") == std::string_view::npos;
}

std::int64_t daysFromCivil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digitsAt(std::string_view s, std::size_t pos, std::size_t n, int &out)
{
    if (pos + n > s.size())
        return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// "2024-03-05" → days since 1970-01-01.
bool parseIsoDate(std::string_view s, std::int64_t &days)
{
    int y = 0, m = 0, d = 0;
    if (s.size() < 10 || !digitsAt(s, 0, 4, y) || s[4] != '-' || !digitsAt(s, 5, 2, m) ||
        s[7] != '-' || !digitsAt(s, 8, 2, d) || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    days = daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    return true;
}

// ISO 8601 date-time with Z or an offset (or a plain date) → ms since the epoch.
bool parseIsoDateTime(std::string_view s, std::int64_t &ms)
{
    std::int64_t days = 0;
    if (!parseIsoDate(s, days))
        return false;
    if (s.size() == 10) {
        ms = days * kDayMs;
        return true;
    }
    int h = 0, mi = 0, sec = 0;
    if (s[10] != 'T' || !digitsAt(s, 11, 2, h) || s[13] != ':' || !digitsAt(s, 14, 2, mi) ||
        s.size() < 19 || s[16] != ':' || !digitsAt(s, 17, 2, sec) || h > 23 || mi > 59 || sec > 60)
        return false;
    std::size_t pos = 19;
    int frac = 0;
    if (pos < s.size() && s[pos] == '.') {
        std::size_t digits = 0;
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3)
                frac = frac * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return false;
        for (std::size_t i = digits; i < 3; ++i)
            frac *= 10;
    }
    int offsetMin = 0;
    if (pos < s.size() && s[pos] == 'Z') {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        if (!digitsAt(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digitsAt(s, pos + 4, 2, om))
            return false;
        offsetMin = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return false; // HubSpot wants the zone spelled out
    }
    if (pos != s.size())
        return false;
    ms = days * kDayMs + ((h * 60 + mi - offsetMin) * 60 + sec) * 1000LL + frac;
    return true;
}

std::string isoFromMs(std::int64_t ms)
{
    const std::time_t secs = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    const int millis = static_cast<int>(((ms % 1000) + 1000) % 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
}

HubSpotProperty prop(std::string name, std::string label, std::string type, std::string fieldType,
                     std::string group)
{
    HubSpotProperty p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.type = std::move(type);
    p.fieldType = std::move(fieldType);
    p.groupName = std::move(group);
    return p;
}

HubSpotProperty readOnly(HubSpotProperty p, bool calculated = false)
{
    p.readOnlyValue = true;
    p.calculated = calculated;
    return p;
}

HubSpotProperty unique(HubSpotProperty p)
{
    p.hasUniqueValue = true;
    return p;
}

HubSpotProperty hidden(HubSpotProperty p)
{
    p.hidden = true;
    return p;
}

HubSpotProperty options(HubSpotProperty p, std::vector<std::string> values)
{
    p.options = std::move(values);
    return p;
}

HubSpotProperty boolean(std::string name, std::string label, std::string group)
{
    return options(
        prop(std::move(name), std::move(label), "bool", "booleancheckbox", std::move(group)),
        {"true", "false"});
}

// What every object has: its id and HubSpot's timestamps.
std::vector<HubSpotProperty> systemProperties(const std::string &group, const std::string &created,
                                              const std::string &modified)
{
    return {readOnly(prop("hs_object_id", "Record ID", "number", "number", group)),
            readOnly(prop(created, "Create Date", "datetime", "date", group)),
            readOnly(prop(modified, "Last Modified Date", "datetime", "date", group))};
}

std::vector<HubSpotProperty> contactProperties()
{
    const std::string g = "contactinformation";
    std::vector<HubSpotProperty> list = {
        prop("email", "Email", "string", "text", g),
        prop("firstname", "First Name", "string", "text", g),
        prop("lastname", "Last Name", "string", "text", g),
        prop("phone", "Phone Number", "string", "phonenumber", g),
        prop("company", "Company Name", "string", "text", g),
        prop("jobtitle", "Job Title", "string", "text", g),
        prop("website", "Website URL", "string", "text", g),
        prop("city", "City", "string", "text", g),
        prop("country", "Country/Region", "string", "text", g),
        options(prop("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", g),
                {"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
                 "opportunity", "customer", "evangelist", "other"}),
        options(prop("hs_lead_status", "Lead Status", "enumeration", "select", "sales_properties"),
                {"NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT",
                 "CONNECTED", "BAD_TIMING"}),
        options(prop("interests", "Interests", "enumeration", "checkbox", g),
                {"books", "music", "travel"}),
        prop("date_of_birth", "Date of birth", "date", "date", g),
        prop("last_order_at", "Last order at", "datetime", "date", g),
        prop("lifetime_value", "Lifetime value", "number", "number", g),
        boolean("is_customer", "Is customer", g),
        unique(prop("customer_id", "Customer ID", "string", "text", g)),
        hidden(prop("hs_legacy_score", "Legacy score", "number", "number", g)),
        hidden(readOnly(
            prop("hs_all_contact_vids", "All vids for a contact", "enumeration", "checkbox", g))),
        readOnly(prop("num_notes", "Number of Sales Activities", "number", "number", g), true),
        readOnly(prop("notes_last_updated", "Last Activity Date", "datetime", "date", g), true),
    };
    for (auto &p : systemProperties(g, "createdate", "lastmodifieddate"))
        list.push_back(std::move(p));
    return list;
}

std::vector<HubSpotProperty> companyProperties()
{
    const std::string g = "companyinformation";
    std::vector<HubSpotProperty> list = {
        prop("name", "Company name", "string", "text", g),
        prop("domain", "Company Domain Name", "string", "text", g), // not unique in HubSpot
        prop("description", "Description", "string", "textarea", g),
        options(prop("industry", "Industry", "enumeration", "select", g),
                {"ACCOUNTING", "COMPUTER_SOFTWARE", "FINANCIAL_SERVICES", "RETAIL", "OTHER"}),
        prop("phone", "Phone Number", "string", "phonenumber", g),
        prop("city", "City", "string", "text", g),
        prop("country", "Country/Region", "string", "text", g),
        prop("numberofemployees", "Number of Employees", "number", "number", g),
        prop("annualrevenue", "Annual Revenue", "number", "number", g),
        prop("founded_year", "Year Founded", "string", "text", g),
        prop("first_deal_closed", "First deal closed", "date", "date", g),
        boolean("is_public", "Is Public", g),
        unique(prop("external_id", "External ID", "string", "text", g)),
        readOnly(
            prop("num_associated_contacts", "Number of Associated Contacts", "number", "number", g),
            true),
    };
    for (auto &p : systemProperties(g, "createdate", "hs_lastmodifieddate"))
        list.push_back(std::move(p));
    return list;
}

json propertyJson(const HubSpotProperty &p, std::size_t order)
{
    json options = json::array();
    int i = 0;
    for (const auto &o : p.options) {
        std::string label = o;
        if (p.type == "bool")
            label = o == "true" ? "Yes" : "No";
        options.push_back({{"label", label},
                           {"value", o},
                           {"displayOrder", i++},
                           {"hidden", false},
                           {"description", ""}});
    }
    const bool custom =
        p.name.rfind("hs_", 0) != 0 && p.groupName != "sales_properties" &&
        (p.name == "customer_id" || p.name == "external_id" || p.name == "lifetime_value" ||
         p.name == "is_customer" || p.name == "last_order_at" || p.name == "first_deal_closed");
    return {{"name", p.name},
            {"label", p.label},
            {"type", p.type},
            {"fieldType", p.fieldType},
            {"description", ""},
            {"groupName", p.groupName},
            {"options", options},
            {"displayOrder", static_cast<int>(order)},
            {"calculated", p.calculated},
            {"externalOptions", false},
            {"hasUniqueValue", p.hasUniqueValue},
            {"hidden", p.hidden},
            {"hubspotDefined", !custom},
            {"formField", !p.readOnlyValue && !p.hidden},
            {"archived", false},
            {"createdAt", "2019-08-06T02:41:52.059Z"},
            {"updatedAt", "2023-04-12T15:10:11.436Z"},
            {"modificationMetadata",
             {{"archivable", custom},
              {"readOnlyDefinition", !custom},
              {"readOnlyOptions", !custom},
              {"readOnlyValue", p.readOnlyValue}}}};
}

// The JSON value of a property in a request as HubSpot reads it: strings as they are, numbers
// and booleans as their text, null as "" (clear).
bool valueText(const json &v, std::string &out)
{
    if (v.is_string())
        out = v.get<std::string>();
    else if (v.is_null())
        out.clear();
    else if (v.is_boolean())
        out = v.get<bool>() ? "true" : "false";
    else if (v.is_number_integer())
        out = std::to_string(v.get<std::int64_t>());
    else if (v.is_number())
        out = v.dump();
    else
        return false;
    return true;
}

json invalid(const std::string &name, const std::string &code, const std::string &message)
{
    return {{"isValid", false},
            {"message", message},
            {"error", code},
            {"name", name},
            {"localizedErrorMessage", message}};
}

} // namespace

// ---------------------------------------------------------------------------------------------

const HubSpotProperty *HubSpotEmulator::ObjectType::property(const std::string &name) const
{
    for (const auto &p : properties) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

bool HubSpotEmulator::ObjectType::isIdProperty(const std::string &name) const
{
    if (id == "0-1" && name == "email")
        return true; // contacts are identified by email, though it is not flagged unique
    const HubSpotProperty *p = property(name);
    return p && p->hasUniqueValue && !p->readOnlyValue;
}

HubSpotEmulator::HubSpotEmulator(std::string token) : m_token(std::move(token))
{
    ObjectType contacts;
    contacts.id = "0-1";
    contacts.name = "contacts";
    contacts.singular = "Contact";
    contacts.plural = "Contacts";
    contacts.createdProperty = "createdate";
    contacts.lastModifiedProperty = "lastmodifieddate";
    contacts.properties = contactProperties();
    m_types.push_back(std::move(contacts));

    ObjectType companies;
    companies.id = "0-2";
    companies.name = "companies";
    companies.singular = "Company";
    companies.plural = "Companies";
    companies.createdProperty = "createdate";
    companies.lastModifiedProperty = "hs_lastmodifieddate";
    companies.properties = companyProperties();
    m_types.push_back(std::move(companies));
}

void HubSpotEmulator::setRateLimit(int requests, int perMs)
{
    m_limitRequests = requests;
    m_limitPerMs = perMs;
    m_window.clear();
}

void HubSpotEmulator::addProperty(const std::string &objectType, HubSpotProperty property)
{
    if (ObjectType *t = this->objectType(objectType))
        t->properties.push_back(std::move(property));
}

void HubSpotEmulator::addCustomObject(const std::string &id, const std::string &name,
                                      const std::string &singular, const std::string &plural,
                                      std::vector<HubSpotProperty> properties)
{
    ObjectType t;
    t.id = id;
    t.name = name;
    t.singular = singular;
    t.plural = plural;
    t.custom = true;
    t.createdProperty = "hs_createdate";
    t.lastModifiedProperty = "hs_lastmodifieddate";
    t.properties = std::move(properties);
    for (auto &p : systemProperties("", "hs_createdate", "hs_lastmodifieddate"))
        t.properties.push_back(std::move(p));
    m_types.push_back(std::move(t));
}

HubSpotEmulator::ObjectType *HubSpotEmulator::objectType(const std::string &name)
{
    const std::string n = lower(name);
    for (auto &t : m_types) {
        if (n == t.id || n == t.name || n == lower(t.singular) ||
            n == "p" + std::to_string(kPortalId) + "_" + t.name)
            return &t;
    }
    return nullptr;
}

const HubSpotEmulator::ObjectType *HubSpotEmulator::objectType(const std::string &name) const
{
    return const_cast<HubSpotEmulator *>(this)->objectType(name);
}

std::string HubSpotEmulator::seed(const std::string &objectType,
                                  const std::map<std::string, std::string> &properties)
{
    ObjectType *t = this->objectType(objectType);
    if (!t)
        return {};
    HubSpotRecord r;
    r.id = std::to_string(m_nextId++);
    r.createdAt = r.updatedAt = nowIso();
    r.properties = properties;
    put(*t, std::move(r), nullptr);
    return std::to_string(m_nextId - 1);
}

std::size_t HubSpotEmulator::recordCount(const std::string &objectType) const
{
    const ObjectType *t = this->objectType(objectType);
    return t ? t->records.size() : 0;
}

std::vector<HubSpotRecord> HubSpotEmulator::records(const std::string &objectType) const
{
    std::vector<HubSpotRecord> out;
    if (const ObjectType *t = this->objectType(objectType)) {
        out.reserve(t->records.size());
        for (const auto &[id, r] : t->records)
            out.push_back(r);
    }
    return out;
}

std::optional<HubSpotRecord> HubSpotEmulator::find(const std::string &objectType,
                                                   const std::string &property,
                                                   const std::string &value) const
{
    const ObjectType *t = this->objectType(objectType);
    if (!t)
        return std::nullopt;
    for (const auto &[id, r] : t->records) {
        auto it = r.properties.find(property);
        if (it != r.properties.end() &&
            (it->second == value || (property == "email" && it->second == lower(value))))
            return r;
    }
    return std::nullopt;
}

std::optional<HubSpotRecord> HubSpotEmulator::byId(const std::string &objectType,
                                                   const std::string &id) const
{
    const ObjectType *t = this->objectType(objectType);
    std::int64_t n = 0;
    if (!t || !parseInt64(id, n))
        return std::nullopt;
    auto it = t->records.find(n);
    if (it == t->records.end())
        return std::nullopt;
    return it->second;
}

// ---------------------------------------------------------------------------------------------

std::string HubSpotEmulator::correlationId()
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "9e0c1d2a-7b3f-4c5e-8a6d-%012llx",
                  static_cast<unsigned long long>(m_nextCorrelation++));
    return buf;
}

std::string HubSpotEmulator::nowIso() const
{
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(SysClock::now().time_since_epoch())
            .count();
    return isoFromMs(ms);
}

EmuReply HubSpotEmulator::error(int status, const std::string &category, const std::string &message,
                                json extra)
{
    json body = {{"status", "error"},
                 {"message", message},
                 {"correlationId", correlationId()},
                 {"category", category}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body[it.key()] = it.value();
    EmuReply reply = EmuReply::json(status, body);
    rateLimitHeaders(reply);
    return reply;
}

EmuReply HubSpotEmulator::notFound(const std::string &path)
{
    return error(404, "OBJECT_NOT_FOUND", "Unable to infer object type from: " + path);
}

void HubSpotEmulator::rateLimitHeaders(EmuReply &reply) const
{
    if (m_limitRequests > 0) {
        const long remaining =
            std::max<long>(0, m_limitRequests - static_cast<long>(m_window.size()));
        reply.headers.emplace_back("x-hubspot-ratelimit-interval-milliseconds",
                                   std::to_string(m_limitPerMs));
        reply.headers.emplace_back("x-hubspot-ratelimit-max", std::to_string(m_limitRequests));
        reply.headers.emplace_back("x-hubspot-ratelimit-remaining", std::to_string(remaining));
    }
    if (m_dailyLeft >= 0)
        reply.headers.emplace_back("x-hubspot-ratelimit-daily-remaining",
                                   std::to_string(m_dailyLeft));
}

EmuReply HubSpotEmulator::rateLimited(bool withRetryAfter)
{
    // The body HubSpot documents for a 429 (reference/saas-apis.md, section 2).
    json body = {{"status", "error"},
                 {"message", "You have reached your secondly limit."},
                 {"errorType", "RATE_LIMIT"},
                 {"correlationId", correlationId()},
                 {"policyName", "TEN_SECONDLY_ROLLING"},
                 {"requestId", correlationId()}};
    EmuReply reply = EmuReply::json(429, body);
    const int max = m_limitRequests > 0 ? m_limitRequests : 190;
    const int interval = m_limitPerMs > 0 ? m_limitPerMs : 10'000;
    reply.headers.emplace_back("x-hubspot-ratelimit-interval-milliseconds",
                               std::to_string(interval));
    reply.headers.emplace_back("x-hubspot-ratelimit-max", std::to_string(max));
    reply.headers.emplace_back("x-hubspot-ratelimit-remaining", "0");
    if (withRetryAfter)
        reply.headers.emplace_back("Retry-After", "1");
    return reply;
}

EmuReply HubSpotEmulator::serverError(int status)
{
    // HubSpot's 5xx bodies use the same error envelope; the wording is the emulator's.
    const bool unavailable = status == 502 || status == 503 || status == 504;
    json body = {{"status", "error"},
                 {"message", unavailable ? "The service is temporarily unavailable. Please retry."
                                         : "internal error"},
                 {"correlationId", correlationId()},
                 {"category", unavailable ? "SERVICE_UNAVAILABLE" : "INTERNAL_ERROR"}};
    return EmuReply::json(status, body);
}

std::optional<EmuReply> HubSpotEmulator::checkAuth(const EmuRequest &request)
{
    const std::string auth = request.header("authorization");
    if (auth.empty()) {
        ++m_counters.unauthorized;
        return error(401, "INVALID_AUTHENTICATION",
                     "Authentication credentials not found. This API supports OAuth 2.0 "
                     "authentication and you can find more details at "
                     "https://developers.hubspot.com/docs/methods/auth/oauth-overview");
    }
    if (auth.size() < 7 || lower(auth.substr(0, 7)) != "bearer " || auth.substr(7) != m_token) {
        ++m_counters.unauthorized;
        return error(401, "INVALID_AUTHENTICATION",
                     "The access token provided is invalid, expired or revoked.");
    }
    return std::nullopt;
}

std::optional<EmuReply> HubSpotEmulator::checkScope(const std::string &scope)
{
    if (m_scopes.empty() || m_scopes.count(scope))
        return std::nullopt;
    json extra = {
        {"errors",
         json::array({{{"message", "One or more of the following scopes are required."},
                       {"context", {{"requiredGranularScopes", json::array({scope})}}}}})},
        {"context", {{"missingScopes", json::array({scope})}}},
        {"links", {{"scopes", "https://developers.hubspot.com/scopes"}}}};
    return error(403, "MISSING_SCOPES",
                 "This app hasn't been granted all required scopes to make this call. Read more "
                 "about required scopes here: https://developers.hubspot.com/scopes.",
                 std::move(extra));
}

std::optional<EmuReply> HubSpotEmulator::checkLimits()
{
    if (m_dailyLeft == 0) {
        ++m_counters.rateLimited;
        json body = {{"status", "error"},         {"message", "You have reached your daily limit."},
                     {"errorType", "RATE_LIMIT"}, {"correlationId", correlationId()},
                     {"policyName", "DAILY"},     {"requestId", correlationId()}};
        EmuReply reply = EmuReply::json(429, body);
        reply.headers.emplace_back("x-hubspot-ratelimit-daily-remaining", "0");
        return reply;
    }
    if (m_limitRequests > 0) {
        const auto now = std::chrono::steady_clock::now();
        const auto window = std::chrono::milliseconds(m_limitPerMs);
        while (!m_window.empty() && now - m_window.front() >= window)
            m_window.pop_front();
        if (static_cast<int>(m_window.size()) >= m_limitRequests) {
            ++m_counters.rateLimited;
            return rateLimited(false);
        }
        m_window.push_back(now);
    }
    if (m_dailyLeft > 0)
        --m_dailyLeft;
    return std::nullopt;
}

EmuReply HubSpotEmulator::handle(const EmuRequest &request)
{
    ++m_counters.requests;
    if (auto denied = checkAuth(request))
        return *denied;
    if (auto limited = checkLimits())
        return *limited;

    // /crm/v3/<area>/<type>[/<rest>…]
    const auto parts = split(request.path, '/');
    if (parts.size() < 4 || !parts[0].empty() || parts[1] != "crm" || parts[2] != "v3")
        return error(404, "OBJECT_NOT_FOUND", "No route found for " + request.path);
    const std::string &area = parts[3];

    if (area == "schemas" && parts.size() == 4) {
        if (request.method != "GET")
            return error(405, "VALIDATION_ERROR", "Method not allowed: " + request.method);
        if (auto denied = checkScope("crm.schemas.custom.read"))
            return *denied;
        return listSchemas();
    }
    if (parts.size() < 5)
        return error(404, "OBJECT_NOT_FOUND", "No route found for " + request.path);
    ObjectType *type = objectType(parts[4]);
    const std::string scopeBase = type ? (type->custom ? std::string("custom") : type->name) : "";

    if (area == "properties" && parts.size() == 5) {
        if (request.method != "GET")
            return error(405, "VALIDATION_ERROR", "Method not allowed: " + request.method);
        if (!type)
            return notFound(parts[4]);
        if (checkScope("crm.schemas." + scopeBase + ".read") &&
            checkScope("crm.objects." + scopeBase + ".read"))
            return *checkScope("crm.schemas." + scopeBase + ".read");
        return listProperties(parts[4]);
    }
    if (area != "objects")
        return error(404, "OBJECT_NOT_FOUND", "No route found for " + request.path);
    if (!type)
        return notFound(parts[4]);

    if (parts.size() == 5 && request.method == "GET") {
        if (auto denied = checkScope("crm.objects." + scopeBase + ".read"))
            return *denied;
        return listObjects(*type, request);
    }
    if (parts.size() == 6 && parts[5] != "batch" && request.method == "GET") {
        if (auto denied = checkScope("crm.objects." + scopeBase + ".read"))
            return *denied;
        return getObject(*type, parts[5]);
    }
    if (parts.size() == 7 && parts[5] == "batch") {
        const std::string &op = parts[6];
        if (op != "create" && op != "update" && op != "upsert" && op != "archive" && op != "read")
            return error(404, "OBJECT_NOT_FOUND", "No route found for " + request.path);
        if (request.method != "POST")
            return error(405, "VALIDATION_ERROR", "Method not allowed: " + request.method);
        const std::string scope = op == "read" ? "read" : "write";
        if (auto denied = checkScope("crm.objects." + scopeBase + "." + scope))
            return *denied;
        return batch(*type, op, request);
    }
    return error(404, "OBJECT_NOT_FOUND", "No route found for " + request.path);
}

EmuReply HubSpotEmulator::listProperties(const std::string &name)
{
    const ObjectType *type = objectType(name);
    json results = json::array();
    std::size_t order = 0;
    for (const auto &p : type->properties)
        results.push_back(propertyJson(p, order++));
    EmuReply reply = EmuReply::json(200, {{"results", results}});
    rateLimitHeaders(reply);
    return reply;
}

EmuReply HubSpotEmulator::listSchemas()
{
    json results = json::array();
    for (const auto &t : m_types) {
        if (!t.custom)
            continue;
        json props = json::array();
        std::size_t order = 0;
        for (const auto &p : t.properties)
            props.push_back(propertyJson(p, order++));
        results.push_back(
            {{"id", t.id.substr(t.id.find('-') + 1)},
             {"objectTypeId", t.id},
             {"name", t.name},
             {"fullyQualifiedName", "p" + std::to_string(kPortalId) + "_" + t.name},
             {"labels", {{"singular", t.singular}, {"plural", t.plural}}},
             {"primaryDisplayProperty", t.properties.empty() ? "" : t.properties.front().name},
             {"requiredProperties", json::array()},
             {"properties", props},
             {"archived", false}});
    }
    EmuReply reply = EmuReply::json(200, {{"results", results}});
    rateLimitHeaders(reply);
    return reply;
}

json HubSpotEmulator::recordJson(const ObjectType &type, const HubSpotRecord &record,
                                 const std::set<std::string> *only) const
{
    json props = json::object();
    if (only) {
        for (const auto &name : *only) {
            auto it = record.properties.find(name);
            props[name] = it == record.properties.end() ? json() : json(it->second);
        }
        for (const auto *name :
             {"hs_object_id", type.createdProperty.c_str(), type.lastModifiedProperty.c_str()}) {
            auto it = record.properties.find(name);
            if (it != record.properties.end())
                props[name] = it->second;
        }
    } else {
        for (const auto &[k, v] : record.properties)
            props[k] = v;
    }
    return {{"id", record.id},
            {"properties", props},
            {"createdAt", record.createdAt},
            {"updatedAt", record.updatedAt},
            {"archived", false}};
}

EmuReply HubSpotEmulator::listObjects(ObjectType &type, const EmuRequest &request)
{
    int limit = 10;
    if (auto it = request.query.find("limit"); it != request.query.end()) {
        std::int64_t n = 0;
        if (!parseInt64(it->second, n) || n < 1)
            return error(400, "VALIDATION_ERROR", "limit must be a positive integer");
        if (n > kMaxListLimit)
            return error(400, "VALIDATION_ERROR",
                         "limit must be less than or equal to " + std::to_string(kMaxListLimit));
        limit = static_cast<int>(n);
    }
    std::int64_t after = 0;
    if (auto it = request.query.find("after"); it != request.query.end() && !it->second.empty()) {
        if (!parseInt64(it->second, after))
            return error(400, "VALIDATION_ERROR",
                         "after must be a paging cursor from a previous "
                         "response");
    }
    std::set<std::string> wanted;
    if (auto it = request.query.find("properties"); it != request.query.end()) {
        for (auto &name : split(it->second, ','))
            if (!name.empty())
                wanted.insert(name);
    }
    json results = json::array();
    auto it = type.records.lower_bound(after);
    for (; it != type.records.end() && static_cast<int>(results.size()) < limit; ++it)
        results.push_back(recordJson(type, it->second, &wanted));
    json body = {{"results", results}};
    if (it != type.records.end()) {
        const std::string next = std::to_string(it->first);
        body["paging"] = {{"next",
                           {{"after", next},
                            {"link", "https://api.hubapi.com/crm/v3/objects/" + type.name +
                                         "?limit=" + std::to_string(limit) + "&after=" + next}}}};
    }
    EmuReply reply = EmuReply::json(200, body);
    rateLimitHeaders(reply);
    return reply;
}

EmuReply HubSpotEmulator::getObject(ObjectType &type, const std::string &id)
{
    std::int64_t n = 0;
    auto it = parseInt64(id, n) ? type.records.find(n) : type.records.end();
    if (it == type.records.end())
        return error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.",
                     {{"context", {{"id", json::array({id})}}}});
    EmuReply reply = EmuReply::json(200, recordJson(type, it->second, nullptr));
    rateLimitHeaders(reply);
    return reply;
}

std::int64_t HubSpotEmulator::findBy(const ObjectType &type, const std::string &property,
                                     const std::string &value) const
{
    if (property == "hs_object_id") {
        std::int64_t n = 0;
        return parseInt64(value, n) && type.records.count(n) ? n : 0;
    }
    auto idx = type.unique.find(property);
    if (idx != type.unique.end()) {
        auto it = idx->second.find(property == "email" ? lower(value) : value);
        return it == idx->second.end() ? 0 : it->second;
    }
    for (const auto &[id, r] : type.records) {
        auto it = r.properties.find(property);
        if (it != r.properties.end() && it->second == value)
            return id;
    }
    return 0;
}

void HubSpotEmulator::put(ObjectType &type, HubSpotRecord record, std::vector<Undo> *undo)
{
    std::int64_t id = 0;
    parseInt64(record.id, id);
    record.properties["hs_object_id"] = record.id;
    record.properties[type.createdProperty] = record.createdAt;
    record.properties[type.lastModifiedProperty] = record.updatedAt;
    auto existing = type.records.find(id);
    std::optional<HubSpotRecord> before;
    if (existing != type.records.end())
        before = existing->second;
    if (undo)
        undo->push_back(Undo{id, before});
    for (const auto &p : type.properties) {
        if (!type.isIdProperty(p.name))
            continue;
        auto &index = type.unique[p.name];
        if (before) {
            if (auto v = before->properties.find(p.name); v != before->properties.end())
                index.erase(v->second);
        }
        if (auto v = record.properties.find(p.name);
            v != record.properties.end() && !v->second.empty())
            index[v->second] = id;
    }
    type.records[id] = std::move(record);
}

void HubSpotEmulator::rollback(ObjectType &type, std::vector<Undo> &undo)
{
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
        auto current = type.records.find(it->id);
        if (current != type.records.end()) {
            for (auto &[name, index] : type.unique) {
                if (auto v = current->second.properties.find(name);
                    v != current->second.properties.end())
                    index.erase(v->second);
            }
            type.records.erase(current);
        }
        if (it->before) {
            HubSpotRecord r = *it->before;
            put(type, std::move(r), nullptr);
        }
    }
    undo.clear();
}

std::vector<json> HubSpotEmulator::validate(const ObjectType &type, const json &properties,
                                            std::map<std::string, std::string> &normalized) const
{
    std::vector<json> problems;
    if (!properties.is_object())
        return problems;
    std::string text;
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const std::string &name = it.key();
        const HubSpotProperty *p = type.property(name);
        if (!p) {
            problems.push_back(
                invalid(name, "PROPERTY_DOESNT_EXIST", "Property \"" + name + "\" does not exist"));
            continue;
        }
        if (p->readOnlyValue) {
            problems.push_back(
                invalid(name, "READ_ONLY_VALUE",
                        "\"" + name + "\" is a read only property; its value cannot be set."));
            continue;
        }
        if (!valueText(it.value(), text)) {
            problems.push_back(
                invalid(name, "INVALID_OPTION",
                        "The value of " + name + " must be a string, number or boolean."));
            continue;
        }
        if (text.empty()) {
            normalized[name].clear(); // clears the property
            continue;
        }
        if (text.size() > kMaxValueLength) {
            problems.push_back(invalid(name, "INVALID_LENGTH",
                                       "Property values can be at most " +
                                           std::to_string(kMaxValueLength) + " characters long"));
            continue;
        }
        if (type.id == "0-1" && name == "email") {
            if (!isEmail(text)) {
                problems.push_back(
                    invalid(name, "INVALID_EMAIL", "Email address " + text + " is invalid"));
                continue;
            }
            text = lower(text);
        } else if (p->type == "number") {
            if (!isNumber(text)) {
                problems.push_back(
                    invalid(name, "INVALID_FLOAT", text + " was not a valid number."));
                continue;
            }
        } else if (p->type == "date") {
            std::int64_t ms = 0;
            std::int64_t days = 0;
            if (allDigits(text) && parseInt64(text, ms)) {
                if (ms % kDayMs != 0) {
                    const std::int64_t rest = ms % kDayMs;
                    problems.push_back(invalid(name, "INVALID_DATE",
                                               text + " is at " + std::to_string(rest / 3'600'000) +
                                                   ":" + std::to_string(rest / 60'000 % 60) + ":" +
                                                   std::to_string(rest / 1000 % 60) + "." +
                                                   std::to_string(rest % 1000) +
                                                   " UTC, not midnight!"));
                    continue;
                }
            } else if (text.size() == 10 && parseIsoDate(text, days)) {
                ms = days * kDayMs;
            } else {
                problems.push_back(invalid(name, "INVALID_DATE",
                                           text + " is not a valid date. Use YYYY-MM-DD or a "
                                                  "midnight UTC timestamp in milliseconds."));
                continue;
            }
            text = std::to_string(ms);
        } else if (p->type == "datetime") {
            std::int64_t ms = 0;
            if (!(allDigits(text) && parseInt64(text, ms)) && !parseIsoDateTime(text, ms)) {
                problems.push_back(invalid(name, "INVALID_DATETIME",
                                           text + " is not a valid datetime. Use ISO 8601 or a "
                                                  "timestamp in milliseconds."));
                continue;
            }
            text = isoFromMs(ms);
        } else if (p->type == "bool") {
            const std::string l = lower(text);
            if (l != "true" && l != "false") {
                problems.push_back(invalid(name, "INVALID_OPTION",
                                           text + " was not one of the allowed options: "
                                                  "[true, false]"));
                continue;
            }
            text = l;
        } else if (p->type == "enumeration" && !p->options.empty()) {
            const auto values =
                p->fieldType == "checkbox" ? split(text, ';') : std::vector<std::string>{text};
            std::string bad;
            for (const auto &v : values) {
                if (std::find(p->options.begin(), p->options.end(), v) == p->options.end()) {
                    bad = v;
                    break;
                }
            }
            if (!bad.empty() || values.empty()) {
                std::string allowed;
                for (const auto &o : p->options)
                    allowed += (allowed.empty() ? "" : ", ") + o;
                problems.push_back(
                    invalid(name, "INVALID_OPTION",
                            bad + " was not one of the allowed options: [" + allowed + "]"));
                continue;
            }
        }
        normalized[name] = text;
    }
    return problems;
}

std::optional<HubSpotEmulator::Problem>
HubSpotEmulator::conflict(const ObjectType &type,
                          const std::map<std::string, std::string> &properties,
                          std::int64_t self) const
{
    for (const auto &[name, value] : properties) {
        if (value.empty() || !type.isIdProperty(name))
            continue;
        const std::int64_t other = findBy(type, name, value);
        if (other != 0 && other != self)
            return Problem{"CONFLICT",
                           type.singular + " already exists. Existing ID: " + std::to_string(other),
                           {{"existingIds", json::array({std::to_string(other)})}}};
    }
    return std::nullopt;
}

EmuReply HubSpotEmulator::batch(ObjectType &type, const std::string &operation,
                                const EmuRequest &request)
{
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return error(400, "VALIDATION_ERROR",
                     "Invalid input JSON on line 1, column 1: Cannot build BatchInput, the body "
                     "is not a JSON object");
    auto inputsIt = body.find("inputs");
    if (inputsIt == body.end() || !inputsIt->is_array())
        return error(400, "VALIDATION_ERROR",
                     "Invalid input JSON on line 1, column 2: Cannot build BatchInput, some of "
                     "required attributes are not set [inputs]");
    const json &inputs = *inputsIt;
    m_counters.inputsByOperation[operation] += static_cast<long>(inputs.size());
    m_counters.maxInputs = std::max<long>(m_counters.maxInputs, static_cast<long>(inputs.size()));
    if (inputs.size() > kMaxInputs)
        return error(400, "VALIDATION_ERROR", kTooManyInputs);
    for (const auto &in : inputs) {
        if (!in.is_object())
            return error(400, "VALIDATION_ERROR",
                         "Invalid input JSON: every input must be a JSON object");
    }
    if (operation == "read")
        return batchRead(type, body);
    if (operation == "archive")
        return batchArchive(type, inputs);

    const std::string requestedAt = nowIso();
    // Per-record answers only when every input says which it is.
    bool traced = !inputs.empty();
    for (const auto &in : inputs) {
        auto t = in.find("objectWriteTraceId");
        if (t == in.end() || !t->is_string())
            traced = false;
    }
    const bool multi = m_multiStatus && traced;

    // Request-level checks: identification of the inputs.
    std::set<std::string> seen;
    for (const auto &in : inputs) {
        if (operation == "create")
            break;
        auto id = in.find("id");
        if (id == in.end() || !id->is_string() || id->get<std::string>().empty())
            return error(400, "VALIDATION_ERROR",
                         "Invalid input JSON: every input needs an \"id\" (a string)");
        std::string idProperty = "hs_object_id";
        if (auto p = in.find("idProperty"); p != in.end() && p->is_string())
            idProperty = p->get<std::string>();
        else if (operation == "upsert")
            return error(400, "VALIDATION_ERROR",
                         "Invalid input JSON: idProperty is required to upsert");
        if (idProperty != "hs_object_id" && !type.isIdProperty(idProperty))
            return error(
                400, "VALIDATION_ERROR",
                "Property \"" + idProperty +
                    "\" cannot be used as idProperty: it does not exist or does not have unique "
                    "values. Use a property with hasUniqueValue=true.");
        std::string key = id->get<std::string>();
        if (idProperty == "email")
            key = lower(key);
        if (!seen.insert(key).second)
            return error(400, "VALIDATION_ERROR",
                         "Duplicate IDs found in batch input: [" + id->get<std::string>() +
                             "]. IDs must be unique");
    }

    const std::string startedAt = nowIso();
    std::vector<Undo> undo;
    json results = json::array();
    json errors = json::array();
    long created = 0, updated = 0;
    for (const auto &in : inputs) {
        std::map<std::string, std::string> props;
        static const json kEmpty = json::object();
        auto propsIt = in.find("properties");
        const json &given = propsIt == in.end() ? kEmpty : *propsIt;
        std::optional<Problem> problem;
        if (!given.is_object()) {
            problem = Problem{"VALIDATION_ERROR", "properties must be a JSON object", {}};
        } else {
            auto invalids = validate(type, given, props);
            if (!invalids.empty()) {
                json list = json::array();
                for (auto &i : invalids) {
                    i["portalId"] = kPortalId;
                    list.push_back(std::move(i));
                }
                problem = Problem{"VALIDATION_ERROR",
                                  "Property values were not valid: " + list.dump(),
                                  {{"propertyName", json::array()}}};
                for (const auto &i : list)
                    problem->context["propertyName"].push_back(i["name"]);
            }
        }

        // The record it is about, if any.
        std::int64_t target = 0;
        std::string idProperty, idValue;
        if (!problem && operation != "create") {
            idValue = in["id"].get<std::string>();
            idProperty = in.contains("idProperty") && in["idProperty"].is_string()
                             ? in["idProperty"].get<std::string>()
                             : "hs_object_id";
            if (idProperty == "email")
                idValue = lower(idValue);
            target = findBy(type, idProperty, idValue);
            if (operation == "update" && target == 0)
                problem = Problem{"OBJECT_NOT_FOUND",
                                  "Could not get some " +
                                      std::string(type.id == "0-1"   ? "CONTACT"
                                                  : type.id == "0-2" ? "COMPANY"
                                                                     : "CUSTOM OBJECT") +
                                      " objects, they may be deleted or not exist. Check that ids "
                                      "are valid.",
                                  {{"ids", json::array({in["id"]})}}};
            if (!problem && idProperty != "hs_object_id") {
                auto own = props.find(idProperty);
                if (own != props.end() && own->second != idValue)
                    problem = Problem{"VALIDATION_ERROR",
                                      "The value of " + idProperty + " in properties (" +
                                          own->second + ") differs from the input's id (" +
                                          in["id"].get<std::string>() + ")",
                                      {}};
                else if (target == 0)
                    props[idProperty] = idValue; // a new record keeps the key it was sent under
            }
        }
        HubSpotRecord record;
        if (!problem) {
            if (target != 0)
                record = type.records.at(target);
            for (const auto &[k, v] : props) {
                if (v.empty())
                    record.properties.erase(k);
                else
                    record.properties[k] = v;
            }
            problem = conflict(type, record.properties, target);
        }
        if (problem) {
            ++m_counters.recordErrors;
            if (!multi) {
                rollback(type, undo);
                return error(problem->category == "OBJECT_NOT_FOUND" ? 404
                             : problem->category == "CONFLICT"       ? 409
                                                                     : 400,
                             problem->category, problem->message, {{"context", problem->context}});
            }
            json context = problem->context;
            context["objectWriteTraceId"] = json::array({in["objectWriteTraceId"]});
            errors.push_back({{"status", "error"},
                              {"category", problem->category},
                              {"message", problem->message},
                              {"context", context}});
            continue;
        }
        const std::string now = nowIso();
        const bool isNew = target == 0;
        if (isNew) {
            record.id = std::to_string(m_nextId++);
            record.createdAt = now;
            ++created;
        } else {
            ++updated;
        }
        record.updatedAt = now;
        put(type, record, &undo);
        const HubSpotRecord &stored = type.records.at(std::stoll(record.id));
        json result = recordJson(type, stored, nullptr);
        json written = json::object();
        for (const auto &[k, v] : props)
            written[k] = v;
        for (const auto *name :
             {"hs_object_id", type.createdProperty.c_str(), type.lastModifiedProperty.c_str()})
            written[name] = stored.properties.at(name);
        result["properties"] = written;
        if (operation == "upsert")
            result["new"] = isNew;
        results.push_back(std::move(result));
    }
    m_counters.created += created;
    m_counters.updated += updated;
    ++m_counters.writeRequests;

    if (m_shuffle && results.size() > 1) {
        for (std::size_t i = results.size() - 1; i > 0; --i) {
            m_shuffleState = m_shuffleState * 1664525u + 1013904223u;
            std::swap(results[i], results[(m_shuffleState >> 8) % (i + 1)]);
        }
    }
    json reply = {{"status", "COMPLETE"},   {"results", results},      {"requestedAt", requestedAt},
                  {"startedAt", startedAt}, {"completedAt", nowIso()}, {"links", json::object()}};
    int status = operation == "create" ? 201 : 200;
    if (!errors.empty()) {
        reply["numErrors"] = errors.size();
        reply["errors"] = errors;
        status = 207;
    }
    EmuReply r = EmuReply::json(status, reply);
    rateLimitHeaders(r);
    return r;
}

EmuReply HubSpotEmulator::batchRead(ObjectType &type, const json &body)
{
    std::string idProperty = "hs_object_id";
    if (auto p = body.find("idProperty"); p != body.end() && p->is_string())
        idProperty = p->get<std::string>();
    if (idProperty != "hs_object_id" && !type.isIdProperty(idProperty))
        return error(400, "VALIDATION_ERROR",
                     "Property \"" + idProperty +
                         "\" cannot be used as idProperty: it does not exist or does not have "
                         "unique values.");
    std::set<std::string> wanted;
    if (auto p = body.find("properties"); p != body.end() && p->is_array()) {
        for (const auto &name : *p)
            if (name.is_string())
                wanted.insert(name.get<std::string>());
    }
    json results = json::array();
    json missing = json::array();
    for (const auto &in : body["inputs"]) {
        auto id = in.find("id");
        if (id == in.end() || !id->is_string())
            return error(400, "VALIDATION_ERROR", "Invalid input JSON: every input needs an id");
        const std::int64_t found = findBy(type, idProperty, id->get<std::string>());
        if (found == 0) {
            missing.push_back(*id);
            continue;
        }
        wanted.insert(idProperty);
        results.push_back(recordJson(type, type.records.at(found), &wanted));
    }
    json reply = {{"status", "COMPLETE"},
                  {"results", results},
                  {"startedAt", nowIso()},
                  {"completedAt", nowIso()}};
    int status = 200;
    if (!missing.empty()) {
        reply["numErrors"] = 1;
        reply["errors"] = json::array(
            {{{"status", "error"},
              {"category", "OBJECT_NOT_FOUND"},
              {"message", "Could not get some " + type.singular +
                              " objects, they may be deleted or not exist. Check that ids are "
                              "valid."},
              {"context", {{"ids", missing}}}}});
        status = 207;
    }
    EmuReply r = EmuReply::json(status, reply);
    rateLimitHeaders(r);
    return r;
}

EmuReply HubSpotEmulator::batchArchive(ObjectType &type, const json &inputs)
{
    for (const auto &in : inputs) {
        auto id = in.find("id");
        if (id == in.end() || !id->is_string())
            return error(400, "VALIDATION_ERROR", "Invalid input JSON: every input needs an id");
    }
    // Archiving what is already gone is not an error: HubSpot answers 204 either way.
    for (const auto &in : inputs) {
        std::int64_t n = 0;
        if (!parseInt64(in["id"].get<std::string>(), n))
            continue;
        auto it = type.records.find(n);
        if (it == type.records.end())
            continue;
        for (auto &[name, index] : type.unique) {
            if (auto v = it->second.properties.find(name); v != it->second.properties.end())
                index.erase(v->second);
        }
        type.records.erase(it);
        ++m_counters.archived;
    }
    ++m_counters.writeRequests;
    EmuReply reply;
    reply.status = 204;
    rateLimitHeaders(reply);
    return reply;
}

} // namespace sluice::emu

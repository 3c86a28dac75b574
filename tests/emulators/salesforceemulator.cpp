#include "salesforceemulator.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace sluice::emu {

namespace {

using json = nlohmann::json;
using SysClock = std::chrono::system_clock;

constexpr std::int64_t kDayMs = 86'400'000;
const char *const kUserId = "005000000000001AAA"; // the integration user: owner and creator
// Quoted from a real answer to a second PUT of data to one job [obs: see saas-apis.md §3 and
// the Salesforce StackExchange question "Providing multiple batches to the Bulk API 2.0"].
const char *const kMultipleContents =
    "Found multipe contents for job: <%s>, please 'Close' / 'Abort' / 'Delete' the current Job "
    "then create a new Job and make sure you only do 'PUT' once on a given Job.";

std::string lower(std::string s)
{
    for (auto &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool iequals(const std::string &a, const std::string &b)
{
    return a.size() == b.size() && lower(a) == lower(b);
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

std::string join(const std::vector<std::string> &items, const char *sep)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? sep : "") + items[i];
    return out;
}

bool isAlnum(const std::string &s)
{
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

// The three characters Salesforce appends to a 15-character Id: for each block of five, the
// positions of its upper-case letters as a 5-bit number, spelled in A–Z0–5.
std::string idSuffix(const std::string &id15)
{
    static const char *const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    std::string suffix;
    for (int block = 0; block < 3; ++block) {
        int flags = 0;
        for (int i = 0; i < 5; ++i) {
            const char c = id15[static_cast<std::size_t>(block * 5 + i)];
            if (c >= 'A' && c <= 'Z')
                flags |= 1 << i;
        }
        suffix += kAlphabet[flags];
    }
    return suffix;
}

// A 15- or 18-character Id as its 18-character form; "" when it is not an Id.
std::string normalizeId(const std::string &id)
{
    if ((id.size() != 15 && id.size() != 18) || !isAlnum(id))
        return {};
    const std::string id15 = id.substr(0, 15);
    const std::string id18 = id15 + idSuffix(id15);
    if (id.size() == 18 && lower(id) != lower(id18))
        return {};
    return id18;
}

std::string base62(std::uint64_t n, std::size_t width)
{
    static const char *const kDigits =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string out(width, '0');
    for (std::size_t i = width; i-- > 0 && n > 0;) {
        out[i] = kDigits[n % 62];
        n /= 62;
    }
    return out;
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

// "2024-03-05" exactly, a real calendar date.
bool parseDate(std::string_view s, std::int64_t &days)
{
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || !digitsAt(s, 0, 4, y) || s[4] != '-' || !digitsAt(s, 5, 2, m) ||
        s[7] != '-' || !digitsAt(s, 8, 2, d) || m < 1 || m > 12 || d < 1)
        return false;
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kDays[m - 1] || (m == 2 && d == 29 && !leap))
        return false;
    days = daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    return true;
}

// ISO 8601 date-time as Salesforce reads it: 2024-03-05T10:00[:00[.000]] with Z, ±hh:mm, ±hhmm
// or no zone (GMT).
bool parseDateTime(std::string_view s, std::int64_t &ms)
{
    std::int64_t days = 0;
    if (s.size() < 16 || !parseDate(s.substr(0, 10), days) || s[10] != 'T')
        return false;
    int h = 0, mi = 0, sec = 0, frac = 0;
    if (!digitsAt(s, 11, 2, h) || s[13] != ':' || !digitsAt(s, 14, 2, mi) || h > 23 || mi > 59)
        return false;
    std::size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        if (!digitsAt(s, pos + 1, 2, sec) || sec > 59)
            return false;
        pos += 3;
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
    }
    int offset = 0;
    if (pos < s.size() && s[pos] == 'Z') {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        std::size_t p = pos + 1;
        if (!digitsAt(s, p, 2, oh))
            return false;
        p += 2;
        if (p < s.size() && s[p] == ':')
            ++p;
        if (!digitsAt(s, p, 2, om) || oh > 23 || om > 59)
            return false;
        offset = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos = p + 2;
    }
    if (pos != s.size())
        return false;
    ms = days * kDayMs + ((h * 60LL + mi - offset) * 60 + sec) * 1000 + frac;
    return true;
}

// How Salesforce writes a date-time: 2024-03-05T10:00:00.000+0000.
std::string formatDateTime(std::int64_t ms)
{
    const std::time_t secs = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    const int millis = static_cast<int>(((ms % 1000) + 1000) % 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
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

std::size_t utf8Length(const std::string &s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xc0) != 0x80;
    return n;
}

bool isTextType(const std::string &type)
{
    return type == "string" || type == "email" || type == "phone" || type == "url" ||
           type == "textarea" || type == "picklist" || type == "multipicklist" ||
           type == "combobox" || type == "id" || type == "reference" || type == "anyType";
}

bool isNumberType(const std::string &type)
{
    return type == "double" || type == "currency" || type == "percent";
}

const char *soapType(const std::string &type)
{
    if (type == "id" || type == "reference")
        return "tns:ID";
    if (type == "boolean")
        return "xsd:boolean";
    if (type == "int")
        return "xsd:int";
    if (isNumberType(type))
        return "xsd:double";
    if (type == "date")
        return "xsd:date";
    if (type == "datetime")
        return "xsd:dateTime";
    if (type == "anyType")
        return "xsd:anyType";
    return "xsd:string";
}

bool parseNumber(const std::string &s, double &out)
{
    if (s.empty() || s.front() == '+')
        return false;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

// RFC 4180 as Bulk API 2.0 reads it: quoted fields with doubled quotes, LF or CRLF line ends.
bool parseCsv(const std::string &text, std::vector<std::vector<std::string>> &rows,
              std::string &why)
{
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, inQuotes = false, any = false;
    auto endField = [&] {
        row.push_back(std::move(field));
        field.clear();
        quoted = false;
    };
    auto endRow = [&] {
        endField();
        rows.push_back(std::move(row));
        row.clear();
        any = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty() && !quoted) {
            inQuotes = quoted = any = true;
        } else if (c == ',') {
            endField();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            if (any || !field.empty() || !row.empty())
                endRow();
        } else {
            field += c;
            any = true;
        }
    }
    if (inQuotes) {
        why = "a quoted field is never closed";
        return false;
    }
    if (any || !field.empty() || !row.empty())
        endRow();
    return true;
}

void appendCsvQuoted(std::string &out, const std::string &text)
{
    out += '"';
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

// --- The objects' fields ---------------------------------------------------------------------

SalesforceField field(std::string name, std::string label, std::string type, int length = 0)
{
    SalesforceField f;
    f.name = std::move(name);
    f.label = std::move(label);
    f.type = std::move(type);
    f.length = length;
    if (f.type == "int") {
        f.precision = 9;
    } else if (isNumberType(f.type)) {
        f.precision = 18;
        f.scale = 2;
    }
    f.custom = f.name.ends_with("__c");
    return f;
}

SalesforceField required(SalesforceField f)
{
    f.nillable = false;
    return f;
}

SalesforceField readOnly(SalesforceField f)
{
    f.createable = false;
    f.updateable = false;
    return f;
}

SalesforceField defaulted(SalesforceField f)
{
    f.defaultedOnCreate = true;
    f.nillable = false;
    return f;
}

SalesforceField externalId(SalesforceField f)
{
    f.externalId = true;
    f.idLookup = true;
    f.unique = true;
    return f;
}

SalesforceField picklist(std::string name, std::string label, std::vector<std::string> values,
                         bool restricted = false)
{
    SalesforceField f = field(std::move(name), std::move(label), "picklist", 255);
    f.picklistValues = std::move(values);
    f.restrictedPicklist = restricted;
    return f;
}

SalesforceField reference(std::string name, std::string label, std::string to,
                          std::string relationship)
{
    SalesforceField f = field(std::move(name), std::move(label), "reference", 18);
    f.referenceTo = {std::move(to)};
    f.relationshipName = std::move(relationship);
    return f;
}

SalesforceField idField(const std::string &label)
{
    SalesforceField f = defaulted(readOnly(field("Id", label, "id", 18)));
    f.idLookup = true;
    return f;
}

// What every object has: its owner and the audit fields Salesforce maintains itself.
void addSystemFields(std::vector<SalesforceField> &fields, bool owner)
{
    fields.push_back(defaulted(readOnly(field("IsDeleted", "Deleted", "boolean"))));
    if (owner)
        fields.push_back(defaulted(reference("OwnerId", "Owner ID", "User", "Owner")));
    fields.push_back(defaulted(readOnly(field("CreatedDate", "Created Date", "datetime"))));
    fields.push_back(
        defaulted(readOnly(reference("CreatedById", "Created By ID", "User", "CreatedBy"))));
    fields.push_back(
        defaulted(readOnly(field("LastModifiedDate", "Last Modified Date", "datetime"))));
    fields.push_back(defaulted(
        readOnly(reference("LastModifiedById", "Last Modified By ID", "User", "LastModifiedBy"))));
    fields.push_back(defaulted(readOnly(field("SystemModstamp", "System Modstamp", "datetime"))));
}

std::vector<SalesforceField> contactFields()
{
    std::vector<SalesforceField> f = {
        idField("Contact ID"),
        reference("AccountId", "Account ID", "Account", "Account"),
        required(field("LastName", "Last Name", "string", 80)),
        field("FirstName", "First Name", "string", 40),
        picklist("Salutation", "Salutation", {"Mr.", "Ms.", "Mrs.", "Dr.", "Prof."}),
        readOnly(required(field("Name", "Full Name", "string", 121))),
        field("Email", "Email", "email", 80),
        field("Phone", "Business Phone", "phone", 40),
        field("MobilePhone", "Mobile Phone", "phone", 40),
        field("Title", "Title", "string", 128),
        field("Department", "Department", "string", 80),
        field("Birthdate", "Birthdate", "date"),
        picklist("LeadSource", "Lead Source",
                 {"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}),
        defaulted(field("HasOptedOutOfEmail", "Email Opt Out", "boolean")),
        field("Description", "Contact Description", "textarea", 32000),
        externalId(field("Ext_Id__c", "External ID", "string", 64)),
        picklist("Tier__c", "Tier", {"Bronze", "Silver", "Gold", "Platinum"}, true),
        field("Lifetime_Value__c", "Lifetime Value", "currency"),
        field("Score__c", "Score", "double"),
        field("Discount__c", "Discount", "percent"),
        field("Customer_Since__c", "Customer Since", "date"),
        field("Last_Order_At__c", "Last Order At", "datetime"),
        defaulted(field("Is_Customer__c", "Is Customer", "boolean")),
    };
    for (auto &x : f) {
        if (x.name == "Email")
            x.idLookup = true; // Contact.Email can find records, though it is not unique
        if (x.name == "Name")
            x.nameField = true;
        if (x.name == "LeadSource")
            x.defaultPicklistValue = "Web";
    }
    addSystemFields(f, true);
    return f;
}

std::vector<SalesforceField> accountFields()
{
    std::vector<SalesforceField> f = {
        idField("Account ID"),
        required(field("Name", "Account Name", "string", 255)),
        picklist("Type", "Account Type",
                 {"Prospect", "Customer - Direct", "Customer - Channel", "Partner", "Other"}),
        picklist("Industry", "Industry",
                 {"Agriculture", "Banking", "Education", "Retail", "Technology", "Other"}),
        field("Phone", "Account Phone", "phone", 40),
        field("Website", "Website", "url", 255),
        field("AnnualRevenue", "Annual Revenue", "currency"),
        field("NumberOfEmployees", "Employees", "int"),
        field("Description", "Account Description", "textarea", 32000),
        field("BillingCity", "Billing City", "string", 40),
        field("BillingCountry", "Billing Country", "string", 80),
        externalId(field("Ext_Id__c", "External ID", "string", 64)),
        field("Domain__c", "Domain", "string", 255),
    };
    f[1].nameField = true;
    f.back().unique = true; // unique, but not an external ID
    addSystemFields(f, true);
    return f;
}

std::vector<SalesforceField> subscriptionFields()
{
    std::vector<SalesforceField> f = {
        idField("Record ID"),
        defaulted(field("Name", "Subscription Name", "string", 80)),
        reference("Contact__c", "Contact", "Contact", "Contact__r"),
        picklist("Plan__c", "Plan", {"Basic", "Pro", "Enterprise"}, true),
        field("Seats__c", "Seats", "double"),
        field("Started_On__c", "Started On", "date"),
        field("Renews_At__c", "Renews At", "datetime"),
        defaulted(field("Active__c", "Active", "boolean")),
        externalId(field("Ext_Id__c", "Subscription Key", "string", 80)),
    };
    f[1].nameField = true;
    f[4].scale = 0;
    addSystemFields(f, true);
    return f;
}

std::vector<SalesforceField> historyFields(const std::string &parent)
{
    std::vector<SalesforceField> f = {
        idField(parent + " History ID"),
        readOnly(reference(parent + "Id", parent + " ID", parent, parent)),
        readOnly(picklist("Field", "Changed Field", {"created", "Email", "LastName"})),
        readOnly(field("OldValue", "Old Value", "anyType")),
        readOnly(field("NewValue", "New Value", "anyType")),
    };
    f.push_back(defaulted(readOnly(field("IsDeleted", "Deleted", "boolean"))));
    f.push_back(defaulted(readOnly(field("CreatedDate", "Created Date", "datetime"))));
    return f;
}

json fieldJson(const SalesforceField &f)
{
    json picklistValues = json::array();
    for (const auto &v : f.picklistValues)
        picklistValues.push_back({{"active", true},
                                  {"defaultValue", v == f.defaultPicklistValue},
                                  {"label", v},
                                  {"validFor", nullptr},
                                  {"value", v}});
    const bool text = isTextType(f.type) && f.type != "anyType";
    const int length = text ? f.length : 0;
    return {{"aggregatable", f.type != "textarea"},
            {"autoNumber", false},
            {"byteLength", length * 3},
            {"calculated", false},
            {"calculatedFormula", nullptr},
            {"cascadeDelete", false},
            {"caseSensitive", false},
            {"createable", f.createable},
            {"custom", f.custom},
            {"defaultValue", nullptr},
            {"defaultedOnCreate", f.defaultedOnCreate},
            {"dependentPicklist", false},
            {"deprecatedAndHidden", false},
            {"digits", f.type == "int" ? f.precision : 0},
            {"externalId", f.externalId},
            {"filterable", f.type != "textarea"},
            {"groupable", text && f.type != "textarea"},
            {"htmlFormatted", false},
            {"idLookup", f.idLookup},
            {"inlineHelpText", nullptr},
            {"label", f.label},
            {"length", length},
            {"name", f.name},
            {"nameField", f.nameField},
            {"namePointing", false},
            {"nillable", f.nillable},
            {"permissionable", f.nillable && (f.createable || f.updateable)},
            {"picklistValues", picklistValues},
            {"precision", isNumberType(f.type) ? f.precision : 0},
            {"referenceTo", f.referenceTo},
            {"relationshipName", f.relationshipName.empty() ? json() : json(f.relationshipName)},
            {"restrictedPicklist", f.restrictedPicklist},
            {"scale", isNumberType(f.type) ? f.scale : 0},
            {"soapType", soapType(f.type)},
            {"sortable", f.type != "textarea"},
            {"type", f.type},
            {"unique", f.unique},
            {"updateable", f.updateable}};
}

// The text SOQL compares a stored value as.
std::string valueText(const json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_boolean())
        return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer())
        return std::to_string(v.get<std::int64_t>());
    if (v.is_number())
        return v.dump();
    return {};
}

std::string errorText(const std::vector<std::string> &fields)
{
    return fields.empty() ? ":--" : ":" + join(fields, ",") + " --";
}

// --- A small SOQL reader: SELECT f, … FROM o [WHERE f = v | f IN (v, …)] [LIMIT n] ----------

struct Token
{
    enum Kind
    {
        Word,
        String,
        Number,
        Punct,
        End
    } kind = End;
    std::string text;
};

bool tokenize(const std::string &q, std::vector<Token> &out, std::string &bad)
{
    std::size_t i = 0;
    while (i < q.size()) {
        const char c = q[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < q.size() &&
                   (std::isalnum(static_cast<unsigned char>(q[j])) || q[j] == '_' || q[j] == '.'))
                ++j;
            out.push_back({Token::Word, q.substr(i, j - i)});
            i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
            std::size_t j = i + 1;
            while (j < q.size() && (std::isdigit(static_cast<unsigned char>(q[j])) || q[j] == '.'))
                ++j;
            out.push_back({Token::Number, q.substr(i, j - i)});
            i = j;
        } else if (c == '\'') {
            std::string s;
            std::size_t j = i + 1;
            bool closed = false;
            while (j < q.size()) {
                if (q[j] == '\\' && j + 1 < q.size()) {
                    const char e = q[j + 1];
                    s += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
                    j += 2;
                } else if (q[j] == '\'') {
                    closed = true;
                    ++j;
                    break;
                } else {
                    s += q[j++];
                }
            }
            if (!closed) {
                bad = q.substr(i);
                return false;
            }
            out.push_back({Token::String, std::move(s)});
            i = j;
        } else if (c == ',' || c == '(' || c == ')' || c == '=') {
            out.push_back({Token::Punct, std::string(1, c)});
            ++i;
        } else {
            bad = q.substr(i, 1);
            return false;
        }
    }
    out.push_back({Token::End, {}});
    return true;
}

} // namespace

// ---------------------------------------------------------------------------------------------

const SalesforceField *SalesforceEmulator::ObjectDef::field(const std::string &name) const
{
    for (const auto &f : fields) {
        if (iequals(f.name, name))
            return &f;
    }
    return nullptr;
}

SalesforceEmulator::SalesforceEmulator()
{
    auto add = [this](std::string name, std::string label, std::string plural, std::string prefix,
                      std::vector<SalesforceField> fields) -> ObjectDef & {
        ObjectDef o;
        o.custom = name.ends_with("__c");
        o.name = std::move(name);
        o.label = std::move(label);
        o.labelPlural = std::move(plural);
        o.keyPrefix = std::move(prefix);
        o.fields = std::move(fields);
        m_objects.push_back(std::move(o));
        return m_objects.back();
    };
    add("Account", "Account", "Accounts", "001", accountFields());
    add("Contact", "Contact", "Contacts", "003", contactFields());
    add("Subscription__c", "Subscription", "Subscriptions", "a0B", subscriptionFields());
    for (const char *parent : {"Account", "Contact"}) {
        ObjectDef &h = add(std::string(parent) + "History", std::string(parent) + " History",
                           std::string(parent) + " History", parent[0] == 'A' ? "017" : "01s",
                           historyFields(parent));
        h.createable = h.updateable = h.deletable = false;
    }
}

SalesforceEmulator::ObjectDef *SalesforceEmulator::object(const std::string &name)
{
    for (auto &o : m_objects) {
        if (iequals(o.name, name))
            return &o;
    }
    return nullptr;
}

const SalesforceEmulator::ObjectDef *SalesforceEmulator::object(const std::string &name) const
{
    return const_cast<SalesforceEmulator *>(this)->object(name);
}

void SalesforceEmulator::injectRecordError(const std::string &externalId,
                                           const std::string &statusCode,
                                           const std::string &message, int times)
{
    m_injected[lower(externalId)] = Injected{statusCode, message, times};
}

void SalesforceEmulator::addField(const std::string &objectName, SalesforceField f)
{
    if (ObjectDef *o = object(objectName))
        o->fields.push_back(std::move(f));
}

std::string SalesforceEmulator::newId(ObjectDef &o)
{
    const std::string id15 = o.keyPrefix + "5g" + base62(o.nextId++, 10);
    return id15 + idSuffix(id15);
}

std::string SalesforceEmulator::nowIso() const
{
    return formatDateTime(
        std::chrono::duration_cast<std::chrono::milliseconds>(SysClock::now().time_since_epoch())
            .count());
}

std::string SalesforceEmulator::seed(const std::string &objectName,
                                     const std::map<std::string, json> &fields)
{
    ObjectDef *o = object(objectName);
    if (!o)
        return {};
    SalesforceRecord r;
    r.id = newId(*o);
    r.fields["Id"] = r.id;
    for (const auto &[name, value] : fields) {
        const SalesforceField *f = o->field(name);
        r.fields[f ? f->name : name] = value;
    }
    const std::string now = nowIso();
    r.fields["CreatedDate"] = now;
    r.fields["LastModifiedDate"] = now;
    r.fields["SystemModstamp"] = now;
    const std::string id = r.id;
    put(*o, std::move(r), nullptr);
    return id;
}

std::size_t SalesforceEmulator::recordCount(const std::string &objectName) const
{
    const ObjectDef *o = object(objectName);
    return o ? o->records.size() : 0;
}

std::vector<SalesforceRecord> SalesforceEmulator::records(const std::string &objectName) const
{
    std::vector<SalesforceRecord> out;
    if (const ObjectDef *o = object(objectName)) {
        for (const auto &[id, r] : o->records)
            out.push_back(r);
    }
    return out;
}

std::optional<SalesforceRecord> SalesforceEmulator::find(const std::string &objectName,
                                                         const std::string &fieldName,
                                                         const std::string &value) const
{
    const ObjectDef *o = object(objectName);
    const SalesforceField *f = o ? o->field(fieldName) : nullptr;
    if (!f)
        return std::nullopt;
    const std::string want = lower(value);
    for (const auto &[id, r] : o->records) {
        auto it = r.fields.find(f->name);
        if (it != r.fields.end() && !it->second.is_null() && lower(valueText(it->second)) == want)
            return r;
    }
    return std::nullopt;
}

std::optional<SalesforceRecord> SalesforceEmulator::byId(const std::string &objectName,
                                                         const std::string &id) const
{
    const ObjectDef *o = object(objectName);
    if (!o)
        return std::nullopt;
    auto it = o->records.find(normalizeId(id));
    if (it == o->records.end())
        return std::nullopt;
    return it->second;
}

std::vector<SalesforceEmulator::BulkJobInfo> SalesforceEmulator::bulkJobs() const
{
    std::vector<BulkJobInfo> out;
    for (const auto &[id, job] : m_jobs) {
        std::size_t failed = 0;
        for (const auto &r : job.results)
            failed += !r.success;
        out.push_back({id, job.object, job.operation, job.state,
                       static_cast<int>(job.uploads.size()), job.rows.size(), failed});
    }
    return out;
}

// --- Replies ---------------------------------------------------------------------------------

EmuReply SalesforceEmulator::error(int status, const std::string &code, const std::string &message,
                                   const std::vector<std::string> &fields) const
{
    json item = {{"message", message}, {"errorCode", code}};
    if (!fields.empty())
        item["fields"] = fields;
    return EmuReply::json(status, json::array({item}));
}

EmuReply SalesforceEmulator::notFound() const
{
    return error(404, "NOT_FOUND", "The requested resource does not exist");
}

EmuReply SalesforceEmulator::methodNotAllowed(const std::string &method,
                                              const std::string &allowed) const
{
    return error(405, "METHOD_NOT_ALLOWED",
                 "HTTP Method '" + method + "' not allowed. Allowed are " + allowed);
}

EmuReply SalesforceEmulator::rateLimited(bool withRetryAfter)
{
    // Salesforce documents no 429 for its REST API ([UNCONFIRMED] body); shaped like its other
    // request-level errors so a client sees a familiar array.
    EmuReply reply = error(429, "REQUEST_LIMIT_EXCEEDED",
                           "ConcurrentPerOrgLongTxn Limit exceeded. Please try again later.");
    if (withRetryAfter)
        reply.headers.emplace_back("Retry-After", "1");
    return reply;
}

EmuReply SalesforceEmulator::serverError(int status)
{
    if (status == 503)
        return error(503, "SERVER_UNAVAILABLE",
                     "Server temporarily unavailable. Please try again later."); // [UNCONFIRMED]
    return error(status, "UNKNOWN_EXCEPTION",
                 "An unexpected error occurred. Please include this ErrorId if you contact "
                 "support: 1204581727-78329 (-1204581727)");
}

EmuReply SalesforceEmulator::handle(const EmuRequest &request)
{
    ++m_counters.requests;
    const std::string &path = request.path;
    if (path.starts_with("/services/oauth2/")) {
        if (!m_instanceUrlSet && !request.header("host").empty())
            m_oauth.setInstanceUrl("http://" + request.header("host"));
        return m_oauth.handle(request);
    }
    if (path == "/services/data" || path == "/services/data/") {
        return EmuReply::json(200, json::array({{{"label", "Spring '24"},
                                                 {"url", "/services/data/v60.0"},
                                                 {"version", "60.0"}}}));
    }
    if (!path.starts_with("/services/data/v"))
        return notFound();

    EmuReply reply;
    const std::string auth = request.header("authorization");
    const std::string token =
        auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer " ? auth.substr(7) : std::string();
    if (!token.empty())
        m_sessionsSeen.insert(token);
    const bool valid = !m_rejectAll && !token.empty() &&
                       (m_sessions.count(token) != 0 || m_oauth.isValidAccessToken(token));
    if (!valid) {
        ++m_counters.unauthorized;
        reply = error(401, "INVALID_SESSION_ID", "Session expired or invalid");
    } else if (m_dailyLimit >= 0 && m_apiUsed >= m_dailyLimit) {
        ++m_counters.limitExceeded;
        reply = error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
    } else {
        ++m_apiUsed;
        ++m_counters.apiRequests;
        // /services/data/v60.0/<rest>
        const std::string afterV = path.substr(std::string_view("/services/data/v").size());
        const auto slash = afterV.find('/');
        m_version = afterV.substr(0, slash);
        const auto dot = m_version.find('.');
        int major = 0;
        const bool versionOk = dot != std::string::npos && dot > 0 &&
                               m_version.substr(dot) == ".0" &&
                               digitsAt(m_version, 0, dot, major) && major >= 20 && major <= 66;
        if (!versionOk)
            reply = notFound();
        else
            reply = api(request, slash == std::string::npos ? std::string() : afterV.substr(slash));
    }
    const long limit = m_dailyLimit >= 0 ? m_dailyLimit : 100'000;
    reply.headers.emplace_back("Sforce-Limit-Info", "api-usage=" + std::to_string(m_apiUsed) + "/" +
                                                        std::to_string(limit));
    return reply;
}

EmuReply SalesforceEmulator::api(const EmuRequest &request, const std::string &rest)
{
    std::string trimmed = rest;
    while (!trimmed.empty() && trimmed.front() == '/')
        trimmed.erase(trimmed.begin());
    while (!trimmed.empty() && trimmed.back() == '/')
        trimmed.pop_back();
    const std::vector<std::string> parts = split(trimmed, '/');
    const std::string &m = request.method;
    if (parts[0] == "sobjects") {
        if (parts.size() == 1)
            return m == "GET" ? describeGlobal() : methodNotAllowed(m, "HEAD,GET");
        const ObjectDef *o = object(parts[1]);
        if (!o)
            return notFound();
        if (parts.size() == 3 && parts[2] == "describe")
            return m == "GET" ? describe(*o) : methodNotAllowed(m, "HEAD,GET");
        return notFound();
    }
    if (parts[0] == "composite" && parts.size() >= 2 && parts[1] == "sobjects")
        return collections(request, parts);
    if (parts[0] == "query") {
        if (m != "GET")
            return methodNotAllowed(m, "HEAD,GET");
        if (parts.size() == 1)
            return query(request);
        if (parts.size() == 2)
            return queryMore(parts[1]);
        return notFound();
    }
    if (parts[0] == "jobs" && parts.size() >= 2 && parts[1] == "ingest")
        return bulk(request, parts);
    return notFound();
}

EmuReply SalesforceEmulator::describeGlobal() const
{
    json list = json::array();
    const std::string base = "/services/data/v" + m_version + "/sobjects/";
    for (const auto &o : m_objects) {
        list.push_back({{"activateable", false},
                        {"createable", o.createable},
                        {"custom", o.custom},
                        {"customSetting", false},
                        {"deletable", o.deletable},
                        {"deprecatedAndHidden", false},
                        {"feedEnabled", !o.custom && o.createable},
                        {"hasSubtypes", false},
                        {"isSubtype", false},
                        {"keyPrefix", o.keyPrefix},
                        {"label", o.label},
                        {"labelPlural", o.labelPlural},
                        {"layoutable", o.createable},
                        {"mergeable", o.name == "Account" || o.name == "Contact"},
                        {"mruEnabled", o.createable},
                        {"name", o.name},
                        {"queryable", o.queryable},
                        {"replicateable", true},
                        {"retrieveable", true},
                        {"searchable", o.createable},
                        {"triggerable", o.createable},
                        {"undeletable", o.deletable},
                        {"updateable", o.updateable},
                        {"urls",
                         {{"rowTemplate", base + o.name + "/{ID}"},
                          {"describe", base + o.name + "/describe"},
                          {"sobject", base + o.name}}}});
    }
    return EmuReply::json(200, {{"encoding", "UTF-8"}, {"maxBatchSize", 200}, {"sobjects", list}});
}

EmuReply SalesforceEmulator::describe(const ObjectDef &o) const
{
    json fields = json::array();
    for (const auto &f : o.fields)
        fields.push_back(fieldJson(f));
    const std::string base = "/services/data/v" + m_version + "/sobjects/" + o.name;
    return EmuReply::json(
        200,
        {{"actionOverrides", json::array()},
         {"activateable", false},
         {"childRelationships", json::array()},
         {"compactLayoutable", o.createable},
         {"createable", o.createable},
         {"custom", o.custom},
         {"customSetting", false},
         {"deletable", o.deletable},
         {"deprecatedAndHidden", false},
         {"feedEnabled", !o.custom && o.createable},
         {"fields", fields},
         {"keyPrefix", o.keyPrefix},
         {"label", o.label},
         {"labelPlural", o.labelPlural},
         {"layoutable", o.createable},
         {"mergeable", o.name == "Account" || o.name == "Contact"},
         {"name", o.name},
         {"queryable", o.queryable},
         {"recordTypeInfos", json::array()},
         {"replicateable", true},
         {"retrieveable", true},
         {"searchable", o.createable},
         {"triggerable", o.createable},
         {"undeletable", o.deletable},
         {"updateable", o.updateable},
         {"urls",
          {{"describe", base + "/describe"}, {"rowTemplate", base + "/{ID}"}, {"sobject", base}}}});
}

// --- Values ----------------------------------------------------------------------------------

bool SalesforceEmulator::fromJson(const SalesforceField &f, const json &in, json &out,
                                  std::string &why) const
{
    if (in.is_null()) {
        out = nullptr;
        return true;
    }
    auto refuse = [&](const char *type) {
        why = std::string("Cannot deserialize instance of ") + type + " from " +
              (in.is_string() ? "VALUE_STRING value " + in.get<std::string>()
                              : "token " + in.dump()) +
              " or request may be missing a required field at [line:1, column:1]";
        return false;
    };
    if (in.is_object() || in.is_array())
        return refuse(f.type.c_str());
    if (isTextType(f.type)) {
        out = in.is_string() ? in.get<std::string>() : valueText(in);
        return true;
    }
    if (f.type == "boolean") {
        if (in.is_boolean()) {
            out = in;
            return true;
        }
        if (in.is_string() &&
            (lower(in.get<std::string>()) == "true" || lower(in.get<std::string>()) == "false")) {
            out = lower(in.get<std::string>()) == "true";
            return true;
        }
        return refuse("boolean");
    }
    if (f.type == "int" || isNumberType(f.type)) {
        double d = 0;
        if (in.is_number())
            d = in.get<double>();
        else if (!in.is_string() || !parseNumber(in.get<std::string>(), d))
            return refuse(f.type == "int" ? "int" : "double");
        if (f.type == "int") {
            if (d != static_cast<double>(static_cast<std::int64_t>(d)))
                return refuse("int");
            out = static_cast<std::int64_t>(d);
        } else {
            out = d;
        }
        return true;
    }
    if (f.type == "date") {
        std::int64_t days = 0;
        if (!in.is_string() || !parseDate(in.get<std::string>(), days))
            return refuse("date");
        out = in;
        return true;
    }
    if (f.type == "datetime") {
        std::int64_t ms = 0;
        if (!in.is_string() || !parseDateTime(in.get<std::string>(), ms))
            return refuse("datetime");
        out = formatDateTime(ms);
        return true;
    }
    out = in;
    return true;
}

bool SalesforceEmulator::fromCsv(const SalesforceField &f, const std::string &in, json &out,
                                 std::string &why) const
{
    if (in == "#N/A") {
        out = nullptr;
        return true;
    }
    if (isTextType(f.type)) {
        out = in;
        return true;
    }
    std::string w;
    bool ok = true;
    if (f.type == "boolean") {
        const std::string l = lower(in);
        ok = l == "true" || l == "false" || l == "1" || l == "0";
        if (ok)
            out = l == "true" || l == "1";
    } else {
        ok = fromJson(f, json(in), out, w);
    }
    if (!ok)
        why = "'" + in + "' is not a valid value for the type " + soapType(f.type);
    return ok;
}

// --- Writing records -------------------------------------------------------------------------

void SalesforceEmulator::put(ObjectDef &o, SalesforceRecord record, std::vector<Undo> *undo)
{
    auto it = o.records.find(record.id);
    if (undo)
        undo->push_back(
            {&o, record.id,
             it == o.records.end() ? std::nullopt : std::optional<SalesforceRecord>(it->second)});
    for (const auto &f : o.fields) {
        if (!f.unique && !f.externalId)
            continue;
        auto &index = o.unique[f.name];
        if (it != o.records.end()) {
            auto old = it->second.fields.find(f.name);
            if (old != it->second.fields.end() && !old->second.is_null()) {
                auto pos = index.find(lower(valueText(old->second)));
                if (pos != index.end() && pos->second == record.id)
                    index.erase(pos);
            }
        }
        auto now = record.fields.find(f.name);
        if (now != record.fields.end() && !now->second.is_null() && !valueText(now->second).empty())
            index[lower(valueText(now->second))] = record.id;
    }
    o.records[record.id] = std::move(record);
}

void SalesforceEmulator::erase(ObjectDef &o, const std::string &id)
{
    auto it = o.records.find(id);
    if (it == o.records.end())
        return;
    for (auto &[name, index] : o.unique) {
        auto v = it->second.fields.find(name);
        if (v == it->second.fields.end() || v->second.is_null())
            continue;
        auto pos = index.find(lower(valueText(v->second)));
        if (pos != index.end() && pos->second == id)
            index.erase(pos);
    }
    o.records.erase(it);
}

void SalesforceEmulator::rollback(std::vector<Undo> &undo)
{
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
        if (it->before) {
            it->object->deleted.erase(it->id);
            erase(*it->object, it->id);
            put(*it->object, *it->before, nullptr);
        } else {
            erase(*it->object, it->id);
        }
    }
    undo.clear();
}

SalesforceEmulator::WriteResult SalesforceEmulator::write(ObjectDef &o, WriteMode mode,
                                                          std::map<std::string, json> values,
                                                          const std::string &matchField,
                                                          const std::string &givenId,
                                                          std::vector<Undo> *undo)
{
    WriteResult r;
    auto fail = [&](std::string code, std::string message, std::vector<std::string> fields = {}) {
        r.errors.push_back({std::move(code), std::move(message), std::move(fields)});
    };
    if (!m_injected.empty()) {
        auto ext = values.find("Ext_Id__c");
        auto hit = ext == values.end() || ext->second.is_null()
                       ? m_injected.end()
                       : m_injected.find(lower(valueText(ext->second)));
        if (hit != m_injected.end() && hit->second.times > 0) {
            --hit->second.times;
            fail(hit->second.statusCode, hit->second.message);
            return r;
        }
    }
    const SalesforceRecord *existing = nullptr;
    if (mode == WriteMode::Update) {
        if (givenId.empty()) {
            fail("MISSING_ARGUMENT", "Id not specified in an update call");
            return r;
        }
        const std::string id = normalizeId(givenId);
        if (id.empty() || !id.starts_with(o.keyPrefix)) {
            fail("MALFORMED_ID", "malformed id " + givenId);
            return r;
        }
        if (o.deleted.count(id)) {
            fail("ENTITY_IS_DELETED", "entity is deleted");
            return r;
        }
        auto it = o.records.find(id);
        if (it == o.records.end()) {
            fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"); // [UNCONFIRMED]
            return r;
        }
        existing = &it->second;
    }
    if (values.count("Id")) {
        // [UNCONFIRMED] texts: Salesforce refuses an Id in a record it is to create or match by
        // another field.
        if (mode == WriteMode::Create)
            fail("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", {"Id"});
        else
            fail("INVALID_FIELD", "Id not allowed in a record upserted by " + matchField, {"Id"});
        return r;
    }
    if (mode == WriteMode::Upsert) {
        auto key = values.find(matchField);
        if (key == values.end() || key->second.is_null() || valueText(key->second).empty()) {
            fail("INVALID_FIELD", "Upsert requires a value for the External ID field " + matchField,
                 {matchField}); // [UNCONFIRMED]
            return r;
        }
        auto &index = o.unique[matchField];
        auto hit = index.find(lower(valueText(key->second)));
        if (hit != index.end())
            existing = &o.records.at(hit->second);
    }
    const bool creating = existing == nullptr;

    std::vector<std::string> readOnlyFields, missing;
    for (const auto &[name, value] : values) {
        const SalesforceField *f = o.field(name);
        if (creating ? !f->createable : !f->updateable)
            readOnlyFields.push_back(f->name);
    }
    if (!readOnlyFields.empty()) {
        fail("INVALID_FIELD_FOR_INSERT_UPDATE",
             "Unable to create/update fields: " + join(readOnlyFields, ", ") +
                 ". Please check the security settings of this field and verify that it is "
                 "read/write for your profile or permission set.",
             readOnlyFields);
        return r;
    }
    for (const auto &f : o.fields) {
        if (f.nillable || f.type == "boolean")
            continue;
        auto v = values.find(f.name);
        const bool isNull = v == values.end() ? creating : v->second.is_null();
        if (creating ? (f.createable && !f.defaultedOnCreate && isNull)
                     : (f.updateable && v != values.end() && isNull))
            missing.push_back(f.name);
    }
    if (!missing.empty())
        fail("REQUIRED_FIELD_MISSING", "Required fields are missing: [" + join(missing, ", ") + "]",
             missing);
    for (const auto &[name, value] : values) {
        const SalesforceField *f = o.field(name);
        if (value.is_null() || !value.is_string())
            continue;
        const std::string text = value.get<std::string>();
        if (isTextType(f->type) && f->length > 0 &&
            utf8Length(text) > static_cast<size_t>(f->length))
            fail("STRING_TOO_LONG",
                 f->label + ": data value too large: " + text +
                     " (max length=" + std::to_string(f->length) + ")",
                 {f->name});
        else if (f->type == "email" && !text.empty() && !isEmail(text))
            fail("INVALID_EMAIL_ADDRESS", f->label + ": invalid email address: " + text, {f->name});
        else if (f->restrictedPicklist && !text.empty() &&
                 std::find(f->picklistValues.begin(), f->picklistValues.end(), text) ==
                     f->picklistValues.end())
            fail("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                 f->label + ": bad value for restricted picklist field: " + text, {f->name});
        else if (f->type == "reference" && !text.empty() && normalizeId(text).empty())
            fail("FIELD_INTEGRITY_EXCEPTION", f->label + ": id value of incorrect type: " + text,
                 {f->name});
    }
    if (!r.errors.empty())
        return r;
    for (const auto &[name, value] : values) {
        const SalesforceField *f = o.field(name);
        if (!f->unique || value.is_null() || valueText(value).empty())
            continue;
        auto &index = o.unique[f->name];
        auto hit = index.find(lower(valueText(value)));
        if (hit != index.end() && (creating || hit->second != existing->id))
            fail("DUPLICATE_VALUE", "duplicate value found: " + f->name +
                                        " duplicates value on record with id: " + hit->second);
    }
    if (!r.errors.empty())
        return r;

    SalesforceRecord record;
    const std::string now = nowIso();
    if (creating) {
        record.id = newId(o);
        record.fields["Id"] = record.id;
        for (const auto &f : o.fields) {
            if (f.type == "boolean" && f.defaultedOnCreate)
                record.fields[f.name] = false;
            else if (!f.defaultPicklistValue.empty())
                record.fields[f.name] = f.defaultPicklistValue;
        }
        if (o.field("OwnerId"))
            record.fields["OwnerId"] = kUserId;
        record.fields["CreatedDate"] = now;
        record.fields["CreatedById"] = kUserId;
    } else {
        record = *existing;
    }
    for (auto &[name, value] : values) {
        const SalesforceField *f = o.field(name);
        if (value.is_null() && f->type == "boolean")
            record.fields[f->name] = false; // a checkbox is never null
        else if (value.is_null())
            record.fields.erase(f->name);
        else
            record.fields[f->name] = std::move(value);
    }
    record.fields["LastModifiedDate"] = now;
    record.fields["LastModifiedById"] = kUserId;
    record.fields["SystemModstamp"] = now;
    if (o.name == "Contact") {
        auto text = [&](const char *name) {
            auto it = record.fields.find(name);
            return it == record.fields.end() ? std::string() : valueText(it->second);
        };
        const std::string first = text("FirstName");
        record.fields["Name"] = first.empty() ? text("LastName") : first + " " + text("LastName");
    } else if (creating && o.custom && !record.fields.count("Name")) {
        record.fields["Name"] = record.id; // a custom object's Name defaults to its Id
    }
    r.success = true;
    r.created = creating;
    r.id = record.id;
    put(o, std::move(record), undo);
    return r;
}

SalesforceEmulator::WriteResult SalesforceEmulator::remove(ObjectDef &o, const std::string &given,
                                                           std::vector<Undo> *undo)
{
    WriteResult r;
    const std::string id = normalizeId(given);
    if (id.empty() || !id.starts_with(o.keyPrefix)) {
        r.errors.push_back({"MALFORMED_ID", "malformed id " + given, {}});
        return r;
    }
    if (o.deleted.count(id)) {
        r.errors.push_back({"ENTITY_IS_DELETED", "entity is deleted", {}});
        return r;
    }
    auto it = o.records.find(id);
    if (it == o.records.end()) {
        r.errors.push_back({"INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {}});
        return r;
    }
    if (undo)
        undo->push_back({&o, id, it->second});
    erase(o, id);
    o.deleted.insert(id);
    r.success = true;
    r.id = id;
    return r;
}

// --- sObject Collections ---------------------------------------------------------------------

EmuReply SalesforceEmulator::collections(const EmuRequest &request,
                                         const std::vector<std::string> &parts)
{
    const std::string &m = request.method;
    if (parts.size() == 2) {
        if (m == "POST")
            return collectionsWrite(request, WriteMode::Create, nullptr, {});
        if (m == "PATCH")
            return collectionsWrite(request, WriteMode::Update, nullptr, {});
        if (m == "DELETE")
            return collectionsDelete(request);
        return methodNotAllowed(m, "POST,PATCH,DELETE");
    }
    if (parts.size() == 4) {
        ObjectDef *o = object(parts[2]);
        if (!o)
            return notFound();
        if (m != "PATCH")
            return methodNotAllowed(m, "PATCH");
        const SalesforceField *f = o->field(parts[3]);
        if (!f || !f->externalId)
            return error(404, "NOT_FOUND",
                         "Provided external ID field does not exist or is not accessible: " +
                             parts[3]);
        return collectionsWrite(request, WriteMode::Upsert, o, f->name);
    }
    return notFound();
}

EmuReply SalesforceEmulator::collectionsWrite(const EmuRequest &request, WriteMode mode,
                                              ObjectDef *urlObject,
                                              const std::string &externalField)
{
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded())
        return error(400, "JSON_PARSER_ERROR",
                     "Unexpected character: the request body is not valid JSON at [line:1, "
                     "column:1]"); // [UNCONFIRMED]
    if (!body.is_object() || !body.contains("records") || !body["records"].is_array())
        return error(400, "JSON_PARSER_ERROR",
                     "The request body must be an object with a records array"); // [UNCONFIRMED]
    bool allOrNone = false;
    if (auto it = body.find("allOrNone"); it != body.end()) {
        if (!it->is_boolean())
            return error(400, "JSON_PARSER_ERROR",
                         "Cannot deserialize instance of boolean for allOrNone");
        allOrNone = it->get<bool>();
    }
    const json &records = body["records"];
    if (records.size() > kMaxCollectionRecords)
        return error(400, "EXCEEDED_ID_LIMIT",
                     "record limit reached. cannot submit more than 200 records into this call");

    // Everything is read before anything is written: a request-level error writes nothing.
    struct Input
    {
        ObjectDef *object;
        std::map<std::string, json> values;
        std::string id;
    };
    std::vector<Input> inputs;
    inputs.reserve(records.size());
    for (const auto &rec : records) {
        if (!rec.is_object())
            return error(400, "JSON_PARSER_ERROR", "Each record must be a JSON object");
        auto attrs = rec.find("attributes");
        if (attrs == rec.end() || !attrs->is_object() || !attrs->contains("type") ||
            !(*attrs)["type"].is_string())
            return error(400, "INVALID_TYPE", "Must send a concrete entity type.");
        const std::string type = (*attrs)["type"].get<std::string>();
        ObjectDef *o = object(type);
        if (!o)
            return error(400, "INVALID_TYPE", "sObject type '" + type + "' is not supported.");
        if (urlObject && o != urlObject)
            return error(400, "INVALID_TYPE",
                         "Every record must be of the type in the request URL: " + type +
                             " is not " + urlObject->name); // [UNCONFIRMED]
        Input in{o, {}, {}};
        for (auto it = rec.begin(); it != rec.end(); ++it) {
            if (it.key() == "attributes")
                continue;
            const SalesforceField *f = o->field(it.key());
            if (!f)
                return error(400, "INVALID_FIELD",
                             "No such column '" + it.key() + "' on sobject of type " + o->name);
            json v;
            std::string why;
            if (!fromJson(*f, it.value(), v, why))
                return error(400, "JSON_PARSER_ERROR", why);
            if (mode == WriteMode::Update && f->name == "Id")
                in.id = v.is_string() ? v.get<std::string>() : std::string();
            else
                in.values[f->name] = std::move(v);
        }
        inputs.push_back(std::move(in));
    }

    // The same external ID twice in one request: Salesforce refuses both [UNCONFIRMED text].
    std::map<std::string, int> seen;
    if (mode == WriteMode::Upsert) {
        for (const auto &in : inputs) {
            auto v = in.values.find(externalField);
            if (v != in.values.end() && !v->second.is_null())
                ++seen[lower(valueText(v->second))];
        }
    }

    std::vector<Undo> undo;
    std::vector<WriteResult> results;
    results.reserve(inputs.size());
    for (auto &in : inputs) {
        if (mode == WriteMode::Upsert) {
            auto v = in.values.find(externalField);
            if (v != in.values.end() && !v->second.is_null() &&
                seen[lower(valueText(v->second))] > 1) {
                WriteResult dup;
                dup.errors.push_back({"DUPLICATE_EXTERNAL_ID",
                                      "Duplicate external id specified: " + valueText(v->second),
                                      {externalField}});
                results.push_back(std::move(dup));
                continue;
            }
        }
        results.push_back(write(*in.object, mode, std::move(in.values), externalField, in.id,
                                allOrNone ? &undo : nullptr));
    }
    const bool anyFailed = std::any_of(results.begin(), results.end(),
                                       [](const WriteResult &w) { return !w.success; });
    if (allOrNone && anyFailed) {
        rollback(undo);
        for (auto &w : results) {
            if (!w.success)
                continue;
            w = WriteResult{};
            w.errors.push_back({"ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                "Record rolled back because not all records were valid and the "
                                "request was using AllOrNone header",
                                {}});
        }
    }

    const char *op = mode == WriteMode::Upsert   ? "upsert"
                     : mode == WriteMode::Create ? "create"
                                                 : "update";
    ++m_counters.collectionWrites;
    m_counters.recordsByOperation[op] += static_cast<long>(inputs.size());
    m_counters.maxCollectionRecords =
        std::max(m_counters.maxCollectionRecords, static_cast<long>(inputs.size()));
    json out = json::array();
    for (const auto &w : results) {
        json item;
        if (w.success) {
            item = {{"id", w.id}, {"success", true}, {"errors", json::array()}};
            ++(w.created ? m_counters.created : m_counters.updated);
        } else {
            json errors = json::array();
            for (const auto &e : w.errors)
                errors.push_back(
                    {{"statusCode", e.statusCode}, {"message", e.message}, {"fields", e.fields}});
            item = {{"success", false}, {"errors", errors}};
            ++m_counters.recordErrors;
        }
        if (mode == WriteMode::Upsert)
            item["created"] = w.success && w.created;
        out.push_back(std::move(item));
    }
    return EmuReply::json(200, out);
}

EmuReply SalesforceEmulator::collectionsDelete(const EmuRequest &request)
{
    auto ids = request.query.find("ids");
    if (ids == request.query.end() || ids->second.empty())
        return error(400, "MISSING_ARGUMENT", "ids parameter is required"); // [UNCONFIRMED]
    std::vector<std::string> list = split(ids->second, ',');
    if (list.size() > kMaxCollectionRecords)
        return error(400, "EXCEEDED_ID_LIMIT",
                     "record limit reached. cannot submit more than 200 records into this call");
    auto all = request.query.find("allOrNone");
    const bool allOrNone = all != request.query.end() && lower(all->second) == "true";
    std::vector<Undo> undo;
    std::vector<WriteResult> results;
    for (const auto &id : list) {
        ObjectDef *o = nullptr;
        for (auto &candidate : m_objects) {
            if (id.size() >= 3 && id.compare(0, 3, candidate.keyPrefix) == 0)
                o = &candidate;
        }
        if (!o) {
            WriteResult bad;
            bad.errors.push_back({"MALFORMED_ID", "malformed id " + id, {}});
            results.push_back(std::move(bad));
            continue;
        }
        results.push_back(remove(*o, id, allOrNone ? &undo : nullptr));
    }
    const bool anyFailed = std::any_of(results.begin(), results.end(),
                                       [](const WriteResult &w) { return !w.success; });
    if (allOrNone && anyFailed) {
        rollback(undo);
        for (auto &w : results) {
            if (w.success) {
                w = WriteResult{};
                w.errors.push_back({"ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                    "Record rolled back because not all records were valid and "
                                    "the request was using AllOrNone header",
                                    {}});
            }
        }
    }
    ++m_counters.collectionWrites;
    m_counters.recordsByOperation["delete"] += static_cast<long>(list.size());
    m_counters.maxCollectionRecords =
        std::max(m_counters.maxCollectionRecords, static_cast<long>(list.size()));
    json out = json::array();
    for (std::size_t i = 0; i < results.size(); ++i) {
        const WriteResult &w = results[i];
        if (w.success) {
            ++m_counters.deleted;
            out.push_back({{"id", w.id}, {"success", true}, {"errors", json::array()}});
            continue;
        }
        ++m_counters.recordErrors;
        json errors = json::array();
        for (const auto &e : w.errors)
            errors.push_back(
                {{"statusCode", e.statusCode}, {"message", e.message}, {"fields", e.fields}});
        out.push_back({{"id", list[i]}, {"success", false}, {"errors", errors}});
    }
    return EmuReply::json(200, out);
}

// --- SOQL ------------------------------------------------------------------------------------

json SalesforceEmulator::recordJson(const ObjectDef &o, const SalesforceRecord &r,
                                    const std::vector<const SalesforceField *> &fields) const
{
    json out = {{"attributes",
                 {{"type", o.name},
                  {"url", "/services/data/v" + m_version + "/sobjects/" + o.name + "/" + r.id}}}};
    for (const SalesforceField *f : fields) {
        auto it = r.fields.find(f->name);
        out[f->name] = it == r.fields.end() ? json() : it->second;
    }
    return out;
}

EmuReply SalesforceEmulator::query(const EmuRequest &request)
{
    auto q = request.query.find("q");
    if (q == request.query.end() || q->second.empty())
        return error(400, "MALFORMED_QUERY", "A query string has to be specified");
    ++m_counters.queries;
    std::vector<Token> tokens;
    std::string bad;
    if (!tokenize(q->second, tokens, bad))
        return error(400, "MALFORMED_QUERY", "unexpected token: '" + bad + "'");
    std::size_t i = 0;
    auto word = [&](const char *w) {
        return tokens[i].kind == Token::Word && lower(tokens[i].text) == lower(w);
    };
    auto unexpected = [&] {
        return error(400, "MALFORMED_QUERY",
                     "unexpected token: '" +
                         (tokens[i].kind == Token::End ? std::string("<EOF>") : tokens[i].text) +
                         "'");
    };
    if (!word("SELECT"))
        return unexpected();
    ++i;
    std::vector<std::string> names;
    for (;;) {
        if (tokens[i].kind != Token::Word)
            return unexpected();
        names.push_back(tokens[i++].text);
        if (tokens[i].kind == Token::Punct && tokens[i].text == ",") {
            ++i;
            continue;
        }
        break;
    }
    if (!word("FROM"))
        return unexpected();
    ++i;
    if (tokens[i].kind != Token::Word)
        return unexpected();
    const std::string objectName = tokens[i++].text;
    const ObjectDef *o = object(objectName);
    if (!o)
        return error(400, "INVALID_TYPE",
                     "sObject type '" + objectName +
                         "' is not supported. If you are attempting to use a custom object, be "
                         "sure to append the '__c' after the entity name. Please reference your "
                         "WSDL or the describe call for the appropriate names.");
    auto noColumn = [&](const std::string &name) {
        return error(400, "INVALID_FIELD",
                     "No such column '" + name + "' on entity '" + o->name +
                         "'. If you are attempting to use a custom field, be sure to append the "
                         "'__c' after the custom field name. Please reference your WSDL or the "
                         "describe call for the appropriate names.");
    };
    std::vector<const SalesforceField *> fields;
    for (const auto &n : names) {
        const SalesforceField *f = o->field(n);
        if (!f)
            return noColumn(n);
        fields.push_back(f);
    }
    const SalesforceField *where = nullptr;
    std::set<std::string> wanted; // lower-cased
    if (word("WHERE")) {
        ++i;
        if (tokens[i].kind != Token::Word)
            return unexpected();
        where = o->field(tokens[i].text);
        if (!where)
            return noColumn(tokens[i].text);
        ++i;
        auto literal = [&]() -> bool {
            if (tokens[i].kind == Token::String || tokens[i].kind == Token::Number ||
                (tokens[i].kind == Token::Word &&
                 (lower(tokens[i].text) == "true" || lower(tokens[i].text) == "false"))) {
                wanted.insert(lower(tokens[i++].text));
                return true;
            }
            return false;
        };
        if (tokens[i].kind == Token::Punct && tokens[i].text == "=") {
            ++i;
            if (!literal())
                return unexpected();
        } else if (word("IN")) {
            ++i;
            if (!(tokens[i].kind == Token::Punct && tokens[i].text == "("))
                return unexpected();
            ++i;
            for (;;) {
                if (!literal())
                    return unexpected();
                if (tokens[i].kind == Token::Punct && tokens[i].text == ",") {
                    ++i;
                    continue;
                }
                break;
            }
            if (!(tokens[i].kind == Token::Punct && tokens[i].text == ")"))
                return unexpected();
            ++i;
        } else {
            return unexpected();
        }
    }
    std::size_t limit = SIZE_MAX;
    if (word("LIMIT")) {
        ++i;
        if (tokens[i].kind != Token::Number)
            return unexpected();
        limit = static_cast<std::size_t>(std::stoull(tokens[i++].text));
    }
    if (tokens[i].kind != Token::End)
        return unexpected();

    QueryCursor cursor;
    for (const auto &[id, r] : o->records) {
        if (cursor.records.size() >= limit)
            break;
        if (where) {
            auto v = r.fields.find(where->name);
            if (v == r.fields.end() || v->second.is_null())
                continue;
            std::string text = valueText(v->second);
            if (where->type == "id" || where->type == "reference")
                text = text.substr(0, 15); // 15- and 18-character Ids match alike
            bool hit = wanted.count(lower(text)) != 0;
            if (!hit && (where->type == "id" || where->type == "reference")) {
                for (const auto &w : wanted)
                    hit = hit || (w.size() >= 15 && w.substr(0, 15) == lower(text));
            }
            if (!hit)
                continue;
        }
        cursor.records.push_back(recordJson(*o, r, fields));
    }
    cursor.total = cursor.records.size();
    return queryPage(std::move(cursor));
}

EmuReply SalesforceEmulator::queryPage(QueryCursor cursor)
{
    const std::size_t end = std::min(cursor.records.size(), cursor.offset + m_queryPageSize);
    json page = json::array();
    for (std::size_t k = cursor.offset; k < end; ++k)
        page.push_back(std::move(cursor.records[k]));
    json body = {
        {"totalSize", cursor.total}, {"done", end >= cursor.records.size()}, {"records", page}};
    if (end < cursor.records.size()) {
        const std::string locator =
            "01gD0000000" + base62(m_nextCursor++, 4) + "-" + std::to_string(end);
        cursor.offset = end;
        body["nextRecordsUrl"] = "/services/data/v" + m_version + "/query/" + locator;
        m_cursors[locator] = std::move(cursor);
    }
    return EmuReply::json(200, body);
}

EmuReply SalesforceEmulator::queryMore(const std::string &locator)
{
    auto it = m_cursors.find(locator);
    if (it == m_cursors.end())
        return error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    QueryCursor cursor = std::move(it->second);
    m_cursors.erase(it);
    return queryPage(std::move(cursor));
}

// --- Bulk API 2.0 ----------------------------------------------------------------------------

json SalesforceEmulator::jobJson(const BulkJob &job, bool counters) const
{
    json out = {
        {"id", job.id},
        {"operation", job.operation},
        {"object", job.object},
        {"createdById", kUserId},
        {"createdDate", job.createdDate},
        {"systemModstamp", job.createdDate},
        {"state", job.state},
        {"concurrencyMode", "Parallel"},
        {"contentType", "CSV"},
        {"apiVersion", std::stod(m_version)},
        {"jobType", "V2Ingest"},
        {"contentUrl", "services/data/v" + m_version + "/jobs/ingest/" + job.id + "/batches"},
        {"lineEnding", job.lineEnding},
        {"columnDelimiter", "COMMA"}};
    if (!job.externalIdField.empty())
        out["externalIdFieldName"] = job.externalIdField;
    if (counters) {
        std::size_t failed = 0;
        for (const auto &r : job.results)
            failed += !r.success;
        out["numberRecordsProcessed"] = job.processed ? job.rows.size() : 0;
        out["numberRecordsFailed"] = failed;
        out["retries"] = 0;
        out["totalProcessingTime"] = job.processed ? 120 : 0;
        out["apiActiveProcessingTime"] = job.processed ? 80 : 0;
        out["apexProcessingTime"] = 0;
    }
    if (!job.errorMessage.empty())
        out["errorMessage"] = job.errorMessage;
    return out;
}

EmuReply SalesforceEmulator::bulk(const EmuRequest &request, const std::vector<std::string> &parts)
{
    const std::string &m = request.method;
    if (parts.size() == 2) {
        if (m == "POST")
            return createJob(request);
        if (m == "GET") {
            json records = json::array();
            for (const auto &[id, job] : m_jobs)
                records.push_back(jobJson(job, false));
            return EmuReply::json(
                200, {{"done", true}, {"records", records}, {"nextRecordsUrl", nullptr}});
        }
        return methodNotAllowed(m, "GET,POST");
    }
    auto it = m_jobs.find(normalizeId(parts[2]));
    if (it == m_jobs.end())
        return error(404, "NOT_FOUND", "The requested resource does not exist");
    BulkJob &job = it->second;
    if (parts.size() == 3) {
        if (m == "PATCH")
            return changeJobState(job, request);
        if (m == "DELETE") {
            if (job.state == "UploadComplete" || job.state == "InProgress")
                return error(400, "INVALIDJOB", "InvalidJob : Job is in progress"); // [UNCONFIRMED]
            m_jobs.erase(it);
            return EmuReply::text(204, "");
        }
        if (m != "GET")
            return methodNotAllowed(m, "GET,PATCH,DELETE");
        if (job.state == "UploadComplete" || job.state == "InProgress") {
            if (++job.polls >= m_pollsToComplete)
                processJob(job);
            else
                job.state = "InProgress";
        }
        return EmuReply::json(200, jobJson(job, true));
    }
    if (parts.size() == 4 && parts[3] == "batches") {
        if (m != "PUT")
            return methodNotAllowed(m, "PUT");
        if (!lower(request.header("content-type")).starts_with("text/csv"))
            return error(400, "INVALIDJOB",
                         "InvalidJob : Unsupported content type: " +
                             request.header("content-type")); // [UNCONFIRMED]
        if (job.state != "Open")
            return error(409, "INVALIDJOB",
                         "InvalidJob : Job " + job.id + " is not open for data uploads (state: " +
                             job.state + ")"); // [UNCONFIRMED]
        job.uploads.push_back(request.body);
        ++m_counters.bulkUploads;
        m_counters.maxUploadBytes = std::max(m_counters.maxUploadBytes, request.body.size());
        return EmuReply::text(201, "");
    }
    if (parts.size() == 4 && (parts[3] == "successfulResults" || parts[3] == "failedResults" ||
                              parts[3] == "unprocessedrecords")) {
        if (m != "GET")
            return methodNotAllowed(m, "GET");
        return jobResults(job, parts[3]);
    }
    return notFound();
}

EmuReply SalesforceEmulator::createJob(const EmuRequest &request)
{
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object())
        return error(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
    auto text = [&](const char *key) {
        auto it = body.find(key);
        return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    // Texts below are [UNCONFIRMED] except "External ID was blank …", which Bulk API 1.0 uses.
    const std::string objectName = text("object");
    const ObjectDef *o = object(objectName);
    if (!o)
        return error(400, "INVALIDJOB", "InvalidJob : Unable to find object: " + objectName);
    const std::string operation = text("operation");
    static const std::set<std::string> kOperations = {"insert", "update", "upsert", "delete",
                                                      "hardDelete"};
    if (!kOperations.count(operation))
        return error(400, "INVALIDJOB", "InvalidJob : Invalid operation: " + operation);
    if ((operation == "insert" || operation == "upsert") && !o->createable)
        return error(400, "INVALIDJOB",
                     "InvalidJob : Entity type " + o->name + " does not support " + operation);
    BulkJob job;
    job.object = o->name;
    job.operation = operation;
    if (operation == "upsert") {
        const std::string ext = text("externalIdFieldName");
        if (ext.empty())
            return error(400, "INVALIDJOB",
                         "InvalidJob : External ID was blank for " + o->name +
                             ". An External ID must be specified for upsert.");
        const SalesforceField *f = o->field(ext);
        if (!f || !f->externalId)
            return error(400, "INVALIDJOB",
                         "InvalidJob : Field name provided, " + ext +
                             " is not an External ID or indexed field for " + o->name);
        job.externalIdField = f->name;
    }
    if (const std::string type = text("contentType"); !type.empty() && type != "CSV")
        return error(400, "INVALIDJOB", "InvalidJob : Unsupported content type: " + type);
    if (const std::string d = text("columnDelimiter"); !d.empty() && d != "COMMA")
        return error(400, "INVALIDJOB",
                     "InvalidJob : This emulator reads only COMMA-delimited data, not " + d);
    if (const std::string le = text("lineEnding"); !le.empty()) {
        if (le != "LF" && le != "CRLF")
            return error(400, "INVALIDJOB", "InvalidJob : Invalid lineEnding: " + le);
        job.lineEnding = le;
    }
    const std::string id15 = "7505g" + base62(m_nextJob++, 10);
    job.id = id15 + idSuffix(id15);
    job.createdDate = nowIso();
    ++m_counters.bulkJobsCreated;
    const json answer = jobJson(job, false);
    m_jobs[job.id] = std::move(job);
    return EmuReply::json(200, answer);
}

EmuReply SalesforceEmulator::changeJobState(BulkJob &job, const EmuRequest &request)
{
    const json body = json::parse(request.body, nullptr, false);
    const std::string state =
        body.is_object() && body.contains("state") && body["state"].is_string()
            ? body["state"].get<std::string>()
            : std::string();
    if (state == "Aborted") {
        if (job.state != "Open" && job.state != "UploadComplete" && job.state != "InProgress")
            return error(400, "INVALIDJOB",
                         "InvalidJob : Job " + job.id + " cannot be aborted in state " +
                             job.state); // [UNCONFIRMED]
        if (job.header.empty() && !job.uploads.empty()) {
            // What was uploaded is what was not processed.
            std::vector<std::vector<std::string>> rows;
            std::string why;
            if (parseCsv(job.uploads.front(), rows, why) && !rows.empty()) {
                job.header = std::move(rows.front());
                job.rows.assign(std::make_move_iterator(rows.begin() + 1),
                                std::make_move_iterator(rows.end()));
            }
        }
        job.state = "Aborted";
        ++m_counters.bulkJobsAborted;
        return EmuReply::json(200, jobJson(job, false));
    }
    if (state != "UploadComplete")
        return error(400, "INVALIDJOB", "InvalidJob : Invalid state: " + state); // [UNCONFIRMED]
    if (job.state != "Open")
        return error(409, "INVALIDJOB",
                     "InvalidJob : Job " + job.id +
                         " is not in the Open state (state: " + job.state + ")"); // [UNCONFIRMED]
    if (job.uploads.empty())
        return error(400, "INVALIDJOB",
                     "InvalidJob : No data was uploaded to job " + job.id); // [UNCONFIRMED]
    if (job.uploads.size() > 1) {
        char message[512];
        std::snprintf(message, sizeof message, kMultipleContents, job.id.substr(0, 15).c_str());
        return error(400, "INVALIDJOB", message);
    }
    std::vector<std::vector<std::string>> rows;
    std::string why;
    const ObjectDef *o = object(job.object);
    job.state = "UploadComplete";
    if (!parseCsv(job.uploads.front(), rows, why) || rows.empty()) {
        job.state = "Failed";
        job.errorMessage = "InvalidBatch : Failed to parse CSV: " +
                           (why.empty() ? std::string("no header row") : why); // [UNCONFIRMED]
        return EmuReply::json(200, jobJson(job, false));
    }
    job.header = std::move(rows.front());
    rows.erase(rows.begin());
    job.rows = std::move(rows);
    for (auto &name : job.header) {
        const SalesforceField *f = o->field(name);
        if (!f) {
            job.state = "Failed";
            job.errorMessage = "InvalidBatch : Field name not found : " + name;
            break;
        }
    }
    const bool byId =
        job.operation == "update" || job.operation == "delete" || job.operation == "hardDelete";
    const std::string needed = byId ? std::string("Id") : job.externalIdField;
    if (job.state != "Failed" && !needed.empty() &&
        std::none_of(job.header.begin(), job.header.end(),
                     [&](const std::string &h) { return iequals(h, needed); })) {
        job.state = "Failed";
        job.errorMessage = "InvalidBatch : Field name not found : " + needed; // [UNCONFIRMED]
    }
    return EmuReply::json(200, jobJson(job, false));
}

void SalesforceEmulator::processJob(BulkJob &job)
{
    ObjectDef &o = *object(job.object);
    std::vector<const SalesforceField *> columns;
    for (const auto &name : job.header)
        columns.push_back(o.field(name));
    const bool remove = job.operation == "delete" || job.operation == "hardDelete";
    const WriteMode mode = job.operation == "upsert"   ? WriteMode::Upsert
                           : job.operation == "update" ? WriteMode::Update
                                                       : WriteMode::Create;
    for (std::size_t k = 0; k < job.rows.size(); ++k) {
        const auto &row = job.rows[k];
        BulkResultRow result;
        result.row = k;
        std::map<std::string, json> values;
        std::string id;
        std::string conversion;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::string cell = c < row.size() ? row[c] : std::string();
            if (columns[c]->name == "Id") {
                id = cell;
                continue;
            }
            if (cell.empty() || remove)
                continue; // an empty cell leaves the field as it is
            json v;
            std::string why;
            if (!fromCsv(*columns[c], cell, v, why)) {
                if (conversion.empty())
                    conversion = "INVALID_FIELD:Failed to deserialize field at col " +
                                 std::to_string(c + 1) + ". Due to, " + why + ":" +
                                 columns[c]->name + " --";
                continue;
            }
            values[columns[c]->name] = std::move(v);
        }
        WriteResult w;
        if (row.size() > columns.size()) {
            result.error = "INVALID_FIELD:Too many values in this row:--"; // [UNCONFIRMED]
        } else if (!conversion.empty()) {
            result.error = conversion;
        } else if (remove) {
            w = this->remove(o, id, nullptr);
        } else {
            w = write(o, mode, std::move(values), job.externalIdField, id, nullptr);
        }
        if (result.error.empty()) {
            result.success = w.success;
            result.created = w.created;
            result.id = w.success ? w.id : normalizeId(id);
            for (const auto &e : w.errors)
                result.error += e.statusCode + ":" + e.message + errorText(e.fields);
        }
        if (result.success)
            ++(remove ? m_counters.deleted : w.created ? m_counters.created : m_counters.updated);
        else
            ++m_counters.recordErrors;
        job.results.push_back(std::move(result));
    }
    if (m_shuffle && job.results.size() > 1) {
        for (std::size_t k = job.results.size() - 1; k > 0; --k) {
            m_shuffleState ^= m_shuffleState << 13;
            m_shuffleState ^= m_shuffleState >> 17;
            m_shuffleState ^= m_shuffleState << 5;
            std::swap(job.results[k], job.results[m_shuffleState % (k + 1)]);
        }
    }
    job.processed = true;
    job.state = "JobComplete";
    ++m_counters.bulkJobsCompleted;
    m_counters.bulkRowsByOperation[job.operation] += static_cast<long>(job.rows.size());
}

EmuReply SalesforceEmulator::jobResults(const BulkJob &job, const std::string &kind) const
{
    if (job.state != "JobComplete" && job.state != "Failed" && job.state != "Aborted")
        return error(400, "INVALIDJOB",
                     "InvalidJob : Results are not available before the job is complete (state: " +
                         job.state + ")"); // [UNCONFIRMED]
    const std::string eol = job.lineEnding == "CRLF" ? "\r\n" : "\n";
    std::string out;
    auto header = [&](std::initializer_list<const char *> first) {
        bool any = false;
        for (const char *h : first) {
            out += any ? "," : "";
            appendCsvQuoted(out, h);
            any = true;
        }
        for (const auto &h : job.header) {
            out += any ? "," : "";
            appendCsvQuoted(out, h);
            any = true;
        }
        out += eol;
    };
    auto original = [&](std::size_t row) {
        const auto &cells = job.rows[row];
        for (std::size_t c = 0; c < job.header.size(); ++c) {
            out += ',';
            appendCsvQuoted(out, c < cells.size() ? cells[c] : std::string());
        }
        out += eol;
    };
    if (kind == "unprocessedrecords") {
        header({});
        if (!out.empty() && out.front() == ',')
            out.erase(out.begin());
        if (!job.processed) {
            for (std::size_t r = 0; r < job.rows.size(); ++r) {
                std::string line;
                for (std::size_t c = 0; c < job.header.size(); ++c) {
                    line += c ? "," : "";
                    appendCsvQuoted(line, c < job.rows[r].size() ? job.rows[r][c] : "");
                }
                out += line + eol;
            }
        }
        return EmuReply::text(200, out, "text/csv");
    }
    const bool successes = kind == "successfulResults";
    header({"sf__Id", successes ? "sf__Created" : "sf__Error"});
    for (const auto &r : job.results) {
        if (r.success != successes)
            continue;
        appendCsvQuoted(out, r.id);
        out += ',';
        appendCsvQuoted(out, successes ? (r.created ? "true" : "false") : r.error);
        original(r.row);
    }
    return EmuReply::text(200, out, "text/csv");
}

} // namespace sluice::emu

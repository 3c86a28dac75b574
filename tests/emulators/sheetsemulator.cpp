#include "sheetsemulator.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace sluice::emu {

namespace {

using json = nlohmann::json;
using Grid = std::vector<std::vector<json>>;

// Messages. Sources: reference/saas-apis.md §1 ([doc]/[obs] there), and real answers quoted in
// public issues: 50,000 characters (freelabz/secator#96), grid limits (home-assistant/core#104198,
// cloudfour/lighthouse-parade#151), valueInputOption missing (google-api-dotnet-client#1287,
// #2525), bad enum value (johnkhansrc/NestGoogleSheetConnector#6), cell limit inside a batch
// (robin900/gspread-dataframe#37), 403 (googleapis/google-api-ruby-client#461). Texts marked
// [assumed] were not found in any source.
const char *const kTooLong =
    "Your input contains more than the maximum of 50000 characters in a single cell.";
const char *const kCellLimitMessage =
    "This action would increase the number of cells in the workbook "
    "above the limit of 10000000 cells.";
const char *const kNoValueInputOption = "'valueInputOption' is required but not specified";
const char *const kUnauthenticated =
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project.";
const char *const kPermissionDenied = "The caller does not have permission";
const char *const kNotFound = "Requested entity was not found."; // [assumed]

std::string lower(std::string s)
{
    for (auto &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Characters as Google counts them is not documented; UTF-16 code units (what a Java string
// holds) is the stricter reading of "characters" for text outside the BMP. [assumed]
std::size_t utf16Length(std::string_view s)
{
    std::size_t n = 0;
    for (unsigned char c : s) {
        if ((c & 0xc0) != 0x80)
            n += (c >= 0xf0) ? 2 : 1;
    }
    return n;
}

std::string columnName(int column)
{
    std::string out;
    for (int c = column + 1; c > 0; c = (c - 1) / 26)
        out.insert(out.begin(), static_cast<char>('A' + (c - 1) % 26));
    return out;
}

// "AB12" → column 27, row 11 (0-based); either part may be missing (-1).
bool parseRef(std::string_view ref, int &column, int &row)
{
    column = row = -1;
    std::size_t i = 0;
    long long c = 0;
    while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) {
        c = c * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
        if (c > 18278) // ZZZ, Google's last column
            return false;
        ++i;
    }
    if (i > 0)
        column = static_cast<int>(c - 1);
    const std::size_t digits = i;
    long long r = 0;
    while (i < ref.size() && std::isdigit(static_cast<unsigned char>(ref[i]))) {
        r = r * 10 + (ref[i] - '0');
        if (r > 100'000'000)
            return false;
        ++i;
    }
    if (i != ref.size() || (i == digits && column < 0))
        return false;
    if (i > digits) {
        if (r == 0)
            return false;
        row = static_cast<int>(r - 1);
    }
    return column >= 0 || row >= 0;
}

// Google writes a tab name bare when it is a plain word, quoted otherwise.
std::string quoteTitle(const std::string &title)
{
    bool plain = !title.empty() && std::isalpha(static_cast<unsigned char>(title[0]));
    for (char c : title)
        plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    // "AB12" would read as a cell.
    int col = 0, row = 0;
    if (plain && title.size() <= 9 && parseRef(title, col, row) && col >= 0 && row >= 0)
        plain = false;
    if (plain)
        return title;
    std::string out = "'";
    for (char c : title) {
        out += c;
        if (c == '\'')
            out += '\'';
    }
    return out + "'";
}

bool isEmpty(const json &v)
{
    return v.is_null() || (v.is_string() && v.get_ref<const std::string &>().empty());
}

std::string formatted(const json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_boolean())
        return v.get<bool>() ? "TRUE" : "FALSE";
    if (v.is_number_integer() || v.is_number_unsigned())
        return v.dump();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::floor(d) == d && std::fabs(d) < 1e15)
            return std::to_string(static_cast<long long>(d));
        return v.dump();
    }
    return {};
}

// "USER_ENTERED": what typing the text into the UI would store.
json userEntered(const json &v)
{
    if (!v.is_string())
        return v;
    const std::string &s = v.get_ref<const std::string &>();
    if (!s.empty() && s[0] == '\'')
        return s.substr(1);
    if (s == "TRUE" || s == "true")
        return true;
    if (s == "FALSE" || s == "false")
        return false;
    double d = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (!s.empty() && ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(d)) {
        if (std::floor(d) == d && std::fabs(d) < 9e15)
            return static_cast<std::int64_t>(d);
        return d;
    }
    return v;
}

std::string enumError(const std::string &field, const std::string &type, const std::string &value)
{
    return "Invalid value at '" + field + "' (type.googleapis.com/google.apps.sheets.v4." + type +
           "), \"" + value + "\"";
}

std::string unknownName(const std::string &name, const std::string &where)
{
    return "Invalid JSON payload received. Unknown name \"" + name + "\"" +
           (where.empty() ? std::string() : " at '" + where + "'") + ": Cannot find field.";
}

std::optional<std::string> unknownField(const json &object,
                                        std::initializer_list<const char *> known,
                                        const std::string &where)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool ok = false;
        for (const char *k : known)
            ok = ok || it.key() == k;
        if (!ok)
            return unknownName(it.key(), where);
    }
    return std::nullopt;
}

json tabJson(const SheetsTabInfo &t)
{
    json p = {{"sheetId", t.sheetId},
              {"title", t.title},
              {"index", t.index},
              {"sheetType", "GRID"},
              {"gridProperties", {{"rowCount", t.rowCount}, {"columnCount", t.columnCount}}}};
    if (t.hidden)
        p["hidden"] = true;
    return p;
}

// A count or index; anything negative reads as -1 so range checks refuse it.
int intField(const json &o, const char *key, int fallback)
{
    auto it = o.find(key);
    if (it == o.end() || !it->is_number_integer())
        return fallback;
    const auto v = it->get<std::int64_t>();
    return static_cast<int>(std::clamp<std::int64_t>(v, -1, 100'000'000));
}

std::int64_t idField(const json &o, const char *key, std::int64_t fallback)
{
    auto it = o.find(key);
    if (it == o.end() || !it->is_number_integer())
        return fallback;
    return std::max<std::int64_t>(it->get<std::int64_t>(), -1);
}

} // namespace

SheetsEmulator::SheetsEmulator()
{
    m_validator = [](const std::string &token) {
        return token == kAccessToken ? std::string(kCaller) : std::string();
    };
}

void SheetsEmulator::setTokenValidator(std::function<std::string(const std::string &)> validator)
{
    m_validator = std::move(validator);
}

std::string SheetsEmulator::newId()
{
    // 44 characters like Google's ids, deterministic per emulator.
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::uint64_t x = m_nextId++ * 0x9E3779B97F4A7C15ULL;
    std::string id = "1";
    while (id.size() < 44) {
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9ULL;
        x ^= x >> 27;
        id += kAlphabet[x & 63];
    }
    return id;
}

std::string SheetsEmulator::addSpreadsheet(const std::string &title, const std::string &owner)
{
    Spreadsheet s;
    s.id = newId();
    s.title = title;
    s.owner = owner;
    s.editors.insert(owner);
    Tab t;
    t.info = SheetsTabInfo{0, "Sheet1", 0, 1000, 26, false};
    s.tabs.push_back(std::move(t));
    const std::string id = s.id;
    m_spreadsheets.emplace(id, std::move(s));
    return id;
}

std::int64_t SheetsEmulator::addTab(const std::string &spreadsheetId, const std::string &title,
                                    int rowCount, int columnCount)
{
    Spreadsheet &s = m_spreadsheets.at(spreadsheetId);
    Tab t;
    t.info = SheetsTabInfo{m_nextSheetId++, title,       static_cast<int>(s.tabs.size()),
                           rowCount,        columnCount, false};
    s.tabs.push_back(std::move(t));
    return s.tabs.back().info.sheetId;
}

void SheetsEmulator::setValues(const std::string &spreadsheetId, const std::string &tab, int row,
                               int column, const std::vector<std::vector<json>> &values)
{
    Spreadsheet &s = m_spreadsheets.at(spreadsheetId);
    Tab *t = findTab(s, tab);
    if (!t)
        throw std::invalid_argument("no tab " + tab);
    Area area;
    area.tab = static_cast<std::size_t>(t - s.tabs.data());
    area.row = row;
    area.column = column;
    area.endRow = row + static_cast<int>(values.size());
    area.endColumn = column;
    for (const auto &r : values)
        area.endColumn = std::max(area.endColumn, column + static_cast<int>(r.size()));
    t->info.rowCount = std::max(t->info.rowCount, area.endRow);
    t->info.columnCount = std::max(t->info.columnCount, area.endColumn);
    write(s, area, values);
}

void SheetsEmulator::setHidden(const std::string &spreadsheetId, const std::string &tab,
                               bool hidden)
{
    Tab *t = findTab(m_spreadsheets.at(spreadsheetId), tab);
    if (!t)
        throw std::invalid_argument("no tab " + tab);
    t->info.hidden = hidden;
}

void SheetsEmulator::removeTab(const std::string &spreadsheetId, const std::string &tab)
{
    Spreadsheet &s = m_spreadsheets.at(spreadsheetId);
    Tab *t = findTab(s, tab);
    if (!t)
        throw std::invalid_argument("no tab " + tab);
    s.tabs.erase(s.tabs.begin() + (t - s.tabs.data()));
    for (std::size_t i = 0; i < s.tabs.size(); ++i)
        s.tabs[i].info.index = static_cast<int>(i);
}

void SheetsEmulator::removeRows(const std::string &spreadsheetId, const std::string &tab, int row,
                                int count)
{
    Tab *t = findTab(m_spreadsheets.at(spreadsheetId), tab);
    if (!t || row < 0 || count < 1 || row + count > t->info.rowCount)
        throw std::invalid_argument("bad rows");
    const auto from = std::min<std::size_t>(static_cast<std::size_t>(row), t->rows.size());
    const auto to = std::min<std::size_t>(static_cast<std::size_t>(row + count), t->rows.size());
    t->rows.erase(t->rows.begin() + static_cast<std::ptrdiff_t>(from),
                  t->rows.begin() + static_cast<std::ptrdiff_t>(to));
    t->info.rowCount -= count;
}

void SheetsEmulator::share(const std::string &spreadsheetId, const std::string &email)
{
    m_spreadsheets.at(spreadsheetId).editors.insert(email);
}

void SheetsEmulator::unshare(const std::string &spreadsheetId, const std::string &email)
{
    m_spreadsheets.at(spreadsheetId).editors.erase(email);
}

std::vector<std::string> SheetsEmulator::spreadsheetIds() const
{
    std::vector<std::string> out;
    for (const auto &[id, s] : m_spreadsheets)
        out.push_back(id);
    return out;
}

std::string SheetsEmulator::title(const std::string &spreadsheetId) const
{
    const Spreadsheet *s = find(spreadsheetId);
    return s ? s->title : std::string();
}

std::vector<SheetsTabInfo> SheetsEmulator::tabs(const std::string &spreadsheetId) const
{
    std::vector<SheetsTabInfo> out;
    if (const Spreadsheet *s = find(spreadsheetId)) {
        for (const auto &t : s->tabs)
            out.push_back(t.info);
    }
    return out;
}

std::optional<SheetsTabInfo> SheetsEmulator::tab(const std::string &spreadsheetId,
                                                 const std::string &title) const
{
    const Spreadsheet *s = find(spreadsheetId);
    const Tab *t = s ? findTab(*s, title) : nullptr;
    if (!t)
        return std::nullopt;
    return t->info;
}

std::vector<std::vector<json>> SheetsEmulator::values(const std::string &spreadsheetId,
                                                      const std::string &tab) const
{
    const Spreadsheet *s = find(spreadsheetId);
    const Tab *t = s ? findTab(*s, tab) : nullptr;
    if (!t)
        return {};
    Grid out = t->rows;
    for (auto &row : out) {
        while (!row.empty() && isEmpty(row.back()))
            row.pop_back();
    }
    while (!out.empty() && out.back().empty())
        out.pop_back();
    return out;
}

std::int64_t SheetsEmulator::cellCount(const std::string &spreadsheetId) const
{
    const Spreadsheet *s = find(spreadsheetId);
    return s ? cells(*s) : 0;
}

std::int64_t SheetsEmulator::cells(const Spreadsheet &s)
{
    std::int64_t n = 0;
    for (const auto &t : s.tabs)
        n += static_cast<std::int64_t>(t.info.rowCount) * t.info.columnCount;
    return n;
}

SheetsEmulator::Spreadsheet *SheetsEmulator::find(const std::string &id)
{
    auto it = m_spreadsheets.find(id);
    return it == m_spreadsheets.end() ? nullptr : &it->second;
}

const SheetsEmulator::Spreadsheet *SheetsEmulator::find(const std::string &id) const
{
    auto it = m_spreadsheets.find(id);
    return it == m_spreadsheets.end() ? nullptr : &it->second;
}

SheetsEmulator::Tab *SheetsEmulator::findTab(Spreadsheet &s, const std::string &title)
{
    return const_cast<Tab *>(findTab(static_cast<const Spreadsheet &>(s), title));
}

const SheetsEmulator::Tab *SheetsEmulator::findTab(const Spreadsheet &s,
                                                   const std::string &title) const
{
    for (const auto &t : s.tabs) {
        if (t.info.title == title)
            return &t;
    }
    // Sheet names in ranges are not case-sensitive.
    const std::string l = lower(title);
    for (const auto &t : s.tabs) {
        if (lower(t.info.title) == l)
            return &t;
    }
    return nullptr;
}

// ---- errors ---------------------------------------------------------------------------------

EmuReply SheetsEmulator::error(int status, const std::string &message,
                               const std::string &statusText)
{
    if (status == 400)
        ++m_counters.badRequests;
    return EmuReply::json(
        status, {{"error", {{"code", status}, {"message", message}, {"status", statusText}}}});
}

EmuReply SheetsEmulator::error(const Failure &f)
{
    return error(f.status, f.message, f.statusText);
}

EmuReply SheetsEmulator::rateLimited(bool withRetryAfter)
{
    // Body observed for a write quota (reference §1); Google does not document Retry-After.
    json body = {
        {"error",
         {{"code", 429},
          {"message", "Quota exceeded for quota metric 'Write requests' and limit 'Write "
                      "requests per minute per user' of service 'sheets.googleapis.com' for "
                      "consumer 'project_number:269908437164'."},
          {"status", "RESOURCE_EXHAUSTED"},
          {"details", json::array({{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                    {"reason", "RATE_LIMIT_EXCEEDED"},
                                    {"domain", "googleapis.com"},
                                    {"metadata",
                                     {{"consumer", "projects/269908437164"},
                                      {"quota_limit", "WriteRequestsPerMinutePerUser"},
                                      {"quota_metric", "sheets.googleapis.com/write_requests"},
                                      {"service", "sheets.googleapis.com"}}}}})}}}};
    EmuReply reply = EmuReply::json(429, body);
    if (withRetryAfter)
        reply.headers.emplace_back("Retry-After", "1");
    return reply;
}

EmuReply SheetsEmulator::serverError(int status)
{
    // Google's usual texts for these statuses [assumed].
    if (status == 503)
        return EmuReply::json(503, {{"error",
                                     {{"code", 503},
                                      {"message", "The service is currently unavailable."},
                                      {"status", "UNAVAILABLE"}}}});
    return EmuReply::json(
        status,
        {{"error",
          {{"code", status}, {"message", "Internal error encountered."}, {"status", "INTERNAL"}}}});
}

std::optional<EmuReply> SheetsEmulator::checkQuota(bool write)
{
    const int quota = write ? m_writeQuota : m_readQuota;
    if (quota <= 0)
        return std::nullopt;
    auto &window = write ? m_writes : m_reads;
    const auto now = std::chrono::steady_clock::now();
    while (!window.empty() && now - window.front() >= std::chrono::minutes(1))
        window.pop_front();
    if (static_cast<int>(window.size()) < quota) {
        window.push_back(now);
        return std::nullopt;
    }
    ++m_counters.rateLimited;
    EmuReply reply = rateLimited(false);
    if (!write) {
        json body = json::parse(reply.body);
        body["error"]["message"] =
            "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per "
            "minute per user' of service 'sheets.googleapis.com' for consumer "
            "'project_number:269908437164'.";
        auto &meta = body["error"]["details"][0]["metadata"];
        meta["quota_limit"] = "ReadRequestsPerMinutePerUser";
        meta["quota_metric"] = "sheets.googleapis.com/read_requests";
        reply = EmuReply::json(429, body);
    }
    return reply;
}

// ---- dispatch -------------------------------------------------------------------------------

EmuReply SheetsEmulator::handle(const EmuRequest &request)
{
    ++m_counters.requests;
    m_counters.maxBodyBytes = std::max(m_counters.maxBodyBytes, request.body.size());

    const std::string auth = request.header("authorization");
    std::string caller;
    if (auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer ")
        caller = m_validator(auth.substr(7));
    if (caller.empty()) {
        ++m_counters.unauthorized;
        EmuReply reply = error(401, kUnauthenticated, "UNAUTHENTICATED");
        reply.headers.emplace_back("WWW-Authenticate",
                                   "Bearer realm=\"https://accounts.google.com/\""); // [assumed]
        return reply;
    }

    const std::string prefix = "/v4/spreadsheets";
    const std::string &path = request.path;
    if (path.rfind(prefix, 0) != 0)
        return EmuReply::text(404, "Not Found");
    std::string rest = path.substr(prefix.size());

    enum class Op
    {
        Create,
        Get,
        BatchUpdate,
        ValuesGet,
        ValuesUpdate,
        ValuesAppend,
        ValuesClear,
        ValuesBatchUpdate,
        ValuesBatchClear,
        None
    };
    Op op = Op::None;
    std::string id, range;
    if (rest.empty() || rest == "/") {
        if (request.method == "POST")
            op = Op::Create;
    } else if (rest[0] == '/') {
        rest.erase(0, 1);
        if (auto pos = rest.find("/values/"); pos != std::string::npos) {
            id = rest.substr(0, pos);
            range = rest.substr(pos + 8);
            auto strip = [&range](std::string_view suffix) {
                if (range.size() > suffix.size() && range.ends_with(suffix)) {
                    range.resize(range.size() - suffix.size());
                    return true;
                }
                return false;
            };
            if (request.method == "GET")
                op = Op::ValuesGet;
            else if (request.method == "PUT")
                op = Op::ValuesUpdate;
            else if (request.method == "POST" && strip(":append"))
                op = Op::ValuesAppend;
            else if (request.method == "POST" && strip(":clear"))
                op = Op::ValuesClear;
        } else if (rest.ends_with("/values:batchUpdate") && request.method == "POST") {
            id = rest.substr(0, rest.size() - 19);
            op = Op::ValuesBatchUpdate;
        } else if (rest.ends_with("/values:batchClear") && request.method == "POST") {
            id = rest.substr(0, rest.size() - 18);
            op = Op::ValuesBatchClear;
        } else if (rest.ends_with(":batchUpdate") && request.method == "POST") {
            id = rest.substr(0, rest.size() - 12);
            op = Op::BatchUpdate;
        } else if (rest.find('/') == std::string::npos && request.method == "GET") {
            id = rest;
            op = Op::Get;
        }
    }
    if (op == Op::None)
        return EmuReply::text(404, "Not Found");

    const bool isWrite = op != Op::Get && op != Op::ValuesGet;
    if (auto limited = checkQuota(isWrite))
        return *limited;

    json body;
    if (request.method == "POST" || request.method == "PUT") {
        if (!request.body.empty()) {
            body = json::parse(request.body, nullptr, false);
            if (body.is_discarded() || !body.is_object())
                return error(400, "Invalid JSON payload received. Unexpected token.", // [assumed]
                             "INVALID_ARGUMENT");
        } else {
            body = json::object();
        }
    }

    if (op == Op::Create)
        return createSpreadsheet(request, caller);

    Spreadsheet *s = find(id);
    if (!s)
        return error(404, kNotFound, "NOT_FOUND");
    if (!s->editors.count(caller)) {
        ++m_counters.forbidden;
        return error(403, kPermissionDenied, "PERMISSION_DENIED");
    }

    EmuReply reply;
    std::string method;
    switch (op) {
    case Op::Get:
        reply = getSpreadsheet(*s);
        method = "get";
        break;
    case Op::BatchUpdate:
        reply = batchUpdate(*s, body);
        method = "batchUpdate";
        break;
    case Op::ValuesGet:
        reply = valuesGet(*s, range, request);
        method = "values.get";
        break;
    case Op::ValuesUpdate:
        reply = valuesUpdate(*s, range, request, body);
        method = "values.update";
        break;
    case Op::ValuesAppend:
        reply = valuesAppend(*s, range, request, body);
        method = "values.append";
        break;
    case Op::ValuesClear:
        if (auto bad = unknownField(body, {}, ""))
            return error(400, *bad, "INVALID_ARGUMENT");
        reply = valuesClear(*s, {range}, false);
        method = "values.clear";
        break;
    case Op::ValuesBatchUpdate:
        reply = valuesBatchUpdate(*s, body);
        method = "values.batchUpdate";
        break;
    case Op::ValuesBatchClear: {
        if (auto bad = unknownField(body, {"ranges"}, ""))
            return error(400, *bad, "INVALID_ARGUMENT");
        std::vector<std::string> ranges;
        if (auto it = body.find("ranges"); it != body.end() && it->is_array()) {
            for (const auto &r : *it) {
                if (r.is_string())
                    ranges.push_back(r.get<std::string>());
            }
        }
        reply = valuesClear(*s, ranges, true);
        method = "values.batchClear";
        break;
    }
    case Op::Create:
    case Op::None:
        break;
    }
    if (reply.status >= 200 && reply.status < 300) {
        ++m_counters.byMethod[method];
        ++(isWrite ? m_counters.writes : m_counters.reads);
    }
    return reply;
}

// ---- spreadsheets ---------------------------------------------------------------------------

EmuReply SheetsEmulator::createSpreadsheet(const EmuRequest &request, const std::string &caller)
{
    const json body = request.body.empty() ? json::object() : json::parse(request.body);
    Spreadsheet s;
    s.id = newId();
    s.owner = caller;
    s.editors.insert(caller);
    s.title = "Untitled spreadsheet";
    if (auto p = body.find("properties"); p != body.end() && p->is_object()) {
        if (auto t = p->find("title"); t != p->end() && t->is_string())
            s.title = t->get<std::string>();
    }
    if (auto list = body.find("sheets"); list != body.end() && list->is_array()) {
        for (const auto &sheet : *list) {
            const json p =
                sheet.is_object() && sheet.contains("properties") && sheet["properties"].is_object()
                    ? sheet["properties"]
                    : json::object();
            Tab t;
            t.info.sheetId =
                s.tabs.empty() && !p.contains("sheetId") ? 0 : idField(p, "sheetId", -1);
            if (t.info.sheetId < 0)
                t.info.sheetId = m_nextSheetId++;
            t.info.title = p.value("title", "Sheet" + std::to_string(s.tabs.size() + 1));
            t.info.index = static_cast<int>(s.tabs.size());
            t.info.hidden = p.value("hidden", false);
            const json g = p.value("gridProperties", json::object());
            t.info.rowCount = intField(g, "rowCount", 1000);
            t.info.columnCount = intField(g, "columnCount", 26);
            if (t.info.rowCount < 1 || t.info.columnCount < 1)
                return error(400,
                             "Invalid sheets[" + std::to_string(s.tabs.size()) +
                                 "]: the grid needs at least one row and one column.",
                             "INVALID_ARGUMENT"); // [assumed]
            if (findTab(s, t.info.title))
                return error(400,
                             "Invalid sheets[" + std::to_string(s.tabs.size()) +
                                 "]: A sheet with the name \"" + t.info.title +
                                 "\" already exists. Please enter another name.",
                             "INVALID_ARGUMENT"); // [assumed]
            s.tabs.push_back(std::move(t));
        }
    }
    if (s.tabs.empty()) {
        Tab t;
        t.info = SheetsTabInfo{0, "Sheet1", 0, 1000, 26, false};
        s.tabs.push_back(std::move(t));
    }
    if (cells(s) > kCellLimit)
        return error(400, kCellLimitMessage, "INVALID_ARGUMENT");
    const std::string id = s.id;
    auto &stored = m_spreadsheets.emplace(id, std::move(s)).first->second;
    ++m_counters.byMethod["create"];
    ++m_counters.writes;
    return getSpreadsheet(stored);
}

EmuReply SheetsEmulator::getSpreadsheet(Spreadsheet &s)
{
    json sheets = json::array();
    for (const auto &t : s.tabs)
        sheets.push_back({{"properties", tabJson(t.info)}});
    return EmuReply::json(
        200, {{"spreadsheetId", s.id},
              {"properties",
               {{"title", s.title},
                {"locale", "en_US"},
                {"autoRecalc", "ON_CHANGE"},
                {"timeZone", "Etc/GMT"}}},
              {"sheets", sheets},
              // URL format [UNCONFIRMED] (reference §1).
              {"spreadsheetUrl", "https://docs.google.com/spreadsheets/d/" + s.id + "/edit"}});
}

EmuReply SheetsEmulator::batchUpdate(Spreadsheet &s, const json &body)
{
    if (auto bad = unknownField(body,
                                {"requests", "includeSpreadsheetInResponse", "responseRanges",
                                 "responseIncludeGridData"},
                                ""))
        return error(400, *bad, "INVALID_ARGUMENT");
    auto list = body.find("requests");
    if (list == body.end() || !list->is_array() || list->empty())
        return error(400, "Must specify at least one request.", "INVALID_ARGUMENT"); // [assumed]

    // Google applies a batch atomically: every request is tried on a copy of the tab list
    // first (grids are not copied; only the apply pass touches cells).
    struct Meta
    {
        SheetsTabInfo info;
        Tab *tab; // null for a tab added by this batch
    };
    auto run = [&](bool apply, json &replies) -> std::optional<std::string> {
        std::vector<Meta> meta;
        for (auto &t : s.tabs)
            meta.push_back(Meta{t.info, &t});
        std::vector<Tab> added; // apply pass: new tabs, moved in at the end
        std::vector<std::int64_t> deleted;
        auto byId = [&](std::int64_t id) -> Meta * {
            for (auto &m : meta) {
                if (m.info.sheetId == id)
                    return &m;
            }
            return nullptr;
        };
        auto total = [&] {
            std::int64_t n = 0;
            for (const auto &m : meta)
                n += static_cast<std::int64_t>(m.info.rowCount) * m.info.columnCount;
            return n;
        };
        auto reindex = [&] {
            for (std::size_t i = 0; i < meta.size(); ++i)
                meta[i].info.index = static_cast<int>(i);
        };
        auto gridOf = [&](Meta &m) -> Grid * {
            if (!apply)
                return nullptr;
            if (m.tab)
                return &m.tab->rows;
            for (auto &t : added) {
                if (t.info.sheetId == m.info.sheetId)
                    return &t.rows;
            }
            return nullptr;
        };

        for (std::size_t i = 0; i < list->size(); ++i) {
            const json &req = (*list)[i];
            const std::string at = "requests[" + std::to_string(i) + "]";
            if (!req.is_object() || req.size() != 1)
                return "Invalid " + at + ": exactly one kind of request must be set."; // [assumed]
            const std::string kind = req.begin().key();
            const json &r = req.begin().value();
            const std::string prefix = "Invalid " + at + "." + kind + ": ";
            json reply = json::object();
            if (!r.is_object())
                return prefix + "the request must be an object."; // [assumed]

            if (kind == "addSheet") {
                const json p = r.value("properties", json::object());
                SheetsTabInfo t;
                t.sheetId = idField(p, "sheetId", -1);
                if (p.contains("sheetId") && (t.sheetId < 0 || byId(t.sheetId)))
                    return prefix + "A sheet with the id " + p["sheetId"].dump() +
                           " already exists."; // [assumed]
                if (t.sheetId < 0)
                    t.sheetId = m_nextSheetId + static_cast<std::int64_t>(i);
                t.title = p.value("title", std::string());
                if (t.title.empty()) {
                    for (int n = static_cast<int>(meta.size()) + 1;; ++n) {
                        t.title = "Sheet" + std::to_string(n);
                        bool taken = false;
                        for (const auto &m : meta)
                            taken = taken || lower(m.info.title) == lower(t.title);
                        if (!taken)
                            break;
                    }
                }
                for (const auto &m : meta) {
                    if (lower(m.info.title) == lower(t.title))
                        return prefix + "A sheet with the name \"" + t.title +
                               "\" already exists. Please enter another name."; // [assumed]
                }
                const json g = p.value("gridProperties", json::object());
                t.rowCount = intField(g, "rowCount", 1000);
                t.columnCount = intField(g, "columnCount", 26);
                t.hidden = p.value("hidden", false);
                if (t.rowCount < 1 || t.columnCount < 1)
                    return prefix + "the grid needs at least one row and one column."; // [assumed]
                const int index = std::clamp(intField(p, "index", static_cast<int>(meta.size())), 0,
                                             static_cast<int>(meta.size()));
                meta.insert(meta.begin() + index, Meta{t, nullptr});
                reindex();
                if (total() > kCellLimit)
                    return prefix + kCellLimitMessage;
                if (apply) {
                    Tab tab;
                    tab.info = t;
                    added.push_back(std::move(tab));
                }
                reply = {{"addSheet", {{"properties", tabJson(byId(t.sheetId)->info)}}}};
            } else if (kind == "deleteSheet") {
                const std::int64_t id = idField(r, "sheetId", -1);
                auto it = std::find_if(meta.begin(), meta.end(),
                                       [id](const Meta &m) { return m.info.sheetId == id; });
                if (it == meta.end())
                    return prefix + "No sheet with id: " + std::to_string(id); // [assumed]
                if (meta.size() == 1)
                    return prefix + "You can't remove all the sheets in a document."; // [assumed]
                deleted.push_back(id);
                meta.erase(it);
                reindex();
            } else if (kind == "deleteDimension" || kind == "appendDimension") {
                const bool del = kind == "deleteDimension";
                const json range = del ? r.value("range", json::object()) : r;
                const std::int64_t id = idField(range, "sheetId", 0);
                Meta *m = byId(id);
                if (!m)
                    return prefix + "No grid with id: " + std::to_string(id); // [assumed]
                const std::string dim = range.value("dimension", std::string());
                if (dim != "ROWS" && dim != "COLUMNS")
                    return prefix + "dimension must be ROWS or COLUMNS."; // [assumed]
                const bool rows = dim == "ROWS";
                int &count = rows ? m->info.rowCount : m->info.columnCount;
                if (!del) {
                    const int length = intField(r, "length", 0);
                    if (length < 1)
                        return prefix + "length must be at least 1."; // [assumed]
                    count += length;
                    if (total() > kCellLimit)
                        return prefix + kCellLimitMessage;
                } else {
                    const int start = intField(range, "startIndex", 0);
                    const int end = intField(range, "endIndex", count);
                    if (start < 0 || end > count || start >= end)
                        return prefix + "The range " + std::to_string(start) + " to " +
                               std::to_string(end) + " is outside the " +
                               (rows ? "rows" : "columns") + " of the grid (" +
                               std::to_string(count) + ")."; // [assumed]
                    if (end - start == count)
                        return prefix + (rows ? "You can't delete all the rows on the sheet."
                                              : "You can't delete all the columns on the "
                                                "sheet."); // [assumed]
                    count -= end - start;
                    if (Grid *g = gridOf(*m)) {
                        if (rows) {
                            const auto from = std::min<std::size_t>(start, g->size());
                            const auto to = std::min<std::size_t>(end, g->size());
                            g->erase(g->begin() + static_cast<std::ptrdiff_t>(from),
                                     g->begin() + static_cast<std::ptrdiff_t>(to));
                        } else {
                            for (auto &row : *g) {
                                const auto from = std::min<std::size_t>(start, row.size());
                                const auto to = std::min<std::size_t>(end, row.size());
                                row.erase(row.begin() + static_cast<std::ptrdiff_t>(from),
                                          row.begin() + static_cast<std::ptrdiff_t>(to));
                            }
                        }
                    }
                }
            } else if (kind == "updateSheetProperties") {
                const json p = r.value("properties", json::object());
                const std::string fields = r.value("fields", std::string());
                if (fields.empty())
                    return prefix + "At least one field must be specified."; // [assumed]
                Meta *m = byId(idField(p, "sheetId", 0));
                if (!m)
                    return prefix + "No grid with id: " + std::to_string(idField(p, "sheetId", 0));
                std::vector<std::string> mask;
                for (std::size_t start = 0; start <= fields.size();) {
                    auto end = fields.find(',', start);
                    if (end == std::string::npos)
                        end = fields.size();
                    std::string f = fields.substr(start, end - start);
                    f.erase(0, f.find_first_not_of(' '));
                    f.erase(f.find_last_not_of(' ') + 1);
                    if (!f.empty())
                        mask.push_back(f);
                    start = end + 1;
                }
                const json g = p.value("gridProperties", json::object());
                for (const auto &f : mask) {
                    const bool all = f == "*";
                    if (all || f == "title") {
                        const std::string t = p.value("title", std::string());
                        for (const auto &other : meta) {
                            if (&other != m && lower(other.info.title) == lower(t))
                                return prefix + "A sheet with the name \"" + t +
                                       "\" already exists. Please enter another name.";
                        }
                        if (!t.empty())
                            m->info.title = t;
                    }
                    if (all || f == "hidden")
                        m->info.hidden = p.value("hidden", false);
                    // Google resizes rows first and checks the cell limit after each
                    // (robin900/gspread-dataframe#38).
                    if (all || f == "gridProperties" || f == "gridProperties.rowCount") {
                        const int n = intField(g, "rowCount", m->info.rowCount);
                        if (n < 1)
                            return prefix + "rowCount must be at least 1."; // [assumed]
                        m->info.rowCount = n;
                        if (total() > kCellLimit)
                            return prefix + kCellLimitMessage;
                    }
                    if (all || f == "gridProperties" || f == "gridProperties.columnCount") {
                        const int n = intField(g, "columnCount", m->info.columnCount);
                        if (n < 1)
                            return prefix + "columnCount must be at least 1."; // [assumed]
                        m->info.columnCount = n;
                        if (total() > kCellLimit)
                            return prefix + kCellLimitMessage;
                    }
                    if (!all && f != "title" && f != "hidden" && f != "gridProperties" &&
                        f != "gridProperties.rowCount" && f != "gridProperties.columnCount")
                        return prefix + "the emulator does not support the field \"" + f + "\".";
                }
                if (Grid *grid = gridOf(*m)) {
                    // A smaller grid drops what no longer fits.
                    if (grid->size() > static_cast<std::size_t>(m->info.rowCount))
                        grid->resize(static_cast<std::size_t>(m->info.rowCount));
                    for (auto &row : *grid) {
                        if (row.size() > static_cast<std::size_t>(m->info.columnCount))
                            row.resize(static_cast<std::size_t>(m->info.columnCount));
                    }
                }
            } else {
                return unknownName(kind, at);
            }
            replies.push_back(std::move(reply));
        }
        if (apply) {
            // The new list in the order the batch left it.
            std::vector<Tab> tabs;
            for (auto &m : meta) {
                Tab t;
                if (m.tab) {
                    t.rows = std::move(m.tab->rows);
                } else {
                    for (auto &a : added) {
                        if (a.info.sheetId == m.info.sheetId)
                            t.rows = std::move(a.rows);
                    }
                }
                t.info = m.info;
                tabs.push_back(std::move(t));
            }
            s.tabs = std::move(tabs);
            m_nextSheetId += static_cast<std::int64_t>(list->size());
        }
        return std::nullopt;
    };

    json dryReplies = json::array();
    if (auto problem = run(false, dryReplies))
        return error(400, *problem, "INVALID_ARGUMENT");
    json replies = json::array();
    run(true, replies);
    return EmuReply::json(200, {{"spreadsheetId", s.id}, {"replies", replies}});
}

// ---- ranges ---------------------------------------------------------------------------------

std::optional<SheetsEmulator::Area> SheetsEmulator::parseRange(const Spreadsheet &s,
                                                               const std::string &text) const
{
    std::string sheet, ref;
    bool named = false;
    if (!text.empty() && text[0] == '\'') {
        std::size_t i = 1;
        for (; i < text.size(); ++i) {
            if (text[i] == '\'') {
                if (i + 1 < text.size() && text[i + 1] == '\'') {
                    sheet += '\'';
                    ++i;
                    continue;
                }
                break;
            }
            sheet += text[i];
        }
        if (i >= text.size())
            return std::nullopt;
        named = true;
        const std::string after = text.substr(i + 1);
        if (!after.empty()) {
            if (after[0] != '!' || after.size() == 1)
                return std::nullopt;
            ref = after.substr(1);
        }
    } else if (auto bang = text.rfind('!'); bang != std::string::npos) {
        sheet = text.substr(0, bang);
        ref = text.substr(bang + 1);
        named = true;
        if (ref.empty())
            return std::nullopt;
    } else if (findTab(s, text)) {
        sheet = text;
        named = true;
    } else {
        ref = text;
    }
    const Tab *tab = named ? findTab(s, sheet) : (s.tabs.empty() ? nullptr : &s.tabs.front());
    if (!tab)
        return std::nullopt;
    Area a;
    a.tab = static_cast<std::size_t>(tab - s.tabs.data());
    const int rows = tab->info.rowCount;
    const int cols = tab->info.columnCount;
    if (ref.empty()) {
        a.endRow = rows;
        a.endColumn = cols;
        a.rowsOpen = true;
        return a;
    }
    const auto colon = ref.find(':');
    int c1 = -1, r1 = -1, c2 = -1, r2 = -1;
    if (colon == std::string::npos) {
        if (!parseRef(ref, c1, r1) || c1 < 0 || r1 < 0)
            return std::nullopt;
        a.row = r1;
        a.column = c1;
        a.endRow = r1 + 1;
        a.endColumn = c1 + 1;
        a.singleCell = true;
        return a;
    }
    if (!parseRef(std::string_view(ref).substr(0, colon), c1, r1) ||
        !parseRef(std::string_view(ref).substr(colon + 1), c2, r2))
        return std::nullopt;
    if (c1 < 0 && c2 >= 0 && r2 >= 0)
        return std::nullopt; // "2:C5"
    a.column = c1 < 0 ? 0 : c1;
    a.endColumn = c2 < 0 ? cols : c2 + 1;
    a.row = r1 < 0 ? 0 : r1;
    a.endRow = r2 < 0 ? rows : r2 + 1;
    a.rowsOpen = r2 < 0;
    // "C5:A1" means the same as "A1:C5".
    if (c1 >= 0 && c2 >= 0) {
        a.column = std::min(c1, c2);
        a.endColumn = std::max(c1, c2) + 1;
    }
    if (r1 >= 0 && r2 >= 0) {
        a.row = std::min(r1, r2);
        a.endRow = std::max(r1, r2) + 1;
    }
    return a;
}

std::string SheetsEmulator::a1(const Spreadsheet &s, const Area &a) const
{
    std::string out = quoteTitle(s.tabs[a.tab].info.title) + "!";
    out += columnName(a.column) + std::to_string(a.row + 1);
    if (a.endRow - a.row > 1 || a.endColumn - a.column > 1)
        out += ":" + columnName(std::max(a.column, a.endColumn - 1)) +
               std::to_string(std::max(a.row, a.endRow - 1) + 1);
    return out;
}

namespace {

std::string gridError(const std::string &quotedTitle, int column, int row, int rows, int cols)
{
    return "Range (" + quotedTitle + "!" + columnName(column) + std::to_string(row + 1) +
           ") exceeds grid limits. Max rows: " + std::to_string(rows) +
           ", max columns: " + std::to_string(cols);
}

} // namespace

std::optional<SheetsEmulator::Failure>
SheetsEmulator::prepareWrite(const Spreadsheet &s, const json &vr, const std::string &where,
                             Area &area, Grid &cells, bool userEnteredInput) const
{
    auto bad = [](std::string message) {
        return Failure{400, std::move(message), "INVALID_ARGUMENT"};
    };
    if (!vr.is_object())
        return bad("Invalid JSON payload received. Expected an object at '" + where +
                   "'."); // [assumed]
    if (auto u = unknownField(vr, {"range", "majorDimension", "values"}, where))
        return bad(*u);
    const std::string major = vr.value("majorDimension", std::string("ROWS"));
    if (major != "ROWS" && major != "COLUMNS" && major != "DIMENSION_UNSPECIFIED")
        return bad(enumError(where.empty() ? "major_dimension" : where + ".major_dimension",
                             "Dimension", major));
    cells.clear();
    if (auto v = vr.find("values"); v != vr.end() && !v->is_null()) {
        if (!v->is_array())
            return bad("Invalid value at '" + (where.empty() ? "" : where + ".") +
                       "values' (type.googleapis.com/google.protobuf.ListValue)."); // [assumed]
        for (std::size_t r = 0; r < v->size(); ++r) {
            const json &row = (*v)[r];
            if (!row.is_array())
                return bad("Invalid values[" + std::to_string(r) + "]: " + row.dump() +
                           " is not a list."); // [assumed]
            std::vector<json> out;
            out.reserve(row.size());
            for (std::size_t c = 0; c < row.size(); ++c) {
                const json &cell = row[c];
                if (cell.is_object() || cell.is_array())
                    return bad("Invalid values[" + std::to_string(r) + "][" + std::to_string(c) +
                               "]: " + (cell.is_object() ? "struct_value" : "list_value") + " " +
                               cell.dump()); // [assumed]
                if (cell.is_string() &&
                    utf16Length(cell.get_ref<const std::string &>()) > kMaxCellChars)
                    return bad(kTooLong);
                out.push_back(userEnteredInput ? userEntered(cell) : cell);
            }
            cells.push_back(std::move(out));
        }
    }
    if (major == "COLUMNS") {
        Grid t;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            for (std::size_t r = 0; r < cells[c].size(); ++r) {
                if (t.size() <= r)
                    t.resize(r + 1);
                if (t[r].size() <= c)
                    t[r].resize(c + 1);
                t[r][c] = cells[c][r];
            }
        }
        cells = std::move(t);
    }
    const int n = static_cast<int>(cells.size());
    int m = 0;
    for (const auto &row : cells)
        m = std::max(m, static_cast<int>(row.size()));
    const SheetsTabInfo &info = s.tabs[area.tab].info;
    if (!area.singleCell) {
        if (area.row + n > area.endRow)
            return bad("Requested writing within range [" + a1(s, area) +
                       "], but tried writing to row [" + std::to_string(area.row + n) +
                       "]"); // [assumed]
        if (area.column + m > area.endColumn)
            return bad("Requested writing within range [" + a1(s, area) +
                       "], but tried writing to column [" + columnName(area.column + m - 1) +
                       "]"); // [assumed]
    }
    area.endRow = area.row + std::max(n, 1);
    area.endColumn = area.column + std::max(m, 1);
    if (area.endRow > info.rowCount || area.endColumn > info.columnCount) {
        const bool rowsOut = area.endRow > info.rowCount;
        return bad(gridError(quoteTitle(info.title),
                             rowsOut ? area.column : std::max(area.column, info.columnCount),
                             rowsOut ? std::max(area.row, info.rowCount) : area.row, info.rowCount,
                             info.columnCount));
    }
    return std::nullopt;
}

void SheetsEmulator::write(Spreadsheet &s, const Area &area, const Grid &cells)
{
    Grid &rows = s.tabs[area.tab].rows;
    for (std::size_t r = 0; r < cells.size(); ++r) {
        const std::size_t row = static_cast<std::size_t>(area.row) + r;
        for (std::size_t c = 0; c < cells[r].size(); ++c) {
            const json &v = cells[r][c];
            if (v.is_null())
                continue; // null leaves the cell as it is
            if (rows.size() <= row)
                rows.resize(row + 1);
            const std::size_t col = static_cast<std::size_t>(area.column) + c;
            if (rows[row].size() <= col)
                rows[row].resize(col + 1);
            rows[row][col] = isEmpty(v) ? json() : v; // "" clears it
        }
    }
}

json SheetsEmulator::updateResponse(const Spreadsheet &s, const Area &area, const Grid &cells) const
{
    long updatedCells = 0, updatedRows = 0;
    std::set<std::size_t> columns;
    for (const auto &row : cells) {
        bool any = false;
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (!row[c].is_null()) {
                ++updatedCells;
                columns.insert(c);
                any = true;
            }
        }
        updatedRows += any;
    }
    json out = {{"spreadsheetId", s.id}, {"updatedRange", a1(s, area)}};
    // proto3 JSON leaves out zeros.
    if (updatedRows)
        out["updatedRows"] = updatedRows;
    if (!columns.empty())
        out["updatedColumns"] = columns.size();
    if (updatedCells)
        out["updatedCells"] = updatedCells;
    return out;
}

namespace {

// The valueInputOption query parameter (or body field), checked like Google does.
std::optional<std::string> inputOptionProblem(const json &value, bool &userEnteredOut)
{
    if (value.is_null())
        return std::string(kNoValueInputOption);
    const std::string v = value.is_string() ? value.get<std::string>() : value.dump();
    if (v == "RAW") {
        userEnteredOut = false;
        return std::nullopt;
    }
    if (v == "USER_ENTERED") {
        userEnteredOut = true;
        return std::nullopt;
    }
    if (v == "INPUT_VALUE_OPTION_UNSPECIFIED")
        return "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED"; // [assumed]
    return enumError("value_input_option", "ValueInputOption", v);
}

json queryValue(const EmuRequest &request, const char *key)
{
    auto it = request.query.find(key);
    return it == request.query.end() ? json() : json(it->second);
}

} // namespace

// ---- values ---------------------------------------------------------------------------------

EmuReply SheetsEmulator::valuesGet(Spreadsheet &s, const std::string &range,
                                   const EmuRequest &request)
{
    const std::string render = request.query.count("valueRenderOption")
                                   ? request.query.at("valueRenderOption")
                                   : "FORMATTED_VALUE";
    if (render != "FORMATTED_VALUE" && render != "UNFORMATTED_VALUE" && render != "FORMULA")
        return error(400, enumError("value_render_option", "ValueRenderOption", render),
                     "INVALID_ARGUMENT");
    const std::string major =
        request.query.count("majorDimension") ? request.query.at("majorDimension") : "ROWS";
    if (major != "ROWS" && major != "COLUMNS")
        return error(400, enumError("major_dimension", "Dimension", major), "INVALID_ARGUMENT");
    auto area = parseRange(s, range);
    if (!area)
        return error(400, "Unable to parse range: " + range, "INVALID_ARGUMENT");
    const Tab &tab = s.tabs[area->tab];
    const SheetsTabInfo &info = tab.info;
    if (area->row >= info.rowCount || area->column >= info.columnCount ||
        (!area->rowsOpen && area->endRow > info.rowCount) || area->endColumn > info.columnCount) {
        const bool rowsOut = area->endRow > info.rowCount || area->row >= info.rowCount;
        return error(400,
                     gridError(quoteTitle(info.title),
                               rowsOut ? area->column : std::max(area->column, info.columnCount),
                               rowsOut ? std::max(area->row, info.rowCount) : area->row,
                               info.rowCount, info.columnCount),
                     "INVALID_ARGUMENT");
    }
    area->endRow = std::min(area->endRow, info.rowCount);

    json values = json::array();
    std::size_t keptRows = 0;
    for (int r = area->row; r < area->endRow; ++r) {
        json row = json::array();
        if (static_cast<std::size_t>(r) < tab.rows.size()) {
            const auto &src = tab.rows[static_cast<std::size_t>(r)];
            int last = -1;
            for (int c = area->column; c < area->endColumn; ++c) {
                if (static_cast<std::size_t>(c) < src.size() &&
                    !isEmpty(src[static_cast<std::size_t>(c)]))
                    last = c;
            }
            for (int c = area->column; c <= last; ++c) {
                const json &v = static_cast<std::size_t>(c) < src.size()
                                    ? src[static_cast<std::size_t>(c)]
                                    : json();
                if (isEmpty(v))
                    row.push_back("");
                else if (render == "FORMATTED_VALUE")
                    row.push_back(formatted(v));
                else
                    row.push_back(v);
            }
        }
        if (!row.empty())
            keptRows = values.size() + 1;
        values.push_back(std::move(row));
    }
    // Trailing empty rows are left out; empty rows inside stay as [].
    while (values.size() > keptRows)
        values.erase(values.end() - 1);
    if (major == "COLUMNS") {
        json t = json::array();
        for (std::size_t r = 0; r < values.size(); ++r) {
            for (std::size_t c = 0; c < values[r].size(); ++c) {
                while (t.size() <= c)
                    t.push_back(json::array());
                while (t[c].size() < r)
                    t[c].push_back("");
                t[c].push_back(values[r][c]);
            }
        }
        values = std::move(t);
    }
    json out = {{"range", a1(s, *area)}, {"majorDimension", major}};
    if (!values.empty())
        out["values"] = std::move(values);
    return EmuReply::json(200, out);
}

EmuReply SheetsEmulator::valuesUpdate(Spreadsheet &s, const std::string &range,
                                      const EmuRequest &request, const json &body)
{
    bool userEnteredInput = false;
    if (auto problem =
            inputOptionProblem(queryValue(request, "valueInputOption"), userEnteredInput))
        return error(400, *problem, "INVALID_ARGUMENT");
    auto area = parseRange(s, range);
    if (!area)
        return error(400, "Unable to parse range: " + range, "INVALID_ARGUMENT");
    if (auto r = body.find("range"); r != body.end() && r->is_string()) {
        auto inBody = parseRange(s, r->get<std::string>());
        if (!inBody || inBody->tab != area->tab || inBody->row != area->row ||
            inBody->column != area->column)
            return error(400,
                         "Requested entity range [" + r->get<std::string>() +
                             "] does not match the range in the URL [" + range + "].",
                         "INVALID_ARGUMENT"); // [assumed]
    }
    Grid cells;
    if (auto f = prepareWrite(s, body, "", *area, cells, userEnteredInput))
        return error(*f);
    write(s, *area, cells);
    m_counters.valueInputOptions.insert(userEnteredInput ? "USER_ENTERED" : "RAW");
    return EmuReply::json(200, updateResponse(s, *area, cells));
}

EmuReply SheetsEmulator::valuesAppend(Spreadsheet &s, const std::string &range,
                                      const EmuRequest &request, const json &body)
{
    bool userEnteredInput = false;
    if (auto problem =
            inputOptionProblem(queryValue(request, "valueInputOption"), userEnteredInput))
        return error(400, *problem, "INVALID_ARGUMENT");
    const std::string insert = request.query.count("insertDataOption")
                                   ? request.query.at("insertDataOption")
                                   : "OVERWRITE";
    if (insert != "OVERWRITE" && insert != "INSERT_ROWS")
        return error(400, enumError("insert_data_option", "InsertDataOption", insert),
                     "INVALID_ARGUMENT");
    auto area = parseRange(s, range);
    if (!area)
        return error(400, "Unable to parse range: " + range, "INVALID_ARGUMENT");
    Tab &tab = s.tabs[area->tab];
    // The table: rows with values in the range's columns, from the range's first row on.
    // A single cell stands for the table it is in, however wide.
    const int searchEnd = area->singleCell ? tab.info.columnCount : area->endColumn;
    int first = -1, last = -1, lastColumn = area->column;
    for (int r = area->row; r < static_cast<int>(tab.rows.size()); ++r) {
        const auto &row = tab.rows[static_cast<std::size_t>(r)];
        for (int c = area->column; c < std::min<int>(searchEnd, row.size()); ++c) {
            if (!isEmpty(row[static_cast<std::size_t>(c)])) {
                if (first < 0)
                    first = r;
                last = r;
                lastColumn = std::max(lastColumn, c);
            }
        }
    }
    Area target = *area;
    target.row = last < 0 ? area->row : last + 1;
    target.singleCell = true;
    Grid grid;
    // Appending may run past the grid: Google adds the rows (and columns) it needs.
    SheetsTabInfo saved = tab.info;
    tab.info.rowCount = std::max(tab.info.rowCount, 100'000'000);
    tab.info.columnCount = std::max(tab.info.columnCount, 18278);
    auto problem = prepareWrite(s, body, "", target, grid, userEnteredInput);
    tab.info = saved;
    if (problem)
        return error(*problem);
    const int n = static_cast<int>(grid.size());
    const int newRows = insert == "INSERT_ROWS" ? tab.info.rowCount + n
                                                : std::max(tab.info.rowCount, target.row + n);
    const int newCols = std::max(tab.info.columnCount, target.endColumn);
    const std::int64_t total = cells(s) -
                               static_cast<std::int64_t>(tab.info.rowCount) * tab.info.columnCount +
                               static_cast<std::int64_t>(newRows) * newCols;
    if (total > kCellLimit)
        return error(400, kCellLimitMessage, "INVALID_ARGUMENT");
    if (insert == "INSERT_ROWS" && static_cast<std::size_t>(target.row) < tab.rows.size())
        tab.rows.insert(tab.rows.begin() + target.row, static_cast<std::size_t>(n),
                        std::vector<json>());
    tab.info.rowCount = newRows;
    tab.info.columnCount = newCols;
    write(s, target, grid);
    m_counters.valueInputOptions.insert(userEnteredInput ? "USER_ENTERED" : "RAW");
    json out = {{"spreadsheetId", s.id}, {"updates", updateResponse(s, target, grid)}};
    if (first >= 0) {
        Area table = *area;
        table.row = first;
        table.endRow = last + 1;
        table.endColumn = lastColumn + 1;
        out["tableRange"] = a1(s, table);
    }
    return EmuReply::json(200, out);
}

EmuReply SheetsEmulator::valuesClear(Spreadsheet &s, const std::vector<std::string> &ranges,
                                     bool batch)
{
    std::vector<Area> areas;
    for (const auto &r : ranges) {
        auto area = parseRange(s, r);
        if (!area)
            return error(400, "Unable to parse range: " + r, "INVALID_ARGUMENT");
        const SheetsTabInfo &info = s.tabs[area->tab].info;
        area->endRow = std::min(area->endRow, info.rowCount);
        area->endColumn = std::min(area->endColumn, info.columnCount);
        if (area->row >= area->endRow || area->column >= area->endColumn)
            return error(400,
                         gridError(quoteTitle(info.title), area->column, area->row, info.rowCount,
                                   info.columnCount),
                         "INVALID_ARGUMENT");
        areas.push_back(*area);
    }
    json cleared = json::array();
    for (const auto &a : areas) {
        Grid &rows = s.tabs[a.tab].rows;
        for (int r = a.row; r < a.endRow && static_cast<std::size_t>(r) < rows.size(); ++r) {
            auto &row = rows[static_cast<std::size_t>(r)];
            for (int c = a.column; c < a.endColumn && static_cast<std::size_t>(c) < row.size(); ++c)
                row[static_cast<std::size_t>(c)] = json();
        }
        cleared.push_back(a1(s, a));
    }
    if (batch)
        return EmuReply::json(200, {{"spreadsheetId", s.id}, {"clearedRanges", cleared}});
    return EmuReply::json(200, {{"spreadsheetId", s.id}, {"clearedRange", cleared.at(0)}});
}

EmuReply SheetsEmulator::valuesBatchUpdate(Spreadsheet &s, const json &body)
{
    if (auto bad = unknownField(body,
                                {"valueInputOption", "data", "includeValuesInResponse",
                                 "responseValueRenderOption", "responseDateTimeRenderOption"},
                                ""))
        return error(400, *bad, "INVALID_ARGUMENT");
    bool userEnteredInput = false;
    if (auto problem = inputOptionProblem(body.value("valueInputOption", json()), userEnteredInput))
        return error(400, *problem, "INVALID_ARGUMENT");
    const json data = body.value("data", json::array());
    if (!data.is_array())
        return error(400, "Invalid value at 'data'.", "INVALID_ARGUMENT"); // [assumed]
    // Everything is checked before anything is written: the batch is applied atomically.
    std::vector<Area> areas;
    std::vector<Grid> grids;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const std::string where = "data[" + std::to_string(i) + "]";
        const json &vr = data[i];
        if (!vr.is_object() || !vr.contains("range") || !vr["range"].is_string())
            return error(400, "Invalid " + where + ": the range is missing.",
                         "INVALID_ARGUMENT"); // [assumed]
        const std::string range = vr["range"].get<std::string>();
        auto area = parseRange(s, range);
        if (!area)
            return error(400, "Unable to parse range: " + range, "INVALID_ARGUMENT");
        Grid cells;
        if (auto f = prepareWrite(s, vr, where, *area, cells, userEnteredInput))
            return error(*f);
        areas.push_back(*area);
        grids.push_back(std::move(cells));
    }
    json responses = json::array();
    long rows = 0, cellsUpdated = 0;
    std::set<std::size_t> tabsTouched;
    std::set<std::pair<std::size_t, int>> columns;
    for (std::size_t i = 0; i < areas.size(); ++i) {
        write(s, areas[i], grids[i]);
        json r = updateResponse(s, areas[i], grids[i]);
        rows += r.value("updatedRows", 0L);
        cellsUpdated += r.value("updatedCells", 0L);
        if (r.contains("updatedCells"))
            tabsTouched.insert(areas[i].tab);
        for (const auto &row : grids[i]) {
            for (std::size_t c = 0; c < row.size(); ++c) {
                if (!row[c].is_null())
                    columns.insert({areas[i].tab, areas[i].column + static_cast<int>(c)});
            }
        }
        responses.push_back(std::move(r));
    }
    m_counters.valueInputOptions.insert(userEnteredInput ? "USER_ENTERED" : "RAW");
    json out = {{"spreadsheetId", s.id}, {"responses", responses}};
    if (rows)
        out["totalUpdatedRows"] = rows;
    if (!columns.empty())
        out["totalUpdatedColumns"] = columns.size();
    if (cellsUpdated)
        out["totalUpdatedCells"] = cellsUpdated;
    if (!tabsTouched.empty())
        out["totalUpdatedSheets"] = tabsTouched.size();
    return EmuReply::json(200, out);
}

} // namespace sluice::emu

#include "destinations/googlesheetsapi.h"

#include "util/jsontext.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <thread>

namespace sluice {

namespace {

using json = nlohmann::json;

constexpr double kExactIntegers = 9007199254740992.0; // 2^53: doubles are exact below this

std::string statusText(long status)
{
    switch (status) {
    case 400:
        return "400 Bad Request";
    case 401:
        return "401 Unauthorized";
    case 403:
        return "403 Forbidden";
    case 404:
        return "404 Not Found";
    case 413:
        return "413 Payload Too Large";
    case 429:
        return "429 Too Many Requests";
    case 500:
        return "500 Internal Server Error";
    case 502:
        return "502 Bad Gateway";
    case 503:
        return "503 Service Unavailable";
    case 504:
        return "504 Gateway Timeout";
    default:
        return std::to_string(status);
    }
}

std::string shortened(std::string text, std::size_t max = 300)
{
    if (text.size() > max) {
        text.resize(max);
        text += "…";
    }
    return text;
}

std::string lower(std::string s)
{
    for (auto &c : s) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

SheetTab tabFromJson(const json &p)
{
    SheetTab t;
    t.sheetId = p.value("sheetId", std::int64_t{0});
    t.title = p.value("title", std::string());
    t.index = p.value("index", 0);
    t.hidden = p.value("hidden", false);
    if (auto g = p.find("gridProperties"); g != p.end() && g->is_object()) {
        t.rowCount = g->value("rowCount", 0);
        t.columnCount = g->value("columnCount", 0);
    }
    return t;
}

// A spreadsheet resource (spreadsheets.get / create) as far as Sluice needs it.
std::optional<SpreadsheetInfo> infoFromJson(const json &body)
{
    if (!body.is_object() || !body.contains("spreadsheetId") || !body["spreadsheetId"].is_string())
        return std::nullopt;
    SpreadsheetInfo info;
    info.id = body["spreadsheetId"].get<std::string>();
    info.url = body.value("spreadsheetUrl", std::string());
    if (auto p = body.find("properties"); p != body.end() && p->is_object())
        info.title = p->value("title", std::string());
    if (auto sheets = body.find("sheets"); sheets != body.end() && sheets->is_array()) {
        for (const auto &s : *sheets) {
            if (s.is_object() && s.contains("properties") && s["properties"].is_object())
                info.tabs.push_back(tabFromJson(s["properties"]));
        }
    }
    return info;
}

void setAuthorization(net::Request &r, const std::string &token)
{
    for (auto &[name, value] : r.headers) {
        if (name == "Authorization") {
            value = "Bearer " + token;
            return;
        }
    }
    r.headers.emplace_back("Authorization", "Bearer " + token);
}

} // namespace

// ---- A1 notation and cells ------------------------------------------------------------------

std::string sheetsColumnName(int column)
{
    std::string out;
    for (int c = column + 1; c > 0; c = (c - 1) / 26)
        out.insert(out.begin(), static_cast<char>('A' + (c - 1) % 26));
    return out;
}

std::string sheetsQuotedTitle(const std::string &title)
{
    std::string out = "'";
    for (char c : title) {
        out += c;
        if (c == '\'')
            out += '\'';
    }
    return out + "'";
}

std::string sheetsRange(const std::string &title, int row, int column, int rowEnd, int columnEnd)
{
    std::string out = sheetsQuotedTitle(title) + "!";
    if (columnEnd < 0)
        return out + std::to_string(row + 1) + ":" + std::to_string(rowEnd);
    if (rowEnd < 0)
        return out + sheetsColumnName(column) + ":" + sheetsColumnName(columnEnd - 1);
    out += sheetsColumnName(column) + std::to_string(row + 1);
    out += ":" + sheetsColumnName(columnEnd - 1) + std::to_string(rowEnd);
    return out;
}

std::string sheetsSpreadsheetId(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                             text.back() == '\r'))
        text.remove_suffix(1);
    if (auto pos = text.find("/d/"); pos != std::string_view::npos) {
        text.remove_prefix(pos + 3);
        text = text.substr(0, text.find_first_of("/?#"));
    }
    return std::string(text);
}

std::size_t sheetsCellLength(std::string_view text)
{
    std::size_t n = 0;
    for (unsigned char c : text) {
        if ((c & 0xc0) != 0x80)
            n += c >= 0xf0 ? 2 : 1; // a 4-byte UTF-8 sequence is a surrogate pair in UTF-16
    }
    return n;
}

void appendSheetsCell(std::string &out, const Value &value)
{
    char buf[40];
    switch (value.type) {
    case ValueType::Null:
        out += "\"\"";
        return;
    case ValueType::Integer: {
        const bool exact = static_cast<double>(
                               value.integer)<kExactIntegers &&static_cast<double>(value.integer)> -
                           kExactIntegers;
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value.integer);
        if (!exact)
            out += '"';
        out.append(buf, end);
        if (!exact)
            out += '"';
        return;
    }
    case ValueType::Real: {
        if (!std::isfinite(value.real)) {
            out += '"';
            value.appendTo(out);
            out += '"';
            return;
        }
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value.real);
        out.append(buf, end);
        return;
    }
    case ValueType::Text:
        appendJsonString(out, value.text);
        return;
    }
}

namespace {

std::string keyTextOfDouble(double d)
{
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < kExactIntegers)
        return std::to_string(static_cast<long long>(d));
    Value v;
    v.setReal(d);
    return v.toString();
}

} // namespace

std::string sheetsKeyText(const Value &value)
{
    switch (value.type) {
    case ValueType::Null:
        return {};
    case ValueType::Integer:
        return std::to_string(value.integer);
    case ValueType::Real:
        return keyTextOfDouble(value.real);
    case ValueType::Text:
        return value.text;
    }
    return {};
}

std::string sheetsKeyText(const json &cell)
{
    if (cell.is_string())
        return cell.get<std::string>();
    if (cell.is_number_integer())
        return std::to_string(cell.get<std::int64_t>());
    if (cell.is_number_unsigned())
        return std::to_string(cell.get<std::uint64_t>());
    if (cell.is_number_float())
        return keyTextOfDouble(cell.get<double>());
    if (cell.is_boolean())
        return cell.get<bool>() ? "TRUE" : "FALSE";
    return {};
}

// ---- SpreadsheetInfo --------------------------------------------------------------------------

std::int64_t SpreadsheetInfo::cells() const
{
    std::int64_t n = 0;
    for (const auto &t : tabs)
        n += t.cells();
    return n;
}

const SheetTab *SpreadsheetInfo::tab(const std::string &title) const
{
    for (const auto &t : tabs) {
        if (t.title == title)
            return &t;
    }
    const std::string l = lower(title);
    for (const auto &t : tabs) {
        if (lower(t.title) == l)
            return &t;
    }
    return nullptr;
}

// ---- GoogleSheetsApi --------------------------------------------------------------------------

GoogleSheetsApi::GoogleSheetsApi(GoogleSheetsConfig config) : m_config(std::move(config))
{
    while (!m_config.baseUrl.empty() && m_config.baseUrl.back() == '/')
        m_config.baseUrl.pop_back();
    net::ClientOptions options;
    options.maxInFlight = std::max(1, m_config.requestsInFlight);
    options.retry = m_config.retry;
    options.rateLimit = m_config.rateLimit;
    options.caFile = m_config.caFile;
    options.log = m_config.log;
    m_http = std::make_unique<net::HttpClient>(std::move(options));
}

GoogleSheetsApi::~GoogleSheetsApi() = default;

net::ClientStats GoogleSheetsApi::stats() const
{
    net::ClientStats total = m_http->stats();
    if (m_once) {
        const net::ClientStats once = m_once->stats();
        total.requests += once.requests;
        total.retries += once.retries;
        total.rateLimitWaits += once.rateLimitWaits;
        total.networkErrors += once.networkErrors;
        total.connectionsOpened += once.connectionsOpened;
        total.waited += once.waited;
    }
    return total;
}

net::HttpClient &GoogleSheetsApi::onceClient()
{
    if (!m_once) {
        net::ClientOptions options;
        options.maxInFlight = 1;
        options.retry = m_config.retry;
        options.retry.maxAttempts = 1; // no re-send after a network error or 5xx
        options.rateLimit = m_config.rateLimit;
        options.caFile = m_config.caFile;
        options.log = m_config.log;
        m_once = std::make_unique<net::HttpClient>(std::move(options));
    }
    return *m_once;
}

std::string GoogleSheetsApi::url(const std::string &suffix) const
{
    return m_config.baseUrl + "/v4/spreadsheets/" + net::urlEncode(m_config.spreadsheetId) + suffix;
}

net::Request GoogleSheetsApi::request(const std::string &method, const std::string &url,
                                      std::string body) const
{
    net::Request r;
    r.method = method;
    r.url = url;
    r.headers = {{"Accept", "application/json"}};
    if (method != "GET")
        r.headers.emplace_back("Content-Type", "application/json");
    r.body = std::move(body);
    r.timeoutMs = m_config.timeoutMs;
    return r;
}

Result<std::vector<Result<net::Response>>>
GoogleSheetsApi::sendAll(std::vector<net::Request> requests, bool once)
{
    if (!m_config.tokens)
        return fail(ErrorKind::Internal, "The Google Sheets connection has no credentials.");
    net::HttpClient &client = once ? onceClient() : *m_http;
    auto token = m_config.tokens->accessToken(*m_http, m_cancel);
    m_tokenFailed = !token;
    if (!token)
        return std::unexpected(token.error());
    m_token = *token;
    for (auto &r : requests)
        setAuthorization(r, m_token);
    // Kept to send again with a new token after a 401 (e.g. the token expired on the way).
    std::vector<net::Request> copies;
    if (m_config.tokens->canRefresh())
        copies = requests;
    auto responses = client.sendAll(std::move(requests), m_cancel);
    std::vector<std::size_t> refused;
    for (std::size_t i = 0; i < responses.size(); ++i) {
        if (responses[i] && responses[i]->status == 401)
            refused.push_back(i);
    }
    if (refused.empty() || copies.empty())
        return responses;
    m_config.tokens->invalidate(m_token);
    auto fresh = m_config.tokens->accessToken(*m_http, m_cancel);
    if (!fresh)
        return responses; // the 401s stand
    m_token = *fresh;
    std::vector<net::Request> again;
    for (auto i : refused) {
        setAuthorization(copies[i], m_token);
        again.push_back(std::move(copies[i]));
    }
    auto second = client.sendAll(std::move(again), m_cancel);
    for (std::size_t k = 0; k < refused.size(); ++k)
        responses[refused[k]] = std::move(second[k]);
    return responses;
}

Result<net::Response> GoogleSheetsApi::send(net::Request request, bool once)
{
    std::vector<net::Request> one;
    one.push_back(std::move(request));
    auto all = sendAll(std::move(one), once);
    if (!all)
        return std::unexpected(all.error());
    return std::move(all->front());
}

Result<SpreadsheetInfo> GoogleSheetsApi::spreadsheet()
{
    const std::string what = "opening the spreadsheet";
    auto response = send(request("GET", url("")));
    if (!response)
        return std::unexpected(transportError(response.error(), what));
    if (response->status != 200)
        return std::unexpected(requestError(*response, what));
    auto info = infoFromJson(json::parse(response->body, nullptr, false));
    if (!info)
        return fail(ErrorKind::Destination,
                    "Google Sheets sent an answer Sluice does not understand while " + what +
                        ". Check the base URL in the connection settings.",
                    shortened(scrub(response->body)));
    return *info;
}

Result<SpreadsheetInfo> GoogleSheetsApi::createSpreadsheet(const std::string &title,
                                                           const std::string &tab, int rowCount,
                                                           int columnCount)
{
    const std::string what = "creating the spreadsheet \"" + title + "\"";
    std::string body = "{\"properties\":{\"title\":";
    appendJsonString(body, title);
    body += "},\"sheets\":[{\"properties\":{\"title\":";
    appendJsonString(body, tab);
    body += ",\"gridProperties\":{\"rowCount\":" + std::to_string(rowCount) +
            ",\"columnCount\":" + std::to_string(columnCount) + "}}}]}";
    // A 5xx says Google did not do it, so trying again is safe; a connection that broke after
    // the request was sent is not: the spreadsheet may exist, and a second try would make two.
    for (int attempt = 1;; ++attempt) {
        auto response = send(request("POST", m_config.baseUrl + "/v4/spreadsheets", body), true);
        if (!response) {
            const Error &e = response.error();
            if (e.kind == ErrorKind::Cancelled || e.kind == ErrorKind::Invalid)
                return std::unexpected(transportError(e, what));
            return fail(ErrorKind::Destination,
                        "The connection to Google Sheets broke while " + what + " (" +
                            scrub(e.message) +
                            "). Google may or may not have created it: look for it among the "
                            "service account's files before exporting again.",
                        scrub(e.detail));
        }
        if (response->status >= 500 && attempt < 4) {
            std::this_thread::sleep_for(std::chrono::milliseconds(500 << attempt));
            continue;
        }
        if (response->status != 200)
            return std::unexpected(requestError(*response, what));
        auto info = infoFromJson(json::parse(response->body, nullptr, false));
        if (!info || info->tabs.empty())
            return fail(ErrorKind::Destination,
                        "Google Sheets sent an answer Sluice does not understand while " + what +
                            ".",
                        shortened(scrub(response->body)));
        m_config.spreadsheetId = info->id;
        return *info;
    }
}

Result<SheetTab> GoogleSheetsApi::addTab(const std::string &title, int rowCount, int columnCount)
{
    const std::string what = "adding the tab \"" + title + "\"";
    std::string body = "{\"requests\":[{\"addSheet\":{\"properties\":{\"title\":";
    appendJsonString(body, title);
    body += ",\"gridProperties\":{\"rowCount\":" + std::to_string(rowCount) +
            ",\"columnCount\":" + std::to_string(columnCount) + "}}}}]}";
    auto response = send(request("POST", url(":batchUpdate"), std::move(body)));
    if (!response)
        return std::unexpected(transportError(response.error(), what));
    if (response->status == 200) {
        const json reply = json::parse(response->body, nullptr, false);
        if (reply.is_object() && reply.contains("replies") && reply["replies"].is_array() &&
            !reply["replies"].empty()) {
            const json &r = reply["replies"][0];
            if (r.is_object() && r.contains("addSheet") && r["addSheet"].contains("properties"))
                return tabFromJson(r["addSheet"]["properties"]);
        }
    }
    if (response->status == 200 || response->status == 400) {
        // A repeated request (its first answer lost) finds the tab made: that is success.
        auto info = spreadsheet();
        if (!info)
            return std::unexpected(info.error());
        if (const SheetTab *t = info->tab(title))
            return *t;
    }
    return std::unexpected(requestError(*response, what));
}

Result<json> GoogleSheetsApi::values(const std::string &range, const std::string &what)
{
    auto response =
        send(request("GET", url("/values/" + net::urlEncode(range) +
                                "?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE")));
    if (!response)
        return std::unexpected(transportError(response.error(), what));
    if (response->status != 200)
        return std::unexpected(requestError(*response, what));
    json body = json::parse(response->body, nullptr, false);
    if (!body.is_object())
        return fail(ErrorKind::Destination,
                    "Google Sheets sent an answer Sluice does not understand while " + what + ".",
                    shortened(scrub(response->body)));
    auto it = body.find("values");
    if (it == body.end() || !it->is_array())
        return json::array();
    return std::move(*it);
}

std::string GoogleSheetsApi::scrub(std::string text) const
{
    const std::string &token = m_token;
    if (token.size() < 8)
        return text;
    for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos))
        text.replace(pos, token.size(), "[token]");
    return text;
}

std::string GoogleSheetsApi::message(const net::Response &response) const
{
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object()) {
        if (auto e = body.find("error"); e != body.end() && e->is_object()) {
            if (auto m = e->find("message"); m != e->end() && m->is_string())
                return scrub(m->get<std::string>());
        }
    }
    return response.body.empty()
               ? statusText(response.status)
               : statusText(response.status) + ": " + shortened(scrub(response.body));
}

std::string GoogleSheetsApi::summary(const net::Response &response) const
{
    const std::string said = message(response);
    return said.starts_with(statusText(response.status))
               ? said
               : statusText(response.status) + ": " + said;
}

Error GoogleSheetsApi::requestError(const net::Response &response, const std::string &what) const
{
    const std::string said = message(response);
    const std::string detail = statusText(response.status) + " while " + what + ": " + said;
    const std::string who =
        m_config.clientEmail.empty() ? std::string("the service account") : m_config.clientEmail;
    switch (response.status) {
    case 400:
        return Error{ErrorKind::Destination,
                     "Google Sheets refused the request while " + what + ": " + said, detail};
    case 401:
        return Error{ErrorKind::Destination,
                     "Google refused the service account's access (" + said +
                         "). Check the key file in the Google Sheets connection's settings: the "
                         "key may have been deleted or disabled in the Google Cloud console.",
                     detail};
    case 403:
        if (said.find("has not been used") != std::string::npos ||
            said.find("is disabled") != std::string::npos)
            return Error{ErrorKind::Destination,
                         "The Google Sheets API is not turned on for the service account's "
                         "project (" +
                             said +
                             "). Enable it in the Google Cloud console (APIs & Services), then "
                             "run again.",
                         detail};
        return Error{ErrorKind::Destination,
                     "The service account may not open this spreadsheet (" + said +
                         "). Share the spreadsheet with " + who +
                         " as an Editor (in Google Sheets: Share), then run again.",
                     detail};
    case 404:
        return Error{ErrorKind::Destination,
                     "Google Sheets has no spreadsheet with the ID \"" + m_config.spreadsheetId +
                         "\" (" + said +
                         "). Check the spreadsheet in the connection's settings: paste its "
                         "address, or the long part of it between /d/ and /edit.",
                     detail};
    case 429:
        return Error{ErrorKind::Destination,
                     "Google Sheets kept answering that too many requests were made (" + said +
                         ") while " + what +
                         ". Google allows 60 write requests a minute per user; other programs "
                         "using the same service account share them. Try again in a few "
                         "minutes, or lower the requests per minute in the connection settings.",
                     detail};
    default:
        if (response.status >= 500)
            return Error{ErrorKind::Destination,
                         "Google Sheets had a problem of its own (" + summary(response) +
                             ") while " + what + ". Try again in a few minutes.",
                         detail};
        return Error{ErrorKind::Destination,
                     "Google Sheets refused the request while " + what + ": " + summary(response),
                     detail};
    }
}

Error GoogleSheetsApi::transportError(const Error &error, const std::string &what) const
{
    // The token provider's messages already say who refused what.
    if (error.kind == ErrorKind::Cancelled || m_tokenFailed)
        return error;
    return Error{error.kind == ErrorKind::Invalid ? ErrorKind::Invalid : ErrorKind::Destination,
                 "Could not talk to Google Sheets while " + what + ": " + scrub(error.message),
                 scrub(error.detail)};
}

} // namespace sluice

#pragma once
// Google Sheets API v4 as the Google Sheets destination and the export speak it: requests that
// carry the service account's access token (a 401 gets a fresh token once), the spreadsheet's
// tabs, values read back, Google's error envelope turned into messages for users, and the A1
// notation and cell rendering shared by the writer and the export.

#include "data/value.h"
#include "net/httpclient.h"
#include "net/tokenprovider.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

struct GoogleSheetsConfig
{
    std::string spreadsheetId;
    std::string baseUrl = "https://sheets.googleapis.com";
    // Access tokens for the service account (scope .../auth/spreadsheets); shared by the
    // destination and its writers, and safe to use from several threads.
    std::shared_ptr<net::TokenProvider> tokens;
    std::string clientEmail; // the service account, for "share the spreadsheet with …"
    int requestsInFlight = 2;
    int timeoutMs = 120'000; // per request
    net::RetryPolicy retry;
    // Google's documented quota: 60 write (and 60 read) requests per minute per user.
    net::RateLimit rateLimit{60, 60'000};
    std::string caFile;
    std::function<void(const std::string &line)> log; // redacted request lines, when set
};

struct SheetTab
{
    std::int64_t sheetId = 0;
    std::string title;
    int index = 0;
    int rowCount = 0;
    int columnCount = 0;
    bool hidden = false;
    std::int64_t cells() const { return static_cast<std::int64_t>(rowCount) * columnCount; }
};

struct SpreadsheetInfo
{
    std::string id;
    std::string title;
    std::string url;
    std::vector<SheetTab> tabs;
    std::int64_t cells() const; // what counts against the 10,000,000-cell limit
    // By title: exactly, else ignoring case (Google treats tab names that way).
    const SheetTab *tab(const std::string &title) const;
};

class GoogleSheetsApi
{
public:
    explicit GoogleSheetsApi(GoogleSheetsConfig config);
    ~GoogleSheetsApi();

    const GoogleSheetsConfig &config() const { return m_config; }
    // The client for requests that are safe to repeat (reads, values written at fixed ranges).
    net::HttpClient &http() { return *m_http; }
    // Stops requests in flight and waits (export and, once the engine hands one over, writers).
    void setCancel(CancelToken *cancel) { m_cancel = cancel; }
    // What both clients did so far (requests, retries, waits).
    net::ClientStats stats() const;

    // Requests under /v4/spreadsheets/{id} (`suffix` starts with "/" or ":", or is empty).
    std::string url(const std::string &suffix) const;
    net::Request request(const std::string &method, const std::string &url,
                         std::string body = {}) const;

    // Sends with the service account's token; requests answered 401 go once more with a new
    // token. An error means no token could be had (the key was refused, the token service was
    // unreachable): nothing was sent. `once`: a client that never repeats a request on its own
    // (no retries after network errors or 5xx; a 429 is still waited out), for requests that
    // must not take effect twice.
    Result<std::vector<Result<net::Response>>> sendAll(std::vector<net::Request> requests,
                                                       bool once = false);
    Result<net::Response> send(net::Request request, bool once = false);
    // Whether the last send failed for want of a token (the provider's error says why).
    bool noToken() const { return m_tokenFailed; }

    // GET the spreadsheet: title, address and tabs.
    Result<SpreadsheetInfo> spreadsheet();
    // Creates a spreadsheet with one tab (spreadsheets.create is not idempotent: it is sent once
    // per attempt, and a broken connection is reported rather than risk a second spreadsheet).
    Result<SpreadsheetInfo> createSpreadsheet(const std::string &title, const std::string &tab,
                                              int rowCount, int columnCount);
    // Adds a tab; when the answer was lost and the tab exists, that is success.
    Result<SheetTab> addTab(const std::string &title, int rowCount, int columnCount);
    // values.get of an A1 range, unformatted (numbers as numbers); an empty array when empty.
    Result<nlohmann::json> values(const std::string &range, const std::string &what);

    // The error a failed request means for the whole run, worded for users; `what` says what
    // Sluice was doing ("reading the tab's header").
    Error requestError(const net::Response &response, const std::string &what) const;
    Error transportError(const Error &error, const std::string &what) const;
    // Google's own words from an error body (or the status and body when there are none).
    std::string message(const net::Response &response) const;
    // "503 Service Unavailable: <Google's message>", for records that will be sent again.
    std::string summary(const net::Response &response) const;
    // Removes the access token from text that came back, in case the server echoes it.
    std::string scrub(std::string text) const;

private:
    net::HttpClient &onceClient();

    GoogleSheetsConfig m_config;
    std::unique_ptr<net::HttpClient> m_http;
    std::unique_ptr<net::HttpClient> m_once;
    CancelToken *m_cancel = nullptr;
    std::string m_token;        // the last token used, for scrub()
    bool m_tokenFailed = false; // the last send got no token (its error is the provider's)
};

// ---- A1 notation and cells ----------------------------------------------------------------

// 0 → "A", 25 → "Z", 26 → "AA".
std::string sheetsColumnName(int column);
// 'Tab name' with quotes doubled: always quoted, which Google accepts for any name.
std::string sheetsQuotedTitle(const std::string &title);
// 'Tab'!A1:C5 for 0-based rows/columns, end exclusive; a whole column when rowEnd < 0
// ('Tab'!C:C) and a whole row when columnEnd < 0 ('Tab'!1:1).
std::string sheetsRange(const std::string &title, int row, int column, int rowEnd, int columnEnd);
// The spreadsheet id from an id or a pasted address (https://docs.google.com/spreadsheets/d/ID/…).
std::string sheetsSpreadsheetId(std::string_view idOrUrl);
// Characters as Google counts them for the 50,000-per-cell limit (UTF-16 code units).
std::size_t sheetsCellLength(std::string_view text);
// A value as a JSON cell for RAW input: numbers stay numbers (integers beyond 2^53, which a
// spreadsheet would round, and non-finite reals go as text), text as a string, NULL as ""
// (which clears the cell).
void appendSheetsCell(std::string &out, const Value &value);
// The text a key cell is matched by, the same for what Sluice writes and what it reads back.
std::string sheetsKeyText(const Value &value);
std::string sheetsKeyText(const nlohmann::json &cell);

} // namespace sluice

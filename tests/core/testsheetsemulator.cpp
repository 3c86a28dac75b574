// The Google Sheets emulator on its own, request by request (no HTTP): it must validate and
// answer like the Sheets API v4, since the Google Sheets destination's tests trust it.
#include "sheetsemulator.h"

#include <QtTest>

using namespace sluice::emu;
using json = nlohmann::json;

namespace {

EmuRequest request(std::string method, std::string path, const json &body = nullptr,
                   std::map<std::string, std::string> query = {})
{
    EmuRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.query = std::move(query);
    r.headers = {{"authorization", std::string("Bearer ") + SheetsEmulator::kAccessToken},
                 {"content-type", "application/json"}};
    if (!body.is_null())
        r.body = body.dump();
    return r;
}

json bodyOf(const EmuReply &reply)
{
    return reply.body.empty() ? json() : json::parse(reply.body);
}

std::string messageOf(const EmuReply &reply)
{
    return bodyOf(reply)["error"]["message"].get<std::string>();
}

std::string values(const std::string &id, const std::string &range)
{
    return "/v4/spreadsheets/" + id + "/values/" + range;
}

const std::map<std::string, std::string> kRaw = {{"valueInputOption", "RAW"}};

} // namespace

class TestSheetsEmulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusesRequestsWithoutAValidToken()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        auto r = request("GET", "/v4/spreadsheets/" + id);
        r.headers.clear();
        auto reply = e.handle(r);
        QCOMPARE(reply.status, 401);
        auto body = bodyOf(reply);
        QCOMPARE(body["error"]["code"], 401);
        QCOMPARE(body["error"]["status"], "UNAUTHENTICATED");
        QVERIFY(body["error"]["message"].get<std::string>().starts_with(
            "Request had invalid authentication credentials."));
        r.headers = {{"authorization", "Bearer ya29.wrong"}};
        QCOMPARE(e.handle(r).status, 401);

        // A validator decides who the caller is (tests ask the OAuth emulator).
        e.setTokenValidator(
            [](const std::string &t) { return t == "good" ? std::string("a@b.c") : ""; });
        r.headers = {{"authorization", "Bearer good"}};
        reply = e.handle(r);
        QCOMPARE(reply.status, 403); // a@b.c is not an editor
        QCOMPARE(bodyOf(reply)["error"]["status"], "PERMISSION_DENIED");
        QCOMPARE(messageOf(reply), std::string("The caller does not have permission"));
        e.share(id, "a@b.c");
        QCOMPARE(e.handle(r).status, 200);
        QCOMPARE(e.counters().unauthorized, 2);
        QCOMPARE(e.counters().forbidden, 1);
    }

    void unknownSpreadsheetIsNotFound()
    {
        SheetsEmulator e;
        auto reply = e.handle(request("GET", "/v4/spreadsheets/nope"));
        QCOMPARE(reply.status, 404);
        QCOMPARE(bodyOf(reply)["error"]["status"], "NOT_FOUND");
        QCOMPARE(e.handle(request("GET", "/v4/elsewhere")).status, 404);
    }

    void createsAndDescribesSpreadsheets()
    {
        SheetsEmulator e;
        json body = {{"properties", {{"title", "Export"}}},
                     {"sheets",
                      {{{"properties",
                         {{"title", "People"},
                          {"gridProperties", {{"rowCount", 5}, {"columnCount", 3}}}}}}}}};
        auto reply = e.handle(request("POST", "/v4/spreadsheets", body));
        QCOMPARE(reply.status, 200);
        auto created = bodyOf(reply);
        const std::string id = created["spreadsheetId"];
        QCOMPARE(id.size(), 44u);
        QCOMPARE(created["properties"]["title"], "Export");
        QCOMPARE(created["sheets"][0]["properties"]["title"], "People");
        QCOMPARE(created["sheets"][0]["properties"]["sheetId"], 0);
        QCOMPARE(created["sheets"][0]["properties"]["gridProperties"]["rowCount"], 5);
        QCOMPARE(created["spreadsheetUrl"],
                 "https://docs.google.com/spreadsheets/d/" + id + "/edit");
        // The creator may use it; the default grid is 1000 × 26.
        auto plain = bodyOf(e.handle(request("POST", "/v4/spreadsheets", json::object())));
        QCOMPARE(plain["sheets"][0]["properties"]["title"], "Sheet1");
        QCOMPARE(plain["sheets"][0]["properties"]["gridProperties"]["columnCount"], 26);
        auto got = bodyOf(e.handle(request("GET", "/v4/spreadsheets/" + id)));
        QCOMPARE(got["sheets"].size(), 1u);
        QCOMPARE(e.cellCount(id), 15);
        QCOMPARE(e.counters().byMethod["create"], 2);
    }

    void writesRequireAValueInputOption()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        const json vr = {{"values", {{"a"}}}};
        auto reply = e.handle(request("PUT", values(id, "Sheet1!A1"), vr));
        QCOMPARE(reply.status, 400);
        QCOMPARE(messageOf(reply), std::string("'valueInputOption' is required but not specified"));
        QCOMPARE(bodyOf(reply)["error"]["status"], "INVALID_ARGUMENT");
        reply =
            e.handle(request("PUT", values(id, "Sheet1!A1"), vr, {{"valueInputOption", "RAWR"}}));
        QCOMPARE(reply.status, 400);
        QVERIFY(messageOf(reply).starts_with("Invalid value at 'value_input_option'"));
        reply = e.handle(request("POST", "/v4/spreadsheets/" + id + "/values:batchUpdate",
                                 {{"data", {{{"range", "A1"}, {"values", {{1}}}}}}}));
        QCOMPARE(reply.status, 400);
        QCOMPARE(messageOf(reply), std::string("'valueInputOption' is required but not specified"));
        QVERIFY(e.values(id, "Sheet1").empty());
    }

    void rawKeepsTextAsTextAndUserEnteredParses()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        const json vr = {{"values", {{"=1+1", "007", 42, 1.5, true}}}};
        auto reply = e.handle(request("PUT", values(id, "Sheet1!A1"), vr, kRaw));
        QCOMPARE(reply.status, 200);
        auto body = bodyOf(reply);
        QCOMPARE(body["updatedRange"], "Sheet1!A1:E1");
        QCOMPARE(body["updatedCells"], 5);
        QCOMPARE(e.values(id, "Sheet1")[0][0], json("=1+1"));
        QCOMPARE(e.values(id, "Sheet1")[0][1], json("007"));
        QCOMPARE(e.values(id, "Sheet1")[0][2], json(42));

        reply =
            e.handle(request("PUT", values(id, "Sheet1!A2"), {{"values", {{"007", "TRUE", "'12"}}}},
                             {{"valueInputOption", "USER_ENTERED"}}));
        QCOMPARE(reply.status, 200);
        QCOMPARE(e.values(id, "Sheet1")[1][0], json(7));
        QCOMPARE(e.values(id, "Sheet1")[1][1], json(true));
        QCOMPARE(e.values(id, "Sheet1")[1][2], json("12"));
        QCOMPARE(e.counters().valueInputOptions.size(), 2u);

        // FORMATTED_VALUE (the default) renders; UNFORMATTED_VALUE gives numbers as numbers.
        auto formatted = bodyOf(e.handle(request("GET", values(id, "Sheet1!A1:E1"))));
        QCOMPARE(formatted["values"][0][2], json("42"));
        QCOMPARE(formatted["values"][0][4], json("TRUE"));
        auto raw = bodyOf(e.handle(request("GET", values(id, "Sheet1!A1:E1"), nullptr,
                                           {{"valueRenderOption", "UNFORMATTED_VALUE"}})));
        QCOMPARE(raw["values"][0][2], json(42));
        QCOMPARE(raw["values"][0][3], json(1.5));
    }

    void readsRangesLikeGoogle()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        e.addTab(id, "Bob's list", 10, 4);
        e.setValues(id, "Bob's list", 0, 0, {{"id", "name", nullptr, "x"}, {1, "a"}, {}, {3, ""}});
        // A whole column, bounded to the grid in the echo; the empty row inside stays as [].
        auto reply = e.handle(request("GET", values(id, "'Bob''s list'!A:A")));
        QCOMPARE(reply.status, 200);
        auto body = bodyOf(reply);
        QCOMPARE(body["range"], "'Bob''s list'!A1:A10");
        QCOMPARE(body["majorDimension"], "ROWS");
        QCOMPARE(body["values"], json::parse(R"([["id"],["1"],[],["3"]])"));
        // Empty cells inside a row are "", trailing ones are left out.
        body = bodyOf(e.handle(request("GET", values(id, "'Bob''s list'!1:1"))));
        QCOMPARE(body["values"], json::parse(R"([["id","name","","x"]])"));
        QCOMPARE(body["range"], "'Bob''s list'!A1:D1");
        body = bodyOf(e.handle(request("GET", values(id, "'Bob''s list'!B2:C"))));
        QCOMPARE(body["values"], json::parse(R"([["a"]])"));
        // Nothing there: no "values" at all.
        body = bodyOf(e.handle(request("GET", values(id, "'Bob''s list'!C5:D6"))));
        QVERIFY(!body.contains("values"));
        // A bare tab name is the whole tab; a bare A1 range is on the first tab; names are
        // not case-sensitive.
        QCOMPARE(e.handle(request("GET", values(id, "Bob's list"))).status, 200);
        QCOMPARE(e.handle(request("GET", values(id, "A1:B2"))).status, 200);
        QCOMPARE(e.handle(request("GET", values(id, "'BOB''S LIST'!A1"))).status, 200);
        body = bodyOf(e.handle(request("GET", values(id, "'Bob''s list'!A1:B4"), nullptr,
                                       {{"majorDimension", "COLUMNS"}})));
        QCOMPARE(body["values"], json::parse(R"([["id","1","","3"],["name","a"]])"));
    }

    void unknownTabsAndBadRangesCannotBeParsed()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        for (const char *range : {"Nope!A1", "'Nope'!A:A", "Sheet1!A0", "Sheet1!", "Sheet1!1A"}) {
            auto reply = e.handle(request("GET", values(id, range)));
            QCOMPARE(reply.status, 400);
            QCOMPARE(messageOf(reply), std::string("Unable to parse range: ") + range);
        }
        auto reply = e.handle(request("PUT", values(id, "Nope!A1"), {{"values", {{1}}}}, kRaw));
        QCOMPARE(messageOf(reply), std::string("Unable to parse range: Nope!A1"));
    }

    void writesStayInsideTheGrid()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        e.addTab(id, "Small", 3, 2);
        auto reply =
            e.handle(request("PUT", values(id, "Small!A3"), {{"values", {{1}, {2}}}}, kRaw));
        QCOMPARE(reply.status, 400);
        QCOMPARE(messageOf(reply),
                 std::string("Range (Small!A4) exceeds grid limits. Max rows: 3, max columns: 2"));
        reply = e.handle(request("PUT", values(id, "Small!B1"), {{"values", {{1, 2}}}}, kRaw));
        QCOMPARE(messageOf(reply),
                 std::string("Range (Small!C1) exceeds grid limits. Max rows: 3, max columns: 2"));
        // A bounded range takes no more than it says.
        reply = e.handle(
            request("PUT", values(id, "Small!A1:B1"), {{"values", {{1, 2}, {3, 4}}}}, kRaw));
        QCOMPARE(reply.status, 400);
        QVERIFY(messageOf(reply).find("tried writing to row [2]") != std::string::npos);
        QVERIFY(e.values(id, "Small").empty());
    }

    void refusesCellsOverFiftyThousandCharacters()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        const std::string ok(50'000, 'x');
        QCOMPARE(e.handle(request("PUT", values(id, "A1"), {{"values", {{ok}}}}, kRaw)).status,
                 200);
        auto reply = e.handle(request("PUT", values(id, "A2"), {{"values", {{ok + "y"}}}}, kRaw));
        QCOMPARE(reply.status, 400);
        QCOMPARE(messageOf(reply), std::string("Your input contains more than the maximum of "
                                               "50000 characters in a single cell."));
        // Characters outside the BMP count twice (UTF-16), so 25,001 emoji are too many.
        std::string emoji;
        for (int i = 0; i < 25'001; ++i)
            emoji += "\xF0\x9F\x98\x80";
        QCOMPARE(e.handle(request("PUT", values(id, "A3"), {{"values", {{emoji}}}}, kRaw)).status,
                 400);
    }

    void valueBatchesAreAtomic()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        const json good = json::parse(R"({"range":"Sheet1!A1:B1","values":[["a","b"]]})");
        const json bad = {{"range", "Sheet1!A1001"}, {"values", {{"c"}}}};
        auto reply = e.handle(request("POST", "/v4/spreadsheets/" + id + "/values:batchUpdate",
                                      {{"valueInputOption", "RAW"}, {"data", {good, bad}}}));
        QCOMPARE(reply.status, 400);
        QVERIFY(e.values(id, "Sheet1").empty());
        reply = e.handle(request(
            "POST", "/v4/spreadsheets/" + id + "/values:batchUpdate",
            {{"valueInputOption", "RAW"},
             {"data", {good, {{"range", "Sheet1!A3"}, {"values", {{"c", nullptr, "e"}}}}}}}));
        QCOMPARE(reply.status, 200);
        auto body = bodyOf(reply);
        QCOMPARE(body["totalUpdatedCells"], 4);
        QCOMPARE(body["totalUpdatedRows"], 2);
        QCOMPARE(body["responses"].size(), 2u);
        QCOMPARE(body["responses"][1]["updatedRange"], "Sheet1!A3:C3");
        // null leaves a cell alone, "" clears it.
        reply =
            e.handle(request("POST", "/v4/spreadsheets/" + id + "/values:batchUpdate",
                             {{"valueInputOption", "RAW"},
                              {"data", {{{"range", "Sheet1!A1"}, {"values", {{nullptr, ""}}}}}}}));
        QCOMPARE(reply.status, 200);
        QCOMPARE(e.values(id, "Sheet1")[0], (std::vector<json>{"a"}));
        // Fields the API does not have are refused, like Google's JSON parser does.
        reply = e.handle(request(
            "POST", "/v4/spreadsheets/" + id + "/values:batchUpdate",
            {{"valueInputOption", "RAW"}, {"data", {{{"range", "A1"}, {"value", {{1}}}}}}}));
        QCOMPARE(reply.status, 400);
        QCOMPARE(messageOf(reply), std::string("Invalid JSON payload received. Unknown name "
                                               "\"value\" at 'data[0]': Cannot find field."));
    }

    void appendFindsTheTableAndGrowsTheGrid()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        e.addTab(id, "Log", 2, 2);
        e.setValues(id, "Log", 0, 0, {{"when", "what"}, {"mon", "x"}});
        const json rows = json::parse(R"({"values":[["tue","y"],["wed","z"]]})");
        auto reply = e.handle(request("POST", values(id, "Log!A1:append"), rows, kRaw));
        QCOMPARE(reply.status, 200);
        auto body = bodyOf(reply);
        QCOMPARE(body["tableRange"], "Log!A1:B2");
        QCOMPARE(body["updates"]["updatedRange"], "Log!A3:B4");
        QCOMPARE(e.tab(id, "Log")->rowCount, 4);
        QCOMPARE(e.values(id, "Log").size(), 4u);
        QCOMPARE(e.values(id, "Log")[3][0], json("wed"));
        // Repeating an append appends again: what makes append unsafe to retry.
        e.handle(request("POST", values(id, "Log!A1:append"), rows, kRaw));
        QCOMPARE(e.values(id, "Log").size(), 6u);
    }

    void clearsRanges()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        e.setValues(id, "Sheet1", 0, 0, {{1, 2}, {3, 4}, {5, 6}});
        auto reply = e.handle(request("POST", values(id, "Sheet1!B:B:clear"), json::object(), {}));
        QCOMPARE(reply.status, 200);
        QCOMPARE(bodyOf(reply)["clearedRange"], "Sheet1!B1:B1000");
        QCOMPARE(e.values(id, "Sheet1")[2], (std::vector<json>{5}));
        reply = e.handle(request("POST", "/v4/spreadsheets/" + id + "/values:batchClear",
                                 {{"ranges", {"Sheet1!A1", "Sheet1!A3"}}}));
        QCOMPARE(reply.status, 200);
        QCOMPARE(bodyOf(reply)["clearedRanges"].size(), 2u);
        QCOMPARE(e.values(id, "Sheet1").size(), 2u);
        QVERIFY(e.values(id, "Sheet1")[0].empty());
        QCOMPARE(e.values(id, "Sheet1")[1], (std::vector<json>{3}));
    }

    void batchUpdateAddsAndDeletesTabsAndRows()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        const std::string path = "/v4/spreadsheets/" + id + ":batchUpdate";
        auto reply = e.handle(
            request("POST", path,
                    {{"requests",
                      {{{"addSheet",
                         {{"properties",
                           {{"title", "Data"},
                            {"gridProperties", {{"rowCount", 6}, {"columnCount", 2}}}}}}}}}}}));
        QCOMPARE(reply.status, 200);
        auto added = bodyOf(reply)["replies"][0]["addSheet"]["properties"];
        QCOMPARE(added["title"], "Data");
        QCOMPARE(added["index"], 1);
        const std::int64_t sheetId = added["sheetId"];
        reply = e.handle(request(
            "POST", path, {{"requests", {{{"addSheet", {{"properties", {{"title", "data"}}}}}}}}}));
        QCOMPARE(reply.status, 400);
        QCOMPARE(messageOf(reply),
                 std::string("Invalid requests[0].addSheet: A sheet with the name "
                             "\"data\" already exists. Please enter another "
                             "name."));

        e.setValues(id, "Data", 0, 0, {{"k"}, {"a"}, {"b"}, {"c"}, {"d"}, {"e"}});
        // Bottom-up, so the second range still means the rows it was computed for.
        auto del = [&](int start, int end) {
            return json{{"deleteDimension",
                         {{"range",
                           {{"sheetId", sheetId},
                            {"dimension", "ROWS"},
                            {"startIndex", start},
                            {"endIndex", end}}}}}};
        };
        reply = e.handle(request("POST", path, {{"requests", {del(4, 6), del(1, 2)}}}));
        QCOMPARE(reply.status, 200);
        QCOMPARE(bodyOf(reply)["replies"], json::parse("[{},{}]"));
        QCOMPARE(e.values(id, "Data"), (std::vector<std::vector<json>>{{"k"}, {"b"}, {"c"}}));
        QCOMPARE(e.tab(id, "Data")->rowCount, 3);
        reply = e.handle(request("POST", path, {{"requests", {del(0, 3)}}}));
        QCOMPARE(reply.status, 400);
        QVERIFY(messageOf(reply).find("You can't delete all the rows") != std::string::npos);

        // Atomic: the second request fails, so the first (a marker tab) is not kept either.
        const json marker = {{"addSheet",
                              {{"properties",
                                {{"sheetId", 1234567890},
                                 {"title", "marker"},
                                 {"hidden", true},
                                 {"gridProperties", {{"rowCount", 1}, {"columnCount", 1}}}}}}}};
        reply = e.handle(request("POST", path, {{"requests", {marker, del(5, 9)}}}));
        QCOMPARE(reply.status, 400);
        QVERIFY(messageOf(reply).starts_with("Invalid requests[1].deleteDimension: "));
        QVERIFY(!e.tab(id, "marker"));
        reply = e.handle(request("POST", path, {{"requests", {marker, del(2, 3)}}}));
        QCOMPARE(reply.status, 200);
        QVERIFY(e.tab(id, "marker")->hidden);
        // The same request again: the marker's id is taken, so nothing is deleted twice.
        reply = e.handle(request("POST", path, {{"requests", {marker, del(1, 2)}}}));
        QCOMPARE(reply.status, 400);
        QCOMPARE(e.values(id, "Data"), (std::vector<std::vector<json>>{{"k"}, {"b"}}));
        reply = e.handle(
            request("POST", path, {{"requests", {{{"deleteSheet", {{"sheetId", 1234567890}}}}}}}));
        QCOMPARE(reply.status, 200);
        QVERIFY(!e.tab(id, "marker"));
        reply = e.handle(
            request("POST", path, {{"requests", {{{"deleteSheet", {{"sheetId", 1234567890}}}}}}}));
        QCOMPARE(reply.status, 400);
        reply = e.handle(request("POST", path, {{"requests", {{{"sortRange", json::object()}}}}}));
        QCOMPARE(reply.status, 400);
        QVERIFY(messageOf(reply).find("Unknown name \"sortRange\"") != std::string::npos);
    }

    void enforcesTheTenMillionCellLimit()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book"); // 26,000 cells
        e.addTab(id, "Big", 9'000'000, 1);
        const std::string path = "/v4/spreadsheets/" + id + ":batchUpdate";
        const auto sheetId = e.tab(id, "Big")->sheetId;
        auto resize = [&](int rows, int columns) {
            return json{{"requests",
                         {{{"updateSheetProperties",
                            {{"properties",
                              {{"sheetId", sheetId},
                               {"gridProperties", {{"rowCount", rows}, {"columnCount", columns}}}}},
                             {"fields", "gridProperties.rowCount,gridProperties.columnCount"}}}}}}};
        };
        auto reply = e.handle(request("POST", path, resize(9'974'000, 1)));
        QCOMPARE(reply.status, 200);
        QCOMPARE(e.cellCount(id), 10'000'000);
        reply = e.handle(request("POST", path, resize(9'974'001, 1)));
        QCOMPARE(reply.status, 400);
        QCOMPARE(messageOf(reply),
                 std::string("Invalid requests[0].updateSheetProperties: This action would "
                             "increase the number of cells in the workbook above the limit of "
                             "10000000 cells."));
        QCOMPARE(e.cellCount(id), 10'000'000);
        reply = e.handle(
            request("POST", path,
                    {{"requests", {{{"addSheet", {{"properties", {{"title", "One more"}}}}}}}}}));
        QCOMPARE(reply.status, 400);
        QVERIFY(messageOf(reply).ends_with("above the limit of 10000000 cells."));
        // Appending past the grid's end adds rows, which count too.
        SheetsEmulator f;
        const std::string other = f.addSpreadsheet("Other"); // 26,000 cells
        f.addTab(other, "Big", 9'973'998, 1);
        f.addTab(other, "Log", 1, 1);
        f.setValues(other, "Log", 0, 0, {{"first"}});
        QCOMPARE(f.cellCount(other), 9'999'999);
        reply =
            f.handle(request("POST", values(other, "Log!A1:append"), {{"values", {{1}}}}, kRaw));
        QCOMPARE(reply.status, 200);
        QCOMPARE(f.cellCount(other), 10'000'000);
        reply =
            f.handle(request("POST", values(other, "Log!A1:append"), {{"values", {{2}}}}, kRaw));
        QCOMPARE(reply.status, 400);
        QCOMPARE(messageOf(reply), std::string("This action would increase the number of cells "
                                               "in the workbook above the limit of 10000000 "
                                               "cells."));
        QCOMPARE(f.values(other, "Log").size(), 2u);
    }

    void quotasAnswer429WithGooglesBody()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        e.setWriteQuota(2);
        const json vr = {{"values", {{1}}}};
        QCOMPARE(e.handle(request("PUT", values(id, "A1"), vr, kRaw)).status, 200);
        QCOMPARE(e.handle(request("PUT", values(id, "A1"), vr, kRaw)).status, 200);
        auto reply = e.handle(request("PUT", values(id, "A1"), vr, kRaw));
        QCOMPARE(reply.status, 429);
        auto body = bodyOf(reply);
        QCOMPARE(body["error"]["status"], "RESOURCE_EXHAUSTED");
        QVERIFY(body["error"]["message"].get<std::string>().find(
                    "'Write requests per minute per user'") != std::string::npos);
        QCOMPARE(body["error"]["details"][0]["reason"], "RATE_LIMIT_EXCEEDED");
        QCOMPARE(body["error"]["details"][0]["metadata"]["quota_limit"],
                 "WriteRequestsPerMinutePerUser");
        QCOMPARE(e.counters().rateLimited, 1);
        // Reads have their own quota.
        QCOMPARE(e.handle(request("GET", values(id, "A1"))).status, 200);
        e.setReadQuota(1);
        QCOMPARE(e.handle(request("GET", values(id, "A1"))).status, 200);
        reply = e.handle(request("GET", values(id, "A1")));
        QCOMPARE(reply.status, 429);
        QCOMPARE(bodyOf(reply)["error"]["details"][0]["metadata"]["quota_metric"],
                 "sheets.googleapis.com/read_requests");
    }

    void injectedFaultsUseGooglesBodies()
    {
        SheetsEmulator e;
        auto limited = e.rateLimited(true);
        QCOMPARE(limited.status, 429);
        bool retryAfter = false;
        for (const auto &[k, v] : limited.headers)
            retryAfter = retryAfter || (k == "Retry-After" && v == "1");
        QVERIFY(retryAfter);
        QCOMPARE(bodyOf(e.rateLimited(false))["error"]["status"], "RESOURCE_EXHAUSTED");
        auto unavailable = e.serverError(503);
        QCOMPARE(unavailable.status, 503);
        QCOMPARE(bodyOf(unavailable)["error"]["status"], "UNAVAILABLE");
        QCOMPARE(bodyOf(e.serverError(500))["error"]["status"], "INTERNAL");
    }

    void badJsonIsRefused()
    {
        SheetsEmulator e;
        const std::string id = e.addSpreadsheet("Book");
        auto r = request("POST", "/v4/spreadsheets/" + id + "/values:batchUpdate");
        r.body = "{not json";
        auto reply = e.handle(r);
        QCOMPARE(reply.status, 400);
        QVERIFY(messageOf(reply).starts_with("Invalid JSON payload received."));
        reply = e.handle(
            request("PUT", values(id, "A1"), json::parse(R"({"values":[[{"a":1}]]})"), kRaw));
        QCOMPARE(reply.status, 400);
    }
};

QTEST_GUILESS_MAIN(TestSheetsEmulator)
#include "testsheetsemulator.moc"

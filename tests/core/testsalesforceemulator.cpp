// The Salesforce emulator on its own, request by request (no HTTP): it must validate and answer
// like Salesforce's REST and Bulk API 2.0, since the Salesforce destination's tests trust it.
#include "salesforceemulator.h"

#include <QtTest>

#include <set>

using namespace sluice::emu;
using json = nlohmann::json;

namespace {

const std::string kSession = "00D000000000001!AR8.test-session";
const std::string kBase = "/services/data/v60.0";

EmuRequest request(std::string method, const std::string &path, const json &body = nullptr,
                   std::map<std::string, std::string> query = {})
{
    EmuRequest r;
    r.method = std::move(method);
    r.path = kBase + path;
    r.query = std::move(query);
    r.headers = {{"authorization", "Bearer " + kSession}, {"content-type", "application/json"}};
    if (!body.is_null())
        r.body = body.dump();
    return r;
}

EmuRequest csvRequest(std::string method, const std::string &path, std::string csv)
{
    EmuRequest r = request(std::move(method), path);
    r.headers = {{"authorization", "Bearer " + kSession}, {"content-type", "text/csv"}};
    r.body = std::move(csv);
    return r;
}

json bodyOf(const EmuReply &reply)
{
    return reply.body.empty() ? json() : json::parse(reply.body);
}

std::string header(const EmuReply &reply, const std::string &name)
{
    for (const auto &[k, v] : reply.headers) {
        if (QString::fromStdString(k).compare(QString::fromStdString(name), Qt::CaseInsensitive) ==
            0)
            return v;
    }
    return {};
}

const json *fieldNamed(const json &describe, const std::string &name)
{
    for (const auto &f : describe["fields"]) {
        if (f["name"] == name)
            return &f;
    }
    return nullptr;
}

json contact(const std::string &ext, json fields)
{
    fields["attributes"] = {{"type", "Contact"}};
    fields["Ext_Id__c"] = ext;
    return fields;
}

json upsert(SalesforceEmulator &sf, json records, bool allOrNone = false)
{
    if (records.is_object()) // {one} in braces is that one record, not a list of it
        records = json::array({records});
    auto reply = sf.handle(request("PATCH", "/composite/sobjects/Contact/Ext_Id__c",
                                   {{"allOrNone", allOrNone}, {"records", records}}));
    if (reply.status != 200)
        qWarning("upsert answered %d: %s", reply.status, reply.body.c_str());
    return bodyOf(reply);
}

// A Bulk API 2.0 CSV answer as rows of cells (quoted fields, doubled quotes, LF).
std::vector<std::vector<std::string>> csvRows(const std::string &text)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\n') {
            row.push_back(std::move(cell));
            cell.clear();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            cell += c;
        }
    }
    return rows;
}

// Runs a job to its end: create, upload, close, poll. Returns its id.
std::string runJob(SalesforceEmulator &sf, const json &spec, const std::string &csv)
{
    auto created = sf.handle(request("POST", "/jobs/ingest", spec));
    if (created.status != 200)
        qFatal("create job: %s", created.body.c_str());
    const std::string id = bodyOf(created)["id"];
    auto put = sf.handle(csvRequest("PUT", "/jobs/ingest/" + id + "/batches", csv));
    if (put.status != 201)
        qFatal("upload: %s", put.body.c_str());
    auto closed = sf.handle(request("PATCH", "/jobs/ingest/" + id, {{"state", "UploadComplete"}}));
    if (closed.status != 200)
        qFatal("close: %s", closed.body.c_str());
    for (int i = 0; i < 10; ++i) {
        const std::string state = bodyOf(sf.handle(request("GET", "/jobs/ingest/" + id)))["state"];
        if (state == "JobComplete" || state == "Failed")
            break;
    }
    return id;
}

} // namespace

class TestSalesforceEmulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusesRequestsWithoutAValidSession()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        auto r = request("GET", "/sobjects");
        r.headers.clear();
        auto reply = sf.handle(r);
        QCOMPARE(reply.status, 401);
        auto body = bodyOf(reply);
        QVERIFY(body.is_array());
        QCOMPARE(body[0]["errorCode"], "INVALID_SESSION_ID");
        QCOMPARE(body[0]["message"], "Session expired or invalid");
        QVERIFY(header(reply, "Sforce-Limit-Info").starts_with("api-usage="));

        r.headers = {{"authorization", "Bearer 00Dwrong"}};
        QCOMPARE(sf.handle(r).status, 401);
        QCOMPARE(sf.handle(request("GET", "/sobjects")).status, 200);
        sf.setRejectAllSessions(true);
        QCOMPARE(sf.handle(request("GET", "/sobjects")).status, 401);
        QCOMPARE(sf.counters().unauthorized, 3);
        QVERIFY(sf.sessionsSeen().count(kSession));
        QVERIFY(sf.sessionsSeen().count("00Dwrong"));
    }

    void signsInWithClientCredentialsOnTheSameHost()
    {
        SalesforceEmulator sf;
        EmuRequest token;
        token.method = "POST";
        token.path = "/services/oauth2/token";
        token.headers = {{"content-type", "application/x-www-form-urlencoded"},
                         {"host", "127.0.0.1:4567"}};
        token.body = std::string("grant_type=client_credentials&client_id=") +
                     OAuthEmulator::kSalesforceClientId +
                     "&client_secret=" + OAuthEmulator::kSalesforceClientSecret;
        auto answer = sf.handle(token);
        QCOMPARE(answer.status, 200);
        auto body = bodyOf(answer);
        QCOMPARE(body["instance_url"], "http://127.0.0.1:4567"); // this very server
        QCOMPARE(body["token_type"], "Bearer");
        QVERIFY(!body.contains("expires_in"));

        auto r = request("GET", "/sobjects");
        r.headers = {{"authorization", "Bearer " + body["access_token"].get<std::string>()}};
        QCOMPARE(sf.handle(r).status, 200);
        // Token requests are not API requests.
        QCOMPARE(sf.counters().apiRequests, 1);

        sf.oauth().revokeAccessTokens();
        QCOMPARE(sf.handle(r).status, 401);
        sf.setInstanceUrl("https://acme.my.salesforce.com");
        QCOMPARE(bodyOf(sf.handle(token))["instance_url"], "https://acme.my.salesforce.com");
    }

    void describesObjectsLikeSalesforce()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        auto global = bodyOf(sf.handle(request("GET", "/sobjects")));
        QCOMPARE(global["maxBatchSize"], 200);
        std::map<std::string, json> byName;
        for (const auto &o : global["sobjects"])
            byName[o["name"]] = o;
        QVERIFY(byName.count("Contact") && byName.count("Account") &&
                byName.count("Subscription__c") && byName.count("ContactHistory"));
        QCOMPARE(byName["Contact"]["keyPrefix"], "003");
        QCOMPARE(byName["Contact"]["createable"], true);
        QCOMPARE(byName["ContactHistory"]["createable"], false);
        QCOMPARE(byName["ContactHistory"]["queryable"], true);
        QCOMPARE(byName["Subscription__c"]["custom"], true);
        QCOMPARE(byName["Contact"]["urls"]["describe"],
                 "/services/data/v60.0/sobjects/Contact/describe");

        auto d = bodyOf(sf.handle(request("GET", "/sobjects/Contact/describe")));
        QCOMPARE(d["name"], "Contact");
        const json &last = *fieldNamed(d, "LastName");
        QCOMPARE(last["nillable"], false);
        QCOMPARE(last["createable"], true);
        QCOMPARE(last["defaultedOnCreate"], false);
        QCOMPARE(last["length"], 80);
        QCOMPARE(last["type"], "string");
        const json &ext = *fieldNamed(d, "Ext_Id__c");
        QCOMPARE(ext["externalId"], true);
        QCOMPARE(ext["idLookup"], true);
        QCOMPARE(ext["unique"], true);
        QCOMPARE(ext["custom"], true);
        const json &created = *fieldNamed(d, "CreatedDate");
        QCOMPARE(created["createable"], false);
        QCOMPARE(created["updateable"], false);
        QCOMPARE(created["type"], "datetime");
        QCOMPARE((*fieldNamed(d, "SystemModstamp"))["updateable"], false);
        QCOMPARE((*fieldNamed(d, "Email"))["type"], "email");
        QCOMPARE((*fieldNamed(d, "Email"))["idLookup"], true);
        QCOMPARE((*fieldNamed(d, "Email"))["externalId"], false);
        QCOMPARE((*fieldNamed(d, "Birthdate"))["type"], "date");
        QCOMPARE((*fieldNamed(d, "HasOptedOutOfEmail"))["type"], "boolean");
        QCOMPARE((*fieldNamed(d, "HasOptedOutOfEmail"))["defaultedOnCreate"], true);
        QCOMPARE((*fieldNamed(d, "Tier__c"))["restrictedPicklist"], true);
        QCOMPARE((*fieldNamed(d, "Tier__c"))["picklistValues"].size(), 4u);
        QCOMPARE((*fieldNamed(d, "AccountId"))["referenceTo"][0], "Account");
        QCOMPARE((*fieldNamed(d, "Id"))["type"], "id");
        QCOMPARE((*fieldNamed(d, "Lifetime_Value__c"))["type"], "currency");

        QCOMPARE(sf.handle(request("GET", "/sobjects/Spaceship__c/describe")).status, 404);
        auto badVersion = sf.handle(request("GET", "/sobjects"));
        QCOMPARE(badVersion.status, 200);
        auto r = request("GET", "/sobjects");
        r.path = "/services/data/v99.9/sobjects";
        QCOMPARE(sf.handle(r).status, 404);
    }

    void collectionsUpsertCreatesThenUpdatesInRequestOrder()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        auto first = upsert(sf, {contact("r-1", {{"LastName", "Smith"}, {"Email", "a@x.com"}}),
                                 contact("r-2", {{"LastName", "Jones"}})});
        QCOMPARE(first.size(), 2u);
        QCOMPARE(first[0]["success"], true);
        QCOMPARE(first[0]["created"], true);
        QCOMPARE(first[0]["errors"], json::array());
        const std::string id = first[0]["id"];
        QCOMPARE(id.size(), 18u);
        QVERIFY(id.starts_with("003"));
        QVERIFY(sf.byId("Contact", id.substr(0, 15))); // 15-character form works too

        auto second = upsert(
            sf, {contact("R-2", {{"FirstName", "Ann"}}), contact("r-3", {{"LastName", "New"}})});
        QCOMPARE(second[0]["created"], false); // external IDs match without case
        QCOMPARE(second[0]["id"], first[1]["id"]);
        QCOMPARE(second[1]["created"], true);
        QCOMPARE(sf.recordCount("Contact"), 3u);
        auto jones = sf.find("Contact", "Ext_Id__c", "r-2");
        QVERIFY(jones);
        QCOMPARE(jones->fields.at("FirstName"), "Ann");
        QCOMPARE(jones->fields.at("LastName"), "Jones");
        QCOMPARE(jones->fields.at("Name"), "Ann Jones");
        QCOMPARE(jones->fields.at("HasOptedOutOfEmail"), false);
        QVERIFY(jones->fields.count("CreatedDate") && jones->fields.count("SystemModstamp"));
        QCOMPARE(sf.counters().created, 3);
        QCOMPARE(sf.counters().updated, 1);
        QCOMPARE(sf.counters().recordsByOperation["upsert"], 4);

        // null clears a field; types are converted as Salesforce stores them.
        auto typed = upsert(sf, {contact("r-1", {{"Email", nullptr},
                                                 {"Birthdate", "1990-03-12"},
                                                 {"Last_Order_At__c", "2024-01-02T10:00:00Z"},
                                                 {"Score__c", "12.5"},
                                                 {"Is_Customer__c", true}})});
        QCOMPARE(typed[0]["success"], true);
        auto smith = sf.find("Contact", "Ext_Id__c", "r-1");
        QVERIFY(!smith->fields.count("Email"));
        QCOMPARE(smith->fields.at("Last_Order_At__c"), "2024-01-02T10:00:00.000+0000");
        QCOMPARE(smith->fields.at("Score__c"), 12.5);
        QCOMPARE(smith->fields.at("Is_Customer__c"), true);
    }

    void perRecordErrorsInSalesforcesWords()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        auto result = upsert(
            sf, {contact("ok", {{"LastName", "Fine"}}), contact("no-name", {{"FirstName", "X"}}),
                 contact("bad-mail", {{"LastName", "M"}, {"Email", "not-an-email"}}),
                 contact("long", {{"LastName", std::string(81, 'x')}}),
                 contact("ro", {{"LastName", "R"}, {"CreatedDate", "2024-01-01T00:00:00Z"}}),
                 contact("tier", {{"LastName", "T"}, {"Tier__c", "Diamond"}})});
        QCOMPARE(result.size(), 6u);
        QCOMPARE(result[0]["success"], true);
        auto err = [&](int i) { return result[i]["errors"][0]; };
        QCOMPARE(result[1]["success"], false);
        QCOMPARE(result[1]["created"], false);
        QVERIFY(!result[1].contains("id") || result[1]["id"].is_null());
        QCOMPARE(err(1)["statusCode"], "REQUIRED_FIELD_MISSING");
        QCOMPARE(err(1)["message"], "Required fields are missing: [LastName]");
        QCOMPARE(err(1)["fields"], json::array({"LastName"}));
        QCOMPARE(err(2)["statusCode"], "INVALID_EMAIL_ADDRESS");
        QCOMPARE(err(2)["message"], "Email: invalid email address: not-an-email");
        QCOMPARE(err(2)["fields"], json::array({"Email"}));
        QCOMPARE(err(3)["statusCode"], "STRING_TOO_LONG");
        QCOMPARE(err(3)["message"],
                 "Last Name: data value too large: " + std::string(81, 'x') + " (max length=80)");
        QCOMPARE(err(4)["statusCode"], "INVALID_FIELD_FOR_INSERT_UPDATE");
        QVERIFY(err(4)["message"].get<std::string>().starts_with(
            "Unable to create/update fields: CreatedDate."));
        QCOMPARE(err(4)["fields"], json::array({"CreatedDate"}));
        QCOMPARE(err(5)["statusCode"], "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        QCOMPARE(sf.recordCount("Contact"), 1u);
        QCOMPARE(sf.counters().recordErrors, 5);

        // An update must not clear a required field either.
        auto cleared = upsert(sf, {contact("ok", {{"LastName", nullptr}})});
        QCOMPARE(cleared[0]["errors"][0]["statusCode"], "REQUIRED_FIELD_MISSING");

        // A unique field's value held by another record.
        auto account = [](const std::string &ext, const std::string &domain) {
            return json{{"attributes", {{"type", "Account"}}},
                        {"Ext_Id__c", ext},
                        {"Name", "Acme " + ext},
                        {"Domain__c", domain}};
        };
        auto a =
            bodyOf(sf.handle(request("PATCH", "/composite/sobjects/Account/Ext_Id__c",
                                     {{"records", json::array({account("a1", "acme.com")})}})));
        auto b =
            bodyOf(sf.handle(request("PATCH", "/composite/sobjects/Account/Ext_Id__c",
                                     {{"records", json::array({account("a2", "ACME.com")})}})));
        QCOMPARE(b[0]["errors"][0]["statusCode"], "DUPLICATE_VALUE");
        QCOMPARE(b[0]["errors"][0]["message"],
                 "duplicate value found: Domain__c duplicates value on record with id: " +
                     a[0]["id"].get<std::string>());

        // Creating a record whose external ID exists is a duplicate too.
        json dup = contact("ok", {{"LastName", "Again"}});
        auto created =
            bodyOf(sf.handle(request("POST", "/composite/sobjects",
                                     {{"allOrNone", false}, {"records", json::array({dup})}})));
        QCOMPARE(created[0]["errors"][0]["statusCode"], "DUPLICATE_VALUE");
        QVERIFY(!created[0].contains("created"));

        // The same external ID twice in one request.
        auto twice =
            upsert(sf, {contact("z", {{"LastName", "A"}}), contact("Z", {{"LastName", "B"}})});
        QCOMPARE(twice[0]["errors"][0]["statusCode"], "DUPLICATE_EXTERNAL_ID");
        QCOMPARE(twice[1]["errors"][0]["statusCode"], "DUPLICATE_EXTERNAL_ID");
        QVERIFY(!sf.find("Contact", "Ext_Id__c", "z"));
    }

    void allOrNoneRollsBackTheWholeRequest()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        upsert(sf, {contact("keep", {{"LastName", "Before"}})});
        auto result =
            upsert(sf,
                   {contact("keep", {{"LastName", "After"}}), contact("new", {{"LastName", "New"}}),
                    contact("bad", {{"Email", "x@"}})},
                   true);
        QCOMPARE(result[0]["success"], false);
        QCOMPARE(result[0]["errors"][0]["statusCode"], "ALL_OR_NONE_OPERATION_ROLLED_BACK");
        QCOMPARE(result[1]["errors"][0]["statusCode"], "ALL_OR_NONE_OPERATION_ROLLED_BACK");
        QCOMPARE(result[2]["errors"].size(), 2u); // LastName missing and the email
        QCOMPARE(sf.recordCount("Contact"), 1u);
        QCOMPARE(sf.find("Contact", "Ext_Id__c", "keep")->fields.at("LastName"), "Before");
        // The rolled-back new record left nothing behind: its key is free.
        QCOMPARE(upsert(sf, {contact("new", {{"LastName", "N"}})})[0]["created"], true);
    }

    void requestLevelErrorsAreArrays()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        json many = json::array();
        for (int i = 0; i < 201; ++i)
            many.push_back(contact("k" + std::to_string(i), {{"LastName", "L"}}));
        auto tooMany = sf.handle(request("PATCH", "/composite/sobjects/Contact/Ext_Id__c",
                                         {{"allOrNone", false}, {"records", many}}));
        QCOMPARE(tooMany.status, 400);
        QCOMPARE(bodyOf(tooMany)[0]["errorCode"], "EXCEEDED_ID_LIMIT");
        QCOMPARE(sf.recordCount("Contact"), 0u);
        many.erase(many.begin());
        QCOMPARE(sf.handle(request("PATCH", "/composite/sobjects/Contact/Ext_Id__c",
                                   {{"records", many}}))
                     .status,
                 200);
        QCOMPARE(sf.recordCount("Contact"), 200u);

        auto unknown =
            sf.handle(request("PATCH", "/composite/sobjects/Contact/Ext_Id__c",
                              {{"records", json::array({contact("u", {{"Foo__c", 1}})})}}));
        QCOMPARE(unknown.status, 400);
        QCOMPARE(bodyOf(unknown)[0]["errorCode"], "INVALID_FIELD");
        QCOMPARE(bodyOf(unknown)[0]["message"],
                 "No such column 'Foo__c' on sobject of type Contact");

        json untyped = {{"Ext_Id__c", "t"}, {"LastName", "L"}};
        auto noType = sf.handle(request("PATCH", "/composite/sobjects/Contact/Ext_Id__c",
                                        {{"records", json::array({untyped})}}));
        QCOMPARE(noType.status, 400);
        QCOMPARE(bodyOf(noType)[0]["errorCode"], "INVALID_TYPE");
        json account = {{"attributes", {{"type", "Account"}}}, {"Ext_Id__c", "t"}, {"Name", "A"}};
        auto mismatch = sf.handle(request("PATCH", "/composite/sobjects/Contact/Ext_Id__c",
                                          {{"records", json::array({account})}}));
        QCOMPARE(mismatch.status, 400);
        QCOMPARE(bodyOf(mismatch)[0]["errorCode"], "INVALID_TYPE");

        auto notExternal =
            sf.handle(request("PATCH", "/composite/sobjects/Contact/Email",
                              {{"records", json::array({contact("e", {{"LastName", "L"}})})}}));
        QCOMPARE(notExternal.status, 404);
        QCOMPARE(bodyOf(notExternal)[0]["message"],
                 "Provided external ID field does not exist or is not accessible: Email");

        auto badDate =
            sf.handle(request("PATCH", "/composite/sobjects/Contact/Ext_Id__c",
                              {{"records", json::array({contact("d", {{"Birthdate", "soon"}})})}}));
        QCOMPARE(badDate.status, 400);
        QCOMPARE(bodyOf(badDate)[0]["errorCode"], "JSON_PARSER_ERROR");

        auto r = request("PATCH", "/composite/sobjects/Contact/Ext_Id__c");
        r.body = "{not json";
        QCOMPARE(bodyOf(sf.handle(r))[0]["errorCode"], "JSON_PARSER_ERROR");
        QCOMPARE(sf.handle(request("PUT", "/composite/sobjects/Contact/Ext_Id__c")).status, 405);
        QCOMPARE(sf.handle(request("GET", "/nothing/here")).status, 404);
    }

    void updatesAndDeletesByIdAndQueries()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        auto made =
            upsert(sf, {contact("a", {{"LastName", "A"}, {"Email", "a@x.com"}}),
                        contact("b", {{"LastName", "B"}}), contact("c", {{"LastName", "C"}})});
        const std::string a = made[0]["id"], b = made[1]["id"], c = made[2]["id"];

        json update = {{"attributes", {{"type", "Contact"}}}, {"id", b}, {"Title", "Boss"}};
        json missingId = {{"attributes", {{"type", "Contact"}}}, {"Title", "x"}};
        auto updated = bodyOf(
            sf.handle(request("PATCH", "/composite/sobjects", {{"records", {update, missingId}}})));
        QCOMPARE(updated[0]["success"], true);
        QCOMPARE(updated[1]["errors"][0]["statusCode"], "MISSING_ARGUMENT");
        QCOMPARE(sf.byId("Contact", b)->fields.at("Title"), "Boss");

        auto q = bodyOf(sf.handle(request(
            "GET", "/query", nullptr,
            {{"q", "SELECT Id, Ext_Id__c FROM Contact WHERE Ext_Id__c IN ('A', 'c', 'zz')"}})));
        QCOMPARE(q["totalSize"], 2);
        QCOMPARE(q["done"], true);
        std::set<std::string> ids;
        for (const auto &rec : q["records"]) {
            ids.insert(rec["Id"]);
            QCOMPARE(rec["attributes"]["type"], "Contact");
        }
        QCOMPARE(ids, (std::set<std::string>{a, c}));
        auto byEmail = bodyOf(sf.handle(request(
            "GET", "/query", nullptr, {{"q", "select Id from Contact where Email = 'A@X.COM'"}})));
        QCOMPARE(byEmail["records"][0]["Id"], a);
        auto noColumn =
            sf.handle(request("GET", "/query", nullptr, {{"q", "SELECT Id, Nope FROM Contact"}}));
        QCOMPARE(noColumn.status, 400);
        QCOMPARE(bodyOf(noColumn)[0]["errorCode"], "INVALID_FIELD");
        auto malformed =
            sf.handle(request("GET", "/query", nullptr, {{"q", "SELECT FROM Contact"}}));
        QCOMPARE(bodyOf(malformed)[0]["errorCode"], "MALFORMED_QUERY");

        // Pages of at most the page size, followed through nextRecordsUrl.
        sf.setQueryPageSize(2);
        auto page1 =
            bodyOf(sf.handle(request("GET", "/query", nullptr, {{"q", "SELECT Id FROM Contact"}})));
        QCOMPARE(page1["done"], false);
        QCOMPARE(page1["totalSize"], 3);
        QCOMPARE(page1["records"].size(), 2u);
        std::string next = page1["nextRecordsUrl"];
        QVERIFY(next.starts_with(kBase + "/query/"));
        auto page2 = bodyOf(sf.handle(request("GET", next.substr(kBase.size()))));
        QCOMPARE(page2["done"], true);
        QCOMPARE(page2["records"].size(), 1u);

        auto deleted = bodyOf(sf.handle(
            request("DELETE", "/composite/sobjects", nullptr,
                    {{"ids", a + "," + c.substr(0, 15) + ",003bogus"}, {"allOrNone", "false"}})));
        QCOMPARE(deleted[0]["success"], true);
        QCOMPARE(deleted[0]["id"], a);
        QCOMPARE(deleted[1]["success"], true);
        QCOMPARE(deleted[2]["errors"][0]["statusCode"], "MALFORMED_ID");
        QCOMPARE(sf.recordCount("Contact"), 1u);
        auto again = bodyOf(sf.handle(request("DELETE", "/composite/sobjects", nullptr,
                                              {{"ids", a}, {"allOrNone", "false"}})));
        QCOMPARE(again[0]["errors"][0]["statusCode"], "ENTITY_IS_DELETED");
        QCOMPARE(again[0]["errors"][0]["message"], "entity is deleted");
        // An external ID that was deleted may be used again.
        QCOMPARE(upsert(sf, {contact("a", {{"LastName", "A2"}})})[0]["created"], true);
    }

    void bulkUpsertJobLifecycle()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        sf.setPollsToComplete(2);
        upsert(sf, {contact("k2", {{"LastName", "Old"}, {"Title", "Keep"}})});
        auto created = sf.handle(request("POST", "/jobs/ingest",
                                         {{"object", "Contact"},
                                          {"operation", "upsert"},
                                          {"externalIdFieldName", "Ext_Id__c"},
                                          {"contentType", "CSV"},
                                          {"lineEnding", "LF"},
                                          {"columnDelimiter", "COMMA"}}));
        QCOMPARE(created.status, 200);
        auto job = bodyOf(created);
        QCOMPARE(job["state"], "Open");
        QCOMPARE(job["jobType"], "V2Ingest");
        QCOMPARE(job["apiVersion"], 60.0);
        const std::string id = job["id"];
        QVERIFY(id.starts_with("750"));
        QCOMPARE(job["contentUrl"], "services/data/v60.0/jobs/ingest/" + id + "/batches");

        // Before upload complete there are no results.
        QCOMPARE(sf.handle(request("GET", "/jobs/ingest/" + id + "/successfulResults")).status,
                 400);
        const std::string csv = "Ext_Id__c,LastName,Email,Title,Birthdate\n"
                                "k1,\"Smith, Jr.\",s@x.com,,1990-03-12\n"
                                "k2,New,,#N/A,\n"
                                "k3,Bad,not-an-email,,\n"
                                "k4,,x@y.com,,\n"
                                "k5,Dated,,,someday\n";
        QCOMPARE(sf.handle(csvRequest("PUT", "/jobs/ingest/" + id + "/batches", csv)).status, 201);
        QCOMPARE(sf.recordCount("Contact"), 1u); // nothing happens before the job runs
        auto closed =
            sf.handle(request("PATCH", "/jobs/ingest/" + id, {{"state", "UploadComplete"}}));
        QCOMPARE(bodyOf(closed)["state"], "UploadComplete");
        auto poll1 = bodyOf(sf.handle(request("GET", "/jobs/ingest/" + id)));
        QCOMPARE(poll1["state"], "InProgress");
        QCOMPARE(poll1["numberRecordsProcessed"], 0);
        auto poll2 = bodyOf(sf.handle(request("GET", "/jobs/ingest/" + id)));
        QCOMPARE(poll2["state"], "JobComplete");
        QCOMPARE(poll2["numberRecordsProcessed"], 5);
        QCOMPARE(poll2["numberRecordsFailed"], 3);

        auto ok = sf.handle(request("GET", "/jobs/ingest/" + id + "/successfulResults/"));
        QCOMPARE(header(ok, "Content-Type"), "text/csv");
        auto okRows = csvRows(ok.body);
        QCOMPARE(okRows.size(), 3u);
        QCOMPARE(okRows[0], (std::vector<std::string>{"sf__Id", "sf__Created", "Ext_Id__c",
                                                      "LastName", "Email", "Title", "Birthdate"}));
        std::map<std::string, std::vector<std::string>> byKey;
        for (std::size_t i = 1; i < okRows.size(); ++i)
            byKey[okRows[i][2]] = okRows[i];
        QCOMPARE(byKey["k1"][1], "true");
        QCOMPARE(byKey["k1"][3], "Smith, Jr.");
        QCOMPARE(byKey["k2"][1], "false");
        QCOMPARE(byKey["k2"][0], sf.find("Contact", "Ext_Id__c", "k2")->id);
        // An empty cell left Email alone; #N/A cleared Title.
        auto k2 = sf.find("Contact", "Ext_Id__c", "k2");
        QCOMPARE(k2->fields.at("LastName"), "New");
        QVERIFY(!k2->fields.count("Title"));
        QCOMPARE(sf.find("Contact", "Ext_Id__c", "k1")->fields.at("Birthdate"), "1990-03-12");

        auto failed =
            csvRows(sf.handle(request("GET", "/jobs/ingest/" + id + "/failedResults/")).body);
        QCOMPARE(failed.size(), 4u);
        QCOMPARE(failed[0][0], "sf__Id");
        QCOMPARE(failed[0][1], "sf__Error");
        std::map<std::string, std::string> errors;
        for (std::size_t i = 1; i < failed.size(); ++i)
            errors[failed[i][2]] = failed[i][1];
        QCOMPARE(errors["k3"], "INVALID_EMAIL_ADDRESS:Email: invalid email address: "
                               "not-an-email:Email --");
        QCOMPARE(errors["k4"],
                 "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --");
        QVERIFY2(errors["k5"].starts_with("INVALID_FIELD:Failed to deserialize field at col 5. "
                                          "Due to, 'someday' is not a valid value for the type "
                                          "xsd:date"),
                 errors["k5"].c_str());
        auto unprocessed = sf.handle(request("GET", "/jobs/ingest/" + id + "/unprocessedrecords/"));
        QCOMPARE(csvRows(unprocessed.body).size(), 1u); // the header alone
        QCOMPARE(sf.counters().bulkRowsByOperation["upsert"], 5);
    }

    void bulkJobRulesAndOtherOperations()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        sf.setPollsToComplete(1);
        auto blank = sf.handle(
            request("POST", "/jobs/ingest", {{"object", "Contact"}, {"operation", "upsert"}}));
        QCOMPARE(blank.status, 400);
        QCOMPARE(bodyOf(blank)[0]["message"], "InvalidJob : External ID was blank for Contact. An "
                                              "External ID must be specified for upsert.");
        QCOMPARE(sf.handle(request("POST", "/jobs/ingest",
                                   {{"object", "Nope__c"}, {"operation", "insert"}}))
                     .status,
                 400);

        // Data uploaded twice: Salesforce refuses to close the job.
        const std::string id =
            bodyOf(sf.handle(request("POST", "/jobs/ingest",
                                     {{"object", "Contact"},
                                      {"operation", "upsert"},
                                      {"externalIdFieldName", "Ext_Id__c"}})))["id"];
        const std::string csv = "Ext_Id__c,LastName\nq1,One\n";
        sf.handle(csvRequest("PUT", "/jobs/ingest/" + id + "/batches", csv));
        sf.handle(csvRequest("PUT", "/jobs/ingest/" + id + "/batches", csv));
        auto refused =
            sf.handle(request("PATCH", "/jobs/ingest/" + id, {{"state", "UploadComplete"}}));
        QCOMPARE(refused.status, 400);
        QCOMPARE(bodyOf(refused)[0]["errorCode"], "INVALIDJOB");
        QVERIFY(bodyOf(refused)[0]["message"].get<std::string>().starts_with(
            "Found multipe contents for job: <" + id.substr(0, 15) + ">"));
        auto aborted = sf.handle(request("PATCH", "/jobs/ingest/" + id, {{"state", "Aborted"}}));
        QCOMPARE(bodyOf(aborted)["state"], "Aborted");
        auto unprocessed =
            csvRows(sf.handle(request("GET", "/jobs/ingest/" + id + "/unprocessedrecords/")).body);
        QCOMPARE(unprocessed.size(), 2u);
        QCOMPARE(unprocessed[1], (std::vector<std::string>{"q1", "One"}));
        QCOMPARE(sf.recordCount("Contact"), 0u);
        // Closing twice is refused (the job is no longer open).
        const std::string id2 = runJob(sf, {{"object", "Contact"}, {"operation", "insert"}},
                                       "LastName,Ext_Id__c\nIns,i1\nIns2,i2\n");
        QCOMPARE(sf.handle(request("PATCH", "/jobs/ingest/" + id2, {{"state", "UploadComplete"}}))
                     .status,
                 409);
        QCOMPARE(sf.recordCount("Contact"), 2u);

        // Delete by Id; a second delete of the same record fails as Salesforce says.
        const std::string i1 = sf.find("Contact", "Ext_Id__c", "i1")->id;
        const std::string del =
            runJob(sf, {{"object", "Contact"}, {"operation", "delete"}}, "Id\n" + i1 + "\n");
        QCOMPARE(sf.recordCount("Contact"), 1u);
        auto okRows =
            csvRows(sf.handle(request("GET", "/jobs/ingest/" + del + "/successfulResults")).body);
        QCOMPARE(okRows.size(), 2u);
        QCOMPARE(okRows[1][0], i1);
        const std::string del2 =
            runJob(sf, {{"object", "Contact"}, {"operation", "delete"}}, "Id\n" + i1 + "\n");
        auto failed =
            csvRows(sf.handle(request("GET", "/jobs/ingest/" + del2 + "/failedResults")).body);
        QCOMPARE(failed[1][1], "ENTITY_IS_DELETED:entity is deleted:--");
        QCOMPARE(failed[1][2], i1);

        // Update by Id.
        const std::string i2 = sf.find("Contact", "Ext_Id__c", "i2")->id;
        runJob(sf, {{"object", "Contact"}, {"operation", "update"}},
               "Id,Title\n" + i2 + ",Chief\n");
        QCOMPARE(sf.byId("Contact", i2)->fields.at("Title"), "Chief");

        // A column Salesforce does not know fails the whole job.
        const std::string bad = runJob(sf, {{"object", "Contact"}, {"operation", "insert"}},
                                       "LastName,Shoe_Size__c\nX,42\n");
        auto info = bodyOf(sf.handle(request("GET", "/jobs/ingest/" + bad)));
        QCOMPARE(info["state"], "Failed");
        QCOMPARE(info["errorMessage"], "InvalidBatch : Field name not found : Shoe_Size__c");
        QCOMPARE(
            csvRows(sf.handle(request("GET", "/jobs/ingest/" + bad + "/unprocessedrecords")).body)
                .size(),
            2u);
        QCOMPARE(sf.recordCount("Contact"), 1u);
    }

    void dailyApiLimitAndLimitHeader()
    {
        SalesforceEmulator sf;
        sf.addSession(kSession);
        sf.setDailyApiLimit(3);
        for (int i = 1; i <= 3; ++i) {
            auto ok = sf.handle(request("GET", "/sobjects"));
            QCOMPARE(ok.status, 200);
            QCOMPARE(header(ok, "Sforce-Limit-Info"), "api-usage=" + std::to_string(i) + "/3");
        }
        auto refused = sf.handle(request("GET", "/sobjects"));
        QCOMPARE(refused.status, 403);
        QCOMPARE(
            bodyOf(refused),
            json::parse(
                R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])"));
        QCOMPARE(header(refused, "Sforce-Limit-Info"), "api-usage=3/3");
        QCOMPARE(sf.counters().limitExceeded, 1);
    }

    void faultBodiesAreSalesforceShaped()
    {
        SalesforceEmulator sf;
        auto limited = sf.rateLimited(true);
        QCOMPARE(limited.status, 429);
        QCOMPARE(header(limited, "Retry-After"), "1");
        QVERIFY(bodyOf(limited).is_array());
        auto unavailable = sf.serverError(503);
        QCOMPARE(bodyOf(unavailable)[0]["errorCode"], "SERVER_UNAVAILABLE");
        auto internal = sf.serverError(500);
        QCOMPARE(bodyOf(internal)[0]["errorCode"], "UNKNOWN_EXCEPTION");
    }
};

QTEST_GUILESS_MAIN(TestSalesforceEmulator)
#include "testsalesforceemulator.moc"

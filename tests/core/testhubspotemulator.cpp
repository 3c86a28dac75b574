// The HubSpot emulator on its own, request by request (no HTTP): it must validate and answer
// like HubSpot's CRM v3 API, since the HubSpot destination's tests trust it.
#include "hubspotemulator.h"

#include <QtTest>

using namespace sluice::emu;
using json = nlohmann::json;

namespace {

const std::string kToken = "pat-na1-test-token";

EmuRequest request(std::string method, std::string path, const json &body = nullptr,
                   std::map<std::string, std::string> query = {})
{
    EmuRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.query = std::move(query);
    r.headers = {{"authorization", "Bearer " + kToken}, {"content-type", "application/json"}};
    if (!body.is_null())
        r.body = body.dump();
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

json upsertInput(const std::string &email, json properties, const std::string &trace = {})
{
    json in = {{"idProperty", "email"}, {"id", email}, {"properties", std::move(properties)}};
    if (!trace.empty())
        in["objectWriteTraceId"] = trace;
    return in;
}

const json *propertyNamed(const json &list, const std::string &name)
{
    for (const auto &p : list) {
        if (p["name"] == name)
            return &p;
    }
    return nullptr;
}

} // namespace

class TestHubSpotEmulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusesRequestsWithoutTheToken()
    {
        HubSpotEmulator hs(kToken);
        auto r = request("GET", "/crm/v3/properties/contacts");
        r.headers.clear();
        auto reply = hs.handle(r);
        QCOMPARE(reply.status, 401);
        auto body = bodyOf(reply);
        QCOMPARE(body["status"], "error");
        QCOMPARE(body["category"], "INVALID_AUTHENTICATION");
        QVERIFY(body["correlationId"].is_string());

        r.headers = {{"authorization", "Bearer wrong"}};
        QCOMPARE(hs.handle(r).status, 401);
        r.headers = {{"authorization", "Basic " + kToken}};
        QCOMPARE(hs.handle(r).status, 401);
        QCOMPARE(hs.counters().unauthorized, 3);
        QCOMPARE(hs.handle(request("GET", "/crm/v3/properties/contacts")).status, 200);
    }

    void listsPropertiesInHubSpotsShape()
    {
        HubSpotEmulator hs(kToken);
        auto contacts = bodyOf(hs.handle(request("GET", "/crm/v3/properties/contacts")));
        const json &list = contacts["results"];
        QVERIFY(list.size() > 15);
        const json *email = propertyNamed(list, "email");
        QVERIFY(email);
        QCOMPARE((*email)["type"], "string");
        QCOMPARE((*email)["fieldType"], "text");
        QCOMPARE((*email)["modificationMetadata"]["readOnlyValue"], false);
        const json *id = propertyNamed(list, "hs_object_id");
        QVERIFY(id);
        QCOMPARE((*id)["modificationMetadata"]["readOnlyValue"], true);
        QVERIFY(propertyNamed(list, "createdate"));
        QCOMPARE((*propertyNamed(list, "customer_id"))["hasUniqueValue"], true);
        QCOMPARE((*propertyNamed(list, "is_customer"))["type"], "bool");
        QCOMPARE((*propertyNamed(list, "hs_legacy_score"))["hidden"], true);
        QCOMPARE((*propertyNamed(list, "lifecyclestage"))["options"].size(), 8u);

        auto companies = bodyOf(hs.handle(request("GET", "/crm/v3/properties/companies")));
        QCOMPARE((*propertyNamed(companies["results"], "domain"))["hasUniqueValue"], false);
        QCOMPARE((*propertyNamed(companies["results"], "external_id"))["hasUniqueValue"], true);
        QVERIFY(propertyNamed(companies["results"], "hs_lastmodifieddate"));

        auto unknown = hs.handle(request("GET", "/crm/v3/properties/spaceships"));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(bodyOf(unknown)["category"], "OBJECT_NOT_FOUND");
    }

    void upsertCreatesThenUpdatesByTheIdProperty()
    {
        HubSpotEmulator hs(kToken);
        json batch = {
            {"inputs",
             {upsertInput("Ann@Example.com", {{"firstname", "Ann"}, {"lifetime_value", 12.5}}),
              upsertInput("bob@example.com", {{"firstname", "Bob"}, {"is_customer", true}})}}};
        auto reply = hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", batch));
        QCOMPARE(reply.status, 200);
        auto body = bodyOf(reply);
        QCOMPARE(body["status"], "COMPLETE");
        QCOMPARE(body["results"].size(), 2u);
        QVERIFY(!body.contains("errors"));
        std::map<std::string, std::string> ids;
        for (const auto &r : body["results"]) {
            QCOMPARE(r["new"], true);
            QVERIFY(r["id"].is_string());
            QVERIFY(r["createdAt"].is_string());
            for (const auto &[k, v] : r["properties"].items())
                QVERIFY2(v.is_string(), k.c_str()); // every value is a string
            ids[r["properties"]["email"]] = r["id"];
        }
        QVERIFY(ids.count("ann@example.com")); // HubSpot keeps emails in lower case
        QCOMPARE(hs.recordCount("contacts"), 2u);
        QCOMPARE(hs.find("contacts", "email", "ann@example.com")->properties.at("lifetime_value"),
                 std::string("12.5"));
        QCOMPARE(hs.find("contacts", "email", "bob@example.com")->properties.at("is_customer"),
                 std::string("true"));

        json again = {{"inputs", {upsertInput("ann@example.com", {{"firstname", "Anne"}})}}};
        body = bodyOf(hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", again)));
        QCOMPARE(body["results"][0]["new"], false);
        QCOMPARE(body["results"][0]["id"], ids["ann@example.com"]);
        QCOMPARE(hs.recordCount("contacts"), 2u);
        auto ann = hs.find("contacts", "email", "ann@example.com");
        QCOMPARE(ann->properties.at("firstname"), std::string("Anne"));
        QCOMPARE(ann->properties.at("lifetime_value"), std::string("12.5")); // untouched
        QCOMPARE(hs.counters().created, 2);
        QCOMPARE(hs.counters().updated, 1);

        // An empty string clears a property.
        json clear = {{"inputs", {upsertInput("ann@example.com", {{"lifetime_value", ""}})}}};
        QCOMPARE(hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", clear)).status,
                 200);
        QVERIFY(
            !hs.find("contacts", "email", "ann@example.com")->properties.count("lifetime_value"));
    }

    void refusesMoreThanOneHundredInputs()
    {
        HubSpotEmulator hs(kToken);
        json inputs = json::array();
        for (int i = 0; i < 101; ++i)
            inputs.push_back(upsertInput("p" + std::to_string(i) + "@example.com", json::object()));
        auto reply = hs.handle(
            request("POST", "/crm/v3/objects/contacts/batch/upsert", {{"inputs", inputs}}));
        QCOMPARE(reply.status, 400);
        auto body = bodyOf(reply);
        QCOMPARE(body["message"],
                 "The maximum number of inputs supported in a batch is 100. Please reduce the "
                 "number of items and try again");
        QCOMPARE(body["category"], "VALIDATION_ERROR");
        QCOMPARE(hs.recordCount("contacts"), 0u);
        inputs.erase(inputs.begin());
        QCOMPARE(hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert",
                                   {{"inputs", inputs}}))
                     .status,
                 200);
        QCOMPARE(hs.recordCount("contacts"), 100u);
    }

    void reportsPerRecordErrorsByTraceId()
    {
        HubSpotEmulator hs(kToken);
        json batch = {{"inputs",
                       {upsertInput("ok@example.com", {{"firstname", "Ok"}}, "t0"),
                        upsertInput("x@example.com", {{"favourite_colour", "red"}}, "t1"),
                        upsertInput("y@example.com", {{"hs_object_id", "5"}}, "t2"),
                        upsertInput("z@example.com", {{"date_of_birth", "12/03/1990"}}, "t3")}}};
        auto reply = hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", batch));
        QCOMPARE(reply.status, 207);
        auto body = bodyOf(reply);
        QCOMPARE(body["numErrors"], 3);
        QCOMPARE(body["results"].size(), 1u);
        std::map<std::string, json> byTrace;
        for (const auto &e : body["errors"]) {
            QCOMPARE(e["status"], "error");
            QCOMPARE(e["category"], "VALIDATION_ERROR");
            byTrace[e["context"]["objectWriteTraceId"][0]] = e;
        }
        QVERIFY(byTrace["t1"]["message"].get<std::string>().find(
                    "Property \\\"favourite_colour\\\" does not exist") != std::string::npos);
        QVERIFY(byTrace["t1"]["message"].get<std::string>().starts_with(
            "Property values were not valid: "));
        QVERIFY(byTrace["t1"]["message"].get<std::string>().find("PROPERTY_DOESNT_EXIST") !=
                std::string::npos);
        QVERIFY(byTrace["t2"]["message"].get<std::string>().find("READ_ONLY_VALUE") !=
                std::string::npos);
        QVERIFY(byTrace["t3"]["message"].get<std::string>().find("INVALID_DATE") !=
                std::string::npos);
        QCOMPARE(hs.recordCount("contacts"), 1u);

        json bad = {
            {"inputs", {upsertInput("q@example.com", {{"email", "other@example.com"}}, "e1")}}};
        body = bodyOf(hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", bad)));
        QVERIFY(body["errors"][0]["message"].get<std::string>().find(
                    "differs from the input's id") != std::string::npos);
        json create = {
            {"inputs",
             {{{"properties", {{"email", "not-an-email"}}}, {"objectWriteTraceId", "c"}}}}};
        reply = hs.handle(request("POST", "/crm/v3/objects/contacts/batch/create", create));
        QCOMPARE(reply.status, 207);
        const auto message = bodyOf(reply)["errors"][0]["message"].get<std::string>();
        QVERIFY2(message.find("Email address not-an-email is invalid") != std::string::npos,
                 message.c_str());
        QVERIFY(message.find("INVALID_EMAIL") != std::string::npos);
    }

    void withoutTraceIdsOneBadInputFailsTheWholeRequest()
    {
        HubSpotEmulator hs(kToken);
        json batch = {{"inputs",
                       {upsertInput("a@example.com", {{"firstname", "A"}}),
                        upsertInput("b@example.com", {{"is_customer", "maybe"}})}}};
        auto reply = hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", batch));
        QCOMPARE(reply.status, 400);
        auto body = bodyOf(reply);
        QCOMPARE(body["category"], "VALIDATION_ERROR");
        QVERIFY(body["message"].get<std::string>().find(
                    "maybe was not one of the allowed options") != std::string::npos);
        QCOMPARE(hs.recordCount("contacts"), 0u); // the first input was rolled back

        // Multi-status switched off: trace ids do not help either.
        hs.setMultiStatus(false);
        batch["inputs"][0]["objectWriteTraceId"] = "1";
        batch["inputs"][1]["objectWriteTraceId"] = "2";
        QCOMPARE(hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", batch)).status,
                 400);
        QCOMPARE(hs.recordCount("contacts"), 0u);
        // An update of an existing record is undone too.
        hs.seed("contacts", {{"email", "a@example.com"}, {"firstname", "Old"}});
        QCOMPARE(hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", batch)).status,
                 400);
        QCOMPARE(hs.find("contacts", "email", "a@example.com")->properties.at("firstname"),
                 std::string("Old"));
        QVERIFY(hs.find("contacts", "email", "a@example.com")); // still findable by its key
    }

    void idPropertyMustHaveUniqueValues()
    {
        HubSpotEmulator hs(kToken);
        json batch = {
            {"inputs",
             {{{"idProperty", "domain"}, {"id", "acme.com"}, {"properties", {{"name", "Acme"}}}}}}};
        auto reply = hs.handle(request("POST", "/crm/v3/objects/companies/batch/upsert", batch));
        QCOMPARE(reply.status, 400);
        QVERIFY(bodyOf(reply)["message"].get<std::string>().find("\"domain\"") !=
                std::string::npos);

        batch["inputs"][0]["idProperty"] = "external_id";
        batch["inputs"][0]["id"] = "C-1";
        reply = hs.handle(request("POST", "/crm/v3/objects/companies/batch/upsert", batch));
        QCOMPARE(reply.status, 200);
        QCOMPARE(hs.find("companies", "external_id", "C-1")->properties.at("name"),
                 std::string("Acme"));

        // The same key twice in one request.
        json dup = {{"inputs",
                     {upsertInput("a@example.com", json::object()),
                      upsertInput("A@example.com", json::object())}}};
        reply = hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", dup));
        QCOMPARE(reply.status, 400);
        QVERIFY(bodyOf(reply)["message"].get<std::string>().starts_with("Duplicate IDs"));
    }

    void updateCreateArchiveAndRead()
    {
        HubSpotEmulator hs(kToken);
        const std::string id = hs.seed("companies", {{"external_id", "C-1"}, {"name", "Acme"}});
        json update = {{"inputs",
                        {{{"idProperty", "external_id"},
                          {"id", "C-1"},
                          {"properties", {{"numberofemployees", "40"}}},
                          {"objectWriteTraceId", "0"}},
                         {{"idProperty", "external_id"},
                          {"id", "C-404"},
                          {"properties", {{"name", "Nobody"}}},
                          {"objectWriteTraceId", "1"}}}}};
        auto reply = hs.handle(request("POST", "/crm/v3/objects/companies/batch/update", update));
        QCOMPARE(reply.status, 207);
        auto body = bodyOf(reply);
        QCOMPARE(body["results"][0]["id"], id);
        QCOMPARE(body["errors"][0]["category"], "OBJECT_NOT_FOUND");
        QCOMPARE(body["errors"][0]["context"]["objectWriteTraceId"][0], "1");
        QCOMPARE(hs.byId("companies", id)->properties.at("numberofemployees"), std::string("40"));
        QCOMPARE(hs.recordCount("companies"), 1u); // update never creates

        // Update by record id.
        json byId = {{"inputs", {{{"id", id}, {"properties", {{"city", "Lyon"}}}}}}};
        QCOMPARE(hs.handle(request("POST", "/crm/v3/objects/companies/batch/update", byId)).status,
                 200);
        QCOMPARE(hs.byId("companies", id)->properties.at("city"), std::string("Lyon"));

        // Creating a second record with a unique value already taken is a conflict.
        json create = {{"inputs",
                        {{{"properties", {{"external_id", "C-1"}}}, {"objectWriteTraceId", "x"}},
                         {{"properties", {{"external_id", "C-2"}}}, {"objectWriteTraceId", "y"}}}}};
        reply = hs.handle(request("POST", "/crm/v3/objects/companies/batch/create", create));
        QCOMPARE(reply.status, 207);
        body = bodyOf(reply);
        QCOMPARE(body["errors"][0]["category"], "CONFLICT");
        QCOMPARE(body["errors"][0]["message"], "Company already exists. Existing ID: " + id);
        QCOMPARE(hs.recordCount("companies"), 2u);
        reply = hs.handle(request("POST", "/crm/v3/objects/companies/batch/create",
                                  {{"inputs", {{{"properties", {{"name", "Plain"}}}}}}}));
        QCOMPARE(reply.status, 201);

        json read = {{"idProperty", "external_id"},
                     {"inputs", {{{"id", "C-2"}}, {{"id", "C-9"}}}},
                     {"properties", {"name"}}};
        reply = hs.handle(request("POST", "/crm/v3/objects/companies/batch/read", read));
        QCOMPARE(reply.status, 207);
        body = bodyOf(reply);
        QCOMPARE(body["results"].size(), 1u);
        QCOMPARE(body["results"][0]["properties"]["external_id"], "C-2");
        QCOMPARE(body["errors"][0]["context"]["ids"][0], "C-9");
        const std::string c2 = body["results"][0]["id"];

        json archive = {{"inputs", {{{"id", c2}}, {{"id", "999999"}}}}};
        reply = hs.handle(request("POST", "/crm/v3/objects/companies/batch/archive", archive));
        QCOMPARE(reply.status, 204);
        QVERIFY(reply.body.empty());
        QCOMPARE(hs.recordCount("companies"), 2u);
        QVERIFY(!hs.find("companies", "external_id", "C-2"));
        // Its unique value is free again.
        reply = hs.handle(request("POST", "/crm/v3/objects/companies/batch/create",
                                  {{"inputs", {{{"properties", {{"external_id", "C-2"}}}}}}}));
        QCOMPARE(reply.status, 201);
    }

    void listsRecordsPageByPage()
    {
        HubSpotEmulator hs(kToken);
        for (int i = 0; i < 250; ++i)
            hs.seed("contacts", {{"email", "p" + std::to_string(i) + "@example.com"}});
        auto tooMany =
            hs.handle(request("GET", "/crm/v3/objects/contacts", nullptr, {{"limit", "101"}}));
        QCOMPARE(tooMany.status, 400);
        std::set<std::string> emails;
        std::string after;
        int pages = 0;
        for (;;) {
            std::map<std::string, std::string> q = {{"limit", "100"}, {"properties", "email"}};
            if (!after.empty())
                q["after"] = after;
            auto body = bodyOf(hs.handle(request("GET", "/crm/v3/objects/contacts", nullptr, q)));
            ++pages;
            for (const auto &r : body["results"])
                emails.insert(r["properties"]["email"].get<std::string>());
            if (!body.contains("paging"))
                break;
            after = body["paging"]["next"]["after"];
        }
        QCOMPARE(pages, 3);
        QCOMPARE(emails.size(), 250u);
    }

    void normalizesValuesLikeHubSpot()
    {
        HubSpotEmulator hs(kToken);
        json batch = {
            {"inputs",
             {upsertInput("d@example.com", {{"date_of_birth", "1990-03-12"},
                                            {"last_order_at", "2024-01-02T10:00:00+02:00"},
                                            {"is_customer", "TRUE"},
                                            {"interests", "books;travel"}})}}};
        QCOMPARE(hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", batch)).status,
                 200);
        auto d = hs.find("contacts", "email", "d@example.com");
        QCOMPARE(d->properties.at("date_of_birth"), std::string("637200000000"));
        QCOMPARE(d->properties.at("last_order_at"), std::string("2024-01-02T08:00:00.000Z"));
        QCOMPARE(d->properties.at("is_customer"), std::string("true"));

        json bad = {{"inputs",
                     {upsertInput("e@example.com", {{"date_of_birth", "637200000001"}}, "a"),
                      upsertInput("f@example.com", {{"interests", "books;golf"}}, "b"),
                      upsertInput("g@example.com", {{"lifetime_value", "12,5"}}, "c"),
                      upsertInput("h@example.com", {{"last_order_at", "2024-01-02 10:00"}}, "d")}}};
        auto body =
            bodyOf(hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert", bad)));
        QCOMPARE(body["numErrors"], 4);
        std::string all;
        for (const auto &e : body["errors"])
            all += e["message"].get<std::string>();
        QVERIFY2(all.find("637200000001 is at 0:0:0.1 UTC, not midnight!") != std::string::npos,
                 all.c_str());
        QVERIFY(all.find("golf was not one of the allowed options") != std::string::npos);
        QVERIFY(all.find("12,5 was not a valid number.") != std::string::npos);
        QVERIFY(all.find("INVALID_DATETIME") != std::string::npos);
    }

    void enforcesTheRollingLimitAndTheDailyLimit()
    {
        HubSpotEmulator hs(kToken);
        hs.setRateLimit(3, 60'000);
        for (int i = 0; i < 3; ++i) {
            auto ok = hs.handle(request("GET", "/crm/v3/properties/contacts"));
            QCOMPARE(ok.status, 200);
            QCOMPARE(header(ok, "x-hubspot-ratelimit-max"), std::string("3"));
            QCOMPARE(header(ok, "x-hubspot-ratelimit-remaining"), std::to_string(2 - i));
        }
        auto limited = hs.handle(request("GET", "/crm/v3/properties/contacts"));
        QCOMPARE(limited.status, 429);
        auto body = bodyOf(limited);
        QCOMPARE(body["errorType"], "RATE_LIMIT");
        QCOMPARE(body["policyName"], "TEN_SECONDLY_ROLLING");
        QCOMPARE(header(limited, "x-hubspot-ratelimit-remaining"), std::string("0"));
        QCOMPARE(header(limited, "x-hubspot-ratelimit-interval-milliseconds"),
                 std::string("60000"));
        QCOMPARE(hs.counters().rateLimited, 1);

        HubSpotEmulator daily(kToken);
        daily.setDailyLimit(1);
        QCOMPARE(daily.handle(request("GET", "/crm/v3/properties/contacts")).status, 200);
        auto over = daily.handle(request("GET", "/crm/v3/properties/contacts"));
        QCOMPARE(over.status, 429);
        QCOMPARE(bodyOf(over)["policyName"], "DAILY");
        QCOMPARE(bodyOf(over)["message"], "You have reached your daily limit.");
    }

    void faultBodiesAreHubSpots()
    {
        HubSpotEmulator hs(kToken);
        auto r = hs.rateLimited(true);
        QCOMPARE(r.status, 429);
        QCOMPARE(bodyOf(r)["policyName"], "TEN_SECONDLY_ROLLING");
        QCOMPARE(header(r, "Retry-After"), std::string("1"));
        QVERIFY(header(hs.rateLimited(false), "Retry-After").empty());
        auto e = hs.serverError(503);
        QCOMPARE(e.status, 503);
        QCOMPARE(bodyOf(e)["status"], "error");
    }

    void missingScopesAreNamed()
    {
        HubSpotEmulator hs(kToken);
        hs.setScopes({"crm.objects.contacts.read"});
        QCOMPARE(hs.handle(request("GET", "/crm/v3/properties/contacts")).status, 200);
        auto reply = hs.handle(request("POST", "/crm/v3/objects/contacts/batch/upsert",
                                       {{"inputs", {upsertInput("a@example.com", {})}}}));
        QCOMPARE(reply.status, 403);
        auto body = bodyOf(reply);
        QCOMPARE(body["category"], "MISSING_SCOPES");
        QCOMPARE(body["context"]["missingScopes"][0], "crm.objects.contacts.write");
        QCOMPARE(hs.recordCount("contacts"), 0u);
    }

    void customObjectsAreListedAndWritable()
    {
        HubSpotEmulator hs(kToken);
        HubSpotProperty vin;
        vin.name = "vin";
        vin.label = "VIN";
        vin.type = "string";
        vin.fieldType = "text";
        vin.hasUniqueValue = true;
        hs.addCustomObject("2-3456789", "cars", "Car", "Cars", {vin});
        auto schemas = bodyOf(hs.handle(request("GET", "/crm/v3/schemas")));
        QCOMPARE(schemas["results"].size(), 1u);
        QCOMPARE(schemas["results"][0]["objectTypeId"], "2-3456789");
        QCOMPARE(schemas["results"][0]["labels"]["plural"], "Cars");
        json batch = {
            {"inputs", {{{"idProperty", "vin"}, {"id", "V1"}, {"properties", json::object()}}}}};
        QCOMPARE(hs.handle(request("POST", "/crm/v3/objects/2-3456789/batch/upsert", batch)).status,
                 200);
        QCOMPARE(hs.recordCount("cars"), 1u);
        QCOMPARE(hs.recordCount("p4400123_cars"), 1u);
    }
};

QTEST_GUILESS_MAIN(TestHubSpotEmulator)
#include "testhubspotemulator.moc"

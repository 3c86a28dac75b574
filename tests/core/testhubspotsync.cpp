// The HubSpot destination end to end: the engine syncs a SQLite model into the HubSpot emulator
// over real HTTP on 127.0.0.1. First runs create every record, re-runs send nothing, later runs
// send exactly the changes (mirror archives), rejected records carry HubSpot's message and are
// retried, whole-request failures stop the run with a plain message, and a 20,000-row sync
// survives 20% of requests failing without losing or duplicating a record.
#include "destinations/destinationregistry.h"
#include "destinations/hubspotdestination.h"
#include "destinations/hubspotwriter.h"
#include "fixture.h"
#include "hubspotemulator.h"
#include "secrets/memorysecretstore.h"
#include "testutil.h"

#include <QtTest>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

using namespace sluice;
using namespace sluice::test;
using sluice::emu::EmulatorServer;
using sluice::emu::Fault;
using sluice::emu::FaultMix;
using sluice::emu::HubSpotEmulator;

namespace {

const std::string kToken = "pat-na1-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

struct Server
{
    HubSpotEmulator *hs = nullptr; // owned by the server
    std::unique_ptr<EmulatorServer> server;

    Server()
    {
        auto emulator = std::make_unique<HubSpotEmulator>(kToken);
        hs = emulator.get();
        server = std::make_unique<EmulatorServer>(std::move(emulator));
    }
    template <class F> auto with(F &&f)
    {
        return server->inspect<HubSpotEmulator>(std::forward<F>(f));
    }
    HubSpotEmulator::Counters counters()
    {
        return with([](HubSpotEmulator &e) { return e.counters(); });
    }
    std::size_t count(const std::string &type = "contacts")
    {
        return with([&](HubSpotEmulator &e) { return e.recordCount(type); });
    }
    std::optional<sluice::emu::HubSpotRecord> find(const std::string &property,
                                                   const std::string &value,
                                                   const std::string &type = "contacts")
    {
        return with([&](HubSpotEmulator &e) { return e.find(type, property, value); });
    }
    HubSpotConfig config(std::vector<std::string> *log = nullptr) const
    {
        HubSpotConfig c;
        c.accessToken = kToken;
        c.baseUrl = server->baseUrl();
        c.rateLimit = {};
        c.retry.baseDelayMs = 20;
        c.retry.maxDelayMs = 200;
        if (log)
            c.log = [log](const std::string &line) { log->push_back(line); };
        return c;
    }
};

// The fixture's people synced to contacts, found by customer_id (= the model's id).
void useContacts(Fixture &f, SyncMode mode)
{
    f.sync().object = "contacts";
    f.sync().mode = mode;
    f.sync().keyField = "customer_id";
    f.sync().mapping.fields = {FieldMapping{"id", std::nullopt, "customer_id", {}},
                               FieldMapping{"name", std::nullopt, "firstname", {}},
                               FieldMapping{"email", std::nullopt, "email", {}}};
    f.saveSync();
}

// onSending runs once, when the engine starts sending (after the writer read the properties):
// faults queued there hit the batch requests, not the properties request.
RunResult run(Fixture &f, Destination &dest, RunOptions options = {},
              std::function<void()> onSending = {}, CancelToken *cancel = nullptr)
{
    options.retryBaseDelayMs = 20;
    SqliteSource source(f.sourcePath());
    SyncEngine engine(f.ws());
    return engine.run(f.sync(), f.model(), source, dest, options, cancel,
                      [&onSending](const RunProgress &p) {
                          if (onSending && p.phase == RunProgress::Phase::Sending) {
                              onSending();
                              onSending = nullptr;
                          }
                      });
}

std::string describe(const RunResult &r)
{
    return std::string(runStatusName(r.record.status)) + ": " + r.record.error;
}

const FieldInfo *field(const std::vector<FieldInfo> &list, const std::string &name)
{
    for (const auto &f : list) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

} // namespace

class TestHubSpotSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("no_proxy", "127.0.0.1,localhost");
        qputenv("NO_PROXY", "127.0.0.1,localhost");
        qunsetenv("http_proxy");
        qunsetenv("HTTP_PROXY");
        m_secrets = std::make_unique<QTemporaryDir>();
        qputenv("SLUICE_SECRETS_FILE", (m_secrets->path() + "/secrets.json").toUtf8());
    }

    void driverDeclaresItsSettings()
    {
        const DestinationDriver *d = findDestinationDriver("hubspot");
        QVERIFY(d);
        QCOMPARE(d->info.label, std::string("HubSpot"));
        const SettingSpec *token = nullptr;
        for (const auto &s : d->info.settings) {
            if (s.key == "access_token")
                token = &s;
        }
        QVERIFY(token);
        QCOMPARE(token->kind, SettingKind::Secret);
        QVERIFY(token->required);
        QCOMPARE(d->info.settings[1].defaultValue, nlohmann::json("https://api.hubapi.com"));

        const DriverContext context{std::filesystem::temp_directory_path(),
                                    std::make_shared<MemorySecretStore>()};
        auto missing = createDestination("hubspot", nlohmann::json::object(), context);
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.find("Access token") != std::string::npos,
                 missing.error().message.c_str());
        auto plain = createDestination(
            "hubspot", {{"access_token", kToken}, {"base_url", "http://api.example.com"}}, context);
        QVERIFY(!plain);
        QVERIFY(plain.error().message.find("https://") != std::string::npos);
        QVERIFY(plain.error().message.find(kToken) == std::string::npos);
        auto zero = createDestination(
            "hubspot", {{"access_token", kToken}, {"requests_in_flight", 0}}, context);
        QVERIFY(!zero);
        QVERIFY(zero.error().message.find("Requests in flight") != std::string::npos);
        auto ok = createDestination("hubspot",
                                    {{"access_token", kToken}, {"requests_in_flight", 3}}, context);
        QVERIFY(ok);
        QCOMPARE((*ok)->capabilities().batchSize, std::size_t(600));
        QCOMPARE((*ok)->capabilities().modes.size(), std::size_t(4));
    }

    void describesObjectsAndFieldsForTheMappingCanvas()
    {
        Server s;
        s.with([](HubSpotEmulator &e) {
            sluice::emu::HubSpotProperty vin;
            vin.name = "vin";
            vin.label = "VIN";
            vin.type = "string";
            vin.fieldType = "text";
            vin.hasUniqueValue = true;
            e.addCustomObject("2-3456789", "cars", "Car", "Cars", {vin});
            return 0;
        });
        HubSpotDestination dest(s.config());
        auto objects = dest.objects();
        QVERIFY2(objects, objects ? "" : objects.error().message.c_str());
        QCOMPARE(objects->size(), 3u);
        QCOMPARE((*objects)[0].name, std::string("contacts"));
        QCOMPARE((*objects)[2].name, std::string("2-3456789"));
        QCOMPARE((*objects)[2].label, std::string("Cars"));

        auto contacts = dest.fields("contacts");
        QVERIFY(contacts);
        QVERIFY(field(*contacts, "email")->key); // not flagged unique, but contacts' id property
        QVERIFY(field(*contacts, "customer_id")->key);
        QVERIFY(!field(*contacts, "firstname")->key);
        QCOMPARE(field(*contacts, "firstname")->label, std::string("First Name")); // for the canvas
        QVERIFY(field(*contacts, "hs_object_id")->readOnly);
        QVERIFY(!field(*contacts, "hs_object_id")->key);
        QVERIFY(field(*contacts, "num_notes")->readOnly); // calculated
        QVERIFY(!field(*contacts, "hs_legacy_score"));    // hidden
        QCOMPARE(field(*contacts, "lifetime_value")->type, ColumnType::Real);
        QCOMPARE(field(*contacts, "date_of_birth")->type, ColumnType::Date);
        QCOMPARE(field(*contacts, "last_order_at")->type, ColumnType::DateTime);
        QCOMPARE(field(*contacts, "is_customer")->type, ColumnType::Boolean);
        QCOMPARE(field(*contacts, "lifecyclestage")->type, ColumnType::Text);

        auto companies = dest.fields("companies");
        QVERIFY(companies);
        QVERIFY(!field(*companies, "domain")->key);
        QVERIFY(field(*companies, "external_id")->key);
        QVERIFY(!field(*companies, "email"));
        auto cars = dest.fields("2-3456789");
        QVERIFY(cars);
        QVERIFY(field(*cars, "vin")->key);

        // Without the schemas scope there are simply no custom objects to offer.
        s.with([](HubSpotEmulator &e) {
            e.setScopes({"crm.objects.contacts.read", "crm.objects.companies.read"});
            return 0;
        });
        auto standard = dest.objects();
        QVERIFY(standard);
        QCOMPARE(standard->size(), 2u);
        s.with([](HubSpotEmulator &e) {
            e.setScopes({});
            return 0;
        });

        auto unknown = dest.fields("spaceships");
        QVERIFY(!unknown);
        QVERIFY2(unknown.error().message.find("no object type \"spaceships\"") != std::string::npos,
                 unknown.error().message.c_str());

        // A wrong token is reported as such, and never quoted.
        HubSpotConfig wrong = s.config();
        wrong.accessToken = "pat-na1-wrong-token-value";
        HubSpotDestination bad(wrong);
        auto refused = bad.objects();
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.find("HubSpot refused the access token") !=
                     std::string::npos,
                 refused.error().message.c_str());
        QVERIFY(refused.error().message.find("wrong-token") == std::string::npos);
        QVERIFY(refused.error().detail.find("wrong-token") == std::string::npos);
    }

    void mirrorSendsExactlyTheChanges()
    {
        Server s;
        std::vector<std::string> log;
        HubSpotDestination dest(s.config(&log));
        Fixture f(250, SyncMode::Mirror);
        useContacts(f, SyncMode::Mirror);

        auto r1 = run(f, dest);
        QVERIFY2(r1.record.status == RunStatus::Succeeded, describe(r1).c_str());
        QCOMPARE(r1.record.counts.added, 250);
        QCOMPARE(s.count(), 250u);
        auto c1 = s.counters();
        QCOMPARE(c1.inputsByOperation["upsert"], 250);
        QCOMPARE(c1.writeRequests, 3); // 100 + 100 + 50
        QVERIFY(c1.maxInputs <= 100);
        auto p7 = s.find("customer_id", "7");
        QVERIFY(p7);
        QCOMPARE(p7->properties.at("firstname"), std::string("Person 7"));
        QCOMPARE(p7->properties.at("email"), std::string("p7@example.com"));

        auto r2 = run(f, dest);
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        QCOMPARE(r2.record.counts.unchanged, 250);
        QCOMPARE(s.counters().requests, c1.requests); // not one request

        f.sql("UPDATE people SET name = 'Changed ' || id WHERE id IN (3, 30, 130)");
        f.sql("INSERT INTO people VALUES (251, 'New 251', 'n251@example.com', ''), "
              "(252, 'New 252', 'n252@example.com', '')");
        f.sql("DELETE FROM people WHERE id IN (10, 20, 200, 250)");
        auto r3 = run(f, dest);
        QVERIFY2(r3.record.status == RunStatus::Succeeded, describe(r3).c_str());
        QCOMPARE(r3.record.counts.changed, 3);
        QCOMPARE(r3.record.counts.added, 2);
        QCOMPARE(r3.record.counts.removed, 4);
        auto c3 = s.counters();
        QCOMPARE(c3.inputsByOperation["upsert"], 250 + 5);
        QCOMPARE(c3.inputsByOperation["archive"], 4);
        QCOMPARE(c3.inputsByOperation["read"], 0); // archived by the ids HubSpot gave
        QCOMPARE(s.count(), 248u);
        QVERIFY(!s.find("customer_id", "10"));
        QVERIFY(!s.find("customer_id", "250"));
        QCOMPARE(s.find("customer_id", "130")->properties.at("firstname"),
                 std::string("Changed 130"));
        QCOMPARE(s.find("customer_id", "252")->properties.at("email"),
                 std::string("n252@example.com"));

        const long before = s.counters().requests;
        auto r4 = run(f, dest);
        QCOMPARE(r4.record.counts.unchanged, 248);
        QCOMPARE(s.counters().requests, before);

        // The request log reached the hook, without the token.
        QVERIFY(!log.empty());
        for (const auto &line : log)
            QVERIFY2(line.find(kToken) == std::string::npos, line.c_str());
    }

    void rejectedRecordsCarryHubSpotsMessageAndAreRetried()
    {
        Server s;
        HubSpotDestination dest(s.config());
        Fixture f(20);
        useContacts(f, SyncMode::Upsert);
        f.sql("UPDATE people SET email = 'not-an-email' WHERE id = 7");

        auto r1 = run(f, dest);
        QVERIFY2(r1.record.status == RunStatus::Partial, describe(r1).c_str());
        QCOMPARE(r1.record.counts.added, 19);
        QCOMPARE(r1.record.counts.rejected, 1);
        QCOMPARE(s.count(), 19u);
        auto rejected = f.ws().rejectedRecords(r1.record.id);
        QVERIFY(rejected);
        QCOMPARE(rejected->size(), 1u);
        QCOMPARE((*rejected)[0].key, std::string("7"));
        QCOMPARE((*rejected)[0].reason, std::string("Email address not-an-email is invalid"));

        // Not fixed: sent again, rejected again.
        const long upserts = s.counters().inputsByOperation["upsert"];
        auto r2 = run(f, dest);
        QCOMPARE(r2.record.counts.rejected, 1);
        QCOMPARE(r2.record.counts.unchanged, 19);
        QCOMPARE(s.counters().inputsByOperation["upsert"], upserts + 1);

        f.sql("UPDATE people SET email = 'p7@example.com' WHERE id = 7");
        auto r3 = run(f, dest);
        QVERIFY2(r3.record.status == RunStatus::Succeeded, describe(r3).c_str());
        QCOMPARE(r3.record.counts.added, 1);
        QCOMPARE(s.count(), 20u);
        QCOMPARE(s.find("customer_id", "7")->properties.at("email"), std::string("p7@example.com"));

        // A record HubSpot already has keeps its old value while the new one is refused.
        f.sql("UPDATE people SET email = 'broken@', name = 'Still here' WHERE id = 3");
        auto r4 = run(f, dest);
        QCOMPARE(r4.record.counts.rejected, 1);
        QCOMPARE(s.find("customer_id", "3")->properties.at("email"), std::string("p3@example.com"));
        f.sql("UPDATE people SET email = 'p3@new.example.com' WHERE id = 3");
        auto r5 = run(f, dest);
        QVERIFY2(r5.record.status == RunStatus::Succeeded, describe(r5).c_str());
        QCOMPARE(r5.record.counts.changed, 1);
        auto p3 = s.find("customer_id", "3");
        QCOMPARE(p3->properties.at("email"), std::string("p3@new.example.com"));
        QCOMPARE(p3->properties.at("firstname"), std::string("Still here"));
    }

    void withoutPerRecordErrorsTheCulpritsAreFoundBySplitting()
    {
        // If HubSpot fails a whole batch for one bad input (400, nothing written), the rest
        // must still get through and only the bad records be rejected.
        Server s;
        s.with([](HubSpotEmulator &e) {
            e.setMultiStatus(false);
            return 0;
        });
        HubSpotDestination dest(s.config());
        Fixture f(100);
        useContacts(f, SyncMode::Upsert);
        f.sql("UPDATE people SET email = 'bad-' || id WHERE id IN (17, 64)");
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Partial, describe(r).c_str());
        QCOMPARE(r.record.counts.added, 98);
        QCOMPARE(r.record.counts.rejected, 2);
        QCOMPARE(s.count(), 98u);
        auto rejected = f.ws().rejectedRecords(r.record.id);
        QCOMPARE(rejected->size(), 2u);
        std::set<std::string> keys;
        for (const auto &rej : *rejected) {
            keys.insert(rej.key);
            QVERIFY2(rej.reason.find("Email address bad-") != std::string::npos,
                     rej.reason.c_str());
        }
        QCOMPARE(keys, (std::set<std::string>{"17", "64"}));
        // Halving finds each culprit in about 2 × log2(100) requests.
        QVERIFY2(s.counters().requests <= 32, std::to_string(s.counters().requests).c_str());
    }

    void upsertByEmailMatchesHubSpotsLowerCase()
    {
        Server s;
        HubSpotDestination dest(s.config());
        Fixture f(30, SyncMode::Mirror);
        f.sql("UPDATE people SET email = 'Person.' || id || '@Example.COM'");
        f.model().primaryKey = "email";
        QVERIFY(f.ws().saveModel(f.model()));
        f.sync().object = "contacts";
        f.sync().keyField = "email";
        f.sync().mapping.fields = {FieldMapping{"email", std::nullopt, "email", {}},
                                   FieldMapping{"name", std::nullopt, "firstname", {}}};
        f.saveSync();
        auto r1 = run(f, dest);
        QVERIFY2(r1.record.status == RunStatus::Succeeded, describe(r1).c_str());
        QCOMPARE(s.count(), 30u);
        QVERIFY(s.find("email", "person.5@example.com"));
        f.sql("DELETE FROM people WHERE id = 5");
        auto r2 = run(f, dest);
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        QCOMPARE(r2.record.counts.removed, 1);
        QCOMPARE(s.count(), 29u);
        QVERIFY(!s.find("email", "person.5@example.com"));
        QCOMPARE(s.counters().inputsByOperation["read"], 0); // HubSpot's id was kept
    }

    void archivesByKeyWhenHubSpotsIdIsUnknown()
    {
        // State from before Sluice stored HubSpot's ids: a delete carries only the key.
        Server s;
        const std::string kept = s.with([](HubSpotEmulator &e) {
            e.seed("contacts", {{"customer_id", "1"}, {"email", "a@example.com"}});
            e.seed("contacts", {{"customer_id", "2"}, {"email", "b@example.com"}});
            return e.seed("contacts", {{"customer_id", "3"}});
        });
        WriteSpec spec;
        spec.object = "contacts";
        spec.mode = SyncMode::Mirror;
        spec.fields = {"customer_id"};
        spec.keyField = "customer_id";
        auto writer = HubSpotWriter::open(std::make_unique<HubSpotApi>(s.config()), spec);
        QVERIFY(writer);
        std::vector<Change> changes(3);
        for (auto &c : changes)
            c.op = Op::Delete;
        changes[0].key = "1";
        changes[1].key = "2";
        changes[2].key = "99"; // never there: nothing to do
        auto results = (*writer)->write(changes);
        QVERIFY2(results, results ? "" : results.error().message.c_str());
        for (const auto &res : *results)
            QCOMPARE(res.status, RecordResult::Status::Ok);
        QCOMPARE(s.count(), 1u);
        QVERIFY(s.find("customer_id", "3"));
        QCOMPARE(s.find("customer_id", "3")->id, kept);
        QCOMPARE(s.counters().inputsByOperation["read"], 3);
        QCOMPARE(s.counters().inputsByOperation["archive"], 2);
    }

    void updateModeNeverCreates()
    {
        Server s;
        s.with([](HubSpotEmulator &e) {
            e.seed("companies", {{"external_id", "1"}, {"name", "Old one"}});
            e.seed("companies", {{"external_id", "2"}, {"name", "Old two"}});
            return 0;
        });
        HubSpotDestination dest(s.config());
        Fixture f(3);
        f.sync().object = "companies";
        f.sync().mode = SyncMode::Update;
        f.sync().keyField = "external_id";
        f.sync().mapping.fields = {FieldMapping{"id", std::nullopt, "external_id", {}},
                                   FieldMapping{"name", std::nullopt, "name", {}}};
        f.saveSync();
        auto r = run(f, dest);
        QCOMPARE(r.record.status, RunStatus::Partial);
        QCOMPARE(r.record.counts.rejected, 1);
        QCOMPARE(s.count("companies"), 2u);
        QCOMPARE(s.find("external_id", "2", "companies")->properties.at("name"),
                 std::string("Person 2"));
        auto rejected = f.ws().rejectedRecords(r.record.id);
        QCOMPARE((*rejected)[0].key, std::string("3"));
        QVERIFY2((*rejected)[0].reason.find("Could not get some COMPANY objects") !=
                     std::string::npos,
                 (*rejected)[0].reason.c_str());
    }

    void insertModeCreatesOnceEvenWhenAnAnswerIsLost()
    {
        Server s;
        HubSpotDestination dest(s.config());
        Fixture f(150);
        f.sync().object = "companies";
        f.sync().mode = SyncMode::Insert;
        f.sync().keyField = "external_id";
        f.sync().mapping.fields = {FieldMapping{"id", std::nullopt, "external_id", {}},
                                   FieldMapping{"name", std::nullopt, "name", {}}};
        f.saveSync();
        // The first create takes effect but its answer is lost; the client sends it again.
        auto r = run(f, dest, {}, [&] { s.server->queueFault(Fault::ResetAfterHandling); });
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(r.record.counts.added, 150);
        QCOMPARE(s.count("companies"), 150u);
        QCOMPARE(s.counters().created, 150);
        QVERIFY(s.counters().inputsByOperation["create"] > 150); // one request went twice

        f.sql("UPDATE people SET name = 'changed'");
        auto again = run(f, dest);
        QCOMPARE(again.record.counts.skipped, 150);
        QCOMPARE(s.counters().created, 150);

        // A key someone else already created in HubSpot is refused with HubSpot's words.
        s.with([](HubSpotEmulator &e) { return e.seed("companies", {{"external_id", "151"}}); });
        f.sql("INSERT INTO people VALUES (151, 'Dup', NULL, '')");
        auto dup = run(f, dest);
        QCOMPARE(dup.record.counts.rejected, 1);
        auto rejected = f.ws().rejectedRecords(dup.record.id);
        QVERIFY2((*rejected)[0].reason.starts_with("Company already exists. Existing ID: "),
                 (*rejected)[0].reason.c_str());
    }

    void insertWithoutAKeyField()
    {
        Server s;
        HubSpotDestination dest(s.config());
        Fixture f(5);
        f.sync().object = "companies";
        f.sync().mode = SyncMode::Insert;
        f.sync().keyField.clear();
        f.sync().mapping.fields = {FieldMapping{"name", std::nullopt, "name", {}}};
        f.saveSync();
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count("companies"), 5u);
        QVERIFY(s.find("name", "Person 4", "companies"));
        // Upsert needs a key: the run says so before sending anything.
        f.sync().mode = SyncMode::Upsert;
        f.saveSync();
        f.sql("UPDATE people SET name = 'x'");
        auto u = run(f, dest);
        QCOMPARE(u.record.status, RunStatus::Failed);
        QVERIFY2(u.record.error.find("Choose a key field") != std::string::npos,
                 u.record.error.c_str());
    }

    void hubSpotsRateLimitIsWaitedOut()
    {
        // HubSpot's own limit, scaled down (10 requests a second): without a limit of its own
        // the client runs into 429s and waits them out; pacing itself, it rarely meets one.
        Server s;
        s.with([](HubSpotEmulator &e) {
            e.setRateLimit(10, 1000);
            return 0;
        });
        HubSpotConfig config = s.config();
        config.requestsInFlight = 8;
        HubSpotDestination eager(config);
        Fixture f(2000);
        useContacts(f, SyncMode::Upsert);
        auto r = run(f, eager);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count(), 2000u);
        const long limited = s.counters().rateLimited;
        QVERIFY(limited > 0);
        QVERIFY(eager.httpStats().rateLimitWaits > 0);

        config.rateLimit = {10, 1000};
        HubSpotDestination paced(config);
        s.with([](HubSpotEmulator &e) {
            e.setRateLimit(10, 1000); // a new window: the first run's requests are forgotten
            return 0;
        });
        Fixture g(2000);
        useContacts(g, SyncMode::Upsert);
        g.sql("UPDATE people SET name = 'again ' || id");
        auto r2 = run(g, paced);
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        const long pacedLimited = s.counters().rateLimited - limited;
        qInfo("21 requests at 10 a second: %ld answered 429 without pacing, %ld with", limited,
              pacedLimited);
        // Not always zero: a request that took longer to arrive (a new connection) lets the
        // server see one more in its window than the client started in its own.
        QVERIFY2(pacedLimited * 5 < limited, std::to_string(pacedLimited).c_str());
    }

    void valuesAreSentAsHubSpotWantsThem()
    {
        Server s;
        HubSpotDestination dest(s.config());
        Fixture f(2);
        f.model().sql = "SELECT id, 'x' || id || '@example.com' AS email, "
                        "CASE id WHEN 1 THEN '1990-03-12' ELSE NULL END AS dob, "
                        "'2024-01-02 10:00:00' AS ordered, id = 1 AS flag, id * 2.5 AS ltv, "
                        "'books;travel' AS interests FROM people";
        QVERIFY(f.ws().saveModel(f.model()));
        f.sync().object = "contacts";
        f.sync().keyField = "customer_id";
        f.sync().mapping.fields = {FieldMapping{"id", std::nullopt, "customer_id", {}},
                                   FieldMapping{"email", std::nullopt, "email", {}},
                                   FieldMapping{"dob", std::nullopt, "date_of_birth", {}},
                                   FieldMapping{"ordered", std::nullopt, "last_order_at", {}},
                                   FieldMapping{"flag", std::nullopt, "is_customer", {}},
                                   FieldMapping{"ltv", std::nullopt, "lifetime_value", {}},
                                   FieldMapping{"interests", std::nullopt, "interests", {}}};
        f.saveSync();
        s.with([](HubSpotEmulator &e) {
            return e.seed("contacts", {{"customer_id", "2"}, {"date_of_birth", "0"}});
        });
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        auto one = s.find("customer_id", "1");
        QCOMPARE(one->properties.at("date_of_birth"), std::string("637200000000"));
        QCOMPARE(one->properties.at("last_order_at"), std::string("2024-01-02T10:00:00.000Z"));
        QCOMPARE(one->properties.at("is_customer"), std::string("true"));
        QCOMPARE(one->properties.at("lifetime_value"), std::string("2.5"));
        QCOMPARE(one->properties.at("interests"), std::string("books;travel"));
        auto two = s.find("customer_id", "2");
        QCOMPARE(two->properties.at("is_customer"), std::string("false"));
        QVERIFY(!two->properties.count("date_of_birth")); // NULL cleared it
        QCOMPARE(s.count(), 2u);
    }

    void requestFailuresStopTheRunWithAPlainMessage()
    {
        Server s;
        Fixture f(10);
        useContacts(f, SyncMode::Upsert);

        HubSpotConfig wrong = s.config();
        wrong.accessToken = "pat-na1-revoked-0000";
        HubSpotDestination bad(wrong);
        auto r1 = run(f, bad);
        QCOMPARE(r1.record.status, RunStatus::Failed);
        QVERIFY2(r1.record.error.find("HubSpot refused the access token") != std::string::npos,
                 r1.record.error.c_str());
        QVERIFY(r1.record.error.find("revoked-0000") == std::string::npos);

        s.with([](HubSpotEmulator &e) {
            e.setScopes({"crm.objects.contacts.read", "crm.schemas.contacts.read"});
            return 0;
        });
        HubSpotDestination dest(s.config());
        auto r2 = run(f, dest);
        QCOMPARE(r2.record.status, RunStatus::Failed);
        QVERIFY2(r2.record.error.find("missing the scope crm.objects.contacts.write") !=
                     std::string::npos,
                 r2.record.error.c_str());
        s.with([](HubSpotEmulator &e) {
            e.setScopes({});
            return 0;
        });

        f.sync().mapping.fields.push_back(
            FieldMapping{"note", std::nullopt, "favourite_colour", {}});
        f.saveSync();
        auto r3 = run(f, dest);
        QCOMPARE(r3.record.status, RunStatus::Failed);
        QVERIFY2(r3.record.error.find("no property \"favourite_colour\"") != std::string::npos,
                 r3.record.error.c_str());
        f.sync().mapping.fields.back().field = "createdate";
        f.saveSync();
        auto r4 = run(f, dest);
        QCOMPARE(r4.record.status, RunStatus::Failed);
        QVERIFY2(r4.record.error.find("\"createdate\" itself (read-only") != std::string::npos,
                 r4.record.error.c_str());
        f.sync().mapping.fields.pop_back();
        f.sync().keyField = "firstname";
        f.saveSync();
        auto r5 = run(f, dest);
        QCOMPARE(r5.record.status, RunStatus::Failed);
        QVERIFY2(r5.record.error.find("its values are not unique") != std::string::npos,
                 r5.record.error.c_str());
        QCOMPARE(s.counters().writeRequests, 0); // nothing was written by any of them
        QCOMPARE(s.count(), 0u);

        // The daily allowance is not something to wait for: the run stops and says so.
        f.sync().keyField = "customer_id";
        f.saveSync();
        s.with([](HubSpotEmulator &e) {
            e.setDailyLimit(1); // the properties request, then nothing
            return 0;
        });
        HubSpotDestination limited(s.config()); // no waiting: the daily limit is not retried
        const auto before = std::chrono::steady_clock::now();
        auto r6 = run(f, limited);
        QVERIFY(std::chrono::steady_clock::now() - before < std::chrono::seconds(5));
        QCOMPARE(r6.record.status, RunStatus::Failed);
        QVERIFY2(r6.record.error.find("daily API allowance") != std::string::npos,
                 r6.record.error.c_str());
    }

    void savedConnectionKeepsTheTokenOutOfTheWorkspace()
    {
        Server s;
        Fixture f(40, SyncMode::Mirror);
        auto store = std::make_shared<MemorySecretStore>();
        f.ws().setSecretStore(store);
        ConnectionDef conn{0,
                           "HubSpot",
                           ConnectionRole::Destination,
                           "hubspot",
                           {{"access_token", kToken}, {"base_url", s.server->baseUrl()}}};
        auto id = f.ws().saveConnection(conn);
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        f.sync().destinationId = *id;
        useContacts(f, SyncMode::Mirror);
        SyncEngine engine(f.ws());
        auto r = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count(), 40u);
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        for (const auto &e : std::filesystem::directory_iterator(f.dir())) {
            if (e.is_regular_file())
                QVERIFY2(readFile(e.path()).find(kToken) == std::string::npos, e.path().c_str());
        }
    }

    void twentyThousandRowsWithoutFaults()
    {
        Server s;
        HubSpotConfig config = s.config();
        config.requestsInFlight = 8;
        HubSpotDestination dest(config);
        Fixture f(20'000);
        useContacts(f, SyncMode::Upsert);
        const auto start = std::chrono::steady_clock::now();
        auto r = run(f, dest);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count(), 20'000u);
        QCOMPARE(s.counters().writeRequests, 200);
        qInfo("20,000 rows to the HubSpot emulator without faults: %lld ms (%ld requests)",
              static_cast<long long>(ms), s.counters().requests);
    }

    void twentyThousandRowsWithOneRequestInFiveFailing()
    {
        Server s;
        FaultMix mix;
        mix.share = 0.2;
        mix.kinds = {Fault::RateLimit,   Fault::RateLimitRetryAfter, Fault::Unavailable,
                     Fault::ServerError, Fault::ResetBeforeHandling, Fault::ResetAfterHandling,
                     Fault::Hang};
        mix.hangMs = 3000;
        mix.seed = 7;
        s.server->setFaults(mix);
        std::vector<std::string> log;
        HubSpotConfig config = s.config(&log);
        config.requestsInFlight = 8;
        config.timeoutMs = 1000; // hung requests are given up on quickly
        HubSpotDestination dest(config);
        Fixture f(20'000);
        useContacts(f, SyncMode::Upsert);

        const auto start = std::chrono::steady_clock::now();
        auto r = run(f, dest);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(r.record.counts.added, 20'000);
        QCOMPARE(r.record.counts.rejected, 0);

        // Every record there exactly once.
        auto records = s.with([](HubSpotEmulator &e) { return e.records("contacts"); });
        QCOMPARE(records.size(), 20'000u);
        std::set<std::string> emails, ids;
        for (const auto &rec : records) {
            emails.insert(rec.properties.at("email"));
            ids.insert(rec.properties.at("customer_id"));
        }
        QCOMPARE(emails.size(), 20'000u);
        QCOMPARE(ids.size(), 20'000u);
        QVERIFY(ids.count("1") && ids.count("20000"));

        // The faults happened and were retried.
        const auto server = s.server->stats();
        QVERIFY2(server.faults > 30, std::to_string(server.faults).c_str());
        for (Fault kind : mix.kinds)
            QVERIFY2(server.faultsByKind.count(kind) && server.faultsByKind.at(kind) > 0,
                     sluice::emu::faultName(kind));
        std::string byKind;
        for (const auto &[kind, n] : server.faultsByKind)
            byKind += std::string(byKind.empty() ? "" : ", ") + sluice::emu::faultName(kind) + " " +
                      std::to_string(n);
        qInfo("faults by kind: %s", byKind.c_str());
        const net::ClientStats http = dest.httpStats();
        QVERIFY(http.retries > 0);
        QVERIFY(http.rateLimitWaits > 0);
        QVERIFY(http.networkErrors > 0);
        std::size_t retryLines = 0;
        for (const auto &line : log) {
            QVERIFY(line.find(kToken) == std::string::npos);
            if (line.find("retry") != std::string::npos ||
                line.find("waiting") != std::string::npos)
                ++retryLines;
        }
        QVERIFY(retryLines > 0);
        // The run record and the run log show the retries the HTTP layer made.
        QVERIFY2(r.record.counts.retries >= http.retries + http.rateLimitWaits,
                 std::to_string(r.record.counts.retries).c_str());
        QVERIFY(std::ranges::any_of(r.log, [](const std::string &line) {
            return line.find("sent again after network or server errors") != std::string::npos;
        }));
        QVERIFY(std::ranges::any_of(r.log, [](const std::string &line) {
            return line.find("429 rate limited") != std::string::npos;
        }));
        for (const auto &line : r.log)
            QVERIFY(line.find(kToken) == std::string::npos);
        qInfo("20,000 rows with 20%% of requests failing: %lld ms; server: %ld requests, %ld "
              "faults; client: %ld retries, %ld rate-limit waits, %ld network errors; run "
              "record retries: %lld",
              static_cast<long long>(ms), server.requests, server.faults, http.retries,
              http.rateLimitWaits, http.networkErrors,
              static_cast<long long>(r.record.counts.retries));

        // Nothing left to send.
        s.server->clearFaults();
        const long before = s.counters().requests;
        auto again = run(f, dest);
        QCOMPARE(again.record.counts.unchanged, 20'000);
        QCOMPARE(s.counters().requests, before);
    }

    void stopInterruptsRequestsInFlight()
    {
        Server s;
        FaultMix mix;
        mix.share = 1.0; // every request hangs
        mix.kinds = {Fault::Hang};
        mix.hangMs = 60'000;
        s.server->setFaults(mix);
        HubSpotConfig config = s.config();
        HubSpotDestination dest(config);
        Fixture f(500);
        useContacts(f, SyncMode::Upsert);
        s.server->clearFaults(); // the writer's first look at the properties is answered
        CancelToken cancel;
        std::chrono::steady_clock::time_point stoppedAt;
        std::thread stopper;
        auto r = run(
            f, dest, {},
            [&] {
                s.server->setFaults(mix); // then the batches hang
                stopper = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(500));
                    stoppedAt = std::chrono::steady_clock::now();
                    cancel.cancel();
                });
            },
            &cancel);
        const auto took = std::chrono::steady_clock::now() - stoppedAt;
        stopper.join();
        QCOMPARE(r.record.status, RunStatus::Cancelled);
        QVERIFY2(took < std::chrono::seconds(1),
                 std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took).count())
                     .c_str());
        s.server->clearFaults();
    }

    void recordsTheClientsGaveUpOnAreRetriedByTheEngine()
    {
        // When the HTTP layer's own retries run out, the records come back as "retry" and the
        // engine sends them again, which the run record counts.
        Server s;
        HubSpotConfig config = s.config();
        config.retry.maxAttempts = 2;
        HubSpotDestination dest(config);
        Fixture f(50);
        useContacts(f, SyncMode::Upsert);
        auto r = run(f, dest, {}, [&] { s.server->queueFault(Fault::Unavailable, 4); });
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count(), 50u);
        QVERIFY2(r.record.counts.retries >= 50, std::to_string(r.record.counts.retries).c_str());
    }

private:
    std::unique_ptr<QTemporaryDir> m_secrets;
};

QTEST_GUILESS_MAIN(TestHubSpotSync)
#include "testhubspotsync.moc"

// The Salesforce destination end to end: the engine syncs a SQLite model into the Salesforce
// emulator over real HTTP on 127.0.0.1, signing in at the emulator's token endpoint. First runs
// create every record, re-runs send nothing, later runs send exactly the changes (mirror
// deletes), rejected records carry Salesforce's status code and message and are retried, all
// of it the same through sObject Collections and through Bulk API 2.0 jobs; the daily API limit
// and refused sessions stop the run with a plain message; and 20,000-row syncs survive 20% of
// requests failing without losing or duplicating a record.
#include "destinations/destinationregistry.h"
#include "destinations/salesforcedestination.h"
#include "destinations/salesforcewriter.h"
#include "fixture.h"
#include "salesforceemulator.h"
#include "secrets/memorysecretstore.h"
#include "testutil.h"
#include "workspace/configio.h"

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
using sluice::emu::OAuthEmulator;
using sluice::emu::SalesforceEmulator;
using json = nlohmann::json;

namespace {

struct Server
{
    SalesforceEmulator *sf = nullptr; // owned by the server
    std::unique_ptr<EmulatorServer> server;

    Server()
    {
        auto emulator = std::make_unique<SalesforceEmulator>();
        sf = emulator.get();
        server = std::make_unique<EmulatorServer>(std::move(emulator));
    }
    template <class F> auto with(F &&f)
    {
        return server->inspect<SalesforceEmulator>(std::forward<F>(f));
    }
    SalesforceEmulator::Counters counters()
    {
        return with([](SalesforceEmulator &e) { return e.counters(); });
    }
    std::size_t count(const std::string &object = "Contact")
    {
        return with([&](SalesforceEmulator &e) { return e.recordCount(object); });
    }
    std::optional<sluice::emu::SalesforceRecord>
    find(const std::string &field, const std::string &value, const std::string &object = "Contact")
    {
        return with([&](SalesforceEmulator &e) { return e.find(object, field, value); });
    }
    std::string text(const std::string &ext, const std::string &field)
    {
        auto r = find("Ext_Id__c", ext);
        if (!r || !r->fields.count(field) || !r->fields.at(field).is_string())
            return "<none>";
        return r->fields.at(field).get<std::string>();
    }
    long grants(const std::string &grant)
    {
        return with([&](SalesforceEmulator &e) {
            auto it = e.oauth().grants.find(grant);
            return it == e.oauth().grants.end() ? 0L : it->second;
        });
    }
    std::vector<SalesforceEmulator::BulkJobInfo> jobs()
    {
        return with([](SalesforceEmulator &e) { return e.bulkJobs(); });
    }
    // Sign-in at the emulator's token endpoint with the connected app's client credentials.
    SalesforceConfig config(std::size_t bulkThreshold = 0,
                            std::vector<std::string> *log = nullptr) const
    {
        SalesforceConfig c;
        c.loginUrl = server->baseUrl();
        c.clientId = OAuthEmulator::kSalesforceClientId;
        c.clientSecret = OAuthEmulator::kSalesforceClientSecret;
        c.retry.baseDelayMs = 20;
        c.retry.maxDelayMs = 200;
        c.bulkThreshold = bulkThreshold;
        c.bulkPollMs = 5;
        c.bulkPollMaxMs = 40;
        if (log)
            c.log = [log](const std::string &line) { log->push_back(line); };
        return c;
    }
};

// The fixture's people synced to contacts, found by Ext_Id__c (= the model's id).
void useContacts(Fixture &f, SyncMode mode)
{
    f.sync().object = "Contact";
    f.sync().mode = mode;
    f.sync().keyField = "Ext_Id__c";
    f.sync().mapping.fields = {FieldMapping{"id", std::nullopt, "Ext_Id__c", {}},
                               FieldMapping{"name", std::nullopt, "LastName", {}},
                               FieldMapping{"email", std::nullopt, "Email", {}}};
    f.saveSync();
}

// onSending runs once, when the engine starts sending (after the writer described the object):
// faults queued there hit the writes, not the sign-in or the describe.
RunResult run(Fixture &f, Destination &dest, RunOptions options = {},
              std::function<void()> onSending = {})
{
    options.retryBaseDelayMs = 20;
    SqliteSource source(f.sourcePath());
    SyncEngine engine(f.ws());
    return engine.run(f.sync(), f.model(), source, dest, options, nullptr,
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

std::vector<std::string> reasons(Fixture &f, const RunResult &r)
{
    std::vector<std::string> out;
    auto rejected = f.ws().rejectedRecords(r.record.id);
    if (rejected) {
        for (const auto &rec : *rejected)
            out.push_back(rec.key + " → " + rec.reason);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Every contact as "Ext_Id__c|LastName|Email", sorted: what a sync left in the org.
std::vector<std::string> snapshot(Server &s)
{
    auto records = s.with([](SalesforceEmulator &e) { return e.records("Contact"); });
    std::vector<std::string> out;
    for (const auto &r : records) {
        auto text = [&](const char *name) {
            auto it = r.fields.find(name);
            return it == r.fields.end() || !it->second.is_string() ? std::string("∅")
                                                                   : it->second.get<std::string>();
        };
        out.push_back(text("Ext_Id__c") + "|" + text("LastName") + "|" + text("Email"));
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct CycleResult
{
    std::vector<RunCounts> counts;
    std::vector<std::string> finalRecords;
    std::vector<std::string> log;
};

// The mirror cycle of the issue: create everything, send nothing, send exactly the changes.
CycleResult mirrorCycle(Server &s, std::size_t bulkThreshold)
{
    CycleResult out;
    SalesforceDestination dest(s.config(bulkThreshold, &out.log));
    Fixture f(250, SyncMode::Mirror);
    useContacts(f, SyncMode::Mirror);

    auto r1 = run(f, dest);
    if (r1.record.status != RunStatus::Succeeded)
        qWarning("first run: %s", describe(r1).c_str());
    out.counts.push_back(r1.record.counts);
    const long afterFirst = s.counters().requests;
    auto r2 = run(f, dest);
    out.counts.push_back(r2.record.counts);
    if (s.counters().requests != afterFirst)
        qWarning("the re-run made %ld requests", s.counters().requests - afterFirst);

    f.sql("UPDATE people SET name = 'Changed ' || id WHERE id IN (3, 30, 130)");
    f.sql("INSERT INTO people VALUES (251, 'New 251', 'n251@example.com', ''), "
          "(252, 'New 252', 'n252@example.com', '')");
    f.sql("DELETE FROM people WHERE id IN (10, 20, 200, 250)");
    auto r3 = run(f, dest);
    if (r3.record.status != RunStatus::Succeeded)
        qWarning("third run: %s", describe(r3).c_str());
    out.counts.push_back(r3.record.counts);
    const long afterThird = s.counters().requests;
    auto r4 = run(f, dest);
    out.counts.push_back(r4.record.counts);
    if (s.counters().requests != afterThird)
        qWarning("the last run made %ld requests", s.counters().requests - afterThird);
    out.finalRecords = snapshot(s);
    return out;
}

// A rejection cycle: refused records carry Salesforce's words, are sent again next run, and
// go through once fixed. Returns the reasons of the first run.
std::vector<std::string> rejectionCycle(Server &s, std::size_t bulkThreshold)
{
    SalesforceDestination dest(s.config(bulkThreshold));
    Fixture f(20);
    useContacts(f, SyncMode::Upsert);
    f.sql("UPDATE people SET email = 'not-an-email' WHERE id = 7");
    f.sql("UPDATE people SET name = replace(hex(zeroblob(45)), '0', 'x') WHERE id = 8");
    f.sql("UPDATE people SET name = NULL WHERE id = 9");

    auto r1 = run(f, dest);
    [&] {
        QVERIFY2(r1.record.status == RunStatus::Partial, describe(r1).c_str());
        QCOMPARE(r1.record.counts.added, 17);
        QCOMPARE(r1.record.counts.rejected, 3);
        QCOMPARE(s.count(), 17u);
    }();
    const auto first = reasons(f, r1);

    // Not fixed: sent again, refused again.
    const long upserts =
        s.counters().recordsByOperation["upsert"] + s.counters().bulkRowsByOperation["upsert"];
    auto r2 = run(f, dest);
    [&] {
        QCOMPARE(r2.record.counts.rejected, 3);
        QCOMPARE(r2.record.counts.unchanged, 17);
        QCOMPARE(s.counters().recordsByOperation["upsert"] +
                     s.counters().bulkRowsByOperation["upsert"],
                 upserts + 3);
        QCOMPARE(reasons(f, r2), first);
    }();

    f.sql("UPDATE people SET email = 'p7@example.com', name = 'Seven' WHERE id IN (7, 8, 9)");
    auto r3 = run(f, dest);
    [&] {
        QVERIFY2(r3.record.status == RunStatus::Succeeded, describe(r3).c_str());
        QCOMPARE(r3.record.counts.added, 3);
        QCOMPARE(s.count(), 20u);
        QCOMPARE(s.text("7", "Email"), std::string("p7@example.com"));
        QCOMPARE(s.text("9", "LastName"), std::string("Seven"));
    }();
    return first;
}

Change upsertChange(const std::string &key, const std::string &name)
{
    Change c;
    c.op = Op::Upsert;
    c.key = key;
    c.values = {text(key), text(name), text("x" + key + "@example.com")};
    return c;
}

WriteSpec contactSpec(SyncMode mode)
{
    WriteSpec spec;
    spec.object = "Contact";
    spec.mode = mode;
    spec.fields = {"Ext_Id__c", "LastName", "Email"};
    spec.keyField = "Ext_Id__c";
    return spec;
}

} // namespace

class TestSalesforceSync : public QObject
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
        const DestinationDriver *d = findDestinationDriver("salesforce");
        QVERIFY(d);
        QCOMPARE(d->info.label, std::string("Salesforce"));
        std::map<std::string, const SettingSpec *> specs;
        for (const auto &s : d->info.settings)
            specs[s.key] = &s;
        QCOMPARE(specs.at("login_url")->defaultValue, json("https://login.salesforce.com"));
        QCOMPARE(specs.at("auth_method")->kind, SettingKind::Choice);
        QCOMPARE(specs.at("auth_method")->choices,
                 (std::vector<std::string>{"client_credentials", "jwt_bearer"}));
        QCOMPARE(specs.at("client_secret")->kind, SettingKind::Secret);
        QCOMPARE(specs.at("private_key_file")->kind, SettingKind::FilePath);
        QCOMPARE(specs.at("api_version")->defaultValue, json("60.0"));
        QCOMPARE(specs.at("bulk_threshold")->defaultValue, json(10000));
        QVERIFY(specs.at("client_id")->required);

        QTemporaryDir dir;
        const DriverContext context{dir.path().toStdString(),
                                    std::make_shared<MemorySecretStore>()};
        const std::string secret = "sf-secret-that-must-not-show";
        const json base = {{"client_id", "3MVG9abc"}, {"client_secret", secret}};
        auto settings = [&](json extra) {
            json s = base;
            for (auto it = extra.begin(); it != extra.end(); ++it)
                s[it.key()] = it.value();
            return s;
        };
        auto problem = [&](const json &s) {
            auto r = createDestination("salesforce", s, context);
            return r ? std::string() : r.error().message;
        };
        QVERIFY(problem(settings({})).empty());
        const std::string plain = problem(settings({{"login_url", "http://acme.example.com"}}));
        QVERIFY2(plain.find("https://") != std::string::npos, plain.c_str());
        QVERIFY(plain.find(secret) == std::string::npos);
        QVERIFY(problem({{"client_id", "3MVG9abc"}}).find("consumer secret") != std::string::npos);
        QVERIFY(problem(settings({{"auth_method", "password"}})).find("Sign-in method") !=
                std::string::npos);
        QVERIFY(problem(settings({{"auth_method", "jwt_bearer"}})).find("username") !=
                std::string::npos);
        QVERIFY(problem(settings({{"auth_method", "jwt_bearer"}, {"username", "u@x.com"}}))
                    .find("private key file") != std::string::npos);
        const std::string missing = problem(settings({{"auth_method", "jwt_bearer"},
                                                      {"username", "u@x.com"},
                                                      {"private_key_file", "k.pem"}}));
        QVERIFY2(missing.find("Cannot read the private key file") != std::string::npos,
                 missing.c_str());
        writeFile(dir.path().toStdString() + "/cert.pem", "-----BEGIN CERTIFICATE-----\nx\n");
        const std::string notKey = problem(settings({{"auth_method", "jwt_bearer"},
                                                     {"username", "u@x.com"},
                                                     {"private_key_file", "cert.pem"}}));
        QVERIFY2(notKey.find("does not hold a private key") != std::string::npos, notKey.c_str());
        QVERIFY(problem(settings({{"api_version", "45.0"}})).find("at least 46") !=
                std::string::npos);
        QVERIFY(problem(settings({{"requests_in_flight", 0}})).find("Requests in flight") !=
                std::string::npos);
        QVERIFY(problem(settings({{"bulk_threshold", 200000}})).find("Bulk API threshold") !=
                std::string::npos);

        auto config = salesforceConfigFromSettings(
            settings({{"login_url", "acme.lightning.force.com/lightning/page/home"},
                      {"api_version", "v59"}}),
            context);
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->loginUrl, std::string("https://acme.my.salesforce.com"));
        QCOMPARE(config->apiVersion, std::string("59.0"));
        QVERIFY(config->tokens);

        auto caps = [&](json extra) {
            return (*createDestination("salesforce", settings(extra), context))
                ->capabilities()
                .batchSize;
        };
        QCOMPARE(caps({{"bulk_threshold", 0}, {"requests_in_flight", 3}}), std::size_t(1200));
        QCOMPARE(caps({}), SalesforceDestination::kMaxBulkBatch);
        QCOMPARE(caps({{"bulk_threshold", 80000}}), std::size_t(80000));
        QCOMPARE(
            (*createDestination("salesforce", settings({}), context))->capabilities().modes.size(),
            std::size_t(4));
    }

    void describesObjectsAndFieldsForTheMappingCanvas()
    {
        Server s;
        SalesforceDestination dest(s.config());
        auto objects = dest.objects();
        QVERIFY2(objects, objects ? "" : objects.error().message.c_str());
        std::vector<std::string> names;
        for (const auto &o : *objects)
            names.push_back(o.name + "=" + o.label);
        // Sorted by label; history objects (not createable) are left out.
        QCOMPARE(names, (std::vector<std::string>{"Account=Account", "Contact=Contact",
                                                  "Subscription__c=Subscription"}));

        auto contact = dest.fields("Contact");
        QVERIFY(contact);
        const FieldInfo *last = field(*contact, "LastName");
        QVERIFY(last->required && !last->key && !last->readOnly);
        QCOMPARE(last->type, ColumnType::Text);
        QVERIFY(field(*contact, "Ext_Id__c")->key);
        QVERIFY(!field(*contact, "Ext_Id__c")->required);
        QVERIFY(field(*contact, "Email")->key); // idLookup: updates may find contacts by it
        QVERIFY(!field(*contact, "FirstName")->key);
        QVERIFY(field(*contact, "Id")->readOnly);
        QVERIFY(!field(*contact, "Id")->key);
        QVERIFY(field(*contact, "CreatedDate")->readOnly);
        QVERIFY(field(*contact, "SystemModstamp")->readOnly);
        QVERIFY(field(*contact, "Name")->readOnly);
        QVERIFY(!field(*contact, "HasOptedOutOfEmail")->required); // defaulted on create
        QVERIFY(!field(*contact, "OwnerId")->required);
        QCOMPARE(field(*contact, "HasOptedOutOfEmail")->type, ColumnType::Boolean);
        QCOMPARE(field(*contact, "Birthdate")->type, ColumnType::Date);
        QCOMPARE(field(*contact, "Last_Order_At__c")->type, ColumnType::DateTime);
        QCOMPARE(field(*contact, "Lifetime_Value__c")->type, ColumnType::Real);
        QCOMPARE(field(*contact, "Discount__c")->type, ColumnType::Real);
        QCOMPARE(field(*contact, "Tier__c")->type, ColumnType::Text);
        QCOMPARE(field(*contact, "AccountId")->type, ColumnType::Text);
        auto account = dest.fields("Account");
        QVERIFY(account);
        QCOMPARE(field(*account, "NumberOfEmployees")->type, ColumnType::Integer);
        QVERIFY(field(*account, "Name")->required);
        QVERIFY(!field(*account, "Domain__c")->key);        // unique, but not a way to find records
        auto subscription = dest.fields("subscription__c"); // names are not case-sensitive
        QVERIFY(subscription);
        QVERIFY(!field(*subscription, "Name")->required); // defaults to the record's Id

        auto unknown = dest.fields("Spaceship__c");
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().kind, ErrorKind::NotFound);
        QVERIFY2(unknown.error().message.find("no object \"Spaceship__c\"") != std::string::npos,
                 unknown.error().message.c_str());

        // A wrong consumer secret is reported in Salesforce's words, and never quoted.
        SalesforceConfig wrong = s.config();
        wrong.clientSecret = "sf-wrong-secret-value-42";
        SalesforceDestination bad(wrong);
        auto refused = bad.objects();
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.find("Salesforce refused") != std::string::npos,
                 refused.error().message.c_str());
        QVERIFY(refused.error().message.find("invalid client credentials") != std::string::npos);
        QVERIFY(refused.error().message.find("wrong-secret") == std::string::npos);
        QVERIFY(refused.error().detail.find("wrong-secret") == std::string::npos);
    }

    void mirrorSendsExactlyTheChangesThroughCollections()
    {
        Server s;
        auto cycle = mirrorCycle(s, 0);
        QCOMPARE(cycle.counts[0].added, 250);
        QCOMPARE(cycle.counts[1].unchanged, 250);
        QCOMPARE(cycle.counts[2].changed, 3);
        QCOMPARE(cycle.counts[2].added, 2);
        QCOMPARE(cycle.counts[2].removed, 4);
        QCOMPARE(cycle.counts[3].unchanged, 248);
        auto c = s.counters();
        QCOMPARE(c.recordsByOperation["upsert"], 250 + 5);
        QCOMPARE(c.recordsByOperation["delete"], 4);
        QCOMPARE(c.collectionWrites, 2 + 1 + 1); // 200 + 50; 5 upserts; 4 deletes
        QVERIFY(c.maxCollectionRecords <= 200);
        QCOMPARE(c.queries, 0); // deleted by the Ids Salesforce gave
        QCOMPARE(c.bulkJobsCreated, 0);
        QCOMPARE(c.created, 252);
        QCOMPARE(c.deleted, 4);
        QCOMPARE(s.count(), 248u);
        QVERIFY(!s.find("Ext_Id__c", "10"));
        QVERIFY(!s.find("Ext_Id__c", "250"));
        QCOMPARE(s.text("130", "LastName"), std::string("Changed 130"));
        QCOMPARE(s.text("252", "Email"), std::string("n252@example.com"));
        QCOMPARE(s.text("7", "LastName"), std::string("Person 7"));
        QCOMPARE(s.grants("client_credentials"), 1); // one sign-in for all four runs
        // The request log reached the hook, without the session or the secret.
        QVERIFY(!cycle.log.empty());
        const auto sessions = s.with([](SalesforceEmulator &e) { return e.sessionsSeen(); });
        QVERIFY(!sessions.empty());
        for (const auto &line : cycle.log) {
            QVERIFY2(line.find(OAuthEmulator::kSalesforceClientSecret) == std::string::npos,
                     line.c_str());
            for (const auto &session : sessions)
                QVERIFY2(line.find(session) == std::string::npos, line.c_str());
        }
    }

    void theSameCycleThroughTheBulkApi()
    {
        Server collections, bulk;
        auto viaCollections = mirrorCycle(collections, 0);
        auto viaBulk = mirrorCycle(bulk, 1); // every change set, however small
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(viaBulk.counts[i].added, viaCollections.counts[i].added);
            QCOMPARE(viaBulk.counts[i].changed, viaCollections.counts[i].changed);
            QCOMPARE(viaBulk.counts[i].removed, viaCollections.counts[i].removed);
            QCOMPARE(viaBulk.counts[i].unchanged, viaCollections.counts[i].unchanged);
            QCOMPARE(viaBulk.counts[i].rejected, 0);
        }
        QCOMPARE(viaBulk.finalRecords, viaCollections.finalRecords);
        QCOMPARE(viaBulk.finalRecords.size(), 248u);
        auto c = bulk.counters();
        QCOMPARE(c.collectionWrites, 0);
        QCOMPARE(c.queries, 0);
        QCOMPARE(c.bulkJobsCreated, 3); // 250 upserts; 5 upserts; 4 deletes
        QCOMPARE(c.bulkJobsCompleted, 3);
        QCOMPARE(c.bulkRowsByOperation["upsert"], 255);
        QCOMPARE(c.bulkRowsByOperation["delete"], 4);
        for (const auto &job : bulk.jobs()) {
            QCOMPARE(job.state, std::string("JobComplete"));
            QCOMPARE(job.uploads, 1);
        }
    }

    void rejectedRecordsCarrySalesforcesMessageAndAreRetried()
    {
        Server collections, bulk;
        const auto viaCollections = rejectionCycle(collections, 0);
        const auto viaBulk = rejectionCycle(bulk, 1);
        const std::string longName(90, 'x');
        const std::vector<std::string> expected = {
            "7 → INVALID_EMAIL_ADDRESS: Email: invalid email address: not-an-email (Email)",
            "8 → STRING_TOO_LONG: Last Name: data value too large: " + longName +
                " (max length=80) (LastName)",
            "9 → REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (LastName)",
        };
        QCOMPARE(viaCollections, expected);
        QCOMPARE(viaBulk, expected); // the Bulk API's "CODE:message:fields --" reads the same
        QVERIFY(bulk.counters().bulkJobsCreated >= 3);
        QCOMPARE(bulk.counters().collectionWrites, 0);
    }

    void bulkUploadsAreSplitAndAJobThatGotItsDataTwiceStartsOver()
    {
        Server s;
        SalesforceConfig config = s.config(1);
        config.bulkUploadBytes = 4096;
        SalesforceDestination dest(config);
        Fixture f(600);
        useContacts(f, SyncMode::Upsert);
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count(), 600u);
        auto c = s.counters();
        QVERIFY2(c.bulkJobsCreated >= 5, std::to_string(c.bulkJobsCreated).c_str());
        QCOMPARE(c.bulkUploads, c.bulkJobsCreated);
        QVERIFY(c.maxUploadBytes <= 4096);
        QCOMPARE(c.bulkRowsByOperation["upsert"], 600);

        // The answer to an upload is lost and the HTTP layer sends it again: the job holds the
        // data twice, Salesforce refuses to close it, and the data goes into a new job.
        Server t;
        FaultMix quick;
        quick.slowMs = 1; // queued Slow faults: a reply 1 ms late, i.e. none
        t.server->setFaults(quick);
        SalesforceDestination dest2(t.config(1));
        Fixture g(40);
        useContacts(g, SyncMode::Upsert);
        auto r2 = run(g, dest2, {}, [&] {
            t.server->queueFault(Fault::Slow);               // POST /jobs/ingest
            t.server->queueFault(Fault::ResetAfterHandling); // PUT …/batches
        });
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        QCOMPARE(t.count(), 40u);
        auto jobs = t.jobs();
        QCOMPARE(jobs.size(), 2u);
        std::sort(jobs.begin(), jobs.end(),
                  [](const auto &a, const auto &b) { return a.uploads > b.uploads; });
        QCOMPARE(jobs[0].uploads, 2);
        QCOMPARE(jobs[0].state, std::string("Aborted"));
        QCOMPARE(jobs[1].uploads, 1);
        QCOMPARE(jobs[1].state, std::string("JobComplete"));
        QCOMPARE(t.counters().bulkRowsByOperation["upsert"], 40);
    }

    void cancelAbortsTheBulkJobItWaitsFor()
    {
        Server s;
        s.with([](SalesforceEmulator &e) {
            e.setPollsToComplete(1'000'000);
            return 0;
        });
        SalesforceConfig config = s.config(1);
        config.bulkPollMs = 20;
        config.bulkPollMaxMs = 100;
        SalesforceDestination dest(config);
        CancelToken cancel;
        dest.setCancelToken(&cancel);
        auto writer = dest.openWriter(contactSpec(SyncMode::Upsert));
        QVERIFY2(writer, writer ? "" : writer.error().message.c_str());
        std::vector<Change> batch = {upsertChange("1", "One"), upsertChange("2", "Two")};
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            cancel.cancel();
        });
        const auto start = std::chrono::steady_clock::now();
        auto r = (*writer)->write(batch);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        stopper.join();
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        QVERIFY2(ms < 2000, std::to_string(ms).c_str());
        auto jobs = s.jobs();
        QCOMPARE(jobs.size(), 1u);
        QCOMPARE(jobs[0].state, std::string("Aborted"));
        QCOMPARE(s.count(), 0u);
    }

    void deletesWithoutAStoredIdAreFoundByKey()
    {
        for (std::size_t threshold : {std::size_t(0), std::size_t(1)}) {
            Server s;
            std::vector<std::string> ids;
            s.with([&](SalesforceEmulator &e) {
                for (int i = 1; i <= 6; ++i)
                    ids.push_back(e.seed(
                        "Contact", {{"Ext_Id__c", "k" + std::to_string(i)}, {"LastName", "L"}}));
                e.setQueryPageSize(2); // the lookup's answer comes in pages
                return 0;
            });
            SalesforceDestination dest(s.config(threshold));
            auto writer = dest.openWriter(contactSpec(SyncMode::Mirror));
            QVERIFY(writer);
            std::vector<Change> batch;
            for (const char *key : {"k1", "K2", "k3", "k4", "k5", "gone"}) {
                Change c;
                c.op = Op::Delete;
                c.key = key;
                batch.push_back(c);
            }
            batch[4].destId = ids[4]; // this one Sluice knows
            auto results = (*writer)->write(batch);
            QVERIFY2(results, results ? "" : results.error().message.c_str());
            for (std::size_t i = 0; i < batch.size(); ++i)
                QVERIFY2((*results)[i].status == RecordResult::Status::Ok,
                         (*results)[i].message.c_str());
            QCOMPARE((*results)[0].destId, ids[0]);
            QCOMPARE((*results)[1].destId, ids[1]); // external IDs match without case
            QCOMPARE(s.count(), 1u);
            QVERIFY(s.find("Ext_Id__c", "k6"));
            QCOMPARE(s.counters().queries, 1); // one query, read in two pages

            // Deleting them again (an answer that was lost): gone already is deleted.
            auto again = (*writer)->write(batch);
            QVERIFY(again);
            for (std::size_t i = 0; i < batch.size(); ++i)
                QVERIFY2((*again)[i].status == RecordResult::Status::Ok,
                         (*again)[i].message.c_str());
            QCOMPARE(s.count(), 1u);
        }
    }

    void aRecordSalesforceCouldNotLockIsSentAgain()
    {
        for (std::size_t threshold : {std::size_t(0), std::size_t(1)}) {
            Server s;
            s.with([](SalesforceEmulator &e) {
                e.injectRecordError("5", "UNABLE_TO_LOCK_ROW",
                                    "unable to obtain exclusive access to this record", 2);
                return 0;
            });
            SalesforceDestination dest(s.config(threshold));
            Fixture f(10);
            useContacts(f, SyncMode::Upsert);
            auto r = run(f, dest);
            QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
            QCOMPARE(r.record.counts.added, 10);
            QCOMPARE(r.record.counts.retries, 2); // the engine sent it twice more
            QCOMPARE(s.count(), 10u);
            QCOMPARE(s.text("5", "LastName"), std::string("Person 5"));
        }
    }

    void updateModeFindsRecordsAndInsertModeNeverDuplicates()
    {
        for (std::size_t threshold : {std::size_t(0), std::size_t(1)}) {
            Server s;
            s.with([](SalesforceEmulator &e) {
                for (int i = 1; i <= 5; ++i)
                    e.seed("Contact", {{"Ext_Id__c", std::to_string(i)}, {"LastName", "Old"}});
                return 0;
            });
            SalesforceDestination dest(s.config(threshold));
            Fixture f(7);
            useContacts(f, SyncMode::Update);
            auto r = run(f, dest);
            QCOMPARE(r.record.status, RunStatus::Partial);
            QCOMPARE(r.record.counts.added, 5);
            QCOMPARE(r.record.counts.rejected, 2);
            QCOMPARE(s.count(), 5u); // update mode creates nothing
            QCOMPARE(s.text("4", "LastName"), std::string("Person 4"));
            QCOMPARE(reasons(f, r)[0],
                     std::string("6 → Salesforce has no Contact whose Ext_Id__c is \"6\"; in "
                                 "update mode Sluice changes existing records only."));
            QVERIFY(s.counters().queries >= 1);
        }

        Server s;
        SalesforceDestination dest(s.config(0));
        Fixture f(5);
        useContacts(f, SyncMode::Insert);
        // The answer to the create is lost and the HTTP layer sends it again: Salesforce says
        // the external ID exists, and the record holding exactly what was sent is this sync's.
        auto r1 = run(f, dest, {}, [&] { s.server->queueFault(Fault::ResetAfterHandling); });
        QVERIFY2(r1.record.status == RunStatus::Succeeded, describe(r1).c_str());
        QCOMPARE(s.count(), 5u);
        QCOMPARE(s.counters().recordsByOperation["create"], 10); // sent twice
        QVERIFY(s.counters().queries >= 1);

        // Someone else's record with the same external ID is not taken over.
        s.with([](SalesforceEmulator &e) {
            e.seed("Contact",
                   {{"Ext_Id__c", "6"}, {"LastName", "Person 6"}, {"Email", "p6@example.com"}});
            e.seed("Contact", {{"Ext_Id__c", "7"}, {"LastName", "Someone else"}});
            return 0;
        });
        f.sql("INSERT INTO people VALUES (6, 'Person 6', 'p6@example.com', ''), "
              "(7, 'Person 7', 'p7@example.com', '')");
        auto r2 = run(f, dest);
        QCOMPARE(r2.record.counts.added, 1); // 6 holds exactly what was sent: taken as ours
        QCOMPARE(r2.record.counts.rejected, 1);
        QVERIFY2(reasons(f, r2)[0].starts_with(
                     "7 → DUPLICATE_VALUE: duplicate value found: Ext_Id__c duplicates value "
                     "on record with id: 003"),
                 reasons(f, r2)[0].c_str());
        QCOMPARE(s.text("7", "LastName"), std::string("Someone else"));
        QCOMPARE(s.count(), 7u);
    }

    void valuesAreSentAsSalesforceWantsThem()
    {
        std::vector<std::vector<std::string>> seen;
        for (std::size_t threshold : {std::size_t(0), std::size_t(1)}) {
            Server s;
            SalesforceDestination dest(s.config(threshold));
            Fixture f(3);
            f.model().sql =
                "SELECT id, 'L' || id AS name, "
                "CASE id WHEN 1 THEN '1990-03-12' WHEN 3 THEN 'someday' ELSE NULL END AS dob, "
                "'2024-01-02 10:00:00' AS ordered, id = 1 AS flag, id * 2.5 AS ltv, "
                "CASE id WHEN 1 THEN 'Gold' ELSE '' END AS tier, "
                "'Line 1, \"quoted\"' || char(10) || 'Line 2' AS descr FROM people";
            QVERIFY(f.ws().saveModel(f.model()));
            f.sync().object = "Contact";
            f.sync().keyField = "Ext_Id__c";
            f.sync().mapping.fields = {
                FieldMapping{"id", std::nullopt, "Ext_Id__c", {}},
                FieldMapping{"name", std::nullopt, "LastName", {}},
                FieldMapping{"dob", std::nullopt, "Birthdate", {}},
                FieldMapping{"ordered", std::nullopt, "Last_Order_At__c", {}},
                FieldMapping{"flag", std::nullopt, "Is_Customer__c", {}},
                FieldMapping{"ltv", std::nullopt, "Lifetime_Value__c", {}},
                FieldMapping{"tier", std::nullopt, "Tier__c", {}},
                FieldMapping{"descr", std::nullopt, "Description", {}}};
            f.saveSync();
            s.with([](SalesforceEmulator &e) {
                return e.seed("Contact", {{"Ext_Id__c", "2"},
                                          {"LastName", "x"},
                                          {"Birthdate", "2000-01-01"},
                                          {"Tier__c", "Bronze"}});
            });
            auto r = run(f, dest);
            QCOMPARE(r.record.counts.rejected, 1);
            auto one = s.find("Ext_Id__c", "1");
            QVERIFY(one);
            QCOMPARE(one->fields.at("Birthdate"), json("1990-03-12"));
            QCOMPARE(one->fields.at("Last_Order_At__c"), json("2024-01-02T10:00:00.000+0000"));
            QCOMPARE(one->fields.at("Is_Customer__c"), json(true));
            QCOMPARE(one->fields.at("Lifetime_Value__c"), json(2.5));
            QCOMPARE(one->fields.at("Tier__c"), json("Gold"));
            QCOMPARE(one->fields.at("Description"), json("Line 1, \"quoted\"\nLine 2"));
            auto two = s.find("Ext_Id__c", "2");
            QCOMPARE(two->fields.at("Is_Customer__c"), json(false));
            QVERIFY(!two->fields.count("Birthdate")); // NULL cleared it
            QVERIFY(!two->fields.count("Tier__c"));   // and so did ""
            QCOMPARE(s.count(), 2u);
            seen.push_back(reasons(f, r));
        }
        QCOMPARE(seen[0], seen[1]);
        QCOMPARE(seen[0],
                 (std::vector<std::string>{"3 → Not sent: Salesforce's Birthdate takes a date like "
                                           "2024-03-05, and \"someday\" is not one."}));
    }

    void requestLimitExceededStopsTheRun()
    {
        for (std::size_t threshold : {std::size_t(0), std::size_t(1)}) {
            Server s;
            SalesforceDestination dest(s.config(threshold));
            Fixture f(30);
            useContacts(f, SyncMode::Upsert);
            s.with([](SalesforceEmulator &e) {
                e.setDailyApiLimit(1); // the describe, then nothing
                return 0;
            });
            auto r = run(f, dest);
            QCOMPARE(r.record.status, RunStatus::Failed);
            QVERIFY2(r.record.error.find("used up its daily API request limit") !=
                         std::string::npos,
                     r.record.error.c_str());
            QVERIFY2(r.record.error.find("TotalRequests Limit exceeded.") != std::string::npos,
                     r.record.error.c_str());
            QCOMPARE(s.counters().limitExceeded, 1); // asked once, not retried
            QCOMPARE(s.count(), 0u);
            QCOMPARE(dest.apiUsage().used, 1);
            QCOMPARE(dest.apiUsage().limit, 1);
        }
    }

    void anExpiredSessionIsRenewedOnceAndARefusedOneStopsTheRun()
    {
        Server s;
        SalesforceDestination dest(s.config(0));
        Fixture f(250);
        useContacts(f, SyncMode::Upsert);
        auto r1 = run(f, dest, {}, [&] {
            s.with([](SalesforceEmulator &e) {
                e.oauth().revokeAccessTokens();
                return 0;
            });
        });
        QVERIFY2(r1.record.status == RunStatus::Succeeded, describe(r1).c_str());
        QCOMPARE(s.count(), 250u);
        QCOMPARE(s.counters().unauthorized, 2);      // both requests of the batch
        QCOMPARE(s.grants("client_credentials"), 2); // but one sign-in for them

        s.with([](SalesforceEmulator &e) {
            e.setRejectAllSessions(true);
            return 0;
        });
        f.sql("UPDATE people SET name = 'again'");
        auto r2 = run(f, dest);
        QCOMPARE(r2.record.status, RunStatus::Failed);
        QVERIFY2(r2.record.error.find("refused the session even after signing in again") !=
                     std::string::npos,
                 r2.record.error.c_str());
        QVERIFY(r2.record.error.find("INVALID_SESSION_ID") != std::string::npos);
        QCOMPARE(s.grants("client_credentials"), 3); // one more try, then stop
    }

    void jwtBearerSignsIn()
    {
        Server s;
        QTemporaryDir dir;
        const std::string key =
            s.with([](SalesforceEmulator &e) { return e.oauth().privateKeyPem(); });
        writeFile(dir.path().toStdString() + "/connected-app.key", key);
        const DriverContext context{dir.path().toStdString(),
                                    std::make_shared<MemorySecretStore>()};
        auto dest = createDestination("salesforce",
                                      {{"login_url", s.server->baseUrl()},
                                       {"auth_method", "jwt_bearer"},
                                       {"client_id", OAuthEmulator::kSalesforceClientId},
                                       {"username", OAuthEmulator::kSalesforceUser},
                                       {"private_key_file", "connected-app.key"},
                                       {"bulk_threshold", 0}},
                                      context);
        QVERIFY2(dest, dest ? "" : dest.error().message.c_str());
        Fixture f(30);
        useContacts(f, SyncMode::Upsert);
        auto r = run(f, **dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count(), 30u);
        QCOMPARE(s.grants("jwt-bearer"), 1);

        // A user the app does not know is refused with Salesforce's words.
        auto stranger = createDestination("salesforce",
                                          {{"login_url", s.server->baseUrl()},
                                           {"auth_method", "jwt_bearer"},
                                           {"client_id", OAuthEmulator::kSalesforceClientId},
                                           {"username", "stranger@example.com"},
                                           {"private_key_file", "connected-app.key"}},
                                          context);
        QVERIFY(stranger);
        auto refused = (*stranger)->objects();
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.find("user hasn't approved this consumer") !=
                     std::string::npos,
                 refused.error().message.c_str());
    }

    void secretsStayOutOfTheWorkspaceLogsAndExports()
    {
        Server s;
        Fixture f(40, SyncMode::Mirror);
        auto store = std::make_shared<MemorySecretStore>();
        f.ws().setSecretStore(store);
        ConnectionDef conn{0,
                           "Salesforce",
                           ConnectionRole::Destination,
                           "salesforce",
                           {{"login_url", s.server->baseUrl()},
                            {"client_id", OAuthEmulator::kSalesforceClientId},
                            {"client_secret", OAuthEmulator::kSalesforceClientSecret},
                            {"bulk_threshold", 10}}};
        auto id = f.ws().saveConnection(conn);
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        f.sync().destinationId = *id;
        useContacts(f, SyncMode::Mirror);
        SyncEngine engine(f.ws());
        auto r = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count(), 40u);
        f.sql("DELETE FROM people WHERE id = 1");
        auto r2 = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        QCOMPARE(s.count(), 39u);

        std::vector<std::string> secrets = {OAuthEmulator::kSalesforceClientSecret};
        for (const auto &session : s.with([](SalesforceEmulator &e) { return e.sessionsSeen(); }))
            secrets.push_back(session);
        QVERIFY(secrets.size() >= 2);
        // The session was cached in the secret store (so the next run need not sign in) …
        bool cached = false;
        for (const auto &[key, value] : store->all())
            cached = cached ||
                     (key.starts_with("token:") && value.find(secrets[1]) != std::string::npos);
        QVERIFY(cached);
        QCOMPARE(s.grants("client_credentials"), 1); // … and the second run used it
        // … and none of it is in the workspace, the run logs or an exported config.
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        auto exported = exportSyncConfig(f.ws(), f.sync().name);
        QVERIFY2(exported, exported ? "" : exported.error().message.c_str());
        const std::string exportText = configToText(*exported);
        QVERIFY(exportText.find("\"salesforce\"") != std::string::npos);
        for (const auto &secret : secrets) {
            for (const auto &e : std::filesystem::directory_iterator(f.dir())) {
                if (e.is_regular_file())
                    QVERIFY2(readFile(e.path()).find(secret) == std::string::npos,
                             e.path().c_str());
            }
            for (const auto *result : {&r, &r2}) {
                for (const auto &line : result->log)
                    QVERIFY2(line.find(secret) == std::string::npos, line.c_str());
                QVERIFY(result->record.error.find(secret) == std::string::npos);
            }
            QVERIFY(exportText.find(secret) == std::string::npos);
        }
    }

    void twentyThousandRowsWithOneRequestInFiveFailing()
    {
        for (std::size_t threshold : {std::size_t(0), std::size_t(1000)}) {
            Server s;
            FaultMix mix;
            mix.share = 0.2;
            mix.kinds = {Fault::RateLimit,   Fault::RateLimitRetryAfter, Fault::Unavailable,
                         Fault::ServerError, Fault::ResetBeforeHandling, Fault::ResetAfterHandling,
                         Fault::Hang};
            mix.hangMs = 3000;
            mix.seed = threshold == 0 ? 11 : 12;
            s.server->setFaults(mix);
            std::vector<std::string> log;
            SalesforceConfig config = s.config(threshold, &log);
            config.requestsInFlight = 8;
            config.timeoutMs = 1000;            // hung requests are given up on quickly
            config.bulkUploadBytes = 64 * 1024; // about 14 jobs, so the faults hit every step
            SalesforceDestination dest(config);
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
            auto records = s.with([](SalesforceEmulator &e) { return e.records("Contact"); });
            QCOMPARE(records.size(), 20'000u);
            std::set<std::string> keys, emails;
            for (const auto &rec : records) {
                keys.insert(rec.fields.at("Ext_Id__c").get<std::string>());
                emails.insert(rec.fields.at("Email").get<std::string>());
            }
            QCOMPARE(keys.size(), 20'000u);
            QCOMPARE(emails.size(), 20'000u);
            QVERIFY(keys.count("1") && keys.count("20000"));

            // The faults happened and were retried.
            const auto server = s.server->stats();
            QVERIFY2(server.faults >= 10, std::to_string(server.faults).c_str());
            std::string byKind;
            for (const auto &[kind, n] : server.faultsByKind)
                byKind += std::string(byKind.empty() ? "" : ", ") + sluice::emu::faultName(kind) +
                          " " + std::to_string(n);
            const net::ClientStats http = dest.httpStats();
            QVERIFY(http.retries + http.rateLimitWaits > 0);
            // The run record counts them, and the run log says so.
            QVERIFY(r.record.counts.retries >= http.retries + http.rateLimitWaits);
            QVERIFY(std::ranges::any_of(r.log, [](const std::string &line) {
                return line.find("sent again after network or server errors") != std::string::npos;
            }));
            std::size_t retryLines = 0;
            for (const auto &line : log) {
                QVERIFY(line.find(OAuthEmulator::kSalesforceClientSecret) == std::string::npos);
                if (line.find("retry") != std::string::npos ||
                    line.find("waiting") != std::string::npos)
                    ++retryLines;
            }
            QVERIFY(retryLines > 0);
            auto c = s.counters();
            qInfo("%s: 20,000 rows with 20%% of requests failing: %lld ms; server: %ld "
                  "requests, %ld faults (%s); client: %ld retries, %ld rate-limit waits, %ld "
                  "network errors; run record retries: %lld; bulk jobs %ld (aborted %ld)",
                  threshold == 0 ? "sObject Collections" : "Bulk API 2.0",
                  static_cast<long long>(ms), server.requests, server.faults, byKind.c_str(),
                  http.retries, http.rateLimitWaits, http.networkErrors,
                  static_cast<long long>(r.record.counts.retries), c.bulkJobsCreated,
                  c.bulkJobsAborted);

            // Nothing left to send.
            s.server->clearFaults();
            const long before = s.counters().requests;
            auto again = run(f, dest);
            QCOMPARE(again.record.counts.unchanged, 20'000);
            QCOMPARE(s.counters().requests, before);
        }
    }

    void recordsTheClientGaveUpOnAreRetriedByTheEngine()
    {
        // When the HTTP layer's own retries run out, the records come back as "retry" and the
        // engine sends them again, which the run record counts.
        Server s;
        SalesforceConfig config = s.config(0);
        config.retry.maxAttempts = 2;
        SalesforceDestination dest(config);
        Fixture f(50);
        useContacts(f, SyncMode::Upsert);
        auto r = run(f, dest, {}, [&] { s.server->queueFault(Fault::Unavailable, 4); });
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.count(), 50u);
        QVERIFY2(r.record.counts.retries >= 50, std::to_string(r.record.counts.retries).c_str());
    }

    void mappingProblemsStopTheRunBeforeAnythingIsSent()
    {
        Server s;
        SalesforceDestination dest(s.config(0));
        Fixture f(10);
        useContacts(f, SyncMode::Upsert);
        auto problem = [&]() {
            auto r = run(f, dest);
            return r.record.status == RunStatus::Failed ? r.record.error : describe(r);
        };
        f.sync().mapping.fields.push_back(FieldMapping{"note", std::nullopt, "Shoe_Size__c", {}});
        f.saveSync();
        QVERIFY(problem().find("no field \"Shoe_Size__c\"") != std::string::npos);
        f.sync().mapping.fields.back().field = "CreatedDate";
        f.saveSync();
        QVERIFY(problem().find("\"CreatedDate\" itself (read-only") != std::string::npos);
        f.sync().mapping.fields.pop_back();
        f.sync().keyField = "Email";
        f.saveSync();
        const std::string notExternal = problem();
        QVERIFY2(notExternal.find("only by an External ID field, and \"Email\" is not one") !=
                     std::string::npos,
                 notExternal.c_str());
        QVERIFY(notExternal.find("\"Ext_Id__c\"") != std::string::npos); // the one to use
        f.sync().keyField.clear();
        f.saveSync();
        QVERIFY(problem().find("Choose a key field") != std::string::npos);
        f.sync().object = "ContactHistory";
        f.sync().keyField = "Ext_Id__c";
        f.saveSync();
        QVERIFY(problem().find("does not let this user create and change ContactHistory") !=
                std::string::npos);
        QCOMPARE(s.counters().collectionWrites, 0);
        QCOMPARE(s.count(), 0u);

        // Update mode may find records by an idLookup field such as Email.
        Fixture g(3);
        useContacts(g, SyncMode::Update);
        g.sync().keyField = "Email";
        g.saveSync();
        s.with([](SalesforceEmulator &e) {
            return e.seed("Contact", {{"Email", "p2@example.com"}, {"LastName", "Old"}});
        });
        auto r = run(g, dest);
        QCOMPARE(r.record.counts.added, 1);
        QCOMPARE(r.record.counts.rejected, 2);
        QCOMPARE(s.find("Email", "p2@example.com")->fields.at("LastName"), json("Person 2"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_secrets;
};

QTEST_GUILESS_MAIN(TestSalesforceSync)
#include "testsalesforcesync.moc"

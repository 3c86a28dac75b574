// The webhook destination end to end: the engine syncs a SQLite model to the webhook receiver
// emulator over real HTTP on 127.0.0.1. First runs deliver one created event per row, re-runs
// send nothing, later runs send exactly the changes (mirror sends deleted events), every request
// is signed and the receiver checks it, refused batches carry the receiver's words and are sent
// again, a disabled endpoint stops the run, a batch sent again keeps its webhook-id (so the
// receiver drops what it already has), a 20,000-row sync survives 20% of requests failing, and
// no secret reaches the workspace, the run's records or an exported config.
#include "destinations/destinationregistry.h"
#include "destinations/webhookdestination.h"
#include "destinations/webhookpayload.h"
#include "destinations/webhookwriter.h"
#include "fixture.h"
#include "net/jwt.h"
#include "secrets/memorysecretstore.h"
#include "testutil.h"
#include "webhookemulator.h"
#include "workspace/configio.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <set>
#include <thread>

using namespace sluice;
using namespace sluice::test;
using sluice::emu::EmulatorServer;
using sluice::emu::Fault;
using sluice::emu::FaultMix;
using sluice::emu::WebhookEmulator;
using json = nlohmann::json;

namespace {

const std::string kSecret = "whsec_" + net::base64Encode("sluice webhook test key 0123456789");
const std::string kApiKey = "ak_live_5f4e3d2c1b0a99887766";

struct Server
{
    std::unique_ptr<EmulatorServer> server;

    explicit Server(std::string secret = kSecret)
    {
        server = std::make_unique<EmulatorServer>(
            std::make_unique<WebhookEmulator>("/webhook", std::move(secret)));
    }
    template <class F> auto with(F &&f)
    {
        return server->inspect<WebhookEmulator>(std::forward<F>(f));
    }
    WebhookEmulator::Counters counters()
    {
        return with([](WebhookEmulator &e) { return e.counters(); });
    }
    std::size_t events(const std::string &type = {})
    {
        return with([&](WebhookEmulator &e) { return e.eventCount(type); });
    }
    std::vector<sluice::emu::WebhookEvent> eventsFor(const std::string &key)
    {
        return with([&](WebhookEmulator &e) { return e.eventsFor(key); });
    }
    std::string url() const { return server->baseUrl() + "/webhook"; }
    WebhookConfig config(std::vector<std::string> *log = nullptr) const
    {
        WebhookConfig c;
        c.url = url();
        c.signingSecret = kSecret;
        c.retry.baseDelayMs = 20;
        c.retry.maxDelayMs = 200;
        if (log)
            c.log = [log](const std::string &line) { log->push_back(line); };
        return c;
    }
};

void useEvents(Fixture &f, SyncMode mode)
{
    f.sync().object = "events";
    f.sync().mode = mode;
    f.saveSync(); // the fixture maps id, name and email to fields of the same names
}

// onSending runs once, when the engine starts sending: faults queued there hit the POSTs.
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

const SettingSpec *setting(const DriverInfo &info, const std::string &key)
{
    for (const auto &s : info.settings) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

std::unique_ptr<WebhookWriter> openWriter(const WebhookConfig &config, const WriteSpec &spec)
{
    auto w = WebhookWriter::open(config, spec);
    if (!w)
        qFatal("open: %s", w.error().message.c_str());
    return std::unique_ptr<WebhookWriter>(static_cast<WebhookWriter *>(w->release()));
}

Change change(Op op, std::string key, std::vector<Value> values = {}, std::string destId = {})
{
    return Change{op, std::move(key), std::move(values), std::move(destId)};
}

std::uint16_t closedPort()
{
    Server s;
    return s.server->port(); // free again once s is gone
}

} // namespace

class TestWebhookSync : public QObject
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

    void driverDeclaresAndChecksItsSettings()
    {
        const DestinationDriver *d = findDestinationDriver("webhook");
        QVERIFY(d);
        QCOMPARE(d->info.label, std::string("Webhook"));
        QVERIFY(setting(d->info, "url")->required);
        QCOMPARE(setting(d->info, "url")->kind, SettingKind::Text);
        QCOMPARE(setting(d->info, "signing_secret")->kind, SettingKind::Secret);
        QVERIFY(!setting(d->info, "signing_secret")->required);
        QCOMPARE(setting(d->info, "header_value")->kind, SettingKind::Secret);
        QCOMPARE(setting(d->info, "header_name")->kind, SettingKind::Text);
        QCOMPARE(setting(d->info, "batch_size")->defaultValue, json(100));
        QCOMPARE(setting(d->info, "requests_in_flight")->defaultValue, json(4));
        QVERIFY(setting(d->info, "timeout_seconds"));
        // The help says what a request looks like.
        QVERIFY(setting(d->info, "url")->help.find("sluice.batch") != std::string::npos);

        const DriverContext context{std::filesystem::temp_directory_path(),
                                    std::make_shared<MemorySecretStore>()};
        auto expectError = [&](json settings, const std::string &part) {
            auto r = createDestination("webhook", settings, context);
            QVERIFY2(!r, settings.dump().c_str());
            QVERIFY2(r.error().message.find(part) != std::string::npos, r.error().message.c_str());
            // Secrets typed into the settings never come back in a message.
            QVERIFY(r.error().message.find(kApiKey) == std::string::npos);
            QVERIFY(r.error().message.find(kSecret) == std::string::npos);
        };
        expectError(json::object(), "\"URL\" is required");
        expectError({{"url", "http://hooks.example.com/in"}}, "must start with https://");
        expectError({{"url", "ftp://hooks.example.com/in"}}, "must start with https://");
        expectError({{"url", "https://"}}, "no host name");
        expectError({{"url", "https://hooks.example.com/a b"}}, "spaces");
        expectError({{"url", "https://user:pw@hooks.example.com/in"}}, "user name or password");
        expectError({{"url", "https://hooks.example.com/in"}, {"signing_secret", "whsec_***"}},
                    "not base64");
        expectError({{"url", "https://hooks.example.com/in"}, {"header_name", "X-Api-Key"}},
                    "Enter the value of the extra header");
        expectError({{"url", "https://hooks.example.com/in"}, {"header_value", kApiKey}},
                    "has a value but no name");
        expectError({{"url", "https://hooks.example.com/in"},
                     {"header_name", "webhook-signature"},
                     {"header_value", kApiKey}},
                    "Sluice sets the header");
        expectError({{"url", "https://hooks.example.com/in"},
                     {"header_name", "X Api Key"},
                     {"header_value", kApiKey}},
                    "not a valid header name");
        expectError({{"url", "https://hooks.example.com/in"},
                     {"header_name", "X-Api-Key"},
                     {"header_value", kApiKey + "\r\nX-Evil: 1"}},
                    "line breaks");
        expectError({{"url", "https://hooks.example.com/in"}, {"batch_size", 0}},
                    "Records per request");
        expectError({{"url", "https://hooks.example.com/in"}, {"requests_in_flight", 17}},
                    "Requests in flight");
        expectError({{"url", "https://hooks.example.com/in"}, {"timeout_seconds", 1000}},
                    "Request timeout");

        // http:// is fine for this computer; a pasted secret's line break is dropped.
        auto local = createDestination("webhook",
                                       {{"url", " http://127.0.0.1:9/in?x=1 "},
                                        {"signing_secret", kSecret + "\n"},
                                        {"header_name", "X-Api-Key"},
                                        {"header_value", kApiKey}},
                                       context);
        QVERIFY2(local, local ? "" : local.error().message.c_str());
        auto *webhook = dynamic_cast<WebhookDestination *>(local->get());
        QVERIFY(webhook);
        QCOMPARE(webhook->config().url, std::string("http://127.0.0.1:9/in?x=1"));
        QCOMPARE(webhook->config().signingSecret, kSecret);
        QVERIFY(createDestination("webhook", {{"url", "http://localhost:8080/"}}, context));
        QVERIFY(createDestination("webhook", {{"url", "http://[::1]:8080/"}}, context));

        auto ok = createDestination(
            "webhook", {{"url", "https://hooks.example.com/in"}, {"batch_size", 50}}, context);
        QVERIFY(ok);
        QCOMPARE((*ok)->capabilities().batchSize, std::size_t(50 * 4 * 2));
        QCOMPARE((*ok)->capabilities().modes.size(), std::size_t(4));
        QVERIFY(!(*ok)->capabilities().fullSnapshot);
        auto fields = (*ok)->fields("events");
        QVERIFY(fields && fields->empty()); // the mapping names the fields
        auto other = (*ok)->fields("contacts");
        QVERIFY(!other);
        QVERIFY(other.error().message.find("\"events\"") != std::string::npos);
    }

    void payloadShapeAndIds()
    {
        WebhookConfig config;
        config.url = "http://127.0.0.1:9/webhook"; // never contacted
        config.batchSize = 2;
        WriteSpec spec{"events", SyncMode::Mirror,        {"name", "n", "r", "none"},
                       "",       "webhook-sync:salt-one", "2025-01-02T03:04:05.000Z"};
        const std::vector<Change> changes = {
            change(Op::Upsert, "1", {text("Ann \"A\"\n\xc3\xa9"), integer(7), real(2.5), null()}),
            change(Op::Upsert, "2", {text("Bob"), integer(-1), real(std::nan("")), null()},
                   "evt_previousEventOfTwo"),
            change(Op::Delete, "3", {}, "evt_previousEventOfThree"),
            change(Op::Create, "4\xff", {text("bad \xff byte"), integer(0), real(-0.125), null()}),
        };
        auto w = openWriter(config, spec);
        QCOMPARE(w->checkpoint(), std::string("webhook-sync:salt-one"));
        const auto built = w->preview(changes);
        QCOMPARE(built.size(), 2u); // 2 + 2 records at 2 per request

        const json first = json::parse(built[0].body);
        QCOMPARE(first["type"], json("sluice.batch"));
        QCOMPARE(first["timestamp"], json("2025-01-02T03:04:05.000Z"));
        const json &events = first["data"]["events"];
        QCOMPARE(events.size(), 2u);
        QCOMPARE(events[0]["type"], json("record.created"));
        QCOMPARE(events[0]["timestamp"], json("2025-01-02T03:04:05.000Z"));
        QCOMPARE(events[0]["data"], json({{"key", "1"},
                                          {"name", "Ann \"A\"\n\xc3\xa9"},
                                          {"n", 7},
                                          {"r", 2.5},
                                          {"none", nullptr}}));
        QCOMPARE(events[1]["type"], json("record.updated")); // Sluice knows its previous event
        QVERIFY(events[1]["data"]["r"].is_null());           // NaN is no JSON number
        QCOMPARE(events[0]["id"], json(built[0].eventIds[0]));
        QCOMPARE(events[1]["id"], json(built[0].eventIds[1]));
        QVERIFY(built[0].eventIds[0].starts_with("evt_"));
        QCOMPARE(built[0].eventIds[0].size(), 26u);
        QVERIFY(built[0].messageId.starts_with("msg_"));
        QCOMPARE(built[0].messageId.size(), 36u);
        const json second = json::parse(built[1].body);
        QCOMPARE(second["data"]["events"][0]["type"], json("record.deleted"));
        QCOMPARE(second["data"]["events"][0]["data"], json({{"key", "3"}}));
        // A byte that is not UTF-8 cannot make the whole batch unreadable.
        QCOMPARE(second["data"]["events"][1]["data"]["key"], json("4\xef\xbf\xbd"));
        QCOMPARE(second["data"]["events"][1]["data"]["name"], json("bad \xef\xbf\xbd byte"));
        QCOMPARE(second["data"]["events"][1]["data"]["r"], json(-0.125));

        // Built again (a retry within the run): the very same bytes and ids.
        auto again = openWriter(config, spec)->preview(changes);
        QCOMPARE(again[0].body, built[0].body);
        QCOMPARE(again[0].messageId, built[0].messageId);
        QCOMPARE(again[1].messageId, built[1].messageId);

        // The next run: records Sluice has a previous event for keep their ids (the same change
        // sent again after a failed run); a record without one gets a new id, so an identical
        // change made later is never taken for an old one.
        const std::vector<Change> linked = {changes[1], changes[2]};
        const auto linkedBefore = openWriter(config, spec)->preview(linked);
        spec.runStartedAt = "2025-01-02T04:00:00.000Z";
        auto later = openWriter(config, spec)->preview(changes);
        QVERIFY(later[0].eventIds[0] != built[0].eventIds[0]);
        QCOMPARE(later[0].eventIds[1], built[0].eventIds[1]);
        QCOMPARE(later[1].eventIds[0], built[1].eventIds[0]);
        QVERIFY(later[1].eventIds[1] != built[1].eventIds[1]);
        QVERIFY(later[0].messageId != built[0].messageId);
        // A batch of such records keeps its webhook-id, though its body is stamped anew.
        const auto linkedLater = openWriter(config, spec)->preview(linked);
        QCOMPARE(linkedLater[0].messageId, linkedBefore[0].messageId);
        QVERIFY(linkedLater[0].body != linkedBefore[0].body);

        // The same values after another previous event (A → B → A → B) are a new event.
        auto moved = changes;
        moved[1].destId = "evt_someOtherEvent";
        QVERIFY(openWriter(config, spec)->preview(moved)[0].eventIds[1] != built[0].eventIds[1]);

        // Another sync (salt): nothing in common.
        spec.checkpoint = "webhook-sync:salt-two";
        auto otherSync = openWriter(config, spec)->preview(changes);
        QVERIFY(otherSync[1].eventIds[0] != built[1].eventIds[0]);
        QVERIFY(otherSync[0].eventIds[1] != built[0].eventIds[1]);
        QVERIFY(openWriter(config, spec)->preview(linked)[0].messageId != linkedLater[0].messageId);

        // A sync's first writer makes up its salt; different syncs get different ones.
        spec.checkpoint.clear();
        const std::string a = openWriter(config, spec)->checkpoint();
        const std::string b = openWriter(config, spec)->checkpoint();
        QVERIFY(a.starts_with("webhook-sync:") && a.size() > 20);
        QVERIFY(a != b);
        spec.checkpoint = "1234"; // another destination's checkpoint (a CSV file's length)
        QVERIFY(openWriter(config, spec)->checkpoint().starts_with("webhook-sync:"));

        // Event types per operation.
        QCOMPARE(WebhookPayload::eventType(change(Op::Create, "1")),
                 WebhookPayload::EventType::Created);
        QCOMPARE(WebhookPayload::eventType(change(Op::Update, "1")),
                 WebhookPayload::EventType::Updated);
        QCOMPARE(WebhookPayload::eventType(change(Op::Upsert, "1")),
                 WebhookPayload::EventType::Created);
        QCOMPARE(WebhookPayload::eventType(change(Op::Upsert, "1", {}, "evt_x")),
                 WebhookPayload::EventType::Updated);
        QCOMPARE(WebhookPayload::eventType(change(Op::Delete, "1", {}, "evt_x")),
                 WebhookPayload::EventType::Deleted);

        // Field names the events cannot hold.
        spec.fields = {"name", "key"};
        auto key = WebhookWriter::open(config, spec);
        QVERIFY(!key);
        QVERIFY2(key.error().message.find("\"key\"") != std::string::npos,
                 key.error().message.c_str());
        spec.fields = {"name", "name"};
        QVERIFY(!WebhookWriter::open(config, spec));
        spec.fields = {"name", ""};
        QVERIFY(!WebhookWriter::open(config, spec));
    }

    void mirrorDeliversExactlyTheChanges()
    {
        Server s;
        std::vector<std::string> log;
        WebhookDestination dest(s.config(&log));
        auto objects = dest.objects();
        QVERIFY2(objects, objects ? "" : objects.error().message.c_str());
        QCOMPARE(objects->size(), 1u);
        QCOMPARE((*objects)[0].name, std::string("events"));
        QVERIFY((*objects)[0].openFields);

        Fixture f(250, SyncMode::Mirror);
        useEvents(f, SyncMode::Mirror);
        auto r1 = run(f, dest);
        QVERIFY2(r1.record.status == RunStatus::Succeeded, describe(r1).c_str());
        QCOMPARE(r1.record.counts.added, 250);
        auto c1 = s.counters();
        QCOMPARE(c1.accepted, 3); // 100 + 100 + 50
        QCOMPARE(c1.unauthorized, 0);
        QCOMPARE(s.events(), 250u);
        QCOMPARE(s.events("record.created"), 250u);
        QCOMPARE(s.with([](WebhookEmulator &e) { return e.distinctKeys(); }), 250u);
        auto seven = s.eventsFor("7");
        QCOMPARE(seven.size(), 1u);
        QCOMPARE(
            seven[0].data,
            json({{"key", "7"}, {"id", 7}, {"name", "Person 7"}, {"email", "p7@example.com"}}));
        QCOMPARE(seven[0].timestamp, r1.record.startedAt);

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
        QCOMPARE(s.events(), 250u + 3 + 2 + 4);
        QCOMPARE(s.events("record.deleted"), 4u);
        for (const char *key : {"10", "20", "200", "250"}) {
            auto e = s.eventsFor(key);
            QCOMPARE(e.size(), 2u);
            QCOMPARE(e[1].type, std::string("record.deleted"));
            QCOMPARE(e[1].data, json({{"key", key}}));
        }
        for (const char *key : {"251", "252"}) {
            auto e = s.eventsFor(key);
            QCOMPARE(e.size(), 1u);
            QCOMPARE(e[0].type, std::string("record.created"));
        }
        for (const char *key : {"3", "30", "130"}) {
            auto e = s.eventsFor(key);
            QCOMPARE(e.size(), 2u);
            QCOMPARE(e[1].data["name"], json(std::string("Changed ") + key));
        }
        const auto current = s.with([](WebhookEmulator &e) { return e.current(); });
        QCOMPARE(current.size(), 248u);
        QVERIFY(!current.count("10"));
        QCOMPARE(current.at("252")["email"], json("n252@example.com"));
        QCOMPARE(s.counters().duplicates, 0);
        QCOMPARE(s.counters().unauthorized, 0);
        // A changed record is announced as updated: the engine hands the writer the record's
        // previous event id from state (Change::destId).
        QCOMPARE(s.eventsFor("3")[1].type, std::string("record.updated"));

        const long before = s.counters().requests;
        auto r4 = run(f, dest);
        QCOMPARE(r4.record.counts.unchanged, 248);
        QCOMPARE(s.counters().requests, before);

        // The request log reached the hook, without the secret.
        QVERIFY(!log.empty());
        for (const auto &line : log)
            QVERIFY2(line.find(kSecret) == std::string::npos, line.c_str());
    }

    void updateAndInsertModes()
    {
        Server s;
        WebhookDestination dest(s.config());
        Fixture f(20, SyncMode::Update);
        useEvents(f, SyncMode::Update);
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.events("record.updated"), 20u);
        f.sql("UPDATE people SET email = 'x' || id || '@example.com' WHERE id <= 5");
        run(f, dest);
        QCOMPARE(s.events("record.updated"), 25u);
        QCOMPARE(s.eventsFor("5").back().data["email"], json("x5@example.com"));

        Server t;
        WebhookDestination insert(t.config());
        Fixture g(20, SyncMode::Insert);
        useEvents(g, SyncMode::Insert);
        run(g, insert);
        QCOMPARE(t.events("record.created"), 20u);
        g.sql("UPDATE people SET name = 'changed' WHERE id = 1");
        g.sql("INSERT INTO people VALUES (21, 'New', 'n@example.com', '')");
        auto again = run(g, insert);
        QCOMPARE(again.record.counts.skipped, 1);
        QCOMPARE(t.events("record.created"), 21u);
        QCOMPARE(t.events(), 21u);
    }

    void refusedBatchesCarryTheReceiversWordsAndAreSentAgain()
    {
        Server s;
        s.with([](WebhookEmulator &e) {
            e.rejectWhen("email", "bad@", 422, "email bad@ is not a valid address");
            return 0;
        });
        WebhookConfig config = s.config();
        config.batchSize = 10;
        WebhookDestination dest(config);
        Fixture f(30);
        useEvents(f, SyncMode::Upsert);
        f.sql("UPDATE people SET email = 'bad@' WHERE id = 7");

        auto r1 = run(f, dest);
        QVERIFY2(r1.record.status == RunStatus::Partial, describe(r1).c_str());
        QCOMPARE(r1.record.counts.added, 20);
        QCOMPARE(r1.record.counts.rejected, 10); // the receiver refused the batch of 1..10
        QCOMPARE(s.events(), 20u);
        auto rejected = f.ws().rejectedRecords(r1.record.id);
        QVERIFY(rejected);
        QCOMPARE(rejected->size(), 10u);
        std::set<std::string> keys;
        for (const auto &rec : *rejected) {
            keys.insert(rec.key);
            QVERIFY2(rec.reason.find("422 Unprocessable Entity") != std::string::npos,
                     rec.reason.c_str());
            QVERIFY2(rec.reason.find("email bad@ is not a valid address") != std::string::npos,
                     rec.reason.c_str());
            QVERIFY2(rec.reason.find("batch of 10 records") != std::string::npos,
                     rec.reason.c_str());
        }
        QCOMPARE(keys, (std::set<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}));
        // The run log names the refused batch by its webhook-id, for the receiver's owner.
        const auto refusedLine = std::find_if(r1.log.begin(), r1.log.end(), [](const auto &l) {
            return l.starts_with("Batch msg_") && l.find("was refused: 422") != std::string::npos;
        });
        QVERIFY(refusedLine != r1.log.end());

        // Not fixed: sent again, refused again; the others are not sent.
        auto r2 = run(f, dest);
        QCOMPARE(r2.record.counts.rejected, 10);
        QCOMPARE(r2.record.counts.unchanged, 20);
        QCOMPARE(s.counters().rejected, 2);

        f.sql("UPDATE people SET email = 'p7@example.com' WHERE id = 7");
        auto r3 = run(f, dest);
        QVERIFY2(r3.record.status == RunStatus::Succeeded, describe(r3).c_str());
        QCOMPARE(r3.record.counts.added, 10);
        QCOMPARE(s.events(), 30u);
        QCOMPARE(s.with([](WebhookEmulator &e) { return e.distinctKeys(); }), 30u);

        // One record per request: only the culprit is refused.
        Server one;
        one.with([](WebhookEmulator &e) {
            e.rejectWhen("email", "bad@");
            return 0;
        });
        WebhookConfig single = one.config();
        single.batchSize = 1;
        WebhookDestination singles(single);
        Fixture g(12);
        useEvents(g, SyncMode::Upsert);
        g.sql("UPDATE people SET email = 'bad@' WHERE id = 7");
        auto r4 = run(g, singles);
        QCOMPARE(r4.record.counts.rejected, 1);
        QCOMPARE(r4.record.counts.added, 11);
        auto why = g.ws().rejectedRecords(r4.record.id);
        QCOMPARE(why->size(), 1u);
        QCOMPARE((*why)[0].key, std::string("7"));
        QVERIFY2((*why)[0].reason.starts_with("The webhook receiver refused this record: 422"),
                 (*why)[0].reason.c_str());
    }

    void tooLargeBatchesAreSplit()
    {
        Server s;
        s.with([](WebhookEmulator &e) {
            e.setMaxBodyBytes(1200);
            return 0;
        });
        WebhookConfig config = s.config();
        config.batchSize = 20;
        WebhookDestination dest(config);
        Fixture f(40);
        useEvents(f, SyncMode::Upsert);
        f.sql("UPDATE people SET name = replace(hex(zeroblob(1000)), '00', 'yy') WHERE id = 33");
        auto r = run(f, dest);
        QCOMPARE(r.record.counts.added, 39);
        QCOMPARE(r.record.counts.rejected, 1);
        QCOMPARE(s.events(), 39u);
        QVERIFY(s.counters().tooLarge > 2);
        auto why = f.ws().rejectedRecords(r.record.id);
        QCOMPARE((*why)[0].key, std::string("33"));
        QVERIFY2((*why)[0].reason.find("too large") != std::string::npos, (*why)[0].reason.c_str());
    }

    void endpointProblemsStopTheRunWithAPlainMessage()
    {
        Fixture f(10);
        useEvents(f, SyncMode::Upsert);

        // 410: the receiver disabled the endpoint.
        {
            Server s;
            s.with([](WebhookEmulator &e) {
                e.setGone(true);
                return 0;
            });
            WebhookDestination dest(s.config());
            auto objects = dest.objects();
            QVERIFY(!objects);
            QVERIFY2(objects.error().message.find("disabled this endpoint") != std::string::npos,
                     objects.error().message.c_str());
            auto r = run(f, dest);
            QCOMPARE(r.record.status, RunStatus::Failed);
            QVERIFY2(r.record.error.find("The receiver has disabled this endpoint") !=
                         std::string::npos,
                     r.record.error.c_str());
            QCOMPARE(s.events(), 0u);
        }
        // A wrong signing secret, or none, when the receiver checks signatures.
        {
            Server s("whsec_" + net::base64Encode("the receiver's own secret"));
            WebhookDestination dest(s.config());
            auto r = run(f, dest);
            QCOMPARE(r.record.status, RunStatus::Failed);
            QVERIFY2(r.record.error.find("Check the signing secret") != std::string::npos,
                     r.record.error.c_str());
            QVERIFY(r.record.error.find(kSecret) == std::string::npos);
            WebhookConfig unsigned_ = s.config();
            unsigned_.signingSecret.clear();
            WebhookDestination none(unsigned_);
            auto r2 = run(f, none);
            QCOMPARE(r2.record.status, RunStatus::Failed);
            QVERIFY2(r2.record.error.find("401 Unauthorized") != std::string::npos,
                     r2.record.error.c_str());
            QCOMPARE(s.counters().unauthorized, 2);
        }
        // A wrong path.
        {
            Server s;
            WebhookConfig config = s.config();
            config.url = s.server->baseUrl() + "/webhooks";
            WebhookDestination dest(config);
            auto r = run(f, dest);
            QCOMPARE(r.record.status, RunStatus::Failed);
            QVERIFY2(r.record.error.find("There is no webhook receiver at") != std::string::npos,
                     r.record.error.c_str());
        }
        // Nobody there at all.
        {
            WebhookConfig config;
            config.url = "http://127.0.0.1:" + std::to_string(closedPort()) + "/webhook";
            config.retry.maxAttempts = 2;
            config.retry.baseDelayMs = 10;
            WebhookDestination dest(config);
            auto objects = dest.objects();
            QVERIFY(!objects);
            QVERIFY2(objects.error().message.find("Could not reach the webhook receiver") !=
                         std::string::npos,
                     objects.error().message.c_str());
        }
        // Everything was left for a later run.
        Server s;
        WebhookDestination dest(s.config());
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(r.record.counts.added, 10);
    }

    void anEndpointRefusalAfterDeliveriesConcernsOneBatch()
    {
        // 403 before the receiver took anything: a configuration problem, the run stops. Once
        // it has taken batches in this run, a 403 is about that batch only.
        Server s;
        s.with([](WebhookEmulator &e) {
            e.rejectWhen("email", "blocked@example.com", 403, "this customer opted out");
            return 0;
        });
        WebhookConfig config = s.config();
        config.batchSize = 1;
        config.requestsInFlight = 1;
        WebhookDestination dest(config);
        Fixture f(10);
        useEvents(f, SyncMode::Upsert);
        f.sql("UPDATE people SET email = 'blocked@example.com' WHERE id = 6");
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Partial, describe(r).c_str());
        QCOMPARE(r.record.counts.added, 9);
        QCOMPARE(r.record.counts.rejected, 1);
        auto why = f.ws().rejectedRecords(r.record.id);
        QVERIFY2((*why)[0].reason.find("403 Forbidden") != std::string::npos &&
                     (*why)[0].reason.find("this customer opted out") != std::string::npos,
                 (*why)[0].reason.c_str());

        // Next run, the refused record is the first thing sent: now the run stops.
        auto r2 = run(f, dest);
        QCOMPARE(r2.record.status, RunStatus::Failed);
        QVERIFY2(r2.record.error.find("refused Sluice's request") != std::string::npos,
                 r2.record.error.c_str());
    }

    void anExtraHeaderCarriesTheApiKey()
    {
        Server s;
        s.with([](WebhookEmulator &e) {
            e.requireHeader("x-api-key", kApiKey);
            return 0;
        });
        WebhookConfig config = s.config();
        config.signingSecret.clear();
        s.with([](WebhookEmulator &e) {
            e.setSecret("");
            return 0;
        });
        WebhookDestination without(config);
        Fixture f(5);
        useEvents(f, SyncMode::Upsert);
        QCOMPARE(run(f, without).record.status, RunStatus::Failed);
        config.headerName = "X-Api-Key";
        config.headerValue = kApiKey;
        WebhookDestination with(config);
        QVERIFY(with.objects());
        auto r = run(f, with);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.events(), 5u);
    }

    void aBatchSentAgainKeepsItsWebhookId()
    {
        // The receiver handles the first POST but the answer is lost, twice; the HTTP client
        // gives up, the engine sends the records again in a new request, signed anew: every
        // delivery carries the same webhook-id, and the receiver keeps the events once.
        Server s;
        WebhookConfig config = s.config();
        config.retry.maxAttempts = 2;
        WebhookDestination dest(config);
        Fixture f(30);
        useEvents(f, SyncMode::Upsert);
        auto r = run(f, dest, {}, [&] { s.server->queueFault(Fault::ResetAfterHandling, 2); });
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QVERIFY2(r.record.counts.retries >= 30, std::to_string(r.record.counts.retries).c_str());
        QCOMPARE(s.events(), 30u);
        const auto c = s.counters();
        QCOMPARE(c.accepted, 1);
        QCOMPARE(c.duplicates, 2);
        QCOMPARE(c.idConflicts, 0);
        const auto ids = s.with([](WebhookEmulator &e) { return e.deliveriesById(); });
        QCOMPARE(ids.size(), 1u);
        QCOMPARE(ids.begin()->second, 3);
    }

    void deletesSentAgainByTheNextRunKeepTheirWebhookId()
    {
        // A run that stops before it knows a batch arrived: the next run sends the same deleted
        // events under the same webhook-id, so the receiver does not process them twice.
        Server s;
        WebhookConfig config = s.config();
        config.retry.maxAttempts = 1;
        WebhookDestination dest(config);
        Fixture f(20, SyncMode::Mirror);
        useEvents(f, SyncMode::Mirror);
        QCOMPARE(run(f, dest).record.status, RunStatus::Succeeded);
        f.sql("DELETE FROM people WHERE id IN (2, 4, 6)");
        RunOptions once;
        once.maxAttempts = 1;
        auto r1 = run(f, dest, once, [&] { s.server->queueFault(Fault::ResetAfterHandling); });
        QVERIFY2(r1.record.status == RunStatus::Partial, describe(r1).c_str());
        QVERIFY2(r1.record.error.find("could not be delivered") != std::string::npos,
                 r1.record.error.c_str());
        QCOMPARE(s.events("record.deleted"), 3u); // the receiver has them; Sluice cannot know
        auto r2 = run(f, dest);
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        QCOMPARE(r2.record.counts.removed, 3);
        QCOMPARE(s.events("record.deleted"), 3u);
        QCOMPARE(s.counters().duplicates, 1);
        QCOMPARE(s.counters().idConflicts, 0);
        auto r3 = run(f, dest);
        QCOMPARE(r3.record.counts.unchanged, 17);
    }

    void stopInterruptsAHungRequest()
    {
        Server s;
        WebhookConfig config = s.config();
        config.timeoutMs = 60'000;
        WebhookDestination dest(config);
        Fixture f(10);
        useEvents(f, SyncMode::Upsert);
        CancelToken cancel;
        std::thread stopper;
        SqliteSource source(f.sourcePath());
        SyncEngine engine(f.ws());
        const auto start = std::chrono::steady_clock::now();
        auto r = engine.run(f.sync(), f.model(), source, dest, RunOptions{}, &cancel,
                            [&](const RunProgress &p) {
                                if (p.phase == RunProgress::Phase::Sending && !stopper.joinable()) {
                                    s.server->queueFault(Fault::Hang);
                                    stopper = std::thread([&cancel] {
                                        std::this_thread::sleep_for(std::chrono::milliseconds(300));
                                        cancel.cancel();
                                    });
                                }
                            });
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        if (stopper.joinable())
            stopper.join();
        QCOMPARE(r.record.status, RunStatus::Cancelled);
        QVERIFY2(ms < 3000, std::to_string(ms).c_str());
        QCOMPARE(s.events(), 0u);
    }

    void secretsStayOutOfTheWorkspaceTheRunAndExports()
    {
        Server s;
        s.with([](WebhookEmulator &e) {
            e.requireHeader("x-api-key", kApiKey);
            // A careless receiver that echoes the key in its error messages.
            e.rejectWhen("email", "bad@", 422, "invalid email (request had key " + kApiKey + ")");
            return 0;
        });
        Fixture f(40, SyncMode::Mirror);
        auto store = std::make_shared<MemorySecretStore>();
        f.ws().setSecretStore(store);
        ConnectionDef conn{0,
                           "Hooks",
                           ConnectionRole::Destination,
                           "webhook",
                           {{"url", s.url()},
                            {"signing_secret", kSecret},
                            {"header_name", "X-Api-Key"},
                            {"header_value", kApiKey},
                            {"batch_size", 10}}};
        auto id = f.ws().saveConnection(conn);
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        f.sync().destinationId = *id;
        useEvents(f, SyncMode::Mirror);
        f.sql("UPDATE people SET email = 'bad@' WHERE id = 40");
        SyncEngine engine(f.ws());
        auto r = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(r.record.status == RunStatus::Partial, describe(r).c_str());
        QCOMPARE(s.events(), 30u);
        QCOMPARE(s.counters().unauthorized, 0); // signed with the stored secret, key sent
        auto rejected = f.ws().rejectedRecords(r.record.id);
        QCOMPARE(rejected->size(), 10u);
        QVERIFY2((*rejected)[0].reason.find("invalid email (request had key [secret])") !=
                     std::string::npos,
                 (*rejected)[0].reason.c_str());

        auto exported = exportSyncConfig(f.ws(), f.sync().name);
        QVERIFY2(exported, exported ? "" : exported.error().message.c_str());
        const std::string text = configToText(*exported);
        QVERIFY(text.find("\"webhook\"") != std::string::npos);

        const std::string bareKey = kSecret.substr(6);
        auto clean = [&](const std::string &bytes, const std::string &where) {
            for (const std::string &secret : {kSecret, bareKey, kApiKey})
                QVERIFY2(bytes.find(secret) == std::string::npos,
                         (where + " holds a secret").c_str());
        };
        clean(text, "the exported config");
        clean(r.record.error, "the run's error");
        for (const auto &line : r.log)
            clean(line, "the run log");
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        for (const auto &e : std::filesystem::directory_iterator(f.dir())) {
            if (e.is_regular_file())
                clean(readFile(e.path()), e.path().string());
        }
    }

    void twentyThousandRowsWithoutFaults()
    {
        Server s;
        WebhookConfig config = s.config();
        config.requestsInFlight = 8;
        WebhookDestination dest(config);
        Fixture f(20'000);
        useEvents(f, SyncMode::Upsert);
        const auto start = std::chrono::steady_clock::now();
        auto r = run(f, dest);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(s.events(), 20'000u);
        QCOMPARE(s.counters().accepted, 200);
        const auto server = s.server->stats();
        QVERIFY2(server.connections <= 16, std::to_string(server.connections).c_str());
        qInfo("20,000 rows to the webhook receiver without faults: %lld ms (%ld requests, %ld "
              "connections)",
              static_cast<long long>(ms), server.requests, server.connections);
    }

    void twentyThousandRowsWithOneRequestInFiveFailing()
    {
        Server s;
        FaultMix mix;
        mix.share = 0.2;
        mix.kinds = {Fault::RateLimit,           Fault::RateLimitRetryAfter, Fault::Unavailable,
                     Fault::ResetBeforeHandling, Fault::ResetAfterHandling,  Fault::Hang};
        mix.hangMs = 3000;
        mix.seed = 11;
        s.server->setFaults(mix);
        std::vector<std::string> log;
        WebhookConfig config = s.config(&log);
        config.requestsInFlight = 8;
        config.timeoutMs = 1000; // hung requests are given up on quickly
        WebhookDestination dest(config);
        Fixture f(20'000);
        useEvents(f, SyncMode::Upsert);

        const auto start = std::chrono::steady_clock::now();
        auto r = run(f, dest);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(r.record.counts.added, 20'000);
        QCOMPARE(r.record.counts.rejected, 0);

        // Every record there exactly once, as one created event.
        QCOMPARE(s.events(), 20'000u);
        QCOMPARE(s.events("record.created"), 20'000u);
        QCOMPARE(s.with([](WebhookEmulator &e) { return e.distinctKeys(); }), 20'000u);
        auto c = s.counters();
        // Requests handled before their connection was reset came again and were dropped by
        // their webhook-id, never with other events under the same id.
        QVERIFY2(c.duplicates > 0, std::to_string(c.duplicates).c_str());
        QCOMPARE(c.idConflicts, 0);
        QCOMPARE(c.unauthorized, 0); // every retry still carried a valid signature
        QCOMPARE(c.accepted, 200);

        const auto server = s.server->stats();
        for (Fault kind : mix.kinds)
            QVERIFY2(server.faultsByKind.count(kind) && server.faultsByKind.at(kind) > 0,
                     sluice::emu::faultName(kind));
        std::string byKind;
        for (const auto &[kind, n] : server.faultsByKind)
            byKind += std::string(byKind.empty() ? "" : ", ") + sluice::emu::faultName(kind) + " " +
                      std::to_string(n);
        const net::ClientStats http = dest.httpStats();
        // The run record counts the HTTP layer's retries and waits.
        QCOMPARE(r.record.counts.retries, http.retries + http.rateLimitWaits);
        QVERIFY(std::any_of(r.log.begin(), r.log.end(), [](const std::string &l) {
            return l.starts_with("The destination took");
        }));
        QVERIFY(http.retries > 0);
        QVERIFY(http.rateLimitWaits > 0);
        QVERIFY(http.networkErrors > 0);
        std::size_t retryLines = 0;
        for (const auto &line : log) {
            QVERIFY(line.find(kSecret) == std::string::npos);
            if (line.find("retry") != std::string::npos ||
                line.find("waiting") != std::string::npos)
                ++retryLines;
        }
        QVERIFY(retryLines > 0);
        qInfo("faults by kind: %s", byKind.c_str());
        qInfo("20,000 rows to the webhook receiver with 20%% of requests failing: %lld ms; "
              "server: %ld requests, %ld faults; receiver: %ld batches kept, %ld duplicates "
              "dropped; client: %ld retries, %ld rate-limit waits, %ld network errors; run record "
              "retries: %lld",
              static_cast<long long>(ms), server.requests, server.faults, c.accepted, c.duplicates,
              http.retries, http.rateLimitWaits, http.networkErrors,
              static_cast<long long>(r.record.counts.retries));

        // Nothing left to send.
        s.server->clearFaults();
        const long before = s.counters().requests;
        auto again = run(f, dest);
        QCOMPARE(again.record.counts.unchanged, 20'000);
        QCOMPARE(s.counters().requests, before);
    }

private:
    std::unique_ptr<QTemporaryDir> m_secrets;
};

QTEST_GUILESS_MAIN(TestWebhookSync)
#include "testwebhooksync.moc"

// The Google Sheets destination end to end: the engine syncs a SQLite model into a tab of the
// Sheets emulator over real HTTP on 127.0.0.1, with access tokens from the OAuth emulator for a
// service-account key file. First runs write the header and every row, re-runs write nothing,
// later runs write exactly the changes (mirror deletes rows), the cell limits stop a run before
// anything is written, a 20,000-row sync survives 20% of requests failing without losing or
// duplicating a row, and no secret ends up in the workspace, the run log or an exported config.
#include "destinations/destinationregistry.h"
#include "destinations/googlesheetsdestination.h"
#include "destinations/googlesheetswriter.h"
#include "fixture.h"
#include "oauthemulator.h"
#include "secrets/memorysecretstore.h"
#include "sheetsemulator.h"
#include "testutil.h"
#include "workspace/configio.h"

#include <QtTest>

#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <set>

using namespace sluice;
using namespace sluice::test;
using sluice::emu::EmulatorServer;
using sluice::emu::Fault;
using sluice::emu::FaultMix;
using sluice::emu::OAuthEmulator;
using sluice::emu::SheetsEmulator;
using json = nlohmann::json;

namespace {

const char *const kEmail = OAuthEmulator::kServiceAccount;

// The OAuth emulator (token endpoint for the key file) and the Sheets emulator, which accepts
// the access tokens the OAuth emulator issued, and a spreadsheet shared with the account.
struct Google
{
    OAuthEmulator *oauth = nullptr;
    std::unique_ptr<EmulatorServer> oauthServer;
    std::unique_ptr<EmulatorServer> server;
    QTemporaryDir keyDir; // the user's key file lives apart from the workspace
    std::filesystem::path keyPath;
    std::string spreadsheetId;
    struct Seen
    {
        std::mutex mutex;
        std::set<std::string> tokens;
    };
    std::shared_ptr<Seen> seen = std::make_shared<Seen>();

    Google()
    {
        auto o = std::make_unique<OAuthEmulator>();
        oauth = o.get();
        oauthServer = std::make_unique<EmulatorServer>(std::move(o));
        auto sheets = std::make_unique<SheetsEmulator>();
        EmulatorServer *tokens = oauthServer.get();
        std::shared_ptr<Seen> seenTokens = seen;
        sheets->setTokenValidator([tokens, seenTokens](const std::string &token) {
            const bool ok = tokens->inspect<OAuthEmulator>(
                [&](OAuthEmulator &e) { return e.isValidAccessToken(token); });
            if (!ok)
                return std::string();
            std::lock_guard lock(seenTokens->mutex);
            seenTokens->tokens.insert(token);
            return std::string(kEmail);
        });
        server = std::make_unique<EmulatorServer>(std::move(sheets));
        spreadsheetId = server->inspect<SheetsEmulator>(
            [](SheetsEmulator &e) { return e.addSpreadsheet("Target", kEmail); });
        keyPath = std::filesystem::path(keyDir.path().toStdString()) / "service-account.json";
        writeFile(keyPath, tokens->inspect<OAuthEmulator>([&](OAuthEmulator &e) {
            return e.serviceAccountKeyFile(oauthServer->baseUrl() + "/token");
        }));
    }
    template <class F> auto with(F &&f)
    {
        return server->inspect<SheetsEmulator>(std::forward<F>(f));
    }
    json settings() const
    {
        return {{"key_file", keyPath.string()},
                {"spreadsheet_id", spreadsheetId},
                {"base_url", server->baseUrl()},
                {"requests_per_minute", 100'000},
                {"requests_in_flight", 4}};
    }
    GoogleSheetsConfig config(std::vector<std::string> *log = nullptr) const
    {
        auto c =
            googleSheetsConfig(settings(), DriverContext{keyDir.path().toStdString(),
                                                         std::make_shared<MemorySecretStore>()});
        if (!c)
            qFatal("config: %s", c.error().message.c_str());
        c->retry.baseDelayMs = 20;
        c->retry.maxDelayMs = 200;
        if (log)
            c->log = [log](const std::string &line) { log->push_back(line); };
        return *c;
    }
    std::vector<std::vector<json>> rows(const std::string &tab)
    {
        return with([&](SheetsEmulator &e) { return e.values(spreadsheetId, tab); });
    }
    SheetsEmulator::Counters counters()
    {
        return with([](SheetsEmulator &e) { return e.counters(); });
    }
    std::vector<std::string> tabTitles()
    {
        return with([&](SheetsEmulator &e) {
            std::vector<std::string> out;
            for (const auto &t : e.tabs(spreadsheetId))
                out.push_back(t.title);
            return out;
        });
    }
    std::set<std::string> tokensSeen()
    {
        std::lock_guard lock(seen->mutex);
        return seen->tokens;
    }
};

std::string text(const json &cell)
{
    return sheetsKeyText(cell);
}

// The data rows by their key (column `keyColumn`); fails the test on a duplicate key.
std::map<std::string, std::vector<json>> byKey(const std::vector<std::vector<json>> &rows,
                                               std::size_t keyColumn = 0)
{
    std::map<std::string, std::vector<json>> out;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::string key = keyColumn < rows[i].size() ? text(rows[i][keyColumn]) : "";
        if (!out.emplace(key, rows[i]).second)
            qWarning("duplicate key %s in row %zu", key.c_str(), i + 1);
    }
    return out;
}

void usePeople(Fixture &f, SyncMode mode, const std::string &tab = "People")
{
    f.sync().object = tab;
    f.sync().mode = mode;
    f.sync().keyField = "id";
    f.sync().mapping.fields = {FieldMapping{"id", std::nullopt, "id", {}},
                               FieldMapping{"name", std::nullopt, "name", {}},
                               FieldMapping{"email", std::nullopt, "email", {}}};
    f.saveSync();
}

RunResult run(Fixture &f, Destination &dest, RunOptions options = {})
{
    options.retryBaseDelayMs = 20;
    SqliteSource source(f.sourcePath());
    SyncEngine engine(f.ws());
    return engine.run(f.sync(), f.model(), source, dest, options);
}

std::string describe(const RunResult &r)
{
    return std::string(runStatusName(r.record.status)) + ": " + r.record.error;
}

std::vector<json> person(int id, const std::string &name = {})
{
    return {id, name.empty() ? "Person " + std::to_string(id) : name,
            "p" + std::to_string(id) + "@example.com"};
}

// The sheet holds exactly the model's people, each once (header first).
void expectPeople(Google &g, Fixture &f, const std::string &tab = "People")
{
    const auto rows = g.rows(tab);
    QVERIFY(!rows.empty());
    QCOMPARE(rows[0], (std::vector<json>{"id", "name", "email"}));
    auto db = SqliteDb::open(f.sourcePath(), SqliteDb::Mode::ReadOnly);
    QVERIFY(db);
    std::map<std::string, std::vector<json>> expected;
    auto stmt = db->prepare("SELECT id, name, email FROM people");
    QVERIFY(stmt);
    for (;;) {
        auto more = stmt->step();
        QVERIFY(more);
        if (!*more)
            break;
        const auto id = stmt->columnInt(0);
        expected[std::to_string(id)] = {id, stmt->columnText(1), stmt->columnText(2)};
    }
    const auto actual = byKey(rows);
    QCOMPARE(rows.size() - 1, actual.size()); // no key twice
    QCOMPARE(actual.size(), expected.size());
    QVERIFY(actual == expected);
}

} // namespace

class TestSheetsSync : public QObject
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

    void a1NotationAndCells()
    {
        QCOMPARE(sheetsColumnName(0), std::string("A"));
        QCOMPARE(sheetsColumnName(25), std::string("Z"));
        QCOMPARE(sheetsColumnName(26), std::string("AA"));
        QCOMPARE(sheetsColumnName(701), std::string("ZZ"));
        QCOMPARE(sheetsColumnName(702), std::string("AAA"));
        QCOMPARE(sheetsColumnName(18'277), std::string("ZZZ"));
        QCOMPARE(sheetsRange("Bob's tab", 1, 2, 5, 4), std::string("'Bob''s tab'!C2:D5"));
        QCOMPARE(sheetsRange("T", 0, 3, -1, 4), std::string("'T'!D:D"));
        QCOMPARE(sheetsRange("T", 1, 0, 2, -1), std::string("'T'!2:2"));
        QCOMPARE(sheetsSpreadsheetId(" 1AbC-d_9 "), std::string("1AbC-d_9"));
        QCOMPARE(sheetsSpreadsheetId("https://docs.google.com/spreadsheets/d/1AbC-d_9/edit#gid=0"),
                 std::string("1AbC-d_9"));
        QCOMPARE(sheetsSpreadsheetId("https://docs.google.com/spreadsheets/d/1AbC?usp=sharing"),
                 std::string("1AbC"));
        QCOMPARE(sheetsCellLength("h\xC3\xA9llo"), 5u);
        QCOMPARE(sheetsCellLength("\xF0\x9F\x98\x80"), 2u); // a surrogate pair in UTF-16

        // What is written reads back as the same key text.
        auto roundTrip = [](const Value &v) {
            std::string cell;
            appendSheetsCell(cell, v);
            return std::pair{sheetsKeyText(json::parse(cell)), sheetsKeyText(v)};
        };
        for (const Value &v : {integer(42), integer(-7), integer(9007199254740993LL), real(2.5),
                               real(3.0), real(1e20), real(-0.125), sluice::test::text("007"),
                               sluice::test::text("=1+1"), sluice::test::text("a\"b\\c\n")}) {
            auto [back, written] = roundTrip(v);
            QCOMPARE(back, written);
        }
        std::string cell;
        appendSheetsCell(cell, integer(9007199254740993LL));
        QCOMPARE(cell, std::string("\"9007199254740993\"")); // a double would round it
        cell.clear();
        appendSheetsCell(cell, null());
        QCOMPARE(cell, std::string("\"\""));
        cell.clear();
        appendSheetsCell(cell, real(std::numeric_limits<double>::quiet_NaN()));
        QCOMPARE(cell, std::string("\"NaN\""));
        QCOMPARE(sheetsKeyText(json(true)), std::string("TRUE"));
        QCOMPARE(sheetsKeyText(json(12.0)), std::string("12"));
    }

    void driverDeclaresItsSettings()
    {
        const DestinationDriver *d = findDestinationDriver("google_sheets");
        QVERIFY(d);
        QCOMPARE(d->info.label, std::string("Google Sheets"));
        std::map<std::string, const SettingSpec *> specs;
        for (const auto &s : d->info.settings)
            specs[s.key] = &s;
        QCOMPARE(specs.at("key_file")->kind, SettingKind::FilePath);
        QVERIFY(specs.at("key_file")->required);
        QVERIFY(specs.at("spreadsheet_id")->required);
        QCOMPARE(specs.at("base_url")->defaultValue, json("https://sheets.googleapis.com"));
        QCOMPARE(specs.at("requests_per_minute")->defaultValue, json(60));

        Google g;
        const DriverContext context{g.keyDir.path().toStdString(),
                                    std::make_shared<MemorySecretStore>()};
        json settings = g.settings();
        auto ok = createDestination("google_sheets", settings, context);
        QVERIFY2(ok, ok ? "" : ok.error().message.c_str());
        QCOMPARE((*ok)->capabilities().modes.size(), 4u);

        // A pasted address is as good as the id; a relative key path is the workspace's.
        settings["spreadsheet_id"] =
            "https://docs.google.com/spreadsheets/d/" + g.spreadsheetId + "/edit#gid=0";
        settings["key_file"] = "service-account.json";
        auto pasted = createGoogleSheetsDestination(settings, context);
        QVERIFY2(pasted, pasted ? "" : pasted.error().message.c_str());
        QCOMPARE(static_cast<GoogleSheetsDestination &>(**pasted).config().spreadsheetId,
                 g.spreadsheetId);
        QCOMPARE(static_cast<GoogleSheetsDestination &>(**pasted).config().clientEmail,
                 std::string(kEmail));

        auto missing = g.settings();
        missing["key_file"] = "/nonexistent/key.json";
        auto noKey = createDestination("google_sheets", missing, context);
        QVERIFY(!noKey);
        QVERIFY2(noKey.error().message.find("/nonexistent/key.json") != std::string::npos &&
                     noKey.error().message.find("does not exist") != std::string::npos,
                 noKey.error().message.c_str());

        const auto notKey = std::filesystem::path(g.keyDir.path().toStdString()) / "notes.json";
        writeFile(notKey, R"({"type":"authorized_user","client_id":"x"})");
        auto wrongKind = g.settings();
        wrongKind["key_file"] = notKey.string();
        auto bad = createDestination("google_sheets", wrongKind, context);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find("not a usable service account key") != std::string::npos,
                 bad.error().message.c_str());

        auto plain = g.settings();
        plain["base_url"] = "http://sheets.example.com";
        auto insecure = createDestination("google_sheets", plain, context);
        QVERIFY(!insecure);
        QVERIFY2(insecure.error().message.find("https://") != std::string::npos,
                 insecure.error().message.c_str());

        auto garbage = g.settings();
        garbage["spreadsheet_id"] = "not a spreadsheet!";
        QVERIFY(!createDestination("google_sheets", garbage, context));
        auto zero = g.settings();
        zero["requests_in_flight"] = 0;
        auto z = createDestination("google_sheets", zero, context);
        QVERIFY(!z);
        QVERIFY(z.error().message.find("Requests in flight") != std::string::npos);
    }

    void tabsAreObjectsAndHeadersAreFields()
    {
        Google g;
        g.with([&](SheetsEmulator &e) {
            e.addTab(g.spreadsheetId, "Leads", 100, 5);
            e.setValues(g.spreadsheetId, "Leads", 0, 0, {{"email", "score", nullptr, 7}});
            e.addTab(g.spreadsheetId, std::string(GoogleSheetsWriter::kMarkerPrefix) + "123", 1, 1);
            return 0;
        });
        g.with([&](SheetsEmulator &e) {
            e.setHidden(g.spreadsheetId, std::string(GoogleSheetsWriter::kMarkerPrefix) + "123",
                        true);
            return 0;
        });
        GoogleSheetsDestination dest(g.config());
        auto objects = dest.objects();
        QVERIFY2(objects, objects ? "" : objects.error().message.c_str());
        QCOMPARE(objects->size(), 2u); // Sheet1 and Leads; not the marker
        QCOMPARE((*objects)[1].name, std::string("Leads"));
        QVERIFY((*objects)[1].openFields);
        auto fields = dest.fields("Leads");
        QVERIFY(fields);
        QCOMPARE(fields->size(), 3u);
        QCOMPARE((*fields)[0].name, std::string("email"));
        QCOMPARE((*fields)[2].name, std::string("7"));
        auto fresh = dest.fields("A tab to come");
        QVERIFY(fresh);
        QVERIFY(fresh->empty());

        // Not shared with the service account: say so, and with whom to share.
        const std::string other = g.with(
            [](SheetsEmulator &e) { return e.addSpreadsheet("Private", "ann@example.com"); });
        GoogleSheetsConfig c = g.config();
        c.spreadsheetId = other;
        GoogleSheetsDestination unshared(c);
        auto refused = unshared.objects();
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.find(std::string("Share the spreadsheet with ") +
                                              kEmail) != std::string::npos,
                 refused.error().message.c_str());
        c.spreadsheetId = "1NoSuchSpreadsheet";
        GoogleSheetsDestination gone(c);
        auto notFound = gone.objects();
        QVERIFY(!notFound);
        QVERIFY2(notFound.error().message.find(
                     "no spreadsheet with the ID \"1NoSuchSpreadsheet\"") != std::string::npos,
                 notFound.error().message.c_str());
    }

    void mirrorWritesTheHeaderAndRowsThenExactlyTheChanges()
    {
        Google g;
        std::vector<std::string> log;
        GoogleSheetsDestination dest(g.config(&log));
        Fixture f(50, SyncMode::Mirror);
        usePeople(f, SyncMode::Mirror);

        auto r1 = run(f, dest);
        QVERIFY2(r1.record.status == RunStatus::Succeeded, describe(r1).c_str());
        QCOMPARE(r1.record.counts.added, 50);
        auto rows = g.rows("People");
        QCOMPARE(rows.size(), 51u);
        QCOMPARE(rows[0], (std::vector<json>{"id", "name", "email"}));
        QCOMPARE(rows[1], person(1));
        QCOMPARE(rows[50], person(50));
        auto c1 = g.counters();
        QCOMPARE(c1.valueInputOptions, (std::set<std::string>{"RAW"}));
        QCOMPARE(c1.byMethod["values.append"], 0);      // never append: not safe to repeat
        QCOMPARE(c1.byMethod["values.batchUpdate"], 1); // header and 50 rows in one request
        QCOMPARE(c1.writes, 2);                         // the tab (at its size) and the values
        auto tab = g.with([&](SheetsEmulator &e) { return e.tab(g.spreadsheetId, "People"); });
        QCOMPARE(tab->rowCount, 51);
        QCOMPARE(tab->columnCount, 3);

        // Nothing changed: nothing written (one read checks the tab still holds the rows).
        auto r2 = run(f, dest);
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        QCOMPARE(r2.record.counts.unchanged, 50);
        auto c2 = g.counters();
        QCOMPARE(c2.writes, c1.writes);
        QVERIFY2(c2.requests <= c1.requests + 1, std::to_string(c2.requests - c1.requests).c_str());

        f.sql("UPDATE people SET name = 'Changed ' || id WHERE id IN (3, 30)");
        f.sql("INSERT INTO people VALUES (51, 'New 51', 'p51@example.com', ''), "
              "(52, 'New 52', 'p52@example.com', '')");
        f.sql("DELETE FROM people WHERE id IN (10, 20, 21, 50)");
        auto r3 = run(f, dest);
        QVERIFY2(r3.record.status == RunStatus::Succeeded, describe(r3).c_str());
        QCOMPARE(r3.record.counts.changed, 2);
        QCOMPARE(r3.record.counts.added, 2);
        QCOMPARE(r3.record.counts.removed, 4);
        rows = g.rows("People");
        QCOMPARE(rows.size(), 49u);
        expectPeople(g, f);
        // Rows stay where they were; the changed ones changed in place, new ones at the end.
        QCOMPARE(rows[3], person(3, "Changed 3"));
        QCOMPARE(rows[9], person(9));
        QCOMPARE(rows[10], person(11));
        QCOMPARE(rows[46], person(49));
        QCOMPARE(rows[47], person(51, "New 51"));
        QCOMPARE(rows[48], person(52, "New 52"));
        auto c3 = g.counters();
        // Grid, values, the delete (with its marker) and the marker's removal.
        QVERIFY2(c3.writes - c2.writes <= 4, std::to_string(c3.writes - c2.writes).c_str());
        QCOMPARE(g.tabTitles(), (std::vector<std::string>{"Sheet1", "People"}));
        QCOMPARE(
            g.with([&](SheetsEmulator &e) { return e.tab(g.spreadsheetId, "People")->rowCount; }),
            49);

        auto r4 = run(f, dest);
        QCOMPARE(r4.record.counts.unchanged, 48);
        QCOMPARE(g.counters().writes, c3.writes);

        QVERIFY(!log.empty());
        for (const auto &line : log) {
            for (const auto &token : g.tokensSeen())
                QVERIFY2(line.find(token) == std::string::npos, line.c_str());
        }
    }

    void upsertFindsRowsByKeyAndLeavesOtherColumnsAlone()
    {
        Google g;
        // Someone's tab: the key is in the third column, and a notes column of their own.
        g.with([&](SheetsEmulator &e) {
            e.addTab(g.spreadsheetId, "Team list", 10, 6);
            e.setValues(g.spreadsheetId, "Team list", 0, 0,
                        {{"Email", "notes", "id", "name"},
                         {"old3@example.com", "call back", 3, "Old three"},
                         {"x@example.com", "not ours", "zz", "Someone else"},
                         {"old1@example.com", "vip", 1, "Old one"}});
            return 0;
        });
        GoogleSheetsDestination dest(g.config());
        Fixture f(5);
        usePeople(f, SyncMode::Upsert, "Team list");
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        auto rows = g.rows("Team list");
        QCOMPARE(rows.size(), 7u); // header, 3 rows that were there, ids 2, 4, 5 appended
        QCOMPARE(rows[0], (std::vector<json>{"Email", "notes", "id", "name"}));
        QCOMPARE(rows[1], (std::vector<json>{"p3@example.com", "call back", 3, "Person 3"}));
        QCOMPARE(rows[2], (std::vector<json>{"x@example.com", "not ours", "zz", "Someone else"}));
        QCOMPARE(rows[3], (std::vector<json>{"p1@example.com", "vip", 1, "Person 1"}));
        QCOMPARE(rows[4], (std::vector<json>{"p2@example.com", nullptr, 2, "Person 2"}));
        QCOMPARE(rows[6], (std::vector<json>{"p5@example.com", nullptr, 5, "Person 5"}));
    }

    void newFieldsBecomeNewColumnsAndAnUnmappedKeyGetsOne()
    {
        Google g;
        g.with([&](SheetsEmulator &e) {
            e.addTab(g.spreadsheetId, "Bob's export", 3, 1);
            e.setValues(g.spreadsheetId, "Bob's export", 0, 0, {{"name"}, {"Person 1"}});
            return 0;
        });
        GoogleSheetsDestination dest(g.config());
        Fixture f(3);
        f.sync().object = "Bob's export";
        f.sync().mode = SyncMode::Upsert;
        f.sync().keyField = "person_id"; // not mapped: Sluice adds the column to find rows by
        f.sync().mapping.fields = {FieldMapping{"name", std::nullopt, "name", {}},
                                   FieldMapping{"email", std::nullopt, "email", {}}};
        f.saveSync();
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        auto rows = g.rows("Bob's export");
        QCOMPARE(rows[0], (std::vector<json>{"name", "email", "person_id"}));
        // The row without a key stays; Sluice's rows come after it.
        QCOMPARE(rows[1], (std::vector<json>{"Person 1"}));
        QCOMPARE(rows[2], (std::vector<json>{"Person 1", "p1@example.com", 1}));
        QCOMPARE(rows.size(), 5u);
        f.sql("UPDATE people SET email = 'new@example.com' WHERE id = 2");
        auto again = run(f, dest);
        QCOMPARE(again.record.counts.changed, 1);
        rows = g.rows("Bob's export");
        QCOMPARE(rows.size(), 5u);
        QCOMPARE(rows[3], (std::vector<json>{"Person 2", "new@example.com", 2}));
    }

    void updateModeOnlyChangesRowsThatAreThere()
    {
        Google g;
        g.with([&](SheetsEmulator &e) {
            e.addTab(g.spreadsheetId, "People", 10, 3);
            e.setValues(g.spreadsheetId, "People", 0, 0,
                        {{"id", "name", "email"}, {2, "Old", "old@example.com"}});
            return 0;
        });
        GoogleSheetsDestination dest(g.config());
        Fixture f(3);
        usePeople(f, SyncMode::Update);
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Partial, describe(r).c_str());
        QCOMPARE(r.record.counts.rejected, 2);
        auto rejected = f.ws().rejectedRecords(r.record.id);
        QVERIFY(rejected);
        QCOMPARE(rejected->size(), 2u);
        QVERIFY2((*rejected)[0].reason.find("update mode does not add rows") != std::string::npos,
                 (*rejected)[0].reason.c_str());
        auto rows = g.rows("People");
        QCOMPARE(rows.size(), 2u);
        QCOMPARE(rows[1], person(2));

        Fixture f2(1);
        usePeople(f2, SyncMode::Update, "No such tab");
        auto r2 = run(f2, dest);
        QCOMPARE(r2.record.status, RunStatus::Failed);
        QVERIFY2(r2.record.error.find("no tab named \"No such tab\"") != std::string::npos,
                 r2.record.error.c_str());
    }

    void insertModeAddsRowsOnce()
    {
        Google g;
        GoogleSheetsDestination dest(g.config());
        Fixture f(10);
        usePeople(f, SyncMode::Insert);
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        // The workspace lost its state (a new sync on the same tab): rows with those keys are
        // written in place, not added twice.
        Fixture again(12);
        usePeople(again, SyncMode::Insert);
        auto r2 = run(again, dest);
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        expectPeople(g, again);

        // Without a key field, insert appends after whatever the tab holds.
        Fixture plain(4);
        plain.sync().object = "People";
        plain.sync().mode = SyncMode::Insert;
        plain.sync().keyField.clear();
        plain.sync().mapping.fields = {FieldMapping{"name", std::nullopt, "name", {}}};
        plain.saveSync();
        auto r3 = run(plain, dest);
        QVERIFY2(r3.record.status == RunStatus::Succeeded, describe(r3).c_str());
        auto rows = g.rows("People");
        QCOMPARE(rows.size(), 17u);
        QCOMPARE(rows[13], (std::vector<json>{nullptr, "Person 1"}));
    }

    void valuesAreWrittenRawAndKeepTheirType()
    {
        Google g;
        GoogleSheetsDestination dest(g.config());
        Fixture f(4);
        f.sql("CREATE TABLE odd (id INTEGER PRIMARY KEY, t TEXT, big INTEGER, r REAL, n TEXT)");
        f.sql("INSERT INTO odd VALUES (1, '=SUM(A1:A9)', 9007199254740993, 2.5, NULL), "
              "(2, '007', 42, 1e20, 'x'), (3, 'line\nbreak \"q\"', -5, -0.125, '')");
        f.model().sql = "SELECT id, t, big, r, n FROM odd";
        f.ws().saveModel(f.model()).value();
        f.sync().object = "Odd";
        f.sync().mode = SyncMode::Mirror;
        f.sync().keyField = "id";
        f.sync().mapping.fields = {
            FieldMapping{"id", std::nullopt, "id", {}}, FieldMapping{"t", std::nullopt, "t", {}},
            FieldMapping{"big", std::nullopt, "big", {}}, FieldMapping{"r", std::nullopt, "r", {}},
            FieldMapping{"n", std::nullopt, "n", {}}};
        f.saveSync();
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        auto rows = g.rows("Odd");
        QCOMPARE(rows[1], (std::vector<json>{1, "=SUM(A1:A9)", "9007199254740993", 2.5}));
        QCOMPARE(rows[2], (std::vector<json>{2, "007", 42, 1e20, "x"}));
        QCOMPARE(rows[3], (std::vector<json>{3, "line\nbreak \"q\"", -5, -0.125}));
        // A value that became NULL clears its cell.
        f.sql("UPDATE odd SET n = NULL, t = 'plain' WHERE id = 2");
        auto again = run(f, dest);
        QCOMPARE(again.record.counts.changed, 1);
        QCOMPARE(g.rows("Odd")[2], (std::vector<json>{2, "plain", 42, 1e20}));
    }

    void aCellOverFiftyThousandCharactersStopsTheRunBeforeAnythingIsWritten()
    {
        Google g;
        GoogleSheetsDestination dest(g.config());
        Fixture f(300, SyncMode::Mirror);
        f.sql("UPDATE people SET note = printf('%.*c', 50001, 'x') WHERE id = 237");
        usePeople(f, SyncMode::Mirror);
        f.sync().mapping.fields.push_back(FieldMapping{"note", std::nullopt, "note", {}});
        f.saveSync();
        auto r = run(f, dest);
        QCOMPARE(r.record.status, RunStatus::Failed);
        const std::string &e = r.record.error;
        QVERIFY2(e.find("50,000 characters") != std::string::npos, e.c_str());
        QVERIFY2(e.find("\"note\"") != std::string::npos, e.c_str());
        QVERIFY2(e.find("key \"237\"") != std::string::npos, e.c_str());
        QVERIFY2(e.find("50,001") != std::string::npos, e.c_str());
        // Nothing written: not even the new tab.
        QCOMPARE(g.counters().writes, 0);
        QCOMPARE(g.tabTitles(), (std::vector<std::string>{"Sheet1"}));

        // Exactly 50,000 is fine.
        f.sql("UPDATE people SET note = printf('%.*c', 50000, 'x') WHERE id = 237");
        auto ok = run(f, dest);
        QVERIFY2(ok.record.status == RunStatus::Succeeded, describe(ok).c_str());
        QCOMPARE(g.rows("People")[237][3].get<std::string>().size(), 50'000u);
    }

    void theTenMillionCellLimitStopsTheRunAndNamesTheRow()
    {
        Google g;
        // Sheet1 (1000 × 26) and a big tab leave room for 4,000 cells: 1,333 rows of 3.
        g.with([&](SheetsEmulator &e) {
            e.addTab(g.spreadsheetId, "Archive", 9'970'000, 1);
            return 0;
        });
        GoogleSheetsDestination dest(g.config());
        Fixture f(2000, SyncMode::Mirror);
        usePeople(f, SyncMode::Mirror);
        auto r = run(f, dest);
        QCOMPARE(r.record.status, RunStatus::Failed);
        const std::string &e = r.record.error;
        QVERIFY2(e.find("10,000,000 cells") != std::string::npos, e.c_str());
        QVERIFY2(e.find("key \"1333\"") != std::string::npos, e.c_str());
        QVERIFY2(e.find("\"People\"") != std::string::npos, e.c_str());
        QCOMPARE(g.counters().writes, 0);

        // With fewer rows it fits exactly.
        f.sql("DELETE FROM people WHERE id > 1332");
        auto ok = run(f, dest);
        QVERIFY2(ok.record.status == RunStatus::Succeeded, describe(ok).c_str());
        QCOMPARE(g.with([&](SheetsEmulator &em) { return em.cellCount(g.spreadsheetId); }),
                 9'999'999);
    }

    void deletesAreAppliedOnceEvenWhenTheAnswerIsLost()
    {
        Google g;
        g.with([&](SheetsEmulator &e) {
            e.addTab(g.spreadsheetId, "People", 12, 3);
            std::vector<std::vector<json>> rows = {{"id", "name", "email"}};
            for (int i = 1; i <= 11; ++i)
                rows.push_back(person(i));
            e.setValues(g.spreadsheetId, "People", 0, 0, rows);
            return 0;
        });
        WriteSpec spec;
        spec.object = "People";
        spec.mode = SyncMode::Mirror;
        spec.fields = {"id", "name", "email"};
        spec.keyField = "id";
        auto writer = GoogleSheetsWriter::open(std::make_unique<GoogleSheetsApi>(g.config()), spec);
        QVERIFY2(writer, writer ? "" : writer.error().message.c_str());
        auto del = [](std::vector<std::string> keys) {
            std::vector<Change> out;
            for (auto &k : keys)
                out.push_back(Change{Op::Delete, k, {}, k});
            return out;
        };
        auto ids = [&] {
            std::vector<std::string> out;
            auto rows = g.rows("People");
            for (std::size_t i = 1; i < rows.size(); ++i)
                out.push_back(text(rows[i][0]));
            return out;
        };

        // Done, then the connection dropped: the marker tab shows it was done.
        g.server->queueFault(Fault::ResetAfterHandling);
        auto r1 = (*writer)->write(del({"3", "7", "8"}));
        QVERIFY(r1);
        for (const auto &res : *r1)
            QCOMPARE(res.status, RecordResult::Status::Ok);
        QCOMPARE(ids(), (std::vector<std::string>{"1", "2", "4", "5", "6", "9", "10", "11"}));
        // Not done (the connection dropped first, then Google was unavailable twice).
        g.server->queueFault(Fault::ResetBeforeHandling);
        g.server->queueFault(Fault::Unavailable, 2);
        auto r2 = (*writer)->write(del({"1", "11"}));
        QVERIFY(r2);
        QCOMPARE((*r2)[0].status, RecordResult::Status::Ok);
        QCOMPARE(ids(), (std::vector<std::string>{"2", "4", "5", "6", "9", "10"}));
        // A row someone deleted by hand since the writer opened: the delete fails (the rows
        // moved), Sluice reads the key column again and deletes what is still there.
        g.with([&](SheetsEmulator &e) {
            e.removeRows(g.spreadsheetId, "People", 1, 1); // the row of id 2
            return 0;
        });
        auto r4 = (*writer)->write(del({"10"}));
        QVERIFY(r4);
        QCOMPARE((*r4)[0].status, RecordResult::Status::Ok);
        QCOMPARE(ids(), (std::vector<std::string>{"4", "5", "6", "9"}));
        // Only one marker at a time, and none after commit.
        auto markers = [&] {
            int n = 0;
            for (const auto &t : g.tabTitles())
                n += t.starts_with(GoogleSheetsWriter::kMarkerPrefix);
            return n;
        };
        QCOMPARE(markers(), 1);
        QVERIFY((*writer)->commit());
        QCOMPARE(markers(), 0);
        // The index followed the deletions: an update lands on the right row.
        auto r3 = (*writer)->write(std::vector<Change>{
            Change{Op::Upsert,
                   "9",
                   {integer(9), sluice::test::text("Nine"), sluice::test::text("p9@example.com")},
                   {}}});
        QVERIFY(r3);
        QCOMPARE(g.rows("People")[4], (std::vector<json>{9, "Nine", "p9@example.com"}));
        QCOMPARE(g.rows("People").size(), 5u);
    }

    void tokensAreRenewedWhenGoogleRefusesThem()
    {
        Google g;
        GoogleSheetsDestination dest(g.config());
        Fixture f(20, SyncMode::Mirror);
        usePeople(f, SyncMode::Mirror);
        QVERIFY(run(f, dest).record.status == RunStatus::Succeeded);
        const long grants = g.oauthServer->inspect<OAuthEmulator>(
            [](OAuthEmulator &e) { return e.grants["jwt-bearer"]; });
        QCOMPARE(grants, 1);
        // Every token stops working (as after a password change): a 401, a new token, done.
        g.oauthServer->inspect<OAuthEmulator>([](OAuthEmulator &e) {
            e.revokeAccessTokens();
            return 0;
        });
        f.sql("UPDATE people SET name = 'Renamed' WHERE id = 4");
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(g.rows("People")[4][1], json("Renamed"));
        QCOMPARE(g.oauthServer->inspect<OAuthEmulator>(
                     [](OAuthEmulator &e) { return e.grants["jwt-bearer"]; }),
                 2);
        // A key Google no longer knows stops the run with Google's words.
        g.oauthServer->inspect<OAuthEmulator>([](OAuthEmulator &e) {
            e.revokeAccessTokens();
            e.removeServiceAccount(kEmail);
            return 0;
        });
        f.sql("UPDATE people SET name = 'Again' WHERE id = 4");
        auto refused = run(f, dest);
        QCOMPARE(refused.record.status, RunStatus::Failed);
        QVERIFY2(refused.record.error.find("Google refused") != std::string::npos,
                 refused.record.error.c_str());
    }

    void aDeletedTabIsWrittenAgainInFull()
    {
        Google g;
        GoogleSheetsDestination dest(g.config());
        Fixture f(30, SyncMode::Mirror);
        usePeople(f, SyncMode::Mirror);
        QVERIFY(run(f, dest).record.status == RunStatus::Succeeded);
        g.with([&](SheetsEmulator &e) {
            e.removeTab(g.spreadsheetId, "People"); // someone deleted it
            return 0;
        });
        auto r = run(f, dest);
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        expectPeople(g, f);
    }

    void savedConnectionKeepsSecretsOutOfTheWorkspaceLogAndConfig()
    {
        Google g;
        Fixture f(40, SyncMode::Mirror);
        auto store = std::make_shared<MemorySecretStore>();
        f.ws().setSecretStore(store);
        ConnectionDef conn{0, "Sheets", ConnectionRole::Destination, "google_sheets", g.settings()};
        auto id = f.ws().saveConnection(conn);
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        f.sync().destinationId = *id;
        usePeople(f, SyncMode::Mirror);
        SyncEngine engine(f.ws());
        auto r = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        f.sql("DELETE FROM people WHERE id = 5");
        auto r2 = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        expectPeople(g, f);

        // The secrets: the private key in the user's file, and the tokens Google handed out.
        const std::string keyFile = readFile(g.keyPath);
        const std::string pem = json::parse(keyFile)["private_key"];
        const auto bodyStart = pem.find('\n') + 1;
        std::vector<std::string> secrets = {pem.substr(bodyStart, 64), "PRIVATE KEY"};
        for (const auto &t : g.tokensSeen())
            secrets.push_back(t);
        QVERIFY(secrets.size() >= 3);

        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        std::string haystack;
        for (const auto &e : std::filesystem::recursive_directory_iterator(f.dir())) {
            if (e.is_regular_file())
                haystack += readFile(e.path());
        }
        for (const auto &line : r.log)
            haystack += line + "\n";
        haystack += r.record.error;
        auto runs = f.ws().runs(f.sync().id, 10);
        QVERIFY(runs);
        for (const auto &run : *runs)
            haystack += run.error;
        auto config = exportSyncConfig(f.ws(), f.sync().name);
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        const std::string exported = configToText(*config);
        QVERIFY(exported.find("google_sheets") != std::string::npos);
        haystack += exported;
        for (const auto &s : secrets)
            QVERIFY2(haystack.find(s) == std::string::npos, s.c_str());
    }

    void twentyThousandRowsWithoutFaults()
    {
        Google g;
        GoogleSheetsDestination dest(g.config());
        Fixture f(20'000, SyncMode::Mirror);
        usePeople(f, SyncMode::Mirror);
        const auto start = std::chrono::steady_clock::now();
        auto r = run(f, dest);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(g.rows("People").size(), 20'001u);
        const auto c = g.counters();
        qInfo("20,000 rows to the Sheets emulator without faults: %lld ms, %ld requests (%ld "
              "writes, largest body %zu bytes)",
              static_cast<long long>(ms), c.requests, c.writes, c.maxBodyBytes);
        QVERIFY(c.maxBodyBytes < 2'000'000);

        // The same in batches of 250 rows, as the fault test below sends them.
        Google small;
        GoogleSheetsDestination smallDest(small.config());
        Fixture f2(20'000, SyncMode::Mirror);
        usePeople(f2, SyncMode::Mirror);
        f2.sync().options.batchSize = 250;
        f2.saveSync();
        const auto start2 = std::chrono::steady_clock::now();
        auto r2 = run(f2, smallDest);
        const auto ms2 = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start2)
                             .count();
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        QCOMPARE(small.rows("People").size(), 20'001u);
        qInfo("the same in batches of 250 rows: %lld ms, %ld requests", static_cast<long long>(ms2),
              small.counters().requests);
    }

    void hundredThousandRowsOfTenColumns()
    {
        Google g;
        GoogleSheetsDestination dest(g.config());
        Fixture f(100'000, SyncMode::Mirror);
        f.model().sql = "SELECT id, name, email, note, id * 3 AS a, id / 7.0 AS b, "
                        "'city ' || (id % 97) AS c, id % 2 AS d, 'x' || id AS e, "
                        "'2024-03-' || (10 + id % 18) AS f FROM people";
        f.ws().saveModel(f.model()).value();
        usePeople(f, SyncMode::Mirror, "Big");
        for (const char *c : {"note", "a", "b", "c", "d", "e", "f"})
            f.sync().mapping.fields.push_back(FieldMapping{c, std::nullopt, c, {}});
        f.saveSync();
        const auto start = std::chrono::steady_clock::now();
        auto r = run(f, dest);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        const auto c = g.counters();
        const auto rows = g.rows("Big");
        QCOMPARE(rows.size(), 100'001u);
        QCOMPARE(rows[0].size(), 10u);
        QCOMPARE(rows[100'000][0], json(100'000));
        QVERIFY(c.maxBodyBytes < 2'000'000);
        qInfo("Mirror of 100,000 rows x 10 columns: %lld ms, %ld requests (%ld writes: %ld "
              "values.batchUpdate), largest request %zu bytes",
              static_cast<long long>(ms), c.requests, c.writes, c.byMethod.at("values.batchUpdate"),
              c.maxBodyBytes);

        // One changed row in 100,000 costs a couple of requests, not a rewrite.
        f.sql("UPDATE people SET name = 'Changed' WHERE id = 54321");
        const auto before = g.counters();
        const auto start2 = std::chrono::steady_clock::now();
        auto r2 = run(f, dest);
        const auto ms2 = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start2)
                             .count();
        QCOMPARE(r2.record.counts.changed, 1);
        const auto after = g.counters();
        qInfo("then one changed row: %lld ms, %ld requests (%ld writes)",
              static_cast<long long>(ms2), after.requests - before.requests,
              after.writes - before.writes);
        QCOMPARE(after.writes - before.writes, 1);
        QCOMPARE(g.rows("Big")[54'321][1], json("Changed"));
    }

    void twentyThousandRowsWithOneRequestInFiveFailing()
    {
        Google g;
        FaultMix mix;
        mix.share = 0.2;
        mix.kinds = {Fault::RateLimit,   Fault::RateLimitRetryAfter, Fault::Unavailable,
                     Fault::ServerError, Fault::ResetBeforeHandling, Fault::ResetAfterHandling,
                     Fault::Hang};
        mix.hangMs = 3000;
        mix.seed = 11;
        std::vector<std::string> log;
        GoogleSheetsConfig config = g.config(&log);
        config.timeoutMs = 1000; // hung requests are given up on quickly
        GoogleSheetsDestination dest(config);
        Fixture f(20'000, SyncMode::Mirror);
        usePeople(f, SyncMode::Mirror);
        // Small batches: many requests, so every kind of fault hits some.
        f.sync().options.batchSize = 250;
        f.saveSync();
        g.server->setFaults(mix);

        const auto start = std::chrono::steady_clock::now();
        auto r = run(f, dest);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        QVERIFY2(r.record.status == RunStatus::Succeeded, describe(r).c_str());
        QCOMPARE(r.record.counts.added, 20'000);
        auto rows = g.rows("People");
        QCOMPARE(rows.size(), 20'001u);
        QCOMPARE(byKey(rows).size(), 20'000u); // every row once
        expectPeople(g, f);

        const auto server = g.server->stats();
        std::string byKind;
        for (const auto &[kind, n] : server.faultsByKind)
            byKind += std::string(byKind.empty() ? "" : ", ") + sluice::emu::faultName(kind) + " " +
                      std::to_string(n);
        qInfo("faults by kind: %s", byKind.c_str());
        for (Fault kind : mix.kinds)
            QVERIFY2(server.faultsByKind.count(kind) && server.faultsByKind.at(kind) > 0,
                     sluice::emu::faultName(kind));
        const net::ClientStats http = dest.httpStats();
        QVERIFY(http.retries > 0);
        QVERIFY(http.rateLimitWaits > 0);
        QVERIFY(http.networkErrors > 0);
        // The run record counts the retries the HTTP layer made.
        QVERIFY2(r.record.counts.retries >= http.retries + http.rateLimitWaits,
                 std::to_string(r.record.counts.retries).c_str());
        qInfo("20,000 rows with 20%% of requests failing: %lld ms; server: %ld requests, %ld "
              "faults; client: %ld retries, %ld rate-limit waits, %ld network errors; run "
              "record retries: %lld",
              static_cast<long long>(ms), server.requests, server.faults, http.retries,
              http.rateLimitWaits, http.networkErrors,
              static_cast<long long>(r.record.counts.retries));

        // Changes, additions and deletions under the same faults: the tab ends up equal to the
        // model, each row once (a delete applied twice would take other rows with it).
        // Harder on the deletes: a third of the requests fail, most after Google did them.
        FaultMix harsh = mix;
        harsh.share = 0.33;
        harsh.kinds = {Fault::ResetAfterHandling,
                       Fault::ResetAfterHandling,
                       Fault::ResetBeforeHandling,
                       Fault::Unavailable,
                       Fault::Hang,
                       Fault::RateLimit};
        harsh.seed = 5;
        g.server->setFaults(harsh);
        const long faultsBefore = g.server->stats().faults;
        f.sql("UPDATE people SET name = 'Changed ' || id WHERE id % 61 = 0");
        f.sql("DELETE FROM people WHERE id % 7 = 4");
        f.sql("WITH RECURSIVE n(x) AS (SELECT 20001 UNION ALL SELECT x + 1 FROM n WHERE x < "
              "20300) INSERT INTO people SELECT x, 'New ' || x, 'p' || x || '@example.com', '' "
              "FROM n");
        const auto start2 = std::chrono::steady_clock::now();
        auto r2 = run(f, dest);
        const auto ms2 = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start2)
                             .count();
        QVERIFY2(r2.record.status == RunStatus::Succeeded, describe(r2).c_str());
        QCOMPARE(r2.record.counts.changed, 280);
        QCOMPARE(r2.record.counts.removed, 2857);
        QCOMPARE(r2.record.counts.added, 300);
        expectPeople(g, f);
        const auto after = g.server->stats();
        qInfo("then 2,857 deletes, 300 adds and 280 changes with a third of the requests failing: "
              "%lld ms, %ld requests, %ld faults",
              static_cast<long long>(ms2), after.requests - server.requests,
              after.faults - faultsBefore);
        QVERIFY(after.faultsByKind.at(Fault::ResetAfterHandling) >
                server.faultsByKind.at(Fault::ResetAfterHandling));
        long lostAnswers = 0;
        for (const auto &line : log)
            lostAnswers += line.find("was done although its answer was lost") != std::string::npos;
        qInfo("deletions whose answer was lost, found done by their marker: %ld", lostAnswers);
        QVERIFY(lostAnswers > 0);

        // Nothing left to send.
        g.server->clearFaults();
        const auto before = g.counters();
        auto again = run(f, dest);
        QCOMPARE(again.record.counts.unchanged, 17'443);
        QCOMPARE(g.counters().writes, before.writes);
        for (const auto &line : log) {
            for (const auto &token : g.tokensSeen())
                QVERIFY(line.find(token) == std::string::npos);
        }
    }

private:
    std::unique_ptr<QTemporaryDir> m_secrets;
};

QTEST_GUILESS_MAIN(TestSheetsSync)
#include "testsheetssync.moc"

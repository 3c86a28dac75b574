// Where secrets live: the 0600 file store (permissions from the first byte, atomic rewrites,
// concurrent writers, damaged files without echoing their content), how Secret settings become
// markers and env: references in the workspace and real values for drivers, and, end to end with
// the HubSpot destination and its emulator, that the token reaches HubSpot while the workspace
// file, exported configs and run logs never contain it.
#include "engine/connectiontest.h"
#include "fixture.h"
#include "hubspotemulator.h"
#include "secrets/filesecretstore.h"
#include "secrets/memorysecretstore.h"
#include "secrets/secretsettings.h"
#include "testutil.h"
#include "workspace/configio.h"

#include <QtTest>

#include <sys/stat.h>

#include <thread>

using namespace sluice;
using sluice::emu::EmulatorServer;
using sluice::emu::HubSpotEmulator;

namespace {

const std::string kToken = "pat-na1-5ec2e7aa-1b2c-4d3e-9f80-0123456789ab";

// Every byte of every file in the folder (the workspace, its WAL, CSV output…).
bool folderContains(const std::filesystem::path &dir, const std::string &needle,
                    std::string *where = nullptr)
{
    for (const auto &e : std::filesystem::recursive_directory_iterator(dir)) {
        if (e.is_regular_file() && test::readFile(e.path()).find(needle) != std::string::npos) {
            if (where)
                *where = e.path().string();
            return true;
        }
    }
    return false;
}

// The fixture's sync, pointed at a HubSpot connection.
std::int64_t useHubSpot(test::Fixture &f, const std::string &baseUrl, nlohmann::json token)
{
    ConnectionDef conn{0,
                       "HubSpot",
                       ConnectionRole::Destination,
                       "hubspot",
                       {{"access_token", std::move(token)}, {"base_url", baseUrl}}};
    auto id = f.ws().saveConnection(conn);
    if (!id)
        qFatal("save: %s", id.error().message.c_str());
    f.sync().destinationId = *id;
    f.sync().object = "contacts";
    f.sync().keyField = "customer_id";
    f.sync().mapping.fields = {FieldMapping{"id", std::nullopt, "customer_id", {}},
                               FieldMapping{"name", std::nullopt, "firstname", {}},
                               FieldMapping{"email", std::nullopt, "email", {}}};
    f.saveSync();
    return *id;
}

unsigned modeOf(const std::filesystem::path &path)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0)
        return 0xffff;
    return st.st_mode & 0777;
}

DriverInfo driverWithSecrets()
{
    DriverInfo info;
    info.kind = "test";
    info.label = "Test service";
    info.settings = {
        {"url", "URL", SettingKind::Text, {}, true},
        {"token", "Access token", SettingKind::Secret, {}, true},
        {"extra", "Extra secret", SettingKind::Secret, {}, false},
    };
    return info;
}

} // namespace

class TestSecrets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_counter = 0;
    std::filesystem::path freshPath()
    {
        return m_tmp.path().toStdString() + "/d" + std::to_string(++m_counter) + "/secrets.json";
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        // Never the user's own store.
        qputenv("SLUICE_SECRETS_FILE", (m_tmp.path() + "/default-secrets.json").toUtf8());
        qputenv("no_proxy", "127.0.0.1,localhost");
        qputenv("NO_PROXY", "127.0.0.1,localhost");
    }

    void fileStoreRoundTrip()
    {
        const auto path = freshPath();
        FileSecretStore store(path);
        QVERIFY(!store.get("a").value().has_value()); // no file yet: nothing stored
        QVERIFY(!std::filesystem::exists(path));
        QVERIFY(store.remove("a")); // and removing creates nothing
        QVERIFY(!std::filesystem::exists(path.parent_path()));

        QVERIFY(store.set("a", "first secret"));
        QVERIFY(store.set("b", std::string("with\0nul and \"quotes\"\n", 23)));
        QCOMPARE(store.get("a").value().value(), std::string("first secret"));
        QCOMPARE(store.get("b").value().value(), std::string("with\0nul and \"quotes\"\n", 23));

        // Another object (another process, in effect) reads the same file.
        FileSecretStore again(path);
        QCOMPARE(again.get("a").value().value(), std::string("first secret"));
        QVERIFY(again.set("a", "second"));
        QCOMPARE(store.get("a").value().value(), std::string("second"));
        QVERIFY(store.remove("a"));
        QVERIFY(!again.get("a").value().has_value());
        QVERIFY(again.get("b").value().has_value());

        QVERIFY(!store.set("", "x")); // a secret needs a name
        QVERIFY(store.describe().find(path.string()) != std::string::npos);
    }

    void fileIsPrivateFromTheStart()
    {
        const auto path = freshPath();
        // Even with a umask that would make new files world-readable.
        const mode_t old = ::umask(0);
        FileSecretStore store(path);
        auto r = store.set("k", "v");
        ::umask(old);
        QVERIFY(r);
        QCOMPARE(modeOf(path), 0600u);
        QCOMPARE(modeOf(path.parent_path()), 0700u); // the folder it created
        QCOMPARE(modeOf(path.string() + ".lock"), 0600u);
        // No temp files left behind by the atomic rewrite.
        int entries = 0;
        for (const auto &e : std::filesystem::directory_iterator(path.parent_path())) {
            ++entries;
            QVERIFY2(e.path().filename().string().find(".tmp") == std::string::npos,
                     e.path().c_str());
        }
        QCOMPARE(entries, 2); // secrets.json and its lock file
    }

    void readableByOthersIsTightened()
    {
        const auto path = freshPath();
        FileSecretStore store(path);
        QVERIFY(store.set("k", "v"));
        QVERIFY(::chmod(path.c_str(), 0644) == 0);
        QCOMPARE(store.get("k").value().value(), std::string("v"));
        QCOMPARE(modeOf(path), 0600u);
    }

    void damagedFileIsReportedWithoutItsContent()
    {
        const auto path = freshPath();
        std::filesystem::create_directories(path.parent_path());
        const std::string secret = "sk-live-TOPSECRET-1234567890";
        for (const std::string &content : std::vector<std::string>{
                 "{\"secrets\": {\"a\": \"" + secret + "\", ", // cut short
                 "{\"secrets\": {\"a\": " + secret + "}}",     // not JSON: the parser quotes it
                 "[\"" + secret + "\"]", "{\"secrets\": {\"a\": 5}}"}) {
            test::writeFile(path, content);
            ::chmod(path.c_str(), 0600);
            FileSecretStore store(path);
            auto r = store.get("a");
            QVERIFY(!r);
            QVERIFY2(r.error().message.find("damaged") != std::string::npos,
                     r.error().message.c_str());
            QVERIFY(r.error().message.find("TOPSECRET") == std::string::npos);
            QVERIFY(r.error().detail.find("TOPSECRET") == std::string::npos);
            // A write refuses too instead of replacing what it could not read.
            QVERIFY(!store.set("b", "x"));
            QCOMPARE(test::readFile(path), content);
        }
        test::writeFile(path, ""); // empty: as if nothing were stored
        QVERIFY(!FileSecretStore(path).get("a").value().has_value());
    }

    void newerFormatIsRefused()
    {
        const auto path = freshPath();
        std::filesystem::create_directories(path.parent_path());
        test::writeFile(path, R"({"sluice_secrets": 99, "secrets": {}})");
        ::chmod(path.c_str(), 0600);
        auto r = FileSecretStore(path).get("a");
        QVERIFY(!r);
        QVERIFY(r.error().message.find("newer Sluice") != std::string::npos);
    }

    void concurrentWritersLoseNothing()
    {
        // Two store objects on one file stand for the GUI and a scheduled CLI run: the lock
        // makes each read-change-write atomic, so every key survives.
        const auto path = freshPath();
        FileSecretStore a(path);
        FileSecretStore b(path);
        std::atomic<int> failures{0};
        auto writer = [&](FileSecretStore &store, const char *prefix) {
            for (int i = 0; i < 40; ++i) {
                if (!store.set(prefix + std::to_string(i), "value" + std::to_string(i)))
                    ++failures;
            }
        };
        std::thread t1(writer, std::ref(a), "a");
        std::thread t2(writer, std::ref(b), "b");
        t1.join();
        t2.join();
        QCOMPARE(failures.load(), 0);
        FileSecretStore check(path);
        for (int i = 0; i < 40; ++i) {
            QCOMPARE(check.get("a" + std::to_string(i)).value().value_or("missing"),
                     "value" + std::to_string(i));
            QCOMPARE(check.get("b" + std::to_string(i)).value().value_or("missing"),
                     "value" + std::to_string(i));
        }
    }

    void defaultStoreFollowsTheEnvironment()
    {
        const auto path = freshPath();
        qputenv("SLUICE_SECRETS_FILE", QByteArray::fromStdString(path.string()));
        QCOMPARE(FileSecretStore::defaultPath(), path);
        auto store = defaultSecretStore();
        QCOMPARE(store.get(), defaultSecretStore().get()); // one object per path
        QVERIFY(store->set("k", "v"));
        QVERIFY(std::filesystem::exists(path));
        qunsetenv("SLUICE_SECRETS_FILE");
        QVERIFY(FileSecretStore::defaultPath() != path);
        QVERIFY(FileSecretStore::defaultPath().filename() == "secrets.json");
    }

    // ---- secret settings ------------------------------------------------------------------

    void typedSecretMovesIntoTheStore()
    {
        const DriverInfo info = driverWithSecrets();
        MemorySecretStore store;
        auto u = storeSecretSettings(info, {{"url", "https://x"}, {"token", "tok-123"}},
                                     nlohmann::json::object(), store);
        QVERIFY(u);
        QCOMPARE(u->settings["url"], "https://x");
        const auto key = secretMarkerKey(u->settings["token"]);
        QVERIFY(key);
        QVERIFY(key->starts_with("connection:"));
        QVERIFY(key->ends_with(":token"));
        QCOMPARE(u->written, std::vector<std::string>{*key});
        QVERIFY(u->dropped.empty());
        QCOMPARE(store.get(*key).value().value(), std::string("tok-123"));
        QVERIFY(u->settings.dump().find("tok-123") == std::string::npos);
        QVERIFY(!u->settings.contains("extra"));

        // Resolved for a driver: the real value again.
        auto resolved = resolveSecretSettings(info, u->settings, store);
        QVERIFY(resolved);
        QCOMPARE((*resolved)["token"], "tok-123");
        QCOMPARE((*resolved)["url"], "https://x");
    }

    void editingKeepsReplacesOrRemoves()
    {
        const DriverInfo info = driverWithSecrets();
        MemorySecretStore store;
        auto first =
            storeSecretSettings(info, {{"url", "u"}, {"token", "one"}, {"extra", "e"}}, {}, store)
                .value();
        const nlohmann::json saved = first.settings;
        const std::string tokenKey = *secretMarkerKey(saved["token"]);
        const std::string extraKey = *secretMarkerKey(saved["extra"]);

        // Absent, empty, or the connection's own marker: keep (an empty field on edit).
        for (const nlohmann::json &incoming :
             {nlohmann::json{{"url", "u2"}}, nlohmann::json{{"url", "u2"}, {"token", ""}},
              nlohmann::json{{"url", "u2"}, {"token", saved["token"]}},
              nlohmann::json{{"url", "u2"}, {"token", {{"$secret", true}}}}}) {
            auto u = storeSecretSettings(info, incoming, saved, store);
            QVERIFY(u);
            QCOMPARE(u->settings["token"], saved["token"]);
            QCOMPARE(u->settings["url"], "u2");
            QVERIFY(u->written.empty());
            QVERIFY(u->dropped.empty());
        }

        // The same secret typed again: nothing written, same key.
        auto same = storeSecretSettings(info, {{"url", "u"}, {"token", "one"}}, saved, store);
        QVERIFY(same);
        QCOMPARE(same->settings["token"], saved["token"]);
        QVERIFY(same->written.empty());

        // A new one: a new key; the old one is dropped once the caller saved.
        auto changed = storeSecretSettings(info, {{"url", "u"}, {"token", "two"}}, saved, store);
        QVERIFY(changed);
        const std::string newKey = *secretMarkerKey(changed->settings["token"]);
        QVERIFY(newKey != tokenKey);
        QCOMPARE(changed->dropped, std::vector<std::string>{tokenKey});
        QCOMPARE(store.get(newKey).value().value(), std::string("two"));
        QCOMPARE(store.get(tokenKey).value().value(), std::string("one")); // until saved

        // null removes; env:NAME replaces with a reference.
        auto removed = storeSecretSettings(info, {{"url", "u"}, {"extra", nullptr}}, saved, store);
        QVERIFY(removed);
        QVERIFY(!removed->settings.contains("extra"));
        QCOMPARE(removed->dropped, std::vector<std::string>{extraKey});
        auto env =
            storeSecretSettings(info, {{"url", "u"}, {"token", "env:MY_TOKEN"}}, saved, store);
        QVERIFY(env);
        QCOMPARE(env->settings["token"], "env:MY_TOKEN");
        QCOMPARE(env->dropped, std::vector<std::string>{tokenKey});
        QVERIFY(env->written.empty());
    }

    void aMarkerCannotBorrowAnotherConnectionsSecret()
    {
        // An imported file naming a store key must not get at a secret it was never given.
        const DriverInfo info = driverWithSecrets();
        MemorySecretStore store;
        QVERIFY(store.set("connection:other:token", "someone else's"));
        auto u = storeSecretSettings(
            info, {{"url", "u"}, {"token", {{"$secret", "connection:other:token"}}}}, {}, store);
        QVERIFY(u);
        QCOMPARE(u->settings["token"], (nlohmann::json{{"$secret", true}}));
        auto resolved = resolveSecretSettings(info, u->settings, store);
        QVERIFY(!resolved);
        QVERIFY(resolved.error().message.find("has not been entered") != std::string::npos);
    }

    void badSecretValues()
    {
        const DriverInfo info = driverWithSecrets();
        MemorySecretStore store;
        auto number = storeSecretSettings(info, {{"url", "u"}, {"token", 5}}, {}, store);
        QVERIFY(!number);
        QVERIFY(number.error().message.find("must be text") != std::string::npos);
        auto env = storeSecretSettings(info, {{"url", "u"}, {"token", "env:BAD NAME"}}, {}, store);
        QVERIFY(!env);
        QVERIFY(env.error().message.find("not a valid environment variable") != std::string::npos);
        auto notSecret =
            storeSecretSettings(info, {{"url", {{"$secret", true}}}, {"token", "x"}}, {}, store);
        QVERIFY(!notSecret);
        QVERIFY(notSecret.error().message.find("\"URL\" is not a secret") != std::string::npos);
        // A failed save leaves nothing behind in the store.
        QVERIFY(store.all().empty());
    }

    void changingKindDropsOldSecrets()
    {
        const DriverInfo info = driverWithSecrets();
        MemorySecretStore store;
        const nlohmann::json old = {{"password", {{"$secret", "connection:x:password"}}},
                                    {"url", "u"}};
        auto u = storeSecretSettings(info, {{"url", "u"}, {"token", "t"}}, old, store);
        QVERIFY(u);
        QCOMPARE(u->dropped, std::vector<std::string>{"connection:x:password"});
    }

    void resolvingExplainsWhatIsMissing()
    {
        const DriverInfo info = driverWithSecrets();
        MemorySecretStore store;
        qputenv("SLUICE_TEST_TOKEN", "from-env");
        auto env =
            resolveSecretSettings(info, {{"url", "u"}, {"token", "env:SLUICE_TEST_TOKEN"}}, store);
        QVERIFY(env);
        QCOMPARE((*env)["token"], "from-env");

        qunsetenv("SLUICE_TEST_TOKEN");
        auto unset =
            resolveSecretSettings(info, {{"url", "u"}, {"token", "env:SLUICE_TEST_TOKEN"}}, store);
        QVERIFY(!unset);
        QVERIFY2(unset.error().message.find("environment variable SLUICE_TEST_TOKEN, which is "
                                            "not set") != std::string::npos,
                 unset.error().message.c_str());
        qputenv("SLUICE_TEST_TOKEN", "");
        auto empty =
            resolveSecretSettings(info, {{"url", "u"}, {"token", "env:SLUICE_TEST_TOKEN"}}, store);
        QVERIFY(!empty);
        QVERIFY(empty.error().message.find("which is empty") != std::string::npos);
        qunsetenv("SLUICE_TEST_TOKEN");

        auto gone = resolveSecretSettings(
            info, {{"url", "u"}, {"token", {{"$secret", "connection:gone:token"}}}}, store);
        QVERIFY(!gone);
        QVERIFY2(gone.error().message.find("\"Access token\" is missing from the in-memory") !=
                     std::string::npos,
                 gone.error().message.c_str());

        // An optional secret never entered is simply left out; a required one is an error.
        auto optional = resolveSecretSettings(
            info, {{"url", "u"}, {"token", "t"}, {"extra", {{"$secret", true}}}}, store);
        QVERIFY(optional);
        QVERIFY(!optional->contains("extra"));
        auto required =
            resolveSecretSettings(info, {{"url", "u"}, {"token", {{"$secret", true}}}}, store);
        QVERIFY(!required);
        QVERIFY(required.error().message.find("\"Access token\" has not been entered") !=
                std::string::npos);
        // A typed value (a form's Test button before saving) is used as it is.
        auto typed = resolveSecretSettings(info, {{"url", "u"}, {"token", "typed"}}, store);
        QCOMPARE((*typed)["token"], "typed");
    }

    void storeFailuresAreReported()
    {
        // A store that cannot be read: a file in place of the secrets file's folder.
        const auto dir = freshPath().parent_path();
        std::filesystem::create_directories(dir.parent_path());
        test::writeFile(dir, "not a folder");
        FileSecretStore broken(dir / "secrets.json");
        const DriverInfo info = driverWithSecrets();
        auto saved = storeSecretSettings(info, {{"url", "u"}, {"token", "t0ken"}}, {}, broken);
        QVERIFY(!saved);
        QVERIFY2(saved.error().message.find("\"Access token\" cannot be saved") !=
                     std::string::npos,
                 saved.error().message.c_str());
        QVERIFY(saved.error().message.find("t0ken") == std::string::npos);
    }

    void exportAndValidationViews()
    {
        const DriverInfo info = driverWithSecrets();
        const nlohmann::json settings = {{"url", "u"},
                                         {"token", {{"$secret", "connection:abc:token"}}},
                                         {"extra", "typed-but-unsaved"}};
        const nlohmann::json exported = settingsForExport(&info, settings);
        QCOMPARE(exported, (nlohmann::json{{"url", "u"},
                                           {"token", {{"$secret", true}}},
                                           {"extra", {{"$secret", true}}}}));
        QCOMPARE(settingsForExport(&info, {{"token", "env:TOKEN"}}),
                 (nlohmann::json{{"token", "env:TOKEN"}}));
        QCOMPARE(settingsForExport(nullptr, settings)["token"],
                 (nlohmann::json{{"$secret", true}}));
        QVERIFY(validateSettings(info, settingsForValidation(exported)).empty());
        QVERIFY(!validateSettings(info, exported).empty());
        QCOMPARE(secretStoreKeys(settings), std::vector<std::string>{"connection:abc:token"});
    }

    // ---- the workspace, end to end ------------------------------------------------------

    void workspaceMovesSecretsIntoTheStore()
    {
        EmulatorServer server(std::make_unique<HubSpotEmulator>(kToken));
        test::Fixture f(30);
        const auto storePath = freshPath();
        auto store = std::make_shared<FileSecretStore>(storePath);
        f.ws().setSecretStore(store);
        const std::int64_t id = useHubSpot(f, server.baseUrl(), kToken);

        // The workspace holds a marker; the store holds the token.
        auto conn = f.ws().connection(id).value();
        const auto key = secretMarkerKey(conn.settings["access_token"]);
        QVERIFY(key);
        QCOMPARE(store->get(*key).value().value(), kToken);
        QVERIFY(test::readFile(storePath).find(kToken) != std::string::npos); // the check works

        // The driver gets the real token: HubSpot (the emulator) accepts it.
        auto tested = testConnection(conn, f.ws().driverContext());
        QVERIFY2(tested, tested ? "" : tested.error().message.c_str());
        QVERIFY(tested->starts_with("Connected:"));
        SyncEngine engine(f.ws());
        RunResult run = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(run.record.status == RunStatus::Succeeded, run.record.error.c_str());
        QCOMPARE(server.inspect<HubSpotEmulator>(
                     [](HubSpotEmulator &e) { return e.recordCount("contacts"); }),
                 std::size_t(30));

        // Editing without retyping it keeps it; the form sends no access_token at all.
        ConnectionDef edited = conn;
        edited.settings.erase("access_token");
        edited.name = "HubSpot (sales)";
        QVERIFY(f.ws().saveConnection(edited));
        QCOMPARE(f.ws().connection(id)->settings["access_token"], conn.settings["access_token"]);
        f.sql("UPDATE people SET name = 'Changed' WHERE id = 1");
        run = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(run.record.status == RunStatus::Succeeded, run.record.error.c_str());
        QCOMPARE(run.record.counts.changed, std::int64_t{1});

        // Nothing in the workspace folder, the run's log or its record holds the token.
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        std::string where;
        QVERIFY2(!folderContains(f.dir(), kToken, &where), where.c_str());
        for (const auto &line : run.log)
            QVERIFY2(line.find(kToken) == std::string::npos, line.c_str());

        // A new token replaces the old one in the store.
        edited.settings["access_token"] = "pat-na1-new-token-000";
        QVERIFY(f.ws().saveConnection(edited));
        const auto newKey = secretMarkerKey(f.ws().connection(id)->settings["access_token"]);
        QVERIFY(newKey && *newKey != *key);
        QVERIFY(!store->get(*key).value().has_value());
        QCOMPARE(store->get(*newKey).value().value(), std::string("pat-na1-new-token-000"));

        // Deleting the connection deletes its secret.
        QVERIFY(f.ws().removeSync(f.sync().id));
        QVERIFY(f.ws().removeConnection(id));
        QVERIFY(!store->get(*newKey).value().has_value());
        QVERIFY(test::readFile(storePath).find("pat-na1-new-token-000") == std::string::npos);
    }

    void failedSaveLeavesNoSecretBehind()
    {
        test::Fixture f(1);
        auto store = std::make_shared<MemorySecretStore>();
        f.ws().setSecretStore(store);
        // The name is taken (by the fixture's CSV destination): the save fails after the
        // secret was written, which must be undone.
        ConnectionDef clash{
            0, "Out", ConnectionRole::Destination, "hubspot", {{"access_token", kToken}}};
        QVERIFY(!f.ws().saveConnection(clash));
        // An invalid setting fails too.
        ConnectionDef invalid{0,
                              "X",
                              ConnectionRole::Destination,
                              "hubspot",
                              {{"access_token", kToken}, {"requests_in_flight", "many"}}};
        QVERIFY(!f.ws().saveConnection(invalid));
        QVERIFY(store->all().empty());
        // A required secret that is missing altogether is refused with the setting's name.
        ConnectionDef none{0, "Y", ConnectionRole::Destination, "hubspot",
                           nlohmann::json::object()};
        auto r = f.ws().saveConnection(none);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("Access token") != std::string::npos,
                 (r.error().message + "|" + r.error().detail).c_str());
    }

    void exportedConfigsHoldNoSecret()
    {
        EmulatorServer server(std::make_unique<HubSpotEmulator>(kToken));
        test::Fixture f(3);
        auto store = std::make_shared<MemorySecretStore>();
        f.ws().setSecretStore(store);
        useHubSpot(f, server.baseUrl(), kToken);

        const std::string text = configToText(exportSyncConfig(f.ws(), "People").value());
        QVERIFY(text.find(kToken) == std::string::npos);
        QVERIFY(text.find("connection:") == std::string::npos); // nor the store key
        const auto config = nlohmann::json::parse(text);
        QCOMPARE(config["connections"][1]["settings"]["access_token"],
                 (nlohmann::json{{"$secret", true}}));

        // Re-importing into the same workspace keeps the stored token.
        QVERIFY(importConfigText(f.ws(), text));
        auto conn = f.ws().connectionByName("HubSpot").value();
        QVERIFY(testConnection(conn, f.ws().driverContext()));
        QCOMPARE(configToText(exportSyncConfig(f.ws(), "People").value()), text);

        // Elsewhere the secret is still to be entered, and the message says so.
        QTemporaryDir other;
        auto ws2 = Workspace::open(other.path().toStdString() + "/ws.sluice").value();
        ws2.setSecretStore(std::make_shared<MemorySecretStore>());
        test::writeFile(other.path().toStdString() + "/source.db", "");
        QVERIFY(importConfigText(ws2, text));
        auto imported = ws2.connectionByName("HubSpot").value();
        QCOMPARE(imported.settings["access_token"], (nlohmann::json{{"$secret", true}}));
        auto missing = testConnection(imported, ws2.driverContext());
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.find("\"Access token\" has not been entered") !=
                     std::string::npos,
                 missing.error().message.c_str());
        // export → import → export: the same text byte for byte.
        QCOMPARE(configToText(exportSyncConfig(ws2, "People").value()), text);
        // Entering it later makes it work.
        imported.settings["access_token"] = kToken;
        QVERIFY(ws2.saveConnection(imported));
        QVERIFY(testConnection(ws2.connectionByName("HubSpot").value(), ws2.driverContext()));
    }

    void environmentReference()
    {
        EmulatorServer server(std::make_unique<HubSpotEmulator>(kToken));
        test::Fixture f(5);
        auto store = std::make_shared<MemorySecretStore>();
        f.ws().setSecretStore(store);
        qputenv("SLUICE_TEST_HUBSPOT_TOKEN", QByteArray::fromStdString(kToken));
        const std::int64_t id = useHubSpot(f, server.baseUrl(), "env:SLUICE_TEST_HUBSPOT_TOKEN");
        QCOMPARE(f.ws().connection(id)->settings["access_token"], "env:SLUICE_TEST_HUBSPOT_TOKEN");
        QVERIFY(store->all().empty()); // a reference, not a secret: nothing stored
        SyncEngine engine(f.ws());
        RunResult run = engine.run(f.sync().id, RunOptions{});
        QVERIFY2(run.record.status == RunStatus::Succeeded, run.record.error.c_str());
        const std::string text = configToText(exportSyncConfig(f.ws(), "People").value());
        QVERIFY(text.find("env:SLUICE_TEST_HUBSPOT_TOKEN") != std::string::npos);

        qunsetenv("SLUICE_TEST_HUBSPOT_TOKEN");
        f.sql("UPDATE people SET name = 'Changed' WHERE id = 1");
        run = engine.run(f.sync().id, RunOptions{});
        QCOMPARE(run.record.status, RunStatus::Failed);
        QVERIFY2(run.record.error.find("environment variable SLUICE_TEST_HUBSPOT_TOKEN, which is "
                                       "not set") != std::string::npos,
                 run.record.error.c_str());
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        QVERIFY(!folderContains(f.dir(), kToken));
    }

    void refusedTokenIsNotEchoed()
    {
        // HubSpot refuses a wrong token: the run fails, and neither its record, its log nor the
        // workspace holds the wrong token.
        EmulatorServer server(std::make_unique<HubSpotEmulator>(kToken));
        test::Fixture f(5);
        f.ws().setSecretStore(std::make_shared<MemorySecretStore>());
        const std::string wrong = "pat-na1-wrong-0000-1111-2222";
        useHubSpot(f, server.baseUrl(), wrong);
        SyncEngine engine(f.ws());
        RunResult run = engine.run(f.sync().id, RunOptions{});
        QCOMPARE(run.record.status, RunStatus::Failed);
        QVERIFY(!run.record.error.empty());
        QVERIFY2(run.record.error.find(wrong) == std::string::npos, run.record.error.c_str());
        for (const auto &line : run.log)
            QVERIFY2(line.find(wrong) == std::string::npos, line.c_str());
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        QVERIFY(!folderContains(f.dir(), wrong));
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "testsecrets.moc"

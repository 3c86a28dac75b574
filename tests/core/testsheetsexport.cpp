// One-off export of a model to Google Sheets, through the core function and through
// `sluice-cli export`: into a new spreadsheet, a new tab, or an existing tab whose values are
// replaced, against the Sheets emulator with tokens from the OAuth emulator.
#include "destinations/googlesheetsdestination.h"
#include "destinations/googlesheetsexport.h"
#include "oauthemulator.h"
#include "secrets/memorysecretstore.h"
#include "sheetsemulator.h"
#include "sources/sqlitesource.h"
#include "testutil.h"
#include "util/sqlite.h"
#include "workspace/workspace.h"

#include <QProcess>
#include <QtTest>

using namespace sluice;
using namespace sluice::test;
using sluice::emu::EmulatorServer;
using sluice::emu::OAuthEmulator;
using sluice::emu::SheetsEmulator;
using json = nlohmann::json;

namespace {

const char *const kEmail = OAuthEmulator::kServiceAccount;

struct Google
{
    std::unique_ptr<EmulatorServer> oauthServer;
    std::unique_ptr<EmulatorServer> server;
    QTemporaryDir dir;
    std::filesystem::path keyPath;
    std::string spreadsheetId;

    Google()
    {
        oauthServer = std::make_unique<EmulatorServer>(std::make_unique<OAuthEmulator>());
        auto sheets = std::make_unique<SheetsEmulator>();
        EmulatorServer *tokens = oauthServer.get();
        sheets->setTokenValidator([tokens](const std::string &token) {
            return tokens->inspect<OAuthEmulator>(
                       [&](OAuthEmulator &e) { return e.isValidAccessToken(token); })
                       ? std::string(kEmail)
                       : std::string();
        });
        server = std::make_unique<EmulatorServer>(std::move(sheets));
        spreadsheetId = server->inspect<SheetsEmulator>(
            [](SheetsEmulator &e) { return e.addSpreadsheet("Reports", kEmail); });
        keyPath = std::filesystem::path(dir.path().toStdString()) / "key.json";
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
                {"requests_per_minute", 100'000}};
    }
    GoogleSheetsConfig config() const
    {
        return googleSheetsConfig(settings(), DriverContext{dir.path().toStdString(),
                                                            std::make_shared<MemorySecretStore>()})
            .value();
    }
    std::vector<std::vector<json>> rows(const std::string &id, const std::string &tab)
    {
        return with([&](SheetsEmulator &e) { return e.values(id, tab); });
    }
};

// A SQLite database of `n` people.
std::filesystem::path people(const QTemporaryDir &dir, int n)
{
    const auto path = std::filesystem::path(dir.path().toStdString()) / "people.db";
    auto db = SqliteDb::open(path, SqliteDb::Mode::ReadWriteCreate).value();
    (void)db.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, score REAL)");
    (void)db.exec("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
                  std::to_string(n) +
                  ") INSERT INTO people SELECT x, 'Person ' || x, x / 2.0 FROM n");
    return path;
}

std::unique_ptr<RowStream> query(const std::filesystem::path &db, const std::string &sql)
{
    SqliteSource source(db);
    auto stream = source.open(SourceQuery{sql, {}, std::nullopt});
    if (!stream)
        qFatal("query: %s", stream.error().message.c_str());
    return std::move(*stream);
}

} // namespace

class TestSheetsExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("no_proxy", "127.0.0.1,localhost");
        qputenv("NO_PROXY", "127.0.0.1,localhost");
        qunsetenv("http_proxy");
        qunsetenv("HTTP_PROXY");
        m_home = std::make_unique<QTemporaryDir>();
        qputenv("SLUICE_SECRETS_FILE", (m_home->path() + "/secrets.json").toUtf8());
    }

    void toANewSpreadsheet()
    {
        Google g;
        QTemporaryDir data;
        const auto db = people(data, 12'000);
        auto rows = query(db, "SELECT id, name, score FROM people ORDER BY id");
        std::vector<std::int64_t> progress;
        SheetsExportOptions options;
        options.title = "People, March";
        options.tab = "People";
        auto r = exportToGoogleSheets(*rows, g.config(), options, nullptr,
                                      [&](std::int64_t n) { progress.push_back(n); });
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r->rows, 12'000);
        QVERIFY(r->newSpreadsheet);
        QVERIFY(r->newTab);
        QCOMPARE(r->tab, std::string("People"));
        QVERIFY(r->spreadsheetId != g.spreadsheetId);
        QCOMPARE(r->url, "https://docs.google.com/spreadsheets/d/" + r->spreadsheetId + "/edit");
        QCOMPARE(progress, (std::vector<std::int64_t>{5000, 10'000, 12'000}));
        QCOMPARE(g.with([&](SheetsEmulator &e) { return e.title(r->spreadsheetId); }),
                 std::string("People, March"));
        auto values = g.rows(r->spreadsheetId, "People");
        QCOMPARE(values.size(), 12'001u);
        QCOMPARE(values[0], (std::vector<json>{"id", "name", "score"}));
        QCOMPARE(values[1], (std::vector<json>{1, "Person 1", 0.5}));
        QCOMPARE(values[12'000], (std::vector<json>{12'000, "Person 12000", 6000}));
        const auto tab =
            g.with([&](SheetsEmulator &e) { return e.tab(r->spreadsheetId, "People"); });
        QCOMPARE(tab->rowCount, 12'001); // the grid is the data's size, nothing more
        QCOMPARE(tab->columnCount, 3);
        const auto c = g.with([](SheetsEmulator &e) { return e.counters(); });
        QCOMPARE(c.valueInputOptions, (std::set<std::string>{"RAW"}));
        QCOMPARE(c.byMethod.at("create"), 1);
    }

    void toANewTabAndOverAnExistingOne()
    {
        Google g;
        QTemporaryDir data;
        const auto db = people(data, 30);
        SheetsExportOptions options;
        options.spreadsheetId =
            "https://docs.google.com/spreadsheets/d/" + g.spreadsheetId + "/edit#gid=0";
        options.tab = "Top people";
        auto rows = query(db, "SELECT name, id AS rank FROM people WHERE id <= 5");
        auto r = exportToGoogleSheets(*rows, g.config(), options);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY(!r->newSpreadsheet);
        QVERIFY(r->newTab);
        QCOMPARE(r->spreadsheetId, g.spreadsheetId);
        auto values = g.rows(g.spreadsheetId, "Top people");
        QCOMPARE(values.size(), 6u);
        QCOMPARE(values[5], (std::vector<json>{"Person 5", 5}));

        // Again into the same tab, with fewer rows and columns: the old values are gone.
        g.with([&](SheetsEmulator &e) {
            e.setValues(g.spreadsheetId, "Top people", 0, 3, {{"a note of someone's"}});
            return 0;
        });
        auto fewer = query(db, "SELECT name FROM people WHERE id IN (7, 8)");
        auto again = exportToGoogleSheets(*fewer, g.config(), options);
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QVERIFY(!again->newTab);
        QCOMPARE(again->rows, 2);
        values = g.rows(g.spreadsheetId, "Top people");
        QCOMPARE(values, (std::vector<std::vector<json>>{{"name"}, {"Person 7"}, {"Person 8"}}));
        QCOMPARE(g.with([&](SheetsEmulator &e) { return e.tabs(g.spreadsheetId).size(); }), 2u);
    }

    void anEmptyModelGetsItsHeaderAndDuplicateNamesAreTold()
    {
        Google g;
        QTemporaryDir data;
        const auto db = people(data, 3);
        SheetsExportOptions options;
        options.spreadsheetId = g.spreadsheetId;
        options.tab = "Nobody";
        auto rows = query(db, "SELECT id, name, name FROM people WHERE id > 99");
        auto r = exportToGoogleSheets(*rows, g.config(), options);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r->rows, 0);
        QCOMPARE(g.rows(g.spreadsheetId, "Nobody"),
                 (std::vector<std::vector<json>>{{"id", "name", "name (2)"}}));
    }

    void limitsAreCheckedBeforeRowsAreSent()
    {
        Google g;
        QTemporaryDir data;
        const auto db = people(data, 20);
        SheetsExportOptions options;
        options.spreadsheetId = g.spreadsheetId;
        options.tab = "Long";
        auto rows = query(db, "SELECT id, CASE WHEN id = 14 THEN printf('%.*c', 60000, 'y') "
                              "ELSE name END AS bio FROM people");
        auto r = exportToGoogleSheets(*rows, g.config(), options);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("50,000 characters") != std::string::npos &&
                     r.error().message.find("\"bio\"") != std::string::npos &&
                     r.error().message.find("row 14 of the model") != std::string::npos,
                 r.error().message.c_str());
        QCOMPARE(
            g.with([](SheetsEmulator &e) { return e.counters().byMethod["values.batchUpdate"]; }),
            0);

        // A cancelled export stops without writing rows.
        CancelToken cancel;
        cancel.cancel();
        auto short_ = query(db, "SELECT id FROM people");
        options.tab = "Cancelled";
        auto stopped = exportToGoogleSheets(*short_, g.config(), options, &cancel);
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().kind, ErrorKind::Cancelled);
    }

    void fromTheCommandLine()
    {
        const QString cli = qEnvironmentVariable("SLUICE_CLI");
        if (cli.isEmpty())
            QSKIP("SLUICE_CLI is not set: run this test through CTest.");
        Google g;
        QTemporaryDir data;
        const auto db = people(data, 250);
        const auto wsPath = std::filesystem::path(data.path().toStdString()) / "ws.sluice";
        {
            auto ws = Workspace::open(wsPath).value();
            ConnectionDef src{
                0, "Warehouse", ConnectionRole::Source, "sqlite", {{"path", db.string()}}};
            src.id = ws.saveConnection(src).value();
            ConnectionDef sheets{0, "Sheets", ConnectionRole::Destination, "google_sheets",
                                 g.settings()};
            ws.saveConnection(sheets).value();
            ConnectionDef csv{0, "Files", ConnectionRole::Destination, "csv", {{"folder", "out"}}};
            ws.saveConnection(csv).value();
            ModelDef model;
            model.name = "people";
            model.connectionId = src.id;
            model.sql = "SELECT id, name FROM people";
            model.primaryKey = "id";
            ws.saveModel(model).value();
        }
        auto run = [&](QStringList args) {
            args.prepend(QString::fromStdString(wsPath.string()));
            args.prepend("--workspace");
            QProcess p;
            p.start(cli, args);
            p.waitForFinished(120'000);
            return std::tuple{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                              QString::fromUtf8(p.readAllStandardError())};
        };

        // A new spreadsheet, named after the model.
        auto [code, out, err] = run({"export", "people", "--to", "Sheets"});
        QVERIFY2(code == 0, qPrintable(out + err));
        QVERIFY2(out.contains("Exported 250 rows of \"people\" to a new spreadsheet, tab "
                              "\"people\""),
                 qPrintable(out));
        QVERIFY(out.contains("https://docs.google.com/spreadsheets/d/"));
        QVERIFY2(err.contains(QString("belongs to the service account ") + kEmail),
                 qPrintable(err));
        std::string created;
        for (const auto &id : g.with([](SheetsEmulator &e) { return e.spreadsheetIds(); })) {
            if (id != g.spreadsheetId)
                created = id;
        }
        QVERIFY(!created.empty());
        QVERIFY(out.contains(QString::fromStdString(created)));
        QCOMPARE(g.rows(created, "people").size(), 251u);

        // A tab of the connection's spreadsheet.
        auto [code2, out2, err2] =
            run({"export", "people", "--to", "Sheets", "--spreadsheet",
                 QString::fromStdString(g.spreadsheetId), "--tab", "People today"});
        QVERIFY2(code2 == 0, qPrintable(out2 + err2));
        QVERIFY(out2.contains("to the spreadsheet, tab \"People today\""));
        auto values = g.rows(g.spreadsheetId, "People today");
        QCOMPARE(values.size(), 251u);
        QCOMPARE(values[250], (std::vector<json>{250, "Person 250"}));

        // Mistakes get plain answers.
        auto [code3, out3, err3] = run({"export", "people"});
        QCOMPARE(code3, 64);
        QVERIFY2(err3.contains("export needs --to CONNECTION"), qPrintable(err3));
        auto [code4, out4, err4] = run({"export", "people", "--to", "Files"});
        QCOMPARE(code4, 2);
        QVERIFY2(err4.contains("\"Files\" is not a Google Sheets connection"), qPrintable(err4));
        auto [code5, out5, err5] = run({"export", "nobody", "--to", "Sheets"});
        QCOMPARE(code5, 2);
        auto [code6, out6, err6] = run({"--help"});
        QCOMPARE(code6, 0);
        QVERIFY(out6.contains("export MODEL --to CONNECTION [--spreadsheet ID] [--tab NAME]"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_home;
};

QTEST_GUILESS_MAIN(TestSheetsExport)
#include "testsheetsexport.moc"

// The workspace file: creation, migrations from every earlier version, typed access, secrets
// refused, and the JSON config format's exact round trip.
#include "testutil.h"
#include "util/sqlite.h"
#include "workspace/configio.h"
#include "workspace/migrations.h"
#include "workspace/workspace.h"

#include <QtTest>

using namespace sluice;

class TestWorkspace : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::filesystem::path path(const char *name) { return m_tmp.path().toStdString() + "/" + name; }

    static SyncDef sampleSync(Workspace &ws)
    {
        ConnectionDef src{0, "Warehouse", ConnectionRole::Source, "sqlite", {{"path", "wh.db"}}};
        src.id = ws.saveConnection(src).value();
        ConnectionDef dst{0,
                          "Files",
                          ConnectionRole::Destination,
                          "csv",
                          {{"folder", "out"}, {"format", "changes"}}};
        dst.id = ws.saveConnection(dst).value();
        ModelDef m{
            0,    "customers",       src.id, "SELECT id, email\nFROM customers -- comment", "",
            "id", "Paying customers"};
        m.id = ws.saveModel(m).value();
        SyncDef s;
        s.name = "Customers → file";
        s.modelId = m.id;
        s.destinationId = dst.id;
        s.object = "customers.csv";
        s.mode = SyncMode::Mirror;
        s.keyField = "id";
        s.mapping.fields = {FieldMapping{"id", std::nullopt, "id", {}},
                            FieldMapping{"email",
                                         std::nullopt,
                                         "Email",
                                         {Transform{Transform::Kind::Trim, ""},
                                          Transform{Transform::Kind::Lower, ""}}},
                            FieldMapping{"", std::string("Sluice"), "Source", {}}};
        s.options.mirrorMaxDeletePercent = 25;
        s.schedule = {{"type", "manual"}};
        s.id = ws.saveSync(s).value();
        return s;
    }

private Q_SLOTS:
    void createsWalWorkspaceAtCurrentVersion()
    {
        auto ws = Workspace::open(path("new/sub/ws.sluice"));
        QVERIFY2(ws.has_value(), ws ? "" : ws.error().message.c_str());
        QCOMPARE(ws->version().value(), Workspace::schemaVersion);
        QCOMPARE(static_cast<int>(workspaceMigrations().size()), Workspace::schemaVersion);
        auto s = ws->db().prepare("PRAGMA journal_mode");
        (void)s->step();
        QCOMPARE(s->columnText(0), std::string("wal"));
    }

    void migratesFromEveryEarlierVersion_data()
    {
        QTest::addColumn<int>("from");
        for (int v = 0; v < Workspace::schemaVersion; ++v)
            QTest::addRow("v%d", v) << v;
    }

    void migratesFromEveryEarlierVersion()
    {
        QFETCH(int, from);
        const auto p = path(("old" + std::to_string(from) + ".sluice").c_str());
        {
            // Build a database exactly as version `from` left it, with data in it.
            auto db = SqliteDb::open(p, SqliteDb::Mode::ReadWriteCreate).value();
            for (int v = 1; v <= from; ++v)
                QVERIFY(db.exec(workspaceMigrations()[v - 1]).has_value());
            QVERIFY(db.exec("PRAGMA user_version=" + std::to_string(from)).has_value());
            if (from >= 1) {
                QVERIFY(
                    db.exec("INSERT INTO connections VALUES (1, 'W', 'source', 'sqlite', "
                            "'{\"path\":\"w.db\"}', 'x', 'x');"
                            "INSERT INTO connections VALUES (2, 'F', 'destination', 'csv', "
                            "'{\"folder\":\"o\"}', 'x', 'x');"
                            "INSERT INTO models VALUES (1, 'm', 1, 'SELECT 1 AS id', '', 'id', "
                            "'', 'x', 'x');"
                            "INSERT INTO syncs VALUES (1, 's', 1, 2, 'o.csv', 'mirror', 'id', "
                            "'[{\"column\":\"id\",\"field\":\"id\"}]', '{\"type\":\"manual\"}', "
                            "'{}', 1, 'x', 'x');"
                            "INSERT INTO runs (id, sync_id, status, started_at, added) VALUES "
                            "(1, 1, 'succeeded', '2026-01-01T00:00:00Z', 7);")
                        .has_value());
            }
        }
        auto ws = Workspace::open(p);
        QVERIFY2(ws.has_value(), ws ? "" : ws.error().message.c_str());
        QCOMPARE(ws->version().value(), Workspace::schemaVersion);
        if (from >= 1) {
            auto sync = ws->syncByName("s");
            QVERIFY(sync.has_value());
            QCOMPARE(sync->mode, SyncMode::Mirror);
            QCOMPARE(sync->mapping.fields.size(), 1u);
            auto runs = ws->runs(sync->id).value();
            QCOMPARE(runs.size(), 1u);
            QCOMPARE(runs[0].counts.added, 7);
            QCOMPARE(runs[0].counts.skipped, 0);
        }
        // The migrated schema is the same as a fresh one.
        auto schema = [](Workspace &w) {
            std::string out;
            auto s = w.db().prepare("SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name");
            while (s->step().value_or(false))
                out += s->columnText(0) + " " + s->columnText(1) + " " + s->columnText(2) + "\n";
            auto c =
                w.db().prepare("SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value FROM "
                               "sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = "
                               "'table' ORDER BY m.name, p.cid");
            while (c->step().value_or(false))
                out += c->columnText(0) + "." + c->columnText(1) + " " + c->columnText(2) + " " +
                       c->columnText(3) + " " + c->columnText(4) + "\n";
            return out;
        };
        auto fresh = Workspace::open(path(("fresh" + std::to_string(from) + ".sluice").c_str()));
        QCOMPARE(schema(*ws), schema(*fresh));
    }

    void refusesNewerSchemaAndNonWorkspaces()
    {
        const auto p = path("future.sluice");
        {
            auto db = SqliteDb::open(p, SqliteDb::Mode::ReadWriteCreate).value();
            QVERIFY(db.exec("PRAGMA user_version=99").has_value());
        }
        auto ws = Workspace::open(p);
        QVERIFY(!ws.has_value());
        QVERIFY(ws.error().message.find("newer Sluice") != std::string::npos);

        const auto junk = path("junk.sluice");
        test::writeFile(junk, "this is not a database, just text that is long enough......");
        auto ws2 = Workspace::open(junk);
        QVERIFY(!ws2.has_value());
        QVERIFY2(ws2.error().message.find("Sluice workspace") != std::string::npos,
                 ws2.error().message.c_str());
    }

    void refusesOtherSqliteDatabases()
    {
        const auto p = path("warehouse.db");
        {
            auto db = SqliteDb::open(p, SqliteDb::Mode::ReadWriteCreate).value();
            QVERIFY(db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY)").has_value());
        }
        const std::string before = test::readFile(p);
        auto ws = Workspace::open(p);
        QVERIFY(!ws.has_value());
        QVERIFY2(ws.error().message.find("not a Sluice workspace") != std::string::npos,
                 ws.error().message.c_str());
        QCOMPARE(test::readFile(p), before);
    }

    void validatesDefinitions()
    {
        auto ws = Workspace::open(path("valid.sluice")).value();
        ConnectionDef bad{0, "X", ConnectionRole::Source, "oracle", {}};
        auto r = ws.saveConnection(bad);
        QVERIFY(!r);
        QVERIFY(r.error().message.find("not a known source type") != std::string::npos);
        ConnectionDef missing{0, "X", ConnectionRole::Source, "sqlite", nlohmann::json::object()};
        auto r2 = ws.saveConnection(missing);
        QVERIFY(!r2);
        QVERIFY2(r2.error().message.find("is required") != std::string::npos,
                 r2.error().message.c_str());
        ConnectionDef ok{0, "X", ConnectionRole::Source, "sqlite", {{"path", "a.db"}}};
        const auto id = ws.saveConnection(ok).value();
        auto dup = ws.saveConnection(ok);
        QVERIFY(!dup);
        QVERIFY(dup.error().message.find("already has that name") != std::string::npos);
        ModelDef noKey{0, "m", id, "SELECT 1", "", "", ""};
        QVERIFY(!ws.saveModel(noKey));
        ModelDef both{0, "m", id, "SELECT 1", "t", "id", ""};
        QVERIFY(!ws.saveModel(both));
        ModelDef good{0, "m", id, "SELECT 1 AS id", "", "id", ""};
        QVERIFY(ws.saveModel(good).has_value());
        auto inUse = ws.removeConnection(id);
        QVERIFY(!inUse);
        QVERIFY(inUse.error().message.find("still used") != std::string::npos);
    }

    void configRoundTripsExactly()
    {
        auto ws = Workspace::open(path("a.sluice")).value();
        const SyncDef s = sampleSync(ws);
        auto exported = exportSyncConfig(ws, s.name);
        QVERIFY(exported.has_value());
        const std::string text = configToText(*exported);

        auto ws2 = Workspace::open(path("b.sluice")).value();
        auto summary = importConfigText(ws2, text);
        QVERIFY2(summary.has_value(), summary ? "" : summary.error().message.c_str());
        QCOMPARE(summary->syncs.size(), 1u);
        const std::string again = configToText(exportSyncConfig(ws2, s.name).value());
        QCOMPARE(again, text);

        auto loaded = ws2.syncByName(s.name).value();
        QCOMPARE(loaded.mapping, s.mapping);
        QCOMPARE(loaded.mode, s.mode);
        QCOMPARE(loaded.options.mirrorMaxDeletePercent, 25.0);
        QCOMPARE(ws2.modelByName("customers")->sql,
                 std::string("SELECT id, email\nFROM customers -- comment"));

        // Importing again changes nothing (matched by name).
        QVERIFY(importConfigText(ws2, text).has_value());
        QCOMPARE(ws2.syncs()->size(), 1u);
        QCOMPARE(ws2.connections()->size(), 2u);
        QCOMPARE(configToText(exportSyncConfig(ws2, s.name).value()), text);
    }

    void badConfigImportsNothing()
    {
        auto ws = Workspace::open(path("c.sluice")).value();
        auto r = importConfigText(ws, "{ not json");
        QVERIFY(!r);
        QVERIFY(r.error().message.find("not valid JSON") != std::string::npos);
        auto r2 = importConfigText(ws, R"({"connections": []})");
        QVERIFY(!r2);
        QVERIFY(r2.error().message.find("not a Sluice configuration") != std::string::npos);
        // The connection is fine but the model refers to a missing source: all or nothing.
        auto r3 = importConfigText(ws, R"({"sluice_config": 1,
            "connections": [{"name": "W", "role": "source", "kind": "sqlite", "settings": {"path": "w.db"}}],
            "models": [{"name": "m", "source": "Nope", "sql": "SELECT 1", "primary_key": "id"}]})");
        QVERIFY(!r3);
        QVERIFY2(r3.error().message.find("\"Nope\"") != std::string::npos,
                 r3.error().message.c_str());
        QCOMPARE(ws.connections()->size(), 0u);
        auto r4 = importConfigText(
            ws, R"({"sluice_config": 1, "syncs": [{"name": "s", "mode": "sideways"}]})");
        QVERIFY(!r4);
        QVERIFY2(r4.error().message.find("Sync 1 (\"s\")") != std::string::npos,
                 r4.error().message.c_str());
        auto r5 = importConfigText(
            ws,
            R"({"sluice_config": 1, "connections": [{"name": "W", "role": "source", "kind": "sqlite", "settings": {"path": "w.db"}, "password": "x"}]})");
        QVERIFY(!r5);
        QVERIFY(r5.error().message.find("unknown key \"password\"") != std::string::npos);
    }

    void runsAndRejectedRecordsAreStored()
    {
        auto ws = Workspace::open(path("runs.sluice")).value();
        const SyncDef s = sampleSync(ws);
        RunRecord r;
        r.syncId = s.id;
        r.startedAt = utcNowIso();
        r.id = ws.insertRun(r).value();
        r.status = RunStatus::Partial;
        r.counts.added = 5;
        r.counts.rejected = 1;
        r.finishedAt = utcNowIso();
        r.durationMs = 12;
        r.error = "1 record was rejected";
        QVERIFY(ws.updateRun(r).has_value());
        auto last = ws.lastRun(s.id).value();
        QVERIFY(last.has_value());
        QCOMPARE(last->status, RunStatus::Partial);
        QCOMPARE(last->counts.added, 5);
        QCOMPARE(last->durationMs, 12);
        auto summaries = ws.syncSummaries().value();
        QCOMPARE(summaries.size(), 1u);
        QCOMPARE(summaries[0].modelName, std::string("customers"));
        QCOMPARE(summaries[0].sourceName, std::string("Warehouse"));
        QCOMPARE(summaries[0].lastRun->id, r.id);
        // Removing the sync removes its runs.
        QVERIFY(ws.removeSync(s.id).has_value());
        QCOMPARE(ws.runs(s.id)->size(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "testworkspace.moc"

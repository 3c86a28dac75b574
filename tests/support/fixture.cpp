#include "fixture.h"

#include "util/sqlite.h"

#include <QtTest>

namespace sluice::test {

Fixture::Fixture(int rows, SyncMode mode)
{
    sql("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, email TEXT, note TEXT)");
    sql("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
        std::to_string(rows) +
        ") INSERT INTO people SELECT x, 'Person ' || x, 'p' || x || '@example.com', 'note' FROM n");
    auto ws = Workspace::open(dir() / "ws.sluice");
    if (!ws)
        qFatal("workspace: %s", ws.error().message.c_str());
    m_ws.emplace(std::move(*ws));
    ConnectionDef src{0, "Source", ConnectionRole::Source, "sqlite", {{"path", "source.db"}}};
    src.id = m_ws->saveConnection(src).value();
    ConnectionDef dst{0, "Out", ConnectionRole::Destination, "csv", {{"folder", "out"}}};
    dst.id = m_ws->saveConnection(dst).value();
    m_model.name = "people";
    m_model.connectionId = src.id;
    m_model.sql = "SELECT id, name, email, note FROM people";
    m_model.primaryKey = "id";
    m_model.id = m_ws->saveModel(m_model).value();
    m_sync.name = "People";
    m_sync.modelId = m_model.id;
    m_sync.destinationId = dst.id;
    m_sync.object = "people.csv";
    m_sync.mode = mode;
    m_sync.keyField = "id";
    m_sync.mapping.fields = {FieldMapping{"id", std::nullopt, "id", {}},
                             FieldMapping{"name", std::nullopt, "name", {}},
                             FieldMapping{"email", std::nullopt, "email", {}}};
    saveSync();
}

void Fixture::saveSync()
{
    m_sync.id = m_ws->saveSync(m_sync).value();
}

void Fixture::sql(const std::string &statement)
{
    auto db = SqliteDb::open(sourcePath(), SqliteDb::Mode::ReadWriteCreate);
    if (!db)
        qFatal("source: %s", db.error().message.c_str());
    if (auto r = db->exec(statement); !r)
        qFatal("source sql: %s", r.error().message.c_str());
}

RunResult Fixture::run(RunOptions options, CancelToken *cancel, SyncEngine::ProgressFn progress)
{
    options.retryBaseDelayMs = 1;
    SqliteSource source(sourcePath());
    SyncEngine engine(*m_ws);
    return engine.run(m_sync, m_model, source, dest, options, cancel, std::move(progress));
}

} // namespace sluice::test

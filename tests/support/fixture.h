#pragma once
// A workspace with a SQLite source of "people" rows and one sync, for engine tests.

#include "engine/syncengine.h"
#include "sources/sqlitesource.h"
#include "testdestination.h"

#include <QTemporaryDir>

namespace sluice::test {

class Fixture
{
public:
    explicit Fixture(int rows = 100, SyncMode mode = SyncMode::Upsert);

    std::filesystem::path dir() const { return m_dir.path().toStdString(); }
    std::filesystem::path sourcePath() const { return dir() / "source.db"; }
    Workspace &ws() { return *m_ws; }
    SyncDef &sync() { return m_sync; }
    ModelDef &model() { return m_model; }
    TestDestination dest;

    // Runs the source database's SQL (inserts, updates, deletes of people).
    void sql(const std::string &statement);
    RunResult run(RunOptions options = {}, CancelToken *cancel = nullptr,
                  SyncEngine::ProgressFn progress = {});
    void saveSync();

private:
    QTemporaryDir m_dir;
    std::optional<Workspace> m_ws;
    ModelDef m_model;
    SyncDef m_sync;
};

} // namespace sluice::test

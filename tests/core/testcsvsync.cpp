// The engine with the real CSV destination, end to end through the workspace: a snapshot file
// is rewritten only when something changed, rewritten again if deleted, left byte-identical by
// runs that fail their checks; a change log records exactly the changes.
#include "csv/csvreader.h"
#include "fixture.h"
#include "testutil.h"

#include <QtTest>

using namespace sluice;
using namespace sluice::test;

class TestCsvSync : public QObject
{
    Q_OBJECT

private:
    static RunResult runSaved(Fixture &f, RunOptions options = {})
    {
        SyncEngine engine(f.ws());
        return engine.run(f.sync().id, options);
    }

    static std::vector<std::vector<std::string>> readCsv(const std::filesystem::path &path)
    {
        std::vector<std::vector<std::string>> out;
        auto reader = CsvReader::open(path);
        if (!reader)
            return out;
        std::vector<CsvField> fields;
        while ((*reader)->next(fields).value_or(false)) {
            out.emplace_back();
            for (const auto &f : fields)
                out.back().emplace_back(f.text);
        }
        return out;
    }

    static void useChangeLog(Fixture &f, SyncMode mode)
    {
        ConnectionDef log{0,
                          "Log",
                          ConnectionRole::Destination,
                          "csv",
                          {{"folder", "out"}, {"format", "changes"}}};
        f.sync().destinationId = f.ws().saveConnection(log).value();
        f.sync().mode = mode;
        f.sync().object = "people-log.csv";
        f.saveSync();
    }

private Q_SLOTS:
    void snapshotIsRewrittenOnlyWhenSomethingChanged()
    {
        Fixture f(20, SyncMode::Mirror);
        const auto file = f.dir() / "out" / "people.csv";
        auto r1 = runSaved(f);
        QCOMPARE(r1.record.status, RunStatus::Succeeded);
        auto rows = readCsv(file);
        QCOMPARE(rows.size(), 21u);
        QCOMPARE(rows[0], (std::vector<std::string>{"id", "name", "email"}));
        QCOMPARE(rows[5][1], std::string("Person 5"));

        const auto mtime = std::filesystem::last_write_time(file);
        const auto content = readFile(file);
        auto r2 = runSaved(f);
        QCOMPARE(r2.record.counts.unchanged, 20);
        QCOMPARE(readFile(file), content);
        QVERIFY(std::filesystem::last_write_time(file) == mtime); // not even rewritten

        f.sql("UPDATE people SET name = '=HYPERLINK(\"x\")' WHERE id = 3");
        f.sql("DELETE FROM people WHERE id = 20");
        auto r3 = runSaved(f);
        QCOMPARE(r3.record.counts.changed, 1);
        QCOMPARE(r3.record.counts.removed, 1);
        rows = readCsv(file);
        QCOMPARE(rows.size(), 20u);
        QCOMPARE(rows[3][1], std::string("'=HYPERLINK(\"x\")")); // spreadsheet-safe
    }

    void deletedSnapshotIsWrittenAgain()
    {
        Fixture f(10, SyncMode::Mirror);
        const auto file = f.dir() / "out" / "people.csv";
        runSaved(f);
        const auto content = readFile(file);
        std::filesystem::remove(file);
        auto r = runSaved(f);
        QCOMPARE(r.record.status, RunStatus::Succeeded);
        QCOMPARE(readFile(file), content);
        QVERIFY(!r.log.empty());
    }

    void failedChecksLeaveTheSnapshotUntouched()
    {
        Fixture f(10, SyncMode::Mirror);
        const auto file = f.dir() / "out" / "people.csv";
        runSaved(f);
        const auto content = readFile(file);
        // A change early in the stream starts the rewrite; a duplicate later must drop it.
        f.sql("UPDATE people SET name = 'Changed' WHERE id = 1");
        f.model().sql = "SELECT id, name, email FROM people UNION ALL SELECT 9, 'dup', NULL";
        QVERIFY(f.ws().saveModel(f.model()).has_value());
        auto r = runSaved(f);
        QCOMPARE(r.record.status, RunStatus::Failed);
        QVERIFY(r.record.error.find("not unique") != std::string::npos);
        QCOMPARE(readFile(file), content);
        const auto leftovers = std::distance(std::filesystem::directory_iterator(f.dir() / "out"),
                                             std::filesystem::directory_iterator());
        QCOMPARE(leftovers, 1); // no temporary file left behind
        // An empty model trips the mirror guard: the file keeps all its rows.
        f.model().sql = "SELECT id, name, email FROM people WHERE 0";
        QVERIFY(f.ws().saveModel(f.model()).has_value());
        auto r2 = runSaved(f);
        QCOMPARE(r2.record.status, RunStatus::Failed);
        QCOMPARE(readFile(file), content);
    }

    void changeLogRecordsExactlyTheChanges()
    {
        Fixture f(5);
        useChangeLog(f, SyncMode::Mirror);
        const auto file = f.dir() / "out" / "people-log.csv";
        runSaved(f);
        f.sql("UPDATE people SET email = 'new@example.com' WHERE id = 2");
        f.sql("DELETE FROM people WHERE id = 5");
        auto r = runSaved(f);
        QCOMPARE(r.record.status, RunStatus::Succeeded);
        auto rows = readCsv(file);
        QCOMPARE(rows[0],
                 (std::vector<std::string>{"operation", "synced_at", "id", "name", "email"}));
        QCOMPARE(rows.size(), 1u + 5 + 2);
        QCOMPARE(rows[6][0], std::string("upsert"));
        QCOMPARE(rows[6][4], std::string("new@example.com"));
        QCOMPARE(rows[7][0], std::string("delete"));
        QCOMPARE(rows[7][2], std::string("5"));
        runSaved(f);
        QCOMPARE(readCsv(file).size(), 8u); // nothing changed, nothing logged
    }

    void insertModeLogsCreatesOnly()
    {
        Fixture f(3);
        useChangeLog(f, SyncMode::Insert);
        runSaved(f);
        f.sql("UPDATE people SET name = 'x'");
        f.sql("INSERT INTO people VALUES (4, 'Four', NULL, '')");
        auto r = runSaved(f);
        QCOMPARE(r.record.counts.added, 1);
        QCOMPARE(r.record.counts.skipped, 3);
        auto rows = readCsv(f.dir() / "out" / "people-log.csv");
        QCOMPARE(rows.size(), 5u);
        for (std::size_t i = 1; i < rows.size(); ++i)
            QCOMPARE(rows[i][0], std::string("create"));
    }

    void snapshotRefusesModesOtherThanMirror()
    {
        Fixture f(3, SyncMode::Upsert);
        auto r = runSaved(f);
        QCOMPARE(r.record.status, RunStatus::Failed);
        QVERIFY2(r.record.error.find("it supports: mirror") != std::string::npos,
                 r.record.error.c_str());
        QVERIFY(!std::filesystem::exists(f.dir() / "out" / "people.csv"));
    }

    void dryRunLeavesFilesAndWorkspaceByteIdentical()
    {
        Fixture f(30, SyncMode::Mirror);
        runSaved(f);
        f.sql("UPDATE people SET name = 'x' WHERE id < 5");
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        auto snapshot = [&] {
            std::map<std::string, std::string> files;
            for (const auto &e : std::filesystem::recursive_directory_iterator(f.dir()))
                if (e.is_regular_file() && e.path().filename() != "ws.sluice-shm")
                    files[e.path().string()] = readFile(e.path());
            return files;
        };
        const auto before = snapshot();
        RunOptions o;
        o.dryRun = true;
        auto r = runSaved(f, o);
        QCOMPARE(r.record.counts.changed, 4);
        QVERIFY(snapshot() == before);
    }
};

QTEST_GUILESS_MAIN(TestCsvSync)
#include "testcsvsync.moc"

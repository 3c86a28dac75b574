// The engine end to end against an in-memory destination: change detection, modes, rejected
// and transient records, the mirror guard, dry runs, key checks, failures and cancel.
#include "fixture.h"
#include "testutil.h"

#include <QtTest>

using namespace sluice;
using namespace sluice::test;

class TestSyncEngine : public QObject
{
    Q_OBJECT

private:
    static std::int64_t stateRows(Fixture &f)
    {
        auto s = f.ws().db().prepare("SELECT count(*) FROM sync_state WHERE sync_id=?");
        s->bind(1, f.sync().id);
        (void)s->step();
        return s->columnInt(0);
    }

private Q_SLOTS:
    void firstRunSendsEverythingAndRerunNothing()
    {
        Fixture f(100);
        auto r1 = f.run();
        QCOMPARE(r1.record.status, RunStatus::Succeeded);
        QCOMPARE(r1.record.counts.added, 100);
        QCOMPARE(f.dest.records.size(), 100u);
        QCOMPARE(f.dest.records["7"][1].text, std::string("Person 7"));
        QVERIFY(r1.record.id > 0);
        QCOMPARE(stateRows(f), 100);

        const auto before = f.dest.log.size();
        auto r2 = f.run();
        QCOMPARE(r2.record.status, RunStatus::Succeeded);
        QCOMPARE(r2.record.counts.added, 0);
        QCOMPARE(r2.record.counts.changed, 0);
        QCOMPARE(r2.record.counts.unchanged, 100);
        QCOMPARE(f.dest.log.size(), before); // nothing sent
        auto runs = f.ws().runs(f.sync().id).value();
        QCOMPARE(runs.size(), 2u);
        QCOMPARE(runs[0].counts.unchanged, 100);
    }

    void upsertSendsExactlyTheChanges()
    {
        Fixture f(50);
        f.run();
        f.dest.log.clear();
        f.sql("UPDATE people SET name = 'Changed ' || id WHERE id IN (3, 4, 5)");
        f.sql("INSERT INTO people VALUES (51, 'New', 'n@example.com', ''), (52, 'New2', NULL, '')");
        f.sql("DELETE FROM people WHERE id = 10");
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Succeeded);
        QCOMPARE(r.record.counts.changed, 3);
        QCOMPARE(r.record.counts.added, 2);
        QCOMPARE(r.record.counts.removed, 0); // upsert leaves removed rows alone
        QCOMPARE(f.dest.log.size(), 5u);
        QVERIFY(f.dest.records.count("10")); // still there
        QCOMPARE(f.dest.records["4"][1].text, std::string("Changed 4"));
        QVERIFY(f.dest.records["52"][2].isNull());
        // Changed records come with the id the destination gave them; new ones have none yet.
        QCOMPARE(f.dest.destIds.at("4"), std::string("id-4"));
        QCOMPARE(f.dest.destIds.at("51"), std::string());
    }

    void mirrorDeletesRowsThatLeftTheModel()
    {
        Fixture f(50, SyncMode::Mirror);
        f.run();
        f.sql("DELETE FROM people WHERE id IN (10, 11)");
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Succeeded);
        QCOMPARE(r.record.counts.removed, 2);
        QCOMPARE(f.dest.count(Op::Delete), 2);
        QVERIFY(!f.dest.records.count("10"));
        QCOMPARE(f.dest.records.size(), 48u);
        QCOMPARE(stateRows(f), 48);
        // A row that comes back is added again.
        f.sql("INSERT INTO people VALUES (10, 'Back', 'b@example.com', '')");
        auto r2 = f.run();
        QCOMPARE(r2.record.counts.added, 1);
        QCOMPARE(f.dest.records["10"][1].text, std::string("Back"));
    }

    void unmappedColumnChangeIsNotAChange()
    {
        Fixture f(20);
        f.run();
        f.sql("UPDATE people SET note = 'edited'");
        auto r = f.run();
        QCOMPARE(r.record.counts.changed, 0);
        QCOMPARE(r.record.counts.unchanged, 20);
        // But changing the mapping is: every record gets the new field.
        f.sync().mapping.fields.push_back(FieldMapping{"note", std::nullopt, "note", {}});
        f.saveSync();
        auto r2 = f.run();
        QCOMPARE(r2.record.counts.changed, 20);
        QCOMPARE(f.dest.records["1"].size(), 4u);
    }

    void rejectedRowsAreRetriedNextRunEvenWhenUnchanged()
    {
        Fixture f(20);
        f.dest.rejectKeys = {"5", "6"};
        auto r1 = f.run();
        QCOMPARE(r1.record.status, RunStatus::Partial);
        QCOMPARE(r1.record.counts.rejected, 2);
        QCOMPARE(r1.record.counts.added, 18);
        auto rejected = f.ws().rejectedRecords(r1.record.id).value();
        QCOMPARE(rejected.size(), 2u);
        QCOMPARE(rejected[0].reason, std::string("Invalid record 5"));
        QVERIFY(!f.dest.records.count("5"));

        // Nothing changed in the source, yet 5 and 6 are sent again.
        f.dest.rejectKeys = {"6"};
        f.dest.log.clear();
        auto r2 = f.run();
        QCOMPARE(r2.record.status, RunStatus::Partial);
        QCOMPARE(r2.record.counts.added, 1);
        QCOMPARE(r2.record.counts.rejected, 1);
        QCOMPARE(f.dest.log.size(), 2u);
        QVERIFY(f.dest.records.count("5"));

        // A rejected *change* of an existing record is also retried while unchanged.
        f.dest.rejectKeys = {"7"};
        f.sql("UPDATE people SET name = 'Seven' WHERE id = 7");
        auto r3 = f.run();
        QCOMPARE(r3.record.counts.rejected, 1); // 7
        QCOMPARE(r3.record.counts.added, 1);    // 6, accepted at last
        QCOMPARE(f.dest.records["7"][1].text, std::string("Person 7"));
        f.dest.rejectKeys.clear();
        f.dest.log.clear();
        auto r4 = f.run();
        QCOMPARE(r4.record.status, RunStatus::Succeeded);
        QCOMPARE(r4.record.counts.changed, 1);
        QCOMPARE(r4.record.counts.added, 0);
        QCOMPARE(f.dest.log.size(), 1u);
        QCOMPARE(f.dest.records["7"][1].text, std::string("Seven"));
        f.dest.log.clear();
        auto r5 = f.run();
        QCOMPARE(f.dest.log.size(), 0u);
        QCOMPARE(r5.record.counts.unchanged, 20);
    }

    void transientFailuresAreRetriedWithinTheRun()
    {
        Fixture f(30);
        f.dest.transientFailures = {{"3", 2}, {"4", 1}};
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Succeeded);
        QCOMPARE(r.record.counts.added, 30);
        QCOMPARE(r.record.counts.retries, 3);
        QCOMPARE(f.dest.records.size(), 30u);
    }

    void persistentTransientFailuresAreLeftForNextRun()
    {
        Fixture f(10);
        f.dest.transientFailures = {{"3", 100}};
        RunOptions o;
        o.maxAttempts = 3;
        auto r = f.run(o);
        QCOMPARE(r.record.status, RunStatus::Partial);
        QVERIFY(r.record.error.find("could not be delivered") != std::string::npos);
        QVERIFY(!f.dest.records.count("3"));
        f.dest.transientFailures.clear();
        auto r2 = f.run();
        QCOMPARE(r2.record.status, RunStatus::Succeeded);
        QCOMPARE(r2.record.counts.added, 1);
        QVERIFY(f.dest.records.count("3"));
    }

    void insertModeNeverUpdates()
    {
        Fixture f(10, SyncMode::Insert);
        auto r1 = f.run();
        QCOMPARE(f.dest.count(Op::Create), 10);
        f.sql("UPDATE people SET name = 'X' WHERE id = 1");
        f.sql("INSERT INTO people VALUES (11, 'Eleven', NULL, '')");
        auto r2 = f.run();
        QCOMPARE(r2.record.counts.added, 1);
        QCOMPARE(r2.record.counts.changed, 0);
        QCOMPARE(r2.record.counts.skipped, 1);
        QCOMPARE(f.dest.records["1"][1].text, std::string("Person 1"));
        QCOMPARE(f.dest.count(Op::Update) + f.dest.count(Op::Upsert), 0);
    }

    void updateModeOnlyUpdatesExistingRecords()
    {
        Fixture f(5, SyncMode::Update);
        f.dest.records["1"] = {};
        f.dest.records["2"] = {};
        auto r = f.run();
        QCOMPARE(f.dest.count(Op::Update), 5);
        QCOMPARE(r.record.counts.rejected, 3); // 3, 4, 5 do not exist there
        QCOMPARE(r.record.status, RunStatus::Partial);
        QCOMPARE(f.dest.records["2"][1].text, std::string("Person 2"));
        QVERIFY(!f.dest.records.count("3"));
    }

    void unsupportedModeIsRefused()
    {
        Fixture f(5, SyncMode::Mirror);
        f.dest.caps.modes = {SyncMode::Insert, SyncMode::Upsert};
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Failed);
        QVERIFY2(r.record.error.find("does not support the \"mirror\" mode") != std::string::npos,
                 r.record.error.c_str());
        QVERIFY(r.record.error.find("insert, upsert") != std::string::npos);
        QCOMPARE(f.dest.log.size(), 0u);
    }

    void mirrorGuardStopsMassDeletes()
    {
        Fixture f(100, SyncMode::Mirror);
        f.run();
        f.sql("DELETE FROM people WHERE id > 40"); // 60% gone
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Failed);
        QVERIFY2(r.record.error.find("60 of the 100") != std::string::npos, r.record.error.c_str());
        QVERIFY(r.record.error.find("Nothing was sent or deleted") != std::string::npos);
        QVERIFY(r.massDeleteBlocked);
        QCOMPARE(f.dest.records.size(), 100u);
        QCOMPARE(f.dest.count(Op::Delete), 0);

        // The classic accident: the model comes back empty.
        f.sql("DELETE FROM people");
        auto r2 = f.run();
        QCOMPARE(r2.record.status, RunStatus::Failed);
        QVERIFY2(r2.record.error.find("delete all 100") != std::string::npos,
                 r2.record.error.c_str());
        QCOMPARE(f.dest.records.size(), 100u);

        // The user allows it for one run.
        RunOptions allow;
        allow.allowMassDelete = true;
        auto r3 = f.run(allow);
        QCOMPARE(r3.record.status, RunStatus::Succeeded);
        QCOMPARE(r3.record.counts.removed, 100);
        QCOMPARE(f.dest.records.size(), 0u);
    }

    void mirrorGuardThresholdIsConfigurable()
    {
        Fixture f(10, SyncMode::Mirror);
        f.sync().options.mirrorMaxDeletePercent = 10;
        f.saveSync();
        f.run();
        f.sql("DELETE FROM people WHERE id IN (1, 2)");
        QCOMPARE(f.run().record.status, RunStatus::Failed);
        f.sql("INSERT INTO people VALUES (1, 'a', NULL, '')");
        QCOMPARE(f.run().record.status, RunStatus::Succeeded); // 1 of 10 = 10%: allowed
    }

    void dryRunWritesNothing()
    {
        Fixture f(30, SyncMode::Mirror);
        f.run();
        f.sql("UPDATE people SET name = 'Changed' WHERE id <= 3");
        f.sql("DELETE FROM people WHERE id = 30");
        f.sql("INSERT INTO people VALUES (31, 'New', NULL, '')");
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        const std::string before = readFile(f.ws().path());
        const auto runsBefore = f.ws().runs(f.sync().id).value().size();
        f.dest.log.clear();
        RunOptions o;
        o.dryRun = true;
        auto r = f.run(o);
        QCOMPARE(r.record.status, RunStatus::Succeeded);
        QCOMPARE(r.record.id, 0);
        QCOMPARE(r.record.counts.added, 1);
        QCOMPARE(r.record.counts.changed, 3);
        QCOMPARE(r.record.counts.removed, 1);
        QCOMPARE(r.record.counts.unchanged, 26);
        // Samples per kind, with the mapped values as they would be sent.
        int added = 0, changed = 0, removed = 0;
        for (const auto &s : r.samples) {
            added += !s.removed && s.kind == ChangeKind::Added;
            changed += !s.removed && s.kind == ChangeKind::Changed;
            removed += s.removed;
            if (s.key == "31")
                QCOMPARE(s.values[1].text, std::string("New"));
        }
        QCOMPARE(added, 1);
        QCOMPARE(changed, 3);
        QCOMPARE(removed, 1);
        QCOMPARE(f.dest.log.size(), 0u);
        QCOMPARE(f.ws().runs(f.sync().id).value().size(), runsBefore);
        (void)f.ws().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        QVERIFY(readFile(f.ws().path()) == before);
    }

    void duplicateKeysStopTheRunNamingThem()
    {
        Fixture f(10);
        f.model().sql = "SELECT id, name, email, note FROM people UNION ALL "
                        "SELECT id, name, email, note FROM people WHERE id IN (4, 9)";
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Failed);
        QVERIFY2(r.record.error.find("not unique") != std::string::npos, r.record.error.c_str());
        QVERIFY(r.record.error.find("\"4\"") != std::string::npos);
        QVERIFY(r.record.error.find("\"9\"") != std::string::npos);
        QCOMPARE(f.dest.log.size(), 0u);
    }

    void nullKeysStopTheRunNamingRows()
    {
        Fixture f(10);
        f.model().sql = "SELECT CASE WHEN id IN (2, 5) THEN NULL ELSE id END AS id, name, email, "
                        "note FROM people";
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Failed);
        QVERIFY2(r.record.error.find("empty in 2 rows (row 2, 5)") != std::string::npos,
                 r.record.error.c_str());
        QCOMPARE(f.dest.log.size(), 0u);
    }

    void missingKeyColumnAndMappedColumnsAreExplained()
    {
        Fixture f(3);
        f.model().primaryKey = "person_id";
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Failed);
        QVERIFY(r.record.error.find("no column \"person_id\"") != std::string::npos);
        f.model().primaryKey = "id";
        f.model().sql = "SELECT id, name FROM people";
        auto r2 = f.run();
        QCOMPARE(r2.record.status, RunStatus::Failed);
        QVERIFY2(r2.record.error.find("\"email\"") != std::string::npos, r2.record.error.c_str());
    }

    void failedWriteKeepsAcknowledgedBatches()
    {
        Fixture f(50);
        f.dest.caps.batchSize = 10;
        f.dest.failAtWrite = 2; // the third batch fails
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Failed);
        QVERIFY(r.record.error.find("test destination is down") != std::string::npos);
        QCOMPARE(r.record.counts.added, 20);
        QCOMPARE(stateRows(f), 20);
        f.dest.failAtWrite = -1;
        f.dest.log.clear();
        auto r2 = f.run();
        QCOMPARE(r2.record.status, RunStatus::Succeeded);
        QCOMPARE(r2.record.counts.added, 30);
        QCOMPARE(f.dest.log.size(), 30u);
        QCOMPARE(f.dest.records.size(), 50u);
    }

    void cancelStopsTheRunAndKeepsWhatWasAcknowledged()
    {
        Fixture f(5000);
        f.dest.caps.batchSize = 100;
        CancelToken cancel;
        f.dest.onWrite = [&](int writes) {
            if (writes == 10)
                cancel.cancel();
        };
        auto r = f.run({}, &cancel);
        QCOMPARE(r.record.status, RunStatus::Cancelled);
        QVERIFY(r.record.counts.added >= 1000);
        QVERIFY(r.record.counts.added < 5000);
        QCOMPARE(stateRows(f), r.record.counts.added);
        auto r2 = f.run();
        QCOMPARE(r2.record.status, RunStatus::Succeeded);
        QCOMPARE(r2.record.counts.added, 5000 - r.record.counts.added);
        QCOMPARE(f.dest.records.size(), 5000u);
    }

    void lostDestinationRecordsAreSentAgain()
    {
        Fixture f(10);
        f.run();
        f.dest.records.clear();
        f.dest.lost = true;
        auto r = f.run();
        QCOMPARE(r.record.counts.changed, 10);
        QCOMPARE(f.dest.records.size(), 10u);
        QVERIFY(!r.log.empty());
    }

    void transformErrorsRejectOnlyThatRow()
    {
        Fixture f(5);
        f.sql("UPDATE people SET note = 'not a date' WHERE id = 2");
        f.sql("UPDATE people SET note = '2024-03-01' WHERE id <> 2");
        f.sync().mapping.fields.push_back(FieldMapping{
            "note", std::nullopt, "day", {Transform{Transform::Kind::DateFormat, "dd/MM/yyyy"}}});
        f.saveSync();
        auto r = f.run();
        QCOMPARE(r.record.status, RunStatus::Partial);
        QCOMPARE(r.record.counts.added, 4);
        QCOMPARE(r.record.counts.rejected, 1);
        auto rejected = f.ws().rejectedRecords(r.record.id).value();
        QCOMPARE(rejected.size(), 1u);
        QCOMPARE(rejected[0].key, std::string("2"));
        QVERIFY2(rejected[0].reason.find("not a date") != std::string::npos,
                 rejected[0].reason.c_str());
        QCOMPARE(f.dest.records["1"][3].text, std::string("01/03/2024"));
    }

    void interruptedRunIsClosedOnNextRun()
    {
        Fixture f(3);
        RunRecord ghost;
        ghost.syncId = f.sync().id;
        ghost.startedAt = utcNowIso();
        const auto id = f.ws().insertRun(ghost).value();
        // Pretend the process that started it is gone.
        auto s = f.ws().db().prepare("UPDATE runs SET pid = 999999 WHERE id = ?");
        s->bind(1, id);
        QVERIFY(s->exec().has_value());
        f.run();
        auto runs = f.ws().runs(f.sync().id).value();
        QCOMPARE(runs.back().id, id);
        QCOMPARE(runs.back().status, RunStatus::Failed);
        QVERIFY(runs.back().error.find("interrupted") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "testsyncengine.moc"

// Crash safety: a child sluice-cli running a 100,000-row sync is SIGKILLed at random moments.
// After every kill the workspace passes PRAGMA integrity_check, and a final run leaves the
// destination holding every row exactly once with current values — both for a snapshot file
// (atomic rename) and for an append-only change log (checkpointed length).
#include "csv/csvreader.h"
#include "util/sqlite.h"
#include "workspace/workspace.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <csignal>
#include <map>
#include <random>
#include <sys/types.h>

using namespace sluice;

namespace {

constexpr int kRows = 100000;

std::string cli()
{
    const char *p = std::getenv("SLUICE_CLI");
    return p ? p : "sluice-cli";
}

} // namespace

class TestCrashSafety : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::filesystem::path m_dir;
    std::mt19937 m_random;

    std::filesystem::path ws() const { return m_dir / "ws.sluice"; }

    void sourceSql(const std::string &sql)
    {
        auto db = SqliteDb::open(m_dir / "source.db", SqliteDb::Mode::ReadWriteCreate).value();
        QVERIFY2(db.exec(sql).has_value(), sql.c_str());
    }

    int runCli(const QString &sync, int killAfterMs)
    {
        QProcess p;
        p.setProgram(QString::fromStdString(cli()));
        p.setArguments(
            {"--workspace", QString::fromStdString(ws().string()), "run", sync, "--json"});
        p.start();
        if (!p.waitForStarted())
            qFatal("cannot start %s", cli().c_str());
        if (killAfterMs >= 0) {
            if (!p.waitForFinished(killAfterMs)) {
                ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
                p.waitForFinished(10000);
                return -9;
            }
            return p.exitCode();
        }
        p.waitForFinished(120000);
        if (p.exitCode() != 0)
            qWarning() << p.readAllStandardOutput() << p.readAllStandardError();
        return p.exitCode();
    }

    void checkIntegrity()
    {
        auto db = SqliteDb::open(ws(), SqliteDb::Mode::ReadOnly).value();
        auto s = db.prepare("PRAGMA integrity_check").value();
        QVERIFY(s.step().value());
        QCOMPARE(s.columnText(0), std::string("ok"));
    }

    // Source truth: id → name.
    std::map<std::string, std::string> sourceRows()
    {
        std::map<std::string, std::string> out;
        auto db = SqliteDb::open(m_dir / "source.db", SqliteDb::Mode::ReadOnly).value();
        auto s = db.prepare("SELECT id, name FROM people").value();
        while (s.step().value())
            out[s.columnText(0)] = s.columnText(1);
        return out;
    }

    // Reads a CSV file as records of fields.
    std::vector<std::vector<std::string>> readCsv(const std::filesystem::path &path)
    {
        std::vector<std::vector<std::string>> out;
        auto reader = CsvReader::open(path).value();
        std::vector<CsvField> fields;
        for (;;) {
            auto more = reader->next(fields);
            if (!more)
                qFatal("csv: %s", more.error().message.c_str());
            if (!*more)
                break;
            std::vector<std::string> rec;
            for (const auto &f : fields)
                rec.emplace_back(f.text);
            out.push_back(std::move(rec));
        }
        return out;
    }

    // The work between checks: about a third of the rows change, a few leave, a few arrive.
    void mutate(int round)
    {
        sourceSql("UPDATE people SET name = name || ' r" + std::to_string(round) +
                  "' WHERE id % 3 = " + std::to_string(round % 3) +
                  "; DELETE FROM people WHERE id % 997 = " + std::to_string(round) +
                  "; INSERT INTO people SELECT max(id) + 1, 'New', 'new@example.com' FROM people;");
    }

    // Times a dry run (reading and planning, no writing) to scale the kill delays to this machine.
    int plannedMs(const QString &sync)
    {
        QElapsedTimer t;
        t.start();
        QProcess p;
        p.start(QString::fromStdString(cli()),
                {"--workspace", QString::fromStdString(ws().string()), "run", sync, "--dry-run"});
        p.waitForFinished(120000);
        return static_cast<int>(t.elapsed());
    }

    // Each round: change the source, start a run, SIGKILL it at a random moment, check the
    // workspace, then let a run complete and check the destination with verify().
    template <class Verify> void killRounds(const QString &sync, int rounds, Verify verify)
    {
        int killed = 0;
        for (int round = 0; round < rounds; ++round) {
            if (round > 0)
                mutate(round);
            const int planned = plannedMs(sync);
            std::uniform_int_distribution<int> delay(5, planned * 13 / 10 + 30);
            const int ms = delay(m_random);
            const bool wasKilled = runCli(sync, ms) == -9;
            killed += wasKilled;
            qDebug() << sync << "round" << round << (wasKilled ? "killed after" : "finished before")
                     << ms << "ms (planning takes" << planned << "ms)";
            checkIntegrity();
            QCOMPARE(runCli(sync, -1), 0);
            checkIntegrity();
            verify();
        }
        // Kills that all landed after the run ended would prove nothing.
        QVERIFY2(killed * 2 >= rounds,
                 qPrintable(QString("only %1 of %2 kills landed mid-run").arg(killed).arg(rounds)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Random kill points each time; SLUICE_TEST_SEED replays a run.
        const char *env = std::getenv("SLUICE_TEST_SEED");
        const unsigned seed = env ? static_cast<unsigned>(std::stoul(env)) : std::random_device{}();
        qDebug() << "seed" << seed;
        m_random.seed(seed);
        m_dir = m_tmp.path().toStdString();
        sourceSql(
            "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, email TEXT);"
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
            std::to_string(kRows) +
            ") INSERT INTO people SELECT x, 'Person ' || x, 'p' || x || '@example.com' FROM n;");
        auto w = Workspace::open(ws()).value();
        ConnectionDef src{0, "Source", ConnectionRole::Source, "sqlite", {{"path", "source.db"}}};
        src.id = w.saveConnection(src).value();
        ConnectionDef snap{0,
                           "Snapshots",
                           ConnectionRole::Destination,
                           "csv",
                           {{"folder", "out"}, {"format", "snapshot"}}};
        snap.id = w.saveConnection(snap).value();
        ConnectionDef log{0,
                          "Log",
                          ConnectionRole::Destination,
                          "csv",
                          {{"folder", "out"}, {"format", "changes"}}};
        log.id = w.saveConnection(log).value();
        ModelDef m{0, "people", src.id, "SELECT id, name, email FROM people", "", "id", ""};
        m.id = w.saveModel(m).value();
        for (auto [name, dest, object, mode] :
             {std::tuple{"snapshot", snap.id, "people.csv", SyncMode::Mirror},
              std::tuple{"changelog", log.id, "people-changes.csv", SyncMode::Upsert}}) {
            SyncDef s;
            s.name = name;
            s.modelId = m.id;
            s.destinationId = dest;
            s.object = object;
            s.mode = mode;
            s.keyField = "id";
            s.mapping.fields = {FieldMapping{"id", std::nullopt, "id", {}},
                                FieldMapping{"name", std::nullopt, "name", {}}};
            s.options.batchSize = 2000; // many commits, so kills land between them
            QVERIFY(w.saveSync(s).has_value());
        }
    }

    void snapshotSurvivesKills()
    {
        killRounds("snapshot", 6, [this] {
            const auto truth = sourceRows();
            const auto rows = readCsv(m_dir / "out" / "people.csv");
            QCOMPARE(rows.front(), (std::vector<std::string>{"id", "name"}));
            std::map<std::string, std::string> seen;
            for (std::size_t i = 1; i < rows.size(); ++i)
                QVERIFY2(seen.emplace(rows[i][0], rows[i][1]).second, rows[i][0].c_str()); // once
            QCOMPARE(seen.size(), truth.size());
            QVERIFY(seen == truth); // current values, nothing extra
        });
    }

    void changeLogSurvivesKillsExactlyOnce()
    {
        killRounds("changelog", 6, [this] {
            // operation, synced_at, id, name
            const auto rows = readCsv(m_dir / "out" / "people-changes.csv");
            std::map<std::string, std::string> last;
            for (std::size_t i = 1; i < rows.size(); ++i) {
                auto [it, fresh] = last.try_emplace(rows[i][2], rows[i][3]);
                // A change logged twice would repeat the same values back to back.
                QVERIFY2(fresh || it->second != rows[i][3], rows[i][2].c_str());
                it->second = rows[i][3];
            }
            for (const auto &[id, name] : sourceRows()) {
                auto it = last.find(id);
                QVERIFY2(it != last.end(), id.c_str()); // every current row is in the log...
                QCOMPARE(it->second, name);             // ...with its current values
            }
        });
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "testcrashsafety.moc"

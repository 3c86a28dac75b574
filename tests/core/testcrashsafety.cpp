// Crash safety: a child sluice-cli running a 100,000-row sync is SIGKILLed at random moments.
// After every kill the workspace passes PRAGMA integrity_check, and a final run leaves the
// destination holding every row exactly once with current values — both for a snapshot file
// (atomic rename) and for an append-only change log (checkpointed length).
#include "csv/csvreader.h"
#include "util/sqlite.h"
#include "workspace/workspace.h"

#include <QProcess>
#include <QtTest>

#include <map>
#include <random>

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
    std::mt19937 m_random{20261125};

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
        p.setArguments({"--workspace", QString::fromStdString(ws().string()), "run", sync, "--json"});
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

    void killRepeatedly(const QString &sync, int times)
    {
        std::uniform_int_distribution<int> delay(20, 900);
        int killed = 0;
        for (int i = 0; i < times; ++i) {
            const int ms = delay(m_random);
            if (runCli(sync, ms) == -9)
                ++killed;
            checkIntegrity();
        }
        qDebug() << sync << ": killed" << killed << "of" << times << "runs";
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_dir = m_tmp.path().toStdString();
        sourceSql("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, email TEXT);"
                  "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
                  std::to_string(kRows) +
                  ") INSERT INTO people SELECT x, 'Person ' || x, 'p' || x || '@example.com' FROM n;");
        auto w = Workspace::open(ws()).value();
        ConnectionDef src{0, "Source", ConnectionRole::Source, "sqlite", {{"path", "source.db"}}};
        src.id = w.saveConnection(src).value();
        ConnectionDef snap{0, "Snapshots", ConnectionRole::Destination, "csv",
                           {{"folder", "out"}, {"format", "snapshot"}}};
        snap.id = w.saveConnection(snap).value();
        ConnectionDef log{0, "Log", ConnectionRole::Destination, "csv",
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
        killRepeatedly("snapshot", 6);
        QCOMPARE(runCli("snapshot", -1), 0);
        sourceSql("UPDATE people SET name = name || ' v2' WHERE id % 7 = 0;"
                  "DELETE FROM people WHERE id % 101 = 0;"
                  "INSERT INTO people SELECT id + 200000, name, email FROM people WHERE id <= 500;");
        killRepeatedly("snapshot", 6);
        QCOMPARE(runCli("snapshot", -1), 0);
        checkIntegrity();

        const auto truth = sourceRows();
        const auto rows = readCsv(m_dir / "out" / "people.csv");
        QCOMPARE(rows.front(), (std::vector<std::string>{"id", "name"}));
        std::map<std::string, std::string> seen;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            QVERIFY2(seen.emplace(rows[i][0], rows[i][1]).second, rows[i][0].c_str()); // once
        }
        QCOMPARE(seen.size(), truth.size());
        QVERIFY(seen == truth);
    }

    void changeLogSurvivesKillsExactlyOnce()
    {
        killRepeatedly("changelog", 6);
        QCOMPARE(runCli("changelog", -1), 0);
        auto rows = readCsv(m_dir / "out" / "people-changes.csv");
        // operation, synced_at, id, name
        std::map<std::string, int> count;
        for (std::size_t i = 1; i < rows.size(); ++i)
            ++count[rows[i][2]];
        const auto truth = sourceRows();
        QCOMPARE(count.size(), truth.size());
        for (const auto &[key, n] : count)
            QVERIFY2(n == 1, key.c_str()); // every row logged exactly once

        sourceSql("UPDATE people SET name = name || ' v3' WHERE id % 5 = 0;");
        killRepeatedly("changelog", 4);
        QCOMPARE(runCli("changelog", -1), 0);
        checkIntegrity();
        rows = readCsv(m_dir / "out" / "people-changes.csv");
        std::map<std::string, std::string> last;
        count.clear();
        for (std::size_t i = 1; i < rows.size(); ++i) {
            ++count[rows[i][2]];
            last[rows[i][2]] = rows[i][3];
        }
        const auto truth2 = sourceRows();
        QVERIFY(last == truth2); // replaying the log gives the current values
        for (const auto &[key, n] : count) {
            const bool changed = std::stoll(key) % 5 == 0;
            QVERIFY2(n == (changed ? 2 : 1), key.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "testcrashsafety.moc"

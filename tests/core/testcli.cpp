// sluice-cli as a user and a script see it: the real binary run as a child process, its exit
// codes (0 succeeded, 1 rejected records, 2 failed, 64 bad usage), its messages, its JSON and
// the files it leaves behind (or, for dry runs and failed runs, does not touch).
#include "csv/csvreader.h"
#include "testutil.h"
#include "util/sqlite.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <map>
#include <set>

using namespace sluice;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char *const kAtRisk = "At-risk customers";

// The columns of the demo's at_risk_accounts model, in the order its SQL selects them.
const QStringList kAtRiskColumns = {"account_id",
                                    "name",
                                    "domain",
                                    "plan",
                                    "subscription_status",
                                    "mrr",
                                    "health_score",
                                    "logins_last_30d",
                                    "logins_prev_30d",
                                    "open_urgent_tickets",
                                    "owner_email",
                                    "risk_reason"};

struct CliResult
{
    int exitCode = -1; // -1: did not finish normally (crash or timeout), see `problem`
    QString problem;
    QByteArray out;
    QByteArray err;
};

QString explain(const CliResult &r)
{
    return QStringLiteral("exit %1%2\n--- stdout:\n%3\n--- stderr:\n%4")
        .arg(r.exitCode)
        .arg(r.problem.isEmpty() ? QString() : " (" + r.problem + ")")
        .arg(QString::fromUtf8(r.out.left(4000)), QString::fromUtf8(r.err.left(4000)));
}

// Exact exit code, and the whole output in the failure message when it is not. The result is
// evaluated once: it is often a cli(...) call, which must not run twice.
#define EXPECT_EXIT(r, code)                                                                       \
    do {                                                                                           \
        const CliResult &result_ = (r);                                                            \
        if (result_.exitCode != (code))                                                            \
            QFAIL(qPrintable(QStringLiteral("expected exit %1, got ").arg(code) +                  \
                             explain(result_)));                                                   \
    } while (false)

// A key phrase the user must see on stderr.
#define EXPECT_ERR(r, phrase)                                                                      \
    QVERIFY2((r).err.contains(QByteArray(phrase)),                                                 \
             qPrintable(QStringLiteral("stderr lacks \"%1\": ").arg(phrase) + explain(r)))

#define PARSE_JSON(var, bytes)                                                                     \
    const json var = json::parse((bytes).toStdString(), nullptr, false);                           \
    QVERIFY2(!var.is_discarded(),                                                                  \
             qPrintable("not valid JSON:\n" + QString::fromUtf8((bytes).left(4000))))

fs::path dirPath(const QTemporaryDir &dir)
{
    return fs::path(dir.path().toStdString());
}

// Every record of a CSV file (header included), read with the project's RFC 4180 reader so
// quoted commas and line breaks count right. A missing or malformed file fails the test.
std::vector<std::vector<std::string>> csvRecords(const fs::path &path)
{
    std::vector<std::vector<std::string>> records;
    auto reader = CsvReader::open(path);
    if (!reader) {
        QTest::qFail(("cannot read " + path.string() + ": " + reader.error().message).c_str(),
                     __FILE__, __LINE__);
        return records;
    }
    std::vector<CsvField> fields;
    for (;;) {
        auto more = (*reader)->next(fields);
        if (!more) {
            QTest::qFail((path.string() + ": " + more.error().message).c_str(), __FILE__, __LINE__);
            return records;
        }
        if (!*more)
            break;
        std::vector<std::string> record;
        for (const auto &f : fields)
            record.emplace_back(f.text);
        records.push_back(std::move(record));
    }
    return records;
}

// Relative path → SHA-256 of every file under a folder, to prove nothing was touched.
std::map<std::string, QByteArray> hashTree(const fs::path &dir)
{
    std::map<std::string, QByteArray> hashes;
    for (const auto &e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file())
            continue;
        const std::string content = test::readFile(e.path());
        hashes[fs::relative(e.path(), dir).string()] =
            QCryptographicHash::hash(QByteArrayView(content.data(), qsizetype(content.size())),
                                     QCryptographicHash::Sha256)
                .toHex();
    }
    return hashes;
}

QString treeDiff(const std::map<std::string, QByteArray> &before,
                 const std::map<std::string, QByteArray> &after)
{
    QString diff;
    for (const auto &[name, hash] : before) {
        auto it = after.find(name);
        if (it == after.end())
            diff += QString::fromStdString("removed: " + name + "\n");
        else if (it->second != hash)
            diff += QString::fromStdString("changed: " + name + "\n");
    }
    for (const auto &[name, hash] : after) {
        if (!before.count(name))
            diff += QString::fromStdString("added: " + name + "\n");
    }
    return diff;
}

void copyTree(const fs::path &from, const fs::path &to)
{
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

void execSql(const fs::path &db, const std::string &sql)
{
    auto conn = SqliteDb::open(db, SqliteDb::Mode::ReadWriteCreate);
    if (!conn) {
        QTest::qFail(("cannot open " + db.string() + ": " + conn.error().message).c_str(), __FILE__,
                     __LINE__);
        return;
    }
    if (auto r = conn->exec(sql); !r)
        QTest::qFail((sql + ": " + r.error().message).c_str(), __FILE__, __LINE__);
}

// A config with one SQLite source (a file next to the workspace), one CSV destination folder
// "exports" and one sync mapping each listed column to a field of the same name.
json singleSyncConfig(const std::string &dbFile, const std::string &sql, const std::string &key,
                      const std::vector<std::string> &columns, const std::string &syncName,
                      const std::string &mode, const std::string &csvFormat)
{
    json mapping = json::array();
    for (const auto &c : columns)
        mapping.push_back({{"column", c}, {"field", c}});
    return {{"sluice_config", 1},
            {"connections",
             {{{"name", "Test source"},
               {"role", "source"},
               {"kind", "sqlite"},
               {"settings", {{"path", dbFile}}}},
              {{"name", "Test files"},
               {"role", "destination"},
               {"kind", "csv"},
               {"settings", {{"folder", "exports"}, {"format", csvFormat}}}}}},
            {"models",
             {{{"name", syncName + " model"},
               {"source", "Test source"},
               {"sql", sql},
               {"primary_key", key}}}},
            {"syncs",
             {{{"name", syncName},
               {"model", syncName + " model"},
               {"destination", "Test files"},
               {"object", syncName + ".csv"},
               {"mode", mode},
               {"key_field", key},
               {"mapping", mapping}}}}};
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QString m_cli;
    QTemporaryDir m_home; // HOME and XDG_DATA_HOME, so nothing can reach the real user's data
    QTemporaryDir m_demo; // the demo workspace, built once, copied by tests that change it

    CliResult cli(const QStringList &args, int timeoutMs = 60000, const QByteArray &input = {})
    {
        CliResult r;
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(m_cli, args);
        if (!p.waitForStarted(10000)) {
            r.problem = "could not start " + m_cli + ": " + p.errorString();
            return r;
        }
        if (!input.isNull()) {
            p.write(input);
            p.closeWriteChannel();
        }
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            r.problem = QStringLiteral("timed out after %1 ms").arg(timeoutMs);
        } else if (p.exitStatus() != QProcess::NormalExit) {
            r.problem = "crashed: " + p.errorString();
        } else {
            r.exitCode = p.exitCode();
        }
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    CliResult cli(const fs::path &workspace, QStringList args, int timeoutMs = 60000)
    {
        args.prepend(QString::fromStdString(workspace.string()));
        args.prepend("--workspace");
        return cli(args, timeoutMs);
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("SLUICE_WORKSPACE");
        env.insert("HOME", m_home.path());
        env.insert("XDG_DATA_HOME", m_home.path() + "/data");
        return env;
    }

    // A private copy of the demo: <dir>/ws.sluice, <dir>/acme.db.
    fs::path demoCopy(const QTemporaryDir &dir)
    {
        copyTree(dirPath(m_demo), dirPath(dir));
        return dirPath(dir) / "ws.sluice";
    }

    // The model's rows as JSON objects, all of them.
    json previewAll(const fs::path &ws, const QString &model)
    {
        const CliResult r = cli(ws, {"preview", model, "--limit", "1000000", "--format", "json"});
        if (r.exitCode != 0) {
            QTest::qFail(qPrintable("preview failed: " + explain(r)), __FILE__, __LINE__);
            return json::array();
        }
        return json::parse(r.out.toStdString(), nullptr, false);
    }

    json runsJson(const fs::path &ws, const QString &sync)
    {
        const CliResult r = cli(ws, {"runs", sync, "--json"});
        if (r.exitCode != 0) {
            QTest::qFail(qPrintable("runs failed: " + explain(r)), __FILE__, __LINE__);
            return json::array();
        }
        return json::parse(r.out.toStdString(), nullptr, false);
    }

    static void checkRunObject(const json &run)
    {
        QVERIFY2(run.is_object(), run.dump().c_str());
        for (const char *key : {"run_id", "status", "added", "changed", "removed", "unchanged",
                                "rejected", "duration_ms"})
            QVERIFY2(run.contains(key),
                     (std::string("no \"") + key + "\" in " + run.dump()).c_str());
        for (const char *key :
             {"run_id", "added", "changed", "removed", "unchanged", "rejected", "duration_ms"})
            QVERIFY2(run[key].is_number_integer() && run[key].get<std::int64_t>() >= 0,
                     (std::string(key) + " in " + run.dump()).c_str());
        QVERIFY(run["status"].is_string());
    }

private slots:
    void initTestCase();
    void helpListsEveryCommand();
    void version();
    void usageErrors_data();
    void usageErrors();
    void missingWorkspaceIsNotCreated();
    void listShowsSyncsAndLastStatus();
    void preview_data();
    void preview();
    void previewUnknownModel();
    void runSendsOnlyWhatChanged();
    void dryRunWritesNothing();
    void runsListsNewestFirst();
    void exportImportRoundTrip();
    void importConfigErrors();
    void rejectedRecordsExitOne();
    void mirrorGuardFailsThenAllowDeletes();
    void duplicateKeyFails();
    void sigintCancelsCleanly();
};

void TestCli::initTestCase()
{
    m_cli = qEnvironmentVariable("SLUICE_CLI");
    if (m_cli.isEmpty())
        QFAIL("SLUICE_CLI is not set: run this test through CTest (tests/CMakeLists.txt sets it "
              "to the sluice-cli binary), or set SLUICE_CLI=/path/to/sluice-cli.");
    QVERIFY2(QFileInfo(m_cli).isExecutable(),
             qPrintable("SLUICE_CLI=" + m_cli + " is not an executable file"));
    QVERIFY(m_home.isValid());
    QVERIFY(m_demo.isValid());

    const fs::path ws = dirPath(m_demo) / "ws.sluice";
    const CliResult r = cli(ws, {"init-demo"});
    EXPECT_EXIT(r, 0);
    QVERIFY(fs::exists(ws));
    QVERIFY(fs::exists(dirPath(m_demo) / "acme.db"));
    QVERIFY2(r.out.contains("At-risk customers"), qPrintable(explain(r)));
}

void TestCli::helpListsEveryCommand()
{
    const CliResult r = cli(QStringList{"--help"});
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(explain(r)));
    for (const char *command :
         {"init-demo", "list", "preview", "run", "runs", "export-config", "import-config"}) {
        const QRegularExpression line(QStringLiteral("\\n  %1( |\\n)").arg(command));
        QVERIFY2(QString::fromUtf8(r.out).contains(line),
                 qPrintable(QStringLiteral("--help does not list %1:\n").arg(command) + r.out));
    }
    for (const char *option : {"--workspace", "--dry-run", "--json", "--allow-deletes",
                               "--full-resync", "--limit", "--format", "Exit status"})
        QVERIFY2(r.out.contains(option), option);

    // The short spellings, and --help after a command, print the same text.
    for (const QStringList &alias :
         {QStringList{"-h"}, QStringList{"help"}, QStringList{"run", "--help"}}) {
        const CliResult a = cli(alias);
        EXPECT_EXIT(a, 0);
        QCOMPARE(a.out, r.out);
    }
}

void TestCli::version()
{
    const CliResult r = cli(QStringList{"--version"});
    EXPECT_EXIT(r, 0);
    const QRegularExpression re("^sluice-cli \\d+\\.\\d+\\.\\d+\\S*\\n$");
    QVERIFY2(re.match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
    QVERIFY(r.err.isEmpty());
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("withWorkspace"); // prepend --workspace <demo copy>
    QTest::addColumn<QString>("phrase");

    QTest::newRow("no command") << QStringList{} << false << "no command";
    QTest::newRow("no command after workspace") << QStringList{} << true << "no command";
    QTest::newRow("unknown command")
        << QStringList{"frobnicate"} << true << "unknown command 'frobnicate'";
    QTest::newRow("unknown global option")
        << QStringList{"--frob", "list"} << false << "unknown option --frob";
    QTest::newRow("unknown command option")
        << QStringList{"list", "--frob"} << true << "unknown option --frob";
    QTest::newRow("workspace without value")
        << QStringList{"--workspace"} << false << "--workspace needs a path";
    QTest::newRow("workspace= empty")
        << QStringList{"--workspace=", "list"} << false << "--workspace needs a path";
    // An empty path used to abort init-demo with an uncaught std::filesystem exception.
    QTest::newRow("workspace '' init-demo")
        << QStringList{"--workspace", "", "init-demo"} << false << "--workspace needs a path";
    QTest::newRow("preview without model")
        << QStringList{"preview"} << true << "preview needs exactly one model name";
    QTest::newRow("preview two models")
        << QStringList{"preview", "a", "b"} << true << "preview needs exactly one model name";
    QTest::newRow("preview --limit abc")
        << QStringList{"preview", "at_risk_accounts", "--limit", "abc"} << true
        << "--limit needs a whole number of rows, not 'abc'";
    QTest::newRow("preview --limit 3x") << QStringList{"preview", "at_risk_accounts", "--limit=3x"}
                                        << true << "--limit needs a whole number of rows, not '3x'";
    QTest::newRow("preview --limit -1")
        << QStringList{"preview", "at_risk_accounts", "--limit", "-1"} << true
        << "--limit needs a whole number";
    QTest::newRow("preview --limit without value")
        << QStringList{"preview", "at_risk_accounts", "--limit"} << true << "--limit needs a value";
    QTest::newRow("preview --format xml")
        << QStringList{"preview", "at_risk_accounts", "--format", "xml"} << true
        << "--format must be table, csv or json, not 'xml'";
    QTest::newRow("run without sync")
        << QStringList{"run"} << true << "run needs exactly one sync name";
    QTest::newRow("run --json=yes")
        << QStringList{"run", kAtRisk, "--json=yes"} << true << "unknown option --json=yes";
    QTest::newRow("runs --limit abc")
        << QStringList{"runs", kAtRisk, "--limit", "abc"} << true << "--limit needs a whole number";
    QTest::newRow("runs --limit 1abc") << QStringList{"runs", kAtRisk, "--limit", "1abc"} << true
                                       << "--limit needs a whole number";
    QTest::newRow("runs --limit -1")
        << QStringList{"runs", kAtRisk, "--limit=-1"} << true << "--limit needs a whole number";
    QTest::newRow("export-config without sync")
        << QStringList{"export-config"} << true << "export-config needs exactly one sync name";
    QTest::newRow("import-config without file")
        << QStringList{"import-config"} << true << "import-config needs exactly one file";
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(bool, withWorkspace);
    QFETCH(QString, phrase);

    QTemporaryDir dir;
    QStringList full = args;
    if (withWorkspace)
        full = QStringList{"--workspace", QString::fromStdString(demoCopy(dir).string())} + args;
    const auto before = hashTree(dirPath(dir));
    const CliResult r = cli(full);
    EXPECT_EXIT(r, 64);
    QVERIFY2(r.out.isEmpty(), qPrintable(explain(r)));
    EXPECT_ERR(r, phrase.toUtf8());
    EXPECT_ERR(r, "sluice-cli --help");
    QVERIFY2(treeDiff(before, hashTree(dirPath(dir))).isEmpty(), "a usage error changed files");
}

void TestCli::missingWorkspaceIsNotCreated()
{
    QTemporaryDir dir;
    const fs::path ws = dirPath(dir) / "nowhere" / "ws.sluice";
    for (const QStringList &args :
         {QStringList{"list"}, QStringList{"list", "--json"}, QStringList{"run", kAtRisk},
          QStringList{"runs", kAtRisk}, QStringList{"preview", "at_risk_accounts"},
          QStringList{"export-config", kAtRisk}}) {
        const CliResult r = cli(ws, args);
        EXPECT_EXIT(r, 2);
        QVERIFY2(r.out.isEmpty(), qPrintable(explain(r)));
        EXPECT_ERR(r, "There is no workspace at");
        EXPECT_ERR(r, QByteArray::fromStdString(ws.string()));
        EXPECT_ERR(r, "init-demo");
        QVERIFY2(!fs::exists(ws), "the missing workspace was created");
        QVERIFY2(!fs::exists(ws.parent_path()), "the missing workspace's folder was created");
    }
}

void TestCli::listShowsSyncsAndLastStatus()
{
    QTemporaryDir dir;
    const fs::path ws = demoCopy(dir);

    CliResult r = cli(ws, {"list", "--json"});
    EXPECT_EXIT(r, 0);
    {
        PARSE_JSON(list, r.out);
        QVERIFY(list.is_array());
        QCOMPARE(list.size(), std::size_t(3));
        std::set<std::string> names;
        for (const auto &s : list) {
            for (const char *key : {"name", "source", "destination", "mode", "last_status"})
                QVERIFY2(s.contains(key), (std::string("no ") + key + " in " + s.dump()).c_str());
            QVERIFY2(s["last_status"].is_null(), s.dump().c_str());
            QCOMPARE(s["source"].get<std::string>(), std::string("Acme warehouse"));
            names.insert(s["name"].get<std::string>());
            if (s["name"] == kAtRisk) {
                QCOMPARE(s["destination"].get<std::string>(), std::string("Exports (snapshot)"));
                QCOMPARE(s["mode"].get<std::string>(), std::string("mirror"));
            } else if (s["name"] == "Marketing contacts") {
                QCOMPARE(s["destination"].get<std::string>(), std::string("Exports (change log)"));
                QCOMPARE(s["mode"].get<std::string>(), std::string("upsert"));
            }
        }
        QCOMPARE(names,
                 (std::set<std::string>{kAtRisk, "Upsell candidates", "Marketing contacts"}));
    }

    r = cli(ws, {"list"});
    EXPECT_EXIT(r, 0);
    for (const char *name : {kAtRisk, "Upsell candidates", "Marketing contacts", "never"})
        QVERIFY2(r.out.contains(name), qPrintable(explain(r)));

    EXPECT_EXIT(cli(ws, {"run", kAtRisk, "--json"}), 0);

    r = cli(ws, {"list", "--json"});
    EXPECT_EXIT(r, 0);
    PARSE_JSON(after, r.out);
    QCOMPARE(after.size(), std::size_t(3));
    for (const auto &s : after) {
        if (s["name"] == kAtRisk)
            QCOMPARE(s["last_status"], json("succeeded"));
        else
            QVERIFY2(s["last_status"].is_null(), s.dump().c_str()); // the others never ran
    }
    r = cli(ws, {"list"});
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.out.contains("last run: succeeded at"), qPrintable(explain(r)));
}

void TestCli::preview_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("table") << "table";
    QTest::newRow("csv") << "csv";
    QTest::newRow("json") << "json";
}

void TestCli::preview()
{
    QFETCH(QString, format);
    const fs::path ws = dirPath(m_demo) / "ws.sluice"; // preview only reads
    const json all = previewAll(ws, "at_risk_accounts");
    QVERIFY(all.is_array());
    QVERIFY2(all.size() > 3, "the demo's at-risk model should have more than 3 rows");
    std::vector<std::string> firstKeys;
    for (int i = 0; i < 3; ++i)
        firstKeys.push_back(std::to_string(all[i]["account_id"].get<std::int64_t>()));

    const CliResult r =
        cli(ws, {"preview", "at_risk_accounts", "--limit", "3", "--format", format});
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(explain(r)));

    if (format == "json") {
        PARSE_JSON(rows, r.out);
        QVERIFY(rows.is_array());
        QCOMPARE(rows.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QVERIFY(rows[i].is_object());
            QStringList keys;
            for (const auto &[k, v] : rows[i].items())
                keys << QString::fromStdString(k);
            keys.sort();
            QStringList expected = kAtRiskColumns;
            expected.sort();
            QCOMPARE(keys, expected);
            QCOMPARE(rows[i], all[i]); // the first rows, exactly, with their JSON types
        }
        QVERIFY(rows[0]["account_id"].is_number_integer());
        QVERIFY(rows[0]["name"].is_string());
    } else if (format == "csv") {
        auto reader = CsvReader::fromString(r.out.toStdString());
        std::vector<std::vector<std::string>> records;
        std::vector<CsvField> fields;
        for (;;) {
            auto more = reader->next(fields);
            QVERIFY2(more.has_value(), more ? "" : more.error().message.c_str());
            if (!*more)
                break;
            std::vector<std::string> rec;
            for (const auto &f : fields)
                rec.emplace_back(f.text);
            records.push_back(rec);
        }
        QCOMPARE(records.size(), std::size_t(4)); // header + 3
        QStringList header;
        for (const auto &h : records[0])
            header << QString::fromStdString(h);
        QCOMPARE(header, kAtRiskColumns);
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(records[i + 1].size(), std::size_t(kAtRiskColumns.size()));
            QCOMPARE(records[i + 1][0], firstKeys[i]);
            QCOMPARE(records[i + 1][1], all[i]["name"].get<std::string>());
        }
    } else {
        const QStringList lines = QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts);
        // header, separator, 3 rows, "(3 rows, limited by --limit)"
        QCOMPARE(lines.size(), 6);
        for (const QString &col : kAtRiskColumns)
            QVERIFY2(lines[0].contains(col), qPrintable(lines[0]));
        QVERIFY2(QRegularExpression("^-+(-\\+-+)+$").match(lines[1]).hasMatch(),
                 qPrintable(lines[1]));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(lines[2 + i].startsWith(QString::fromStdString(firstKeys[i]) + " "),
                     qPrintable(lines[2 + i]));
        QCOMPARE(lines[5], QStringLiteral("(3 rows, limited by --limit)"));
    }
}

void TestCli::previewUnknownModel()
{
    const fs::path ws = dirPath(m_demo) / "ws.sluice";
    const CliResult r = cli(ws, {"preview", "no_such_model"});
    EXPECT_EXIT(r, 2);
    QVERIFY(r.out.isEmpty());
    EXPECT_ERR(r, "no model named \"no_such_model\"");
    EXPECT_ERR(r, "sluice-cli list");

    // A sync name is not a model name; the message must not pretend otherwise.
    const CliResult s = cli(ws, {"preview", kAtRisk});
    EXPECT_EXIT(s, 2);
    EXPECT_ERR(s, "no model named");
}

void TestCli::runSendsOnlyWhatChanged()
{
    QTemporaryDir dir;
    const fs::path ws = demoCopy(dir);
    const fs::path csv = dirPath(dir) / "exports" / "at_risk_customers.csv";
    const json model = previewAll(ws, "at_risk_accounts");
    QVERIFY(model.is_array());
    const std::int64_t n = static_cast<std::int64_t>(model.size());
    QVERIFY(n > 0);

    // First run: every row is added and lands in the CSV file.
    CliResult r = cli(ws, {"run", kAtRisk, "--json"});
    EXPECT_EXIT(r, 0);
    {
        PARSE_JSON(run, r.out);
        checkRunObject(run);
        QCOMPARE(run["status"], json("succeeded"));
        QCOMPARE(run["added"].get<std::int64_t>(), n);
        QCOMPARE(run["changed"].get<std::int64_t>(), 0);
        QCOMPARE(run["removed"].get<std::int64_t>(), 0);
        QCOMPARE(run["rejected"].get<std::int64_t>(), 0);
        QVERIFY(run["run_id"].get<std::int64_t>() > 0);
    }
    QVERIFY2(fs::exists(csv), csv.c_str());
    auto records = csvRecords(csv);
    QCOMPARE(static_cast<std::int64_t>(records.size()), n + 1);
    QCOMPARE(records[0][0], std::string("account_id"));
    QCOMPARE(records[0][1], std::string("Account"));
    QCOMPARE(records[0][6], std::string("Health score"));
    std::set<std::string> csvKeys, modelKeys;
    for (std::size_t i = 1; i < records.size(); ++i)
        csvKeys.insert(records[i][0]);
    for (const auto &row : model)
        modelKeys.insert(std::to_string(row["account_id"].get<std::int64_t>()));
    QCOMPARE(csvKeys, modelKeys);
    const std::string firstFile = test::readFile(csv);

    // Nothing changed: nothing is sent, and the file is the same.
    r = cli(ws, {"run", kAtRisk, "--json"});
    EXPECT_EXIT(r, 0);
    {
        PARSE_JSON(run, r.out);
        checkRunObject(run);
        QCOMPARE(run["status"], json("succeeded"));
        QCOMPARE(run["added"].get<std::int64_t>(), 0);
        QCOMPARE(run["changed"].get<std::int64_t>(), 0);
        QCOMPARE(run["removed"].get<std::int64_t>(), 0);
        QCOMPARE(run["unchanged"].get<std::int64_t>(), n);
    }
    QVERIFY(test::readFile(csv) == firstFile);

    // One account's health score moves but it stays at risk (under 40): exactly one change.
    const std::int64_t account = model[n / 2]["account_id"].get<std::int64_t>();
    const std::int64_t oldScore = model[n / 2]["health_score"].get<std::int64_t>();
    const std::int64_t newScore = oldScore == 7 ? 8 : 7;
    execSql(dirPath(dir) / "acme.db",
            "UPDATE accounts SET health_score = " + std::to_string(newScore) +
                " WHERE account_id = " + std::to_string(account));
    r = cli(ws, {"run", kAtRisk, "--json"});
    EXPECT_EXIT(r, 0);
    {
        PARSE_JSON(run, r.out);
        QCOMPARE(run["status"], json("succeeded"));
        QCOMPARE(run["added"].get<std::int64_t>(), 0);
        QCOMPARE(run["changed"].get<std::int64_t>(), 1);
        QCOMPARE(run["removed"].get<std::int64_t>(), 0);
        QCOMPARE(run["unchanged"].get<std::int64_t>(), n - 1);
    }
    records = csvRecords(csv);
    QCOMPARE(static_cast<std::int64_t>(records.size()), n + 1);
    bool found = false;
    for (const auto &rec : records) {
        if (rec[0] == std::to_string(account)) {
            found = true;
            QCOMPARE(rec[6], std::to_string(newScore));
        }
    }
    QVERIFY(found);

    // The human-readable form says the same on stdout.
    r = cli(ws, {"run", kAtRisk});
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.out.contains("succeeded") && r.out.contains(QByteArray::number(n) + " unchanged"),
             qPrintable(explain(r)));

    // An unknown sync is a failure with a pointer to `list`.
    r = cli(ws, {"run", "No such sync", "--json"});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, "no sync named \"No such sync\"");
    EXPECT_ERR(r, "sluice-cli list");
}

void TestCli::dryRunWritesNothing()
{
    QTemporaryDir dir;
    const fs::path ws = demoCopy(dir);
    const fs::path exports = dirPath(dir) / "exports";

    // Before any run: the plan adds every row and shows samples; nothing is written.
    auto before = hashTree(dirPath(dir));
    QCOMPARE(runsJson(ws, kAtRisk).size(), std::size_t(0));
    CliResult r = cli(ws, {"run", kAtRisk, "--dry-run", "--json"});
    EXPECT_EXIT(r, 0);
    std::int64_t n = 0;
    {
        PARSE_JSON(plan, r.out);
        checkRunObject(plan);
        QCOMPARE(plan["status"], json("planned"));
        QCOMPARE(plan["dry_run"], json(true));
        n = plan["added"].get<std::int64_t>();
        QVERIFY(n > 0);
        QVERIFY(plan.contains("samples") && plan["samples"].is_array());
        QVERIFY(!plan["samples"].empty());
        QVERIFY(plan["samples"].size() <= std::size_t(n));
        for (const auto &s : plan["samples"]) {
            QCOMPARE(s["kind"], json("added"));
            QVERIFY(s["key"].is_string() && !s["key"].get<std::string>().empty());
            QVERIFY2(s["values"].contains("Account") && s["values"].contains("Why at risk"),
                     s.dump().c_str());
        }
    }
    QVERIFY2(treeDiff(before, hashTree(dirPath(dir))).isEmpty(),
             qPrintable("a dry run changed files:\n" + treeDiff(before, hashTree(dirPath(dir)))));
    QVERIFY2(!fs::exists(exports), "a dry run created the exports folder");
    QCOMPARE(runsJson(ws, kAtRisk).size(), std::size_t(0));

    // The plain-text plan says the same.
    r = cli(ws, {"run", kAtRisk, "--dry-run"});
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.out.contains("nothing was written") &&
                 r.out.contains("would add:    " + QByteArray::number(n)),
             qPrintable(explain(r)));
    QVERIFY(treeDiff(before, hashTree(dirPath(dir))).isEmpty());

    // After a real run and one change upstream: the plan shows exactly that change, and again
    // touches neither the workspace, the warehouse nor the CSV file.
    EXPECT_EXIT(cli(ws, {"run", kAtRisk, "--json"}), 0);
    const json model = previewAll(ws, "at_risk_accounts");
    const std::int64_t account = model[0]["account_id"].get<std::int64_t>();
    execSql(dirPath(dir) / "acme.db",
            "UPDATE accounts SET health_score = CASE WHEN health_score = 3 THEN 4 ELSE 3 END "
            "WHERE account_id = " +
                std::to_string(account));
    const std::size_t runsBefore = runsJson(ws, kAtRisk).size();
    QCOMPARE(runsBefore, std::size_t(1));
    before = hashTree(dirPath(dir));
    r = cli(ws, {"run", kAtRisk, "--dry-run", "--json"});
    EXPECT_EXIT(r, 0);
    {
        PARSE_JSON(plan, r.out);
        QCOMPARE(plan["status"], json("planned"));
        QCOMPARE(plan["added"].get<std::int64_t>(), 0);
        QCOMPARE(plan["changed"].get<std::int64_t>(), 1);
        QCOMPARE(plan["removed"].get<std::int64_t>(), 0);
        QCOMPARE(plan["unchanged"].get<std::int64_t>(), n - 1);
        QCOMPARE(plan["samples"].size(), std::size_t(1));
        QCOMPARE(plan["samples"][0]["kind"], json("changed"));
        QCOMPARE(plan["samples"][0]["key"], json(std::to_string(account)));
    }
    QVERIFY2(treeDiff(before, hashTree(dirPath(dir))).isEmpty(),
             qPrintable("a dry run changed files:\n" + treeDiff(before, hashTree(dirPath(dir)))));
    QCOMPARE(runsJson(ws, kAtRisk).size(), runsBefore);

    // …and the real run that follows still sends that change (the dry run did not consume it).
    r = cli(ws, {"run", kAtRisk, "--json"});
    EXPECT_EXIT(r, 0);
    PARSE_JSON(run, r.out);
    QCOMPARE(run["changed"].get<std::int64_t>(), 1);
}

void TestCli::runsListsNewestFirst()
{
    QTemporaryDir dir;
    const fs::path ws = demoCopy(dir);

    CliResult r = cli(ws, {"runs", kAtRisk});
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.out.contains("has not run yet"), qPrintable(explain(r)));

    std::vector<std::int64_t> ids;
    for (int i = 0; i < 3; ++i) {
        r = cli(ws, {"run", kAtRisk, "--json"});
        EXPECT_EXIT(r, 0);
        PARSE_JSON(run, r.out);
        ids.push_back(run["run_id"].get<std::int64_t>());
    }
    QVERIFY(ids[0] < ids[1] && ids[1] < ids[2]);

    const json runs = runsJson(ws, kAtRisk);
    QVERIFY(runs.is_array());
    QCOMPARE(runs.size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        checkRunObject(runs[i]);
        QCOMPARE(runs[i]["run_id"].get<std::int64_t>(), ids[2 - i]);
        QCOMPARE(runs[i]["status"], json("succeeded"));
        QVERIFY2(runs[i].contains("rejected_records") && runs[i]["rejected_records"].is_array() &&
                     runs[i]["rejected_records"].empty(),
                 runs[i].dump().c_str());
    }
    QVERIFY(runs[2]["added"].get<std::int64_t>() > 0); // the oldest added everything
    QCOMPARE(runs[0]["added"].get<std::int64_t>(), 0); // the newest had nothing to add

    r = cli(ws, {"runs", kAtRisk, "--json", "--limit", "1"});
    EXPECT_EXIT(r, 0);
    PARSE_JSON(one, r.out);
    QCOMPARE(one.size(), std::size_t(1));
    QCOMPARE(one[0]["run_id"].get<std::int64_t>(), ids[2]);

    r = cli(ws, {"runs", kAtRisk});
    EXPECT_EXIT(r, 0);
    QCOMPARE(QString::fromUtf8(r.out).count("succeeded"), 3);

    r = cli(ws, {"runs", "No such sync"});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, "no sync named \"No such sync\"");
}

void TestCli::exportImportRoundTrip()
{
    const fs::path demoWs = dirPath(m_demo) / "ws.sluice";
    CliResult r = cli(demoWs, {"export-config", kAtRisk});
    EXPECT_EXIT(r, 0);
    const QByteArray exported = r.out;
    {
        PARSE_JSON(config, exported);
        QCOMPARE(config["sluice_config"], json(1));
        QCOMPARE(config["syncs"].size(), std::size_t(1));
        QCOMPARE(config["syncs"][0]["name"], json(kAtRisk));
        QCOMPARE(config["models"][0]["name"], json("at_risk_accounts"));
        QCOMPARE(config["connections"].size(), std::size_t(2));
    }

    QTemporaryDir dir;
    const fs::path file = dirPath(dir) / "at-risk.json";
    test::writeFile(file, exported.toStdString());

    // Into a workspace that does not exist yet: import-config creates it.
    const fs::path ws = dirPath(dir) / "fresh.sluice";
    r = cli(ws, {"import-config", QString::fromStdString(file.string())});
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.out.contains("Imported 2 connection(s), 1 model(s) and 1 sync(s)") &&
                 r.out.contains(kAtRisk),
             qPrintable(explain(r)));
    r = cli(ws, {"export-config", kAtRisk});
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, exported);

    // Importing again changes nothing.
    EXPECT_EXIT(cli(ws, {"import-config", QString::fromStdString(file.string())}), 0);
    r = cli(ws, {"list", "--json"});
    EXPECT_EXIT(r, 0);
    {
        PARSE_JSON(list, r.out);
        QCOMPARE(list.size(), std::size_t(1));
    }
    r = cli(ws, {"export-config", kAtRisk});
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, exported);

    // '-' reads standard input.
    const fs::path ws2 = dirPath(dir) / "stdin.sluice";
    r = cli({"--workspace", QString::fromStdString(ws2.string()), "import-config", "-"}, 60000,
            exported);
    EXPECT_EXIT(r, 0);
    r = cli(ws2, {"export-config", kAtRisk});
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, exported);

    r = cli(demoWs, {"export-config", "No such sync"});
    EXPECT_EXIT(r, 2);
    QVERIFY(r.out.isEmpty());
    EXPECT_ERR(r, "no sync named \"No such sync\"");
}

void TestCli::importConfigErrors()
{
    QTemporaryDir dir;
    const fs::path ws = demoCopy(dir);
    const fs::path bad = dirPath(dir) / "bad.json";
    test::writeFile(bad, "{\"sluice_config\": 1, \"connections\": [\n");
    const QString exportedBefore = QString::fromUtf8(cli(ws, {"export-config", kAtRisk}).out);

    CliResult r = cli(ws, {"import-config", QString::fromStdString(bad.string())});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, "Nothing was imported");
    EXPECT_ERR(r, "not valid JSON");

    // Valid JSON that is not a Sluice file, and a file with an error in its last entry: all or
    // nothing, and the message names what is wrong.
    test::writeFile(bad, "[1, 2, 3]");
    r = cli(ws, {"import-config", QString::fromStdString(bad.string())});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, "Nothing was imported");
    EXPECT_ERR(r, "sluice_config");

    json half = json::parse(exportedBefore.toStdString());
    half["syncs"][0]["name"] = "Copy of at-risk";
    half["syncs"][0]["mode"] = "teleport";
    test::writeFile(bad, half.dump());
    r = cli(ws, {"import-config", QString::fromStdString(bad.string())});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, "Nothing was imported");
    EXPECT_ERR(r, "teleport");
    r = cli(ws, {"list", "--json"});
    EXPECT_EXIT(r, 0);
    {
        PARSE_JSON(list, r.out);
        QCOMPARE(list.size(), std::size_t(3)); // the broken sync was not added
    }
    QCOMPARE(QString::fromUtf8(cli(ws, {"export-config", kAtRisk}).out), exportedBefore);

    const fs::path missing = dirPath(dir) / "missing.json";
    r = cli(ws, {"import-config", QString::fromStdString(missing.string())});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, QByteArray::fromStdString(missing.string()));
    EXPECT_ERR(r, "does not exist");

    // A failed import into a workspace that does not exist yet must not leave an empty
    // workspace behind: afterwards `list` should still say there is no workspace.
    const fs::path freshWs = dirPath(dir) / "fresh" / "ws.sluice";
    r = cli(freshWs, {"import-config", QString::fromStdString(missing.string())});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, "does not exist");
    QVERIFY2(!fs::exists(freshWs), "a failed import-config created an empty workspace");
    QVERIFY2(!fs::exists(freshWs.parent_path()), "a failed import-config left its folder behind");
}

void TestCli::rejectedRecordsExitOne()
{
    QTemporaryDir dir;
    const fs::path ws = demoCopy(dir);
    // Odd contacts have a date, even ones "not a date": the date transform rejects those five.
    const json config = {
        {"sluice_config", 1},
        {"connections",
         {{{"name", "Acme warehouse"},
           {"role", "source"},
           {"kind", "sqlite"},
           {"settings", {{"path", "acme.db"}}}},
          {{"name", "Dates out"},
           {"role", "destination"},
           {"kind", "csv"},
           {"settings", {{"folder", "exports"}, {"format", "changes"}}}}}},
        {"models",
         {{{"name", "contact_dates"},
           {"source", "Acme warehouse"},
           {"sql",
            "SELECT contact_id, CASE WHEN contact_id % 2 = 0 THEN 'not a date' ELSE "
            "'2024-01-31' END AS d FROM contacts WHERE contact_id <= 10 ORDER BY contact_id"},
           {"primary_key", "contact_id"}}}},
        {"syncs",
         {{{"name", "Contact dates"},
           {"model", "contact_dates"},
           {"destination", "Dates out"},
           {"object", "contact_dates.csv"},
           {"mode", "upsert"},
           {"key_field", "contact_id"},
           {"mapping",
            {{{"column", "contact_id"}, {"field", "contact_id"}},
             {{"column", "d"},
              {"field", "Day"},
              {"transforms", {{{"op", "date"}, {"format", "dd/MM/yyyy"}}}}}}}}}}};
    const fs::path file = dirPath(dir) / "dates.json";
    test::writeFile(file, config.dump(2));
    EXPECT_EXIT(cli(ws, {"import-config", QString::fromStdString(file.string())}), 0);
    QCOMPARE(previewAll(ws, "contact_dates").size(), std::size_t(10));

    CliResult r = cli(ws, {"run", "Contact dates", "--json"});
    EXPECT_EXIT(r, 1);
    std::int64_t runId = 0;
    {
        PARSE_JSON(run, r.out);
        checkRunObject(run);
        QCOMPARE(run["status"], json("partial"));
        QCOMPARE(run["added"].get<std::int64_t>(), 5);
        QCOMPARE(run["rejected"].get<std::int64_t>(), 5);
        QVERIFY2(run["error"].get<std::string>().find("rejected") != std::string::npos,
                 run.dump().c_str());
        runId = run["run_id"].get<std::int64_t>();
    }

    // Only the good rows reached the file, with the date reformatted.
    const auto records = csvRecords(dirPath(dir) / "exports" / "contact_dates.csv");
    QCOMPARE(records.size(), std::size_t(6));
    const auto &header = records[0];
    const auto keyCol = std::find(header.begin(), header.end(), "contact_id") - header.begin();
    const auto dayCol = std::find(header.begin(), header.end(), "Day") - header.begin();
    QVERIFY(keyCol < std::ptrdiff_t(header.size()) && dayCol < std::ptrdiff_t(header.size()));
    std::set<std::string> written;
    for (std::size_t i = 1; i < records.size(); ++i) {
        written.insert(records[i][keyCol]);
        QCOMPARE(records[i][dayCol], std::string("31/01/2024"));
    }
    QCOMPARE(written, (std::set<std::string>{"1", "3", "5", "7", "9"}));

    const json runs = runsJson(ws, "Contact dates");
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(runs[0]["run_id"].get<std::int64_t>(), runId);
    const json &rejected = runs[0]["rejected_records"];
    QVERIFY(rejected.is_array());
    QCOMPARE(rejected.size(), std::size_t(5));
    std::set<std::string> rejectedKeys;
    for (const auto &x : rejected) {
        rejectedKeys.insert(x["key"].get<std::string>());
        const std::string reason = x["reason"].get<std::string>();
        QVERIFY2(reason.find("not a date") != std::string::npos, reason.c_str());
        QVERIFY2(reason.find("Day") != std::string::npos, reason.c_str()); // names the field
    }
    QCOMPARE(rejectedKeys, (std::set<std::string>{"2", "4", "6", "8", "10"}));

    // Rejected rows are tried again on the next run, and the plain output points at them.
    r = cli(ws, {"run", "Contact dates"});
    EXPECT_EXIT(r, 1);
    QVERIFY2(r.out.contains("5 rejected"), qPrintable(explain(r)));
    EXPECT_ERR(r, "rejected");
    EXPECT_ERR(r, "sluice-cli runs \"Contact dates\" --json");

    r = cli(ws, {"list", "--json"});
    PARSE_JSON(list, r.out);
    bool found = false;
    for (const auto &s : list) {
        if (s["name"] == "Contact dates") {
            found = true;
            QCOMPARE(s["last_status"], json("partial"));
        }
    }
    QVERIFY(found);
}

void TestCli::mirrorGuardFailsThenAllowDeletes()
{
    QTemporaryDir dir;
    const fs::path ws = dirPath(dir) / "ws.sluice";
    const fs::path db = dirPath(dir) / "items.db";
    execSql(db, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT);"
                "INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three, with a comma');");
    const fs::path file = dirPath(dir) / "items.json";
    test::writeFile(file, singleSyncConfig("items.db", "SELECT id, name FROM items", "id",
                                           {"id", "name"}, "Items", "mirror", "snapshot")
                              .dump(2));
    EXPECT_EXIT(cli(ws, {"import-config", QString::fromStdString(file.string())}), 0);
    const fs::path csv = dirPath(dir) / "exports" / "Items.csv";

    CliResult r = cli(ws, {"run", "Items", "--json"});
    EXPECT_EXIT(r, 0);
    QCOMPARE(csvRecords(csv).size(), std::size_t(4));
    const std::string goodFile = test::readFile(csv);

    // The model suddenly returns nothing: deleting everything needs explicit consent.
    execSql(db, "DELETE FROM items");
    r = cli(ws, {"run", "Items"});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, "delete all 3 records");
    EXPECT_ERR(r, "Nothing was sent or deleted");
    EXPECT_ERR(r, "--allow-deletes");
    QVERIFY2(test::readFile(csv) == goodFile, "the guarded run changed the file");

    r = cli(ws, {"run", "Items", "--json"});
    EXPECT_EXIT(r, 2);
    {
        PARSE_JSON(run, r.out);
        checkRunObject(run);
        QCOMPARE(run["status"], json("failed"));
        QCOMPARE(run["removed"].get<std::int64_t>(), 0);
        QVERIFY2(run["error"].get<std::string>().find("delete all 3 records") != std::string::npos,
                 run.dump().c_str());
    }
    QVERIFY(test::readFile(csv) == goodFile);

    r = cli(ws, {"list", "--json"});
    {
        PARSE_JSON(list, r.out);
        QCOMPARE(list[0]["last_status"], json("failed"));
    }

    r = cli(ws, {"run", "Items", "--allow-deletes", "--json"});
    EXPECT_EXIT(r, 0);
    {
        PARSE_JSON(run, r.out);
        QCOMPARE(run["status"], json("succeeded"));
        QCOMPARE(run["removed"].get<std::int64_t>(), 3);
    }
    const auto records = csvRecords(csv);
    QCOMPARE(records.size(), std::size_t(1)); // the header only
    QCOMPARE(records[0], (std::vector<std::string>{"id", "name"}));
}

void TestCli::duplicateKeyFails()
{
    QTemporaryDir dir;
    const fs::path ws = dirPath(dir) / "ws.sluice";
    const fs::path db = dirPath(dir) / "dup.db";
    execSql(db, "CREATE TABLE people(id INTEGER, name TEXT);"
                "INSERT INTO people VALUES (1, 'a'), (2, 'b'), (2, 'c'), (3, 'd'), (41, 'x'), "
                "(41, 'y'), (41, 'z');");
    const fs::path file = dirPath(dir) / "dup.json";
    test::writeFile(file, singleSyncConfig("dup.db", "SELECT id, name FROM people", "id",
                                           {"id", "name"}, "People", "mirror", "snapshot")
                              .dump(2));
    EXPECT_EXIT(cli(ws, {"import-config", QString::fromStdString(file.string())}), 0);

    CliResult r = cli(ws, {"run", "People"});
    EXPECT_EXIT(r, 2);
    EXPECT_ERR(r, "\"id\" is not unique");
    EXPECT_ERR(r, "\"2\"");
    EXPECT_ERR(r, "\"41\"");
    EXPECT_ERR(r, "Nothing was sent");
    QVERIFY2(!fs::exists(dirPath(dir) / "exports" / "People.csv"), "a failed run wrote the file");

    r = cli(ws, {"run", "People", "--json"});
    EXPECT_EXIT(r, 2);
    PARSE_JSON(run, r.out);
    QCOMPARE(run["status"], json("failed"));
    QVERIFY2(run["error"].get<std::string>().find("not unique") != std::string::npos,
             run.dump().c_str());
}

void TestCli::sigintCancelsCleanly()
{
    QTemporaryDir dir;
    const fs::path ws = dirPath(dir) / "ws.sluice";
    const fs::path db = dirPath(dir) / "big.db";
    // Two million rows; the model shows as many as `knob` says, so the first run is small.
    execSql(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                "CREATE TABLE big(id INTEGER PRIMARY KEY, name TEXT, amount REAL);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000)"
                " INSERT INTO big SELECT i, 'name ' || i, i * 1.5 FROM n;"
                "CREATE TABLE knob(n INTEGER); INSERT INTO knob VALUES (1000);");
    const fs::path file = dirPath(dir) / "big.json";
    test::writeFile(file,
                    singleSyncConfig("big.db",
                                     "SELECT id, name, amount FROM big "
                                     "WHERE id <= (SELECT n FROM knob)",
                                     "id", {"id", "name", "amount"}, "Big", "mirror", "snapshot")
                        .dump(2));
    EXPECT_EXIT(cli(ws, {"import-config", QString::fromStdString(file.string())}), 0);
    const fs::path exports = dirPath(dir) / "exports";
    const fs::path csv = exports / "Big.csv";
    EXPECT_EXIT(cli(ws, {"run", "Big", "--json"}), 0);
    QCOMPARE(csvRecords(csv).size(), std::size_t(1001));
    const auto exportsBefore = hashTree(exports);

    execSql(db, "UPDATE knob SET n = 2000000");
    QProcess p;
    p.setProcessEnvironment(environment());
    p.start(m_cli, {"--workspace", QString::fromStdString(ws.string()), "run", "Big", "--json"});
    QVERIFY2(p.waitForStarted(10000), qPrintable(p.errorString()));
    QElapsedTimer sinceStart;
    sinceStart.start();
    // Signal only once the run is recorded as running, so the CLI has its handler in place
    // even on a loaded machine; and not before ~300 ms, so it is well into reading.
    bool running = false;
    while (!running && sinceStart.elapsed() < 20000 && p.state() == QProcess::Running) {
        const json runs = runsJson(ws, "Big");
        running = runs.is_array() && !runs.empty() && runs[0]["status"] == "running";
        if (!running)
            QThread::msleep(20);
    }
    QVERIFY2(running, qPrintable("the run never showed as running: " +
                                 QString::fromUtf8(p.readAllStandardError())));
    if (sinceStart.elapsed() < 300)
        QThread::msleep(static_cast<unsigned long>(300 - sinceStart.elapsed()));
    QVERIFY2(p.state() == QProcess::Running,
             "the 2,000,000-row run finished before it could be interrupted");
    const qint64 signalAt = sinceStart.elapsed();
    QCOMPARE(::kill(static_cast<pid_t>(p.processId()), SIGINT), 0);
    QElapsedTimer sinceSignal;
    sinceSignal.start();
    const bool finished = p.waitForFinished(15000);
    const qint64 stopMs = sinceSignal.elapsed();
    if (!finished) {
        p.kill();
        p.waitForFinished();
        QFAIL("sluice-cli did not stop within 15 s of SIGINT");
    }
    CliResult r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.problem = p.exitStatus() == QProcess::NormalExit ? QString() : "killed by the signal";
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    qInfo("SIGINT sent %lld ms after start; the CLI exited %lld ms later",
          static_cast<long long>(signalAt), static_cast<long long>(stopMs));
    QVERIFY2(stopMs < 2000, qPrintable(QStringLiteral("took %1 ms to stop").arg(stopMs)));
    EXPECT_EXIT(r, 2);
    {
        PARSE_JSON(run, r.out);
        checkRunObject(run);
        QCOMPARE(run["status"], json("cancelled"));
        QVERIFY2(run["error"].get<std::string>().find("Stopped") != std::string::npos,
                 run.dump().c_str());
    }
    // The previous file is intact and no half-written temporary file is left next to it.
    QVERIFY2(treeDiff(exportsBefore, hashTree(exports)).isEmpty(),
             qPrintable("the cancelled run changed the exports folder:\n" +
                        treeDiff(exportsBefore, hashTree(exports))));
    const json runs = runsJson(ws, "Big");
    QCOMPARE(runs[0]["status"], json("cancelled"));

    // Nothing is stuck: the next run sees exactly what the first one acknowledged.
    execSql(db, "UPDATE knob SET n = 1500");
    const CliResult next = cli(ws, {"run", "Big", "--json"});
    EXPECT_EXIT(next, 0);
    PARSE_JSON(run, next.out);
    QCOMPARE(run["added"].get<std::int64_t>(), 500);
    QCOMPARE(run["unchanged"].get<std::int64_t>(), 1000);
    QCOMPARE(csvRecords(csv).size(), std::size_t(1501));
}

QTEST_GUILESS_MAIN(TestCli)
#include "testcli.moc"

// The Acme demo warehouse: built from the embedded script, big enough to be interesting,
// identical on every build, never half-written at its final path, and the three demo models in
// the embedded workspace definitions find sensible, well-keyed rows in it.

#include "demo/demowarehouse.h"
#include "testutil.h"
#include "util/sqlite.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

using namespace sluice;
namespace fs = std::filesystem;

namespace {

const char *const kTables[] = {"accounts", "contacts", "subscriptions", "events",
                               "support_tickets"};

fs::path dirPath(const QTemporaryDir &dir)
{
    return fs::path(dir.path().toStdString());
}

SqliteDb openDb(const fs::path &path)
{
    auto db = SqliteDb::open(path, SqliteDb::Mode::ReadOnly);
    if (!db)
        qFatal("cannot open %s: %s", path.c_str(), db.error().message.c_str());
    return std::move(*db);
}

std::int64_t scalar(SqliteDb &db, const std::string &sql)
{
    auto st = db.prepare(sql);
    if (!st)
        qFatal("%s: %s", sql.c_str(), st.error().message.c_str());
    auto row = st->step();
    if (!row || !*row)
        qFatal("%s: no row", sql.c_str());
    return st->columnInt(0);
}

// A hash over every value of a table in key order, with type tags, so two builds compare equal
// only if every row, value and type is the same.
QByteArray tableHash(SqliteDb &db, const std::string &table)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto st = db.prepare("SELECT * FROM " + table + " ORDER BY 1");
    if (!st)
        qFatal("%s", st.error().message.c_str());
    std::int64_t rows = 0;
    for (;;) {
        auto more = st->step();
        if (!more)
            qFatal("%s", more.error().message.c_str());
        if (!*more)
            break;
        ++rows;
        for (int c = 0; c < st->columnCount(); ++c) {
            const int type = sqlite3_column_type(st->handle(), c);
            const char tag = static_cast<char>('0' + type);
            hash.addData(QByteArrayView(&tag, 1));
            const auto text = st->columnTextView(c); // REALs as SQLite prints them: exact enough
            hash.addData(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
            hash.addData(QByteArrayView("\x1f", 1));
        }
        hash.addData(QByteArrayView("\x1e", 1));
    }
    hash.addData(QByteArray::number(rows));
    return hash.result();
}

struct ModelRun
{
    std::vector<std::string> columns;
    std::int64_t rows = 0;
    std::int64_t nullKeys = 0;
    std::int64_t duplicateKeys = 0;
    std::vector<std::map<std::string, std::string>> sample; // every row, as text (NULL -> "")
};

ModelRun runModel(SqliteDb &db, const std::string &sql, const std::string &primaryKey)
{
    ModelRun run;
    auto st = db.prepare(sql);
    if (!st)
        qFatal("model SQL does not prepare: %s", st.error().message.c_str());
    int keyIndex = -1;
    for (int c = 0; c < st->columnCount(); ++c) {
        run.columns.emplace_back(sqlite3_column_name(st->handle(), c));
        if (run.columns.back() == primaryKey)
            keyIndex = c;
    }
    if (keyIndex < 0)
        return run;
    std::set<std::string> keys;
    for (;;) {
        auto more = st->step();
        if (!more)
            qFatal("model SQL fails: %s", more.error().message.c_str());
        if (!*more)
            break;
        ++run.rows;
        if (st->columnIsNull(keyIndex))
            ++run.nullKeys;
        else if (!keys.insert(st->columnText(keyIndex)).second)
            ++run.duplicateKeys;
        std::map<std::string, std::string> row;
        for (int c = 0; c < st->columnCount(); ++c)
            row[run.columns[static_cast<std::size_t>(c)]] = st->columnText(c);
        run.sample.push_back(std::move(row));
    }
    return run;
}

std::vector<std::string> filesIn(const fs::path &dir)
{
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator(dir))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

class TestDemoWarehouse : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void hasAllTablesAndEnoughRows();
    void dataIsConsistent();
    void buildsAreIdentical();
    void demoModelsFindSensibleRows();
    void demoSyncsReferToTheirModelsAndColumns();
    void replacesAnExistingFile();
    void createsMissingFolders();
    void refusesAFolderAsTarget();
    void reportsAnUnwritableFolder();
    void configIsTheEmbeddedFile();

private:
    QTemporaryDir m_dir;
    fs::path m_db;
};

void TestDemoWarehouse::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = dirPath(m_dir) / "acme.db";
    QElapsedTimer timer;
    timer.start();
    auto r = createDemoWarehouse(m_db);
    QVERIFY2(r.has_value(), r ? "" : (r.error().message + " / " + r.error().detail).c_str());
    qInfo("demo warehouse built in %lld ms", static_cast<long long>(timer.elapsed()));
    // Only the finished file is left: no temporary or journal files next to it.
    QCOMPARE(filesIn(dirPath(m_dir)), std::vector<std::string>{"acme.db"});
}

void TestDemoWarehouse::hasAllTablesAndEnoughRows()
{
    auto db = openDb(m_db);
    for (const char *table : kTables)
        QVERIFY2(scalar(db, std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                        "AND name = '") +
                                table + "'") == 1,
                 table);
    for (const char *view : {"v_account_usage_30d", "v_account_tickets", "v_current_subscription"})
        QVERIFY2(scalar(db, std::string("SELECT count(*) FROM ") + view) > 0, view);

    const auto accounts = scalar(db, "SELECT count(*) FROM accounts");
    QVERIFY2(accounts >= 1000 && accounts <= 1500, std::to_string(accounts).c_str());
    QVERIFY(scalar(db, "SELECT count(*) FROM contacts") >= 10000);
    QVERIFY(scalar(db, "SELECT count(*) FROM events") >= 100000);
    QVERIFY(scalar(db, "SELECT count(*) FROM support_tickets") >= 3000);
    // One or two subscriptions per paying account, none for free ones.
    QCOMPARE(scalar(db, "SELECT count(*) FROM accounts a WHERE plan <> 'free' AND (SELECT count(*) "
                        "FROM subscriptions s WHERE s.account_id = a.account_id) NOT IN (1, 2)"),
             0);
    QCOMPARE(scalar(db, "SELECT count(*) FROM subscriptions s JOIN accounts a USING (account_id) "
                        "WHERE a.plan = 'free'"),
             0);
    // The script cleans up after itself.
    QCOMPARE(scalar(db, "SELECT count(*) FROM sqlite_temp_schema"), 0);
}

void TestDemoWarehouse::dataIsConsistent()
{
    auto db = openDb(m_db);
    // Every value the brief promises, checked across the whole data set.
    QCOMPARE(scalar(db, "SELECT count(*) FROM contacts WHERE email GLOB '*[^a-z0-9.@]*' "
                        "OR email NOT LIKE '%_@_%._%'"),
             0);
    QCOMPARE(scalar(db, "SELECT count(*) - count(DISTINCT email) FROM contacts"), 0);
    QVERIFY(scalar(db, "SELECT count(*) FROM contacts WHERE first_name GLOB '*[^ -~]*' "
                       "OR last_name GLOB '*[^ -~]*'") > 100); // José, Zoë, Müller, ...
    QCOMPARE(scalar(db, "SELECT count(*) FROM accounts WHERE health_score NOT BETWEEN 0 AND 100"),
             0);
    QCOMPARE(scalar(db, "SELECT count(*) FROM events WHERE occurred_at < '2026-05-05' "
                        "OR occurred_at >= '2026-11-01' OR NOT json_valid(properties)"),
             0);
    QCOMPARE(scalar(db, "SELECT count(*) FROM events e JOIN contacts c USING (contact_id) "
                        "WHERE c.account_id <> e.account_id OR c.created_at > e.occurred_at"),
             0);
    QCOMPARE(scalar(db, "SELECT count(*) FROM support_tickets t JOIN contacts c USING (contact_id) "
                        "WHERE c.account_id <> t.account_id OR t.created_at < c.created_at"),
             0);
    QCOMPARE(scalar(db,
                    "SELECT count(*) FROM support_tickets WHERE (status IN ('open', 'pending')) "
                    "<> (resolved_at IS NULL) OR resolved_at < created_at"),
             0);
    QCOMPARE(scalar(db, "SELECT count(*) FROM subscriptions WHERE (status = 'canceled') "
                        "<> (canceled_at IS NOT NULL)"),
             0);
    // An account's MRR is what its current, paying subscription brings in.
    QCOMPARE(scalar(db, "SELECT count(*) FROM accounts a JOIN v_current_subscription s "
                        "USING (account_id) WHERE s.status IN ('active', 'past_due') "
                        "AND a.mrr <> s.mrr"),
             0);
    QCOMPARE(scalar(db, "SELECT count(*) FROM contacts WHERE last_seen_at IS NOT (SELECT "
                        "max(occurred_at) FROM events e WHERE e.contact_id = contacts.contact_id)"),
             0);
}

void TestDemoWarehouse::buildsAreIdentical()
{
    QTemporaryDir other;
    QVERIFY(other.isValid());
    const auto second = dirPath(other) / "acme.db";
    auto r = createDemoWarehouse(second);
    QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());

    auto a = openDb(m_db);
    auto b = openDb(second);
    for (const char *table : kTables) {
        const QByteArray ha = tableHash(a, table);
        QCOMPARE(tableHash(b, table).toHex(), ha.toHex());
    }
    // And the hash does see differences: a table's hash is not another's.
    QVERIFY(tableHash(a, "accounts") != tableHash(a, "contacts"));
}

void TestDemoWarehouse::demoModelsFindSensibleRows()
{
    auto config = demoWorkspaceConfig();
    QVERIFY(config.has_value());
    const auto json = nlohmann::json::parse(*config);
    QCOMPARE(json.at("sluice_config").get<int>(), 1);

    // Sensible sizes: a sales team can work through the account lists; marketing gets thousands.
    const std::map<std::string, std::pair<std::int64_t, std::int64_t>> expected = {
        {"at_risk_accounts", {30, 400}},
        {"upsell_candidates", {30, 400}},
        {"marketing_contacts", {2000, 9000}},
    };
    auto db = openDb(m_db);
    std::set<std::string> seen;
    for (const auto &model : json.at("models")) {
        const auto name = model.at("name").get<std::string>();
        const auto key = model.at("primary_key").get<std::string>();
        QVERIFY2(expected.contains(name), name.c_str());
        QCOMPARE(model.at("source").get<std::string>(), std::string("Acme warehouse"));
        seen.insert(name);

        const ModelRun run = runModel(db, model.at("sql").get<std::string>(), key);
        QVERIFY2(std::find(run.columns.begin(), run.columns.end(), key) != run.columns.end(),
                 (name + ": no column " + key).c_str());
        const auto [low, high] = expected.at(name);
        QVERIFY2(run.rows >= low && run.rows <= high,
                 (name + ": " + std::to_string(run.rows) + " rows").c_str());
        QCOMPARE(run.nullKeys, 0);
        QCOMPARE(run.duplicateKeys, 0);

        if (name == "at_risk_accounts") {
            // Each reason the model looks for actually occurs, and every row says why.
            int usage = 0, tickets = 0, health = 0;
            for (const auto &row : run.sample) {
                const std::string &reason = row.at("risk_reason");
                QVERIFY2(!reason.empty(), row.at("account_id").c_str());
                if (reason.find("Logins down") != std::string::npos) {
                    ++usage;
                    QVERIFY(std::stoll(row.at("logins_last_30d")) * 2 <=
                            std::stoll(row.at("logins_prev_30d")));
                }
                if (reason.find("support tickets") != std::string::npos) {
                    ++tickets;
                    QVERIFY(std::stoll(row.at("open_urgent_tickets")) >= 2);
                }
                if (reason.find("Health score") != std::string::npos) {
                    ++health;
                    QVERIFY(std::stoll(row.at("health_score")) < 40);
                }
            }
            QVERIFY2(usage >= 20 && tickets >= 20 && health >= 20,
                     (std::to_string(usage) + "/" + std::to_string(tickets) + "/" +
                      std::to_string(health))
                         .c_str());
        } else if (name == "upsell_candidates") {
            int seats = 0, api = 0;
            for (const auto &row : run.sample) {
                const std::string &reason = row.at("upsell_reason");
                QVERIFY2(!reason.empty(), row.at("account_id").c_str());
                QVERIFY(row.at("plan") != "enterprise");
                if (reason.find("seats in use") != std::string::npos) {
                    ++seats;
                    QVERIFY(std::stoll(row.at("active_users_30d")) * 10 >=
                            std::stoll(row.at("seats")) * 9);
                }
                if (reason.find("API requests") != std::string::npos) {
                    ++api;
                    QVERIFY(std::stoll(row.at("api_requests_30d")) >= 10000);
                }
            }
            QVERIFY2(seats >= 20 && api >= 20,
                     (std::to_string(seats) + "/" + std::to_string(api)).c_str());
        } else {
            for (const auto &row : run.sample) {
                QVERIFY(!row.at("email").empty());
                const auto &stage = row.at("lifecycle_stage");
                QVERIFY2(stage == "customer" || stage == "mql", stage.c_str());
            }
        }
    }
    QCOMPARE(seen.size(), expected.size());
}

void TestDemoWarehouse::demoSyncsReferToTheirModelsAndColumns()
{
    auto config = demoWorkspaceConfig();
    QVERIFY(config.has_value());
    const auto json = nlohmann::json::parse(*config);
    auto db = openDb(m_db);

    std::map<std::string, std::vector<std::string>> modelColumns;
    std::map<std::string, std::string> modelKey;
    for (const auto &model : json.at("models")) {
        const auto name = model.at("name").get<std::string>();
        auto st = db.prepare(model.at("sql").get<std::string>());
        QVERIFY(st.has_value());
        for (int c = 0; c < st->columnCount(); ++c)
            modelColumns[name].emplace_back(sqlite3_column_name(st->handle(), c));
        modelKey[name] = model.at("primary_key").get<std::string>();
    }
    std::set<std::string> destinations;
    for (const auto &c : json.at("connections"))
        if (c.at("role") == "destination")
            destinations.insert(c.at("name").get<std::string>());

    const std::map<std::string, std::pair<std::string, std::string>> syncs = {
        {"At-risk customers", {"at_risk_customers.csv", "mirror"}},
        {"Upsell candidates", {"upsell_candidates.csv", "mirror"}},
        {"Marketing contacts", {"marketing_contacts_changes.csv", "upsert"}},
    };
    QCOMPARE(json.at("syncs").size(), syncs.size());
    for (const auto &sync : json.at("syncs")) {
        const auto name = sync.at("name").get<std::string>();
        QVERIFY2(syncs.contains(name), name.c_str());
        QCOMPARE(sync.at("object").get<std::string>(), syncs.at(name).first);
        QCOMPARE(sync.at("mode").get<std::string>(), syncs.at(name).second);
        const auto model = sync.at("model").get<std::string>();
        QVERIFY2(modelColumns.contains(model), model.c_str());
        QVERIFY(destinations.contains(sync.at("destination").get<std::string>()));

        // Every mapped column exists in the model, and the key field is fed by the model's key.
        const auto &columns = modelColumns.at(model);
        bool keyMapped = false;
        for (const auto &m : sync.at("mapping")) {
            if (!m.contains("column"))
                continue;
            const auto column = m.at("column").get<std::string>();
            QVERIFY2(std::find(columns.begin(), columns.end(), column) != columns.end(),
                     (name + ": " + column).c_str());
            if (m.at("field") == sync.at("key_field") && column == modelKey.at(model))
                keyMapped = true;
        }
        QVERIFY2(keyMapped, name.c_str());
    }
}

void TestDemoWarehouse::replacesAnExistingFile()
{
    QTemporaryDir dir;
    const auto path = dirPath(dir) / "acme.db";
    test::writeFile(path, "not a database");
    // A stale hot journal must not be "rolled back" into the new warehouse.
    test::writeFile(dirPath(dir) / "acme.db-journal", std::string(4096, '\x7f'));
    auto r = createDemoWarehouse(path);
    QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
    QCOMPARE(filesIn(dirPath(dir)), std::vector<std::string>{"acme.db"});
    auto db = openDb(path);
    QVERIFY(scalar(db, "SELECT count(*) FROM accounts") > 0);
    auto check = db.prepare("PRAGMA integrity_check");
    QVERIFY(check && check->step().value_or(false));
    QCOMPARE(check->columnText(0), std::string("ok"));
}

void TestDemoWarehouse::createsMissingFolders()
{
    QTemporaryDir dir;
    const auto path = dirPath(dir) / "new" / "sub folder" / "warehouse.db";
    auto r = createDemoWarehouse(path);
    QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
    auto db = openDb(path);
    QVERIFY(scalar(db, "SELECT count(*) FROM contacts") >= 10000);
}

void TestDemoWarehouse::refusesAFolderAsTarget()
{
    QTemporaryDir dir;
    auto r = createDemoWarehouse(dirPath(dir));
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().kind, ErrorKind::Invalid);
    QVERIFY2(r.error().message.find("is a folder") != std::string::npos, r.error().message.c_str());
    QVERIFY(filesIn(dirPath(dir)).empty());

    auto empty = createDemoWarehouse({});
    QVERIFY(!empty.has_value());
    QCOMPARE(empty.error().kind, ErrorKind::Usage);
}

void TestDemoWarehouse::reportsAnUnwritableFolder()
{
    // A regular file where the folder should be: fails for root too, unlike permission bits.
    QTemporaryDir dir;
    const auto blocker = dirPath(dir) / "plain-file";
    test::writeFile(blocker, "x");
    auto r = createDemoWarehouse(blocker / "acme.db");
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().kind, ErrorKind::Io);
    QVERIFY2(r.error().message.find(blocker.string()) != std::string::npos,
             r.error().message.c_str());
    QCOMPARE(filesIn(dirPath(dir)), std::vector<std::string>{"plain-file"});
}

void TestDemoWarehouse::configIsTheEmbeddedFile()
{
    // The resource is compiled into the library and reachable without Q_INIT_RESOURCE.
    auto config = demoWorkspaceConfig();
    QVERIFY2(config.has_value(), config ? "" : config.error().message.c_str());
    // CMake compiles with absolute paths, so the source tree is found from this file.
    const auto source =
        test::readFile(fs::path(__FILE__).parent_path().parent_path().parent_path() /
                       "resources/demo/workspace.json");
    QVERIFY(!source.empty());
    QCOMPARE(*config, source);
}

QTEST_GUILESS_MAIN(TestDemoWarehouse)
#include "testdemowarehouse.moc"

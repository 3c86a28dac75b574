// The SQLite source: read-only whatever the SQL says, limits pushed into the query, values and
// types as stored, clear errors, and cancel that interrupts a running query within a second.
#include "sources/sourceregistry.h"
#include "sources/sqlitesource.h"
#include "testutil.h"
#include "util/sqlite.h"

#include <QElapsedTimer>
#include <QtTest>

#include <thread>

using namespace sluice;

class TestSqliteSource : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::filesystem::path m_db;

    static std::vector<Row> readAll(RowStream &s)
    {
        std::vector<Row> rows;
        Row row;
        while (s.next(row).value())
            rows.push_back(row);
        return rows;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_tmp.path().toStdString() + "/w.db";
        auto db = SqliteDb::open(m_db, SqliteDb::Mode::ReadWriteCreate).value();
        QVERIFY(
            db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, born DATE, "
                    "data BLOB, flag BOOLEAN);"
                    "INSERT INTO t VALUES (1, 'Zoë', 1.5, '2024-02-29', x'00ff', 1),"
                    "(2, '', NULL, NULL, NULL, 0), (3, 'a\"b,c\nd', -2.25, '1999-12-31', NULL, 1);"
                    "CREATE VIEW v AS SELECT id, name FROM t WHERE id > 1;")
                .has_value());
    }

    void readsValuesAndTypes()
    {
        SqliteSource src(m_db);
        auto s = src.open(SourceQuery{"SELECT * FROM t ORDER BY id", "", std::nullopt});
        QVERIFY(s.has_value());
        const auto &cols = (*s)->columns();
        QCOMPARE(cols.size(), 6u);
        QCOMPARE(cols[0].type, ColumnType::Integer);
        QCOMPARE(cols[2].type, ColumnType::Real);
        QCOMPARE(cols[3].type, ColumnType::Date);
        QCOMPARE(cols[5].type, ColumnType::Boolean);
        auto rows = readAll(**s);
        QCOMPARE(rows.size(), 3u);
        QCOMPARE(rows[0][1].text, std::string("Zoë"));
        QCOMPARE(rows[0][2].real, 1.5);
        QCOMPARE(rows[0][4].text, std::string("x'00ff'"));
        QCOMPARE(rows[1][1].type, ValueType::Text); // empty string, not NULL
        QVERIFY(rows[1][2].isNull());
        QCOMPARE(rows[2][1].text, std::string("a\"b,c\nd"));
    }

    void tableModelsAndLimits()
    {
        SqliteSource src(m_db);
        auto s = src.open(SourceQuery{"", "t", 2});
        QCOMPARE(readAll(**s).size(), 2u);
        // The limit wraps the query, so trailing semicolons and comments do not break it.
        auto s2 = src.open(SourceQuery{"SELECT id FROM t -- all of them\n;;", "", 1});
        QVERIFY2(s2.has_value(), s2 ? "" : s2.error().message.c_str());
        QCOMPARE(readAll(**s2).size(), 1u);
        // An offset skips rows, with or without a limit.
        SourceQuery paged{"SELECT id FROM t ORDER BY id;", "", 1};
        paged.offset = 1;
        auto s3 = src.open(paged);
        QVERIFY2(s3.has_value(), s3 ? "" : s3.error().message.c_str());
        auto page = readAll(**s3);
        QCOMPARE(page.size(), 1u);
        QCOMPARE(page[0][0].integer, std::int64_t(2));
        paged.limit.reset();
        QCOMPARE(readAll(**src.open(paged)).size(), 2u);
        auto missing = src.open(SourceQuery{"", "nope", std::nullopt});
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.find("\"nope\"") != std::string::npos,
                 missing.error().message.c_str());
    }

    void neverWrites_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("delete") << "DELETE FROM t";
        QTest::newRow("drop") << "DROP TABLE t";
        QTest::newRow("update") << "UPDATE t SET name = 'x'";
        QTest::newRow("insert") << "INSERT INTO t (id) VALUES (99)";
        QTest::newRow("two statements") << "SELECT 1; DELETE FROM t";
        QTest::newRow("attach") << "ATTACH 'other.db' AS o";
        QTest::newRow("pragma write") << "PRAGMA user_version = 5";
        QTest::newRow("cte delete") << "WITH x AS (SELECT 1) DELETE FROM t";
    }

    void neverWrites()
    {
        QFETCH(QString, sql);
        const std::string before = test::readFile(m_db);
        SqliteSource src(m_db);
        auto s = src.open(SourceQuery{sql.toStdString(), "", std::nullopt});
        if (s) { // if it prepares at all, running it must fail
            Row row;
            QVERIFY(!(*s)->next(row).has_value());
        } else {
            QVERIFY(!s.error().message.empty());
        }
        QCOMPARE(test::readFile(m_db), before);
        auto check = src.open(SourceQuery{"SELECT count(*) FROM t", "", std::nullopt});
        Row row;
        QVERIFY((*check)->next(row).value());
        QCOMPARE(row[0].integer, std::int64_t{3});
    }

    void explainsBadInput()
    {
        SqliteSource src(m_db);
        auto syntax = src.open(SourceQuery{"SELEC id FROM t", "", std::nullopt});
        QVERIFY(!syntax);
        QVERIFY2(syntax.error().message.find("syntax error") != std::string::npos,
                 syntax.error().message.c_str());
        QVERIFY(syntax.error().message.find("at character") != std::string::npos);
        auto change = src.open(SourceQuery{"DELETE FROM t", "", std::nullopt});
        QVERIFY(!change);
        QVERIFY(change.error().message.find("can only read") != std::string::npos);

        SqliteSource none(m_tmp.path().toStdString() + "/missing.db");
        auto r = none.open(SourceQuery{"SELECT 1", "", std::nullopt});
        QVERIFY(!r);
        QVERIFY(r.error().message.find("does not exist") != std::string::npos);
        QVERIFY(!std::filesystem::exists(m_tmp.path().toStdString() + "/missing.db"));

        const std::string notDb = m_tmp.path().toStdString() + "/notes.csv";
        test::writeFile(notDb, "a,b\n1,2\n this is plainly not a database file, but text.......\n");
        SqliteSource csv(notDb);
        auto r2 = csv.open(SourceQuery{"SELECT 1", "", std::nullopt});
        QVERIFY(!r2);
        QVERIFY2(r2.error().message.find("not a SQLite database") != std::string::npos,
                 r2.error().message.c_str());
    }

    void listsTablesViewsAndColumns()
    {
        SqliteSource src(m_db);
        auto tables = src.tables();
        QVERIFY(tables.has_value());
        QCOMPARE(tables->size(), 2u);
        QCOMPARE((*tables)[0].name, std::string("t"));
        QCOMPARE((*tables)[0].columns.size(), 6u);
        QCOMPARE((*tables)[1].kind, std::string("view"));
    }

    void cancelInterruptsALongQueryWithinASecond()
    {
        SqliteSource src(m_db);
        // Counting a billion generated rows takes minutes; the first row only comes at the end.
        auto s =
            src.open(SourceQuery{"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM "
                                 "n WHERE x < 1000000000) SELECT count(*) FROM n",
                                 "", std::nullopt});
        QVERIFY(s.has_value());
        RowStream *stream = s->get();
        QElapsedTimer timer;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            timer.start();
            stream->cancel();
        });
        Row row;
        auto r = stream->next(row);
        const auto afterCancel = timer.elapsed();
        canceller.join();
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        QVERIFY2(afterCancel < 1000, qPrintable(QString::number(afterCancel)));
    }

    void registryValidatesSettings()
    {
        auto r = createSource("sqlite", nlohmann::json::object(), DriverContext{});
        QVERIFY(!r);
        QVERIFY(r.error().message.find("Database file") != std::string::npos);
        auto r2 = createSource("oracle", nlohmann::json::object(), DriverContext{});
        QVERIFY(!r2);
        QVERIFY(r2.error().message.find("not a source type") != std::string::npos);
        auto ok =
            createSource("sqlite", {{"path", "w.db"}}, DriverContext{m_tmp.path().toStdString()});
        QVERIFY(ok.has_value());
        QVERIFY((*ok)->open(SourceQuery{"", "t", std::nullopt}).has_value());
    }
};

QTEST_GUILESS_MAIN(TestSqliteSource)
#include "testsqlitesource.moc"

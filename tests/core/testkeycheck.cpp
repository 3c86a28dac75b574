// The primary-key check: counts rows, rows without a key and rows repeating a key, gives a few
// examples of each, rejects an unknown column, and stops when cancelled.
#include "engine/keycheck.h"
#include "sources/sqlitesource.h"
#include "util/sqlite.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace sluice;

class TestKeyCheck : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::filesystem::path m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_tmp.path().toStdString() + "/k.db";
        auto db = SqliteDb::open(m_db, SqliteDb::Mode::ReadWriteCreate).value();
        QVERIFY(db.exec("CREATE TABLE good (id INTEGER, name TEXT);"
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c "
                        "WHERE x < 50000) INSERT INTO good SELECT x, 'n' || x FROM c;"
                        "CREATE TABLE bad (id TEXT, name TEXT);"
                        "INSERT INTO bad VALUES ('a', '1'), (NULL, '2'), ('b', '3'), ('a', '4'),"
                        "('', '5'), ('a', '6'), ('c', '7'), ('b', '8'), (NULL, '9');"
                        "CREATE TABLE many (id INTEGER);"
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c "
                        "WHERE x < 20) INSERT INTO many SELECT x % 8 FROM c;")
                    .has_value());
    }

    void uniqueKeyPasses()
    {
        SqliteSource src(m_db);
        std::int64_t lastProgress = 0;
        auto r = checkPrimaryKey(src, SourceQuery{"", "good", std::nullopt}, "id", nullptr,
                                 [&](std::int64_t rows) { lastProgress = rows; });
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QCOMPARE(r->rows, 50000);
        QCOMPARE(r->missingKeys, 0);
        QCOMPARE(r->duplicateRows, 0);
        QVERIFY(r->ok());
        QCOMPARE(lastProgress, 50000);
    }

    void reportsMissingAndDuplicates()
    {
        SqliteSource src(m_db);
        auto r = checkPrimaryKey(src, SourceQuery{"SELECT * FROM bad ORDER BY name", "", {}}, "id");
        QVERIFY(r.has_value());
        QCOMPARE(r->rows, 9);
        QCOMPARE(r->missingKeys, 3); // two NULLs and one empty text
        QCOMPARE(r->missingExamples, (std::vector<std::int64_t>{2, 5, 9}));
        QCOMPARE(r->duplicateRows, 3); // 'a' twice more, 'b' once more
        QCOMPARE(r->duplicateExamples, (std::vector<std::string>{"a", "b"}));
        QVERIFY(!r->ok());
    }

    void examplesAreCappedAndDistinct()
    {
        SqliteSource src(m_db);
        // Keys 0..7 each appear 2 or 3 times: 12 duplicate rows over 8 keys.
        auto r = checkPrimaryKey(src, SourceQuery{"", "many", {}}, "id");
        QVERIFY(r.has_value());
        QCOMPARE(r->duplicateRows, 12);
        QCOMPARE(r->duplicateExamples.size(), KeyCheckResult::maxExamples);
        auto ex = r->duplicateExamples;
        std::sort(ex.begin(), ex.end());
        QVERIFY(std::unique(ex.begin(), ex.end()) == ex.end());
    }

    void integerAndTextKeysMatchLikeTheEngine()
    {
        SqliteSource src(m_db);
        auto r =
            checkPrimaryKey(src, SourceQuery{"SELECT 1 AS k UNION ALL SELECT '1'", "", {}}, "k");
        QVERIFY(r.has_value());
        QCOMPARE(r->duplicateRows, 1);
    }

    void unknownColumnIsAClearError()
    {
        SqliteSource src(m_db);
        auto r = checkPrimaryKey(src, SourceQuery{"", "good", {}}, "identifier");
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().kind, ErrorKind::Invalid);
        QVERIFY(r.error().message.find("identifier") != std::string::npos);
        auto empty = checkPrimaryKey(src, SourceQuery{"", "good", {}}, "");
        QVERIFY(!empty.has_value());
    }

    void sourceErrorsPassThrough()
    {
        SqliteSource src(m_db);
        auto r = checkPrimaryKey(src, SourceQuery{"SELEC nonsense", "", {}}, "id");
        QVERIFY(!r.has_value());
        QVERIFY(r.error().message.find("SQL") != std::string::npos);
    }

    void cancelStopsWithinASecond()
    {
        SqliteSource src(m_db);
        CancelToken token;
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            token.cancel();
        });
        QElapsedTimer timer;
        timer.start();
        // Endless: only cancel ends it.
        auto r = checkPrimaryKey(src,
                                 SourceQuery{"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
                                             "SELECT x+1 FROM c) SELECT x AS id FROM c",
                                             "",
                                             {}},
                                 "id", &token);
        stopper.join();
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        QVERIFY(timer.elapsed() < 1200);
    }
};

QTEST_GUILESS_MAIN(TestKeyCheck)
#include "testkeycheck.moc"

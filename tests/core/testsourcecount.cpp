// Source::count: SQLite counts in the database (limit respected, errors as for open()),
// CSV counts by streaming, and both stop when cancelled.
#include "sources/csvsource.h"
#include "sources/sqlitesource.h"
#include "testutil.h"
#include "util/sqlite.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace sluice;
namespace fs = std::filesystem;

class TestSourceCount : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    fs::path m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_tmp.path().toStdString() + "/c.db";
        auto db = SqliteDb::open(m_db, SqliteDb::Mode::ReadWriteCreate).value();
        QVERIFY(db.exec("CREATE TABLE t (id INTEGER);"
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c "
                        "WHERE x < 12132) INSERT INTO t SELECT x FROM c;")
                    .has_value());
    }

    void sqliteCounts()
    {
        SqliteSource src(m_db);
        QCOMPARE(src.count(SourceQuery{"", "t", {}}).value(), 12132);
        QCOMPARE(src.count(SourceQuery{"SELECT * FROM t WHERE id % 2 = 0;", "", {}}).value(), 6066);
        QCOMPARE(src.count(SourceQuery{"SELECT * FROM t", "", 100}).value(), 100);
        QCOMPARE(src.count(SourceQuery{"SELECT * FROM t WHERE 0", "", {}}).value(), 0);
    }

    void sqliteCountRefusesWhatOpenRefuses()
    {
        SqliteSource src(m_db);
        auto bad = src.count(SourceQuery{"SELEC 1", "", {}});
        QVERIFY(!bad.has_value());
        QVERIFY(bad.error().message.find("SQL") != std::string::npos);
        auto write = src.count(SourceQuery{"DELETE FROM t", "", {}});
        QVERIFY(!write.has_value());
        QCOMPARE(src.count(SourceQuery{"", "t", {}}).value(), 12132);
    }

    void sqliteCountCancels()
    {
        SqliteSource src(m_db);
        CancelToken token;
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            token.cancel();
        });
        QElapsedTimer timer;
        timer.start();
        auto r = src.count(SourceQuery{"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 "
                                       "FROM c) SELECT x FROM c",
                                       "",
                                       {}},
                           &token);
        stopper.join();
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        QVERIFY(timer.elapsed() < 1200);
        // Already cancelled: fails at once.
        QVERIFY(!src.count(SourceQuery{"", "t", {}}, &token).has_value());
    }

    void csvCountsRecordsNotLines()
    {
        const fs::path file = fs::path(m_tmp.path().toStdString()) / "p.csv";
        test::writeFile(file, "id,note\n1,\"two\nlines\"\n2,x\n\n3,y\n");
        CsvSource src(file, 0);
        QCOMPARE(src.count(SourceQuery{"", "p.csv", {}}).value(), 3);
        QCOMPARE(src.count(SourceQuery{"", "p.csv", 2}).value(), 2);
        const fs::path broken = fs::path(m_tmp.path().toStdString()) / "b.csv";
        test::writeFile(broken, "id,note\n1,a\n2\n");
        CsvSource bad(broken, 0);
        auto r = bad.count(SourceQuery{"", "b.csv", {}});
        QVERIFY(!r.has_value());
        QVERIFY(r.error().message.find("Line 3") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSourceCount)
#include "testsourcecount.moc"

// One-off CSV export: header and quoting, NULL vs empty, atomic replace, and a failed or
// cancelled export leaves the previous file and no temporary file behind.
#include "engine/csvexport.h"
#include "sources/sqlitesource.h"
#include "testutil.h"
#include "util/sqlite.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace sluice;
namespace fs = std::filesystem;

class TestCsvExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    fs::path m_db;

    fs::path dir() const { return m_tmp.path().toStdString(); }

    std::vector<std::string> folderEntries(const fs::path &folder)
    {
        std::vector<std::string> names;
        for (const auto &e : fs::directory_iterator(folder))
            names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = dir() / "src.db";
        auto db = SqliteDb::open(m_db, SqliteDb::Mode::ReadWriteCreate).value();
        QVERIFY(db.exec("CREATE TABLE t (id INTEGER, name TEXT, score REAL);"
                        "INSERT INTO t VALUES (1, 'plain', 1.5), (2, 'a,b \"q\"', NULL),"
                        "(3, '', -2), (4, 'line\nbreak', 0.25), (5, '=1+1', 3);")
                    .has_value());
    }

    void writesHeaderAndRows()
    {
        SqliteSource src(m_db);
        const fs::path out = dir() / "out" / "t.csv";
        fs::create_directories(out.parent_path());
        std::int64_t progressRows = -1;
        auto r = exportToCsv(src, SourceQuery{"SELECT * FROM t ORDER BY id", "", {}}, out, {},
                             nullptr, [&](std::int64_t n) { progressRows = n; });
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QCOMPARE(*r, 5);
        QCOMPARE(progressRows, 5);
        QCOMPARE(test::readFile(out), std::string("id,name,score\n"
                                                  "1,plain,1.5\n"
                                                  "2,\"a,b \"\"q\"\"\",\n"
                                                  "3,\"\",-2\n"
                                                  "4,\"line\nbreak\",0.25\n"
                                                  "5,'=1+1,3\n"));
        QCOMPARE(folderEntries(out.parent_path()), std::vector<std::string>{"t.csv"});
    }

    void honoursDelimiterAndLimit()
    {
        SqliteSource src(m_db);
        const fs::path out = dir() / "semi.csv";
        CsvWriteOptions options;
        options.delimiter = ';';
        auto r = exportToCsv(src, SourceQuery{"SELECT id, name FROM t ORDER BY id", "", 2}, out,
                             options);
        QVERIFY(r.has_value());
        QCOMPARE(*r, 2);
        QCOMPARE(test::readFile(out), std::string("id;name\n1;plain\n2;\"a,b \"\"q\"\"\"\n"));
    }

    void replacesExistingFile()
    {
        SqliteSource src(m_db);
        const fs::path out = dir() / "replace" / "x.csv";
        fs::create_directories(out.parent_path());
        test::writeFile(out, "old content\n");
        auto r =
            exportToCsv(src, SourceQuery{"SELECT id FROM t WHERE id < 3 ORDER BY id", "", {}}, out);
        QVERIFY(r.has_value());
        QCOMPARE(test::readFile(out), std::string("id\n1\n2\n"));
    }

    void failureLeavesOldFile()
    {
        SqliteSource src(m_db);
        const fs::path folder = dir() / "fail";
        fs::create_directories(folder);
        const fs::path out = folder / "x.csv";
        test::writeFile(out, "old content\n");
        // Fails while reading (after the header is written): abs() of the text overflows.
        auto r = exportToCsv(
            src, SourceQuery{"SELECT id, abs(-9223372036854775807 - id) FROM t", "", {}}, out);
        QVERIFY(!r.has_value());
        QCOMPARE(test::readFile(out), std::string("old content\n"));
        QCOMPARE(folderEntries(folder), std::vector<std::string>{"x.csv"});

        auto bad = exportToCsv(src, SourceQuery{"SELECT nope FROM t", "", {}}, out);
        QVERIFY(!bad.has_value());
        QCOMPARE(test::readFile(out), std::string("old content\n"));
    }

    void cancelLeavesOldFileAndStopsQuickly()
    {
        SqliteSource src(m_db);
        const fs::path folder = dir() / "cancel";
        fs::create_directories(folder);
        const fs::path out = folder / "x.csv";
        test::writeFile(out, "old content\n");
        CancelToken token;
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            token.cancel();
        });
        QElapsedTimer timer;
        timer.start();
        auto r = exportToCsv(src,
                             SourceQuery{"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 "
                                         "FROM c) SELECT x FROM c",
                                         "",
                                         {}},
                             out, {}, &token);
        stopper.join();
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        QVERIFY(timer.elapsed() < 1300);
        QCOMPARE(test::readFile(out), std::string("old content\n"));
        QCOMPARE(folderEntries(folder), std::vector<std::string>{"x.csv"});
    }

    void badTargetsAreClearErrors()
    {
        SqliteSource src(m_db);
        const SourceQuery q{"", "t", {}};
        auto missing = exportToCsv(src, q, dir() / "no-such-folder" / "x.csv");
        QVERIFY(!missing.has_value());
        QVERIFY(missing.error().message.find("does not exist") != std::string::npos);
        auto folder = exportToCsv(src, q, dir());
        QVERIFY(!folder.has_value());
        QVERIFY(folder.error().message.find("folder") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCsvExport)
#include "testcsvexport.moc"

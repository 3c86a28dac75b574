// testConnection against real files: a SQLite database, CSV files and folders, and each way a
// path can be wrong. Also checks that testing never creates or changes anything.

#include "engine/connectiontest.h"
#include "util/sqlite.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace sluice;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path &path, const std::string &text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

ConnectionDef sourceDef(const std::string &kind, nlohmann::json settings)
{
    ConnectionDef c;
    c.name = "test";
    c.role = ConnectionRole::Source;
    c.kind = kind;
    c.settings = std::move(settings);
    return c;
}

ConnectionDef destinationDef(nlohmann::json settings)
{
    ConnectionDef c = sourceDef("csv", std::move(settings));
    c.role = ConnectionRole::Destination;
    return c;
}

} // namespace

class TestConnectionTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path dir() const { return m_dir.path().toStdString(); }
    DriverContext context() const { return DriverContext{dir()}; }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto db = SqliteDb::open(dir() / "shop.db", SqliteDb::Mode::ReadWriteCreate);
        QVERIFY(db);
        QVERIFY(db->exec("CREATE TABLE a(x); CREATE TABLE b(y); CREATE VIEW v AS SELECT 1"));
        fs::create_directories(dir() / "csvs");
        writeFile(dir() / "csvs" / "one.csv", "id,name\n1,x\n");
        writeFile(dir() / "csvs" / "two.csv", "id\n2\n");
        writeFile(dir() / "csvs" / "notes.txt", "not a table\n");
        writeFile(dir() / "single.csv", "id\n1\n");
        fs::create_directories(dir() / "out");
        writeFile(dir() / "out" / "contacts.csv", "id\n1\n");
        writeFile(dir() / "out" / "deals.csv", "id\n1\n");
        writeFile(dir() / "out" / "orders.csv", "id\n1\n");
    }

    void sqliteSourceCountsTables()
    {
        // Relative path: resolved against the workspace folder.
        auto r = testConnection(sourceDef("sqlite", {{"path", "shop.db"}}), context());
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY2(r->starts_with("Connected: "), r->c_str());
        QVERIFY2(r->find("table") != std::string::npos, r->c_str());
        // Two tables and a view: whatever the source lists, the count is in the text.
        QVERIFY2(r->find(" 2 ") != std::string::npos || r->find(" 3 ") != std::string::npos,
                 r->c_str());
    }

    void sqliteMissingFile()
    {
        auto r = testConnection(sourceDef("sqlite", {{"path", "nope.db"}}), context());
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::NotFound);
        QVERIFY2(r.error().message.find("does not exist") != std::string::npos,
                 r.error().message.c_str());
        QVERIFY2(!fs::exists(dir() / "nope.db"), "testing must not create the file");
    }

    void sqliteFolderInsteadOfFile()
    {
        auto r = testConnection(sourceDef("sqlite", {{"path", "csvs"}}), context());
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("is a folder") != std::string::npos,
                 r.error().message.c_str());
    }

    void sqliteNotADatabase()
    {
        auto r = testConnection(sourceDef("sqlite", {{"path", "single.csv"}}), context());
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("not a SQLite database") != std::string::npos,
                 r.error().message.c_str());
        std::ifstream in(dir() / "single.csv");
        std::string text((std::istreambuf_iterator<char>(in)), {});
        QCOMPARE(text, std::string("id\n1\n")); // untouched
    }

    void sqliteMissingPathSetting()
    {
        auto r = testConnection(sourceDef("sqlite", nlohmann::json::object()), context());
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("required") != std::string::npos,
                 r.error().message.c_str());
    }

    void unknownKind()
    {
        auto r = testConnection(sourceDef("oracle", {{"path", "x"}}), context());
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("oracle") != std::string::npos, r.error().message.c_str());
    }

    void csvSourceFolderAndFile()
    {
        auto folder = testConnection(sourceDef("csv", {{"path", "csvs"}}), context());
        QVERIFY2(folder, folder ? "" : folder.error().message.c_str());
        QCOMPARE(*folder, std::string("Connected: 2 tables."));
        auto file = testConnection(sourceDef("csv", {{"path", "single.csv"}}), context());
        QVERIFY2(file, file ? "" : file.error().message.c_str());
        QCOMPARE(*file, std::string("Connected: 1 table."));
        auto missing = testConnection(sourceDef("csv", {{"path", "gone.csv"}}), context());
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, ErrorKind::NotFound);
    }

    void csvDestinationExistingFolder()
    {
        auto r = testConnection(destinationDef({{"folder", "out"}}), context());
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(*r, std::string("Connected: the folder has 3 files."));
    }

    void csvDestinationFolderNotThereYet()
    {
        auto r = testConnection(destinationDef({{"folder", "later/exports"}}), context());
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY2(r->find("will be created on the first run") != std::string::npos, r->c_str());
        QVERIFY2(!fs::exists(dir() / "later"), "testing must not create the folder");
    }

    void csvDestinationFileInsteadOfFolder()
    {
        auto r = testConnection(destinationDef({{"folder", "single.csv"}}), context());
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("is a file, not a folder") != std::string::npos,
                 r.error().message.c_str());
    }

    void csvDestinationBadChoice()
    {
        auto r = testConnection(destinationDef({{"folder", "out"}, {"format", "xml"}}), context());
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("Format") != std::string::npos, r.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestConnectionTest)
#include "testconnectiontest.moc"

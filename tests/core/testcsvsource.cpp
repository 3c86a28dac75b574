// CsvSource: settings, files and folders as tables, header names, type inference (zip codes
// stay text), value conversion, errors naming the line, limit and cancel from another thread.

#include "sources/csvsource.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <thread>

using namespace sluice;
namespace fs = std::filesystem;

namespace {

using sluice::test::integer;
using sluice::test::null;
using sluice::test::real;
using sluice::test::text;

struct Fixture
{
    QTemporaryDir dir;
    fs::path root() const { return dir.path().toStdString(); }
    fs::path write(const std::string &name, const std::string &content) const
    {
        test::writeFile(root() / name, content);
        return root() / name;
    }
};

std::unique_ptr<Source> makeSource(const fs::path &path, const std::string &delimiter = "auto")
{
    auto source = createCsvSource({{"path", path.string()}, {"delimiter", delimiter}}, {});
    if (!source)
        qFatal("createCsvSource failed: %s", source.error().message.c_str());
    return std::move(*source);
}

struct Read
{
    std::vector<Column> columns;
    std::vector<Row> rows;
    std::optional<Error> error;
};

Read readTable(Source &source, const std::string &table, std::optional<std::int64_t> limit = {})
{
    Read out;
    auto stream = source.open(SourceQuery{{}, table, limit});
    if (!stream) {
        out.error = stream.error();
        return out;
    }
    out.columns = (*stream)->columns();
    Row row;
    for (;;) {
        auto more = (*stream)->next(row);
        if (!more) {
            out.error = more.error();
            return out;
        }
        if (!*more)
            return out;
        out.rows.push_back(row);
    }
}

QString typesOf(const std::vector<Column> &columns)
{
    QStringList l;
    for (const auto &c : columns)
        l << QString::fromStdString(c.name) + ":" + columnTypeName(c.type);
    return l.join(QLatin1Char(' '));
}

} // namespace

class TestCsvSource : public QObject
{
    Q_OBJECT

private slots:
    void driverInfoDeclaresSettings()
    {
        const DriverInfo info = csvSourceDriverInfo();
        QCOMPARE(info.kind, std::string("csv"));
        QCOMPARE(info.label, std::string("CSV files"));
        QCOMPARE(info.settings.size(), std::size_t(2));
        QCOMPARE(info.settings[0].key, std::string("path"));
        QCOMPARE(info.settings[0].kind, SettingKind::FilePath);
        QVERIFY(info.settings[0].required);
        QCOMPARE(info.settings[1].key, std::string("delimiter"));
        QCOMPARE(info.settings[1].kind, SettingKind::Choice);
        QCOMPARE(info.settings[1].defaultValue, nlohmann::json("auto"));
        QCOMPARE(info.settings[1].choices,
                 (std::vector<std::string>{"auto", ",", ";", "tab", "|"}));
    }

    void createChecksSettingsAndPath()
    {
        Fixture f;
        auto missing = createCsvSource({{"path", (f.root() / "nope.csv").string()}}, {});
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, ErrorKind::NotFound);
        QVERIFY2(missing.error().message.find("does not exist. Check the path in the connection "
                                              "settings.") != std::string::npos,
                 missing.error().message.c_str());
        QVERIFY(!createCsvSource(nlohmann::json::object(), {}));
        auto badChoice = createCsvSource({{"path", f.root().string()}, {"delimiter", ":"}}, {});
        QVERIFY(!badChoice);
        QCOMPARE(badChoice.error().kind, ErrorKind::Invalid);

        // Relative paths start at the workspace folder.
        f.write("rel.csv", "a\n1\n");
        DriverContext context{f.root()};
        auto relative = createCsvSource({{"path", "rel.csv"}}, context);
        QVERIFY2(relative, relative ? "" : relative.error().message.c_str());
        auto tables = (*relative)->tables();
        QVERIFY(tables);
        QCOMPARE(tables->at(0).name, std::string("rel.csv"));
    }

    void fileIsOneTableWithInferredTypes()
    {
        Fixture f;
        const auto path = f.write(
            "contacts.csv",
            "id,name,zip,amount,active,birthday,updated,phone,nothing\n"
            "1,Ada,02134,12.50,true,1815-12-10,2024-01-05T10:00:00Z,+441234,\n"
            "2,Grace,10001,-3,FALSE,1906-12-09,2024-01-06 11:30,+15550100,\n"
            "-3,\"Linus, T\",94043,1e3,True,1969-12-28,2024-02-29T23:59:59.123+01:00,007,\"\"\n");
        auto source = makeSource(path);
        auto tables = source->tables();
        QVERIFY(tables);
        QCOMPARE(tables->size(), std::size_t(1));
        QCOMPARE(tables->at(0).name, std::string("contacts.csv"));
        QCOMPARE(tables->at(0).kind, std::string("file"));
        QCOMPARE(typesOf(tables->at(0).columns),
                 QString("id:integer name:text zip:text amount:number active:boolean "
                         "birthday:date updated:datetime phone:text nothing:text"));

        const Read r = readTable(*source, "contacts.csv");
        QVERIFY2(!r.error, r.error ? r.error->message.c_str() : "");
        QCOMPARE(typesOf(r.columns), typesOf(tables->at(0).columns));
        QCOMPARE(r.rows.size(), std::size_t(3));
        QCOMPARE(r.rows[0],
                 (Row{integer(1), text("Ada"), text("02134"), real(12.5), text("true"),
                      text("1815-12-10"), text("2024-01-05T10:00:00Z"), text("+441234"), null()}));
        QCOMPARE(r.rows[1][3], real(-3));
        QCOMPARE(r.rows[2][0], integer(-3));
        QCOMPARE(r.rows[2][1], text("Linus, T"));
        QCOMPARE(r.rows[2][3], real(1000));
        QCOMPARE(r.rows[2][7], text("007"));
        QCOMPARE(r.rows[2][8], text("")); // quoted "" is the empty string, not NULL
    }

    void inferenceKeepsIdentifiersAsText()
    {
        Fixture f;
        const auto path = f.write(
            "t.csv",
            "zip,big,plus,mixed,decimal_comma,bad_date,dates,date_times,empty,zero,leading_dot\n"
            "02134,12345678901234567890,+1,1,\"1,5\",2023-02-29,2024-02-29,2024-01-01,,0,.5\n"
            "90210,1,+2,2.5,\"2,5\",2023-13-01,2000-02-29,2024-01-01T00:00,,-0,-.25\n");
        auto source = makeSource(path);
        const Read r = readTable(*source, "t.csv");
        QVERIFY(!r.error);
        // One zip code with a leading zero keeps the whole column as text; an integer too big
        // for 64 bits is an identifier, not a number to round; "+1" is a phone prefix.
        QCOMPARE(typesOf(r.columns),
                 QString("zip:text big:text plus:text mixed:number decimal_comma:text "
                         "bad_date:text dates:date date_times:datetime empty:text zero:integer "
                         "leading_dot:number"));
        QCOMPARE(r.rows[0][0], text("02134"));
        QCOMPARE(r.rows[0][1], text("12345678901234567890"));
        QCOMPARE(r.rows[0][3], real(1));
        QCOMPARE(r.rows[1][3], real(2.5));
        QCOMPARE(r.rows[0][8], null());
        QCOMPARE(r.rows[1][9], integer(0));
        QCOMPARE(r.rows[1][10], real(-0.25));
    }

    void valuesBeyondTheSampleThatDoNotFitStayText()
    {
        Fixture f;
        std::string csv = "id,zip,score\n";
        for (int i = 1; i <= 1500; ++i) {
            std::string id = std::to_string(i), zip = std::to_string(10000 + i),
                        score = std::to_string(i % 50);
            if (i == 1200) {
                id = "not a number";
                zip = "00501";
                score = "7.25";
            }
            if (i == 1300)
                id = ""; // NULL in an integer column
            csv += id + "," + zip + "," + score + "\n";
        }
        auto source = makeSource(f.write("late.csv", csv));
        const Read r = readTable(*source, "late.csv");
        QVERIFY2(!r.error, r.error ? r.error->message.c_str() : "");
        QCOMPARE(typesOf(r.columns), QString("id:integer zip:integer score:integer"));
        QCOMPARE(r.rows.size(), std::size_t(1500));
        QCOMPARE(r.rows[999][0], integer(1000));  // last sampled row
        QCOMPARE(r.rows[1000][0], integer(1001)); // first streamed row
        QCOMPARE(r.rows[1199][0], text("not a number"));
        QCOMPARE(r.rows[1199][1], text("00501"));
        QCOMPARE(r.rows[1199][2], real(7.25)); // numeric, so still a number
        QCOMPARE(r.rows[1299][0], null());
        std::int64_t sum = 0;
        for (const auto &row : r.rows)
            sum += row[2].type == ValueType::Integer ? row[2].integer : 0;
        std::int64_t expected = 0;
        for (int i = 1; i <= 1500; ++i)
            expected += i == 1200 ? 0 : i % 50;
        QCOMPARE(sum, expected);
    }

    void headerNames()
    {
        Fixture f;
        auto source =
            makeSource(f.write("h.csv", " id ,,name,Name,name,\"\",name_2\n1,2,3,4,5,6,7\n"));
        auto tables = source->tables();
        QVERIFY(tables);
        QStringList names;
        for (const auto &c : tables->at(0).columns)
            names << QString::fromStdString(c.name);
        QCOMPARE(names, QStringList({"id", "column_2", "name", "Name_2", "name_3", "column_6",
                                     "name_2_2"}));
    }

    void folderListsCsvFilesSorted()
    {
        Fixture f;
        f.write("b.csv", "x\n1\n");
        f.write("A.CSV", "y;z\n1;2\n");
        f.write("c.txt", "not,a,table\n");
        f.write(".hidden.csv", "\xFF\xFE junk");
        f.write("._b.csv", "\x00\x05 resource fork");
        fs::create_directory(f.root() / "sub.csv");
        auto source = makeSource(f.root());
        auto tables = source->tables();
        QVERIFY2(tables, tables ? "" : tables.error().message.c_str());
        QCOMPARE(tables->size(), std::size_t(2));
        QCOMPARE(tables->at(0).name, std::string("A.CSV"));
        QCOMPARE(typesOf(tables->at(0).columns), QString("y:integer z:integer"));
        QCOMPARE(tables->at(1).name, std::string("b.csv"));

        const Read r = readTable(*source, "b.csv");
        QVERIFY(!r.error);
        QCOMPARE(r.rows.size(), std::size_t(1));

        for (const std::string bad :
             {"c.txt", "missing.csv", "../b.csv", "sub.csv", ".hidden.csv"}) {
            const Read e = readTable(*source, bad);
            QVERIFY2(e.error, bad.c_str());
            QCOMPARE(e.error->kind, ErrorKind::NotFound);
        }
    }

    void fileConnectionOnlyOpensItsFile()
    {
        Fixture f;
        auto source = makeSource(f.write("one.csv", "a\n1\n"));
        f.write("two.csv", "b\n2\n");
        const Read e = readTable(*source, "two.csv");
        QVERIFY(e.error);
        QCOMPARE(e.error->kind, ErrorKind::NotFound);
        QVERIFY(e.error->message.find("one.csv") != std::string::npos);
    }

    void sqlAndEmptyTableAreRefused()
    {
        Fixture f;
        auto source = makeSource(f.write("one.csv", "a\n1\n"));
        auto sql = source->open(SourceQuery{"SELECT * FROM one", {}, {}});
        QVERIFY(!sql);
        QCOMPARE(
            sql.error().message,
            std::string("CSV connections do not run SQL; choose a file as the model's table."));
        QVERIFY(!source->open(SourceQuery{"SELECT 1", "one.csv", {}}));
        QVERIFY(!source->open(SourceQuery{}));
    }

    void delimiterSetting()
    {
        Fixture f;
        const auto path = f.write("d.csv", "a;b;c,d\n1;2;3,4\n");
        QCOMPARE(typesOf(readTable(*makeSource(path), "d.csv").columns),
                 QString("a:integer b:integer c,d:text"));
        QCOMPARE(typesOf(readTable(*makeSource(path, ","), "d.csv").columns),
                 QString("a;b;c:text d:integer"));
        QCOMPARE(typesOf(readTable(*makeSource(path, ";"), "d.csv").columns),
                 QString("a:integer b:integer c,d:text"));
        const auto tabbed = f.write("t.csv", "a\tb\n1\t2\n");
        QCOMPARE(typesOf(readTable(*makeSource(tabbed, "tab"), "t.csv").columns),
                 QString("a:integer b:integer"));
        QCOMPARE(typesOf(readTable(*makeSource(tabbed, "|"), "t.csv").columns),
                 QString("a\tb:text"));
    }

    void wrongFieldCountNamesLineAndCounts()
    {
        Fixture f;
        auto source = makeSource(f.write("w.csv", "a,b,c\n1,2,3\n\n4,5\n6,7,8\n"));
        const Read r = readTable(*source, "w.csv");
        // The rows before the bad one still arrive, then a clear stop.
        QCOMPARE(r.rows.size(), std::size_t(1));
        QVERIFY(r.error);
        QCOMPARE(r.error->kind, ErrorKind::Invalid);
        QVERIFY2(r.error->message.starts_with("Line 4 of w.csv has 2 values, but the header "
                                              "(line 1) has 3 columns."),
                 r.error->message.c_str());

        // Beyond the sample, and too many instead of too few.
        std::string csv = "a,b\n";
        for (int i = 0; i < 1200; ++i)
            csv += std::to_string(i) + ",x\n";
        csv += "1,2,3\n";
        const Read late = readTable(*makeSource(f.write("late.csv", csv)), "late.csv");
        QCOMPARE(late.rows.size(), std::size_t(1200));
        QVERIFY(late.error);
        QVERIFY2(late.error->message.starts_with("Line 1202 of late.csv has 3 values, but the "
                                                 "header (line 1) has 2 columns."),
                 late.error->message.c_str());
    }

    void malformedCsvStopsWithTheLine()
    {
        Fixture f;
        auto source = makeSource(f.write("m.csv", "a,b\n1,2\n3,\"open\n4,5\n"));
        const Read r = readTable(*source, "m.csv");
        QCOMPARE(r.rows.size(), std::size_t(1));
        QVERIFY(r.error);
        QVERIFY2(r.error->message.starts_with("Line 3 of m.csv"), r.error->message.c_str());

        // A bad header cannot even name the columns: open fails, and so does tables().
        auto badHeader = makeSource(f.write("bad.csv", "a,\xFF\n1,2\n"));
        QVERIFY(!badHeader->open(SourceQuery{{}, "bad.csv", {}}));
        QVERIFY(!badHeader->tables());
    }

    void emptyAndHeaderOnlyFiles()
    {
        Fixture f;
        const Read empty = readTable(*makeSource(f.write("e.csv", "")), "e.csv");
        QVERIFY(empty.error);
        QVERIFY2(empty.error->message.find("is empty") != std::string::npos,
                 empty.error->message.c_str());
        const Read header =
            readTable(*makeSource(f.write("h.csv", "\xEF\xBB\xBFid,name\r\n")), "h.csv");
        QVERIFY(!header.error);
        QCOMPARE(typesOf(header.columns), QString("id:text name:text"));
        QVERIFY(header.rows.empty());
    }

    void limitIsHonoured()
    {
        Fixture f;
        std::string csv = "n\n";
        for (int i = 0; i < 2000; ++i)
            csv += std::to_string(i) + "\n";
        auto source = makeSource(f.write("n.csv", csv));
        QCOMPARE(readTable(*source, "n.csv", 3).rows.size(), std::size_t(3));
        const Read zero = readTable(*source, "n.csv", 0);
        QVERIFY(!zero.error);
        QCOMPARE(zero.rows.size(), std::size_t(0));
        QCOMPARE(zero.columns.size(), std::size_t(1));
        const Read past = readTable(*source, "n.csv", 1500);
        QCOMPARE(past.rows.size(), std::size_t(1500));
        QCOMPARE(past.rows.back()[0], integer(1499));
        QCOMPARE(readTable(*source, "n.csv", 5000).rows.size(), std::size_t(2000));
    }

    void offsetSkipsRows()
    {
        Fixture f;
        std::string csv = "n\n";
        for (int i = 0; i < 2000; ++i)
            csv += std::to_string(i) + "\n";
        auto source = makeSource(f.write("n.csv", csv));
        auto read = [&](std::optional<std::int64_t> limit, std::int64_t offset) {
            SourceQuery q{{}, "n.csv", limit};
            q.offset = offset;
            auto stream = source->open(q);
            std::vector<Row> rows;
            Row row;
            while (stream && (*stream)->next(row).value_or(false))
                rows.push_back(row);
            return rows;
        };
        // Past the type-guessing sample (1,000 rows) and inside it.
        auto page = read(500, 1200);
        QCOMPARE(page.size(), std::size_t(500));
        QCOMPARE(page.front()[0], integer(1200));
        QCOMPARE(page.back()[0], integer(1699));
        QCOMPARE(read(3, 10).front()[0], integer(10));
        QCOMPARE(read(100, 1950).size(), std::size_t(50));
        QCOMPARE(read(std::nullopt, 1998).size(), std::size_t(2));
        QCOMPARE(read(10, 5000).size(), std::size_t(0));
    }

    void fileRemovedAfterCreate()
    {
        Fixture f;
        const auto path = f.write("gone.csv", "a\n1\n");
        auto source = makeSource(path);
        fs::remove(path);
        const Read r = readTable(*source, "gone.csv");
        QVERIFY(r.error);
        QVERIFY2(r.error->message.find("does not exist") != std::string::npos,
                 r.error->message.c_str());
        QVERIFY(!source->tables());
    }

    void cancelFromAnotherThread()
    {
        Fixture f;
        std::string csv = "id,name,amount\n";
        csv.reserve(40 * 1000 * 1000);
        for (int i = 0; i < 1500000; ++i)
            csv += std::to_string(i) + ",name " + std::to_string(i) + "," +
                   std::to_string(i % 1000) + ".5\n";
        auto source = makeSource(f.write("big.csv", csv));

        // Cancel lands while next() is being called in a tight loop on this thread.
        auto stream = source->open(SourceQuery{{}, "big.csv", {}});
        QVERIFY(stream);
        std::atomic<bool> started{false};
        std::atomic<std::int64_t> cancelledAtNs{0};
        std::thread canceller([&] {
            while (!started.load())
                std::this_thread::yield();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            cancelledAtNs = std::chrono::steady_clock::now().time_since_epoch().count();
            (*stream)->cancel();
        });
        Row row;
        std::int64_t rows = 0;
        std::optional<Error> error;
        for (;;) {
            auto more = (*stream)->next(row);
            if (rows == 1)
                started = true;
            if (!more) {
                error = more.error();
                break;
            }
            if (!*more)
                break;
            ++rows;
        }
        const auto stoppedAt = std::chrono::steady_clock::now().time_since_epoch().count();
        canceller.join();
        QVERIFY2(error, qPrintable(QString("read all %1 rows before the cancel").arg(rows)));
        QCOMPARE(error->kind, ErrorKind::Cancelled);
        QVERIFY(rows > 0 && rows < 1500000);
        const double latencyMs = (stoppedAt - cancelledAtNs.load()) / 1e6;
        QVERIFY2(latencyMs < 500, qPrintable(QString::number(latencyMs)));
        // It stays cancelled.
        QCOMPARE((*stream)->next(row).error().kind, ErrorKind::Cancelled);

        // Cancelled before the first row: no row at all.
        auto second = source->open(SourceQuery{{}, "big.csv", {}});
        QVERIFY(second);
        std::thread([&] { (*second)->cancel(); }).join();
        QCOMPARE((*second)->next(row).error().kind, ErrorKind::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestCsvSource)
#include "testcsvsource.moc"

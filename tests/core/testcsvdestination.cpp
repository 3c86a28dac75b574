// The CSV file destination: atomic snapshots, append-only change files with an exactly-once
// checkpoint, spreadsheet safety, quoting, and clear errors for bad names and full disks.

#include "destinations/csvdestination.h"

#include "csv/csvreader.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <filesystem>

#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace sluice;
namespace fs = std::filesystem;
using sluice::test::readFile;
using sluice::test::writeFile;

namespace {

using sluice::test::integer;
using sluice::test::null;
using sluice::test::real;
using sluice::test::text;

const char *const kStamp = "2024-05-01T10:00:00Z";

Change change(Op op, std::string key, std::vector<Value> values)
{
    Change c;
    c.op = op;
    c.key = std::move(key);
    c.values = std::move(values);
    return c;
}

Change deletion(std::string key)
{
    Change c;
    c.op = Op::Delete;
    c.key = std::move(key);
    return c;
}

template <class R> const char *message(const R &result)
{
    return result ? "" : result.error().message.c_str();
}

WriteSpec spec(std::string object, std::vector<std::string> fields,
               SyncMode mode = SyncMode::Mirror, std::string keyField = {},
               std::string checkpoint = {})
{
    WriteSpec s;
    s.object = std::move(object);
    s.mode = mode;
    s.fields = std::move(fields);
    s.keyField = std::move(keyField);
    s.checkpoint = std::move(checkpoint);
    s.runStartedAt = kStamp;
    return s;
}

// Files in a folder whose names start with a dot: where the snapshot's temporary file lives.
std::vector<std::string> hiddenFiles(const fs::path &folder)
{
    std::vector<std::string> out;
    for (const auto &entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("."))
            out.push_back(name);
    }
    return out;
}

// Restores the file size limit and SIGXFSZ handling when a test ends, however it ends.
struct FileSizeLimit
{
    rlimit saved{};
    void (*savedHandler)(int) = nullptr;
    explicit FileSizeLimit(rlim_t bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &saved);
        savedHandler = std::signal(SIGXFSZ, SIG_IGN); // write() then fails with EFBIG
        rlimit limit = saved;
        limit.rlim_cur = bytes;
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, savedHandler);
    }
};

} // namespace

class TestCsvDestination : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Destination> make(const fs::path &folder, nlohmann::json extra = {})
    {
        nlohmann::json settings = {{"folder", folder.string()}};
        if (extra.is_object())
            settings.update(extra);
        auto dest = createCsvDestination(settings, DriverContext{});
        if (!dest)
            qFatal("createCsvDestination failed: %s", dest.error().message.c_str());
        return std::move(*dest);
    }

    // Writes a complete snapshot in one batch.
    void snapshot(Destination &dest, const std::string &object,
                  const std::vector<std::string> &fields, const std::vector<Change> &changes)
    {
        auto writer = dest.openWriter(spec(object, fields));
        QVERIFY2(writer, message(writer));
        auto written = (*writer)->write(changes);
        QVERIFY2(written, message(written));
        QCOMPARE(written->size(), changes.size());
        auto committed = (*writer)->commit();
        QVERIFY2(committed, message(committed));
    }

private slots:
    void driverInfo()
    {
        const DriverInfo info = csvDestinationDriverInfo();
        QCOMPARE(info.kind, std::string("csv"));
        QCOMPARE(info.label, std::string("CSV files"));
        QCOMPARE(info.settings.size(), std::size_t(4));
        QCOMPARE(info.settings[0].key, std::string("folder"));
        QCOMPARE(info.settings[0].kind, SettingKind::FolderPath);
        QVERIFY(info.settings[0].required);
        QCOMPARE(info.settings[1].key, std::string("format"));
        QCOMPARE(info.settings[1].kind, SettingKind::Choice);
        QVERIFY(info.settings[1].defaultValue == nlohmann::json("snapshot"));
        QCOMPARE(info.settings[1].choices, (std::vector<std::string>{"snapshot", "changes"}));
        QVERIFY(!info.settings[1].help.empty());
        QCOMPARE(info.settings[2].key, std::string("delimiter"));
        QCOMPARE(info.settings[2].choices, (std::vector<std::string>{",", ";", "tab", "|"}));
        QVERIFY(info.settings[2].defaultValue == nlohmann::json(","));
        QCOMPARE(info.settings[3].key, std::string("spreadsheet_safe"));
        QCOMPARE(info.settings[3].kind, SettingKind::Boolean);
        QVERIFY(info.settings[3].defaultValue == nlohmann::json(true));
    }

    void badSettingsAreRejected()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        writeFile(root / "plain.txt", "x");
        struct Case
        {
            nlohmann::json settings;
            std::string expected;
        };
        const std::vector<Case> cases = {
            {nlohmann::json::object(), "Folder"},
            {{{"folder", ""}}, "Folder"},
            {{{"folder", (root / "plain.txt").string()}}, "not a folder"},
            {{{"folder", root.string()}, {"format", "xml"}}, "snapshot, changes"},
            {{{"folder", root.string()}, {"delimiter", "x"}}, "Delimiter"},
            {{{"folder", root.string()}, {"spreadsheet_safe", "yes"}}, "true or false"},
            {{{"folder", root.string()}, {"colour", "red"}}, "colour"},
        };
        for (const auto &c : cases) {
            auto dest = createCsvDestination(c.settings, DriverContext{});
            QVERIFY2(!dest, c.settings.dump().c_str());
            QVERIFY2(dest.error().message.find(c.expected) != std::string::npos,
                     dest.error().message.c_str());
        }
    }

    void modesPerFormat()
    {
        QTemporaryDir dir;
        auto snap = make(dir.path().toStdString());
        QCOMPARE(snap->capabilities().modes, std::vector<SyncMode>{SyncMode::Mirror});
        QVERIFY(snap->capabilities().fullSnapshot);
        QVERIFY(snap->capabilities().batchSize >= 1000);

        auto changes = make(dir.path().toStdString(), {{"format", "changes"}});
        QCOMPARE(changes->capabilities().modes,
                 (std::vector<SyncMode>{SyncMode::Insert, SyncMode::Update, SyncMode::Upsert,
                                        SyncMode::Mirror}));
        QVERIFY(!changes->capabilities().fullSnapshot);

        // A snapshot is rewritten whole: a mode that keeps old records cannot be honoured.
        auto writer = snap->openWriter(spec("a.csv", {"id"}, SyncMode::Upsert));
        QVERIFY(!writer);
        QVERIFY2(writer.error().message.find("mirror") != std::string::npos, message(writer));
        QVERIFY(!fs::exists(fs::path(dir.path().toStdString()) / "a.csv"));
    }

    void relativeFolderIsResolvedAndCreated()
    {
        QTemporaryDir dir;
        const fs::path base = dir.path().toStdString();
        auto dest = createCsvDestination({{"folder", "out/sub"}}, DriverContext{base});
        QVERIFY2(dest, message(dest));
        auto objects = (*dest)->objects();
        QVERIFY2(objects, message(objects));
        QVERIFY(objects->empty());
        QVERIFY(!fs::exists(base / "out"));
        snapshot(**dest, "a.csv", {"id"}, {change(Op::Upsert, "1", {integer(1)})});
        QCOMPARE(readFile(base / "out/sub/a.csv"), std::string("id\n1\n"));
    }

    void snapshotAppearsOnlyAtCommit()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder);
        QVERIFY(dest->recordsLost("people.csv"));

        auto writer = dest->openWriter(spec("people.csv", {"id", "name", "score"}));
        QVERIFY2(writer, message(writer));
        auto written = (*writer)->write(std::vector<Change>{
            change(Op::Create, "1", {integer(1), text("Ada"), real(2.5)}),
            change(Op::Upsert, "2", {integer(2), text("Grace"), null()}),
        });
        QVERIFY2(written, message(written));
        QCOMPARE(written->size(), std::size_t(2));
        for (const auto &r : *written)
            QCOMPARE(r.status, RecordResult::Status::Ok);
        written = (*writer)->write(
            std::vector<Change>{change(Op::Update, "3", {integer(3), text("Linus"), real(-1)})});
        QVERIFY2(written, message(written));

        // Nothing visible under the real name until commit; the work is in a hidden file.
        QVERIFY(!fs::exists(folder / "people.csv"));
        const auto temps = hiddenFiles(folder);
        QCOMPARE(temps.size(), std::size_t(1));
        QVERIFY(temps[0].starts_with(".people.csv.sluice-tmp-"));
        auto listed = dest->objects();
        QVERIFY2(listed, message(listed));
        QVERIFY(listed->empty());

        auto committed = (*writer)->commit();
        QVERIFY2(committed, message(committed));
        QCOMPARE(readFile(folder / "people.csv"),
                 std::string("id,name,score\n1,Ada,2.5\n2,Grace,\n3,Linus,-1\n"));
        QVERIFY(hiddenFiles(folder).empty());
        QVERIFY(!dest->recordsLost("people.csv"));

        // A writer cannot be used again once committed.
        QVERIFY(!(*writer)->write(std::vector<Change>{}));
        QVERIFY(!(*writer)->commit());
    }

    void snapshotSkipsDeletes()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder);
        auto writer = dest->openWriter(spec("a.csv", {"id"}));
        QVERIFY2(writer, message(writer));
        auto written = (*writer)->write(std::vector<Change>{change(Op::Upsert, "1", {integer(1)}),
                                                            deletion("2"),
                                                            change(Op::Upsert, "3", {integer(3)})});
        QVERIFY2(written, message(written));
        QCOMPARE(written->size(), std::size_t(3));
        QCOMPARE((*written)[1].status, RecordResult::Status::Ok);
        QVERIFY((*writer)->commit());
        QCOMPARE(readFile(folder / "a.csv"), std::string("id\n1\n3\n"));
    }

    void snapshotWithoutChangesWritesHeader()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder);
        writeFile(folder / "a.csv", "id\n1\n2\n");
        auto writer = dest->openWriter(spec("a.csv", {"id", "name"}));
        QVERIFY2(writer, message(writer));
        QVERIFY((*writer)->commit());
        QCOMPARE(readFile(folder / "a.csv"), std::string("id,name\n"));
    }

    void snapshotAbortKeepsOldFile()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder);
        snapshot(*dest, "a.csv", {"id", "name"},
                 {change(Op::Upsert, "1", {integer(1), text("x")})});
        ::chmod((folder / "a.csv").c_str(), 0640);
        const std::string before = readFile(folder / "a.csv");

        {
            auto writer = dest->openWriter(spec("a.csv", {"id", "name"}));
            QVERIFY2(writer, message(writer));
            QVERIFY((*writer)->write(
                std::vector<Change>{change(Op::Upsert, "2", {integer(2), text("y")})}));
            (*writer)->abort();
            QCOMPARE(readFile(folder / "a.csv"), before);
            QVERIFY(hiddenFiles(folder).empty());
        }
        {
            // Destroyed without commit or abort: the same.
            auto writer = dest->openWriter(spec("a.csv", {"id", "name"}));
            QVERIFY2(writer, message(writer));
            QVERIFY((*writer)->write(
                std::vector<Change>{change(Op::Upsert, "2", {integer(2), text("y")})}));
            QCOMPARE(hiddenFiles(folder).size(), std::size_t(1));
        }
        QCOMPARE(readFile(folder / "a.csv"), before);
        QVERIFY(hiddenFiles(folder).empty());

        // A real rewrite keeps the permissions the user gave the file.
        snapshot(*dest, "a.csv", {"id"}, {change(Op::Upsert, "9", {integer(9)})});
        QCOMPARE(readFile(folder / "a.csv"), std::string("id\n9\n"));
        struct stat st
        {
        };
        QCOMPARE(::stat((folder / "a.csv").c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0640);
    }

    void snapshotLargeFileIsComplete()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder);
        auto writer = dest->openWriter(spec("big.csv", {"id", "label"}));
        QVERIFY2(writer, message(writer));
        std::string expected = "id,label\n";
        std::vector<Change> batch;
        const int rows = 300000;
        for (int i = 0; i < rows; ++i) {
            const std::string label =
                "row " + std::to_string(i) + (i % 7 == 0 ? ", with comma" : "");
            batch.push_back(change(Op::Upsert, std::to_string(i), {integer(i), text(label)}));
            expected += std::to_string(i) + "," + (i % 7 == 0 ? "\"" + label + "\"" : label) + "\n";
            if (batch.size() == 5000) {
                QVERIFY((*writer)->write(batch));
                batch.clear();
            }
        }
        QVERIFY((*writer)->write(batch));
        QVERIFY(expected.size() > 4u << 20); // several 1 MiB chunks
        QVERIFY((*writer)->commit());
        QVERIFY(readFile(folder / "big.csv") == expected);
        QVERIFY(hiddenFiles(folder).empty());
    }

    void snapshotDiskFull()
    {
        // A real full disk: a tiny tmpfs in a private mount namespace, so nothing is left
        // mounted if the test dies.
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        if (::unshare(CLONE_NEWNS) != 0 ||
            ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            ::mount("tmpfs", folder.c_str(), "tmpfs", 0, "size=256k") != 0)
            QSKIP("cannot mount a small tmpfs here (needs CAP_SYS_ADMIN); see "
                  "writeFailsAtFileSizeLimit for the same paths with EFBIG");
        struct Unmount
        {
            fs::path path;
            ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
        } unmount{folder};

        auto dest = make(folder);
        snapshot(*dest, "a.csv", {"id", "text"},
                 {change(Op::Upsert, "1", {integer(1), text("old")})});
        const std::string before = readFile(folder / "a.csv");

        auto writer = dest->openWriter(spec("a.csv", {"id", "text"}));
        QVERIFY2(writer, message(writer));
        const std::string filler(200, 'x');
        std::vector<Change> batch;
        for (int i = 0; i < 10000; ++i) // ~2 MB, far more than the 256 KiB disk
            batch.push_back(change(Op::Upsert, std::to_string(i), {integer(i), text(filler)}));
        auto written = (*writer)->write(batch);
        Result<void> committed;
        if (written)
            committed = (*writer)->commit();
        QVERIFY(!written || !committed);
        const Error error = written ? committed.error() : written.error();
        QVERIFY2(error.message.find("The disk is full while writing \"a.csv\"") !=
                     std::string::npos,
                 error.message.c_str());
        QVERIFY2(error.message.find(folder.string()) != std::string::npos, error.message.c_str());
        QCOMPARE(error.kind, ErrorKind::Io);
        (*writer)->abort();

        QCOMPARE(readFile(folder / "a.csv"), before);
        QVERIFY(hiddenFiles(folder).empty());
        // The space came back: a small rewrite succeeds.
        snapshot(*dest, "a.csv", {"id"}, {change(Op::Upsert, "2", {integer(2)})});
        QCOMPARE(readFile(folder / "a.csv"), std::string("id\n2\n"));

        // The changes format on a full disk keeps only complete batches.
        auto log = make(folder, {{"format", "changes"}});
        auto appender = log->openWriter(spec("log.csv", {"id", "text"}, SyncMode::Upsert, "id"));
        QVERIFY2(appender, message(appender));
        QVERIFY((*appender)->write(
            std::vector<Change>{change(Op::Create, "1", {integer(1), text("first")})}));
        const std::string committedLog = readFile(folder / "log.csv");
        QCOMPARE((*appender)->checkpoint(), std::to_string(committedLog.size()));
        auto failed = (*appender)->write(batch);
        QVERIFY(!failed);
        QVERIFY2(failed.error().message.find("The disk is full") != std::string::npos,
                 message(failed));
        QCOMPARE(readFile(folder / "log.csv"), committedLog);
        QCOMPARE((*appender)->checkpoint(), std::to_string(committedLog.size()));
        // Still usable once space is back (the big batch was cut away again).
        QVERIFY((*appender)->write(std::vector<Change>{deletion("1")}));
        QVERIFY((*appender)->commit());
        QCOMPARE(readFile(folder / "log.csv"), committedLog + "delete," + kStamp + ",1,\n");
    }

    void writeFailsAtFileSizeLimit()
    {
        // Root ignores permissions, but not RLIMIT_FSIZE: writes past it fail with EFBIG,
        // which takes the same failure paths as a full disk.
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder);
        snapshot(*dest, "a.csv", {"id"}, {change(Op::Upsert, "1", {integer(1)})});
        const std::string before = readFile(folder / "a.csv");
        std::vector<Change> batch;
        for (int i = 0; i < 100000; ++i)
            batch.push_back(change(Op::Upsert, std::to_string(i), {text(std::string(30, 'y'))}));

        {
            FileSizeLimit limit(64 * 1024);
            auto writer = dest->openWriter(spec("a.csv", {"id"}));
            QVERIFY2(writer, message(writer));
            auto written = (*writer)->write(batch);
            QVERIFY(!written);
            QVERIFY2(written.error().message.find("\"a.csv\"") != std::string::npos,
                     message(written));
            QVERIFY2(written.error().message.find("left unchanged") != std::string::npos,
                     message(written));
            // The failed writer refuses to commit a partial file.
            QVERIFY(!(*writer)->commit());
            QVERIFY(hiddenFiles(folder).empty());
        }
        QCOMPARE(readFile(folder / "a.csv"), before);

        auto log = make(folder, {{"format", "changes"}});
        auto appender = log->openWriter(spec("log.csv", {"id"}, SyncMode::Insert));
        QVERIFY2(appender, message(appender));
        QVERIFY((*appender)->write(std::vector<Change>{change(Op::Create, "k", {text("v")})}));
        const std::string committedLog = readFile(folder / "log.csv");
        {
            FileSizeLimit limit(64 * 1024);
            QVERIFY(!(*appender)->write(batch));
        }
        QCOMPARE(readFile(folder / "log.csv"), committedLog);
        QVERIFY((*appender)->commit());
    }

    void spreadsheetSafe_data()
    {
        QTest::addColumn<bool>("safe");
        QTest::addColumn<QString>("expected");
        QTest::newRow("on") << true << "'=SUM(A1:A9),'+1,'-x,'@me,-5,-2.5,plain,\"'=a,b\",\n";
        QTest::newRow("off") << false << "=SUM(A1:A9),+1,-x,@me,-5,-2.5,plain,\"=a,b\",\n";
    }

    void spreadsheetSafe()
    {
        QFETCH(bool, safe);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"spreadsheet_safe", safe}});
        snapshot(*dest, "a.csv", {"=x", "b", "c", "d", "e", "f", "g", "h", "i"},
                 {change(Op::Upsert, "1",
                         {text("=SUM(A1:A9)"), text("+1"), text("-x"), text("@me"), integer(-5),
                          real(-2.5), text("plain"), text("=a,b"), null()})});
        const std::string content = readFile(folder / "a.csv");
        const std::string row = content.substr(content.find('\n') + 1);
        const std::string header = content.substr(0, content.find('\n'));
        QCOMPARE(header, std::string(safe ? "'=x,b,c,d,e,f,g,h,i" : "=x,b,c,d,e,f,g,h,i"));
        // The last field is NULL: an empty cell, hence the trailing delimiter.
        QCOMPARE(row, expected.toStdString());

        // Either way, the mapping canvas sees the real field name.
        auto fields = dest->fields("a.csv");
        QVERIFY2(fields, message(fields));
        QCOMPARE(fields->front().name, std::string("=x"));
        QCOMPARE(fields->front().type, ColumnType::Unknown);
    }

    void quotingUnicodeAndNull_data()
    {
        QTest::addColumn<QString>("delimiter");
        QTest::addColumn<QString>("expected");
        QTest::newRow("comma") << ","
                               << "id,note\n"
                                  "1,\"a,b\"\n"
                                  "2,\"say \"\"hi\"\"\"\n"
                                  "3,\"two\nlines\"\n"
                                  "4,Zoë 日本 🚀\n"
                                  "5,\n"
                                  "6,\"\"\n"
                                  "7,\" padded \"\n"
                                  "8,a;b|c\tz\n";
        QTest::newRow("semicolon") << ";"
                                   << "id;note\n"
                                      "1;a,b\n"
                                      "2;\"say \"\"hi\"\"\"\n"
                                      "3;\"two\nlines\"\n"
                                      "4;Zoë 日本 🚀\n"
                                      "5;\n"
                                      "6;\"\"\n"
                                      "7;\" padded \"\n"
                                      "8;\"a;b|c\tz\"\n";
        QTest::newRow("tab") << "tab"
                             << "id\tnote\n"
                                "1\ta,b\n"
                                "2\t\"say \"\"hi\"\"\"\n"
                                "3\t\"two\nlines\"\n"
                                "4\tZoë 日本 🚀\n"
                                "5\t\n"
                                "6\t\"\"\n"
                                "7\t\" padded \"\n"
                                "8\t\"a;b|c\tz\"\n";
    }

    void quotingUnicodeAndNull()
    {
        QFETCH(QString, delimiter);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"delimiter", delimiter.toStdString()}});
        snapshot(*dest, "a.csv", {"id", "note"},
                 {change(Op::Upsert, "1", {integer(1), text("a,b")}),
                  change(Op::Upsert, "2", {integer(2), text("say \"hi\"")}),
                  change(Op::Upsert, "3", {integer(3), text("two\nlines")}),
                  change(Op::Upsert, "4", {integer(4), text("Zoë 日本 🚀")}),
                  change(Op::Upsert, "5", {integer(5), null()}),
                  change(Op::Upsert, "6", {integer(6), text("")}),
                  change(Op::Upsert, "7", {integer(7), text(" padded ")}),
                  change(Op::Upsert, "8", {integer(8), text("a;b|c\tz")})});
        const std::string content = readFile(folder / "a.csv");
        QVERIFY(!content.starts_with("\xEF\xBB\xBF")); // no BOM
        QCOMPARE(QString::fromStdString(content), expected);
    }

    void readBackWithCsvReader()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"delimiter", "|"}});
        const std::vector<Value> values = {text("a|b"), text("q\"uote"), text("multi\r\nline"),
                                           text("Zoë"), null(),          text(""),
                                           integer(-7)};
        const std::vector<std::string> fields = {"a", "b", "c", "d", "e", "f", "g"};
        snapshot(*dest, "r.csv", fields, {change(Op::Upsert, "1", values)});

        auto reader = CsvReader::open(folder / "r.csv", CsvReadOptions{'|'});
        QVERIFY2(reader, message(reader));
        std::vector<CsvField> cells;
        auto got = (*reader)->next(cells);
        QVERIFY2(got && *got, message(got));
        QCOMPARE(cells.size(), fields.size());
        for (std::size_t i = 0; i < fields.size(); ++i)
            QCOMPARE(std::string(cells[i].text), fields[i]);
        got = (*reader)->next(cells);
        QVERIFY2(got && *got, message(got));
        QCOMPARE(cells.size(), values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            QCOMPARE(std::string(cells[i].text), values[i].toString());
        QVERIFY(!cells[4].quoted); // NULL: bare empty field
        QVERIFY(cells[5].quoted);  // empty text: ""
        got = (*reader)->next(cells);
        QVERIFY2(got && !*got, message(got));
    }

    void changesNewFileWithKeyColumn()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"format", "changes"}});
        QVERIFY(!dest->recordsLost("log.csv"));
        auto writer = dest->openWriter(spec("log.csv", {"name", "age"}, SyncMode::Mirror));
        QVERIFY2(writer, message(writer));
        auto written = (*writer)->write(std::vector<Change>{
            change(Op::Create, "k1", {text("Ada"), integer(36)}),
            change(Op::Update, "k2", {text("Bob, Jr."), null()}),
            change(Op::Upsert, "-3", {text("=1+1"), integer(-3)}),
            deletion("k4"),
            deletion("-3"),
        });
        QVERIFY2(written, message(written));
        QCOMPARE(written->size(), std::size_t(5));
        const std::string expected =
            std::string("operation,synced_at,key,name,age\n") + "create," + kStamp +
            ",k1,Ada,36\n" + "update," + kStamp + ",k2,\"Bob, Jr.\",\n" + "upsert," + kStamp +
            ",-3,'=1+1,-3\n" + "delete," + kStamp + ",k4,,\n" + "delete," + kStamp + ",-3,,\n";
        // Durable after write(), before commit.
        QCOMPARE(readFile(folder / "log.csv"), expected);
        QCOMPARE((*writer)->checkpoint(), std::to_string(expected.size()));
        QVERIFY((*writer)->commit());
        QCOMPARE(readFile(folder / "log.csv"), expected);

        // The mapping canvas sees only the data fields.
        auto fields = dest->fields("log.csv");
        QVERIFY2(fields, message(fields));
        QCOMPARE(fields->size(), std::size_t(2));
        QCOMPARE((*fields)[0].name, std::string("name"));
        QCOMPARE((*fields)[1].name, std::string("age"));
    }

    void changesKeyFieldAmongFieldsAndAppends()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"format", "changes"}, {"delimiter", ";"}});
        const std::vector<std::string> fields = {"email", "id", "name"};
        std::string checkpoint;
        {
            auto writer = dest->openWriter(spec("log.csv", fields, SyncMode::Upsert, "id"));
            QVERIFY2(writer, message(writer));
            QVERIFY((*writer)->write(std::vector<Change>{
                change(Op::Upsert, "7", {text("a@x.io"), integer(7), text("A")})}));
            checkpoint = (*writer)->checkpoint();
            QVERIFY((*writer)->commit());
        }
        {
            WriteSpec s = spec("log.csv", fields, SyncMode::Upsert, "id", checkpoint);
            s.runStartedAt = "2024-05-02T10:00:00Z";
            auto writer = dest->openWriter(s);
            QVERIFY2(writer, message(writer));
            QVERIFY((*writer)->write(std::vector<Change>{deletion("7")}));
            QVERIFY((*writer)->commit());
        }
        QCOMPARE(readFile(folder / "log.csv"), std::string("operation;synced_at;email;id;name\n") +
                                                   "upsert;" + kStamp + ";a@x.io;7;A\n" +
                                                   "delete;2024-05-02T10:00:00Z;;7;\n");
    }

    void changesRunWithoutChangesCreatesHeaderOnly()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"format", "changes"}});
        {
            // Aborted before anything was written: no stray empty file.
            auto writer = dest->openWriter(spec("a.csv", {"id"}, SyncMode::Upsert, "id"));
            QVERIFY2(writer, message(writer));
            QVERIFY(fs::exists(folder / "a.csv"));
            (*writer)->abort();
            QVERIFY(!fs::exists(folder / "a.csv"));
        }
        auto writer = dest->openWriter(spec("a.csv", {"id"}, SyncMode::Upsert, "id"));
        QVERIFY2(writer, message(writer));
        QVERIFY((*writer)->commit());
        QCOMPARE(readFile(folder / "a.csv"), std::string("operation,synced_at,id\n"));
    }

    void changesHeaderMismatch()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"format", "changes"}});
        const std::string old = "operation,synced_at,id,email\nupsert,t,1,a@b\n";
        writeFile(folder / "log.csv", old);
        auto writer = dest->openWriter(spec("log.csv", {"id", "name"}, SyncMode::Upsert, "id"));
        QVERIFY(!writer);
        const std::string &m = writer.error().message;
        QVERIFY2(m.find("(operation, synced_at, id, email) differ from this sync's "
                        "(operation, synced_at, id, name)") != std::string::npos,
                 m.c_str());
        QVERIFY2(m.find("new file name") != std::string::npos, m.c_str());
        QCOMPARE(readFile(folder / "log.csv"), old);

        // Same names, other delimiter: say so.
        writeFile(folder / "semi.csv", "operation;synced_at;id;name\n");
        writer = dest->openWriter(spec("semi.csv", {"id", "name"}, SyncMode::Upsert, "id"));
        QVERIFY(!writer);
        QVERIFY2(writer.error().message.find("seems to use ;") != std::string::npos,
                 message(writer));

        // Matching header (even with CRLF line ends from a spreadsheet): appended to.
        writeFile(folder / "ok.csv", "operation,synced_at,id,name\r\n");
        writer = dest->openWriter(spec("ok.csv", {"id", "name"}, SyncMode::Upsert, "id"));
        QVERIFY2(writer, message(writer));
        (*writer)->abort();
        QCOMPARE(readFile(folder / "ok.csv"), std::string("operation,synced_at,id,name\r\n"));
    }

    void changesCheckpointGivesExactlyOnce()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"format", "changes"}});
        const std::vector<std::string> fields = {"id", "v"};
        const std::vector<Change> first = {change(Op::Create, "1", {integer(1), text("a")}),
                                           change(Op::Create, "2", {integer(2), text("b")})};
        const std::vector<Change> second = {change(Op::Update, "1", {integer(1), text("c")}),
                                            deletion("2")};

        std::string stored; // what the engine committed with its state
        {
            auto writer = dest->openWriter(spec("log.csv", fields, SyncMode::Mirror, "id"));
            QVERIFY2(writer, message(writer));
            QVERIFY((*writer)->write(first));
            stored = (*writer)->checkpoint();
            QVERIFY((*writer)->commit());
        }
        const std::string afterFirst = readFile(folder / "log.csv");
        QCOMPARE(stored, std::to_string(afterFirst.size()));
        {
            // The second batch reaches the file, then the process dies before the engine
            // stores the new checkpoint.
            auto writer = dest->openWriter(spec("log.csv", fields, SyncMode::Mirror, "id", stored));
            QVERIFY2(writer, message(writer));
            QVERIFY((*writer)->write(second));
            QVERIFY((*writer)->checkpoint() != stored);
        }
        QVERIFY(readFile(folder / "log.csv").size() > afterFirst.size());
        {
            // The next run cuts the tail away; the engine sends the batch again.
            auto writer = dest->openWriter(spec("log.csv", fields, SyncMode::Mirror, "id", stored));
            QVERIFY2(writer, message(writer));
            QCOMPARE(readFile(folder / "log.csv"), afterFirst);
            QVERIFY((*writer)->write(second));
            QVERIFY((*writer)->commit());
        }
        QCOMPARE(readFile(folder / "log.csv"),
                 afterFirst + "update," + kStamp + ",1,c\n" + "delete," + kStamp + ",2,\n");
    }

    void changesCheckpointIgnoredWhenFileWasEdited()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"format", "changes"}});
        const std::string header = "operation,synced_at,id\n";
        const std::string line = std::string("create,") + kStamp + ",1\n";

        // Shorter than the checkpoint (someone removed lines): append, do not truncate.
        writeFile(folder / "short.csv", header + line);
        {
            auto writer = dest->openWriter(
                spec("short.csv", {"id"}, SyncMode::Upsert, "id", std::to_string(10000)));
            QVERIFY2(writer, message(writer));
            QVERIFY((*writer)->write(std::vector<Change>{deletion("1")}));
            QVERIFY((*writer)->commit());
        }
        QCOMPARE(readFile(folder / "short.csv"), header + line + "delete," + kStamp + ",1\n");

        // A checkpoint that is not at a line end is not one Sluice wrote: leave the file.
        writeFile(folder / "mid.csv", header + line + line);
        {
            auto writer = dest->openWriter(
                spec("mid.csv", {"id"}, SyncMode::Upsert, "id", std::to_string(header.size() + 3)));
            QVERIFY2(writer, message(writer));
            QCOMPARE(readFile(folder / "mid.csv"), header + line + line);
            (*writer)->abort();
        }
        // Nonsense is ignored too.
        {
            auto writer =
                dest->openWriter(spec("mid.csv", {"id"}, SyncMode::Upsert, "id", "12abc"));
            QVERIFY2(writer, message(writer));
            (*writer)->abort();
            QCOMPARE(readFile(folder / "mid.csv"), header + line + line);
        }
    }

    void changesFileWithoutFinalLineEnd()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"format", "changes"}});
        writeFile(folder / "a.csv", "operation,synced_at,id\ncreate,t,1");
        auto writer = dest->openWriter(spec("a.csv", {"id"}, SyncMode::Upsert, "id"));
        QVERIFY2(writer, message(writer));
        QVERIFY((*writer)->write(std::vector<Change>{deletion("1")}));
        const std::string expected =
            std::string("operation,synced_at,id\ncreate,t,1\ndelete,") + kStamp + ",1\n";
        QCOMPARE((*writer)->checkpoint(), std::to_string(expected.size()));
        QVERIFY((*writer)->commit());
        QCOMPARE(readFile(folder / "a.csv"), expected);
    }

    void changesSecondWriterIsRefused()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder, {{"format", "changes"}});
        auto first = dest->openWriter(spec("a.csv", {"id"}, SyncMode::Upsert, "id"));
        QVERIFY2(first, message(first));
        auto second = dest->openWriter(spec("a.csv", {"id"}, SyncMode::Upsert, "id"));
        QVERIFY(!second);
        QVERIFY2(second.error().message.find("Another sync is writing") != std::string::npos,
                 message(second));
        QVERIFY((*first)->commit());
        second = dest->openWriter(spec("a.csv", {"id"}, SyncMode::Upsert, "id"));
        QVERIFY2(second, message(second));
    }

    void reservedAndDuplicateFieldNames()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto changes = make(folder, {{"format", "changes"}});
        auto snap = make(folder);
        struct Case
        {
            Destination *dest;
            std::vector<std::string> fields;
            std::string keyField;
            std::string expected;
        };
        const std::vector<Case> cases = {
            {changes.get(), {"id", "operation"}, "id", "\"operation\" is used by Sluice"},
            {changes.get(), {"synced_at"}, "", "\"synced_at\" is used by Sluice"},
            {changes.get(), {"key", "x"}, "", "\"key\" is used by Sluice"},
            {changes.get(), {"id", "id"}, "id", "mapped twice"},
            {snap.get(), {"a", "b", "a"}, "", "mapped twice"},
            {snap.get(), {"a", ""}, "", "needs a name"},
            {snap.get(), {}, "", "at least one field"},
        };
        for (const auto &c : cases) {
            auto writer = c.dest->openWriter(
                spec("a.csv", c.fields, c.dest == snap.get() ? SyncMode::Mirror : SyncMode::Upsert,
                     c.keyField));
            QVERIFY(!writer);
            QVERIFY2(writer.error().message.find(c.expected) != std::string::npos, message(writer));
        }
        QVERIFY(!fs::exists(folder / "a.csv"));
        QVERIFY(hiddenFiles(folder).empty());
        // "key" is fine when it is the key field itself (no extra key column then).
        auto writer = changes->openWriter(spec("a.csv", {"key", "x"}, SyncMode::Upsert, "key"));
        QVERIFY2(writer, message(writer));
    }

    void invalidObjectNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << ""
                               << "Choose a file name";
        QTest::newRow("parent") << "../escape.csv"
                                << "plain name";
        QTest::newRow("dotdot") << "..csv"
                                << "plain name";
        QTest::newRow("subfolder") << "sub/x.csv"
                                   << "plain name";
        QTest::newRow("absolute") << "/tmp/x.csv"
                                  << "plain name";
        QTest::newRow("backslash") << "a\\b.csv"
                                   << "plain name";
        QTest::newRow("not csv") << "notes.txt"
                                 << "must end with .csv";
        QTest::newRow("only extension") << ".csv"
                                        << "starts with a dot";
        QTest::newRow("hidden") << ".secret.csv"
                                << "starts with a dot";
        QTest::newRow("control") << "a\nb.csv"
                                 << "control character";
        QTest::newRow("too long") << QString(300, 'x') + ".csv"
                                  << "too long";
    }

    void invalidObjectNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const fs::path folder = fs::path(dir.path().toStdString()) / "out";
        for (const char *format : {"snapshot", "changes"}) {
            auto dest = make(folder, {{"format", format}});
            auto writer = dest->openWriter(spec(name.toStdString(), {"id"}, SyncMode::Mirror));
            QVERIFY(!writer);
            QCOMPARE(writer.error().kind, ErrorKind::Invalid);
            QVERIFY2(writer.error().message.find(expected.toStdString()) != std::string::npos,
                     message(writer));
            auto fields = dest->fields(name.toStdString());
            QVERIFY(!fields);
            QVERIFY(!dest->recordsLost(name.toStdString()));
        }
        // Nothing was created, neither in the folder nor next to it.
        QVERIFY(!fs::exists(folder));
        QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()),
                               fs::directory_iterator()),
                 std::ptrdiff_t(0));
    }

    void objectsAndFields()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder);
        writeFile(folder / "b.CSV", "x;y;z\n1;2;3\n");
        writeFile(folder / "a.csv", "id,\"full name\",\"a,b\"\n");
        writeFile(folder / "empty.csv", "");
        writeFile(folder / "notes.txt", "id\n");
        writeFile(folder / ".a.csv.sluice-tmp-1-1", "id\n");
        fs::create_directory(folder / "dir.csv");

        auto objects = dest->objects();
        QVERIFY2(objects, message(objects));
        QCOMPARE(objects->size(), std::size_t(3));
        QCOMPARE((*objects)[0].name, std::string("a.csv"));
        QCOMPARE((*objects)[1].name, std::string("b.CSV"));
        QCOMPARE((*objects)[2].name, std::string("empty.csv"));
        for (const auto &o : *objects)
            QVERIFY(o.openFields);

        auto fields = dest->fields("a.csv");
        QVERIFY2(fields, message(fields));
        QCOMPARE(fields->size(), std::size_t(3));
        QCOMPARE((*fields)[1].name, std::string("full name"));
        QCOMPARE((*fields)[2].name, std::string("a,b"));
        QCOMPARE((*fields)[2].type, ColumnType::Unknown);
        fields = dest->fields("b.CSV"); // another delimiter: still the right names
        QVERIFY2(fields, message(fields));
        QCOMPARE(fields->size(), std::size_t(3));
        QCOMPARE((*fields)[2].name, std::string("z"));
        fields = dest->fields("empty.csv");
        QVERIFY2(fields, message(fields));
        QVERIFY(fields->empty());
        fields = dest->fields("new.csv");
        QVERIFY2(fields, message(fields));
        QVERIFY(fields->empty());
        fields = dest->fields("dir.csv");
        QVERIFY(!fields);
        QVERIFY2(fields.error().message.find("is a folder") != std::string::npos, message(fields));
        auto writer = dest->openWriter(spec("dir.csv", {"id"}));
        QVERIFY(!writer);
        QVERIFY2(writer.error().message.find("is a folder") != std::string::npos, message(writer));

        // A missing folder simply has no files yet; a file where the folder should be is an
        // error.
        auto missing = make(folder / "nothing-here");
        objects = missing->objects();
        QVERIFY2(objects, message(objects));
        QVERIFY(objects->empty());
        QVERIFY(missing->recordsLost("a.csv"));
        writeFile(folder / "later", "x");
        auto misplaced = make(folder / "later-dir");
        fs::rename(folder / "later", folder / "later-dir");
        objects = misplaced->objects();
        QVERIFY(!objects);
        QVERIFY2(objects.error().message.find("not a folder") != std::string::npos,
                 message(objects));
        writer = misplaced->openWriter(spec("a.csv", {"id"}));
        QVERIFY(!writer);
        QVERIFY2(writer.error().message.find("not a folder") != std::string::npos, message(writer));
    }

    void staleTemporaryFilesAreRemoved()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        auto dest = make(folder);
        // A temp file of a process that no longer exists (pids never get this large), old
        // enough; and one of a live process (pid 1), which must stay.
        const fs::path dead = folder / ".a.csv.sluice-tmp-2000000000-1";
        const fs::path live = folder / ".a.csv.sluice-tmp-1-1";
        const fs::path young = folder / ".a.csv.sluice-tmp-2000000001-1";
        writeFile(dead, "partial");
        writeFile(live, "partial");
        writeFile(young, "partial");
        const auto old = fs::file_time_type::clock::now() - std::chrono::hours(2);
        fs::last_write_time(dead, old);
        fs::last_write_time(live, old);
        snapshot(*dest, "a.csv", {"id"}, {});
        QVERIFY(!fs::exists(dead));
        QVERIFY(fs::exists(live));
        QVERIFY(fs::exists(young));
    }

    void snapshotReplacesFileBehindSymlink()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        fs::create_directory(folder / "real");
        fs::create_directory(folder / "out");
        writeFile(folder / "real/data.csv", "id\n1\n");
        fs::create_symlink(folder / "real/data.csv", folder / "out/data.csv");
        auto dest = make(folder / "out");
        snapshot(*dest, "data.csv", {"id"}, {change(Op::Upsert, "2", {integer(2)})});
        QVERIFY(fs::is_symlink(folder / "out/data.csv"));
        QCOMPARE(readFile(folder / "real/data.csv"), std::string("id\n2\n"));
        QVERIFY(hiddenFiles(folder / "real").empty());
    }
};

QTEST_GUILESS_MAIN(TestCsvDestination)
#include "testcsvdestination.moc"

// Sync benchmark: a 1,000,000-row × 10-column SQLite table synced to a CSV file.
//   (a) sqlite3 -csv dumping the model query to a file: the floor, since a sync must at least
//       read its source;
//   (b) Sluice's first full sync;  (c) a re-run after changing 1% of rows;  (d) a no-change re-run.
// Each Sluice run is a separate sluice-cli process, so its peak RSS is its own (wait4).
// Usage: bench_sync [--rows N] [--keep DIR]
#include "util/sqlite.h"
#include "workspace/workspace.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace sluice;

namespace {

struct Measure
{
    double seconds = 0;
    long maxRssKb = 0;
    int exitCode = -1;
};

// Runs argv with stdout to outPath (or /dev/null) and returns wall time and the child's peak RSS.
Measure runChild(const std::vector<std::string> &argv, const std::string &outPath)
{
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDOUT_FILENO);
        std::vector<char *> args;
        for (const auto &a : argv)
            args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    struct rusage usage
    {
    };
    wait4(pid, &status, 0, &usage);
    Measure m;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.maxRssKb = usage.ru_maxrss;
    m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return m;
}

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "bench_sync: %s\n", what);
        std::exit(2);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    long rows = 1000000;
    std::string keep;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--rows" && i + 1 < argc)
            rows = std::atol(argv[++i]);
        else if (a == "--keep" && i + 1 < argc)
            keep = argv[++i];
    }
    const std::string cli = SLUICE_CLI_PATH;
    QTemporaryDir tmp;
    const std::filesystem::path dir = keep.empty() ? tmp.path().toStdString() : keep;
    std::filesystem::create_directories(dir);
    const auto source = dir / "bench.db";
    const auto wsPath = dir / "bench.sluice";
    std::filesystem::remove(source);
    std::filesystem::remove(wsPath);
    std::filesystem::remove_all(dir / "out");

    std::printf("Generating %ld rows × 10 columns in %s …\n", rows, source.c_str());
    {
        auto db = SqliteDb::open(source, SqliteDb::Mode::ReadWriteCreate);
        check(db.has_value(), "cannot create the source");
        check(
            db->exec(
                  "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                  "CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name TEXT, last_name "
                  "TEXT, email TEXT, company TEXT, city TEXT, plan TEXT, seats INTEGER, mrr "
                  "REAL, signed_up TEXT);"
                  "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
                  std::to_string(rows) +
                  ") INSERT INTO contacts SELECT x, 'First' || (x % 997), 'Last' || (x % 1009), "
                  "'user' || x || '@example.com', 'Company ' || (x % 5000), 'City ' || (x % 300), "
                  "CASE x % 4 WHEN 0 THEN 'free' WHEN 1 THEN 'starter' WHEN 2 THEN 'growth' ELSE "
                  "'enterprise' END, x % 200, (x % 100000) / 100.0, date('2020-01-01', '+' || (x "
                  "% 2000) || ' days') FROM n;")
                .has_value(),
            "cannot fill the source");
    }
    const std::string query =
        "SELECT id, first_name, last_name, email, company, city, plan, seats, "
        "mrr, signed_up FROM contacts";
    {
        auto ws = Workspace::open(wsPath);
        check(ws.has_value(), "cannot create the workspace");
        ConnectionDef src{
            0, "Bench", ConnectionRole::Source, "sqlite", {{"path", source.string()}}};
        src.id = ws->saveConnection(src).value();
        ConnectionDef dst{0,
                          "Out",
                          ConnectionRole::Destination,
                          "csv",
                          {{"folder", (dir / "out").string()}, {"format", "snapshot"}}};
        dst.id = ws->saveConnection(dst).value();
        ModelDef m{0, "contacts", src.id, query, "", "id", ""};
        m.id = ws->saveModel(m).value();
        SyncDef s;
        s.name = "bench";
        s.modelId = m.id;
        s.destinationId = dst.id;
        s.object = "contacts.csv";
        s.mode = SyncMode::Mirror;
        for (const char *c : {"id", "first_name", "last_name", "email", "company", "city", "plan",
                              "seats", "mrr", "signed_up"})
            s.mapping.fields.push_back(FieldMapping{c, std::nullopt, c, {}});
        check(ws->saveSync(s).has_value(), "cannot save the sync");
    }

    const std::string floorOut = (dir / "floor.csv").string();
    runChild({"sqlite3", "-csv", source.string(), query}, floorOut); // warm the page cache
    const Measure a = runChild({"sqlite3", "-csv", source.string(), query}, floorOut);
    check(a.exitCode == 0, "sqlite3 failed (is the sqlite3 package installed?)");
    std::filesystem::remove(floorOut);

    const std::vector<std::string> run = {cli,   "--workspace", wsPath.string(),
                                          "run", "bench",       "--json"};
    const Measure b = runChild(run, (dir / "b.json").string());
    check(b.exitCode == 0, "first sync failed (see b.json)");
    {
        auto db = SqliteDb::open(source, SqliteDb::Mode::ReadWrite);
        check(db->exec("UPDATE contacts SET plan = plan || '+' WHERE id % 100 = 0").has_value(),
              "cannot change 1% of rows");
    }
    const Measure c = runChild(run, (dir / "c.json").string());
    check(c.exitCode == 0, "1% re-run failed");
    const Measure d = runChild(run, (dir / "d.json").string());
    check(d.exitCode == 0, "no-change re-run failed");

    auto line = [&](const char *name, const Measure &m, double target) {
        const double ratio = m.seconds / a.seconds;
        std::printf("%-34s %7.3f s  %5.2f× floor  (target ≤ %.1f×: %s)  peak RSS %6.1f MB\n", name,
                    m.seconds, ratio, target, ratio <= target ? "met" : "MISSED",
                    m.maxRssKb / 1024.0);
        return ratio <= target && m.maxRssKb <= 150 * 1024;
    };
    std::printf("\nrows: %ld × 10 columns\n", rows);
    std::printf("%-34s %7.3f s\n", "(a) sqlite3 -csv (floor)", a.seconds);
    bool ok = line("(b) first full sync", b, 2.0);
    ok = line("(c) re-run after 1% change", c, 1.5) && ok;
    ok = line("(d) re-run, no change", d, 1.5) && ok;
    const long peak = std::max({b.maxRssKb, c.maxRssKb, d.maxRssKb});
    std::printf("peak RSS of Sluice: %.1f MB (target ≤ 150 MB: %s)\n", peak / 1024.0,
                peak <= 150 * 1024 ? "met" : "MISSED");
    std::printf("%s\n", ok ? "All targets met." : "Some targets were MISSED.");
    return 0;
}

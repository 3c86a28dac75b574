#include "commands.h"

#include "csv/csvwriter.h"
#include "demo/demoworkspace.h"
#include "destinations/destinationregistry.h"
#include "destinations/googlesheetsdestination.h"
#include "destinations/googlesheetsexport.h"
#include "engine/syncengine.h"
#include "sources/sourceregistry.h"
#include "workspace/configio.h"

#include <charconv>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace sluice::cli {

namespace {

struct Args
{
    std::vector<std::string> positional;
    std::vector<std::string> flags; // "--json", "--limit=20" style, normalised
    std::string error;
    bool help = false; // COMMAND --help

    bool has(const std::string &flag) const
    {
        return std::find(flags.begin(), flags.end(), flag) != flags.end();
    }
    std::optional<std::string> value(const std::string &flag) const
    {
        for (const auto &f : flags) {
            if (f.rfind(flag + "=", 0) == 0)
                return f.substr(flag.size() + 1);
        }
        return std::nullopt;
    }
};

int usage(const std::string &message)
{
    std::cerr << "sluice-cli: " << message << "\nRun 'sluice-cli --help' for usage.\n";
    return Usage;
}

int failure(const std::string &message)
{
    std::cerr << "sluice-cli: " << message << "\n";
    return Failed;
}

// Splits "--flag value" and "--flag=value" for the flags that take values.
Args parse(const std::vector<std::string> &in, std::size_t from,
           const std::vector<std::string> &boolFlags, const std::vector<std::string> &valueFlags)
{
    Args a;
    for (std::size_t i = from; i < in.size(); ++i) {
        const std::string &s = in[i];
        if (s.rfind("--", 0) != 0 || s == "--") {
            a.positional.push_back(s);
            continue;
        }
        if (s == "--help") {
            a.help = true;
            continue;
        }
        const auto eq = s.find('=');
        const std::string name = s.substr(0, eq);
        if (std::find(valueFlags.begin(), valueFlags.end(), name) != valueFlags.end()) {
            if (eq != std::string::npos) {
                a.flags.push_back(s);
            } else if (i + 1 < in.size()) {
                a.flags.push_back(name + "=" + in[++i]);
            } else {
                a.error = name + " needs a value";
                return a;
            }
        } else if (std::find(boolFlags.begin(), boolFlags.end(), name) != boolFlags.end() &&
                   eq == std::string::npos) {
            a.flags.push_back(name);
        } else {
            a.error = "unknown option " + s;
            return a;
        }
    }
    return a;
}

// A non-negative whole number, all of the text (so "1abc" and "-1" are refused).
std::optional<std::int64_t> parseCount(const std::string &text)
{
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 0)
        return std::nullopt;
    return n;
}

std::string withThousands(std::int64_t n)
{
    std::string s = std::to_string(n < 0 ? -n : n);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return (n < 0 ? "-" : "") + s;
}

std::size_t displayWidth(std::string_view s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string truncateForTable(const std::string &s, std::size_t width)
{
    std::string out;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80) {
            if (n == width - 1 && displayWidth(s) > width) {
                out += "…";
                return out;
            }
            ++n;
        }
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : static_cast<char>(c);
    }
    return out;
}

nlohmann::json valueJson(const Value &v)
{
    switch (v.type) {
    case ValueType::Null:
        return nullptr;
    case ValueType::Integer:
        return v.integer;
    case ValueType::Real:
        return v.real;
    case ValueType::Text:
        return v.text;
    }
    return nullptr;
}

nlohmann::json runJson(const RunRecord &r, const std::string &syncName, bool dryRun)
{
    return {{"run_id", r.id},
            {"sync", syncName},
            {"status",
             dryRun && r.status == RunStatus::Succeeded ? "planned" : runStatusName(r.status)},
            {"dry_run", dryRun},
            {"trigger", r.trigger},
            {"started_at", r.startedAt},
            {"finished_at", r.finishedAt},
            {"duration_ms", r.durationMs},
            {"rows_read", r.counts.rowsRead},
            {"added", r.counts.added},
            {"changed", r.counts.changed},
            {"removed", r.counts.removed},
            {"unchanged", r.counts.unchanged},
            {"rejected", r.counts.rejected},
            {"skipped", r.counts.skipped},
            {"retries", r.counts.retries},
            {"error", r.error}};
}

int exitCodeFor(const RunRecord &r)
{
    switch (r.status) {
    case RunStatus::Succeeded:
        return Ok;
    case RunStatus::Partial:
        return Rejected;
    default:
        return Failed;
    }
}

// SIGINT/SIGTERM cancel the running command through a token; a helper thread waits for the
// signal so the handler itself does nothing unsafe.
class SignalCanceller
{
public:
    explicit SignalCanceller(CancelToken &token) : m_token(token)
    {
        sigemptyset(&m_set);
        sigaddset(&m_set, SIGINT);
        sigaddset(&m_set, SIGTERM);
        sigaddset(&m_set, SIGUSR1); // used to wake the thread at exit
        pthread_sigmask(SIG_BLOCK, &m_set, nullptr);
        m_thread = std::thread([this] {
            int sig = 0;
            while (sigwait(&m_set, &sig) == 0) {
                if (sig == SIGUSR1)
                    return;
                if (!m_token.cancelled())
                    std::cerr << "\nStopping…\n";
                m_token.cancel();
            }
        });
    }
    ~SignalCanceller()
    {
        pthread_kill(m_thread.native_handle(), SIGUSR1);
        m_thread.join();
        pthread_sigmask(SIG_UNBLOCK, &m_set, nullptr);
    }

private:
    CancelToken &m_token;
    sigset_t m_set;
    std::thread m_thread;
};

class ProgressBar
{
public:
    explicit ProgressBar(bool enabled) : m_enabled(enabled) {}
    void update(const RunProgress &p)
    {
        if (!m_enabled)
            return;
        std::string line;
        if (p.phase == RunProgress::Phase::Reading) {
            line = "Reading the model… " + withThousands(p.rowsRead) + " rows";
        } else if (p.phase == RunProgress::Phase::Sending) {
            const double f =
                p.toSend > 0 ? static_cast<double>(p.sent) / static_cast<double>(p.toSend) : 1.0;
            const int width = 30;
            const int filled = static_cast<int>(f * width);
            line = "Sending [" + std::string(static_cast<std::size_t>(filled), '#') +
                   std::string(static_cast<std::size_t>(width - filled), ' ') + "] " +
                   std::to_string(static_cast<int>(f * 100)) + "%  " + withThousands(p.sent) + "/" +
                   withThousands(p.toSend) + " records";
        } else {
            clear();
            return;
        }
        std::fprintf(stderr, "\r\033[K%s", line.c_str());
        std::fflush(stderr);
        m_drawn = true;
    }
    void clear()
    {
        if (m_enabled && m_drawn)
            std::fprintf(stderr, "\r\033[K");
        m_drawn = false;
    }

private:
    bool m_enabled;
    bool m_drawn = false;
};

// ---- commands -----------------------------------------------------------------------------

int cmdInitDemo(Workspace &ws, const Args &)
{
    auto r = setupDemoWorkspace(ws);
    if (!r)
        return failure("Could not set up the demo: " + r.error().message);
    std::cout << *r << "\nWorkspace: " << ws.path().string() << "\nTry: sluice-cli --workspace '"
              << ws.path().string() << "' run \"At-risk customers\"\n";
    return Ok;
}

int cmdList(Workspace &ws, const Args &a)
{
    auto list = ws.syncSummaries();
    if (!list)
        return failure("Cannot read the workspace: " + list.error().message);
    if (a.has("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &s : *list) {
            out.push_back(
                {{"name", s.sync.name},
                 {"model", s.modelName},
                 {"source", s.sourceName},
                 {"destination", s.destinationName},
                 {"object", s.sync.object},
                 {"mode", syncModeName(s.sync.mode)},
                 {"enabled", s.sync.enabled},
                 {"last_status", s.lastRun ? nlohmann::json(runStatusName(s.lastRun->status))
                                           : nlohmann::json(nullptr)},
                 {"last_run_at",
                  s.lastRun ? nlohmann::json(s.lastRun->startedAt) : nlohmann::json(nullptr)}});
        }
        std::cout << out.dump(2) << "\n";
        return Ok;
    }
    if (list->empty()) {
        std::cout
            << "This workspace has no syncs yet. Run 'sluice-cli init-demo' to add the demo.\n";
        return Ok;
    }
    for (const auto &s : *list) {
        std::cout << s.sync.name << "\n    " << s.modelName << " (" << s.sourceName << ") → "
                  << s.destinationName << " / " << s.sync.object << ", "
                  << syncModeName(s.sync.mode) << "\n    last run: ";
        if (s.lastRun)
            std::cout << runStatusName(s.lastRun->status) << " at " << s.lastRun->startedAt;
        else
            std::cout << "never";
        std::cout << "\n";
    }
    return Ok;
}

int cmdPreview(Workspace &ws, const Args &a)
{
    if (a.positional.size() != 1)
        return usage("preview needs exactly one model name");
    std::int64_t limit = 20;
    if (auto v = a.value("--limit")) {
        auto n = parseCount(*v);
        if (!n)
            return usage("--limit needs a whole number of rows, not '" + *v + "'");
        limit = *n;
    }
    const std::string format = a.value("--format").value_or("table");
    if (format != "table" && format != "csv" && format != "json")
        return usage("--format must be table, csv or json, not '" + format + "'");
    auto model = ws.modelByName(a.positional[0]);
    if (!model)
        return failure(model.error().message +
                       " Run 'sluice-cli list' to see the syncs and their models.");
    auto conn = ws.connection(model->connectionId);
    if (!conn)
        return failure(conn.error().message);
    auto source = createSource(conn->kind, conn->settings, ws.driverContext());
    if (!source)
        return failure("The source \"" + conn->name +
                       "\" cannot be opened: " + source.error().message);
    auto stream = (*source)->open(SourceQuery{model->sql, model->table, limit});
    if (!stream)
        return failure("The model \"" + model->name + "\" cannot run: " + stream.error().message);
    CancelToken cancel;
    SignalCanceller interrupts(cancel);
    CancelHook hook(&cancel, [s = stream->get()] { s->cancel(); });
    const auto &cols = (*stream)->columns();
    std::vector<std::vector<Value>> rows;
    Row row;
    nlohmann::json jsonRows = nlohmann::json::array();
    std::string csv;
    CsvWriteOptions csvOptions;
    csvOptions.spreadsheetSafe = false;
    if (format == "csv") {
        for (std::size_t i = 0; i < cols.size(); ++i) {
            if (i)
                csv += ',';
            appendCsvField(csv, cols[i].name, csvOptions);
        }
        std::cout << csv << "\n";
    }
    for (;;) {
        auto more = (*stream)->next(row);
        if (!more) {
            hook.reset();
            return failure(more.error().kind == ErrorKind::Cancelled ? "Stopped."
                                                                     : more.error().message);
        }
        if (!*more)
            break;
        if (format == "table") {
            rows.push_back(row);
        } else if (format == "json") {
            nlohmann::json o = nlohmann::json::object();
            for (std::size_t i = 0; i < cols.size(); ++i)
                o[cols[i].name] = valueJson(row[i]);
            jsonRows.push_back(std::move(o));
        } else {
            csv.clear();
            for (std::size_t i = 0; i < cols.size(); ++i) {
                if (i)
                    csv += ',';
                appendCsvValue(csv, row[i], csvOptions);
            }
            std::cout << csv << "\n";
        }
    }
    hook.reset();
    if (format == "json") {
        std::cout << jsonRows.dump(2) << "\n";
    } else if (format == "table") {
        constexpr std::size_t maxWidth = 40;
        std::vector<std::size_t> widths(cols.size());
        for (std::size_t i = 0; i < cols.size(); ++i)
            widths[i] = std::min(maxWidth, displayWidth(cols[i].name));
        std::vector<std::vector<std::string>> cells;
        for (const auto &r : rows) {
            std::vector<std::string> line;
            for (std::size_t i = 0; i < cols.size(); ++i) {
                std::string s = r[i].isNull() ? "NULL" : r[i].toString();
                s = truncateForTable(s, maxWidth);
                widths[i] = std::max(widths[i], displayWidth(s));
                line.push_back(std::move(s));
            }
            cells.push_back(std::move(line));
        }
        auto printLine = [&](const std::vector<std::string> &line) {
            for (std::size_t i = 0; i < line.size(); ++i) {
                std::cout << (i ? " | " : "") << line[i]
                          << std::string(widths[i] - displayWidth(line[i]), ' ');
            }
            std::cout << "\n";
        };
        std::vector<std::string> header;
        for (const auto &c : cols)
            header.push_back(truncateForTable(c.name, maxWidth));
        printLine(header);
        for (std::size_t i = 0; i < cols.size(); ++i)
            std::cout << (i ? "-+-" : "") << std::string(widths[i], '-');
        std::cout << "\n";
        for (const auto &line : cells)
            printLine(line);
        std::cout << "(" << withThousands(static_cast<std::int64_t>(rows.size())) << " rows"
                  << (static_cast<std::int64_t>(rows.size()) == limit ? ", limited by --limit" : "")
                  << ")\n";
    }
    return Ok;
}

int cmdRun(Workspace &ws, const Args &a)
{
    if (a.positional.size() != 1)
        return usage("run needs exactly one sync name");
    auto sync = ws.syncByName(a.positional[0]);
    if (!sync)
        return failure(sync.error().message + " Run 'sluice-cli list' to see the syncs.");
    const bool json = a.has("--json");
    RunOptions options;
    options.dryRun = a.has("--dry-run");
    options.allowMassDelete = a.has("--allow-deletes");
    options.fullResync = a.has("--full-resync");
    options.trigger = "cli";
    CancelToken cancel;
    SignalCanceller interrupts(cancel);
    ProgressBar bar(!json && ::isatty(STDERR_FILENO));
    SyncEngine engine(ws);
    RunResult result =
        engine.run(sync->id, options, &cancel, [&bar](const RunProgress &p) { bar.update(p); });
    bar.clear();
    const RunRecord &r = result.record;
    if (json) {
        nlohmann::json out = runJson(r, sync->name, options.dryRun);
        if (options.dryRun) {
            nlohmann::json samples = nlohmann::json::array();
            for (const auto &s : result.samples) {
                nlohmann::json values = nlohmann::json::object();
                for (std::size_t i = 0; i < s.values.size() && i < result.fields.size(); ++i)
                    values[result.fields[i]] = valueJson(s.values[i]);
                samples.push_back({{"kind", s.removed                     ? "removed"
                                            : s.kind == ChangeKind::Added ? "added"
                                                                          : "changed"},
                                   {"operation", opName(s.op)},
                                   {"key", s.key},
                                   {"values", values}});
            }
            out["samples"] = samples;
        }
        std::cout << out.dump(2) << "\n";
        return exitCodeFor(r);
    }
    if (options.dryRun && r.status == RunStatus::Succeeded) {
        std::cout << "Dry run of \"" << sync->name << "\" — nothing was written.\n";
        std::cout << "  would add:    " << withThousands(r.counts.added) << "\n"
                  << "  would change: " << withThousands(r.counts.changed) << "\n"
                  << "  would remove: " << withThousands(r.counts.removed) << "\n"
                  << "  unchanged:    " << withThousands(r.counts.unchanged) << "\n";
        if (r.counts.skipped)
            std::cout << "  skipped:      " << withThousands(r.counts.skipped)
                      << " (changed rows; insert mode never updates)\n";
        if (r.counts.rejected)
            std::cout << "  not sendable: " << withThousands(r.counts.rejected) << "\n";
        for (const auto &s : result.samples) {
            std::cout << "  "
                      << (s.removed                     ? "remove"
                          : s.kind == ChangeKind::Added ? "add   "
                                                        : "change")
                      << " " << s.key;
            if (!s.values.empty()) {
                std::cout << ":";
                for (std::size_t i = 0; i < s.values.size() && i < result.fields.size(); ++i)
                    std::cout << (i ? ", " : " ") << result.fields[i] << "="
                              << (s.values[i].isNull()
                                      ? "NULL"
                                      : truncateForTable(s.values[i].toString(), 40));
            }
            std::cout << "\n";
        }
        return Ok;
    }
    for (const auto &line : result.log)
        std::cerr << line << "\n";
    std::cout << "Run " << r.id << " of \"" << sync->name << "\": " << runStatusName(r.status)
              << " in " << r.durationMs << " ms — " << withThousands(r.counts.added) << " added, "
              << withThousands(r.counts.changed) << " changed, " << withThousands(r.counts.removed)
              << " removed, " << withThousands(r.counts.unchanged) << " unchanged, "
              << withThousands(r.counts.rejected) << " rejected.\n";
    if (!r.error.empty())
        std::cerr << r.error << "\n";
    if (result.massDeleteBlocked)
        std::cerr << "To allow it for this run: sluice-cli run \"" << sync->name
                  << "\" --allow-deletes\n";
    if (r.counts.rejected > 0)
        std::cerr << "See them with: sluice-cli runs \"" << sync->name << "\" --json\n";
    return exitCodeFor(r);
}

int cmdRuns(Workspace &ws, const Args &a)
{
    if (a.positional.size() != 1)
        return usage("runs needs exactly one sync name");
    auto sync = ws.syncByName(a.positional[0]);
    if (!sync)
        return failure(sync.error().message + " Run 'sluice-cli list' to see the syncs.");
    std::int64_t limit = 20;
    if (auto v = a.value("--limit")) {
        auto n = parseCount(*v);
        if (!n || *n > 1000000)
            return usage("--limit needs a whole number of runs, not '" + *v + "'");
        limit = *n;
    }
    auto runs = ws.runs(sync->id, static_cast<int>(limit));
    if (!runs)
        return failure(runs.error().message);
    if (a.has("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &r : *runs) {
            nlohmann::json j = runJson(r, sync->name, false);
            nlohmann::json rejected = nlohmann::json::array();
            if (auto list = ws.rejectedRecords(r.id)) {
                for (const auto &x : *list)
                    rejected.push_back(
                        {{"key", x.key}, {"operation", opName(x.op)}, {"reason", x.reason}});
            }
            j["rejected_records"] = rejected;
            out.push_back(std::move(j));
        }
        std::cout << out.dump(2) << "\n";
        return Ok;
    }
    if (runs->empty()) {
        std::cout << "\"" << sync->name << "\" has not run yet.\n";
        return Ok;
    }
    std::cout << "  id  status     started                   duration   added  changed  removed  "
                 "rejected\n";
    for (const auto &r : *runs) {
        char line[256];
        std::snprintf(
            line, sizeof line, "%4lld  %-9s  %-24s  %7lld ms  %6lld  %7lld  %7lld  %8lld\n",
            static_cast<long long>(r.id), runStatusName(r.status), r.startedAt.c_str(),
            static_cast<long long>(r.durationMs), static_cast<long long>(r.counts.added),
            static_cast<long long>(r.counts.changed), static_cast<long long>(r.counts.removed),
            static_cast<long long>(r.counts.rejected));
        std::cout << line;
        if (!r.error.empty())
            std::cout << "      " << r.error << "\n";
    }
    return Ok;
}

int cmdExport(Workspace &ws, const Args &a)
{
    if (a.positional.size() != 1)
        return usage("export needs exactly one model name");
    const auto to = a.value("--to");
    if (!to || to->empty())
        return usage("export needs --to CONNECTION, the Google Sheets connection to write with");
    auto model = ws.modelByName(a.positional[0]);
    if (!model)
        return failure(model.error().message +
                       " Run 'sluice-cli list' to see the syncs and their models.");
    auto conn = ws.connectionByName(*to);
    if (!conn)
        return failure(conn.error().message);
    if (conn->kind != "google_sheets")
        return failure("\"" + conn->name +
                       "\" is not a Google Sheets connection; export writes to Google Sheets.");
    const DriverContext context = ws.driverContext();
    auto dest = createDestination(conn->kind, conn->settings, context);
    if (!dest)
        return failure("The connection \"" + conn->name +
                       "\" cannot be used: " + dest.error().message);
    const auto &sheets = dynamic_cast<GoogleSheetsDestination &>(**dest);
    auto sourceConn = ws.connection(model->connectionId);
    if (!sourceConn)
        return failure(sourceConn.error().message);
    auto source = createSource(sourceConn->kind, sourceConn->settings, context);
    if (!source)
        return failure("The source \"" + sourceConn->name +
                       "\" cannot be opened: " + source.error().message);
    auto stream = (*source)->open(SourceQuery{model->sql, model->table, std::nullopt});
    if (!stream)
        return failure("The model \"" + model->name + "\" cannot run: " + stream.error().message);
    SheetsExportOptions options;
    options.spreadsheetId = a.value("--spreadsheet").value_or("");
    options.tab = a.value("--tab").value_or(model->name);
    options.title = model->name;
    CancelToken cancel;
    SignalCanceller interrupts(cancel);
    const bool tty = ::isatty(STDERR_FILENO);
    auto result =
        exportToGoogleSheets(**stream, sheets.config(), options, &cancel, [tty](std::int64_t rows) {
            if (tty)
                std::fprintf(stderr, "\r\033[KExporting… %s rows", withThousands(rows).c_str());
        });
    if (tty)
        std::fprintf(stderr, "\r\033[K");
    if (!result)
        return failure(result.error().kind == ErrorKind::Cancelled ? "Stopped."
                                                                   : result.error().message);
    std::cout << "Exported " << withThousands(result->rows) << " rows of \"" << model->name
              << "\" to " << (result->newSpreadsheet ? "a new spreadsheet" : "the spreadsheet")
              << ", tab \"" << result->tab << "\":\n"
              << result->url << "\n";
    if (result->newSpreadsheet)
        std::cerr << "The new spreadsheet belongs to the service account "
                  << sheets.config().clientEmail
                  << " and is shared with no one. To export where you can see it, share a "
                     "spreadsheet of yours with that account and pass --spreadsheet ID.\n";
    return Ok;
}

int cmdExportConfig(Workspace &ws, const Args &a)
{
    if (a.positional.size() != 1)
        return usage("export-config needs exactly one sync name");
    auto config = exportSyncConfig(ws, a.positional[0]);
    if (!config)
        return failure(config.error().message + " Run 'sluice-cli list' to see the syncs.");
    std::cout << configToText(*config);
    return Ok;
}

int cmdImportConfig(Workspace &ws, const Args &a)
{
    if (a.positional.size() != 1)
        return usage("import-config needs exactly one file (or - for standard input)");
    std::string text;
    if (a.positional[0] == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        text = ss.str();
    } else {
        std::ifstream in(a.positional[0], std::ios::binary);
        if (!in)
            return failure("Cannot read " + a.positional[0] +
                           ": the file does not exist or is not readable.");
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    auto summary = importConfigText(ws, text);
    if (!summary)
        return failure("Nothing was imported. " + summary.error().message);
    std::cout << "Imported " << summary->connections.size() << " connection(s), "
              << summary->models.size() << " model(s) and " << summary->syncs.size() << " sync(s)";
    for (std::size_t i = 0; i < summary->syncs.size(); ++i)
        std::cout << (i ? ", \"" : ": \"") << summary->syncs[i] << "\"";
    std::cout << ".\n";
    return Ok;
}

} // namespace

std::string helpText()
{
    return R"(Usage: sluice-cli [--workspace PATH] COMMAND [OPTIONS]

Sluice keeps the apps your teams use in sync with your data: it reads a model (a query over
a database or CSV files) and sends only what changed to a destination.

Commands:
  init-demo                 Build the Acme demo warehouse next to the workspace and add three
                            ready syncs into CSV files.
  list [--json]             List the syncs with their source, destination, mode and last run.
  preview MODEL [--limit N] [--format table|csv|json]
                            Show the first N rows (default 20) of a model.
  run SYNC [--dry-run] [--json] [--allow-deletes] [--full-resync]
                            Run a sync. --dry-run shows what would change and writes nothing.
                            --allow-deletes lets a mirror sync delete more than its limit.
                            --full-resync sends every row again.
  runs SYNC [--json] [--limit N]
                            Show a sync's past runs (and, with --json, rejected records).
  export MODEL --to CONNECTION [--spreadsheet ID] [--tab NAME]
                            Export a model's rows once to Google Sheets with the Google Sheets
                            connection CONNECTION: into a new spreadsheet, or with --spreadsheet
                            (an ID or address) into a tab of that one (default: the model's
                            name; an existing tab's values are replaced).
  export-config SYNC        Print a sync, its model and connections as JSON (for git).
  import-config FILE        Add or update what a JSON file describes ('-' reads stdin).

Options:
  --workspace PATH          The workspace file (default: $SLUICE_WORKSPACE, else
                            ~/.local/share/Sluice/workspace.sluice).
  --help                    Show this help.
  --version                 Show the version.

Exit status: 0 succeeded, 1 finished with rejected records, 2 failed, 64 bad usage.
Ctrl+C stops a run cleanly; what was acknowledged is kept.
)";
}

int runCli(const std::vector<std::string> &args)
{
    std::optional<std::string> workspacePath;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string &s = args[i];
        if (s == "--help" || s == "-h" || s == "help") {
            std::cout << helpText();
            return Ok;
        }
        if (s == "--version") {
            std::cout << "sluice-cli " << SLUICE_VERSION << "\n";
            return Ok;
        }
        if (s == "--workspace") {
            if (i + 1 >= args.size())
                return usage("--workspace needs a path");
            workspacePath = args[++i];
        } else if (s.rfind("--workspace=", 0) == 0) {
            workspacePath = s.substr(12);
        } else if (s.rfind("-", 0) == 0) {
            return usage("unknown option " + s);
        } else {
            break;
        }
    }
    if (workspacePath && workspacePath->empty()) // "--workspace=" or "--workspace ''"
        return usage("--workspace needs a path");
    if (i >= args.size())
        return usage("no command given");
    const std::string command = args[i];

    struct Command
    {
        const char *name;
        std::vector<std::string> boolFlags;
        std::vector<std::string> valueFlags;
        int (*fn)(Workspace &, const Args &);
    };
    static const std::vector<Command> commands = {
        {"init-demo", {}, {}, cmdInitDemo},
        {"list", {"--json"}, {}, cmdList},
        {"preview", {}, {"--limit", "--format"}, cmdPreview},
        {"run", {"--dry-run", "--json", "--allow-deletes", "--full-resync"}, {}, cmdRun},
        {"runs", {"--json"}, {"--limit"}, cmdRuns},
        {"export", {}, {"--to", "--spreadsheet", "--tab"}, cmdExport},
        {"export-config", {}, {}, cmdExportConfig},
        {"import-config", {}, {}, cmdImportConfig},
    };
    const Command *cmd = nullptr;
    for (const auto &c : commands) {
        if (command == c.name)
            cmd = &c;
    }
    if (!cmd)
        return usage("unknown command '" + command + "'");
    Args parsed = parse(args, i + 1, cmd->boolFlags, cmd->valueFlags);
    if (!parsed.error.empty())
        return usage(command + ": " + parsed.error);
    if (parsed.help) {
        std::cout << helpText();
        return Ok;
    }

    std::filesystem::path path;
    if (workspacePath)
        path = *workspacePath;
    else if (const char *env = std::getenv("SLUICE_WORKSPACE"); env && *env)
        path = env;
    else
        path = Workspace::defaultPath();
    std::error_code ec;
    const bool existed = std::filesystem::exists(path, ec);
    if (command != "init-demo" && command != "import-config" && !existed)
        return failure(
            "There is no workspace at " + path.string() +
            ". Create one with 'sluice-cli init-demo' (the demo) or 'import-config FILE', "
            "or pass --workspace PATH.");
    // A command that creates a workspace and then fails must not leave an empty one behind
    // (nor the folders made for it).
    std::filesystem::path createdFolder;
    for (auto p = std::filesystem::absolute(path, ec).parent_path();
         !existed && !p.empty() && p != p.root_path() && !std::filesystem::exists(p, ec);
         p = p.parent_path())
        createdFolder = p;
    int rc;
    {
        auto ws = Workspace::open(path);
        if (!ws)
            return failure(ws.error().message);
        rc = cmd->fn(*ws, parsed);
    }
    if (rc != Ok && !existed) {
        for (const char *suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix, ec);
        if (!createdFolder.empty())
            std::filesystem::remove_all(createdFolder, ec);
    }
    return rc;
}

} // namespace sluice::cli

#include "destinations/googlesheetsexport.h"

#include "destinations/googlesheetswriter.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

namespace sluice {

namespace {

constexpr std::size_t kBatchRows = 5000;
constexpr int kAttempts = 5; // per batch, for records Google answered "try again"

std::string plural(std::int64_t n, const char *one, const char *many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Column names as header cells; a name twice would make two fields share one column.
std::vector<std::string> headerNames(const std::vector<Column> &columns)
{
    std::vector<std::string> names;
    std::set<std::string> taken;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        std::string name =
            columns[i].name.empty() ? "column " + std::to_string(i + 1) : columns[i].name;
        const std::string base = name;
        for (int n = 2; taken.count(name); ++n)
            name = base + " (" + std::to_string(n) + ")";
        taken.insert(name);
        names.push_back(std::move(name));
    }
    return names;
}

} // namespace

Result<SheetsExportResult> exportToGoogleSheets(RowStream &rows, GoogleSheetsConfig config,
                                                const SheetsExportOptions &options,
                                                CancelToken *cancel,
                                                const SheetsExportProgress &progress)
{
    const std::vector<Column> &columns = rows.columns();
    if (columns.empty())
        return fail(ErrorKind::Invalid, "The model returns no columns, so there is nothing to "
                                        "export.");
    const std::vector<std::string> fields = headerNames(columns);
    const int width = static_cast<int>(fields.size());
    SheetsExportResult result;
    result.tab = options.tab.empty() ? std::string("Sheet1") : options.tab;
    config.spreadsheetId = sheetsSpreadsheetId(options.spreadsheetId);
    auto api = std::make_unique<GoogleSheetsApi>(config);
    api->setCancel(cancel);
    CancelHook stopReading(cancel, [&rows] { rows.cancel(); });

    SpreadsheetInfo info;
    if (config.spreadsheetId.empty()) {
        auto created = api->createSpreadsheet(options.title.empty() ? result.tab : options.title,
                                              result.tab, 1, width);
        if (!created)
            return std::unexpected(created.error());
        info = std::move(*created);
        result.newSpreadsheet = true;
        result.newTab = true;
        result.tab = info.tabs.front().title;
    } else {
        auto existing = api->spreadsheet();
        if (!existing)
            return std::unexpected(existing.error());
        info = std::move(*existing);
        if (const SheetTab *tab = info.tab(result.tab)) {
            result.tab = tab->title;
            // Replaced: the old values go (values.clear may be repeated safely).
            const std::string what = "clearing the tab \"" + tab->title + "\"";
            auto cleared = api->send(api->request(
                "POST",
                api->url("/values/" + net::urlEncode(sheetsQuotedTitle(tab->title)) + ":clear"),
                "{}"));
            if (!cleared)
                return std::unexpected(api->transportError(cleared.error(), what));
            if (cleared->status != 200)
                return std::unexpected(api->requestError(*cleared, what));
        } else {
            auto added = api->addTab(result.tab, 1, width);
            if (!added)
                return std::unexpected(added.error());
            info.tabs.push_back(*added);
            result.newTab = true;
        }
    }
    result.spreadsheetId = info.id;
    result.url =
        info.url.empty() ? "https://docs.google.com/spreadsheets/d/" + info.id + "/edit" : info.url;

    auto writer = GoogleSheetsWriter::openEmpty(std::move(api), info, result.tab, fields);
    if (!writer)
        return std::unexpected(writer.error());
    auto stopped = [&](Error e) -> Result<SheetsExportResult> {
        (*writer)->abort();
        if (result.rows > 0 && e.kind != ErrorKind::Cancelled)
            e.message += " (The first " + plural(result.rows, "row was", "rows were") +
                         " written to the tab \"" + result.tab + "\".)";
        return std::unexpected(std::move(e));
    };

    std::vector<Change> batch(kBatchRows);
    Row row;
    std::int64_t read = 0;
    bool more = true;
    while (more) {
        std::size_t n = 0;
        while (n < kBatchRows) {
            auto next = rows.next(row);
            if (!next)
                return stopped(next.error());
            if (!*next) {
                more = false;
                break;
            }
            Change &c = batch[n++];
            c.op = Op::Create;
            c.key = std::to_string(++read); // the row number, for messages
            c.values.swap(row);
        }
        if (cancel && cancel->cancelled())
            return stopped(Error{ErrorKind::Cancelled, "Stopped.", {}});
        if (n == 0 && result.rows > 0)
            break;
        // An empty model still gets its header row: the batch is empty, the header pending.
        std::vector<Change> pending(std::make_move_iterator(batch.begin()),
                                    std::make_move_iterator(batch.begin() + n));
        for (int attempt = 1; !pending.empty() || (n == 0 && attempt == 1); ++attempt) {
            auto results = (*writer)->write(pending);
            if (!results)
                return stopped(results.error());
            std::vector<Change> again;
            std::string lastMessage;
            int waitMs = 0;
            for (std::size_t i = 0; i < pending.size(); ++i) {
                const RecordResult &r = (*results)[i];
                if (r.status == RecordResult::Status::Rejected)
                    return stopped(Error{ErrorKind::Destination,
                                         "Google Sheets refused row " + pending[i].key +
                                             " of the export: " + r.message,
                                         {}});
                if (r.status == RecordResult::Status::Retry) {
                    again.push_back(std::move(pending[i]));
                    lastMessage = r.message;
                    waitMs = std::max(waitMs, r.retryAfterMs);
                }
            }
            if (!again.empty() && attempt >= kAttempts)
                return stopped(
                    Error{ErrorKind::Destination,
                          "Google Sheets did not take " +
                              plural(static_cast<std::int64_t>(again.size()), "row", "rows") +
                              " of the export after " + std::to_string(kAttempts) +
                              " attempts (last answer: " + lastMessage + "). Try again later.",
                          {}});
            if (!again.empty())
                std::this_thread::sleep_for(
                    std::chrono::milliseconds(std::max(waitMs, 250 << attempt)));
            result.rows += static_cast<std::int64_t>(pending.size() - again.size());
            pending = std::move(again);
            if (n == 0)
                break;
        }
        if (progress)
            progress(result.rows);
    }
    if (auto r = (*writer)->commit(); !r)
        return stopped(r.error());
    return result;
}

} // namespace sluice

#include "destinations/googlesheetswriter.h"

#include "util/jsontext.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace sluice {

namespace {

using json = nlohmann::json;

// Attempts at one delete request; each failure is checked against the marker tab first.
constexpr int kDeleteAttempts = 6;
// When a 429 survives the client's own waits: Google refills quotas every minute.
constexpr int kRateLimitRetryMs = 5000;

std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

// A header cell that names the field: exactly, else ignoring case and surrounding blanks.
int findColumn(const std::vector<std::string> &header, const std::string &name)
{
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name)
            return static_cast<int>(i);
    }
    const std::string l = lower(trimmed(name));
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (!header[i].empty() && lower(trimmed(header[i])) == l)
            return static_cast<int>(i);
    }
    return -1;
}

std::string withThousands(std::int64_t n)
{
    const std::string digits = std::to_string(n);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        const std::size_t left = digits.size() - i;
        if (i > 0 && left % 3 == 0 && digits[i - 1] != '-')
            out += ',';
        out += digits[i];
    }
    return out;
}

// A key cell: a number when the key is a plain integer (so it looks and sorts like one in the
// sheet, and reads back as the same text), else text.
void appendKeyCell(std::string &out, const std::string &key)
{
    bool number = !key.empty() && key.size() <= 15 && (key[0] != '0' || key.size() == 1);
    for (std::size_t i = 0; number && i < key.size(); ++i)
        number = (key[i] >= '0' && key[i] <= '9') ||
                 (i == 0 && key[i] == '-' && key.size() > 1 && key[1] != '0');
    if (number)
        out += key;
    else
        appendJsonString(out, key);
}

int retryAfter(const net::Response &r)
{
    const int asked = net::retryAfterMs(r.header("Retry-After"), std::chrono::system_clock::now());
    return asked >= 0 ? asked : kRateLimitRetryMs;
}

} // namespace

GoogleSheetsWriter::GoogleSheetsWriter(std::unique_ptr<GoogleSheetsApi> api, const WriteSpec &spec,
                                       std::function<void(const net::ClientStats &)> onClose)
    : m_api(std::move(api)), m_onClose(std::move(onClose)), m_mode(spec.mode),
      m_fields(spec.fields), m_keyField(spec.keyField)
{
}

WriterStats GoogleSheetsWriter::stats() const
{
    const net::ClientStats s = m_api->stats();
    return WriterStats{s.requests, s.retries, s.rateLimitWaits, s.waited.count()};
}

GoogleSheetsWriter::~GoogleSheetsWriter()
{
    if (m_onClose)
        m_onClose(m_api->stats());
}

Result<std::unique_ptr<GoogleSheetsWriter>>
GoogleSheetsWriter::open(std::unique_ptr<GoogleSheetsApi> api, const WriteSpec &spec,
                         std::function<void(const net::ClientStats &)> onClose)
{
    if (spec.object.empty())
        return fail(ErrorKind::Usage, "Choose the tab of the spreadsheet this sync writes to, or "
                                      "type the name of a new one: Sluice creates it.");
    if (spec.fields.empty())
        return fail(ErrorKind::Usage, "Map at least one column: each mapped field becomes a "
                                      "column of the tab.");
    if (spec.mode != SyncMode::Insert && spec.keyField.empty())
        return fail(ErrorKind::Usage,
                    std::string("Choose a key field: in ") + syncModeName(spec.mode) +
                        " mode Sluice finds each record's row by the value in its key column.");
    auto info = api->spreadsheet();
    if (!info)
        return std::unexpected(info.error());

    std::unique_ptr<GoogleSheetsWriter> w(new GoogleSheetsWriter(std::move(api), spec, onClose));
    for (const auto &t : info->tabs) {
        if (t.hidden && t.title.starts_with(kMarkerPrefix))
            w->m_markers.push_back(t.sheetId); // left by a run that stopped half-way
    }
    const SheetTab *tab = info->tab(spec.object);
    if (!tab) {
        if (spec.mode == SyncMode::Update)
            return fail(ErrorKind::NotFound,
                        "The spreadsheet has no tab named \"" + spec.object +
                            "\". Update mode only changes rows that are already there: choose "
                            "an existing tab, or use upsert or mirror mode to fill a new one.");
        // Created by the first write(), once its rows passed the limit checks, at their size.
        w->m_tab = SheetTab{-1, spec.object, 0, 0, 0, false};
        w->m_tabMissing = true;
        w->m_otherCells = info->cells();
        w->layOut({});
        return w;
    }
    w->m_tab = *tab;
    w->m_otherCells = info->cells() - tab->cells();

    auto first = w->m_api->values(sheetsRange(tab->title, 0, 0, 1, -1),
                                  "reading the header row of the tab \"" + tab->title + "\"");
    if (!first)
        return std::unexpected(first.error());
    std::vector<std::string> header;
    if (!first->empty() && (*first)[0].is_array()) {
        for (const auto &cell : (*first)[0])
            header.push_back(sheetsKeyText(cell));
    }
    const bool keyColumnExisted = !spec.keyField.empty() && findColumn(header, spec.keyField) >= 0;
    w->layOut(header);
    if (auto r = w->readRows(*tab, keyColumnExisted); !r)
        return std::unexpected(r.error());
    return w;
}

Result<std::unique_ptr<GoogleSheetsWriter>>
GoogleSheetsWriter::openEmpty(std::unique_ptr<GoogleSheetsApi> api, const SpreadsheetInfo &info,
                              const std::string &tab, std::vector<std::string> fields)
{
    const SheetTab *t = info.tab(tab);
    if (!t)
        return fail(ErrorKind::Internal, "The tab \"" + tab + "\" was not found.");
    WriteSpec spec;
    spec.object = tab;
    spec.mode = SyncMode::Insert;
    spec.fields = std::move(fields);
    std::unique_ptr<GoogleSheetsWriter> w(new GoogleSheetsWriter(std::move(api), spec, {}));
    w->m_tab = *t;
    w->m_rowNumbers = true;
    w->m_otherCells = info.cells() - t->cells();
    for (const auto &other : info.tabs) {
        if (other.hidden && other.title.starts_with(kMarkerPrefix))
            w->m_markers.push_back(other.sheetId);
    }
    w->layOut({});
    return w;
}

void GoogleSheetsWriter::layOut(const std::vector<std::string> &header)
{
    m_header = header;
    m_headerExisting = header.size();
    m_headerPending = false;
    m_columnOf.assign(m_fields.size(), -1);
    for (std::size_t f = 0; f < m_fields.size(); ++f) {
        int column = findColumn(m_header, m_fields[f]);
        if (column < 0) {
            column = static_cast<int>(m_header.size());
            m_header.push_back(m_fields[f]);
            m_headerPending = true;
        }
        m_columnOf[f] = column;
    }
    m_keyIndex = -1;
    m_keyColumn = -1;
    if (!m_keyField.empty()) {
        auto it = std::find(m_fields.begin(), m_fields.end(), m_keyField);
        if (it != m_fields.end()) {
            m_keyIndex = static_cast<int>(it - m_fields.begin());
            m_keyColumn = m_columnOf[static_cast<std::size_t>(m_keyIndex)];
        } else {
            // The key goes into the tab even when not mapped: rows are found by it.
            m_keyColumn = findColumn(m_header, m_keyField);
            if (m_keyColumn < 0) {
                m_keyColumn = static_cast<int>(m_header.size());
                m_header.push_back(m_keyField);
                m_headerPending = true;
            }
        }
    }
    m_firstColumn = *std::min_element(m_columnOf.begin(), m_columnOf.end());
    m_lastColumn = *std::max_element(m_columnOf.begin(), m_columnOf.end());
    if (m_keyColumn >= 0) {
        m_firstColumn = std::min(m_firstColumn, m_keyColumn);
        m_lastColumn = std::max(m_lastColumn, m_keyColumn);
    }
    m_cellSource.assign(static_cast<std::size_t>(m_lastColumn - m_firstColumn + 1), -1);
    for (std::size_t f = 0; f < m_fields.size(); ++f)
        m_cellSource[static_cast<std::size_t>(m_columnOf[f] - m_firstColumn)] = static_cast<int>(f);
    if (m_keyIndex < 0 && m_keyColumn >= 0)
        m_cellSource[static_cast<std::size_t>(m_keyColumn - m_firstColumn)] = -2;
}

Result<void> GoogleSheetsWriter::readRows(const SheetTab &tab, bool keyColumnExisted)
{
    m_rowKeys.clear();
    if (tab.rowCount > 1) {
        // Reading whole columns (from row 1) works for any grid size; row 1 is the header.
        const std::string range = keyColumnExisted
                                      ? sheetsRange(tab.title, 0, m_keyColumn, -1, m_keyColumn + 1)
                                      : sheetsQuotedTitle(tab.title);
        auto values =
            m_api->values(range, keyColumnExisted ? "reading the key column \"" + m_keyField +
                                                        "\" of the tab \"" + tab.title + "\""
                                                  : "reading the tab \"" + tab.title + "\"");
        if (!values)
            return std::unexpected(values.error());
        if (values->size() > 1) {
            m_rowKeys.reserve(values->size() - 1);
            for (std::size_t i = 1; i < values->size(); ++i) {
                const json &row = (*values)[i];
                m_rowKeys.push_back(keyColumnExisted && row.is_array() && !row.empty()
                                        ? sheetsKeyText(row[0])
                                        : std::string());
            }
        }
    }
    rebuildIndex();
    return {};
}

void GoogleSheetsWriter::rebuildIndex()
{
    m_rowOf.clear();
    m_rowOf.reserve(m_rowKeys.size());
    for (std::size_t i = 0; i < m_rowKeys.size(); ++i) {
        if (!m_rowKeys[i].empty())
            m_rowOf.emplace(m_rowKeys[i], static_cast<std::uint32_t>(i));
    }
}

Result<void> GoogleSheetsWriter::render(const Change &change, std::uint32_t i)
{
    std::string &key = m_keys[i];
    key.clear();
    if (m_keyIndex >= 0)
        key = sheetsKeyText(change.values[static_cast<std::size_t>(m_keyIndex)]);
    if (key.empty() && m_keyColumn >= 0)
        key = change.key; // a key field that maps to nothing still finds the row by the model's key
    std::string &out = m_rowJson[i];
    out.clear();
    out += '[';
    for (std::size_t k = 0; k < m_cellSource.size(); ++k) {
        if (k)
            out += ',';
        const int source = m_cellSource[k];
        if (source == -1) {
            out += "null"; // a column of someone else's: left as it is
        } else if (source == -2 || source == m_keyIndex) {
            // Written exactly as the row is later found by.
            if (key.size() > kMaxCellChars && sheetsCellLength(key) > kMaxCellChars)
                return fail(ErrorKind::Invalid,
                            "Google Sheets holds at most 50,000 characters in a cell, and the "
                            "key \"" +
                                key.substr(0, 40) + "…\" is longer (column \"" + m_keyField +
                                "\"). Choose a shorter key.");
            appendKeyCell(out, key);
        } else {
            const Value &v = change.values[static_cast<std::size_t>(source)];
            if (v.type == ValueType::Text && v.text.size() > kMaxCellChars) {
                const std::size_t length = sheetsCellLength(v.text);
                if (length > kMaxCellChars)
                    return fail(ErrorKind::Invalid,
                                "Google Sheets holds at most 50,000 characters in a cell, and "
                                "the value of \"" +
                                    m_fields[static_cast<std::size_t>(source)] + "\" in " +
                                    rowName(change.key) + " has " +
                                    withThousands(static_cast<std::int64_t>(length)) +
                                    ". Shorten it in the model (for example with a transform) or "
                                    "leave that column out of the mapping. Nothing of this batch "
                                    "was written to the tab \"" +
                                    m_tab.title + "\".");
            }
            appendSheetsCell(out, v);
        }
    }
    out += ']';
    return {};
}

std::string GoogleSheetsWriter::rowName(const std::string &key) const
{
    return m_rowNumbers ? "row " + key + " of the model" : "the row with key \"" + key + "\"";
}

std::string GoogleSheetsWriter::cellLimitMessage(std::int64_t rows, std::int64_t columns,
                                                 const std::string &key) const
{
    return "Google Sheets allows at most 10,000,000 cells in a spreadsheet. Writing " +
           rowName(key) + " would need " + withThousands(rows) + " rows × " +
           withThousands(columns) + " columns in the tab \"" + m_tab.title + "\" (" +
           withThousands(m_otherCells + rows * columns) +
           " cells with the spreadsheet's other tabs). Nothing of this batch was written. Sync "
           "fewer rows or columns, give this sync a spreadsheet of its own, or delete unused "
           "tabs, rows and columns.";
}

Result<std::vector<RecordResult>> GoogleSheetsWriter::write(std::span<const Change> batch)
{
    const std::size_t n = batch.size();
    std::vector<RecordResult> results(n);
    m_keys.resize(n);
    m_rowJson.resize(n);
    m_position.assign(n, -1);
    std::vector<std::uint32_t> writes, deletes;
    for (std::uint32_t i = 0; i < n; ++i) {
        const Change &c = batch[i];
        if (c.op == Op::Delete) {
            m_keys[i] = c.destId.empty() ? c.key : c.destId;
            deletes.push_back(i);
            continue;
        }
        if (c.values.size() != m_fields.size())
            return fail(ErrorKind::Internal,
                        "Sluice sent a record with the wrong number of values to Google Sheets.",
                        "expected " + std::to_string(m_fields.size()) + " values, got " +
                            std::to_string(c.values.size()));
        // Every cell of the batch is checked before anything of it is sent.
        if (auto r = render(c, i); !r)
            return std::unexpected(r.error());
        writes.push_back(i);
    }

    // Rows the batch adds, and whether the spreadsheet has room for them.
    std::vector<std::uint32_t> added;
    for (auto i : writes) {
        const std::string &key = m_keys[i];
        if (!key.empty() && m_rowOf.count(key))
            continue;
        if (batch[i].op == Op::Update) {
            results[i].status = RecordResult::Status::Rejected;
            results[i].message = "The tab \"" + m_tab.title + "\" has no row with \"" + key +
                                 "\" in its column \"" + m_keyField +
                                 "\"; update mode does not add rows.";
            continue;
        }
        added.push_back(i);
    }
    const std::int64_t rowsNeeded =
        1 + static_cast<std::int64_t>(m_rowKeys.size()) + static_cast<std::int64_t>(added.size());
    const std::int64_t columnsNeeded =
        std::max<std::int64_t>(m_lastColumn + 1, static_cast<std::int64_t>(m_header.size()));
    const std::int64_t rows = std::max<std::int64_t>(m_tab.rowCount, rowsNeeded);
    const std::int64_t columns = std::max<std::int64_t>(m_tab.columnCount, columnsNeeded);
    if (m_otherCells + rows * columns > kCellLimit) {
        if (added.empty()) {
            // Only new columns grow the grid: name the first.
            const std::string column =
                m_headerExisting < m_header.size() ? m_header[m_headerExisting] : std::string("?");
            return fail(ErrorKind::Invalid,
                        "Google Sheets allows at most 10,000,000 cells in a spreadsheet. Adding "
                        "the column \"" +
                            column + "\" to the tab \"" + m_tab.title + "\" would need " +
                            withThousands(rows) + " rows × " + withThousands(columns) +
                            " columns (" + withThousands(m_otherCells + rows * columns) +
                            " cells with the spreadsheet's other tabs). Nothing of this batch was "
                            "written. Map fewer columns, or delete unused tabs, rows and columns.");
        }
        // Name the first row that does not fit.
        const std::int64_t fit = (kCellLimit - m_otherCells) / columns; // rows, header included
        std::string key = batch[added.back()].key;
        for (std::size_t k = 0; k < added.size(); ++k) {
            if (1 + static_cast<std::int64_t>(m_rowKeys.size() + k) + 1 > fit) {
                key = batch[added[k]].key;
                break;
            }
        }
        return fail(ErrorKind::Invalid, cellLimitMessage(rows, columns, key));
    }

    std::vector<std::uint32_t> positioned;
    positioned.reserve(writes.size());
    for (auto i : writes) {
        if (results[i].status == RecordResult::Status::Rejected)
            continue;
        const std::string &key = m_keys[i];
        auto it = key.empty() ? m_rowOf.end() : m_rowOf.find(key);
        if (it != m_rowOf.end()) {
            m_position[i] = static_cast<std::int32_t>(it->second);
        } else {
            // A new row at the end, remembered at once: when this record is sent again (its
            // answer lost), it goes to the same row rather than a second one.
            m_position[i] = static_cast<std::int32_t>(m_rowKeys.size());
            m_rowKeys.push_back(key);
            if (!key.empty())
                m_rowOf.emplace(key, static_cast<std::uint32_t>(m_position[i]));
        }
        positioned.push_back(i);
    }

    if (m_tabMissing) {
        if (positioned.empty()) {
            // Nothing to write (deletes only): a tab that is not there has no rows to delete.
            if (auto r = deleteRows(batch, std::move(deletes), results); !r)
                return std::unexpected(r.error());
            return results;
        }
        auto created =
            m_api->addTab(m_tab.title, static_cast<int>(rows), static_cast<int>(columns));
        if (!created)
            return std::unexpected(created.error());
        m_tab = *created;
        m_tabMissing = false;
    }
    bool roomMade = true;
    if (rows > m_tab.rowCount || columns > m_tab.columnCount) {
        auto grown = grow(static_cast<int>(rows), static_cast<int>(columns), results, positioned);
        if (!grown)
            return std::unexpected(grown.error());
        roomMade = *grown;
    }
    if (roomMade && (!positioned.empty() || m_headerPending)) {
        if (auto r = sendValues(batch, std::move(positioned), results); !r)
            return std::unexpected(r.error());
    }
    if (auto r = deleteRows(batch, std::move(deletes), results); !r)
        return std::unexpected(r.error());
    return results;
}

void GoogleSheetsWriter::retry(std::span<const std::uint32_t> rows, const std::string &message,
                               int afterMs, std::vector<RecordResult> &results)
{
    for (auto i : rows) {
        results[i].status = RecordResult::Status::Retry;
        results[i].message = message;
        results[i].retryAfterMs = afterMs;
    }
}

Result<void> GoogleSheetsWriter::fatal(const net::Response &response, const std::string &what)
{
    return std::unexpected(m_api->requestError(response, what));
}

Result<bool> GoogleSheetsWriter::grow(int rows, int columns, std::vector<RecordResult> &results,
                                      std::span<const std::uint32_t> rowsToRetry)
{
    const std::string what = "making room for the rows in the tab \"" + m_tab.title + "\"";
    // Absolute sizes: sending this twice sets the same size twice.
    const std::string body =
        "{\"requests\":[{\"updateSheetProperties\":{\"properties\":{\"sheetId\":" +
        std::to_string(m_tab.sheetId) +
        ",\"gridProperties\":{\"rowCount\":" + std::to_string(rows) +
        ",\"columnCount\":" + std::to_string(columns) +
        "}},\"fields\":\"gridProperties.rowCount,gridProperties.columnCount\"}}]}";
    auto response = m_api->send(m_api->request("POST", m_api->url(":batchUpdate"), body));
    if (!response) {
        const Error &e = response.error();
        const Error mapped = m_api->transportError(e, what);
        if (e.kind == ErrorKind::Cancelled || e.kind == ErrorKind::Invalid || m_api->noToken())
            return std::unexpected(mapped); // cancelled, a bad URL, or no token
        retry(rowsToRetry, mapped.message, 0, results);
        return false;
    }
    const long status = response->status;
    if (status >= 200 && status < 300) {
        m_tab.rowCount = rows;
        m_tab.columnCount = columns;
        return true;
    }
    if (status == 429) {
        retry(rowsToRetry, m_api->summary(*response), retryAfter(*response), results);
        return false;
    }
    if (status >= 500) {
        retry(rowsToRetry, "Google Sheets answered " + m_api->summary(*response), 0, results);
        return false;
    }
    return std::unexpected(m_api->requestError(*response, what));
}

Result<void> GoogleSheetsWriter::sendValues(std::span<const Change> /*batch*/,
                                            std::vector<std::uint32_t> rows,
                                            std::vector<RecordResult> &results)
{
    const std::string what = "writing rows to the tab \"" + m_tab.title + "\"";
    std::sort(rows.begin(), rows.end(),
              [this](std::uint32_t a, std::uint32_t b) { return m_position[a] < m_position[b]; });

    std::vector<Job> jobs;
    std::vector<std::string> bodies;
    std::string body;
    Job job;
    const char *const kStart = "{\"valueInputOption\":\"RAW\",\"data\":[";
    auto startRequest = [&] {
        body.clear();
        body += kStart;
        job = Job{};
    };
    auto finishRequest = [&] {
        body += "]}";
        bodies.push_back(std::move(body));
        jobs.push_back(std::move(job));
        body = {};
    };
    startRequest();
    bool firstRange = true;
    if (m_headerPending) {
        // Only the names Sluice adds; the cells of names already there are left as they are.
        body += "{\"range\":";
        appendJsonString(body,
                         sheetsRange(m_tab.title, 0, 0, 1, static_cast<int>(m_header.size())));
        body += ",\"values\":[[";
        for (std::size_t c = 0; c < m_header.size(); ++c) {
            if (c)
                body += ',';
            if (c < m_headerExisting)
                body += "null";
            else
                appendJsonString(body, m_header[c]);
        }
        body += "]]}";
        job.header = true;
        firstRange = false;
    }
    // Consecutive rows go in one range; a request ends once it holds about kRequestBytes.
    std::size_t k = 0;
    while (k < rows.size()) {
        if (body.size() >= kRequestBytes) {
            finishRequest();
            startRequest();
            firstRange = true;
        }
        std::size_t end = k + 1;
        std::size_t bytes = m_rowJson[rows[k]].size();
        while (end < rows.size() && m_position[rows[end]] == m_position[rows[end - 1]] + 1 &&
               body.size() + bytes < kRequestBytes) {
            bytes += m_rowJson[rows[end]].size() + 1;
            ++end;
        }
        const int first = m_position[rows[k]] + 1; // grid row; row 0 is the header
        const int last = m_position[rows[end - 1]] + 1;
        if (!firstRange)
            body += ',';
        firstRange = false;
        body += "{\"range\":";
        appendJsonString(
            body, sheetsRange(m_tab.title, first, m_firstColumn, last + 1, m_lastColumn + 1));
        body += ",\"values\":[";
        for (std::size_t r = k; r < end; ++r) {
            if (r > k)
                body += ',';
            body += m_rowJson[rows[r]];
            job.rows.push_back(rows[r]);
        }
        body += "]}";
        k = end;
    }
    finishRequest();

    std::vector<net::Request> requests;
    requests.reserve(bodies.size());
    for (auto &b : bodies)
        requests.push_back(m_api->request("POST", m_api->url("/values:batchUpdate"), std::move(b)));
    auto responses = m_api->sendAll(std::move(requests));
    if (!responses)
        return std::unexpected(responses.error()); // no token: nothing was sent
    for (std::size_t j = 0; j < jobs.size(); ++j) {
        const Job &done = jobs[j];
        const Result<net::Response> &r = (*responses)[j];
        if (!r) {
            const Error &e = r.error();
            if (e.kind == ErrorKind::Cancelled || e.kind == ErrorKind::Invalid)
                return std::unexpected(m_api->transportError(e, what));
            // The network failed even after the client's retries: the engine sends these again.
            retry(done.rows, m_api->scrub(e.message), 0, results);
            continue;
        }
        const long status = r->status;
        if (status >= 200 && status < 300) {
            for (auto i : done.rows) {
                results[i] = RecordResult{};
                results[i].destId = m_keys[i];
            }
            if (done.header) {
                m_headerPending = false;
                m_headerExisting = m_header.size();
            }
        } else if (status == 401 || status == 403 || status == 404) {
            return fatal(*r, what);
        } else if (status == 429) {
            retry(done.rows, m_api->summary(*r), retryAfter(*r), results);
        } else if (status >= 500) {
            retry(done.rows, "Google Sheets answered " + m_api->summary(*r), 0, results);
        } else if (done.rows.empty()) {
            return fatal(*r, "writing the header row of the tab \"" + m_tab.title + "\"");
        } else {
            // Google refuses a request as a whole: every record in it carries its words.
            const std::string said = m_api->message(*r);
            for (auto i : done.rows) {
                results[i].status = RecordResult::Status::Rejected;
                results[i].message = said;
            }
        }
    }
    return {};
}

std::string GoogleSheetsWriter::deleteBody(const std::vector<int> &positions,
                                           std::int64_t marker) const
{
    std::string body = "{\"requests\":[";
    // Markers of earlier deletes go first: if this request is ever applied twice, the second
    // time finds them gone (and its own marker there) and Google refuses the whole request.
    for (auto old : m_markers)
        body += "{\"deleteSheet\":{\"sheetId\":" + std::to_string(old) + "}},";
    const std::string id = std::to_string(marker);
    body += "{\"addSheet\":{\"properties\":{\"sheetId\":" + id + ",\"title\":";
    appendJsonString(body, kMarkerPrefix + id);
    body += ",\"hidden\":true,\"gridProperties\":{\"rowCount\":1,\"columnCount\":1}}}}";
    // Bottom-up, so each range still means the rows it was computed for; runs of adjacent
    // rows go as one range.
    std::size_t k = 0;
    while (k < positions.size()) {
        std::size_t end = k + 1;
        while (end < positions.size() && positions[end] == positions[end - 1] - 1)
            ++end;
        const int startIndex = positions[end - 1] + 1; // grid rows; row 0 is the header
        const int endIndex = positions[k] + 2;
        body += ",{\"deleteDimension\":{\"range\":{\"sheetId\":" + std::to_string(m_tab.sheetId) +
                ",\"dimension\":\"ROWS\",\"startIndex\":" + std::to_string(startIndex) +
                ",\"endIndex\":" + std::to_string(endIndex) + "}}}";
        k = end;
    }
    body += "]}";
    return body;
}

Result<void> GoogleSheetsWriter::deleteRows(std::span<const Change> /*batch*/,
                                            std::vector<std::uint32_t> rows,
                                            std::vector<RecordResult> &results)
{
    if (rows.empty())
        return {};
    const std::string what = "deleting rows from the tab \"" + m_tab.title + "\"";
    static thread_local std::mt19937_64 random{std::random_device{}()};
    std::string lastProblem;

    for (int attempt = 1; attempt <= kDeleteAttempts; ++attempt) {
        // Rows already gone (deleted by hand, or by an earlier attempt) are done.
        std::vector<int> positions;
        std::vector<std::uint32_t> pending;
        for (auto i : rows) {
            auto it = m_rowOf.find(m_keys[i]);
            if (it == m_rowOf.end()) {
                results[i] = RecordResult{};
                results[i].destId = m_keys[i];
            } else {
                positions.push_back(static_cast<int>(it->second));
                pending.push_back(i);
            }
        }
        if (positions.empty())
            return {};
        std::sort(positions.begin(), positions.end(), std::greater<>());
        positions.erase(std::unique(positions.begin(), positions.end()), positions.end());

        const std::int64_t marker =
            1'000'000'000 + static_cast<std::int64_t>(random() % 1'147'483'000);
        auto response = m_api->send(
            m_api->request("POST", m_api->url(":batchUpdate"), deleteBody(positions, marker)),
            true);
        bool applied = false;
        int waitMs = 250 << std::min(attempt, 5);
        if (response && response->status >= 200 && response->status < 300) {
            applied = true;
        } else if (response && (response->status == 401 || response->status == 403 ||
                                response->status == 404)) {
            return fatal(*response, what);
        } else {
            if (!response) {
                const Error &e = response.error();
                const Error mapped = m_api->transportError(e, what);
                if (e.kind == ErrorKind::Cancelled || e.kind == ErrorKind::Invalid ||
                    m_api->noToken())
                    return std::unexpected(mapped);
                lastProblem = mapped.message;
            } else {
                lastProblem = m_api->summary(*response);
                if (response->status == 429)
                    waitMs = retryAfter(*response);
            }
            // Whether Google applied it (the answer may be lost, or the request may have gone
            // twice and the second been refused) is told by the marker tab.
            auto info = m_api->spreadsheet();
            if (info) {
                bool markerThere = false;
                std::vector<std::int64_t> still;
                for (const auto &t : info->tabs) {
                    markerThere = markerThere || t.sheetId == marker;
                    if (std::find(m_markers.begin(), m_markers.end(), t.sheetId) != m_markers.end())
                        still.push_back(t.sheetId);
                }
                if (markerThere) {
                    applied = true;
                    if (m_api->config().log)
                        m_api->config().log("Google Sheets: the deletion of " +
                                            std::to_string(positions.size()) +
                                            " rows was done although its answer was lost (" +
                                            lastProblem + "); its marker tab is there.");
                } else {
                    // Not applied. Markers someone removed would make the next try fail too.
                    m_otherCells -= static_cast<std::int64_t>(m_markers.size() - still.size());
                    m_markers = std::move(still);
                    if (response && response->status == 400) {
                        // The tab may have changed under Sluice (rows deleted by hand): read
                        // its key column again and delete what is still there.
                        const SheetTab *tab = nullptr;
                        for (const auto &t : info->tabs) {
                            if (t.sheetId == m_tab.sheetId)
                                tab = &t;
                        }
                        if (!tab)
                            return fatal(*response, what);
                        if (attempt >= 3) {
                            const std::string said = m_api->message(*response);
                            for (auto i : pending) {
                                results[i].status = RecordResult::Status::Rejected;
                                results[i].message = said;
                            }
                            return {};
                        }
                        m_tab = *tab;
                        if (auto r = readRows(*tab, m_keyColumn >= 0); !r)
                            return std::unexpected(r.error());
                        continue;
                    }
                }
            }
        }
        if (applied) {
            m_otherCells += 1 - static_cast<std::int64_t>(m_markers.size());
            m_markers.assign(1, marker);
            // The rows below each deleted one moved up: the index follows.
            std::vector<int> ascending(positions.rbegin(), positions.rend());
            std::size_t next = 0, out = 0;
            for (std::size_t p = 0; p < m_rowKeys.size(); ++p) {
                if (next < ascending.size() && ascending[next] == static_cast<int>(p)) {
                    ++next;
                    continue;
                }
                if (out != p)
                    m_rowKeys[out] = std::move(m_rowKeys[p]);
                ++out;
            }
            m_rowKeys.resize(out);
            m_tab.rowCount -= static_cast<int>(positions.size());
            rebuildIndex();
            for (auto i : pending) {
                results[i] = RecordResult{};
                results[i].destId = m_keys[i];
            }
            return {};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(waitMs));
    }
    std::vector<std::uint32_t> left;
    for (auto i : rows) {
        if (m_rowOf.count(m_keys[i]))
            left.push_back(i);
    }
    retry(left, lastProblem.empty() ? "Google Sheets did not confirm the deletion." : lastProblem,
          0, results);
    return {};
}

Result<void> GoogleSheetsWriter::commit()
{
    if (m_markers.empty())
        return {};
    std::string body = "{\"requests\":[";
    for (std::size_t i = 0; i < m_markers.size(); ++i)
        body += (i ? ",{\"deleteSheet\":{\"sheetId\":" : "{\"deleteSheet\":{\"sheetId\":") +
                std::to_string(m_markers[i]) + "}}";
    body += "]}";
    // Best effort: a marker left behind is removed by the next run that deletes rows.
    auto response = m_api->send(m_api->request("POST", m_api->url(":batchUpdate"), body), true);
    if (response && response->status >= 200 && response->status < 300)
        m_markers.clear();
    return {};
}

void GoogleSheetsWriter::abort()
{
    (void)commit();
}

} // namespace sluice

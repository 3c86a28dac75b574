#pragma once
// Google Sheets API v4 in memory, for tests: spreadsheets with tabs (sheetId, title, grid size)
// and cells as JSON values; spreadsheets.create/get/batchUpdate (addSheet, deleteSheet,
// deleteDimension, appendDimension, updateSheetProperties) and values.get/update/append/
// batchUpdate/clear/batchClear with A1 ranges (whole columns and rows, open-ended ranges, quoted
// tab names). It validates what Google validates (bearer token, sharing, valueInputOption,
// range syntax, grid limits, 10,000,000 cells per spreadsheet, 50,000 characters per cell,
// unknown JSON fields), answers with Google's error envelope and can enforce per-minute read and
// write quotas. Messages follow ../../shared/reference/saas-apis.md §1 and public reports of real
// responses; the ones no source confirmed are marked [assumed] in the .cpp.

#include "emulator.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sluice::emu {

struct SheetsTabInfo
{
    std::int64_t sheetId = 0;
    std::string title;
    int index = 0;
    int rowCount = 0;
    int columnCount = 0;
    bool hidden = false;
};

class SheetsEmulator : public Emulator
{
public:
    // A token the default validator accepts, for kCaller (the sluice-emulator tool uses it).
    static constexpr const char *kAccessToken = "ya29.sheets-emulator-test-token";
    static constexpr const char *kCaller = "sa@example-project.iam.gserviceaccount.com";
    static constexpr std::int64_t kCellLimit = 10'000'000;
    static constexpr std::size_t kMaxCellChars = 50'000;

    SheetsEmulator();

    EmuReply handle(const EmuRequest &request) override;
    EmuReply rateLimited(bool withRetryAfter) override;
    EmuReply serverError(int status) override;

    // --- Set-up ---
    // Turns a bearer token into the caller's email, or "" when the token is not valid (a test
    // asks the OAuth emulator). The default accepts kAccessToken as kCaller.
    void setTokenValidator(std::function<std::string(const std::string &token)> validator);
    // A spreadsheet owned by `owner` with one tab "Sheet1" (sheetId 0, 1000 × 26); returns its id.
    std::string addSpreadsheet(const std::string &title, const std::string &owner = kCaller);
    // A tab (grid rows × columns, no values); returns its sheetId.
    std::int64_t addTab(const std::string &spreadsheetId, const std::string &title,
                        int rowCount = 1000, int columnCount = 26);
    // Puts values in directly (not a request), growing the grid when needed. 0-based row/col.
    void setValues(const std::string &spreadsheetId, const std::string &tab, int row, int column,
                   const std::vector<std::vector<nlohmann::json>> &values);
    // What a user may do in the browser meanwhile.
    void setHidden(const std::string &spreadsheetId, const std::string &tab, bool hidden);
    void removeTab(const std::string &spreadsheetId, const std::string &tab);
    void removeRows(const std::string &spreadsheetId, const std::string &tab, int row, int count);
    void share(const std::string &spreadsheetId, const std::string &email);
    void unshare(const std::string &spreadsheetId, const std::string &email);
    // Google's per-minute quotas ("Write requests per minute per user"); 0 turns one off.
    void setWriteQuota(int perMinute) { m_writeQuota = perMinute; }
    void setReadQuota(int perMinute) { m_readQuota = perMinute; }

    // --- Inspection ---
    std::vector<std::string> spreadsheetIds() const;
    std::string title(const std::string &spreadsheetId) const;
    std::vector<SheetsTabInfo> tabs(const std::string &spreadsheetId) const;
    std::optional<SheetsTabInfo> tab(const std::string &spreadsheetId,
                                     const std::string &title) const;
    // Every value of a tab, trailing empty rows and cells left out (like values.get); empty
    // cells inside are null.
    std::vector<std::vector<nlohmann::json>> values(const std::string &spreadsheetId,
                                                    const std::string &tab) const;
    std::int64_t cellCount(const std::string &spreadsheetId) const; // rows × columns, all tabs

    struct Counters
    {
        long requests = 0;     // every request handle() saw
        long reads = 0;        // accepted reads
        long writes = 0;       // accepted writes (anything that may change a spreadsheet)
        long rateLimited = 0;  // 429s from the quotas (not injected faults)
        long unauthorized = 0; // 401s
        long forbidden = 0;    // 403s
        long badRequests = 0;  // 400s
        std::map<std::string, long> byMethod;    // "values.batchUpdate" → accepted requests
        std::size_t maxBodyBytes = 0;            // the largest request body seen
        std::set<std::string> valueInputOptions; // seen on accepted value writes
    };
    Counters counters() const { return m_counters; }

private:
    struct Tab
    {
        SheetsTabInfo info;
        std::vector<std::vector<nlohmann::json>> rows; // ragged; null = empty cell
    };
    struct Spreadsheet
    {
        std::string id;
        std::string title;
        std::string owner;
        std::set<std::string> editors;
        std::vector<Tab> tabs; // in index order
    };
    // A rectangle on one tab, 0-based, end exclusive; bounded to the grid by parseRange.
    struct Area
    {
        std::size_t tab = 0;
        int row = 0, column = 0;
        int endRow = 0, endColumn = 0;
        bool singleCell = false; // "A5": a write anchors there and may extend
        bool rowsOpen = false;   // "A:C", "A2:C": down to the grid's end
    };
    struct Failure
    {
        int status;
        std::string message;
        std::string statusText; // INVALID_ARGUMENT, …
    };

    EmuReply error(int status, const std::string &message, const std::string &statusText);
    EmuReply error(const Failure &failure);
    EmuReply createSpreadsheet(const EmuRequest &request, const std::string &caller);
    EmuReply getSpreadsheet(Spreadsheet &s);
    EmuReply batchUpdate(Spreadsheet &s, const nlohmann::json &body);
    EmuReply valuesGet(Spreadsheet &s, const std::string &range, const EmuRequest &request);
    EmuReply valuesUpdate(Spreadsheet &s, const std::string &range, const EmuRequest &request,
                          const nlohmann::json &body);
    EmuReply valuesAppend(Spreadsheet &s, const std::string &range, const EmuRequest &request,
                          const nlohmann::json &body);
    EmuReply valuesClear(Spreadsheet &s, const std::vector<std::string> &ranges, bool batch);
    EmuReply valuesBatchUpdate(Spreadsheet &s, const nlohmann::json &body);

    std::optional<Area> parseRange(const Spreadsheet &s, const std::string &text) const;
    std::string a1(const Spreadsheet &s, const Area &area) const;
    // Checks a ValueRange for writing at `area`; fills the cells to write (row-major, null =
    // leave as is) and the area actually covered.
    std::optional<Failure> prepareWrite(const Spreadsheet &s, const nlohmann::json &valueRange,
                                        const std::string &where, Area &area,
                                        std::vector<std::vector<nlohmann::json>> &cells,
                                        bool userEntered) const;
    void write(Spreadsheet &s, const Area &area,
               const std::vector<std::vector<nlohmann::json>> &cells);
    nlohmann::json updateResponse(const Spreadsheet &s, const Area &area,
                                  const std::vector<std::vector<nlohmann::json>> &cells) const;
    std::optional<EmuReply> checkQuota(bool write);
    Spreadsheet *find(const std::string &id);
    const Spreadsheet *find(const std::string &id) const;
    Tab *findTab(Spreadsheet &s, const std::string &title);
    const Tab *findTab(const Spreadsheet &s, const std::string &title) const;
    static std::int64_t cells(const Spreadsheet &s);
    std::string newId();

    std::function<std::string(const std::string &)> m_validator;
    std::map<std::string, Spreadsheet> m_spreadsheets;
    int m_writeQuota = 0;
    int m_readQuota = 0;
    std::deque<std::chrono::steady_clock::time_point> m_writes;
    std::deque<std::chrono::steady_clock::time_point> m_reads;
    std::uint64_t m_nextId = 1;
    std::int64_t m_nextSheetId = 1'000'001;
    Counters m_counters;
};

} // namespace sluice::emu

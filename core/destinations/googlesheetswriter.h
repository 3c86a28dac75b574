#pragma once
// Writes one sync run's changes into a tab of a Google Sheet: a header row naming the columns,
// then one row per record, found by the value in its key column. Every write goes to explicit
// ranges computed from the key column read when the writer opens (values.batchUpdate, RAW), so
// a request repeated after a lost answer writes the same cells again instead of appending a
// duplicate; rows are deleted bottom-up with deleteDimension in one atomic request that also
// adds a marker tab, so a repeated delete is refused instead of deleting the rows below.
// Before anything of a batch is sent, the 50,000-characters-per-cell and 10,000,000-cells-per-
// spreadsheet limits are checked and a batch that would break one stops the run.

#include "destinations/destination.h"
#include "destinations/googlesheetsapi.h"

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice {

class GoogleSheetsWriter final : public Writer
{
public:
    // Reads the spreadsheet, the tab's header row and its key column (three requests; a tab
    // that does not exist is created by the first write() with rows, at the size they need).
    // `onClose` gets the HTTP statistics when the writer is destroyed.
    static Result<std::unique_ptr<GoogleSheetsWriter>>
    open(std::unique_ptr<GoogleSheetsApi> api, const WriteSpec &spec,
         std::function<void(const net::ClientStats &)> onClose = {});
    // A writer that appends rows (insert, no key) to a tab known to be empty, e.g. one the
    // export just made; `fields` become its header, and Change::key is the row's number.
    static Result<std::unique_ptr<GoogleSheetsWriter>>
    openEmpty(std::unique_ptr<GoogleSheetsApi> api, const SpreadsheetInfo &info,
              const std::string &tab, std::vector<std::string> fields);
    ~GoogleSheetsWriter() override;

    Result<std::vector<RecordResult>> write(std::span<const Change> batch) override;
    // Removes the last delete marker tab (best effort: a leftover is removed next run).
    Result<void> commit() override;
    WriterStats stats() const override;
    void abort() override;

    GoogleSheetsApi &api() { return *m_api; }
    std::size_t dataRows() const { return m_rowKeys.size(); }

    static constexpr std::int64_t kCellLimit = 10'000'000;
    static constexpr std::size_t kMaxCellChars = 50'000;
    // Requests are cut at about this size; Google recommends at most 2 MB.
    static constexpr std::size_t kRequestBytes = 1'000'000;
    // Hidden tabs that guard row deletions; objects() leaves them out.
    static constexpr const char *kMarkerPrefix = "Sluice delete marker ";

private:
    struct Job
    {
        std::vector<std::uint32_t> rows; // batch indexes written by this request
        bool header = false;             // the request also writes the header row
    };

    GoogleSheetsWriter(std::unique_ptr<GoogleSheetsApi> api, const WriteSpec &spec,
                       std::function<void(const net::ClientStats &)> onClose);
    // Where each field goes, given the header the tab has (new columns go after it).
    void layOut(const std::vector<std::string> &header);
    Result<void> readRows(const SheetTab &tab, bool keyColumnExisted);
    void rebuildIndex();
    Result<void> render(const Change &change, std::uint32_t i);
    Result<bool> grow(int rows, int columns, std::vector<RecordResult> &results,
                      std::span<const std::uint32_t> rowsToRetry);
    Result<void> sendValues(std::span<const Change> batch, std::vector<std::uint32_t> rows,
                            std::vector<RecordResult> &results);
    Result<void> deleteRows(std::span<const Change> batch, std::vector<std::uint32_t> rows,
                            std::vector<RecordResult> &results);
    std::string deleteBody(const std::vector<int> &positions, std::int64_t marker) const;
    Result<void> fatal(const net::Response &response, const std::string &what);
    void retry(std::span<const std::uint32_t> rows, const std::string &message, int afterMs,
               std::vector<RecordResult> &results);
    std::string cellLimitMessage(std::int64_t rows, std::int64_t columns,
                                 const std::string &key) const;
    std::string rowName(const std::string &key) const; // for messages

    std::unique_ptr<GoogleSheetsApi> m_api;
    std::function<void(const net::ClientStats &)> m_onClose;
    SyncMode m_mode = SyncMode::Upsert;
    bool m_rowNumbers = false; // openEmpty(): changes are keyed by their row number
    std::vector<std::string> m_fields;
    std::string m_keyField;
    SheetTab m_tab;
    bool m_tabMissing = false;     // a new tab, created by the first write() that has rows
    std::int64_t m_otherCells = 0; // cells of the spreadsheet's other tabs

    // Layout: the header as the tab has it (plus pending new names), each field's column, and
    // the span of columns a data row covers.
    std::vector<std::string> m_header;
    bool m_headerPending = false;     // names in m_header not yet written
    std::size_t m_headerExisting = 0; // names at the front of m_header that the tab has
    std::vector<int> m_columnOf;      // field → column
    int m_keyIndex = -1;              // the key field's position in m_fields, -1 when not mapped
    int m_keyColumn = -1;             // the key's column, -1 without a key field
    int m_firstColumn = 0, m_lastColumn = 0;
    std::vector<int> m_cellSource; // column - m_firstColumn → field, -1 none, -2 the key

    // The tab's rows as Sluice knows them: row 2 is m_rowKeys[0]. Keys are unique in m_rowOf
    // (the first row with a key wins); rows without a key hold "".
    std::vector<std::string> m_rowKeys;
    std::unordered_map<std::string, std::uint32_t> m_rowOf;

    // Delete markers still in the spreadsheet (removed by the next delete request or commit).
    std::vector<std::int64_t> m_markers;

    // Per write(): each change's key and its row rendered as a JSON array; buffers reused.
    std::vector<std::string> m_keys;
    std::vector<std::string> m_rowJson;
    std::vector<std::int32_t> m_position;
    std::string m_scratch;
};

} // namespace sluice

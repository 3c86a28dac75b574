#pragma once
// The results grid of the model editor: a table model over a model's query whose rows a
// worker thread reads page by page. fetchMore() only asks the worker for the next page (the
// view calls it while scrolling) and shows a "loading…" row meanwhile; the GUI thread never
// waits on the source. The row count is computed on a second thread and reported when known.
// Only a bounded number of pages stays in memory (least recently shown ones are dropped); a
// dropped page shows "…" while a third thread reads it again with the offset pushed into the
// query, so scrolling through a million rows costs the memory of a few thousand.

#include "sources/source.h"

#include <QAbstractTableModel>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace sluice {

struct PreviewJob;

class PreviewModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Called on a worker thread; each call makes a source of its own (one for the rows, one
    // for the count), so cancelling the count never interrupts the rows.
    using SourceFactory = std::function<Result<std::unique_ptr<Source>>()>;

    static constexpr int pageSize = 500;
    static constexpr int defaultCachedPages = 64;

    explicit PreviewModel(QObject *parent = nullptr);
    ~PreviewModel() override;

    // At most this many rows are read; the limit is pushed into the query. Applies from the
    // next start().
    void setMaxRows(std::int64_t rows) { m_maxRows = rows; }
    std::int64_t maxRows() const { return m_maxRows; }
    // Pages kept in memory (at least 2).
    void setCachedPages(int pages);
    std::int64_t cachedRows() const;

    // Drops what is shown and starts reading the query's first page.
    void start(SourceFactory factory, const SourceQuery &query);
    // Cancels reading and counting; the rows already loaded stay.
    void stop();
    // Stops and empties the model.
    void clear();

    bool isBusy() const { return m_waitingFirstPage || m_pageInFlight || m_counting; }
    bool isLoading() const { return m_waitingFirstPage || m_pageInFlight; }
    bool hasResult() const { return m_haveColumns; }
    bool atEnd() const { return m_atEnd; }
    bool wasStopped() const { return m_stopped; }
    // The limit cut the result short: there may be more rows than the preview shows.
    bool limitReached() const;
    // Rows read so far (the grid's row count), whether or not they are still in memory.
    std::int64_t loadedRows() const { return m_rowCount; }
    std::optional<std::int64_t> totalRows() const { return m_total; }
    // Milliseconds from start() to the first page.
    std::int64_t firstPageMs() const { return m_firstPageMs; }
    const std::vector<Column> &sourceColumns() const { return m_columns; }
    QString errorMessage() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void busyChanged(bool busy);
    // The first page arrived: columns are known (there may be no rows).
    void resultReady();
    void pageLoaded();
    // Every row of the (limited) query is loaded.
    void finished();
    void countKnown(qint64 rows);
    // The source's own message; reading stops.
    void errorOccurred(const QString &message);

private:
    struct Page;
    static void readRows(std::shared_ptr<PreviewJob> job, quint64 generation, SourceFactory factory,
                         SourceQuery query);
    static void rereadPages(std::shared_ptr<PreviewJob> job, quint64 generation,
                            SourceFactory factory, SourceQuery query);
    static void countRows(std::shared_ptr<PreviewJob> job, quint64 generation,
                          SourceFactory factory, SourceQuery query);
    static void detach(std::shared_ptr<PreviewJob> &job);
    void detachJob();
    void onPage(quint64 generation, std::shared_ptr<Page> page);
    void onCount(quint64 generation, std::int64_t rows);
    void onPageReread(quint64 generation, std::int64_t page, std::shared_ptr<Page> rows);
    const Row *cachedRow(std::int64_t row) const;
    void requestReread(std::int64_t page) const;
    void storePage(std::int64_t page, std::vector<Row> rows);
    void resetRows();
    void setBusyFlags(bool waitingFirst, bool pageInFlight, bool counting);
    void removeLoadingRow();

    std::shared_ptr<PreviewJob> m_job;
    quint64 m_generation = 0;
    std::int64_t m_maxRows = 1'000'000;
    std::vector<Column> m_columns;
    struct CachedPage
    {
        std::vector<Row> rows;
        mutable std::uint64_t lastUse = 0;
    };
    std::unordered_map<std::int64_t, CachedPage> m_pages;
    std::int64_t m_rowCount = 0;
    int m_cachedPages = defaultCachedPages;
    mutable std::uint64_t m_useClock = 0;
    SourceFactory m_factory; // for re-reading dropped pages
    SourceQuery m_query;
    mutable std::shared_ptr<PreviewJob> m_rereadJob;
    mutable std::unordered_set<std::int64_t> m_failedPages;
    bool m_haveColumns = false;
    bool m_loadingRow = false; // the placeholder row after the last loaded one
    bool m_waitingFirstPage = false;
    bool m_pageInFlight = false;
    bool m_counting = false;
    bool m_atEnd = false;
    bool m_stopped = false;
    std::optional<std::int64_t> m_total;
    std::int64_t m_firstPageMs = 0;
    QString m_error;
};

} // namespace sluice

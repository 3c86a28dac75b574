#include "previewmodel.h"

#include "util/cancel.h"

#include <QElapsedTimer>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace sluice {

// Shared by the model and the threads of one run. The threads outlive neither the job nor
// the model's interest: once detached (stop, restart, model destroyed) they post nothing and
// end as soon as their cancel lands.
struct PreviewJob
{
    std::mutex mutex;
    std::condition_variable wake;
    int pagesWanted = 1;
    bool stopped = false;
    CancelToken rowsCancel;
    CancelToken countCancel;

    std::mutex targetMutex;
    PreviewModel *target = nullptr; // null once detached

    // Re-reading dropped pages (a job of its own, which outlives Stop): newest request last.
    std::deque<std::int64_t> rereadQueue;
    std::int64_t rereading = -1;
    bool rereaderStarted = false;
    CancelToken rereadCancel;

    // Runs fn on the GUI thread if the model still listens. Holding targetMutex keeps the
    // model alive while the event is posted; Qt drops posted events of a deleted object.
    template <class Fn> void post(Fn fn)
    {
        std::lock_guard lock(targetMutex);
        if (!target)
            return;
        PreviewModel *model = target;
        QMetaObject::invokeMethod(
            model, [model, fn = std::move(fn)]() mutable { fn(model); }, Qt::QueuedConnection);
    }

    bool isStopped()
    {
        std::lock_guard lock(mutex);
        return stopped;
    }
};

struct PreviewModel::Page
{
    std::optional<std::vector<Column>> columns; // with the first page only
    std::vector<Row> rows;
    bool end = false;
    std::optional<Error> error;
    std::int64_t elapsedMs = 0;
};

void PreviewModel::readRows(std::shared_ptr<PreviewJob> job, quint64 generation,
                            SourceFactory factory, SourceQuery query)
{
    QElapsedTimer timer;
    timer.start();
    auto deliver = [&](std::shared_ptr<Page> page) {
        page->elapsedMs = timer.elapsed();
        job->post([generation, page](PreviewModel *m) { m->onPage(generation, page); });
    };
    auto failWith = [&](const Error &error) {
        if (error.kind == ErrorKind::Cancelled || job->isStopped())
            return;
        auto page = std::make_shared<Page>();
        page->columns = std::vector<Column>();
        page->error = error;
        page->end = true;
        deliver(page);
    };

    auto source = factory();
    if (!source)
        return failWith(source.error());
    if (job->isStopped())
        return;
    auto stream = (*source)->open(query);
    if (!stream)
        return failWith(stream.error());
    RowStream *raw = stream->get();
    CancelHook hook(&job->rowsCancel, [raw] { raw->cancel(); });

    bool first = true;
    int pagesDone = 0;
    for (;;) {
        {
            std::unique_lock lock(job->mutex);
            job->wake.wait(lock, [&] { return job->stopped || job->pagesWanted > pagesDone; });
            if (job->stopped)
                break;
        }
        auto page = std::make_shared<Page>();
        if (first)
            page->columns = raw->columns();
        page->rows.reserve(pageSize);
        while (page->rows.size() < static_cast<std::size_t>(pageSize)) {
            Row row;
            auto more = raw->next(row);
            if (!more) {
                page->error = more.error();
                break;
            }
            if (!*more) {
                page->end = true;
                break;
            }
            page->rows.push_back(std::move(row));
        }
        ++pagesDone;
        first = false;
        if (page->error && page->error->kind == ErrorKind::Cancelled)
            break;
        const bool last = page->end || page->error;
        deliver(page);
        if (last)
            break;
    }
    // The hook must be gone before the stream it points at.
    hook.reset();
}

void PreviewModel::rereadPages(std::shared_ptr<PreviewJob> job, quint64 generation,
                               SourceFactory factory, SourceQuery query)
{
    for (;;) {
        std::int64_t pageIndex = -1;
        {
            std::unique_lock lock(job->mutex);
            job->rereading = -1;
            job->wake.wait(lock, [&] { return job->stopped || !job->rereadQueue.empty(); });
            if (job->stopped)
                return;
            pageIndex = job->rereadQueue.back();
            job->rereadQueue.pop_back();
            job->rereading = pageIndex;
        }
        auto page = std::make_shared<Page>();
        SourceQuery q = query;
        q.offset = pageIndex * pageSize;
        q.limit = std::min<std::int64_t>(pageSize, query.limit.value_or(INT64_MAX) - q.offset);
        auto source = factory();
        auto stream = source ? (*source)->open(q) : std::unexpected(source.error());
        if (!stream) {
            page->error = stream.error();
        } else {
            RowStream *raw = stream->get();
            CancelHook hook(&job->rereadCancel, [raw] { raw->cancel(); });
            page->rows.reserve(pageSize);
            for (;;) {
                Row row;
                auto more = raw->next(row);
                if (!more)
                    page->error = more.error();
                if (!more || !*more)
                    break;
                page->rows.push_back(std::move(row));
            }
            hook.reset();
        }
        if (page->error && page->error->kind == ErrorKind::Cancelled)
            return;
        job->post([generation, pageIndex, page](PreviewModel *m) {
            m->onPageReread(generation, pageIndex, page);
        });
    }
}

void PreviewModel::countRows(std::shared_ptr<PreviewJob> job, quint64 generation,
                             SourceFactory factory, SourceQuery query)
{
    std::optional<std::int64_t> total;
    if (auto source = factory()) {
        if (auto n = (*source)->count(query, &job->countCancel))
            total = *n;
    }
    // A failed count is not reported: the row reader meets the same error and shows it.
    const std::int64_t rows = total.value_or(-1);
    job->post([generation, rows](PreviewModel *m) { m->onCount(generation, rows); });
}

PreviewModel::PreviewModel(QObject *parent) : QAbstractTableModel(parent) {}

PreviewModel::~PreviewModel()
{
    detachJob();
    detach(m_rereadJob);
}

void PreviewModel::detach(std::shared_ptr<PreviewJob> &job)
{
    if (!job)
        return;
    {
        std::lock_guard lock(job->targetMutex);
        job->target = nullptr;
    }
    {
        std::lock_guard lock(job->mutex);
        job->stopped = true;
    }
    job->wake.notify_all();
    job->rowsCancel.cancel();
    job->countCancel.cancel();
    job->rereadCancel.cancel();
    job.reset();
}

void PreviewModel::detachJob()
{
    detach(m_job);
}

void PreviewModel::setCachedPages(int pages)
{
    m_cachedPages = std::max(pages, 2);
}

std::int64_t PreviewModel::cachedRows() const
{
    std::int64_t rows = 0;
    for (const auto &[index, page] : m_pages)
        rows += static_cast<std::int64_t>(page.rows.size());
    return rows;
}

void PreviewModel::resetRows()
{
    detach(m_rereadJob);
    ++m_generation;
    m_columns.clear();
    m_pages.clear();
    m_rowCount = 0;
    m_haveColumns = false;
    m_loadingRow = false;
    m_atEnd = false;
    m_stopped = false;
    m_total.reset();
    m_firstPageMs = 0;
    m_error.clear();
}

void PreviewModel::storePage(std::int64_t page, std::vector<Row> rows)
{
    m_pages[page] = CachedPage{std::move(rows), ++m_useClock};
    while (m_pages.size() > static_cast<std::size_t>(m_cachedPages)) {
        auto oldest = std::min_element(m_pages.begin(), m_pages.end(), [](auto &a, auto &b) {
            return a.second.lastUse < b.second.lastUse;
        });
        m_pages.erase(oldest);
    }
}

const Row *PreviewModel::cachedRow(std::int64_t row) const
{
    auto it = m_pages.find(row / pageSize);
    if (it == m_pages.end())
        return nullptr;
    const auto offset = static_cast<std::size_t>(row % pageSize);
    if (offset >= it->second.rows.size())
        return nullptr;
    it->second.lastUse = ++m_useClock;
    return &it->second.rows[offset];
}

void PreviewModel::requestReread(std::int64_t page) const
{
    if (!m_factory || m_failedPages.contains(page))
        return;
    if (!m_rereadJob) {
        m_rereadJob = std::make_shared<PreviewJob>();
        m_rereadJob->target = const_cast<PreviewModel *>(this);
    }
    auto &job = *m_rereadJob;
    bool start = false;
    {
        std::lock_guard lock(job.mutex);
        if (job.rereading == page)
            return;
        auto &queue = job.rereadQueue;
        if (auto it = std::find(queue.begin(), queue.end(), page); it != queue.end())
            queue.erase(it);
        queue.push_back(page);
        // Scrolling fast asks for many pages; only the latest ones are still on screen.
        while (queue.size() > 8)
            queue.pop_front();
        start = !std::exchange(job.rereaderStarted, true);
    }
    job.wake.notify_all();
    if (start) {
        SourceQuery limited = m_query;
        std::thread(rereadPages, m_rereadJob, m_generation, m_factory, limited).detach();
    }
}

void PreviewModel::onPageReread(quint64 generation, std::int64_t page, std::shared_ptr<Page> rows)
{
    if (generation != m_generation)
        return;
    if (rows->error) {
        m_failedPages.insert(page); // not asked again: the grid shows it as unavailable
    } else {
        storePage(page, std::move(rows->rows));
    }
    const std::int64_t first = page * pageSize;
    const std::int64_t last = std::min(first + pageSize, m_rowCount) - 1;
    if (last >= first && !m_columns.empty())
        emit dataChanged(index(static_cast<int>(first), 0),
                         index(static_cast<int>(last), static_cast<int>(m_columns.size()) - 1));
}

void PreviewModel::start(SourceFactory factory, const SourceQuery &query)
{
    detachJob();
    beginResetModel();
    resetRows();
    endResetModel();

    m_job = std::make_shared<PreviewJob>();
    m_job->target = this;
    SourceQuery limited = query;
    if (!limited.limit || *limited.limit > m_maxRows)
        limited.limit = m_maxRows;
    m_factory = factory;
    m_query = limited;
    m_failedPages.clear();
    std::thread(readRows, m_job, m_generation, factory, limited).detach();
    std::thread(countRows, m_job, m_generation, factory, query).detach();
    setBusyFlags(true, false, true);
}

void PreviewModel::stop()
{
    if (!m_job)
        return;
    detachJob();
    removeLoadingRow();
    m_stopped = !m_atEnd || !m_total;
    setBusyFlags(false, false, false);
}

void PreviewModel::clear()
{
    detachJob();
    beginResetModel();
    resetRows();
    m_factory = nullptr;
    m_failedPages.clear();
    endResetModel();
    setBusyFlags(false, false, false);
}

bool PreviewModel::limitReached() const
{
    return m_atEnd && m_error.isEmpty() && loadedRows() >= m_maxRows;
}

void PreviewModel::setBusyFlags(bool waitingFirst, bool pageInFlight, bool counting)
{
    const bool before = isBusy();
    m_waitingFirstPage = waitingFirst;
    m_pageInFlight = pageInFlight;
    m_counting = counting;
    if (before != isBusy())
        emit busyChanged(isBusy());
}

void PreviewModel::removeLoadingRow()
{
    if (!m_loadingRow)
        return;
    const int row = static_cast<int>(m_rowCount);
    beginRemoveRows({}, row, row);
    m_loadingRow = false;
    endRemoveRows();
}

void PreviewModel::onPage(quint64 generation, std::shared_ptr<Page> page)
{
    if (generation != m_generation || !m_job)
        return; // from before the last reset or stop
    // State first, signals after: a view (or QAbstractItemModelTester) may call fetchMore()
    // from inside the reset or insert signals below, and must see this page as delivered.
    const bool wasBusy = isBusy();
    const bool firstPage = m_waitingFirstPage;
    m_waitingFirstPage = false;
    m_pageInFlight = false;
    if (page->end || page->error)
        m_atEnd = true;
    if (page->error) {
        m_error = QString::fromStdString(page->error->message);
        m_counting = false;
        m_job->countCancel.cancel();
    }
    if (page->columns) {
        removeLoadingRow();
        beginResetModel();
        m_columns = std::move(*page->columns);
        m_rowCount = static_cast<std::int64_t>(page->rows.size());
        storePage(0, std::move(page->rows));
        m_haveColumns = true;
        m_firstPageMs = page->elapsedMs;
        endResetModel();
    } else if (!page->rows.empty()) {
        // Forward pages are full but for the last, so the row count names the page.
        const auto n = static_cast<std::int64_t>(page->rows.size());
        const std::int64_t first = m_rowCount;
        beginInsertRows({}, static_cast<int>(first), static_cast<int>(first + n - 1));
        storePage(first / pageSize, std::move(page->rows));
        m_rowCount += n;
        endInsertRows();
    }
    // The placeholder goes after the new rows are in: removed first, it would shrink a view
    // scrolled to the bottom, which then sits at the bottom again and asks for yet another
    // page, until the whole result is loaded.
    removeLoadingRow();
    // Everything is here, so the count is too, whatever the counting thread says.
    bool countNowKnown = false;
    if (m_atEnd && !page->error && !m_total && !limitReached()) {
        m_total = loadedRows();
        countNowKnown = true;
        m_counting = false;
        m_job->countCancel.cancel();
    }
    if (wasBusy != isBusy())
        emit busyChanged(isBusy());
    if (firstPage)
        emit resultReady();
    emit pageLoaded();
    if (countNowKnown)
        emit countKnown(*m_total);
    if (page->error)
        emit errorOccurred(m_error);
    else if (m_atEnd)
        emit finished();
}

void PreviewModel::onCount(quint64 generation, std::int64_t rows)
{
    if (generation != m_generation || !m_job)
        return;
    const bool known = m_total.has_value();
    if (rows >= 0 && !known)
        m_total = rows;
    setBusyFlags(m_waitingFirstPage, m_pageInFlight, false);
    if (rows >= 0 && !known)
        emit countKnown(rows);
}

int PreviewModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_haveColumns)
        return 0;
    return static_cast<int>(m_rowCount) + (m_loadingRow ? 1 : 0);
}

int PreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant PreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const std::int64_t rowIndex = index.row();
    const Row *row = rowIndex < m_rowCount ? cachedRow(rowIndex) : nullptr;
    if (!row) { // the loading row, or a page dropped from memory and being read again
        if (rowIndex < m_rowCount) {
            const std::int64_t page = rowIndex / pageSize;
            requestReread(page);
            if (role == Qt::DisplayRole)
                return m_failedPages.contains(page) ? tr("(could not be read again)")
                                                    : QStringLiteral("…");
        } else if (role == Qt::DisplayRole && index.column() == 0) {
            return tr("loading…");
        }
        if (role == Qt::ForegroundRole)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        if (role == Qt::FontRole) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    }
    const Value &v = (*row)[static_cast<std::size_t>(index.column())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (v.type) {
        case ValueType::Null:
            return role == Qt::DisplayRole ? QVariant(QStringLiteral("NULL")) : QVariant();
        case ValueType::Integer:
            return QVariant::fromValue<qlonglong>(v.integer);
        case ValueType::Real:
            return v.real;
        case ValueType::Text: {
            // One line in the grid; the tooltip has the whole text.
            QString text = QString::fromStdString(v.text);
            if (role == Qt::DisplayRole && text.size() > 200)
                text = text.left(200) + QStringLiteral("…");
            return text;
        }
        }
        return {};
    case Qt::ToolTipRole:
        if (v.type == ValueType::Text && v.text.size() > 40)
            return QString::fromStdString(v.text.substr(0, 4000));
        return {};
    case Qt::TextAlignmentRole:
        if (v.type == ValueType::Integer || v.type == ValueType::Real)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (v.isNull())
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::FontRole:
        if (v.isNull()) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

QVariant PreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section >= 0 && section < rowCount())
            return section + 1;
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (section < 0 || section >= columnCount())
        return {};
    const Column &c = m_columns[static_cast<std::size_t>(section)];
    if (role == Qt::DisplayRole)
        return QString::fromStdString(c.name);
    if (role == Qt::ToolTipRole)
        return tr("%1 (%2)").arg(QString::fromStdString(c.name),
                                 QString::fromLatin1(columnTypeName(c.type)));
    return {};
}

bool PreviewModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_job && m_haveColumns && !m_atEnd && !m_pageInFlight &&
           !m_waitingFirstPage;
}

void PreviewModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    {
        std::lock_guard lock(m_job->mutex);
        ++m_job->pagesWanted;
    }
    m_job->wake.notify_all();
    setBusyFlags(m_waitingFirstPage, true, m_counting);
    // Views call fetchMore() from inside other changes (a reset, an insert), where inserting
    // rows is not allowed: the placeholder row follows from the event loop.
    QMetaObject::invokeMethod(
        this,
        [this, generation = m_generation] {
            if (generation != m_generation || !m_pageInFlight || m_loadingRow)
                return;
            const int row = static_cast<int>(m_rowCount);
            beginInsertRows({}, row, row);
            m_loadingRow = true;
            endInsertRows();
        },
        Qt::QueuedConnection);
}

} // namespace sluice

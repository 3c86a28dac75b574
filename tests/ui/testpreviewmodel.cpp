// The preview model: pages arrive from a worker only when asked, a "loading…" row shows while
// one is on its way, a restart drops pages of the previous run, Stop cancels the source
// within a second, errors arrive with the source's message, and the exact count is reported.
// Checked throughout by QAbstractItemModelTester.

#include "previewmodel.h"

#include <QAbstractItemModelTester>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace sluice;

namespace {

// What the test controls and observes, shared by every source the factory makes.
struct Gate
{
    std::mutex mutex;
    std::condition_variable changed;
    std::int64_t rows = 1200;         // rows in the result
    std::int64_t allowed = INT64_MAX; // rows a stream may hand out before it blocks
    std::int64_t failAt = -1;         // next() fails when reaching this row
    bool countReleased = true;        // count() blocks until released
    std::string prefix = "row";
    std::optional<std::int64_t> lastLimit;
    std::vector<std::int64_t> offsets; // of every stream opened
    std::atomic<int> openStreams{0};
    std::atomic<int> openCounts{0};

    void allow(std::int64_t n)
    {
        std::lock_guard lock(mutex);
        allowed = n;
        changed.notify_all();
    }
    void releaseCount()
    {
        std::lock_guard lock(mutex);
        countReleased = true;
        changed.notify_all();
    }
};

class GatedStream : public RowStream
{
public:
    GatedStream(std::shared_ptr<Gate> gate, std::int64_t limit, std::int64_t offset)
        : m_gate(std::move(gate)), m_limit(limit == INT64_MAX ? limit : offset + limit),
          m_emitted(offset)
    {
        ++m_gate->openStreams;
    }
    ~GatedStream() override { --m_gate->openStreams; }
    const std::vector<Column> &columns() const override { return m_columns; }
    Result<bool> next(Row &row) override
    {
        std::unique_lock lock(m_gate->mutex);
        m_gate->changed.wait(lock, [&] { return m_cancelled || m_emitted < m_gate->allowed; });
        if (m_cancelled)
            return fail(ErrorKind::Cancelled, "Stopped.");
        if (m_emitted >= m_gate->rows || m_emitted >= m_limit)
            return false;
        if (m_emitted == m_gate->failAt)
            return fail(ErrorKind::Source, "The query failed while reading: disk I/O error");
        row.resize(2);
        row[0].setInteger(m_emitted + 1);
        row[1].setText(m_gate->prefix + std::to_string(m_emitted + 1));
        ++m_emitted;
        return true;
    }
    void cancel() override
    {
        std::lock_guard lock(m_gate->mutex);
        m_cancelled = true;
        m_gate->changed.notify_all();
    }

private:
    std::shared_ptr<Gate> m_gate;
    std::int64_t m_limit; // the row number reading stops at
    std::vector<Column> m_columns{{"id", ColumnType::Integer}, {"name", ColumnType::Text}};
    std::int64_t m_emitted = 0;
    bool m_cancelled = false;
};

class GatedSource : public Source
{
public:
    explicit GatedSource(std::shared_ptr<Gate> gate) : m_gate(std::move(gate)) {}
    Result<std::unique_ptr<RowStream>> open(const SourceQuery &query) override
    {
        {
            std::lock_guard lock(m_gate->mutex);
            m_gate->lastLimit = query.limit;
            m_gate->offsets.push_back(query.offset);
        }
        return std::make_unique<GatedStream>(m_gate, query.limit.value_or(INT64_MAX), query.offset);
    }
    Result<std::vector<TableInfo>> tables() override { return std::vector<TableInfo>{}; }
    Result<std::int64_t> count(const SourceQuery &query, CancelToken *cancel) override
    {
        ++m_gate->openCounts;
        std::unique_lock lock(m_gate->mutex);
        while (!m_gate->countReleased && !(cancel && cancel->cancelled()))
            m_gate->changed.wait_for(lock, std::chrono::milliseconds(10));
        --m_gate->openCounts;
        if (cancel && cancel->cancelled())
            return fail(ErrorKind::Cancelled, "Stopped.");
        return std::min(m_gate->rows, query.limit.value_or(INT64_MAX));
    }

private:
    std::shared_ptr<Gate> m_gate;
};

PreviewModel::SourceFactory factory(std::shared_ptr<Gate> gate)
{
    return
        [gate]() -> Result<std::unique_ptr<Source>> { return std::make_unique<GatedSource>(gate); };
}

QString cell(const PreviewModel &m, int row, int column)
{
    return m.data(m.index(row, column)).toString();
}

} // namespace

class TestPreviewModel : public QObject
{
    Q_OBJECT

private slots:
    void firstPageThenMoreOnRequest()
    {
        auto gate = std::make_shared<Gate>();
        gate->allow(500);
        gate->countReleased = false;
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ready(&model, &PreviewModel::resultReady);
        model.start(factory(gate), SourceQuery{"SELECT …", "", {}});
        QVERIFY(model.isBusy());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(ready.wait(5000));
        QCOMPARE(model.loadedRows(), 500);
        QCOMPARE(model.columnCount(), 2);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QString("name"));
        QCOMPARE(cell(model, 0, 1), QString("row1"));
        QCOMPARE(cell(model, 499, 0), QString("500"));
        QVERIFY(!model.totalRows());

        // fetchMore only asks: the worker is blocked, yet it returns at once with a
        // placeholder row. (The tester may have asked already, as a view would.)
        QElapsedTimer timer;
        timer.start();
        if (model.canFetchMore({}))
            model.fetchMore({});
        QVERIFY(timer.elapsed() < 50);
        QTRY_COMPARE(model.rowCount(), 501);
        QCOMPARE(cell(model, 500, 0), QString("loading…"));
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(model.isLoading());

        QSignalSpy pages(&model, &PreviewModel::pageLoaded);
        gate->allow(INT64_MAX);
        QVERIFY(pages.wait(5000));
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(cell(model, 500, 1), QString("row501"));
        QSignalSpy finished(&model, &PreviewModel::finished);
        if (model.canFetchMore({}))
            model.fetchMore({});
        if (finished.isEmpty())
            QVERIFY(finished.wait(5000));
        QCOMPARE(model.rowCount(), 1200); // the last, partial page is shown
        QCOMPARE(cell(model, 1199, 1), QString("row1200"));
        QVERIFY(model.atEnd());
        QVERIFY(!model.canFetchMore({}));
        // All rows are here, so the count is exact without waiting for count().
        QCOMPARE(model.totalRows().value_or(-1), 1200);
        QVERIFY(!model.isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(gate->openCounts.load(), 0, 1000);
    }

    void limitIsPushedIntoTheQuery()
    {
        auto gate = std::make_shared<Gate>();
        gate->rows = 5000;
        PreviewModel model;
        model.setMaxRows(700);
        QSignalSpy ready(&model, &PreviewModel::resultReady);
        model.start(factory(gate), SourceQuery{"SELECT …", "", {}});
        QVERIFY(ready.wait(5000));
        {
            std::lock_guard lock(gate->mutex);
            QCOMPARE(gate->lastLimit.value_or(-1), 700);
        }
        QSignalSpy finished(&model, &PreviewModel::finished);
        model.fetchMore({});
        QVERIFY(finished.wait(5000));
        QCOMPARE(model.rowCount(), 700);
        QVERIFY(model.limitReached());
        // The count is of the model, not of the preview.
        QTRY_COMPARE_WITH_TIMEOUT(model.totalRows().value_or(-1), 5000, 5000);
    }

    void scrollingFetchesMore()
    {
        auto gate = std::make_shared<Gate>();
        gate->rows = 1700;
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView view;
        view.setModel(&model);
        view.resize(400, 300);
        view.show();
        QSignalSpy ready(&model, &PreviewModel::resultReady);
        model.start(factory(gate), SourceQuery{"SELECT …", "", {}});
        QVERIFY(ready.wait(5000));
        QCOMPARE(model.loadedRows(), 500);
        // The tester asks for more on every change too, so loading may run ahead of the view.
        for (int expected : {1000, 1500, 1700}) {
            view.scrollToBottom();
            QTRY_VERIFY_WITH_TIMEOUT(model.loadedRows() >= expected, 5000);
        }
        QVERIFY(model.atEnd());
        QCOMPARE(model.rowCount(), 1700);
    }

    // No tester here: it calls fetchMore() itself on every change.
    void viewAsksForOnePagePerScroll()
    {
        auto gate = std::make_shared<Gate>();
        gate->rows = 100000;
        gate->countReleased = false;
        PreviewModel model;
        QTableView view;
        view.setModel(&model);
        view.resize(400, 300);
        view.show();
        QSignalSpy ready(&model, &PreviewModel::resultReady);
        model.start(factory(gate), SourceQuery{"SELECT …", "", {}});
        QVERIFY(ready.wait(5000));
        QTest::qWait(200);
        QCOMPARE(model.loadedRows(), 500);
        for (int expected : {1000, 1500}) {
            view.scrollToBottom();
            QTRY_COMPARE_WITH_TIMEOUT(model.loadedRows(), expected, 5000);
            QTest::qWait(300);
            QCOMPARE(model.loadedRows(), expected);
            QCOMPARE(model.rowCount(), expected); // no placeholder left behind
        }
        view.scrollToTop();
        QTest::qWait(100);
        QCOMPARE(model.loadedRows(), 1500);
    }

    void restartDropsPagesOfThePreviousRun()
    {
        auto first = std::make_shared<Gate>();
        first->rows = 2000;
        first->prefix = "old";
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ready(&model, &PreviewModel::resultReady);
        model.start(factory(first), SourceQuery{"SELECT old", "", {}});
        QVERIFY(ready.wait(5000));
        // Ask for a page and let the worker post it without processing events, so it sits in
        // the event queue when the restart happens.
        if (model.canFetchMore({}))
            model.fetchMore({});
        QVERIFY(model.isLoading());
        QThread::msleep(300);
        auto second = std::make_shared<Gate>();
        second->rows = 300;
        second->prefix = "new";
        QSignalSpy errors(&model, &PreviewModel::errorOccurred);
        model.start(factory(second), SourceQuery{"SELECT new", "", {}});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(ready.wait(5000));
        QTest::qWait(200);
        QCOMPARE(model.rowCount(), 300);
        for (int r = 0; r < model.rowCount(); ++r)
            QVERIFY(cell(model, r, 1).startsWith("new"));
        QCOMPARE(model.totalRows().value_or(-1), 300);
        QVERIFY(errors.isEmpty());
        // The old run's stream was cancelled and closed.
        QTRY_COMPARE_WITH_TIMEOUT(first->openStreams.load(), 0, 1000);
    }

    void stopCancelsWithinASecond()
    {
        auto gate = std::make_shared<Gate>();
        gate->rows = INT64_MAX;
        gate->allow(500);
        gate->countReleased = false;
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ready(&model, &PreviewModel::resultReady);
        QSignalSpy busy(&model, &PreviewModel::busyChanged);
        model.start(factory(gate), SourceQuery{"SELECT …", "", {}});
        QVERIFY(ready.wait(5000));
        if (model.canFetchMore({}))
            model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), 501);
        QVERIFY(model.isBusy());
        QCOMPARE(gate->openStreams.load(), 1);
        QTRY_COMPARE(gate->openCounts.load(), 1); // the count thread may still be starting

        QElapsedTimer timer;
        timer.start();
        model.stop();
        QVERIFY(timer.elapsed() < 50);
        QVERIFY(!model.isBusy());
        QCOMPARE(busy.last().at(0).toBool(), false);
        QCOMPARE(model.rowCount(), 500); // placeholder gone, loaded rows kept
        QVERIFY(model.wasStopped());
        QVERIFY(!model.canFetchMore({}));
        QTRY_COMPARE_WITH_TIMEOUT(gate->openStreams.load(), 0, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(gate->openCounts.load(), 0, 1000);
        gate->allow(INT64_MAX);
        QTest::qWait(100);
        QCOMPARE(model.rowCount(), 500);
    }

    void errorsArriveWithTheSourceMessage()
    {
        auto gate = std::make_shared<Gate>();
        gate->failAt = 700;
        gate->countReleased = false;
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ready(&model, &PreviewModel::resultReady);
        QSignalSpy errors(&model, &PreviewModel::errorOccurred);
        model.start(factory(gate), SourceQuery{"SELECT …", "", {}});
        QVERIFY(ready.wait(5000));
        if (model.canFetchMore({}))
            model.fetchMore({});
        if (errors.isEmpty())
            QVERIFY(errors.wait(5000));
        QCOMPARE(errors.first().at(0).toString(),
                 QString("The query failed while reading: disk I/O error"));
        QCOMPARE(model.rowCount(), 700); // rows before the error stay, no placeholder
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(!model.isBusy()); // the count was cancelled too
        QTRY_COMPARE_WITH_TIMEOUT(gate->openCounts.load(), 0, 1000);

        // A source that cannot even open: the error comes at once, with no rows.
        PreviewModel broken;
        QAbstractItemModelTester tester2(&broken,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy brokenErrors(&broken, &PreviewModel::errorOccurred);
        broken.start(
            []() -> Result<std::unique_ptr<Source>> {
                return fail(ErrorKind::NotFound, "The SQLite file x.db does not exist.");
            },
            SourceQuery{"SELECT 1", "", {}});
        QVERIFY(brokenErrors.wait(5000));
        QCOMPARE(brokenErrors.first().at(0).toString(),
                 QString("The SQLite file x.db does not exist."));
        QCOMPARE(broken.rowCount(), 0);
        QVERIFY(!broken.isBusy());
    }

    void exactCountArrivesBeforeTheRows()
    {
        auto gate = std::make_shared<Gate>();
        gate->rows = 12132;
        gate->countReleased = false;
        PreviewModel model;
        QSignalSpy ready(&model, &PreviewModel::resultReady);
        QSignalSpy counted(&model, &PreviewModel::countKnown);
        model.start(factory(gate), SourceQuery{"SELECT …", "", {}});
        QVERIFY(ready.wait(5000));
        QVERIFY(!model.totalRows());
        QVERIFY(model.isBusy()); // still counting
        gate->releaseCount();
        QVERIFY(counted.wait(5000));
        QCOMPARE(counted.first().at(0).toLongLong(), 12132);
        QCOMPARE(model.totalRows().value_or(-1), 12132);
        QCOMPARE(model.loadedRows(), 500);
        QVERIFY(!model.isBusy());
        QCOMPARE(counted.size(), 1);
    }

    void memoryIsBoundedAndDroppedPagesAreReadAgain()
    {
        auto gate = std::make_shared<Gate>();
        gate->rows = 5000;
        PreviewModel model;
        QAbstractItemModelTester tester(&model);
        model.setCachedPages(3);
        model.start(factory(gate), SourceQuery{"SELECT", {}, std::nullopt});
        QTRY_VERIFY(model.hasResult());
        while (!model.atEnd()) {
            if (model.canFetchMore({}))
                model.fetchMore({});
            QTest::qWait(5);
        }
        QCOMPARE(model.loadedRows(), 5000);
        QCOMPARE(model.rowCount(), 5000);
        QCOMPARE(model.cachedRows(), 3 * PreviewModel::pageSize); // only the last three pages
        QCOMPARE(cell(model, 4999, 1), QString("row5000"));
        // Page 2 was dropped (page 1 stays: the tester keeps looking at row 1): a placeholder
        // now, the real rows once read again at their offset.
        auto offsets = [&] {
            std::lock_guard lock(gate->mutex);
            return gate->offsets;
        };
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QCOMPARE(cell(model, 600, 1), QString("…"));
        QTRY_VERIFY(!changed.isEmpty());
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 500);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 999);
        QCOMPARE(cell(model, 600, 1), QString("row601"));
        QCOMPARE(cell(model, 999, 0), QString("1000"));
        QCOMPARE(offsets().back(), 500);
        QCOMPARE(cell(model, 2750, 1), QString("…"));
        QTRY_COMPARE(cell(model, 2750, 1), QString("row2751"));
        QCOMPARE(offsets().back(), 2500);
        QVERIFY(model.cachedRows() <= 3 * PreviewModel::pageSize);
        // Asking again for a page that is on its way does not read it twice.
        const auto readsOf = [&](std::int64_t offset) {
            return std::ranges::count(offsets(), offset);
        };
        const auto before = readsOf(1000);
        QCOMPARE(cell(model, 1200, 1), QString("…"));
        QCOMPARE(cell(model, 1201, 1), QString("…"));
        QTRY_COMPARE(cell(model, 1200, 1), QString("row1201"));
        QCOMPARE(readsOf(1000), before + 1);
        // Stop keeps what was read, and dropped pages can still be read again.
        model.stop();
        QCOMPARE(cell(model, 4000, 1), QString("…"));
        QTRY_COMPARE(cell(model, 4000, 1), QString("row4001"));
    }

    void displaysValues()
    {
        auto gate = std::make_shared<Gate>();
        gate->rows = 1;
        PreviewModel model;
        QSignalSpy finished(&model, &PreviewModel::finished);
        model.start(factory(gate), SourceQuery{"SELECT …", "", {}});
        QVERIFY(finished.wait(5000));
        QCOMPARE(model.data(model.index(0, 0)).typeId(), QMetaType::LongLong);
        QVERIFY(model.data(model.index(0, 0), Qt::TextAlignmentRole).isValid());
        QCOMPARE(model.headerData(0, Qt::Vertical).toInt(), 1);
        QVERIFY(model.headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString().contains("id"));
    }
};

QTEST_MAIN(TestPreviewModel)
#include "testpreviewmodel.moc"

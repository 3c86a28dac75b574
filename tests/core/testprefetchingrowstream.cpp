// The read-ahead wrapper: same rows in the same order, errors and cancel passed through, and
// destroying it mid-stream does not hang.
#include "data/prefetchingrowstream.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace sluice;

namespace {

// Counts 1..n, fails at failAt (if > 0), and blocks in next() until cancelled when blockAt hits.
class CountingStream : public RowStream
{
public:
    CountingStream(int n, int failAt = 0, int blockAt = 0)
        : m_n(n), m_failAt(failAt), m_blockAt(blockAt)
    {
    }
    const std::vector<Column> &columns() const override { return m_columns; }
    Result<bool> next(Row &row) override
    {
        if (m_cancelled)
            return fail(ErrorKind::Cancelled, "Stopped.");
        ++m_i;
        if (m_i == m_blockAt) {
            while (!m_cancelled)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return fail(ErrorKind::Cancelled, "Stopped.");
        }
        if (m_i == m_failAt)
            return fail(ErrorKind::Source, "disk read error at row " + std::to_string(m_i));
        if (m_i > m_n)
            return false;
        row.resize(2);
        row[0].setInteger(m_i);
        row[1].setText("row " + std::to_string(m_i));
        return true;
    }
    void cancel() override { m_cancelled = true; }

private:
    std::vector<Column> m_columns{{"id", ColumnType::Integer}, {"name", ColumnType::Text}};
    int m_n, m_failAt, m_blockAt, m_i = 0;
    std::atomic<bool> m_cancelled{false};
};

} // namespace

class TestPrefetchingRowStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversEveryRowInOrder_data()
    {
        QTest::addColumn<int>("rows");
        for (int n : {0, 1, 255, 256, 257, 1024, 100000})
            QTest::addRow("%d", n) << n;
    }

    void deliversEveryRowInOrder()
    {
        QFETCH(int, rows);
        PrefetchingRowStream s(std::make_unique<CountingStream>(rows));
        QCOMPARE(s.columns().size(), 2u);
        Row row;
        int seen = 0;
        for (;;) {
            auto more = s.next(row);
            QVERIFY(more.has_value());
            if (!*more)
                break;
            ++seen;
            QCOMPARE(row[0].integer, std::int64_t{seen});
            QCOMPARE(row[1].text, "row " + std::to_string(seen));
        }
        QCOMPARE(seen, rows);
        QVERIFY(!s.next(row).value()); // stays at the end
    }

    void errorsArriveAfterTheRowsBeforeThem()
    {
        PrefetchingRowStream s(std::make_unique<CountingStream>(1000, 600));
        Row row;
        int seen = 0;
        Result<bool> more;
        while ((more = s.next(row)) && *more)
            ++seen;
        QCOMPARE(seen, 599);
        QVERIFY(!more.has_value());
        QCOMPARE(more.error().kind, ErrorKind::Source);
        QVERIFY(more.error().message.find("row 600") != std::string::npos);
    }

    void cancelFromAnotherThreadWakesABlockedReader()
    {
        PrefetchingRowStream s(std::make_unique<CountingStream>(1000, 0, 300));
        Row row;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            s.cancel();
        });
        Result<bool> more;
        int seen = 0;
        while ((more = s.next(row)) && *more)
            ++seen;
        canceller.join();
        QCOMPARE(seen, 299);
        QCOMPARE(more.error().kind, ErrorKind::Cancelled);
    }

    void destroyingMidStreamDoesNotHang()
    {
        for (int i = 0; i < 50; ++i) {
            PrefetchingRowStream s(std::make_unique<CountingStream>(1000000));
            Row row;
            QVERIFY(s.next(row).value());
        } // the producer is blocked on a full queue or reading: both must stop
        {
            // The producer is stuck inside the source's next(): destroying cancels it.
            PrefetchingRowStream s(std::make_unique<CountingStream>(10, 0, 5));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
};

QTEST_GUILESS_MAIN(TestPrefetchingRowStream)
#include "testprefetchingrowstream.moc"

// GUI responsiveness benchmark: while a preview of a 1,000,000-row query loads (scrolled to
// the end page after page) and while a 1,000,000-row sync runs, a 10 ms timer on the GUI thread
// records the longest gap between its ticks. Also times how long Stop takes to take effect.
// Targets: worst gap ≤ 100 ms, Stop ≤ 1 s. Usage: bench_gui_responsiveness [--rows N]
#include "previewmodel.h"
#include "sources/sqlitesource.h"
#include "syncrunner.h"
#include "util/sqlite.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace sluice;

namespace {

// Ticks every 10 ms and keeps the longest gap seen since the last reset().
class GapMeter
{
public:
    GapMeter()
    {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.elapsed();
            m_worst = std::max(m_worst, now - m_last);
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    void reset()
    {
        m_last = m_clock.elapsed();
        m_worst = 0;
    }
    qint64 worst() const { return m_worst; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_worst = 0;
};

// Runs the event loop until done() or the timeout; returns the elapsed milliseconds.
template <class Done> qint64 spinUntil(Done done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return t.elapsed();
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    long rows = 1000000;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--rows")
            rows = std::atol(argv[i + 1]);
    }
    QTemporaryDir tmp;
    const std::filesystem::path dir = tmp.path().toStdString();
    const auto source = dir / "big.db";
    {
        auto db = SqliteDb::open(source, SqliteDb::Mode::ReadWriteCreate).value();
        if (!db.exec(
                "PRAGMA journal_mode=OFF; CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, "
                "c INTEGER, d REAL); WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                "FROM n WHERE x < " +
                std::to_string(rows) +
                ") INSERT INTO t SELECT x, 'name ' || x, 'user' || x || '@example.com', x % 97, "
                "x / 3.0 FROM n")) {
            std::fprintf(stderr, "cannot build the source\n");
            return 2;
        }
    }
    std::int64_t syncId = 0;
    {
        auto ws = Workspace::open(dir / "ws.sluice").value();
        ConnectionDef src{0, "Big", ConnectionRole::Source, "sqlite", {{"path", "big.db"}}};
        src.id = ws.saveConnection(src).value();
        ConnectionDef dst{0, "Out", ConnectionRole::Destination, "csv", {{"folder", "out"}}};
        dst.id = ws.saveConnection(dst).value();
        ModelDef m{0, "big", src.id, "SELECT * FROM t", "", "id", ""};
        m.id = ws.saveModel(m).value();
        SyncDef s;
        s.name = "big";
        s.modelId = m.id;
        s.destinationId = dst.id;
        s.object = "big.csv";
        s.mode = SyncMode::Mirror;
        for (const char *c : {"id", "a", "b", "c", "d"})
            s.mapping.fields.push_back(FieldMapping{c, std::nullopt, c, {}});
        syncId = ws.saveSync(s).value();
    }

    GapMeter meter;
    const auto factory = [source]() -> Result<std::unique_ptr<Source>> {
        return std::make_unique<SqliteSource>(source);
    };

    // (1) Preview: load every page by scrolling to the end, as a user dragging the scroll bar.
    PreviewModel preview;
    QTableView view;
    view.setModel(&preview);
    view.resize(1000, 600);
    view.show();
    meter.reset();
    preview.start(factory, SourceQuery{"SELECT * FROM t", "", std::nullopt});
    QTimer scroller;
    QObject::connect(&scroller, &QTimer::timeout, [&] { view.scrollToBottom(); });
    scroller.start(20);
    const qint64 previewMs =
        spinUntil([&] { return preview.atEnd() && !preview.isBusy(); }, 600000);
    scroller.stop();
    const qint64 previewGap = meter.worst();
    const auto loaded = preview.loadedRows();

    // (2) Stop during a preview.
    preview.start(factory, SourceQuery{"SELECT * FROM t ORDER BY b DESC", "", std::nullopt});
    spinUntil([] { return false; }, 200);
    QElapsedTimer stopClock;
    stopClock.start();
    preview.stop();
    const qint64 previewStopMs =
        stopClock.elapsed() + spinUntil([&] { return !preview.isBusy(); }, 10000);
    preview.clear();

    // (3) A sync of every row, then (4) Stop during another one.
    SyncRunner runner;
    bool done = false;
    RunResult result;
    QObject::connect(&runner, &SyncRunner::finished, [&](const RunResult &r) {
        result = r;
        done = true;
    });
    meter.reset();
    runner.start(dir / "ws.sluice", syncId, RunOptions{});
    const qint64 syncMs = spinUntil([&] { return done; }, 600000);
    const qint64 syncGap = meter.worst();
    const auto synced = result.record.counts.added;
    const char *syncStatus = runStatusName(result.record.status);

    RunOptions resync;
    resync.fullResync = true;
    done = false;
    runner.start(dir / "ws.sluice", syncId, resync);
    spinUntil([] { return false; }, 300);
    stopClock.restart();
    runner.stop();
    spinUntil([&] { return done; }, 10000);
    const qint64 syncStopMs = stopClock.elapsed();

    auto verdict = [](bool ok) { return ok ? "met" : "MISSED"; };
    std::printf("rows: %ld\n", rows);
    std::printf("preview: %lld rows loaded in %lld ms; worst GUI gap %lld ms (target ≤ 100: %s)\n",
                static_cast<long long>(loaded), static_cast<long long>(previewMs),
                static_cast<long long>(previewGap), verdict(previewGap <= 100));
    std::printf("preview Stop took %lld ms (target ≤ 1000: %s)\n",
                static_cast<long long>(previewStopMs), verdict(previewStopMs <= 1000));
    std::printf("sync: %lld records in %lld ms (%s); worst GUI gap %lld ms (target ≤ 100: %s)\n",
                static_cast<long long>(synced), static_cast<long long>(syncMs), syncStatus,
                static_cast<long long>(syncGap), verdict(syncGap <= 100));
    std::printf("sync Stop took %lld ms (target ≤ 1000: %s)\n", static_cast<long long>(syncStopMs),
                verdict(syncStopMs <= 1000));
    return 0;
}

#pragma once
// Runs one sync (or its dry run) on a thread of its own, with its own Workspace connection;
// reports the engine's progress on the GUI thread and stops the run on request. One at a time.

#include "engine/syncengine.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

#include <memory>

namespace sluice {

class SyncRunner : public QObject
{
    Q_OBJECT

public:
    explicit SyncRunner(QObject *parent = nullptr);
    // Stops a run still under way and waits for it, so its callbacks never outlive the runner.
    ~SyncRunner() override;

    bool isRunning() const { return m_running; }
    bool isDryRun() const { return m_options.dryRun; }
    // Ignored while a run is under way.
    void start(const std::filesystem::path &workspace, std::int64_t syncId,
               const RunOptions &options);
    void stop();

signals:
    void progress(const sluice::RunProgress &progress);
    void finished(const sluice::RunResult &result);

private:
    // Its own thread, so a long run never holds up the short jobs on the global pool.
    QThreadPool m_pool;
    QFutureWatcher<RunResult> m_watcher;
    std::shared_ptr<CancelToken> m_cancel;
    RunOptions m_options;
    bool m_running = false; // until finished is emitted, not just until the job returns
};

} // namespace sluice

#include "syncrunner.h"

#include <QtConcurrent>

namespace sluice {

SyncRunner::SyncRunner(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        m_running = false;
        emit finished(m_watcher.result());
    });
}

SyncRunner::~SyncRunner()
{
    stop();
    m_watcher.waitForFinished();
}

void SyncRunner::start(const std::filesystem::path &workspace, std::int64_t syncId,
                       const RunOptions &options)
{
    if (isRunning())
        return;
    m_running = true;
    m_options = options;
    m_cancel = std::make_shared<CancelToken>();
    // The engine calls back on the worker thread; each report is queued to the GUI thread.
    // Capturing this is safe: the destructor waits for the run to end.
    auto report = [this](const RunProgress &p) {
        QMetaObject::invokeMethod(
            this, [this, p] { emit progress(p); }, Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run(
        &m_pool, [workspace, syncId, options, cancel = m_cancel, report = std::move(report)] {
            auto ws = Workspace::open(workspace);
            if (!ws) {
                RunResult failed;
                failed.record.syncId = syncId;
                failed.record.status = RunStatus::Failed;
                failed.record.error = ws.error().message;
                return failed;
            }
            SyncEngine engine(*ws);
            return engine.run(syncId, options, cancel.get(), report);
        }));
}

void SyncRunner::stop()
{
    if (m_cancel)
        m_cancel->cancel();
}

} // namespace sluice

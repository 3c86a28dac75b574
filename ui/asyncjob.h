#pragma once
// Runs a short job (load a list, set up the demo) on the thread pool and hands its result to a
// callback on the GUI thread, unless the context object is gone by then (KeePassXC's
// runThenCallback). Jobs must not touch the context: they get copies of what they need.

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>

#include <type_traits>
#include <utility>

namespace sluice {

template <class Task, class Callback>
void runThenCallback(QObject *context, Task task, Callback callback)
{
    using ResultType = std::invoke_result_t<Task>;
    // Owned by the context: destroying the context destroys the watcher and drops the callback.
    auto *watcher = new QFutureWatcher<ResultType>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, callback = std::move(callback)]() mutable {
                         callback(watcher->future().takeResult());
                         watcher->deleteLater();
                     });
    watcher->setFuture(QtConcurrent::run(std::move(task)));
}

} // namespace sluice

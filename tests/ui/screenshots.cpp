// sluice-screenshots OUTPUT_FOLDER: renders the main window on a fresh demo workspace, after one
// run of each demo sync, into OUTPUT_FOLDER/main-window.png. Run it with
// QT_QPA_PLATFORM=offscreen (packaging/screenshots/update.sh does).

#include "demo/demoworkspace.h"
#include "engine/syncengine.h"
#include "mainwindow.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QLocale>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>
#include <functional>

using namespace sluice;

namespace {

int failure(const std::string &message)
{
    std::fprintf(stderr, "sluice-screenshots: %s\n", message.c_str());
    return 1;
}

// Runs every demo sync once, so the window has results to show.
Result<void> prepareWorkspace(const std::filesystem::path &path)
{
    auto ws = Workspace::open(path);
    if (!ws)
        return std::unexpected(ws.error());
    if (auto r = setupDemoWorkspace(*ws); !r)
        return std::unexpected(r.error());
    auto syncs = ws->syncs();
    if (!syncs)
        return std::unexpected(syncs.error());
    SyncEngine engine(*ws);
    for (const SyncDef &sync : *syncs) {
        const RunRecord run = engine.run(sync.id, RunOptions{}).record;
        if (run.status != RunStatus::Succeeded)
            return fail(ErrorKind::Internal, "the demo sync \"" + sync.name + "\" did not succeed",
                        run.error);
    }
    return {};
}

bool waitFor(const std::function<bool()> &ready)
{
    const QDeadlineTimer deadline(30000);
    while (!ready()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("Sluice");
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); // same shots anywhere
    if (argc != 2)
        return failure("usage: sluice-screenshots OUTPUT_FOLDER");
    const QString folder = QString::fromLocal8Bit(argv[1]);
    if (!QDir().mkpath(folder))
        return failure("cannot create " + folder.toStdString());

    QTemporaryDir dir;
    const std::filesystem::path path =
        std::filesystem::path(dir.path().toStdString()) / "workspace.sluice";
    if (auto r = prepareWorkspace(path); !r)
        return failure(r.error().message + " " + r.error().detail);

    MainWindow window;
    window.resize(1200, 700);
    window.show();
    window.openWorkspace(path);
    const auto *syncs = window.findChild<QTableView *>("syncTable");
    const auto *history = window.findChild<QTableView *>("runHistory");
    if (!waitFor(
            [&] { return syncs->model()->rowCount() > 0 && history->model()->rowCount() > 0; }))
        return failure("the window did not show the demo workspace within 30 s");
    // Views lay out their rows and sections on zero-time timers: let them run.
    const QDeadlineTimer settled(250);
    while (!settled.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);

    const QString file = QDir(folder).filePath("main-window.png");
    if (!window.grab().save(file))
        return failure("cannot write " + file.toStdString());
    std::printf("%s\n", qPrintable(file));
    return 0;
}

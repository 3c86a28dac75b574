// sluice-screenshots OUTPUT_FOLDER: renders each main screen on a fresh demo workspace into
// OUTPUT_FOLDER: the Syncs list, the model editor with a preview, the connections, the runs
// dashboard, the sync editor's mapping canvas and its dry-run plan, and a sync into HubSpot
// (the local HubSpot emulator, so the shot needs no account). The demo warehouse changes
// a little between four rounds of runs first, and once more for the dry run to show, so the
// dashboard has a history to chart. Run it with QT_QPA_PLATFORM=offscreen
// (packaging/screenshots/update.sh does).

#include "demo/demoworkspace.h"
#include "engine/syncengine.h"
#include "hubspotemulator.h"
#include "mainwindow.h"
#include "modeleditor.h"
#include "modelspage.h"
#include "rejecteddialog.h"
#include "runspage.h"
#include "synceditor.h"
#include "util/sqlite.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPalette>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace sluice;

namespace {

int failure(const std::string &message)
{
    std::fprintf(stderr, "sluice-screenshots: %s\n", message.c_str());
    return 1;
}

// What changes in the warehouse between rounds: some contacts move on, a few arrive, a few
// leave; accounts' health moves, so the at-risk list changes too.
const char *const roundChanges[] = {
    "UPDATE contacts SET lifecycle_stage = 'customer' WHERE lifecycle_stage = 'mql' AND "
    "contact_id % 40 = 1; UPDATE contacts SET title = 'Head of Operations' WHERE contact_id % "
    "97 = 3;",
    "UPDATE contacts SET marketing_opt_in = 0 WHERE contact_id % 61 = 5; UPDATE contacts SET "
    "last_seen_at = datetime(last_seen_at, '+2 days') WHERE contact_id % 23 = 0;",
    "UPDATE contacts SET country = 'DE' WHERE contact_id % 150 = 7; DELETE FROM events WHERE "
    "event_id % 9 = 0;",
    "UPDATE contacts SET lifecycle_stage = 'mql' WHERE lifecycle_stage = 'sql' AND contact_id % "
    "12 = 2; UPDATE contacts SET title = 'VP Sales' WHERE contact_id % 71 = 4;",
};

// Runs every demo sync once per round, changing the warehouse before each later round.
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
    const int rounds = static_cast<int>(std::size(roundChanges));
    for (int round = 0; round <= rounds; ++round) {
        if (round > 0) {
            auto db = SqliteDb::open(ws->baseDir() / "acme.db", SqliteDb::Mode::ReadWrite);
            if (!db)
                return std::unexpected(db.error());
            if (auto r = db->exec(roundChanges[round - 1]); !r)
                return std::unexpected(r.error());
        }
        // The last change is left for the dry run to show.
        if (round == rounds)
            break;
        for (const SyncDef &sync : *syncs) {
            RunOptions options;
            options.allowMassDelete = true;
            const RunRecord run = engine.run(sync.id, options).record;
            if (run.status != RunStatus::Succeeded)
                return fail(ErrorKind::Internal,
                            "the demo sync \"" + sync.name + "\" did not succeed", run.error);
        }
    }
    return {};
}

// A HubSpot connection (to the emulator) and a sync of the marketing contacts into HubSpot's
// contacts, run once: HubSpot refuses the demo's "mql" lifecycle stage, so the run shows
// rejected records with HubSpot's message.
Result<void> addHubSpotSync(const std::filesystem::path &path, const std::string &baseUrl,
                            const std::string &token)
{
    auto ws = Workspace::open(path);
    if (!ws)
        return std::unexpected(ws.error());
    ConnectionDef hubspot;
    hubspot.name = "HubSpot (local emulator)";
    hubspot.role = ConnectionRole::Destination;
    hubspot.kind = "hubspot";
    hubspot.settings = {{"access_token", token}, {"base_url", baseUrl}};
    auto connectionId = ws->saveConnection(hubspot);
    if (!connectionId)
        return std::unexpected(connectionId.error());
    auto model = ws->modelByName("marketing_contacts");
    if (!model)
        return std::unexpected(model.error());
    SyncDef sync;
    sync.name = "Contacts to HubSpot";
    sync.modelId = model->id;
    sync.destinationId = *connectionId;
    sync.object = "contacts";
    sync.mode = SyncMode::Upsert;
    sync.keyField = "customer_id";
    for (auto [column, field] : {std::pair{"contact_id", "customer_id"},
                                 {"email", "email"},
                                 {"first_name", "firstname"},
                                 {"last_name", "lastname"},
                                 {"title", "jobtitle"},
                                 {"company", "company"},
                                 {"country", "country"},
                                 {"lifecycle_stage", "lifecyclestage"}})
        sync.mapping.fields.push_back(FieldMapping{column, std::nullopt, field, {}});
    auto syncId = ws->saveSync(sync);
    if (!syncId)
        return std::unexpected(syncId.error());
    SyncEngine engine(*ws);
    const RunRecord run = engine.run(*syncId, RunOptions{}).record;
    if (run.counts.added == 0)
        return fail(ErrorKind::Internal, "the HubSpot sync sent nothing", run.error);
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

// Views lay out their rows and sections on zero-time timers, charts animate: let them run.
void settle(int ms = 400)
{
    const QDeadlineTimer settled(ms);
    while (!settled.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

class Shooter
{
public:
    explicit Shooter(QString folder) : m_folder(std::move(folder)) {}
    bool shoot(QWidget &widget, const QString &name)
    {
        settle();
        const QString file = QDir(m_folder).filePath(name + QStringLiteral(".png"));
        if (!widget.grab().save(file))
            return false;
        std::printf("%s\n", qPrintable(file));
        return true;
    }

private:
    QString m_folder;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("Sluice");
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); // same shots anywhere
    // --dark renders with a dark palette, to check that every page follows the palette.
    const bool dark = argc == 3 && QByteArray(argv[2]) == "--dark";
    if (argc != 2 && !dark)
        return failure("usage: sluice-screenshots OUTPUT_FOLDER [--dark]");
    if (dark) {
        QApplication::setStyle("Fusion");
        QPalette p;
        p.setColor(QPalette::Window, QColor(45, 45, 48));
        p.setColor(QPalette::WindowText, QColor(230, 230, 230));
        p.setColor(QPalette::Base, QColor(30, 30, 32));
        p.setColor(QPalette::AlternateBase, QColor(40, 40, 44));
        p.setColor(QPalette::Text, QColor(230, 230, 230));
        p.setColor(QPalette::Button, QColor(55, 55, 60));
        p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        p.setColor(QPalette::Highlight, QColor(42, 130, 218));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
        p.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
        p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(130, 130, 130));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(130, 130, 130));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(130, 130, 130));
        QApplication::setPalette(p);
    }
    const QString folder = QString::fromLocal8Bit(argv[1]);
    if (!QDir().mkpath(folder))
        return failure("cannot create " + folder.toStdString());
    Shooter shooter(folder);

    QTemporaryDir dir;
    const std::filesystem::path path =
        std::filesystem::path(dir.path().toStdString()) / "workspace.sluice";
    if (auto r = prepareWorkspace(path); !r)
        return failure(r.error().message + " " + r.error().detail);
    // The emulator's token goes to a secret store of the shot's own, not the user's.
    qputenv("SLUICE_SECRETS_FILE", dir.filePath("secrets.json").toUtf8());
    qputenv("no_proxy", "127.0.0.1,localhost");
    const std::string token = "pat-na1-5c1e0000-demo-0000-0000-000000000000";
    emu::EmulatorServer hubspot(std::make_unique<emu::HubSpotEmulator>(token));
    if (auto r = addHubSpotSync(path, hubspot.baseUrl(), token); !r)
        return failure(r.error().message + " " + r.error().detail);

    MainWindow window;
    window.resize(1280, 760);
    window.show();
    window.openWorkspace(path);
    auto *navigation = window.findChild<QListWidget *>("navigation");
    const auto *syncs = window.findChild<QTableView *>("syncTable");
    const auto *history = window.findChild<QTableView *>("runHistory");
    if (!waitFor(
            [&] { return syncs->model()->rowCount() > 0 && history->model()->rowCount() > 0; }))
        return failure("the window did not show the demo workspace within 30 s");
    if (!shooter.shoot(window, "main-window"))
        return failure("cannot write the main window's shot");

    // Models: the marketing contacts model with its preview.
    navigation->setCurrentRow(1);
    auto *models = window.findChild<ModelsPage *>();
    if (!waitFor([&] { return models->list()->model()->rowCount() > 2; }))
        return failure("the models page did not list the demo models");
    QTreeView *list = models->list();
    const QModelIndexList found = list->model()->match(list->model()->index(0, 0), Qt::DisplayRole,
                                                       "marketing_contacts", 1, Qt::MatchExactly);
    if (found.isEmpty())
        return failure("the demo model marketing_contacts is missing");
    list->setCurrentIndex(found.first());
    ModelEditor *editor = models->editor();
    editor->run();
    auto *preview = editor->findChild<QTableView *>();
    if (!waitFor([&] { return preview && preview->model()->rowCount() >= 100; }))
        return failure("the model preview did not load");
    if (!shooter.shoot(window, "models"))
        return failure("cannot write the models shot");

    navigation->setCurrentRow(2);
    auto *connections = window.findChild<QWidget *>("connectionsPage");
    const auto *connectionList = connections ? connections->findChild<QTreeView *>() : nullptr;
    if (!connectionList || !waitFor([&] { return connectionList->model()->rowCount() > 0; }))
        return failure("the connections page did not list the demo connections");
    if (!shooter.shoot(window, "connections"))
        return failure("cannot write the connections shot");

    navigation->setCurrentRow(3);
    auto *runs = window.findChild<QWidget *>("runsPage");
    const auto *runTable = runs ? runs->findChild<QTableView *>() : nullptr;
    if (!runTable || !waitFor([&] { return runTable->model()->rowCount() >= 13; }))
        return failure("the runs dashboard did not list the runs");
    if (!shooter.shoot(window, "runs"))
        return failure("cannot write the runs shot");
    // The newest run is the HubSpot one, with the records HubSpot refused.
    auto *rejected = static_cast<RunsPage *>(runs)->openRejected(0);
    if (!rejected || !waitFor([&] { return rejected->recordsModel()->rowCount() > 0; }))
        return failure("the rejected records did not load");
    rejected->resize(900, 480);
    if (!shooter.shoot(*rejected, "rejected-records"))
        return failure("cannot write the rejected records shot");
    rejected->close();

    // The sync editor on the marketing contacts sync: its mapping, then its dry-run plan.
    auto ws = Workspace::open(path).value();
    const auto allSyncs = ws.syncs().value();
    auto named = std::ranges::find(allSyncs, std::string("Marketing contacts"), &SyncDef::name);
    if (named == allSyncs.end())
        return failure("the demo sync Marketing contacts is missing");
    const SyncDef &sync = *named;
    SyncEditor syncEditor(QString::fromStdString(path.string()), sync.id, &window);
    syncEditor.resize(1180, 760);
    syncEditor.show();
    if (!waitFor([&] { return !syncEditor.isBusy(); }))
        return failure("the sync editor did not load");
    auto *tabs = syncEditor.findChild<QTabWidget *>("syncTabs");
    tabs->setCurrentIndex(0);
    if (!shooter.shoot(syncEditor, "sync-mapping"))
        return failure("cannot write the mapping shot");
    syncEditor.findChild<QPushButton *>("syncDryRun")->click();
    const auto *summary = syncEditor.findChild<QLabel *>("syncPlanSummary");
    if (!waitFor([&] { return !syncEditor.isBusy() && !summary->text().isEmpty(); }))
        return failure("the dry run did not finish");
    if (!shooter.shoot(syncEditor, "sync-dry-run"))
        return failure("cannot write the dry-run shot");
    syncEditor.close();

    // The HubSpot sync: the destination's fields come from HubSpot's property list.
    auto toHubSpot =
        std::ranges::find(allSyncs, std::string("Contacts to HubSpot"), &SyncDef::name);
    if (toHubSpot == allSyncs.end())
        return failure("the HubSpot sync is missing");
    SyncEditor hubSpotEditor(QString::fromStdString(path.string()), toHubSpot->id, &window);
    hubSpotEditor.resize(1180, 760);
    hubSpotEditor.show();
    if (!waitFor([&] { return !hubSpotEditor.isBusy(); }))
        return failure("the HubSpot sync did not load");
    if (!shooter.shoot(hubSpotEditor, "sync-hubspot"))
        return failure("cannot write the HubSpot shot");
    return 0;
}

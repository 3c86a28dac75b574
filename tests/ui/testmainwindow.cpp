// The main window on a real demo workspace: the sync list, a run in the background with its
// history, Stop (and closing the window mid-run), the dry-run dialog, the empty state and a
// workspace that cannot be opened.

#include "connectionspage.h"
#include "demo/demoworkspace.h"
#include "dryrundialog.h"
#include "mainwindow.h"
#include "modelspage.h"
#include "runsmodel.h"
#include "runspage.h"
#include "synceditor.h"
#include "synclistmodel.h"
#include "testutil.h"
#include "workspace/workspace.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace sluice;

namespace {

// The window's parts, found the way a user would: by what they are.
struct Ui
{
    explicit Ui(MainWindow &window)
        : syncs(window.findChild<QTableView *>("syncTable")),
          history(window.findChild<QTableView *>("runHistory")),
          pages(window.findChild<QStackedWidget *>("pages")),
          runNow(window.findChild<QAction *>("runNowAction")),
          dryRun(window.findChild<QAction *>("dryRunAction")),
          stop(window.findChild<QAction *>("stopAction")),
          progress(window.findChild<QLabel *>("progressLabel")),
          syncsTester(syncs->model(), QAbstractItemModelTester::FailureReportingMode::QtTest),
          historyTester(history->model(), QAbstractItemModelTester::FailureReportingMode::QtTest)
    {
    }

    QString cell(int row, int column) const
    {
        return syncs->model()->index(row, column).data().toString();
    }
    int rowOf(const QString &name) const
    {
        for (int row = 0; row < syncs->model()->rowCount(); ++row)
            if (cell(row, SyncListModel::Name) == name)
                return row;
        return -1;
    }
    QString page() const { return pages->currentWidget()->objectName(); }

    QTableView *syncs;
    QTableView *history;
    QStackedWidget *pages;
    QAction *runNow;
    QAction *dryRun;
    QAction *stop;
    QLabel *progress;
    QAbstractItemModelTester syncsTester;
    QAbstractItemModelTester historyTester;
};

// Records the longest time the GUI thread went without serving a 10 ms timer.
class StallMeter
{
public:
    StallMeter()
    {
        m_clock.start();
        QObject::connect(&m_timer, &QTimer::timeout,
                         [this] { m_worst = std::max(m_worst, m_clock.restart()); });
        m_timer.start(10);
    }
    qint64 worstMs() const { return m_worst; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_worst = 0;
};

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsSyncsAndRunsOneInTheBackground();
    void stopCancelsALongRun();
    void closingTheWindowStopsTheRun();
    void dryRunShowsThePlanAndWritesNothing();
    void emptyWorkspaceOffersTheDemo();
    void unreadableWorkspaceKeepsTheCurrentOne();
    void navigatesSectionsAndEditsSyncs();

private:
    std::filesystem::path demoCopy();
    void addEndlessSync(const std::filesystem::path &path);

    QTemporaryDir m_home; // the user's data folder, so the demo never lands in the real one
    QTemporaryDir m_dir;
    int m_copies = 0;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_home.isValid() && m_dir.isValid());
    qputenv("XDG_DATA_HOME", m_home.path().toUtf8());
    QCoreApplication::setApplicationName("Sluice");
}

// A fresh demo workspace per test, in its own folder (the warehouse sits next to it).
std::filesystem::path TestMainWindow::demoCopy()
{
    const auto path = std::filesystem::path(m_dir.path().toStdString()) /
                      ("demo" + std::to_string(++m_copies)) / "workspace.sluice";
    auto ws = Workspace::open(path);
    if (!ws)
        qFatal("workspace: %s", ws.error().message.c_str());
    if (auto r = setupDemoWorkspace(*ws); !r)
        qFatal("demo: %s", r.error().message.c_str());
    return path;
}

// Adds "Endless" to a demo workspace: a model that counts to a billion, so it runs until stopped.
void TestMainWindow::addEndlessSync(const std::filesystem::path &path)
{
    auto ws = Workspace::open(path).value();
    const ConnectionDef source = ws.connectionByName("Acme warehouse").value();
    const ConnectionDef exports = ws.connectionByName("Exports (snapshot)").value();
    ModelDef model;
    model.name = "counter";
    model.connectionId = source.id;
    model.sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                "WHERE x < 1000000000) SELECT x AS id FROM n";
    model.primaryKey = "id";
    model.id = ws.saveModel(model).value();
    SyncDef sync;
    sync.name = "Endless";
    sync.modelId = model.id;
    sync.destinationId = exports.id;
    sync.object = "endless.csv";
    sync.mode = SyncMode::Mirror; // all a snapshot CSV supports
    sync.keyField = "id";
    sync.mapping.fields = {FieldMapping{"id", std::nullopt, "id", {}}};
    ws.saveSync(sync).value();
}

void TestMainWindow::listsSyncsAndRunsOneInTheBackground()
{
    const auto path = demoCopy();
    MainWindow window;
    Ui ui(window);
    window.show();
    window.openWorkspace(path);
    QTRY_COMPARE(ui.syncs->model()->rowCount(), 3);
    QCOMPARE(ui.page(), QString("syncsPage"));
    QCOMPARE(window.windowTitle(), QString("Sluice — workspace.sluice"));
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(ui.cell(row, SyncListModel::LastRun), QString("Never run"));
        QVERIFY(ui.cell(row, SyncListModel::LastRunAt).isEmpty());
        QVERIFY(ui.cell(row, SyncListModel::Added).isEmpty());
    }
    const int row = ui.rowOf("At-risk customers");
    QVERIFY(row >= 0);
    QCOMPARE(ui.cell(row, SyncListModel::Source), QString("at_risk_accounts (Acme warehouse)"));
    QCOMPARE(ui.cell(row, SyncListModel::Destination),
             QString("Exports (snapshot) / at_risk_customers.csv"));
    QCOMPARE(ui.cell(row, SyncListModel::Mode), QString("Mirror"));

    // The first sync is selected for the user; its history is empty.
    QTRY_VERIFY(ui.runNow->isEnabled());
    QCOMPARE(ui.history->model()->rowCount(), 0);

    ui.syncs->selectRow(row);
    StallMeter stalls;
    ui.runNow->trigger();
    QVERIFY(!ui.runNow->isEnabled()); // one run at a time
    QVERIFY(ui.progress->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(ui.cell(row, SyncListModel::LastRun) == "Succeeded", 30000);
    qDebug() << "longest GUI stall during the run:" << stalls.worstMs() << "ms";

    const QString added = ui.cell(row, SyncListModel::Added);
    QVERIFY(QLocale().toLongLong(added) > 0);
    QCOMPARE(ui.cell(row, SyncListModel::Rejected), QString("0"));
    const QString at = ui.cell(row, SyncListModel::LastRunAt);
    QVERIFY2(at.startsWith("Today ") || at.startsWith("Yesterday "), qPrintable(at)); // midnight
    QVERIFY(!ui.progress->isVisible());
    QVERIFY(ui.runNow->isEnabled());
    QCOMPARE(window.statusBar()->currentMessage(),
             QString("“At-risk customers” succeeded: %1 added, 0 changed, 0 removed, 0 unchanged.")
                 .arg(added));
    QVERIFY(std::filesystem::exists(path.parent_path() / "exports" / "at_risk_customers.csv"));

    QTRY_COMPARE(ui.history->model()->rowCount(), 1);
    const QAbstractItemModel *history = ui.history->model();
    QCOMPARE(history->index(0, RunsModel::Status).data().toString(), QString("Succeeded"));
    QCOMPARE(history->index(0, RunsModel::Added).data().toString(), added);
    // The other syncs did not run.
    for (int other = 0; other < 3; ++other)
        if (other != row)
            QCOMPARE(ui.cell(other, SyncListModel::LastRun), QString("Never run"));

    // Selecting another sync shows its own (empty) history.
    ui.syncs->selectRow(row == 0 ? 1 : 0);
    QTRY_COMPARE(ui.history->model()->rowCount(), 0);
}

void TestMainWindow::stopCancelsALongRun()
{
    const auto path = demoCopy();
    addEndlessSync(path);
    MainWindow window;
    Ui ui(window);
    window.show();
    window.openWorkspace(path);
    QTRY_COMPARE(ui.syncs->model()->rowCount(), 4);
    const int row = ui.rowOf("Endless");
    ui.syncs->selectRow(row);
    QVERIFY(!ui.stop->isEnabled());
    ui.runNow->trigger();
    QVERIFY(ui.stop->isEnabled());
    // Depending on the destination, the engine sends while it reads.
    QTRY_VERIFY2_WITH_TIMEOUT(ui.progress->text().startsWith("Reading… ") ||
                                  ui.progress->text().startsWith("Sending "),
                              qPrintable(window.statusBar()->currentMessage()), 10000);
    ui.stop->trigger();
    QCOMPARE(ui.progress->text(), QString("Stopping…"));
    QTRY_VERIFY_WITH_TIMEOUT(ui.cell(row, SyncListModel::LastRun) == "Stopped", 30000);
    QVERIFY(window.statusBar()->currentMessage().startsWith("“Endless”: Stopped by the user."));
    QVERIFY(!ui.stop->isEnabled());
    QTRY_COMPARE(ui.history->model()->rowCount(), 1);
    QVERIFY(!ui.history->model()->index(0, RunsModel::Message).data().toString().isEmpty());
}

void TestMainWindow::closingTheWindowStopsTheRun()
{
    const auto path = demoCopy();
    addEndlessSync(path);
    {
        MainWindow window;
        Ui ui(window);
        window.show();
        window.openWorkspace(path);
        QTRY_COMPARE(ui.syncs->model()->rowCount(), 4);
        ui.syncs->selectRow(ui.rowOf("Endless"));
        ui.runNow->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(ui.progress->text().startsWith("Reading… ") ||
                                     ui.progress->text().startsWith("Sending "),
                                 10000);
    } // the window goes while the run is under way: it stops the run and waits for it
    auto ws = Workspace::open(path).value();
    const auto last = ws.lastRun(ws.syncByName("Endless").value().id).value();
    QVERIFY(last);
    QCOMPARE(last->status, RunStatus::Cancelled);
}

void TestMainWindow::dryRunShowsThePlanAndWritesNothing()
{
    const auto path = demoCopy();
    MainWindow window;
    Ui ui(window);
    window.show();
    window.openWorkspace(path);
    QTRY_COMPARE(ui.syncs->model()->rowCount(), 3);
    const int row = ui.rowOf("Marketing contacts");
    ui.syncs->selectRow(row);
    ui.dryRun->trigger();
    DryRunDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = window.findChild<DryRunDialog *>()) != nullptr, 30000);
    QCOMPARE(dialog->windowTitle(), QString("Dry run of “Marketing contacts”"));
    const QString summary = dialog->findChild<QLabel *>("dryRunSummary")->text();
    QVERIFY2(summary.startsWith("Nothing was written. A run now would add "), qPrintable(summary));
    const auto *samples = dialog->findChild<QTableWidget *>("dryRunSamples");
    QVERIFY(samples->rowCount() > 0);
    QCOMPARE(samples->horizontalHeaderItem(0)->text(), QString("Kind"));
    QCOMPARE(samples->horizontalHeaderItem(2)->text(), QString("contact_id"));
    QCOMPARE(samples->horizontalHeaderItem(samples->columnCount() - 1)->text(),
             QString("Lead source"));
    QCOMPARE(samples->item(0, 0)->text(), QString("Add"));
    QCOMPARE(samples->item(0, samples->columnCount() - 1)->text(), QString("Sluice demo"));
    QCOMPARE(samples->item(0, 1)->text(), samples->item(0, 2)->text()); // key is contact_id
    dialog->close();

    // A dry run is not a run: nothing recorded, nothing written.
    auto ws = Workspace::open(path).value();
    QVERIFY(!ws.lastRun(ws.syncByName("Marketing contacts").value().id).value());
    QVERIFY(!std::filesystem::exists(path.parent_path() / "exports" /
                                     "marketing_contacts_changes.csv"));
}

void TestMainWindow::emptyWorkspaceOffersTheDemo()
{
    const auto empty = std::filesystem::path(m_dir.path().toStdString()) / "empty.sluice";
    MainWindow window;
    Ui ui(window);
    window.show();
    QCOMPARE(ui.page(), QString("emptyPage")); // nothing open yet
    window.openWorkspace(empty);
    QTRY_COMPARE(window.windowTitle(), QString("Sluice — empty.sluice"));
    QCOMPARE(ui.page(), QString("emptyPage"));
    QVERIFY(!ui.runNow->isEnabled());

    window.findChild<QPushButton *>("openDemoButton")->click();
    QCOMPARE(ui.page(), QString("busyPage"));
    QTRY_COMPARE_WITH_TIMEOUT(ui.syncs->model()->rowCount(), 3, 30000);
    QCOMPARE(ui.page(), QString("syncsPage"));
    QCOMPARE(window.windowTitle(), QString("Sluice — workspace.sluice"));
    QVERIFY(std::filesystem::exists(defaultDemoWorkspacePath()));
    QVERIFY(QString::fromStdString(defaultDemoWorkspacePath().string()).startsWith(m_home.path()));
}

void TestMainWindow::unreadableWorkspaceKeepsTheCurrentOne()
{
    const auto path = demoCopy();
    const auto bogus = std::filesystem::path(m_dir.path().toStdString()) / "notes.sluice";
    test::writeFile(bogus, "These are my notes, not a workspace.\n");
    MainWindow window;
    Ui ui(window);
    window.show();
    window.openWorkspace(path);
    QTRY_COMPARE(ui.syncs->model()->rowCount(), 3);

    window.openWorkspace(bogus);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox *>()) != nullptr);
    QVERIFY2(box->text().contains("notes.sluice"), qPrintable(box->text()));
    QCOMPARE(window.windowTitle(), QString("Sluice — workspace.sluice"));
    QCOMPARE(ui.syncs->model()->rowCount(), 3);
    QCOMPARE(ui.page(), QString("syncsPage"));
    QVERIFY(ui.runNow->isEnabled());
    box->close();
}

QTEST_MAIN(TestMainWindow)
// The keyboard path through the window: Ctrl+1…4 switch sections, each showing the workspace's
// things; Ctrl+E and a double-click open the selected sync in the editor, Ctrl+Shift+N a new
// one; a sync renamed and saved there shows under its new name in the list.
void TestMainWindow::navigatesSectionsAndEditsSyncs()
{
    const auto path = demoCopy();
    MainWindow window;
    Ui ui(window);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.openWorkspace(path);
    QTRY_COMPARE(ui.syncs->model()->rowCount(), 3);
    auto *sections = window.findChild<QStackedWidget *>("sections");
    auto *navigation = window.findChild<QListWidget *>("navigation");
    const auto *models = window.findChild<ModelsPage *>();
    const auto *connections = window.findChild<ConnectionsPage *>();
    const auto *runs = window.findChild<RunsPage *>();

    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(sections->currentWidget()->objectName(), QString("modelsPage"));
    QCOMPARE(navigation->currentItem()->text(), QString("Models"));
    QTRY_COMPARE(models->list()->model()->rowCount(), 3);
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(sections->currentWidget()->objectName(), QString("connectionsPage"));
    QTRY_COMPARE(connections->list()->model()->rowCount(), 3);
    QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(sections->currentWidget(), runs);
    QVERIFY(runs->table()->isVisible());
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(sections->currentWidget(), ui.pages);
    QCOMPARE(ui.page(), QString("syncsPage"));

    // Ctrl+E edits the selected sync.
    const int row = ui.rowOf("Upsell candidates");
    ui.syncs->selectRow(row);
    QTest::keyClick(&window, Qt::Key_E, Qt::ControlModifier);
    SyncEditor *editor = nullptr;
    QTRY_VERIFY((editor = window.findChild<SyncEditor *>()) != nullptr);
    QTRY_VERIFY(!editor->isBusy());
    auto *name = editor->findChild<QLineEdit *>("syncName");
    QCOMPARE(name->text(), QString("Upsell candidates"));
    QVERIFY(editor->syncId() > 0);
    // Renamed and saved, it shows under the new name.
    name->setText("Upsell candidates (EMEA)");
    auto *save = editor->findChild<QPushButton *>("syncSave");
    QTRY_VERIFY(save->isEnabled());
    save->click();
    QTRY_VERIFY(!editor->hasUnsavedChanges());
    QTRY_VERIFY(ui.rowOf("Upsell candidates (EMEA)") >= 0);
    QCOMPARE(ui.rowOf("Upsell candidates"), -1);
    editor->close();
    QTRY_VERIFY(window.findChild<SyncEditor *>() == nullptr); // deleted on close

    // A double-click on a row opens that sync too.
    const int other = ui.rowOf("At-risk customers");
    const QRect cell = ui.syncs->visualRect(ui.syncs->model()->index(other, 0));
    // As a real double-click: a press and release first, then the double-click event.
    QTest::mouseClick(ui.syncs->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(ui.syncs->viewport(), Qt::LeftButton, {}, cell.center());
    QTRY_VERIFY((editor = window.findChild<SyncEditor *>()) != nullptr);
    QTRY_COMPARE(editor->findChild<QLineEdit *>("syncName")->text(), QString("At-risk customers"));
    editor->close();
    QTRY_VERIFY(window.findChild<SyncEditor *>() == nullptr);

    // Ctrl+Shift+N starts a new one.
    window.activateWindow(); // back from the closed dialog
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY((editor = window.findChild<SyncEditor *>()) != nullptr);
    QCOMPARE(editor->syncId(), 0);
    QVERIFY(editor->findChild<QLineEdit *>("syncName")->text().isEmpty());
    editor->close();
}

#include "testmainwindow.moc"

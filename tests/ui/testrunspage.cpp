// The runs dashboard against a real workspace: the demo's syncs plus one whose date transform
// rejects every other row, one that fails and one that is stopped. Checks the table, the filters,
// the chart's bars and tooltips, the rejected records dialog (search, CSV export, retry) and the
// queries beneath them; renders screenshots to /tmp.

#include "demo/demoworkspace.h"
#include "engine/syncengine.h"
#include "rejecteddialog.h"
#include "runcharts.h"
#include "runsmodel.h"
#include "runspage.h"
#include "workspace/configio.h"
#include "workspace/runqueries.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStandardItemModel>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace sluice;

namespace {

// contact_id 2, 4, … get a text the date transform cannot read: 5 of the 10 rows are rejected.
const char *kDatesConfig = R"json({
  "sluice_config": 1,
  "models": [{"name": "contact_dates", "source": "Acme warehouse",
              "sql": "SELECT contact_id, CASE WHEN contact_id % 2 = 0 THEN 'not a date' ELSE '2024-01-01' END AS d FROM contacts ORDER BY contact_id LIMIT 10",
              "primary_key": "contact_id"},
             {"name": "broken_model", "source": "Acme warehouse",
              "sql": "SELECT * FROM no_such_table", "primary_key": "id"}],
  "syncs": [{"name": "Contact dates", "model": "contact_dates",
             "destination": "Exports (change log)", "object": "contact_dates.csv",
             "mode": "upsert", "key_field": "contact_id",
             "mapping": [{"column": "contact_id", "field": "contact_id"},
                         {"column": "d", "field": "Date",
                          "transforms": [{"op": "date", "format": "dd/MM/yyyy"}]}]},
            {"name": "Broken", "model": "broken_model",
             "destination": "Exports (change log)", "object": "broken.csv",
             "mode": "upsert", "key_field": "id",
             "mapping": [{"column": "id", "field": "id"}]}]
})json";

std::int64_t syncId(Workspace &ws, const std::string &name)
{
    auto sync = ws.syncByName(name);
    return sync ? sync->id : 0;
}

int comboIndexOf(QComboBox *combo, const QString &text)
{
    return combo->findText(text);
}

} // namespace

class TestRunsPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void queries();
    void listsAllRunsNewestFirst();
    void filters();
    void chartHasABarPerRun();
    void rejectedDialog();
    void retryRejected();
    void reloadKeepsFilters();
    void screenshots();

private:
    RunRecord runSync(const std::string &name, bool cancel = false);
    void waitLoaded(RunsPage &page);

    QTemporaryDir m_dir;
    std::filesystem::path m_path;
    std::vector<RunRecord> m_runs; // in the order they ran
    std::int64_t m_datesSync = 0;
    std::int64_t m_partialRun = 0;
};

RunRecord TestRunsPage::runSync(const std::string &name, bool cancel)
{
    auto ws = Workspace::open(m_path);
    if (!ws)
        return {};
    SyncEngine engine(*ws);
    CancelToken token;
    if (cancel)
        token.cancel();
    RunRecord record = engine.run(syncId(*ws, name), RunOptions{}, &token).record;
    m_runs.push_back(record);
    return record;
}

void TestRunsPage::waitLoaded(RunsPage &page)
{
    QSignalSpy loaded(&page, &RunsPage::loaded);
    QVERIFY(loaded.wait(10000));
}

void TestRunsPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = std::filesystem::path(m_dir.path().toStdString()) / "ws" / "workspace.sluice";
    {
        auto ws = Workspace::open(m_path);
        QVERIFY(ws);
        QVERIFY(setupDemoWorkspace(*ws));
        auto imported = importConfigText(*ws, kDatesConfig);
        QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        m_datesSync = syncId(*ws, "Contact dates");
        QVERIFY(m_datesSync > 0);
    }
    QCOMPARE(runSync("At-risk customers").status, RunStatus::Succeeded);
    const RunRecord partial = runSync("Contact dates");
    QCOMPARE(partial.status, RunStatus::Partial);
    QCOMPARE(partial.counts.rejected, 5);
    QCOMPARE(partial.counts.added, 5);
    m_partialRun = partial.id;
    QCOMPARE(runSync("Broken").status, RunStatus::Failed);
    QCOMPARE(runSync("Upsell candidates", true).status, RunStatus::Cancelled);
    QCOMPARE(runSync("Marketing contacts").status, RunStatus::Succeeded);
    QCOMPARE(runSync("At-risk customers").status, RunStatus::Succeeded);
}

void TestRunsPage::queries()
{
    auto ws = Workspace::open(m_path).value();
    auto all = queryRuns(ws, {});
    QVERIFY(all);
    QCOMPARE(all->size(), m_runs.size());
    QCOMPARE(all->front().run.id, m_runs.back().id);
    QCOMPARE(all->front().syncName, std::string("At-risk customers"));

    auto dates = queryRuns(ws, {.syncId = m_datesSync});
    QCOMPARE(dates->size(), 1u);
    QCOMPARE(dates->front().run.counts.rejected, 5);
    auto failed = queryRuns(ws, {.status = RunStatus::Failed});
    QCOMPARE(failed->size(), 1u);
    QCOMPARE(failed->front().syncName, std::string("Broken"));
    QVERIFY(!failed->front().run.error.empty());
    QCOMPARE(queryRuns(ws, {.syncId = m_datesSync, .status = RunStatus::Failed})->size(), 0u);
    QCOMPARE(queryRuns(ws, {.limit = 2})->size(), 2u);
    QCOMPARE(queryRuns(ws, {.limit = 0})->size(), 1u); // at least one

    auto rejected = queryRejectedRecords(ws, m_partialRun);
    QVERIFY(rejected);
    QCOMPARE(rejected->size(), 5u);
    for (const RejectedRecord &r : *rejected) {
        QVERIFY(std::stoll(r.key) % 2 == 0);
        QVERIFY2(!r.reason.empty(), r.key.c_str());
    }
    const std::string key = rejected->at(1).key;
    auto found = queryRejectedRecords(ws, m_partialRun, key);
    QVERIFY(!found->empty());
    for (const RejectedRecord &r : *found)
        QVERIFY(r.key.find(key) != std::string::npos);
    // % and _ are not wildcards.
    QCOMPARE(queryRejectedRecords(ws, m_partialRun, "%")->size(), 0u);
    QCOMPARE(queryRejectedRecords(ws, m_partialRun, "_")->size(), 0u);
    QCOMPARE(queryRejectedRecords(ws, m_partialRun, {}, 2)->size(), 2u);
    QCOMPARE(queryRejectedRecords(ws, 999999)->size(), 0u);
}

void TestRunsPage::listsAllRunsNewestFirst()
{
    RunsPage page;
    QAbstractItemModelTester tester(page.runsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.setWorkspace(QString::fromStdString(m_path.string()));
    waitLoaded(page);
    RunsModel *model = page.runsModel();
    QCOMPARE(model->rowCount(), int(m_runs.size()));
    for (int row = 0; row < model->rowCount(); ++row) {
        const RunRecord &expected = m_runs[m_runs.size() - 1 - std::size_t(row)];
        QCOMPARE(model->index(row, 0).data(RunsModel::RunIdRole).toLongLong(), expected.id);
        const auto text = [&](int column) { return model->index(row, column).data().toString(); };
        QCOMPARE(text(RunsModel::Added), QLocale().toString(expected.counts.added));
        QCOMPARE(text(RunsModel::Changed), QLocale().toString(expected.counts.changed));
        QCOMPARE(text(RunsModel::Removed), QLocale().toString(expected.counts.removed));
        QCOMPARE(text(RunsModel::Rejected), QLocale().toString(expected.counts.rejected));
        QVERIFY(!text(RunsModel::Status).isEmpty());
        QVERIFY(!text(RunsModel::Started).isEmpty());
        QVERIFY(!model->index(row, RunsModel::Status).data(Qt::DecorationRole).isNull());
    }
    QCOMPARE(model->entry(int(m_runs.size()) - 2).run.id, m_partialRun);
    QCOMPARE(model->index(int(m_runs.size()) - 2, RunsModel::Sync).data().toString(),
             QStringLiteral("Contact dates"));
    // The failed run says why in its tooltip.
    QVERIFY(!model->index(int(m_runs.size()) - 3, RunsModel::Status)
                 .data(Qt::ToolTipRole)
                 .toString()
                 .isEmpty());
    // The sync filter lists all syncs.
    QTRY_COMPARE(page.syncFilter()->count(), 1 + 5);
}

void TestRunsPage::filters()
{
    RunsPage page;
    QAbstractItemModelTester tester(page.runsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.setWorkspace(QString::fromStdString(m_path.string()));
    waitLoaded(page);
    QTRY_COMPARE(page.syncFilter()->count(), 6);

    // By sync.
    const int at = comboIndexOf(page.syncFilter(), QStringLiteral("At-risk customers"));
    QVERIFY(at > 0);
    page.syncFilter()->setCurrentIndex(at);
    waitLoaded(page);
    QCOMPARE(page.runsModel()->rowCount(), 2);
    for (const RunListEntry &e : page.runsModel()->entries())
        QCOMPARE(e.syncName, std::string("At-risk customers"));
    QCOMPARE(page.charts()->shownRuns().size(), 2u);

    // By sync and status: nothing.
    page.statusFilter()->setCurrentIndex(page.statusFilter()->findData(int(RunStatus::Failed)));
    waitLoaded(page);
    QCOMPARE(page.runsModel()->rowCount(), 0);
    QCOMPARE(page.charts()->barSeries()->barSets().front()->count(), 0);

    // By status only.
    page.syncFilter()->setCurrentIndex(0);
    waitLoaded(page);
    QCOMPARE(page.runsModel()->rowCount(), 1);
    QCOMPARE(page.runsModel()->entry(0).syncName, std::string("Broken"));
    page.statusFilter()->setCurrentIndex(page.statusFilter()->findData(int(RunStatus::Partial)));
    waitLoaded(page);
    QCOMPARE(page.runsModel()->rowCount(), 1);
    QCOMPARE(page.runsModel()->entry(0).run.id, m_partialRun);
    page.statusFilter()->setCurrentIndex(page.statusFilter()->findData(int(RunStatus::Cancelled)));
    waitLoaded(page);
    QCOMPARE(page.runsModel()->rowCount(), 1);
    page.statusFilter()->setCurrentIndex(page.statusFilter()->findData(int(RunStatus::Succeeded)));
    waitLoaded(page);
    QCOMPARE(page.runsModel()->rowCount(), 3);
    page.statusFilter()->setCurrentIndex(0);
    waitLoaded(page);
    QCOMPARE(page.runsModel()->rowCount(), int(m_runs.size()));
}

void TestRunsPage::chartHasABarPerRun()
{
    RunsPage page;
    page.setWorkspace(QString::fromStdString(m_path.string()));
    waitLoaded(page);
    RunCharts *charts = page.charts();
    const QList<QBarSet *> sets = charts->barSeries()->barSets();
    QCOMPARE(sets.size(), 4);
    QCOMPARE(sets[0]->label(), QStringLiteral("Added"));
    QCOMPARE(sets[3]->label(), QStringLiteral("Rejected"));
    const int n = int(m_runs.size());
    QCOMPARE(int(charts->shownRuns().size()), n);
    QCOMPARE(charts->durationSeries()->count(), n);
    for (int i = 0; i < n; ++i) {
        const RunRecord &run = m_runs[std::size_t(i)]; // oldest first, as they ran
        QCOMPARE(charts->shownRuns()[std::size_t(i)].run.id, run.id);
        QCOMPARE(sets[0]->at(i), double(run.counts.added));
        QCOMPARE(sets[1]->at(i), double(run.counts.changed));
        QCOMPARE(sets[2]->at(i), double(run.counts.removed));
        QCOMPARE(sets[3]->at(i), double(run.counts.rejected));
        QCOMPARE(charts->durationSeries()->at(i).x(), double(i));
        QVERIFY(charts->durationSeries()->at(i).y() >= 0);
    }
    const QString tip = charts->toolTipText(1);
    QVERIFY2(tip.contains(QStringLiteral("Contact dates")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("added 5")) || tip.contains(QStringLiteral("Added 5")),
             qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("rejected 5")), qPrintable(tip));
    QVERIFY(charts->toolTipText(n).isEmpty());
    QVERIFY(charts->toolTipText(-1).isEmpty());

    // Hovering shows the tooltip (the signal the chart reacts to).
    emit sets[3]->hovered(true, 1);
    emit sets[3]->hovered(false, 1);

    // The chart follows the palette: lighter bars and light text on a dark background.
    const QColor lightAdded = sets[0]->color();
    QPalette dark = charts->palette();
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    charts->setPalette(dark);
    QCOMPARE(charts->chart()->backgroundBrush().color(), QColor(0x1e, 0x1e, 0x1e));
    QCOMPARE(charts->chart()->titleBrush().color(), QColor(0xee, 0xee, 0xee));
    QVERIFY(sets[0]->color().lightness() > lightAdded.lightness());

    // Only the latest maxRuns are charted.
    std::vector<RunListEntry> many;
    for (int i = 0; i < RunCharts::maxRuns + 7; ++i) {
        RunListEntry e;
        e.run.id = 1000 - i;
        e.run.counts.added = i;
        e.run.startedAt = "2026-11-25T09:30:00.000Z"; // same minute: labels must still differ
        many.push_back(e);
    }
    charts->setRuns(many);
    QCOMPARE(int(charts->shownRuns().size()), RunCharts::maxRuns);
    QCOMPARE(charts->shownRuns().back().run.id, 1000); // newest on the right
    QCOMPARE(sets[0]->count(), RunCharts::maxRuns);
    QCOMPARE(sets[0]->at(RunCharts::maxRuns - 1), 0.0);
}

void TestRunsPage::rejectedDialog()
{
    RunsPage page;
    page.resize(1000, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setWorkspace(QString::fromStdString(m_path.string()));
    waitLoaded(page);
    const int row = int(m_runs.size()) - 2;
    QCOMPARE(page.runsModel()->entry(row).run.id, m_partialRun);

    // A double-click on a run without rejected records opens nothing and says so.
    QSignalSpy status(&page, &RunsPage::statusMessage);
    QVERIFY(page.openRejected(0) == nullptr);
    QCOMPARE(status.count(), 1);

    // A double-click on the partial run opens its rejected records.
    QTableView *table = page.table();
    table->scrollTo(page.runsModel()->index(row, 0));
    const QRect rect = table->visualRect(page.runsModel()->index(row, RunsModel::Sync));
    // A press first: the view only reports a double-click on the item it saw pressed.
    QTest::mousePress(table->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseRelease(table->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    RejectedDialog *dialog = page.findChild<RejectedDialog *>();
    QVERIFY(dialog);
    QSignalSpy loaded(dialog, &RejectedDialog::recordsLoaded);
    QVERIFY(loaded.wait(10000));
    QStandardItemModel *model = dialog->recordsModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 5);
    QStringList keys;
    for (int r = 0; r < model->rowCount(); ++r) {
        keys << model->index(r, 0).data().toString();
        QVERIFY(model->index(r, 0).data().toString().toLongLong() % 2 == 0);
        QCOMPARE(model->index(r, 1).data().toString(), QStringLiteral("Create")); // new records
        QVERIFY(!model->index(r, 2).data().toString().isEmpty());
    }

    // Search by key.
    dialog->searchBox()->setText(keys[2]);
    QVERIFY(loaded.wait(10000));
    QVERIFY(model->rowCount() >= 1);
    for (int r = 0; r < model->rowCount(); ++r)
        QVERIFY(model->index(r, 0).data().toString().contains(keys[2]));
    dialog->searchBox()->setText(QStringLiteral("no such key"));
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model->rowCount(), 0);
    dialog->searchBox()->clear();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model->rowCount(), 5);

    // Export.
    const QString csv = m_dir.filePath(QStringLiteral("rejected.csv"));
    QSignalSpy exported(dialog, &RejectedDialog::exported);
    dialog->exportCsv(csv);
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.first().at(0).toBool(), true);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines[0], QStringLiteral("key,operation,reason"));
    for (int r = 0; r < 5; ++r) {
        QVERIFY2(lines[r + 1].startsWith(keys[r] + QStringLiteral(",create,")),
                 qPrintable(lines[r + 1]));
        QVERIFY(lines[r + 1].contains(model->index(r, 2).data().toString().left(10)));
    }
    QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral("rejected.csv*")}).size() == 1);

    // An unwritable place fails with a message, and leaves nothing behind.
    exported.clear();
    dialog->exportCsv(m_dir.filePath(QStringLiteral("missing/folder/x.csv")));
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.first().at(0).toBool(), false);
    QVERIFY(exported.first().at(1).toString().contains(QStringLiteral("Could not write")));

    dialog->grab().save(QStringLiteral("/tmp/runs-rejected-dialog.png"));
    dialog->close();
}

void TestRunsPage::retryRejected()
{
    RunsPage page;
    page.setWorkspace(QString::fromStdString(m_path.string()));
    waitLoaded(page);
    const int row = int(m_runs.size()) - 2;
    RejectedDialog *dialog = page.openRejected(row);
    QVERIFY(dialog);
    QSignalSpy edited(&page, &RunsPage::workspaceEdited);
    QSignalSpy finished(dialog, &RejectedDialog::retryFinished);
    QSignalSpy reloaded(&page, &RunsPage::loaded);
    dialog->retryRejected();
    QVERIFY(dialog->isRetrying());
    QVERIFY(finished.wait(30000));
    const QString outcome = finished.first().at(0).toString();
    // The rows are still not dates: nothing went through, and the dialog says why.
    QVERIFY2(outcome.startsWith(QStringLiteral("0 of 5 rejected records went through.")),
             qPrintable(outcome));
    QVERIFY2(outcome.contains(QStringLiteral("Rejected again (5):")), qPrintable(outcome));
    QCOMPARE(dialog->outcomeText(), outcome);
    QCOMPARE(edited.count(), 1);
    // The page reloads and lists the new run first.
    QTRY_VERIFY(reloaded.count() >= 1 && !page.runsModel()->isLoading());
    QCOMPARE(page.runsModel()->rowCount(), int(m_runs.size()) + 1);
    const RunListEntry &retry = page.runsModel()->entry(0);
    QCOMPARE(retry.run.syncId, m_datesSync);
    QCOMPARE(retry.run.status, RunStatus::Partial);
    QCOMPARE(retry.run.counts.rejected, 5);
    m_runs.push_back(retry.run);
    QTest::qWait(50); // let the layout make room for the outcome
    dialog->grab().save(QStringLiteral("/tmp/runs-retry-dialog.png"));
    dialog->close();

    // Closing while a retry is under way stops it and closes once the run is recorded.
    QPointer<RejectedDialog> closing = page.openRejected(page.runsModel()->rowCount() - 2);
    QVERIFY(closing);
    edited.clear();
    closing->retryRejected();
    QVERIFY(closing->isRetrying());
    closing->reject();
    QTRY_VERIFY(closing.isNull()); // deleted on close
    QCOMPARE(edited.count(), 1);
    QTRY_VERIFY(!page.runsModel()->isLoading());
    m_runs.push_back(page.runsModel()->entry(0).run);
    QVERIFY(page.runsModel()->entry(0).run.status == RunStatus::Cancelled ||
            page.runsModel()->entry(0).run.status == RunStatus::Partial);
}

void TestRunsPage::reloadKeepsFilters()
{
    RunsPage page;
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setWorkspace(QString::fromStdString(m_path.string()));
    waitLoaded(page);
    QTRY_COMPARE(page.syncFilter()->count(), 6);
    page.syncFilter()->setCurrentIndex(comboIndexOf(page.syncFilter(), "Contact dates"));
    waitLoaded(page);
    const int before = page.runsModel()->rowCount();
    QCOMPARE(before, int(std::count_if(m_runs.begin(), m_runs.end(), [&](const RunRecord &r) {
                 return r.syncId == m_datesSync;
             })));
    QVERIFY(before >= 2);

    runSync("Contact dates");
    page.setWorkspace(QString::fromStdString(m_path.string()));
    waitLoaded(page);
    QCOMPARE(page.syncFilter()->currentText(), QStringLiteral("Contact dates"));
    QCOMPARE(page.runsModel()->rowCount(), before + 1);

    // Refresh reads again (F5 is the main window's Refresh, which refreshes this page).
    runSync("Contact dates");
    QSignalSpy loaded(&page, &RunsPage::loaded);
    auto buttons = page.findChildren<QPushButton *>();
    auto refresh = std::ranges::find(buttons, QStringLiteral("Refresh"), &QPushButton::text);
    QVERIFY(refresh != buttons.end());
    (*refresh)->click();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(page.runsModel()->rowCount(), before + 2);

    // Another workspace starts from all syncs.
    const QString other = m_dir.filePath(QStringLiteral("other/ws.sluice"));
    QVERIFY(Workspace::open(other.toStdString()));
    page.setWorkspace(other);
    waitLoaded(page);
    QCOMPARE(page.syncFilter()->currentIndex(), 0);
    QCOMPARE(page.syncFilter()->count(), 1);
    QCOMPARE(page.runsModel()->rowCount(), 0);
}

void TestRunsPage::screenshots()
{
    for (bool dark : {false, true}) {
        QPalette palette = QApplication::style()->standardPalette();
        if (dark) {
            palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
            palette.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
            palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
            palette.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
            palette.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
            palette.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
            palette.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
            palette.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x60));
        }
        QApplication::setPalette(palette);
        RunsPage page;
        page.resize(1100, 760);
        page.show();
        page.setWorkspace(QString::fromStdString(m_path.string()));
        waitLoaded(page);
        QTest::qWait(100);
        const QString file =
            dark ? QStringLiteral("/tmp/runs-page-dark.png") : QStringLiteral("/tmp/runs-page.png");
        QVERIFY(page.grab().save(file));
    }
    QApplication::setPalette(QApplication::style()->standardPalette());
}

QTEST_MAIN(TestRunsPage)
#include "testrunspage.moc"

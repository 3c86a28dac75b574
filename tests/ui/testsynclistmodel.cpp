// The background-loaded list models: results of superseded loads are dropped, a refresh of the
// same syncs keeps the view's rows, and a workspace that cannot be read leaves the rows alone.

#include "demo/demoworkspace.h"
#include "runsmodel.h"
#include "synclistmodel.h"
#include "testutil.h"
#include "workspace/workspace.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace sluice;

class TestSyncListModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void lastLoadWins();
    void refreshUpdatesInPlace();
    void unreadableWorkspaceKeepsTheRows();
    void clearedHistoryIgnoresALoadUnderWay();

private:
    std::filesystem::path m_demo;
    std::filesystem::path m_empty;
    QTemporaryDir m_dir;
};

void TestSyncListModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const std::filesystem::path dir = m_dir.path().toStdString();
    m_demo = dir / "demo" / "workspace.sluice";
    auto ws = Workspace::open(m_demo);
    QVERIFY(ws);
    QVERIFY(setupDemoWorkspace(*ws));
    m_empty = dir / "empty.sluice";
    QVERIFY(Workspace::open(m_empty));
}

void TestSyncListModel::lastLoadWins()
{
    SyncListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &SyncListModel::loaded);
    // The demo's load starts first and may well finish last; only the empty one may show.
    model.load(m_demo);
    model.load(m_empty);
    QTRY_COMPARE(loaded.count(), 1);
    QTest::qWait(300); // room for the superseded result to arrive, and be dropped
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(model.workspacePath(), m_empty);
    QCOMPARE(model.rowCount(), 0);
}

void TestSyncListModel::refreshUpdatesInPlace()
{
    SyncListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &SyncListModel::loaded);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.load(m_demo);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(reset.count(), 1);

    const std::int64_t id = model.syncId(0);
    {
        auto ws = Workspace::open(m_demo).value();
        SyncDef sync = ws.sync(id).value();
        sync.object = "renamed.csv";
        ws.saveSync(sync).value();
    }
    model.load(m_demo);
    QTRY_COMPARE(loaded.count(), 2);
    QCOMPARE(reset.count(), 1); // same syncs: no reset, so the view keeps its selection
    QCOMPARE(changed.count(), 1);
    QVERIFY(model.index(0, SyncListModel::Destination).data().toString().endsWith("/ renamed.csv"));
    QCOMPARE(model.rowOfSync(id), 0);
    QCOMPARE(model.rowOfSync(-5), -1);
}

void TestSyncListModel::unreadableWorkspaceKeepsTheRows()
{
    const auto bogus = std::filesystem::path(m_dir.path().toStdString()) / "bogus.sluice";
    test::writeFile(bogus, "not a database, just text that is long enough to be read\n");
    SyncListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &SyncListModel::loaded);
    QSignalSpy failed(&model, &SyncListModel::loadFailed);
    model.load(m_demo);
    QTRY_COMPARE(loaded.count(), 1);
    model.load(bogus);
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QString::fromStdString(bogus.string()));
    QVERIFY(!failed.at(0).at(1).toString().isEmpty());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.workspacePath(), m_demo);
}

void TestSyncListModel::clearedHistoryIgnoresALoadUnderWay()
{
    std::int64_t syncId = 0;
    {
        auto ws = Workspace::open(m_demo).value();
        syncId = ws.syncs().value().front().id;
        RunRecord run;
        run.syncId = syncId;
        run.status = RunStatus::Failed;
        run.startedAt = run.finishedAt = utcNowIso();
        run.error = "The destination folder is read-only.";
        run.id = ws.insertRun(run).value();
        ws.updateRun(run).value(); // as the engine does: insert when starting, update when done
    }
    RunsModel history;
    QAbstractItemModelTester tester(&history,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&history, &RunsModel::loaded);
    RunFilter filter;
    filter.syncId = syncId;
    history.load(m_demo, filter);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(history.rowCount(), 1);
    QCOMPARE(history.index(0, RunsModel::Status).data().toString(), QString("Failed"));
    QCOMPARE(history.index(0, RunsModel::Message).data().toString(),
             QString("The destination folder is read-only."));

    history.load(m_demo, filter);
    history.clear();
    QTest::qWait(300);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(history.rowCount(), 0);
}

QTEST_MAIN(TestSyncListModel)
#include "testsynclistmodel.moc"

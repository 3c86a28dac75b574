// The sync editor on a real demo workspace: it shows a saved sync as it is, its dry run plans
// what the engine plans, Run now records a run (and Stop stops one), edits of mode, key and
// schedule are saved, and saving is blocked, with the reason shown, while something is wrong.

#include "demo/demoworkspace.h"
#include "engine/syncengine.h"
#include "mappingdocument.h"
#include "mappingeditor.h"
#include "rundisplay.h"
#include "synceditor.h"
#include "workspace/workspace.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimeEdit>
#include <QUndoStack>
#include <QtTest>

using namespace sluice;

namespace {

// The editor's parts, found by their object names.
struct Ui
{
    explicit Ui(SyncEditor &e)
        : name(e.findChild<QLineEdit *>("syncName")), model(e.findChild<QComboBox *>("syncModel")),
          destination(e.findChild<QComboBox *>("syncDestination")),
          object(e.findChild<QComboBox *>("syncObject")),
          modelKey(e.findChild<QLabel *>("syncModelKey")),
          keyField(e.findChild<QComboBox *>("syncKeyField")),
          mode(e.findChild<QComboBox *>("syncMode")),
          explanation(e.findChild<QLabel *>("syncModeExplanation")),
          guard(e.findChild<QSpinBox *>("syncMirrorGuard")),
          scheduleType(e.findChild<QComboBox *>("syncScheduleType")),
          every(e.findChild<QSpinBox *>("syncScheduleEvery")),
          dailyAt(e.findChild<QTimeEdit *>("syncScheduleTime")),
          scheduleNote(e.findChild<QLabel *>("syncScheduleNote")),
          mapping(e.findChild<MappingEditor *>("syncMapping")),
          doc(mapping->findChild<MappingDocument *>()),
          blockers(e.findChild<QLabel *>("syncBlockers")),
          saveError(e.findChild<QLabel *>("syncSaveError")),
          planSummary(e.findChild<QLabel *>("syncPlanSummary")),
          planTable(e.findChild<QTableWidget *>("syncPlanSamples")),
          runResult(e.findChild<QLabel *>("syncRunResult")),
          log(e.findChild<QPlainTextEdit *>("syncRunLog")),
          save(e.findChild<QPushButton *>("syncSave")),
          dryRun(e.findChild<QPushButton *>("syncDryRun")),
          runNow(e.findChild<QPushButton *>("syncRunNow")),
          stop(e.findChild<QPushButton *>("syncStop"))
    {
    }

    QLineEdit *name;
    QComboBox *model;
    QComboBox *destination;
    QComboBox *object;
    QLabel *modelKey;
    QComboBox *keyField;
    QComboBox *mode;
    QLabel *explanation;
    QSpinBox *guard;
    QComboBox *scheduleType;
    QSpinBox *every;
    QTimeEdit *dailyAt;
    QLabel *scheduleNote;
    MappingEditor *mapping;
    MappingDocument *doc;
    QLabel *blockers;
    QLabel *saveError;
    QLabel *planSummary;
    QTableWidget *planTable;
    QLabel *runResult;
    QPlainTextEdit *log;
    QPushButton *save;
    QPushButton *dryRun;
    QPushButton *runNow;
    QPushButton *stop;
};

void selectText(QComboBox *combo, const QString &text)
{
    const int index = combo->findText(text);
    QVERIFY2(index >= 0, qPrintable("no item " + text));
    combo->setCurrentIndex(index);
}

void waitIdle(SyncEditor &e, int timeoutMs = 30000)
{
    QTRY_VERIFY_WITH_TIMEOUT(!e.isBusy(), timeoutMs);
}

} // namespace

class TestSyncEditor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsTheSavedSync();
    void dryRunPlansWhatTheEngineWould();
    void runNowRecordsARunAndLoadsTheNewFile();
    void stopCancelsALongRun();
    void savesModeKeyAndSchedule();
    void intervalSchedulesRoundTrip();
    void blocksSavingWhenNothingIsMapped();
    void blocksSavingWhenAMappedColumnVanished();
    void buildsANewSync();
    void screenshot();

private:
    std::filesystem::path demoCopy();
    std::int64_t syncId(const std::filesystem::path &path, const std::string &name);

    QTemporaryDir m_home;
    QTemporaryDir m_dir;
    int m_copies = 0;
};

void TestSyncEditor::initTestCase()
{
    QVERIFY(m_home.isValid() && m_dir.isValid());
    qputenv("XDG_DATA_HOME", m_home.path().toUtf8());
    QCoreApplication::setApplicationName("Sluice");
}

std::filesystem::path TestSyncEditor::demoCopy()
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

std::int64_t TestSyncEditor::syncId(const std::filesystem::path &path, const std::string &name)
{
    return Workspace::open(path).value().syncByName(name).value().id;
}

void TestSyncEditor::showsTheSavedSync()
{
    const auto path = demoCopy();
    const auto id = syncId(path, "At-risk customers");
    const SyncDef saved = Workspace::open(path).value().sync(id).value();
    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    QVERIFY(e.isBusy()); // everything loads in the background
    waitIdle(e);

    QCOMPARE(ui.name->text(), QString("At-risk customers"));
    QCOMPARE(ui.model->currentText(), QString("at_risk_accounts"));
    QCOMPARE(ui.destination->currentText(), QString("Exports (snapshot)"));
    QCOMPARE(ui.object->currentText(), QString("at_risk_customers.csv"));
    QCOMPARE(ui.modelKey->text(), QString("account_id"));
    QCOMPARE(ui.keyField->currentData().toString(), QString("account_id"));
    // A snapshot CSV offers mirror mode only.
    QCOMPARE(ui.mode->count(), 1);
    QCOMPARE(ui.mode->currentText(), RunDisplay::modeText(SyncMode::Mirror));
    QCOMPARE(ui.explanation->text(), QString::fromStdString(syncModeExplanation(SyncMode::Mirror)));
    QVERIFY(ui.guard->isVisibleTo(&e));
    QCOMPARE(ui.guard->value(), 50);
    QCOMPARE(ui.scheduleType->currentData().toString(), QString("manual"));
    QVERIFY(!ui.scheduleNote->isVisibleTo(&e));
    // The model's columns reached the canvas, with the saved mapping.
    QCOMPARE(ui.doc->columns().size(), std::size_t(12));
    QCOMPARE(ui.doc->columns().front().name, std::string("account_id"));
    QVERIFY(ui.mapping->mapping() == saved.mapping);
    QVERIFY(e.saveBlockers().isEmpty());
    QVERIFY(!e.hasUnsavedChanges());
    QVERIFY(!ui.save->isEnabled()); // nothing to save
    QVERIFY(ui.dryRun->isEnabled() && ui.runNow->isEnabled());
    QVERIFY(!ui.stop->isVisibleTo(&e));
    QCOMPARE(e.windowTitle(), QString("Sync “At-risk customers”"));
}

void TestSyncEditor::dryRunPlansWhatTheEngineWould()
{
    const auto path = demoCopy();
    const auto id = syncId(path, "At-risk customers");
    RunResult expected;
    {
        auto ws = Workspace::open(path).value();
        SyncEngine engine(ws);
        RunOptions options;
        options.dryRun = true;
        expected = engine.run(id, options);
    }
    QCOMPARE(expected.record.status, RunStatus::Succeeded);
    QVERIFY(expected.record.counts.added > 0);
    QVERIFY(!expected.samples.empty());

    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    waitIdle(e);
    ui.dryRun->click();
    QVERIFY(e.isBusy());
    waitIdle(e);

    const QLocale locale;
    const RunCounts &c = expected.record.counts;
    const QString counts = QString("create %1, update %2 and delete %3 records; %4 are unchanged")
                               .arg(locale.toString(c.added), locale.toString(c.changed),
                                    locale.toString(c.removed), locale.toString(c.unchanged));
    QVERIFY2(ui.planSummary->text().contains(counts), qPrintable(ui.planSummary->text()));
    QVERIFY(ui.planTable->isVisibleTo(&e));
    QCOMPARE(ui.planTable->rowCount(), int(expected.samples.size()));
    QCOMPARE(ui.planTable->columnCount(), int(expected.fields.size()) + 2);
    for (std::size_t i = 0; i < expected.fields.size(); ++i)
        QCOMPARE(ui.planTable->horizontalHeaderItem(int(i) + 2)->text(),
                 QString::fromStdString(expected.fields[i]));
    // The sample payloads exactly as they would be sent.
    for (int row = 0; row < ui.planTable->rowCount(); ++row) {
        const PlanSample &s = expected.samples[std::size_t(row)];
        QCOMPARE(ui.planTable->item(row, 0)->text(), QString("Create"));
        QCOMPARE(ui.planTable->item(row, 1)->text(), QString::fromStdString(s.key));
        for (std::size_t i = 0; i < s.values.size(); ++i)
            QCOMPARE(ui.planTable->item(row, int(i) + 2)->text(),
                     s.values[i].isNull() ? QString()
                                          : QString::fromStdString(s.values[i].toString()));
    }
    // A dry run writes nothing and records no run.
    QVERIFY(Workspace::open(path).value().runs(id).value().empty());
    QVERIFY(!std::filesystem::exists(path.parent_path() / "exports" / "at_risk_customers.csv"));
}

void TestSyncEditor::runNowRecordsARunAndLoadsTheNewFile()
{
    const auto path = demoCopy();
    const auto id = syncId(path, "At-risk customers");
    std::int64_t planned = 0;
    {
        auto ws = Workspace::open(path).value();
        RunOptions options;
        options.dryRun = true;
        planned = SyncEngine(ws).run(id, options).record.counts.added;
    }
    {
        SyncEditor e(QString::fromStdString(path.string()), id);
        Ui ui(e);
        QSignalSpy edited(&e, &SyncEditor::workspaceEdited);
        waitIdle(e);
        ui.runNow->click();
        QVERIFY(ui.stop->isVisibleTo(&e));
        QVERIFY(!ui.runNow->isEnabled() && !ui.save->isEnabled());
        waitIdle(e);
        QVERIFY(!ui.stop->isVisibleTo(&e));
        QCOMPARE(edited.count(), 1);

        const auto runs = Workspace::open(path).value().runs(id).value();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].status, RunStatus::Succeeded);
        QCOMPARE(runs[0].counts.added, planned);
        QVERIFY(std::filesystem::exists(path.parent_path() / "exports" / "at_risk_customers.csv"));
        const QString log = ui.log->toPlainText();
        QVERIFY2(log.contains("Sending "), qPrintable(log));
        QVERIFY2(log.contains("Read 210 rows"), qPrintable(log)); // the engine's own summary
        QVERIFY2(log.contains(RunDisplay::outcome("At-risk customers", runs[0])), qPrintable(log));
        QCOMPARE(ui.runResult->text(), RunDisplay::outcome("At-risk customers", runs[0]));

        // A second dry run: everything is up to date now.
        ui.dryRun->click();
        waitIdle(e);
        QVERIFY2(ui.planSummary->text().contains("the destination is up to date"),
                 qPrintable(ui.planSummary->text()));
        QVERIFY(!ui.planTable->isVisibleTo(&e));
    }
    // Opened again, the object's fields come from the file the run wrote.
    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    waitIdle(e);
    const auto rows = ui.doc->fieldRows();
    QVERIFY(std::any_of(rows.begin(), rows.end(),
                        [](const FieldRow &r) { return r.name == "Why at risk" && !r.missing; }));
    QVERIFY(e.saveBlockers().isEmpty());
}

void TestSyncEditor::stopCancelsALongRun()
{
    const auto path = demoCopy();
    std::int64_t id = 0;
    {
        auto ws = Workspace::open(path).value();
        ModelDef model;
        model.name = "counter";
        model.connectionId = ws.connectionByName("Acme warehouse").value().id;
        model.sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                    "WHERE x < 1000000000) SELECT x AS id FROM n";
        model.primaryKey = "id";
        model.id = ws.saveModel(model).value();
        SyncDef sync;
        sync.name = "Endless";
        sync.modelId = model.id;
        sync.destinationId = ws.connectionByName("Exports (snapshot)").value().id;
        sync.object = "endless.csv";
        sync.mode = SyncMode::Mirror;
        sync.keyField = "id";
        sync.mapping.fields = {FieldMapping{"id", std::nullopt, "id", {}}};
        id = ws.saveSync(sync).value();
    }
    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    waitIdle(e);
    ui.runNow->click();
    // A snapshot is streamed: the engine sends while it still reads.
    QTRY_VERIFY2_WITH_TIMEOUT(ui.log->toPlainText().contains(" rows read"),
                              qPrintable(ui.log->toPlainText()), 30000);
    QVERIFY(ui.log->toPlainText().contains("Sending "));
    QVERIFY(ui.stop->isVisibleTo(&e) && ui.stop->isEnabled());
    e.resize(1200, 860);
    e.grab().save("/tmp/synceditor-running.png"); // progress bar, live log and Stop
    QElapsedTimer clock;
    clock.start();
    ui.stop->click();
    waitIdle(e);
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    const auto runs = Workspace::open(path).value().runs(id).value();
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(runs[0].status, RunStatus::Cancelled);
    QVERIFY(ui.log->toPlainText().contains("Stopping…"));
    QCOMPARE(ui.runResult->text(), RunDisplay::outcome("Endless", runs[0]));
}

void TestSyncEditor::savesModeKeyAndSchedule()
{
    const auto path = demoCopy();
    const auto id = syncId(path, "At-risk customers");
    const SyncDef before = Workspace::open(path).value().sync(id).value();
    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    QSignalSpy edited(&e, &SyncEditor::workspaceEdited);
    waitIdle(e);

    // The change-log CSV supports every mode.
    selectText(ui.destination, "Exports (change log)");
    QVERIFY(e.hasUnsavedChanges());
    waitIdle(e);
    QCOMPARE(ui.mode->count(), 4);
    QCOMPARE(ui.mode->currentText(), RunDisplay::modeText(SyncMode::Mirror)); // kept
    selectText(ui.mode, RunDisplay::modeText(SyncMode::Upsert));
    QCOMPARE(ui.explanation->text(), QString::fromStdString(syncModeExplanation(SyncMode::Upsert)));
    QVERIFY(!ui.guard->isVisibleTo(&e));
    // Any mapped field can be the key of a destination that makes its own fields.
    QVERIFY(ui.keyField->findData(QString("Domain")) >= 0);
    ui.keyField->setCurrentIndex(ui.keyField->findData(QString("Domain")));
    ui.scheduleType->setCurrentIndex(ui.scheduleType->findData(QString("daily")));
    ui.dailyAt->setTime(QTime(7, 45));
    QVERIFY(ui.dailyAt->isVisibleTo(&e) && !ui.every->isVisibleTo(&e));
    QVERIFY(ui.scheduleNote->isVisibleTo(&e));
    QVERIFY(e.windowTitle().endsWith(" *"));
    QVERIFY(e.saveBlockers().isEmpty());
    QVERIFY(ui.save->isEnabled());

    e.show();
    QVERIFY(QTest::qWaitForWindowActive(&e));
    QTest::keyClick(&e, Qt::Key_S, Qt::ControlModifier);
    QVERIFY(e.isBusy());
    waitIdle(e);
    QVERIFY(!e.hasUnsavedChanges());
    QVERIFY(!ui.saveError->isVisibleTo(&e));
    QCOMPARE(edited.count(), 1);

    const SyncDef after = Workspace::open(path).value().sync(id).value();
    QCOMPARE(after.destinationId,
             Workspace::open(path).value().connectionByName("Exports (change log)").value().id);
    QCOMPARE(after.mode, SyncMode::Upsert);
    QCOMPARE(after.keyField, std::string("Domain"));
    QCOMPARE(after.schedule, (nlohmann::json{{"type", "daily"}, {"time", "07:45"}}));
    QVERIFY(after.mapping == before.mapping);
    QCOMPARE(after.object, before.object);

    // Mirror with another guard, then back: the guard percentage is saved too.
    selectText(ui.mode, RunDisplay::modeText(SyncMode::Mirror));
    QVERIFY(ui.guard->isVisibleTo(&e));
    ui.guard->setValue(20);
    ui.save->click();
    waitIdle(e);
    const SyncDef mirrored = Workspace::open(path).value().sync(id).value();
    QCOMPARE(mirrored.mode, SyncMode::Mirror);
    QCOMPARE(mirrored.options.mirrorMaxDeletePercent, 20.0);
}

void TestSyncEditor::intervalSchedulesRoundTrip()
{
    const auto path = demoCopy();
    const auto id = syncId(path, "At-risk customers");
    {
        SyncEditor e(QString::fromStdString(path.string()), id);
        Ui ui(e);
        waitIdle(e);
        ui.scheduleType->setCurrentIndex(ui.scheduleType->findData(QString("hours")));
        ui.every->setValue(3);
        ui.save->click();
        waitIdle(e);
    }
    QCOMPARE(Workspace::open(path).value().sync(id).value().schedule,
             (nlohmann::json{{"type", "interval"}, {"minutes", 180}}));
    {
        SyncEditor e(QString::fromStdString(path.string()), id);
        Ui ui(e);
        waitIdle(e);
        QCOMPARE(ui.scheduleType->currentData().toString(), QString("hours"));
        QCOMPARE(ui.every->value(), 3);
        ui.scheduleType->setCurrentIndex(ui.scheduleType->findData(QString("minutes")));
        ui.every->setValue(15);
        ui.save->click();
        waitIdle(e);
    }
    QCOMPARE(Workspace::open(path).value().sync(id).value().schedule,
             (nlohmann::json{{"type", "interval"}, {"minutes", 15}}));

    // A shape this editor does not know is kept as it is.
    const nlohmann::json cron{{"type", "cron"}, {"expression", "0 9 * * 1-5"}};
    {
        auto ws = Workspace::open(path).value();
        SyncDef sync = ws.sync(id).value();
        sync.schedule = cron;
        ws.saveSync(sync).value();
    }
    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    waitIdle(e);
    QCOMPARE(ui.scheduleType->currentData().toString(), QString("other"));
    ui.name->setText("At-risk customers (weekdays)");
    ui.save->click();
    waitIdle(e);
    const SyncDef saved = Workspace::open(path).value().sync(id).value();
    QCOMPARE(saved.name, std::string("At-risk customers (weekdays)"));
    QCOMPARE(saved.schedule, cron);
}

void TestSyncEditor::blocksSavingWhenNothingIsMapped()
{
    const auto path = demoCopy();
    const auto id = syncId(path, "At-risk customers");
    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    waitIdle(e);

    // Remove every link, as the user would on the canvas (each removal is one undo step).
    const auto links = ui.mapping->mapping().fields;
    for (const auto &l : links)
        ui.doc->removeLink(l.field);
    QVERIFY(ui.mapping->mapping().fields.empty());
    QVERIFY(e.hasUnsavedChanges());
    QVERIFY(!ui.save->isEnabled());
    QVERIFY(!ui.dryRun->isEnabled() && !ui.runNow->isEnabled()); // they would save first
    QVERIFY(ui.blockers->isVisibleTo(&e));
    QVERIFY2(ui.blockers->text().contains("No fields are mapped"), qPrintable(ui.blockers->text()));
    // The key was a mapped field: it is flagged rather than silently changed.
    QCOMPARE(ui.keyField->currentData().toString(), QString("account_id"));

    // Ctrl+S does nothing while blocked.
    e.show();
    QVERIFY(QTest::qWaitForWindowActive(&e));
    QTest::keyClick(&e, Qt::Key_S, Qt::ControlModifier);
    QVERIFY(!e.isBusy());
    e.save(); // even when called directly
    QVERIFY(!e.isBusy());
    QVERIFY(Workspace::open(path).value().sync(id).value().mapping.fields.size() == links.size());

    // Undo brings the links back and unblocks.
    while (ui.mapping->undoStack()->canUndo())
        ui.mapping->undoStack()->undo();
    QVERIFY(ui.mapping->mapping().fields.size() == links.size());
    QVERIFY(e.saveBlockers().isEmpty());
    QVERIFY(ui.save->isEnabled());

    // An empty name blocks too, and says so.
    ui.name->clear();
    QVERIFY(!ui.save->isEnabled());
    QVERIFY(ui.blockers->text().contains("Give the sync a name."));
    ui.name->setText("At-risk customers");
}

void TestSyncEditor::blocksSavingWhenAMappedColumnVanished()
{
    const auto path = demoCopy();
    const auto id = syncId(path, "At-risk customers");
    {
        // The model no longer returns risk_reason, which the sync maps to "Why at risk".
        auto ws = Workspace::open(path).value();
        ModelDef model = ws.modelByName("at_risk_accounts").value();
        model.sql = "SELECT account_id, name, domain, plan, 'active' AS subscription_status, mrr, "
                    "health_score, 0 AS logins_last_30d, 0 AS logins_prev_30d, "
                    "0 AS open_urgent_tickets, owner_email FROM accounts";
        ws.saveModel(model).value();
    }
    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    waitIdle(e);
    QVERIFY(!e.saveBlockers().isEmpty());
    QVERIFY2(ui.blockers->text().contains("risk_reason"), qPrintable(ui.blockers->text()));
    ui.name->setText("Renamed");
    QVERIFY(!ui.save->isEnabled());
    e.save();
    QVERIFY(!e.isBusy());
    QCOMPARE(Workspace::open(path).value().sync(id).value().name, std::string("At-risk customers"));

    // Removing the broken link fixes it.
    ui.doc->removeLink("Why at risk");
    QVERIFY2(e.saveBlockers().isEmpty(), qPrintable(e.saveBlockers().join('\n')));
    ui.save->click();
    waitIdle(e);
    const SyncDef saved = Workspace::open(path).value().sync(id).value();
    QCOMPARE(saved.name, std::string("Renamed"));
    QCOMPARE(saved.mapping.fields.size(), std::size_t(11));
}

void TestSyncEditor::buildsANewSync()
{
    const auto path = demoCopy();
    SyncEditor e(QString::fromStdString(path.string()));
    Ui ui(e);
    waitIdle(e);
    QCOMPARE(e.syncId(), std::int64_t(0));
    QCOMPARE(e.windowTitle(), QString("New sync"));
    QVERIFY(ui.blockers->text().contains("Give the sync a name."));
    QVERIFY(ui.blockers->text().contains("Choose the model to read from."));
    QVERIFY(ui.blockers->text().contains("Choose a destination."));
    QVERIFY(!ui.save->isEnabled() && !ui.runNow->isEnabled());

    ui.name->setText("Contacts to a change log");
    selectText(ui.model, "marketing_contacts");
    selectText(ui.destination, "Exports (change log)");
    waitIdle(e);
    QCOMPARE(ui.modelKey->text(), QString("contact_id"));
    // A folder of CSV files takes a new file name.
    QVERIFY(ui.object->isEditable());
    ui.object->setEditText("contacts.csv");
    emit ui.object->lineEdit()->editingFinished();
    waitIdle(e);
    QCOMPARE(ui.doc->columns().size(), std::size_t(10));
    QVERIFY(ui.blockers->text().contains("No fields are mapped"));

    // Auto-map proposes a field per column; accept them all.
    ui.mapping->findChild<QPushButton *>("autoMapButton")->click();
    ui.mapping->findChild<QPushButton *>("acceptAllButton")->click();
    QCOMPARE(ui.mapping->mapping().fields.size(), std::size_t(10));
    QVERIFY2(e.saveBlockers().isEmpty(), qPrintable(e.saveBlockers().join('\n')));
    ui.keyField->setCurrentIndex(ui.keyField->findData(QString("contact_id")));
    selectText(ui.mode, RunDisplay::modeText(SyncMode::Upsert));

    // Dry run saves first, then plans.
    ui.dryRun->click();
    waitIdle(e);
    QVERIFY(e.syncId() != 0);
    QVERIFY(!e.hasUnsavedChanges());
    const SyncDef saved = Workspace::open(path).value().sync(e.syncId()).value();
    QCOMPARE(saved.name, std::string("Contacts to a change log"));
    QCOMPARE(saved.object, std::string("contacts.csv"));
    QCOMPARE(saved.mode, SyncMode::Upsert);
    QCOMPARE(saved.keyField, std::string("contact_id"));
    QCOMPARE(saved.mapping.fields.size(), std::size_t(10));
    QVERIFY2(ui.planSummary->text().contains("A run now would create"),
             qPrintable(ui.planSummary->text()));
    QCOMPARE(ui.planTable->columnCount(), 12);

    // The same name twice is refused by the workspace, inline.
    SyncEditor twin(QString::fromStdString(path.string()));
    Ui t(twin);
    waitIdle(twin);
    t.name->setText("Contacts to a change log");
    selectText(t.model, "marketing_contacts");
    selectText(t.destination, "Exports (change log)");
    waitIdle(twin);
    t.object->setEditText("contacts.csv");
    emit t.object->lineEdit()->editingFinished();
    waitIdle(twin);
    t.mapping->findChild<QPushButton *>("autoMapButton")->click();
    t.mapping->findChild<QPushButton *>("acceptAllButton")->click();
    QVERIFY2(twin.saveBlockers().isEmpty(), qPrintable(twin.saveBlockers().join('\n')));
    t.save->click();
    waitIdle(twin);
    QVERIFY(t.saveError->isVisibleTo(&twin));
    QVERIFY(!t.saveError->text().isEmpty());
    QCOMPARE(twin.syncId(), std::int64_t(0));
}

void TestSyncEditor::screenshot()
{
    const auto path = demoCopy();
    const auto id = syncId(path, "At-risk customers");
    SyncEditor e(QString::fromStdString(path.string()), id);
    Ui ui(e);
    e.resize(1200, 860);
    e.show();
    waitIdle(e);
    e.grab().save("/tmp/synceditor-mapping.png");
    ui.dryRun->click();
    waitIdle(e);
    QVERIFY(e.grab().save("/tmp/synceditor-dryrun.png"));
    ui.runNow->click();
    waitIdle(e);
    QVERIFY(e.grab().save("/tmp/synceditor-run.png"));
    selectText(ui.destination, "Exports (change log)");
    waitIdle(e);
    ui.scheduleType->setCurrentIndex(ui.scheduleType->findData(QString("daily")));
    ui.doc->removeLink("Why at risk");
    QVERIFY(e.grab().save("/tmp/synceditor-edited.png"));
}

QTEST_MAIN(TestSyncEditor)
#include "testsynceditor.moc"

// The Connections page and dialog driven through their real widgets against a real workspace:
// create a SQLite source with Test connection (a missing file, then a real one), save it and
// check exactly what the workspace stored, edit it, refuse a duplicate name and a missing
// required setting, add a CSV destination whose folder does not exist yet, test from the page,
// and try deleting a connection a model still uses. Renders screenshots to /tmp.

#include "connectiondialog.h"
#include "connectionspage.h"
#include "util/sqlite.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace sluice;
namespace fs = std::filesystem;

class TestConnections : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_wsPath;
    ConnectionsPage *m_page = nullptr;

    fs::path dir() const { return m_dir.path().toStdString(); }

    ConnectionDialog *openNewDialog()
    {
        QTest::mouseClick(findButton(m_page, tr("&New…")), Qt::LeftButton);
        return activeDialog();
    }

    ConnectionDialog *activeDialog()
    {
        ConnectionDialog *found = nullptr;
        for (auto *d : m_page->findChildren<ConnectionDialog *>()) {
            if (d->isVisible())
                found = d;
        }
        return found;
    }

    static QPushButton *findButton(QWidget *parent, const QString &text)
    {
        for (auto *b : parent->findChildren<QPushButton *>()) {
            if (b->text() == text)
                return b;
        }
        return nullptr;
    }

    static void choose(QComboBox *combo, const QString &data)
    {
        const int index = combo->findData(data);
        QVERIFY2(index >= 0, qPrintable(data));
        combo->setCurrentIndex(index);
    }

    static void typeInto(QLineEdit *edit, const QString &text)
    {
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Delete);
        QTest::keyClicks(edit, text);
    }

    static void clickOk(ConnectionDialog *dialog)
    {
        auto *box = dialog->findChild<QDialogButtonBox *>();
        QTest::mouseClick(box->button(QDialogButtonBox::Ok), Qt::LeftButton);
    }

    // Waits until a test started by clicking the dialog's button has reported.
    static QString runDialogTest(ConnectionDialog *dialog)
    {
        QSignalSpy done(dialog, &ConnectionDialog::testFinished);
        QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
        // The button stays disabled while the test runs and the result says so.
        if (done.isEmpty()) {
            if (dialog->testButton()->isEnabled() ||
                dialog->testResultLabel()->text() != tr("Testing…"))
                return QStringLiteral("<button not busy while testing>");
        }
        if (!done.wait(5000) && done.isEmpty())
            return QStringLiteral("<no result>");
        if (!dialog->testButton()->isEnabled())
            return QStringLiteral("<button still disabled>");
        return dialog->testResultLabel()->text();
    }

    void answerDeleteBox(QMessageBox::StandardButton answer)
    {
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_page->findChild<QMessageBox *>()) && box->isVisible());
        QTest::mouseClick(box->button(answer), Qt::LeftButton);
    }

    int rowOf(const QString &name) const
    {
        auto *model = m_page->list()->model();
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, 0).data().toString() == name)
                return r;
        }
        return -1;
    }

    void selectRow(const QString &name)
    {
        // Keyboard shortcuts need the page's window to be the active one.
        QApplication::setActiveWindow(m_page);
        QVERIFY(QTest::qWaitForWindowActive(m_page));
        const int row = rowOf(name);
        QVERIFY2(row >= 0, qPrintable(name));
        m_page->list()->setCurrentIndex(m_page->list()->model()->index(row, 0));
    }

    static void screenshot(QWidget *w, const QString &file) { w->grab().save(file); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto db = SqliteDb::open(dir() / "shop.db", SqliteDb::Mode::ReadWriteCreate);
        QVERIFY(db);
        QVERIFY(db->exec("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
                         "CREATE TABLE orders(id INTEGER PRIMARY KEY, total REAL);"));
        m_wsPath = m_dir.filePath(QStringLiteral("workspace.sluice"));
        QVERIFY(Workspace::open(m_wsPath.toStdString()));

        m_page = new ConnectionsPage;
        m_page->resize(900, 420);
        m_page->show();
        QSignalSpy loaded(m_page, &ConnectionsPage::connectionsLoaded);
        m_page->setWorkspace(m_wsPath);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(m_page->list()->model()->rowCount(), 0);
    }

    void cleanupTestCase() { delete m_page; }

    void createSqliteSourceWithTest()
    {
        ConnectionDialog *dialog = openNewDialog();
        QVERIFY(dialog);
        dialog->roleCombo()->setCurrentIndex(0);
        choose(dialog->kindCombo(), QStringLiteral("sqlite"));
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Shop database"));
        auto *path = qobject_cast<QLineEdit *>(dialog->settingEditor(QStringLiteral("path")));
        QVERIFY(path);
        QVERIFY(!path->toolTip().isEmpty()); // the driver's help text

        typeInto(path, QStringLiteral("missing.db"));
        QString result = runDialogTest(dialog);
        QVERIFY2(result.contains(QStringLiteral("does not exist")), qPrintable(result));
        QVERIFY(!fs::exists(dir() / "missing.db"));

        typeInto(path, QStringLiteral("shop.db"));
        QVERIFY(dialog->testResultLabel()->text().isEmpty()); // editing clears a stale result
        result = runDialogTest(dialog);
        QCOMPARE(result, QStringLiteral("Connected: 2 tables."));
        screenshot(dialog, QStringLiteral("/tmp/sluice-connection-dialog.png"));

        QSignalSpy edited(m_page, &ConnectionsPage::workspaceEdited);
        QSignalSpy loaded(m_page, &ConnectionsPage::connectionsLoaded);
        QPointer<ConnectionDialog> guard(dialog); // deleted on close
        clickOk(dialog);
        QTRY_VERIFY(!guard || !guard->isVisible());
        QTRY_VERIFY(loaded.count() >= 1);
        QCOMPARE(edited.count(), 1);

        const int row = rowOf(QStringLiteral("Shop database"));
        QVERIFY(row >= 0);
        auto *model = m_page->list()->model();
        QCOMPARE(model->index(row, 1).data().toString(), QStringLiteral("Source"));
        QCOMPARE(model->index(row, 2).data().toString(), QStringLiteral("SQLite database"));
        QCOMPARE(model->index(row, 3).data().toString(), QStringLiteral("shop.db"));

        auto ws = Workspace::open(m_wsPath.toStdString());
        QVERIFY(ws);
        auto stored = ws->connectionByName("Shop database");
        QVERIFY(stored);
        QCOMPARE(stored->role, ConnectionRole::Source);
        QCOMPARE(stored->kind, std::string("sqlite"));
        QCOMPARE(stored->settings, nlohmann::json({{"path", "shop.db"}}));
    }

    void duplicateNameAndMissingSettingStayOpen()
    {
        ConnectionDialog *dialog = openNewDialog();
        QVERIFY(dialog);
        choose(dialog->kindCombo(), QStringLiteral("sqlite"));
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Shop database"));
        clickOk(dialog); // no path yet
        QVERIFY(dialog->isVisible());
        QVERIFY2(dialog->errorLabel()->text().contains(QStringLiteral("required")),
                 qPrintable(dialog->errorLabel()->text()));

        typeInto(qobject_cast<QLineEdit *>(dialog->settingEditor(QStringLiteral("path"))),
                 QStringLiteral("shop.db"));
        clickOk(dialog);
        QTRY_VERIFY(dialog->errorLabel()->text().contains(QStringLiteral("already has that name")));
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->errorLabel()->isHidden());
        screenshot(dialog, QStringLiteral("/tmp/sluice-connection-dialog-error.png"));
        dialog->reject();
        QTRY_VERIFY(!activeDialog());

        auto ws = Workspace::open(m_wsPath.toStdString());
        QCOMPARE(ws->connections()->size(), std::size_t(1));
    }

    void createCsvDestinationFolderNotThereYet()
    {
        ConnectionDialog *dialog = openNewDialog();
        QVERIFY(dialog);
        dialog->roleCombo()->setCurrentIndex(1);
        choose(dialog->kindCombo(), QStringLiteral("csv"));
        QVERIFY(!dialog->settingEditor(QStringLiteral("path"))); // the form was rebuilt
        auto *folder = qobject_cast<QLineEdit *>(dialog->settingEditor(QStringLiteral("folder")));
        QVERIFY(folder);
        auto *format = qobject_cast<QComboBox *>(dialog->settingEditor(QStringLiteral("format")));
        QVERIFY(format);
        QCOMPARE(format->currentText(), QStringLiteral("snapshot")); // the declared default
        choose(format, QStringLiteral("changes"));
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Exports"));
        typeInto(folder, QStringLiteral("exports/out"));
        const QString result = runDialogTest(dialog);
        QVERIFY2(result.contains(QStringLiteral("will be created on the first run")),
                 qPrintable(result));
        QVERIFY(!fs::exists(dir() / "exports"));
        screenshot(dialog, QStringLiteral("/tmp/sluice-connection-dialog-destination.png"));

        QSignalSpy loaded(m_page, &ConnectionsPage::connectionsLoaded);
        QPointer<ConnectionDialog> guard(dialog); // deleted on close
        clickOk(dialog);
        QTRY_VERIFY(!guard || !guard->isVisible());
        QTRY_VERIFY(loaded.count() >= 1);
        const int row = rowOf(QStringLiteral("Exports"));
        QVERIFY(row >= 0);
        QCOMPARE(m_page->list()->model()->index(row, 1).data().toString(),
                 QStringLiteral("Destination"));

        auto ws = Workspace::open(m_wsPath.toStdString());
        auto stored = ws->connectionByName("Exports");
        QVERIFY(stored);
        QCOMPARE(stored->role, ConnectionRole::Destination);
        // Every setting the form shows is stored, with the choices the user made.
        QCOMPARE(stored->settings.at("folder"), nlohmann::json("exports/out"));
        QCOMPARE(stored->settings.at("format"), nlohmann::json("changes"));
        QVERIFY(!fs::exists(dir() / "exports"));
    }

    void editWithEnter()
    {
        selectRow(QStringLiteral("Shop database"));
        auto ws = Workspace::open(m_wsPath.toStdString());
        const std::int64_t id = ws->connectionByName("Shop database")->id;
        m_page->list()->setFocus();
        QTest::keyClick(m_page->list(), Qt::Key_Return);
        ConnectionDialog *dialog = activeDialog();
        QVERIFY(dialog);
        QVERIFY(!dialog->roleCombo()->isEnabled());
        QCOMPARE(dialog->kindCombo()->currentData().toString(), QStringLiteral("sqlite"));
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("Shop database"));
        auto *path = qobject_cast<QLineEdit *>(dialog->settingEditor(QStringLiteral("path")));
        QCOMPARE(path->text(), QStringLiteral("shop.db")); // relative, as stored
        typeInto(dialog->nameEdit(), QStringLiteral("Shop DB"));

        QSignalSpy loaded(m_page, &ConnectionsPage::connectionsLoaded);
        QPointer<ConnectionDialog> guard(dialog); // deleted on close
        clickOk(dialog);
        QTRY_VERIFY(!guard || !guard->isVisible());
        QTRY_VERIFY(loaded.count() >= 1);
        QVERIFY(rowOf(QStringLiteral("Shop DB")) >= 0);
        QCOMPARE(rowOf(QStringLiteral("Shop database")), -1);
        auto stored = ws->connection(id);
        QVERIFY(stored);
        QCOMPARE(stored->name, std::string("Shop DB"));
        QCOMPARE(stored->settings, nlohmann::json({{"path", "shop.db"}}));
        QCOMPARE(ws->connections()->size(), std::size_t(2));
    }

    void testFromPage()
    {
        selectRow(QStringLiteral("Shop DB"));
        QSignalSpy done(m_page, &ConnectionsPage::testFinished);
        QSignalSpy status(m_page, &ConnectionsPage::statusMessage);
        QTest::mouseClick(findButton(m_page, tr("&Test")), Qt::LeftButton);
        QVERIFY(done.wait(5000));
        QCOMPARE(m_page->messageLabel()->text(), QStringLiteral("Shop DB: Connected: 2 tables."));
        QCOMPARE(status.last().at(0).toString(), m_page->messageLabel()->text());
        screenshot(m_page, QStringLiteral("/tmp/sluice-connections-page.png"));
    }

    void deleteUsedConnectionIsRefused()
    {
        auto ws = Workspace::open(m_wsPath.toStdString());
        ModelDef model;
        model.name = "customers";
        model.connectionId = ws->connectionByName("Shop DB")->id;
        model.table = "customers";
        model.primaryKey = "id";
        auto saved = ws->saveModel(model);
        QVERIFY2(saved, saved ? "" : saved.error().message.c_str());

        selectRow(QStringLiteral("Shop DB"));
        m_page->list()->setFocus();
        QSignalSpy done(m_page, &ConnectionsPage::deleteFinished);
        QTest::keyClick(m_page->list(), Qt::Key_Delete);
        answerDeleteBox(QMessageBox::Yes);
        QVERIFY(done.wait(5000));
        QVERIFY2(m_page->messageLabel()->text().contains(QStringLiteral("still used")),
                 qPrintable(m_page->messageLabel()->text()));
        QVERIFY(rowOf(QStringLiteral("Shop DB")) >= 0);
        QVERIFY(ws->connectionByName("Shop DB"));
        screenshot(m_page, QStringLiteral("/tmp/sluice-connections-page-refused.png"));
    }

    void deleteCancelledThenConfirmed()
    {
        selectRow(QStringLiteral("Exports"));
        QTest::mouseClick(findButton(m_page, tr("&Delete")), Qt::LeftButton);
        answerDeleteBox(QMessageBox::No);
        QTRY_VERIFY(!m_page->findChild<QMessageBox *>());
        QTest::qWait(50);
        QVERIFY(rowOf(QStringLiteral("Exports")) >= 0);

        QSignalSpy loaded(m_page, &ConnectionsPage::connectionsLoaded);
        QTest::mouseClick(findButton(m_page, tr("&Delete")), Qt::LeftButton);
        answerDeleteBox(QMessageBox::Yes);
        QTRY_VERIFY(loaded.count() >= 1);
        QCOMPARE(rowOf(QStringLiteral("Exports")), -1);
        auto ws = Workspace::open(m_wsPath.toStdString());
        QVERIFY(!ws->connectionByName("Exports"));
    }
};

QTEST_MAIN(TestConnections)
#include "testconnections.moc"

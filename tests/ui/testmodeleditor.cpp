// The model editor and the Models page, driven offscreen on the demo workspace: Ctrl+Enter
// runs the SQL into the lazy grid with a "rows 1–…" header that becomes exact, bad SQL shows
// the source's error and the next run clears it, the key check finds duplicates, export writes
// the CSV, save stores the model, and the page refuses to delete a model a sync uses.

#include "demo/demoworkspace.h"
#include "modeleditor.h"
#include "modelspage.h"
#include "oauthemulator.h"
#include "previewmodel.h"
#include "schematree.h"
#include "sheetsemulator.h"
#include "sources/sqlitesource.h"
#include "sqleditor.h"
#include "sqlhighlighter.h"
#include "testutil.h"
#include "workspace/workspace.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

using namespace sluice;

class TestModelEditor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_workspace;
    std::filesystem::path m_warehouse;

    // A ready editor on the demo workspace's warehouse.
    std::unique_ptr<ModelEditor> makeEditor()
    {
        auto editor = std::make_unique<ModelEditor>();
        editor->resize(1100, 720);
        editor->show();
        QSignalSpy schema(editor.get(), &ModelEditor::schemaLoaded);
        editor->setWorkspace(m_workspace);
        if (!schema.wait(10000))
            return nullptr;
        return editor;
    }

    static void runWithKeyboard(ModelEditor &editor, const QString &sql)
    {
        editor.sqlEditor()->setPlainText(sql);
        editor.sqlEditor()->setFocus();
        QTest::keyClick(editor.sqlEditor(), Qt::Key_Return, Qt::ControlModifier);
    }

    std::int64_t warehouseCount(const std::string &sql)
    {
        SqliteSource src(m_warehouse);
        return src.count(SourceQuery{sql, "", {}}).value();
    }

    // Answers the next message box with the button; returns its text through *text.
    static void answerMessageBox(QMessageBox::StandardButton button, QString *text)
    {
        QTimer::singleShot(50, [button, text]() {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box) {
                answerMessageBox(button, text);
                return;
            }
            if (text)
                *text = box->text();
            box->button(button)->click();
        });
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const std::filesystem::path path =
            std::filesystem::path(m_dir.path().toStdString()) / "demo" / "workspace.sluice";
        auto ws = Workspace::open(path);
        QVERIFY(ws);
        QVERIFY(setupDemoWorkspace(*ws));
        m_workspace = QString::fromStdString(path.string());
        auto conn = ws->connectionByName("Acme warehouse");
        QVERIFY(conn);
        m_warehouse = path.parent_path() / conn->settings.value("path", "");
        QVERIFY(std::filesystem::exists(m_warehouse));
    }

    void highlighterColoursTokens()
    {
        QTextDocument doc;
        SqlHighlighter highlighter(&doc, QApplication::palette());
        doc.setPlainText("SELECT 'it''s -- no', 42, \"select\" -- note\n/* a\nb */ FROM t");
        highlighter.rehighlight();
        auto formatAt = [&](int block, int pos) {
            for (const auto &r : doc.findBlockByNumber(block).layout()->formats())
                if (pos >= r.start && pos < r.start + r.length)
                    return r.format.foreground().color();
            return QColor();
        };
        QCOMPARE(formatAt(0, 0), highlighter.keywordFormat().foreground().color()); // SELECT
        QCOMPARE(formatAt(0, 8),
                 highlighter.stringFormat().foreground().color()); // inside the string
        QCOMPARE(formatAt(0, 16),
                 highlighter.stringFormat().foreground().color()); // "--" inside it
        QCOMPARE(formatAt(0, 22), highlighter.numberFormat().foreground().color()); // 42
        QVERIFY(formatAt(0, 27) !=
                highlighter.keywordFormat().foreground().color()); // "select" is a name
        QCOMPARE(formatAt(0, 36), highlighter.commentFormat().foreground().color()); // -- note
        QCOMPARE(formatAt(1, 0), highlighter.commentFormat().foreground().color());  // /* a
        QCOMPARE(formatAt(2, 0), highlighter.commentFormat().foreground().color());  // b */
        QCOMPARE(formatAt(2, 5),
                 highlighter.keywordFormat().foreground().color()); // FROM after the comment
        QVERIFY(highlighter.keywordFormat().foreground().color() !=
                highlighter.stringFormat().foreground().color());
        QVERIFY(highlighter.commentFormat().foreground().color() !=
                highlighter.numberFormat().foreground().color());
        // Colours follow the palette.
        QCOMPARE(highlighter.keywordFormat().foreground().color(),
                 QApplication::palette().color(QPalette::Link));
    }

    void ctrlEnterRunsAndHeaderBecomesExact()
    {
        auto editor = makeEditor();
        QVERIFY(editor);
        // No QAbstractItemModelTester here (testpreviewmodel has them): it fetches more on
        // every change, and this test checks that scrolling loads one page.
        QVERIFY(editor->schemaTree()->model()->rowCount() > 3);
        const QString sql = "SELECT * FROM contacts ORDER BY contact_id";
        const auto total = warehouseCount(sql.toStdString());
        QVERIFY(total > 500);
        runWithKeyboard(*editor, sql);
        QCOMPARE(editor->runButton()->text().remove('&'), QString("Stop"));
        QTRY_VERIFY_WITH_TIMEOUT(
            editor->headerText().startsWith(QString::fromUtf8("rows 1–500 of ")), 10000);
        const QString exact =
            QString::fromUtf8(" of %1 · ").arg(QLocale().toString(qlonglong(total)));
        QTRY_VERIFY2_WITH_TIMEOUT(editor->headerText().contains(exact),
                                  qPrintable(editor->headerText() + " / " + exact), 10000);
        QVERIFY(editor->headerText().endsWith(" ms"));
        QTRY_COMPARE_WITH_TIMEOUT(editor->runButton()->text().remove('&'), QString("Run"), 10000);
        // The key picker offers the result's columns.
        QVERIFY(editor->keyCombo()->findData("email") >= 0);

        // Scrolling the grid loads the next page.
        editor->resultView()->scrollToBottom();
        QTRY_COMPARE_WITH_TIMEOUT(editor->preview()->loadedRows(), qMin<qint64>(1000, total),
                                  10000);
        QTest::qWait(500); // and no more than that: the view asks once per scroll
        QCOMPARE(editor->preview()->loadedRows(), qMin<qint64>(1000, total));
        QTRY_VERIFY_WITH_TIMEOUT(editor->headerText().startsWith(
                                     QString::fromUtf8("rows 1–%1 of ")
                                         .arg(QLocale().toString(qMin<qlonglong>(1000, total)))),
                                 5000);

        editor->resultView()->scrollToTop();
        QApplication::processEvents();
        const QImage shot = editor->grab().toImage();
        QVERIFY(shot.save("/tmp/model-editor.png"));
    }

    void badSqlShowsErrorAndNextRunClearsIt()
    {
        auto editor = makeEditor();
        QVERIFY(editor);
        runWithKeyboard(*editor, "SELEC * FROM accounts");
        QTRY_VERIFY_WITH_TIMEOUT(!editor->messageText().isEmpty(), 10000);
        QVERIFY2(editor->messageText().contains("SQL has an error"),
                 qPrintable(editor->messageText()));
        QVERIFY(editor->messageText().contains("SELEC"));
        QTRY_COMPARE_WITH_TIMEOUT(editor->runButton()->text().remove('&'), QString("Run"), 5000);

        runWithKeyboard(*editor, "SELECT account_id FROM accounts");
        QVERIFY(editor->messageText().isEmpty()); // cleared as the run starts
        QTRY_VERIFY_WITH_TIMEOUT(editor->headerText().startsWith(QString::fromUtf8("rows 1–")),
                                 10000);
        QVERIFY(editor->messageText().isEmpty());
    }

    void stopButtonStopsALongQuery()
    {
        auto editor = makeEditor();
        QVERIFY(editor);
        // Endless: rows come at once, the count never finishes.
        runWithKeyboard(*editor, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
                                 "SELECT x FROM c");
        QTRY_VERIFY_WITH_TIMEOUT(editor->preview()->hasResult(), 10000);
        QCOMPARE(editor->runButton()->text().remove('&'), QString("Stop"));
        QVERIFY(editor->headerText().contains(QString::fromUtf8("of ≥ 500")));
        QTest::mouseClick(editor->runButton(), Qt::LeftButton);
        QCOMPARE(editor->runButton()->text().remove('&'), QString("Run"));
        QVERIFY(editor->headerText().contains("stopped"));
        QCOMPARE(editor->preview()->loadedRows(), 500);
    }

    void schemaDoubleClickInsertsQuotedName()
    {
        auto editor = makeEditor();
        QVERIFY(editor);
        editor->sqlEditor()->setPlainText("SELECT * FROM ");
        QTextCursor cursor = editor->sqlEditor()->textCursor();
        cursor.movePosition(QTextCursor::End);
        editor->sqlEditor()->setTextCursor(cursor);
        auto *tree = editor->schemaTree();
        QModelIndex accounts;
        for (int r = 0; r < tree->model()->rowCount(); ++r)
            if (tree->model()->index(r, 0).data().toString() == "accounts")
                accounts = tree->model()->index(r, 0);
        QVERIFY(accounts.isValid());
        QVERIFY(tree->model()->rowCount(accounts) > 2); // its columns
        tree->scrollTo(accounts);
        const QPoint at = tree->visualRect(accounts).center();
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(editor->sqlEditor()->toPlainText(), QString("SELECT * FROM \"accounts\""));
    }

    void checkKeyReportsDuplicates()
    {
        auto editor = makeEditor();
        QVERIFY(editor);
        runWithKeyboard(*editor, "SELECT plan, account_id FROM accounts");
        QTRY_VERIFY_WITH_TIMEOUT(editor->keyCombo()->findData("plan") >= 0, 10000);
        editor->keyCombo()->setCurrentIndex(editor->keyCombo()->findData("plan"));
        QSignalSpy done(editor.get(), &ModelEditor::keyCheckFinished);
        QPushButton *check = nullptr;
        for (auto *b : editor->findChildren<QPushButton *>())
            if (b->text().remove('&') == "Check key")
                check = b;
        QVERIFY(check);
        QTest::mouseClick(check, Qt::LeftButton);
        QVERIFY(done.wait(10000));
        const QString verdict = editor->keyVerdictText();
        QVERIFY2(verdict.contains("cannot be the key") && verdict.contains("repeat"),
                 qPrintable(verdict));
        QVERIFY(verdict.contains("free") || verdict.contains("starter"));

        editor->keyCombo()->setCurrentIndex(editor->keyCombo()->findData("account_id"));
        editor->checkKey();
        QVERIFY(done.wait(10000));
        QVERIFY2(editor->keyVerdictText().contains("unique"), qPrintable(editor->keyVerdictText()));
    }

    void exportWritesTheCsv()
    {
        auto editor = makeEditor();
        QVERIFY(editor);
        editor->sqlEditor()->setPlainText(
            "SELECT account_id, name, plan FROM accounts ORDER BY account_id LIMIT 4");
        const QString path = m_dir.filePath("export.csv");
        QSignalSpy done(editor.get(), &ModelEditor::exportFinished);
        editor->exportToFile(path);
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().at(0).toBool(), true);
        // Expected: the same rows read straight from the warehouse.
        SqliteSource src(m_warehouse);
        auto stream =
            src.open(SourceQuery{"SELECT account_id, name, plan FROM accounts ORDER BY account_id "
                                 "LIMIT 4",
                                 "",
                                 {}})
                .value();
        std::string expected = "account_id,name,plan\n";
        Row row;
        while (stream->next(row).value())
            expected +=
                row[0].toString() + "," + row[1].toString() + "," + row[2].toString() + "\n";
        QCOMPARE(test::readFile(path.toStdString()), expected);

        // A failing export reports the error and keeps the file.
        editor->sqlEditor()->setPlainText("SELECT nope FROM accounts");
        done.clear();
        editor->exportToFile(path);
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().at(0).toBool(), false);
        QVERIFY(editor->messageText().contains("nope"));
        QCOMPARE(test::readFile(path.toStdString()), expected);
    }

    // Export… to Google Sheets: offered once a Google Sheets connection exists; a new
    // spreadsheet, then a new tab in it, hold the model's rows (the Sheets and OAuth emulators
    // stand in for Google).
    void exportsToGoogleSheets()
    {
        using sluice::emu::EmulatorServer;
        using sluice::emu::OAuthEmulator;
        using sluice::emu::SheetsEmulator;
        qputenv("no_proxy", "127.0.0.1,localhost");
        EmulatorServer oauth(std::make_unique<OAuthEmulator>());
        auto emulator = std::make_unique<SheetsEmulator>();
        emulator->setTokenValidator([&oauth](const std::string &token) {
            return oauth.inspect<OAuthEmulator>(
                       [&](OAuthEmulator &e) { return e.isValidAccessToken(token); })
                       ? std::string(OAuthEmulator::kServiceAccount)
                       : std::string();
        });
        EmulatorServer sheets(std::move(emulator));
        const std::string reports = sheets.inspect<SheetsEmulator>([](SheetsEmulator &e) {
            return e.addSpreadsheet("Reports", OAuthEmulator::kServiceAccount);
        });
        const std::filesystem::path key = m_dir.filePath("google-key.json").toStdString();
        test::writeFile(key, oauth.inspect<OAuthEmulator>([&](OAuthEmulator &e) {
            return e.serviceAccountKeyFile(oauth.baseUrl() + "/token");
        }));

        auto editor = makeEditor();
        QVERIFY(editor);
        auto *action = editor->findChild<QAction *>("exportSheetsAction");
        QVERIFY(action);
        QVERIFY(!action->isEnabled()); // no Google Sheets connection yet

        std::int64_t connectionId = 0;
        {
            auto ws = Workspace::open(m_workspace.toStdString()).value();
            ConnectionDef google;
            google.name = "Google (emulator)";
            google.role = ConnectionRole::Destination;
            google.kind = "google_sheets";
            google.settings = {{"key_file", key.string()},
                               {"spreadsheet_id", reports},
                               {"base_url", sheets.baseUrl()}};
            auto saved = ws.saveConnection(google);
            QVERIFY2(saved, saved ? "" : saved.error().message.c_str());
            connectionId = *saved;
        }
        editor = makeEditor();
        QVERIFY(editor);
        action = editor->findChild<QAction *>("exportSheetsAction");
        QVERIFY(action->isEnabled());

        editor->nameEdit()->setText("Accounts");
        editor->sqlEditor()->setPlainText(
            "SELECT account_id, name, plan FROM accounts ORDER BY account_id LIMIT 4");
        QSignalSpy done(editor.get(), &ModelEditor::exportFinished);
        QSignalSpy status(editor.get(), &ModelEditor::statusMessage);
        editor->exportToSheets(connectionId, QString(), "Accounts");
        QVERIFY(done.wait(15000));
        QVERIFY2(done.first().at(0).toBool(), qPrintable(editor->messageText()));
        QVERIFY(status.last().at(0).toString().contains("Exported 4 rows"));
        auto ids =
            sheets.inspect<SheetsEmulator>([](SheetsEmulator &e) { return e.spreadsheetIds(); });
        QCOMPARE(ids.size(), std::size_t(2)); // the connection's, and the new one
        std::erase(ids, reports);
        auto values = sheets.inspect<SheetsEmulator>(
            [&](SheetsEmulator &e) { return e.values(ids[0], "Accounts"); });
        QCOMPARE(values.size(), std::size_t(5)); // header + 4 rows
        QCOMPARE(values[0][1], nlohmann::json("name"));

        // A new tab in the connection's spreadsheet.
        done.clear();
        editor->exportToSheets(connectionId, QString::fromStdString(reports), "Plans");
        QVERIFY(done.wait(15000));
        QVERIFY2(done.first().at(0).toBool(), qPrintable(editor->messageText()));
        values = sheets.inspect<SheetsEmulator>(
            [&](SheetsEmulator &e) { return e.values(reports, "Plans"); });
        QCOMPARE(values.size(), std::size_t(5));

        // Bad SQL: a plain error, nothing new in Google Sheets.
        editor->sqlEditor()->setPlainText("SELECT nope FROM accounts");
        done.clear();
        editor->exportToSheets(connectionId, QString::fromStdString(ids[0]), "Broken");
        QVERIFY(done.wait(15000));
        QCOMPARE(done.first().at(0).toBool(), false);
        QVERIFY(editor->messageText().contains("nope"));

        auto ws = Workspace::open(m_workspace.toStdString()).value();
        QVERIFY(ws.removeConnection(connectionId).has_value());
    }

    void saveStoresTheModelAndShowsValidationErrors()
    {
        auto editor = makeEditor();
        QVERIFY(editor);
        editor->nameEdit()->setText("Enterprise accounts");
        runWithKeyboard(*editor, "SELECT account_id, name FROM accounts WHERE plan = 'enterprise'");
        QTRY_VERIFY_WITH_TIMEOUT(editor->keyCombo()->findData("account_id") >= 0, 10000);
        // No key yet: the workspace refuses, the editor says why.
        editor->keyCombo()->setCurrentIndex(0);
        QTest::keyClick(editor->sqlEditor(), Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(editor->messageText().contains("primary key"), 5000);

        editor->keyCombo()->setCurrentIndex(editor->keyCombo()->findData("account_id"));
        QSignalSpy saved(editor.get(), &ModelEditor::saved);
        QTest::keyClick(editor->sqlEditor(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY(saved.wait(5000));
        QVERIFY(editor->messageText().isEmpty());
        QVERIFY(!editor->isModified());
        auto ws = Workspace::open(m_workspace.toStdString());
        auto model = ws->modelByName("Enterprise accounts");
        QVERIFY(model);
        QCOMPARE(model->primaryKey, std::string("account_id"));
        QCOMPARE(model->id, saved.first().at(0).toLongLong());
        QVERIFY(model->sql.find("enterprise") != std::string::npos);
        QVERIFY(ws->removeModel(model->id));
    }

    void modelsPageListsAndRefusesToDeleteAModelInUse()
    {
        ModelsPage page;
        page.resize(1400, 800);
        page.show();
        QSignalSpy loaded(&page, &ModelsPage::modelsLoaded);
        page.setWorkspace(m_workspace);
        QVERIFY(loaded.wait(10000));
        auto *list = page.list();
        QCOMPARE(list->model()->rowCount(), 3);
        QCOMPARE(list->model()->headerData(2, Qt::Horizontal).toString(), QString("Primary key"));
        // The first model is in the editor.
        const QString first = list->model()->index(0, 0).data().toString();
        QCOMPARE(QString::fromStdString(page.editor()->definition().name), first);
        QCOMPARE(list->model()->index(0, 1).data().toString(), QString("Acme warehouse"));

        // Every demo model is used by a demo sync: the workspace's message is shown.
        QString question, warning;
        answerMessageBox(QMessageBox::Yes, &question);
        QTimer::singleShot(400, [&] { answerMessageBox(QMessageBox::Ok, &warning); });
        page.deleteModel();
        QVERIFY(question.contains(first));
        QTRY_VERIFY_WITH_TIMEOUT(warning.contains("still used by a sync"), 5000);
        QCOMPARE(list->model()->rowCount(), 3);

        // The selected model previews, for the screenshot.
        QTRY_VERIFY_WITH_TIMEOUT(page.editor()->schemaTree()->model()->rowCount() > 3, 10000);
        page.editor()->run();
        QTRY_VERIFY_WITH_TIMEOUT(page.editor()->headerText().contains(" of "), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!page.editor()->preview()->isBusy(), 10000);
        QVERIFY(page.grab().toImage().save("/tmp/models-page.png"));

        // Ctrl+N starts an empty model on the first source.
        QApplication::setActiveWindow(&page);
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QTest::keyClick(list, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(page.editor()->definition().name, std::string());
        QVERIFY(page.editor()->definition().connectionId > 0);
    }
};

QTEST_MAIN(TestModelEditor)
#include "testmodeleditor.moc"

#pragma once
// Edits one model: its name, source connection, SQL (or table) and primary key, with a schema
// browser, a lazily loaded preview of the result, a key check and a CSV export. Everything
// that touches the source or the workspace runs in the background and can be stopped.

#include "workspace/definitions.h"

#include <QWidget>

#include <functional>
#include <memory>

class QAction;
class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QTableView;

namespace sluice {

class CancelToken;
class Source;
struct SourceQuery;
class PreviewModel;
class SchemaTree;
class SqlEditor;

class ModelEditor : public QWidget
{
    Q_OBJECT

public:
    explicit ModelEditor(QWidget *parent = nullptr);
    ~ModelEditor() override;

    // Loads the workspace's source connections in the background.
    void setWorkspace(const QString &workspacePath);
    // When the caller has loaded the connections already (only sources are offered).
    void setContext(const QString &workspacePath, const std::vector<ConnectionDef> &connections);
    // Shows this model (id 0: a new one). Stops whatever the previous one was running.
    void setModel(const ModelDef &model);
    ModelDef definition() const;
    bool isModified() const;

    // Widgets and state for tests and the page around it.
    SqlEditor *sqlEditor() const { return m_sql; }
    QLineEdit *nameEdit() const { return m_name; }
    PreviewModel *preview() const { return m_preview; }
    QTableView *resultView() const { return m_results; }
    SchemaTree *schemaTree() const { return m_schema; }
    QComboBox *keyCombo() const { return m_keyCombo; }
    QComboBox *connectionCombo() const { return m_connectionCombo; }
    QPushButton *runButton() const { return m_runButton; }
    QString headerText() const;
    QString messageText() const;
    QString keyVerdictText() const;

public slots:
    // Runs the preview, or stops it when it is running (the Run button turns into Stop).
    void runOrStop();
    void run();
    void stop();
    void checkKey();
    // Asks for a file name, then exports.
    void exportCsv();
    void exportToFile(const QString &path);
    // Asks for a Google Sheets connection, spreadsheet and tab, then exports.
    void exportSheets();
    // An empty spreadsheet creates a new one; the tab is created or its values replaced.
    void exportToSheets(std::int64_t connectionId, const QString &spreadsheet, const QString &tab);
    void save();

signals:
    void saved(qint64 modelId);
    void statusMessage(const QString &text);
    void workspaceEdited();
    void schemaLoaded();
    void keyCheckFinished();
    void exportFinished(bool ok);

private:
    void buildUi();
    void loadSchema();
    void connectionChanged();
    void updateHeader();
    void updateButtons();
    void updateKeyColumns();
    void showMessage(const QString &text, bool error);
    void clearMessage();
    const ConnectionDef *currentConnection() const;
    std::string currentTable() const;

    QString m_workspacePath;
    std::vector<ConnectionDef> m_connections;
    ModelDef m_loaded;
    quint64 m_schemaGeneration = 0;
    std::shared_ptr<CancelToken> m_keyCancel;
    std::shared_ptr<CancelToken> m_exportCancel;
    std::vector<ConnectionDef> m_sheetsConnections; // where Export… can send rows
    // Reads the model's rows from the source and writes them somewhere; the message says where.
    using ExportJob = std::function<Result<QString>(Source &, const SourceQuery &, CancelToken *,
                                                    const std::function<void(std::int64_t)> &)>;
    void runExport(const QString &title, const QString &label, ExportJob job);
    bool m_saving = false;

    QLineEdit *m_name;
    QComboBox *m_connectionCombo;
    QLineEdit *m_description;
    QRadioButton *m_sqlMode;
    QRadioButton *m_tableMode;
    QButtonGroup *m_modeGroup;
    QStackedWidget *m_queryStack;
    SqlEditor *m_sql;
    QComboBox *m_tableCombo;
    SchemaTree *m_schema;
    QWidget *m_messageBox;
    QLabel *m_messageIcon;
    QLabel *m_message;
    QPushButton *m_runButton;
    QLabel *m_header;
    QPushButton *m_exportButton;
    QAction *m_exportSheetsAction;
    QTableView *m_results;
    PreviewModel *m_preview;
    QComboBox *m_keyCombo;
    QPushButton *m_checkKeyButton;
    QLabel *m_keyVerdict;
    QPushButton *m_saveButton;
};

} // namespace sluice

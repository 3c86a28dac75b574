#include "modeleditor.h"

#include "asyncjob.h"
#include "destinations/destinationregistry.h"
#include "destinations/googlesheetsdestination.h"
#include "destinations/googlesheetsexport.h"
#include "engine/csvexport.h"
#include "engine/keycheck.h"
#include "previewmodel.h"
#include "schematree.h"
#include "secrets/secretsettings.h"
#include "sources/sourceregistry.h"
#include "sqleditor.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QButtonGroup>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>

namespace sluice {

namespace {

PreviewModel::SourceFactory factoryFor(const ConnectionDef &connection,
                                       const QString &workspacePath)
{
    const std::filesystem::path base =
        std::filesystem::path(workspacePath.toStdString()).parent_path();
    return [connection, base]() {
        return createSource(connection.kind, connection.settings, DriverContext{base});
    };
}

QString number(std::int64_t n)
{
    return QLocale().toString(static_cast<qlonglong>(n));
}

} // namespace

ModelEditor::ModelEditor(QWidget *parent) : QWidget(parent), m_preview(new PreviewModel(this))
{
    buildUi();
    connect(m_preview, &PreviewModel::busyChanged, this, [this] {
        updateButtons();
        updateHeader();
    });
    connect(m_preview, &PreviewModel::resultReady, this, [this] {
        updateKeyColumns();
        m_results->resizeColumnsToContents();
        for (int c = 0; c < m_preview->columnCount(); ++c)
            m_results->setColumnWidth(c, qMin(m_results->columnWidth(c), 320));
    });
    connect(m_preview, &PreviewModel::pageLoaded, this, &ModelEditor::updateHeader);
    connect(m_preview, &PreviewModel::countKnown, this, &ModelEditor::updateHeader);
    connect(m_preview, &PreviewModel::errorOccurred, this, [this](const QString &message) {
        showMessage(message, true);
        updateHeader();
    });
    setModel(ModelDef{});
}

ModelEditor::~ModelEditor()
{
    if (m_keyCancel)
        m_keyCancel->cancel();
    if (m_exportCancel)
        m_exportCancel->cancel();
}

void ModelEditor::buildUi()
{
    m_name = new QLineEdit;
    m_name->setPlaceholderText(tr("e.g. Active customers"));
    m_connectionCombo = new QComboBox;
    m_connectionCombo->setMinimumContentsLength(16);
    m_description = new QLineEdit;
    m_description->setPlaceholderText(tr("What the rows are, for your colleagues"));

    m_sqlMode = new QRadioButton(tr("&SQL query"));
    m_tableMode = new QRadioButton(tr("Whole &table:"));
    m_modeGroup = new QButtonGroup(this);
    m_modeGroup->addButton(m_sqlMode, 0);
    m_modeGroup->addButton(m_tableMode, 1);
    m_sqlMode->setChecked(true);
    m_tableCombo = new QComboBox;
    m_tableCombo->setMinimumContentsLength(20);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    auto *sourceRow = new QHBoxLayout;
    sourceRow->addWidget(m_connectionCombo, 1);
    sourceRow->addSpacing(12);
    sourceRow->addWidget(m_sqlMode);
    sourceRow->addWidget(m_tableMode);
    sourceRow->addWidget(m_tableCombo, 1);
    auto *sourceLabel = new QLabel(tr("S&ource:"));
    sourceLabel->setBuddy(m_connectionCombo);
    form->addRow(sourceLabel, sourceRow);
    form->addRow(tr("&Description:"), m_description);

    m_sql = new SqlEditor;
    m_queryStack = new QStackedWidget;
    m_queryStack->addWidget(m_sql);
    auto *tableHint = new QLabel(tr("The model reads every row of the chosen table. Switch to "
                                    "\"SQL query\" to filter, join or rename columns."));
    tableHint->setWordWrap(true);
    tableHint->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    tableHint->setMargin(8);
    m_queryStack->addWidget(tableHint);

    m_schema = new SchemaTree;
    auto *schemaPanel = new QWidget;
    auto *schemaLayout = new QVBoxLayout(schemaPanel);
    schemaLayout->setContentsMargins(0, 0, 0, 0);
    auto *schemaLabel = new QLabel(tr("Tables and columns"));
    schemaLabel->setBuddy(m_schema);
    schemaLayout->addWidget(schemaLabel);
    schemaLayout->addWidget(m_schema);

    m_messageIcon = new QLabel;
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_messageIcon->setPixmap(
        style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(iconSize, iconSize));
    m_messageIcon->setAlignment(Qt::AlignTop);
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageBox = new QWidget;
    auto *messageLayout = new QHBoxLayout(m_messageBox);
    messageLayout->setContentsMargins(4, 4, 4, 4);
    messageLayout->addWidget(m_messageIcon);
    messageLayout->addWidget(m_message, 1);
    m_messageBox->setAutoFillBackground(true);
    m_messageBox->setBackgroundRole(QPalette::AlternateBase);
    m_messageBox->hide();

    m_runButton = new QPushButton(tr("&Run"));
    m_runButton->setToolTip(tr("Run the query and preview its rows (Ctrl+Enter)"));
    m_header = new QLabel;
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportButton = new QPushButton(tr("E&xport"));
    m_exportButton->setToolTip(tr("Write every row of the model to a CSV file or Google Sheets"));
    auto *exportMenu = new QMenu(m_exportButton);
    exportMenu->addAction(tr("To a &CSV file…"), this, &ModelEditor::exportCsv);
    m_exportSheetsAction =
        exportMenu->addAction(tr("To &Google Sheets…"), this, &ModelEditor::exportSheets);
    m_exportSheetsAction->setObjectName("exportSheetsAction");
    m_exportButton->setMenu(exportMenu);
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_runButton);
    runRow->addWidget(m_header, 1);
    runRow->addWidget(m_exportButton);

    m_results = new QTableView;
    m_results->setModel(m_preview);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setAlternatingRowColors(true);
    m_results->verticalHeader()->setDefaultSectionSize(m_results->fontMetrics().height() + 6);
    m_results->setWordWrap(false);

    m_keyCombo = new QComboBox;
    m_keyCombo->setMinimumContentsLength(14);
    m_keyCombo->setToolTip(tr("The column that identifies each row; syncs match records by it"));
    m_checkKeyButton = new QPushButton(tr("Check &key"));
    m_checkKeyButton->setToolTip(
        tr("Read every row and check the key is never empty and never repeats"));
    m_keyVerdict = new QLabel;
    m_keyVerdict->setWordWrap(true);
    m_keyVerdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_saveButton = new QPushButton(tr("&Save"));
    m_saveButton->setToolTip(tr("Save the model (Ctrl+S)"));
    auto *keyRow = new QHBoxLayout;
    auto *keyLabel = new QLabel(tr("&Primary key:"));
    keyLabel->setBuddy(m_keyCombo);
    keyRow->addWidget(keyLabel);
    keyRow->addWidget(m_keyCombo);
    keyRow->addWidget(m_checkKeyButton);
    keyRow->addWidget(m_keyVerdict, 1);
    keyRow->addWidget(m_saveButton);

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_queryStack, 1);
    topLayout->addWidget(m_messageBox);
    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addLayout(runRow);
    bottomLayout->addWidget(m_results, 1);
    auto *vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 2);
    vertical->setStretchFactor(1, 3);
    vertical->setChildrenCollapsible(false);
    auto *horizontal = new QSplitter(Qt::Horizontal);
    horizontal->addWidget(schemaPanel);
    horizontal->addWidget(vertical);
    horizontal->setStretchFactor(0, 1);
    horizontal->setStretchFactor(1, 4);
    horizontal->setChildrenCollapsible(false);
    horizontal->setSizes({220, 780}); // room for names like support_tickets

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(horizontal, 1);
    layout->addLayout(keyRow);

    connect(m_sql, &SqlEditor::runRequested, this, &ModelEditor::run);
    connect(m_runButton, &QPushButton::clicked, this, &ModelEditor::runOrStop);
    connect(m_checkKeyButton, &QPushButton::clicked, this, &ModelEditor::checkKey);
    connect(m_saveButton, &QPushButton::clicked, this, &ModelEditor::save);
    connect(m_schema, &SchemaTree::nameActivated, this, [this](const QString &name) {
        if (m_sqlMode->isChecked())
            m_sql->insertAtCursor(name);
    });
    connect(m_connectionCombo, &QComboBox::currentIndexChanged, this,
            &ModelEditor::connectionChanged);
    connect(m_modeGroup, &QButtonGroup::idToggled, this, [this](int id, bool on) {
        if (!on)
            return;
        m_queryStack->setCurrentIndex(id);
        m_tableCombo->setEnabled(id == 1);
    });
    m_tableCombo->setEnabled(false);
    connect(m_keyCombo, &QComboBox::currentIndexChanged, this, [this] { m_keyVerdict->clear(); });

    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    saveShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(saveShortcut, &QShortcut::activated, this, &ModelEditor::save);
    // Ctrl+Enter runs from anywhere in the editor, not only the SQL text (F5 is the window's
    // Refresh: the same key here would make both ambiguous).
    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *runShortcut = new QShortcut(keys, this);
        runShortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(runShortcut, &QShortcut::activated, this, &ModelEditor::run);
    }
    auto *stopShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    stopShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(stopShortcut, &QShortcut::activated, this, &ModelEditor::stop);
}

void ModelEditor::setWorkspace(const QString &workspacePath)
{
    m_workspacePath = workspacePath;
    const std::filesystem::path path = workspacePath.toStdString();
    runThenCallback(
        this,
        [path]() -> Result<std::vector<ConnectionDef>> {
            auto ws = Workspace::open(path);
            if (!ws)
                return std::unexpected(ws.error());
            return ws->connections();
        },
        [this, workspacePath](Result<std::vector<ConnectionDef>> result) {
            if (workspacePath != m_workspacePath)
                return;
            if (!result) {
                showMessage(QString::fromStdString(result.error().message), true);
                return;
            }
            setContext(workspacePath, *result);
        });
}

void ModelEditor::setContext(const QString &workspacePath,
                             const std::vector<ConnectionDef> &connections)
{
    m_workspacePath = workspacePath;
    m_connections.clear();
    m_sheetsConnections.clear();
    for (const ConnectionDef &c : connections) {
        if (c.role == ConnectionRole::Source)
            m_connections.push_back(c);
        else if (c.kind == "google_sheets")
            m_sheetsConnections.push_back(c);
    }
    m_exportSheetsAction->setEnabled(!m_sheetsConnections.empty());
    m_exportSheetsAction->setToolTip(
        m_sheetsConnections.empty() ? tr("Add a Google Sheets connection first") : QString());
    const QSignalBlocker blocker(m_connectionCombo);
    m_connectionCombo->clear();
    for (const ConnectionDef &c : m_connections)
        m_connectionCombo->addItem(QString::fromStdString(c.name), QVariant::fromValue(c.id));
    m_connectionCombo->setCurrentIndex(m_connectionCombo->findData(QVariant::fromValue(
        m_loaded.connectionId
            ? m_loaded.connectionId
            : (m_connections.empty() ? std::int64_t(0) : m_connections.front().id))));
    loadSchema();
}

void ModelEditor::setModel(const ModelDef &model)
{
    m_preview->clear();
    if (m_keyCancel)
        m_keyCancel->cancel();
    m_loaded = model;
    // Emptied so the pickers below start from this model's key and table, not the last one's.
    m_keyCombo->clear();
    m_tableCombo->clear();
    m_name->setText(QString::fromStdString(model.name));
    m_description->setText(QString::fromStdString(model.description));
    m_description->setCursorPosition(0); // show the start of a long description
    m_sql->setPlainText(QString::fromStdString(model.sql));
    const bool tableMode = model.sql.empty() && !model.table.empty();
    (tableMode ? m_tableMode : m_sqlMode)->setChecked(true);
    m_queryStack->setCurrentIndex(tableMode ? 1 : 0);
    m_tableCombo->setEnabled(tableMode);
    {
        const QSignalBlocker blocker(m_connectionCombo);
        const int index = m_connectionCombo->findData(QVariant::fromValue(model.connectionId));
        if (index >= 0 || model.connectionId != 0)
            m_connectionCombo->setCurrentIndex(index);
    }
    updateKeyColumns();
    m_keyVerdict->clear();
    clearMessage();
    updateHeader();
    updateButtons();
    loadSchema();
}

ModelDef ModelEditor::definition() const
{
    ModelDef m = m_loaded;
    m.name = m_name->text().trimmed().toStdString();
    m.description = m_description->text().trimmed().toStdString();
    const ConnectionDef *c = currentConnection();
    m.connectionId = c ? c->id : 0;
    if (m_sqlMode->isChecked()) {
        m.sql = m_sql->toPlainText().toStdString();
        m.table.clear();
    } else {
        m.sql.clear();
        m.table = currentTable();
    }
    m.primaryKey = m_keyCombo->currentData().toString().toStdString();
    return m;
}

bool ModelEditor::isModified() const
{
    const ModelDef now = definition();
    return now.name != m_loaded.name || now.description != m_loaded.description ||
           now.connectionId != m_loaded.connectionId || now.sql != m_loaded.sql ||
           now.table != m_loaded.table || now.primaryKey != m_loaded.primaryKey;
}

const ConnectionDef *ModelEditor::currentConnection() const
{
    const auto id = m_connectionCombo->currentData().value<std::int64_t>();
    for (const ConnectionDef &c : m_connections)
        if (c.id == id)
            return &c;
    return nullptr;
}

std::string ModelEditor::currentTable() const
{
    return m_tableCombo->currentData().toString().toStdString();
}

void ModelEditor::connectionChanged()
{
    m_preview->clear();
    updateHeader();
    loadSchema();
}

void ModelEditor::loadSchema()
{
    const quint64 generation = ++m_schemaGeneration;
    const ConnectionDef *c = currentConnection();
    const QString keepTable =
        QString::fromStdString(m_tableCombo->count() ? currentTable() : m_loaded.table);
    m_tableCombo->clear();
    if (!c) {
        m_schema->setMessage(m_connections.empty() ? tr("No source connection yet") : QString());
        if (!m_loaded.table.empty())
            m_tableCombo->addItem(QString::fromStdString(m_loaded.table),
                                  QString::fromStdString(m_loaded.table));
        return;
    }
    m_schema->setMessage(tr("Loading…"));
    auto factory = factoryFor(*c, m_workspacePath);
    runThenCallback(
        this,
        [factory]() -> Result<std::vector<TableInfo>> {
            auto source = factory();
            if (!source)
                return std::unexpected(source.error());
            return (*source)->tables();
        },
        [this, generation, keepTable](Result<std::vector<TableInfo>> result) {
            if (generation != m_schemaGeneration)
                return; // the connection changed meanwhile
            const QString wanted =
                keepTable.isEmpty() ? QString::fromStdString(m_loaded.table) : keepTable;
            m_tableCombo->clear();
            if (!result) {
                m_schema->setMessage(QString::fromStdString(result.error().message));
            } else {
                m_schema->setTables(*result);
                for (const TableInfo &t : *result)
                    m_tableCombo->addItem(QString::fromStdString(t.name),
                                          QString::fromStdString(t.name));
                m_schema->expandToDepth(-1);
                m_schema->collapseAll();
            }
            if (!wanted.isEmpty() && m_tableCombo->findData(wanted) < 0)
                m_tableCombo->addItem(wanted, wanted);
            m_tableCombo->setCurrentIndex(
                wanted.isEmpty() ? 0 : qMax(0, m_tableCombo->findData(wanted)));
            emit schemaLoaded();
        });
}

void ModelEditor::runOrStop()
{
    if (m_preview->isBusy())
        stop();
    else
        run();
}

void ModelEditor::run()
{
    clearMessage();
    m_keyVerdict->clear();
    const ConnectionDef *c = currentConnection();
    if (!c) {
        showMessage(tr("Choose a source connection first. Add one on the Connections page if "
                       "there is none."),
                    true);
        return;
    }
    const ModelDef m = definition();
    if (m.sql.find_first_not_of(" \t\r\n;") == std::string::npos && m.table.empty()) {
        showMessage(m_sqlMode->isChecked() ? tr("Write a SELECT query first.")
                                           : tr("Choose a table first."),
                    true);
        return;
    }
    m_preview->start(factoryFor(*c, m_workspacePath), SourceQuery{m.sql, m.table, std::nullopt});
    updateHeader();
    updateButtons();
}

void ModelEditor::stop()
{
    m_preview->stop();
    updateHeader();
    updateButtons();
}

QString ModelEditor::headerText() const
{
    return m_header->text();
}

QString ModelEditor::messageText() const
{
    return m_messageBox->isVisibleTo(const_cast<ModelEditor *>(this)) ? m_message->text()
                                                                      : QString();
}

QString ModelEditor::keyVerdictText() const
{
    return m_keyVerdict->text();
}

void ModelEditor::updateHeader()
{
    if (!m_preview->hasResult()) {
        if (m_preview->isLoading())
            m_header->setText(tr("Running…"));
        else if (m_preview->wasStopped())
            m_header->setText(tr("Stopped."));
        else
            m_header->setText(QString());
        return;
    }
    const std::int64_t loaded = m_preview->loadedRows();
    const QString ms = tr("%1 ms").arg(number(m_preview->firstPageMs()));
    if (loaded == 0) {
        m_header->setText(tr("no rows · %1").arg(ms));
        return;
    }
    QString total;
    if (auto n = m_preview->totalRows())
        total = number(*n);
    else if (m_preview->atEnd() && !m_preview->limitReached() &&
             m_preview->errorMessage().isEmpty())
        total = number(loaded);
    else
        total = tr("≥ %1").arg(number(loaded));
    QString text = tr("rows 1–%1 of %2 · %3").arg(number(loaded), total, ms);
    if (m_preview->limitReached())
        text += tr(" · the preview stops at %1 rows").arg(number(m_preview->maxRows()));
    else if (m_preview->wasStopped())
        text += tr(" · stopped");
    else if (m_preview->isBusy() && !m_preview->isLoading())
        text += tr(" · counting…");
    m_header->setText(text);
}

void ModelEditor::updateButtons()
{
    const bool busy = m_preview->isBusy();
    m_runButton->setText(busy ? tr("S&top") : tr("&Run"));
    m_runButton->setToolTip(busy ? tr("Stop the query (Esc)")
                                 : tr("Run the query and preview its rows (Ctrl+Enter)"));
    m_checkKeyButton->setText(m_keyCancel ? tr("Stop chec&k") : tr("Check &key"));
    m_saveButton->setEnabled(!m_saving);
}

void ModelEditor::updateKeyColumns()
{
    const QString keep = m_keyCombo->count() ? m_keyCombo->currentData().toString()
                                             : QString::fromStdString(m_loaded.primaryKey);
    const QSignalBlocker blocker(m_keyCombo);
    m_keyCombo->clear();
    m_keyCombo->addItem(tr("(none)"), QString());
    for (const Column &c : m_preview->sourceColumns())
        m_keyCombo->addItem(QString::fromStdString(c.name), QString::fromStdString(c.name));
    if (!keep.isEmpty() && m_keyCombo->findData(keep) < 0)
        m_keyCombo->addItem(keep, keep);
    m_keyCombo->setCurrentIndex(qMax(0, m_keyCombo->findData(keep)));
}

void ModelEditor::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_messageIcon->setVisible(error);
    m_messageBox->setVisible(!text.isEmpty());
}

void ModelEditor::clearMessage()
{
    showMessage(QString(), false);
}

void ModelEditor::checkKey()
{
    if (m_keyCancel) { // the button reads "Stop check"
        m_keyCancel->cancel();
        return;
    }
    const ConnectionDef *c = currentConnection();
    const std::string key = m_keyCombo->currentData().toString().toStdString();
    if (!c || key.empty()) {
        m_keyVerdict->setText(!c ? tr("Choose a source connection first.")
                                 : tr("Choose the key column first."));
        return;
    }
    const ModelDef m = definition();
    auto cancel = std::make_shared<CancelToken>();
    m_keyCancel = cancel;
    m_keyVerdict->setText(tr("Checking every row…"));
    updateButtons();
    auto factory = factoryFor(*c, m_workspacePath);
    const SourceQuery query{m.sql, m.table, std::nullopt};
    runThenCallback(
        this,
        [factory, query, key, cancel]() -> Result<KeyCheckResult> {
            auto source = factory();
            if (!source)
                return std::unexpected(source.error());
            return checkPrimaryKey(**source, query, key, cancel.get());
        },
        [this, cancel, key](Result<KeyCheckResult> result) {
            if (m_keyCancel == cancel)
                m_keyCancel.reset();
            updateButtons();
            const QString name = QString::fromStdString(key);
            if (!result) {
                m_keyVerdict->setText(result.error().kind == ErrorKind::Cancelled
                                          ? tr("Key check stopped.")
                                          : QString::fromStdString(result.error().message));
            } else if (result->ok()) {
                m_keyVerdict->setText(tr("✓ %1 is filled in and unique in all %2 rows.")
                                          .arg(name, number(result->rows)));
            } else {
                QStringList problems;
                if (result->missingKeys > 0) {
                    QStringList rows;
                    for (std::int64_t r : result->missingExamples)
                        rows << number(r);
                    problems << tr("%1 rows have no %2 (rows %3)")
                                    .arg(number(result->missingKeys), name,
                                         rows.join(QStringLiteral(", ")));
                }
                if (result->duplicateRows > 0) {
                    QStringList keys;
                    for (const std::string &k : result->duplicateExamples)
                        keys << QString::fromStdString(k);
                    problems << tr("%1 rows repeat a %2 already used (e.g. %3)")
                                    .arg(number(result->duplicateRows), name,
                                         keys.join(QStringLiteral(", ")));
                }
                m_keyVerdict->setText(
                    tr("✗ %1 cannot be the key: %2 (of %3 rows). Pick another column or fix the "
                       "query.")
                        .arg(name, problems.join(tr("; ")), number(result->rows)));
            }
            emit keyCheckFinished();
        });
}

void ModelEditor::exportCsv()
{
    QString suggested = m_name->text().trimmed();
    if (suggested.isEmpty())
        suggested = tr("model");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export to CSV"), suggested + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportToFile(path);
}

void ModelEditor::exportToFile(const QString &path)
{
    const std::filesystem::path target = path.toStdString();
    runExport(tr("Export to CSV"), tr("Exporting rows to %1…").arg(path),
              [target](Source &source, const SourceQuery &query, CancelToken *cancel,
                       const std::function<void(std::int64_t)> &progress) -> Result<QString> {
                  auto rows =
                      exportToCsv(source, query, target, CsvWriteOptions{}, cancel, progress);
                  if (!rows)
                      return std::unexpected(rows.error());
                  return ModelEditor::tr("Exported %1 rows to %2.")
                      .arg(number(*rows), QString::fromStdString(target.string()));
              });
}

void ModelEditor::exportSheets()
{
    if (m_sheetsConnections.empty())
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Export to Google Sheets"));
    auto *connection = new QComboBox;
    for (const ConnectionDef &c : m_sheetsConnections)
        connection->addItem(QString::fromStdString(c.name), QVariant::fromValue(c.id));
    auto *spreadsheet = new QLineEdit;
    spreadsheet->setPlaceholderText(tr("Empty: a new spreadsheet"));
    // The connection's own spreadsheet is the likely target: a new tab in it.
    const auto showSpreadsheetOf = [this, spreadsheet](int index) {
        if (index < 0)
            return;
        const auto &settings = m_sheetsConnections.at(static_cast<std::size_t>(index)).settings;
        const auto id = settings.find("spreadsheet_id");
        spreadsheet->setText(id != settings.end() && id->is_string()
                                 ? QString::fromStdString(id->get<std::string>())
                                 : QString());
    };
    showSpreadsheetOf(0);
    connect(connection, &QComboBox::currentIndexChanged, &dialog, showSpreadsheetOf);
    spreadsheet->setToolTip(tr("The address or id of a spreadsheet the connection's account can "
                               "edit; leave it empty to create a new one"));
    auto *tab =
        new QLineEdit(m_name->text().trimmed().isEmpty() ? tr("Sheet1") : m_name->text().trimmed());
    tab->setToolTip(tr("A new tab is created; an existing tab's values are replaced"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Connection:"), connection);
    form->addRow(tr("&Spreadsheet:"), spreadsheet);
    form->addRow(tr("&Tab:"), tab);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    exportToSheets(connection->currentData().toLongLong(), spreadsheet->text().trimmed(),
                   tab->text().trimmed());
}

void ModelEditor::exportToSheets(std::int64_t connectionId, const QString &spreadsheet,
                                 const QString &tab)
{
    auto connection = std::ranges::find(m_sheetsConnections, connectionId, &ConnectionDef::id);
    if (connection == m_sheetsConnections.end()) {
        showMessage(tr("Choose a Google Sheets connection."), true);
        emit exportFinished(false);
        return;
    }
    const ConnectionDef sheets = *connection;
    const std::filesystem::path workspace = m_workspacePath.toStdString();
    SheetsExportOptions options;
    options.spreadsheetId = spreadsheet.toStdString();
    options.tab = tab.isEmpty() ? std::string("Sheet1") : tab.toStdString();
    options.title = m_name->text().trimmed().toStdString();
    runExport(tr("Export to Google Sheets"),
              tr("Exporting rows to Google Sheets (%1)…").arg(QString::fromStdString(sheets.name)),
              [sheets, workspace,
               options](Source &source, const SourceQuery &query, CancelToken *cancel,
                        const std::function<void(std::int64_t)> &progress) -> Result<QString> {
                  auto ws = Workspace::open(workspace);
                  if (!ws)
                      return std::unexpected(ws.error());
                  const DriverContext context = ws->driverContext();
                  const DestinationDriver *driver = findDestinationDriver(sheets.kind);
                  if (!driver)
                      return fail(ErrorKind::Invalid, "Unknown destination type " + sheets.kind);
                  auto settings =
                      resolveSecretSettings(driver->info, sheets.settings, *context.secretStore());
                  if (!settings)
                      return std::unexpected(settings.error());
                  auto config = googleSheetsConfig(*settings, context);
                  if (!config)
                      return std::unexpected(config.error());
                  auto stream = source.open(query);
                  if (!stream)
                      return std::unexpected(stream.error());
                  auto result = exportToGoogleSheets(**stream, *config, options, cancel, progress);
                  if (!result)
                      return std::unexpected(result.error());
                  return ModelEditor::tr("Exported %1 rows to the tab “%2” of %3")
                      .arg(number(result->rows), QString::fromStdString(result->tab),
                           QString::fromStdString(result->url));
              });
}

void ModelEditor::runExport(const QString &title, const QString &label, ExportJob job)
{
    if (m_exportCancel)
        return;
    const ConnectionDef *c = currentConnection();
    if (!c) {
        showMessage(tr("Choose a source connection first."), true);
        emit exportFinished(false);
        return;
    }
    clearMessage();
    const ModelDef m = definition();
    auto cancel = std::make_shared<CancelToken>();
    m_exportCancel = cancel;
    auto rows = std::make_shared<std::atomic<std::int64_t>>(0);

    auto *dialog = new QProgressDialog(label, tr("Cancel"), 0, 0, this);
    dialog->setWindowTitle(title);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    if (auto total = m_preview->totalRows(); total && *total > 0 && *total < INT_MAX)
        dialog->setMaximum(static_cast<int>(*total));
    connect(dialog, &QProgressDialog::canceled, this, [cancel] { cancel->cancel(); });
    auto *poll = new QTimer(dialog);
    connect(poll, &QTimer::timeout, dialog, [dialog, rows] {
        const auto n = rows->load();
        if (dialog->maximum() > 0)
            dialog->setValue(static_cast<int>(qMin<std::int64_t>(n, dialog->maximum())));
        dialog->setLabelText(
            ModelEditor::tr("%1 rows written…").arg(QLocale().toString(qlonglong(n))));
    });
    poll->start(100);

    auto factory = factoryFor(*c, m_workspacePath);
    const SourceQuery query{m.sql, m.table, std::nullopt};
    runThenCallback(
        this,
        [factory, query, cancel, rows, job = std::move(job)]() -> Result<QString> {
            auto source = factory();
            if (!source)
                return std::unexpected(source.error());
            return job(**source, query, cancel.get(), [rows](std::int64_t n) { rows->store(n); });
        },
        [this, dialog, cancel](Result<QString> result) {
            if (m_exportCancel == cancel)
                m_exportCancel.reset();
            dialog->reset();
            dialog->deleteLater();
            if (!result) {
                showMessage(QString::fromStdString(result.error().message),
                            result.error().kind != ErrorKind::Cancelled);
                emit exportFinished(false);
                return;
            }
            emit statusMessage(*result);
            emit exportFinished(true);
        });
}

void ModelEditor::save()
{
    if (m_saving || m_workspacePath.isEmpty())
        return;
    clearMessage();
    const ModelDef m = definition();
    if (m.name.empty()) {
        showMessage(tr("Give the model a name before saving it."), true);
        m_name->setFocus();
        return;
    }
    m_saving = true;
    updateButtons();
    const std::filesystem::path path = m_workspacePath.toStdString();
    runThenCallback(
        this,
        [path, m]() -> Result<std::int64_t> {
            auto ws = Workspace::open(path);
            if (!ws)
                return std::unexpected(ws.error());
            return ws->saveModel(m);
        },
        [this, m](Result<std::int64_t> result) {
            m_saving = false;
            updateButtons();
            if (!result) {
                showMessage(QString::fromStdString(result.error().message), true);
                return;
            }
            m_loaded = m;
            m_loaded.id = m.id ? m.id : *result;
            emit statusMessage(tr("Model \"%1\" saved.").arg(QString::fromStdString(m.name)));
            emit saved(m_loaded.id);
            emit workspaceEdited();
        });
}

} // namespace sluice

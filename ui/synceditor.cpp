#include "synceditor.h"

#include "asyncjob.h"
#include "destinations/destinationregistry.h"
#include "mappingeditor.h"
#include "rundisplay.h"
#include "sources/sourceregistry.h"
#include "syncrunner.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimeEdit>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace sluice {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString errorText(const Error &error)
{
    return qs(error.message);
}

// The schedule types offered, as stored in the combo's item data.
const QString kManual = QStringLiteral("manual");
const QString kMinutes = QStringLiteral("minutes");
const QString kHours = QStringLiteral("hours");
const QString kDaily = QStringLiteral("daily");
const QString kOther = QStringLiteral("other");

int findData(const QComboBox *combo, const QVariant &data)
{
    return combo->findData(data);
}

} // namespace

// What the dialog needs from the workspace to fill its choices.
struct SyncEditor::Lists
{
    std::vector<ModelDef> models;
    std::vector<ConnectionDef> destinations;
    std::optional<SyncDef> sync;
    QString error;
};

// What the chosen destination connection offers.
struct SyncEditor::DestinationInfo
{
    int generation = 0;
    DestinationCaps caps;
    std::vector<ObjectInfo> objects;
    QString error;
};

// The model's columns and the destination object's fields, for the mapping canvas.
struct SyncEditor::Schema
{
    int generation = 0;
    std::vector<Column> columns;
    std::vector<FieldInfo> fields;
    QString columnsError;
    QString fieldsError;
};

SyncEditor::SyncEditor(const QString &workspacePath, std::int64_t syncId, QWidget *parent)
    : QDialog(parent), m_workspacePath(workspacePath), m_runner(new SyncRunner(this))
{
    m_sync.id = syncId;
    m_mappingFromSync = syncId != 0;
    buildUi();
    connect(m_runner, &SyncRunner::progress, this, &SyncEditor::onProgress);
    connect(m_runner, &SyncRunner::finished, this, &SyncEditor::onFinished);
    loadLists();
    updateState();
}

SyncEditor::~SyncEditor() = default;

nlohmann::json SyncEditor::manualSchedule()
{
    return nlohmann::json{{"type", "manual"}};
}

void SyncEditor::buildUi()
{
    setObjectName("syncEditor");
    setWindowTitle(m_sync.id ? tr("Sync") : tr("New sync"));
    setSizeGripEnabled(true);
    resize(1100, 820);

    // What to sync: from which model to which destination object.
    m_name = new QLineEdit;
    m_name->setObjectName("syncName");
    m_name->setPlaceholderText(tr("e.g. At-risk customers to the CRM"));
    m_model = new QComboBox;
    m_model->setObjectName("syncModel");
    m_model->setPlaceholderText(tr("Choose a model…"));
    m_destination = new QComboBox;
    m_destination->setObjectName("syncDestination");
    m_destination->setPlaceholderText(tr("Choose a destination…"));
    m_object = new QComboBox;
    m_object->setObjectName("syncObject");
    m_object->setPlaceholderText(tr("Choose where to write…"));
    m_object->setInsertPolicy(QComboBox::NoInsert);
    m_objectNote = new QLabel;
    m_objectNote->setObjectName("syncObjectNote");
    m_objectNote->setWordWrap(true);
    m_objectNote->setForegroundRole(QPalette::PlaceholderText);

    auto *what = new QGroupBox(tr("What to sync"));
    auto *whatForm = new QFormLayout(what);
    whatForm->addRow(tr("&Name:"), m_name);
    whatForm->addRow(tr("So&urce model:"), m_model);
    whatForm->addRow(tr("D&estination:"), m_destination);
    whatForm->addRow(tr("Destination ob&ject:"), m_object);
    whatForm->addRow(QString(), m_objectNote);

    // How: key match, mode, schedule.
    m_modelKey = new QLabel;
    m_modelKey->setObjectName("syncModelKey");
    m_modelKey->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keyField = new QComboBox;
    m_keyField->setObjectName("syncKeyField");
    m_keyField->setPlaceholderText(tr("Choose a field…"));
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_modelKey);
    keyRow->addWidget(new QLabel(QStringLiteral("↔")));
    keyRow->addWidget(m_keyField, 1);

    m_mode = new QComboBox;
    m_mode->setObjectName("syncMode");
    m_modeExplanation = new QLabel;
    m_modeExplanation->setObjectName("syncModeExplanation");
    m_modeExplanation->setWordWrap(true);
    m_guard = new QSpinBox;
    m_guard->setObjectName("syncMirrorGuard");
    m_guard->setRange(0, 100);
    m_guard->setSuffix(tr(" %"));
    m_guard->setValue(50);
    m_guard->setToolTip(tr("A mirror run stops before it would delete more than this share of the "
                           "destination's records, in case the model returned too few rows by "
                           "mistake."));
    m_guardLabel = new QLabel(tr("Stop before deleting more than:"));
    m_guardLabel->setBuddy(m_guard);
    auto *guardRow = new QHBoxLayout;
    guardRow->addWidget(m_guardLabel);
    guardRow->addWidget(m_guard);
    guardRow->addStretch();

    m_scheduleType = new QComboBox;
    m_scheduleType->setObjectName("syncScheduleType");
    m_scheduleType->addItem(tr("Manually"), kManual);
    m_scheduleType->addItem(tr("Every N minutes"), kMinutes);
    m_scheduleType->addItem(tr("Every N hours"), kHours);
    m_scheduleType->addItem(tr("Daily at"), kDaily);
    m_every = new QSpinBox;
    m_every->setObjectName("syncScheduleEvery");
    m_every->setRange(1, 1440);
    m_every->setValue(60);
    m_dailyAt = new QTimeEdit(QTime(9, 0));
    m_dailyAt->setObjectName("syncScheduleTime");
    m_dailyAt->setDisplayFormat(QStringLiteral("HH:mm"));
    auto *scheduleRow = new QHBoxLayout;
    scheduleRow->addWidget(m_scheduleType);
    scheduleRow->addWidget(m_every);
    scheduleRow->addWidget(m_dailyAt);
    scheduleRow->addStretch();
    m_scheduleNote = new QLabel(
        tr("Sluice does not start scheduled runs by itself yet. Until it does, use Run now, or "
           "call “sluice-cli run” from your system's scheduler."));
    m_scheduleNote->setObjectName("syncScheduleNote");
    m_scheduleNote->setWordWrap(true);
    m_scheduleNote->setForegroundRole(QPalette::PlaceholderText);

    auto *how = new QGroupBox(tr("How"));
    auto *howForm = new QFormLayout(how);
    howForm->addRow(tr("&Key match:"), keyRow);
    howForm->addRow(tr("M&ode:"), m_mode);
    howForm->addRow(QString(), m_modeExplanation);
    howForm->addRow(QString(), guardRow);
    howForm->addRow(tr("Sc&hedule:"), scheduleRow);
    howForm->addRow(QString(), m_scheduleNote);
    // The key row's label points at the destination side, the part the user picks.
    if (auto *label = qobject_cast<QLabel *>(howForm->labelForField(keyRow)))
        label->setBuddy(m_keyField);
    if (auto *label = qobject_cast<QLabel *>(howForm->labelForField(scheduleRow)))
        label->setBuddy(m_scheduleType);

    auto *top = new QHBoxLayout;
    top->addWidget(what, 1);
    top->addWidget(how, 1);

    // The mapping, the dry-run plan and the run log share the rest of the window.
    m_mapping = new MappingEditor;
    m_mapping->setObjectName("syncMapping");
    m_loadError = new QLabel;
    m_loadError->setObjectName("syncLoadError");
    m_loadError->setWordWrap(true);
    m_loadError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_loadError->hide();
    auto *mappingPage = new QWidget;
    auto *mappingLayout = new QVBoxLayout(mappingPage);
    mappingLayout->addWidget(m_loadError);
    mappingLayout->addWidget(m_mapping, 1);

    m_planSummary = new QLabel(tr("A dry run shows what a run would send, without writing "
                                  "anything. Press Dry run."));
    m_planSummary->setObjectName("syncPlanSummary");
    m_planSummary->setWordWrap(true);
    m_planSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_planTable = new QTableWidget;
    m_planTable->setObjectName("syncPlanSamples");
    m_planTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_planTable->verticalHeader()->hide();
    m_planTable->hide();
    auto *planPage = new QWidget;
    auto *planLayout = new QVBoxLayout(planPage);
    planLayout->addWidget(m_planSummary);
    planLayout->addWidget(m_planTable, 1);
    planLayout->addStretch(); // keeps the summary at the top while there is no table
    planLayout->setAlignment(m_planSummary, Qt::AlignTop);

    m_runResult = new QLabel(tr("Run now sends the changes to the destination. The log of the "
                                "run appears here."));
    m_runResult->setObjectName("syncRunResult");
    m_runResult->setWordWrap(true);
    m_runResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_log = new QPlainTextEdit;
    m_log->setObjectName("syncRunLog");
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setPlaceholderText(tr("No run yet."));
    auto *runPage = new QWidget;
    auto *runLayout = new QVBoxLayout(runPage);
    runLayout->addWidget(m_runResult);
    runLayout->addWidget(m_log, 1);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName("syncTabs");
    m_tabs->addTab(mappingPage, tr("Ma&pping"));
    m_tabs->addTab(planPage, tr("Dr&y run plan"));
    m_tabs->addTab(runPage, tr("Run lo&g"));

    // Why Save is blocked, save errors, progress and the buttons.
    m_blockers = new QLabel;
    m_blockers->setObjectName("syncBlockers");
    m_blockers->setWordWrap(true);
    m_blockers->setTextFormat(Qt::PlainText);
    m_saveError = new QLabel;
    m_saveError->setObjectName("syncSaveError");
    m_saveError->setWordWrap(true);
    m_saveError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_saveError->hide();
    m_progress = new QProgressBar;
    m_progress->setObjectName("syncProgress");
    m_progress->hide();

    // Shortcuts are dialog actions rather than button shortcuts: a button's shortcut clicks it
    // only after an animation, and a blocked save should still say why.
    auto shortcut = [this](const QKeySequence &keys, void (SyncEditor::*slot)()) {
        auto *action = new QAction(this);
        action->setShortcut(keys);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return keys.toString(QKeySequence::NativeText);
    };
    m_dryRunButton = new QPushButton(tr("Dry run"));
    m_dryRunButton->setObjectName("syncDryRun");
    m_dryRunButton->setToolTip(
        tr("Shows what a run would send, writing nothing (%1). Saves your changes first.")
            .arg(shortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), &SyncEditor::dryRun)));
    m_runButton = new QPushButton(tr("Run now"));
    m_runButton->setObjectName("syncRunNow");
    m_runButton->setToolTip(
        tr("Sends the changes to the destination (%1). Saves your changes first.")
            .arg(shortcut(QKeySequence(Qt::CTRL | Qt::Key_R), &SyncEditor::runNow)));
    m_stopButton = new QPushButton(tr("S&top"));
    m_stopButton->setObjectName("syncStop");
    m_stopButton->setToolTip(tr("Stops the run; what was already sent stays sent."));
    m_saveButton = new QPushButton(tr("&Save"));
    m_saveButton->setObjectName("syncSave");
    m_saveButton->setToolTip(
        tr("Saves the sync (%1)").arg(shortcut(QKeySequence::Save, &SyncEditor::save)));
    auto *close = new QPushButton(tr("Close"));
    close->setObjectName("syncClose");
    for (auto *b : {m_dryRunButton, m_runButton, m_stopButton, m_saveButton, close}) {
        b->setAutoDefault(false);
        b->setDefault(false);
    }

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_dryRunButton);
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_stopButton);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch();
    buttons->addWidget(m_saveButton);
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_blockers);
    layout->addWidget(m_saveError);
    layout->addLayout(buttons);

    // Edits.
    connect(m_name, &QLineEdit::textChanged, this, &SyncEditor::markDirty);
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        markDirty();
        loadSchema();
    });
    connect(m_destination, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        markDirty();
        loadDestination();
    });
    // activated: a pick from the list; editingFinished: a typed name (e.g. a new file).
    connect(m_object, &QComboBox::activated, this, [this] {
        if (m_filling)
            return;
        markDirty();
        loadSchema();
    });
    connect(m_object, &QComboBox::editTextChanged, this, [this] {
        if (!m_filling)
            markDirty();
    });
    connect(m_keyField, &QComboBox::currentIndexChanged, this, &SyncEditor::markDirty);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        fillModeExplanation();
        markDirty();
    });
    connect(m_guard, &QSpinBox::valueChanged, this, &SyncEditor::markDirty);
    connect(m_scheduleType, &QComboBox::currentIndexChanged, this, [this] {
        const QString type = m_scheduleType->currentData().toString();
        m_every->setRange(1, type == kHours ? 168 : 1440);
        markDirty();
    });
    connect(m_every, &QSpinBox::valueChanged, this, &SyncEditor::markDirty);
    connect(m_dailyAt, &QTimeEdit::timeChanged, this, &SyncEditor::markDirty);
    connect(m_mapping, &MappingEditor::changed, this, [this] {
        fillKeyFields();
        markDirty();
    });

    connect(m_saveButton, &QPushButton::clicked, this, &SyncEditor::save);
    connect(m_dryRunButton, &QPushButton::clicked, this, &SyncEditor::dryRun);
    connect(m_runButton, &QPushButton::clicked, this, &SyncEditor::runNow);
    connect(m_stopButton, &QPushButton::clicked, this, &SyncEditor::stop);
    connect(close, &QPushButton::clicked, this, &SyncEditor::reject);
}

// ---------------------------------------------------------------------------------------------
// Loading

void SyncEditor::loadLists()
{
    ++m_loading;
    const std::filesystem::path path = m_workspacePath.toStdString();
    const std::int64_t id = m_sync.id;
    runThenCallback(
        this,
        [path, id] {
            Lists lists;
            auto ws = Workspace::open(path);
            if (!ws) {
                lists.error = errorText(ws.error());
                return lists;
            }
            auto models = ws->models();
            auto connections = ws->connections();
            if (!models || !connections) {
                lists.error = errorText(!models ? models.error() : connections.error());
                return lists;
            }
            lists.models = std::move(*models);
            for (auto &c : *connections)
                if (c.role == ConnectionRole::Destination)
                    lists.destinations.push_back(std::move(c));
            if (id) {
                auto sync = ws->sync(id);
                if (!sync) {
                    lists.error = errorText(sync.error());
                    return lists;
                }
                lists.sync = std::move(*sync);
            }
            return lists;
        },
        [this](Lists lists) {
            --m_loading;
            applyLists(std::move(lists));
        });
}

void SyncEditor::applyLists(Lists lists)
{
    if (!lists.error.isEmpty()) {
        m_loadError->setText(tr("Could not open the sync: %1").arg(lists.error));
        m_loadError->show();
        updateState();
        return;
    }
    m_filling = true;
    m_models = std::move(lists.models);
    m_destinations = std::move(lists.destinations);
    if (lists.sync)
        m_sync = std::move(*lists.sync);

    m_model->clear();
    for (const auto &m : m_models)
        m_model->addItem(qs(m.name), QVariant::fromValue<qlonglong>(m.id));
    m_model->setCurrentIndex(findData(m_model, QVariant::fromValue<qlonglong>(m_sync.modelId)));
    m_destination->clear();
    for (const auto &d : m_destinations)
        m_destination->addItem(qs(d.name), QVariant::fromValue<qlonglong>(d.id));
    m_destination->setCurrentIndex(
        findData(m_destination, QVariant::fromValue<qlonglong>(m_sync.destinationId)));

    m_name->setText(qs(m_sync.name));
    m_guard->setValue(static_cast<int>(m_sync.options.mirrorMaxDeletePercent + 0.5));
    fillScheduleFromJson(m_sync.schedule);
    if (m_sync.id)
        setWindowTitle(tr("Sync “%1”").arg(qs(m_sync.name)));
    m_filling = false;
    m_dirty = false;
    loadDestination();
}

void SyncEditor::loadDestination()
{
    const int generation = ++m_destinationGeneration;
    m_destinationError.clear();
    const QVariant data = m_destination->currentData();
    if (!data.isValid()) {
        applyDestination(DestinationInfo{generation, {}, {}, {}});
        return;
    }
    ++m_loading;
    updateState();
    const std::filesystem::path path = m_workspacePath.toStdString();
    const std::int64_t id = data.toLongLong();
    runThenCallback(
        this,
        [path, id, generation] {
            DestinationInfo info;
            info.generation = generation;
            auto ws = Workspace::open(path);
            if (!ws) {
                info.error = errorText(ws.error());
                return info;
            }
            auto conn = ws->connection(id);
            if (!conn) {
                info.error = errorText(conn.error());
                return info;
            }
            auto dest = createDestination(conn->kind, conn->settings, ws->driverContext());
            if (!dest) {
                info.error = errorText(dest.error());
                return info;
            }
            info.caps = (*dest)->capabilities();
            auto objects = (*dest)->objects();
            if (!objects)
                info.error = errorText(objects.error());
            else
                info.objects = std::move(*objects);
            return info;
        },
        [this](DestinationInfo info) {
            --m_loading;
            applyDestination(std::move(info));
        });
}

void SyncEditor::applyDestination(DestinationInfo info)
{
    if (info.generation != m_destinationGeneration) {
        updateState();
        return;
    }
    m_filling = true;
    m_destinationError = info.error;
    m_objects = std::move(info.objects);
    m_modes = info.caps.modes;

    // Modes: only those the destination supports; keep the sync's own when it is one of them.
    const SyncMode wanted = m_mode->currentIndex() >= 0
                                ? static_cast<SyncMode>(m_mode->currentData().toInt())
                                : m_sync.mode;
    m_mode->clear();
    for (SyncMode mode : m_modes)
        m_mode->addItem(RunDisplay::modeText(mode), static_cast<int>(mode));
    const int modeIndex = findData(m_mode, static_cast<int>(wanted));
    m_mode->setCurrentIndex(modeIndex >= 0 ? modeIndex : (m_modes.empty() ? -1 : 0));

    // Objects: a destination that makes its own (a folder of CSV files) also takes a new name.
    const QString current =
        m_object->currentText().isEmpty() ? qs(m_sync.object) : m_object->currentText();
    const bool open =
        m_objects.empty() || std::any_of(m_objects.begin(), m_objects.end(),
                                         [](const ObjectInfo &o) { return o.openFields; });
    m_object->clear();
    m_object->setEditable(open && m_destination->currentIndex() >= 0);
    if (m_object->isEditable()) {
        // setEditable() makes a new line edit each time it turns editing on: connect each once.
        QLineEdit *edit = m_object->lineEdit();
        edit->setPlaceholderText(tr("Choose or type a name…"));
        if (!edit->property("sluiceConnected").toBool()) {
            edit->setProperty("sluiceConnected", true);
            connect(edit, &QLineEdit::editingFinished, this, [this] {
                if (!m_filling && chosenObject() != m_loadedObject) {
                    markDirty();
                    loadSchema();
                }
            });
        }
    }
    for (const auto &o : m_objects)
        m_object->addItem(o.label.empty() || o.label == o.name
                              ? qs(o.name)
                              : tr("%1 (%2)").arg(qs(o.label), qs(o.name)),
                          qs(o.name));
    int objectIndex = findData(m_object, current);
    if (objectIndex < 0 && !current.isEmpty()) {
        // Not there (yet): a file that the first run will create.
        m_object->insertItem(0, current, current);
        objectIndex = 0;
    }
    m_object->setCurrentIndex(objectIndex);
    if (objectIndex < 0 && m_object->isEditable())
        m_object->setEditText(QString());
    m_objectNote->setText(m_object->isEditable()
                              ? tr("Pick an existing file or type a new name; a new file is "
                                   "created by the first run.")
                              : QString());
    m_objectNote->setVisible(m_object->isEditable());
    m_filling = false;
    fillModeExplanation();
    loadSchema();
}

QString SyncEditor::chosenObject() const
{
    const int index = m_object->currentIndex();
    if (index >= 0 && m_object->itemText(index) == m_object->currentText())
        return m_object->itemData(index).toString();
    return m_object->currentText().trimmed();
}

const ModelDef *SyncEditor::currentModel() const
{
    const QVariant data = m_model->currentData();
    if (!data.isValid())
        return nullptr;
    for (const auto &m : m_models)
        if (m.id == data.toLongLong())
            return &m;
    return nullptr;
}

bool SyncEditor::currentOpenFields() const
{
    const std::string name = chosenObject().toStdString();
    for (const auto &o : m_objects)
        if (o.name == name)
            return o.openFields;
    // A name the destination does not list yet: only a destination that takes new names lets
    // the user type one.
    return m_object->isEditable();
}

void SyncEditor::loadSchema()
{
    const int generation = ++m_schemaGeneration;
    m_schemaLoaded = false;
    m_schemaError.clear();
    const ModelDef *model = currentModel();
    m_modelKey->setText(
        model ? (model->primaryKey.empty() ? tr("(no primary key)") : qs(model->primaryKey))
              : tr("(choose a model)"));
    const QString object = chosenObject();
    m_loadedObject = object;
    const QVariant destination = m_destination->currentData();
    if (!model && (object.isEmpty() || !destination.isValid())) {
        applySchema(Schema{generation, {}, {}, {}, {}});
        return;
    }
    ++m_loading;
    updateState();
    const std::filesystem::path path = m_workspacePath.toStdString();
    const std::optional<ModelDef> modelDef = model ? std::optional<ModelDef>(*model) : std::nullopt;
    const std::int64_t destinationId = destination.isValid() ? destination.toLongLong() : 0;
    runThenCallback(
        this,
        [path, generation, modelDef, destinationId, object = object.toStdString()] {
            Schema schema;
            schema.generation = generation;
            auto ws = Workspace::open(path);
            if (!ws) {
                schema.columnsError = errorText(ws.error());
                return schema;
            }
            const DriverContext context = ws->driverContext();
            if (modelDef) {
                auto conn = ws->connection(modelDef->connectionId);
                auto source = conn ? createSource(conn->kind, conn->settings, context)
                                   : std::unexpected(conn.error());
                // Limit 0: the query is prepared, so its columns are known, but no row is read.
                auto stream = source
                                  ? (*source)->open(SourceQuery{modelDef->sql, modelDef->table, 0})
                                  : std::unexpected(source.error());
                if (stream)
                    schema.columns = (*stream)->columns();
                else
                    schema.columnsError = errorText(stream.error());
            }
            if (destinationId && !object.empty()) {
                auto conn = ws->connection(destinationId);
                auto dest = conn ? createDestination(conn->kind, conn->settings, context)
                                 : std::unexpected(conn.error());
                auto fields = dest ? (*dest)->fields(object) : std::unexpected(dest.error());
                if (fields)
                    schema.fields = std::move(*fields);
                else
                    schema.fieldsError = errorText(fields.error());
            }
            return schema;
        },
        [this](Schema schema) {
            --m_loading;
            applySchema(std::move(schema));
        });
}

void SyncEditor::applySchema(Schema schema)
{
    if (schema.generation != m_schemaGeneration) {
        updateState();
        return;
    }
    m_filling = true;
    m_fields = std::move(schema.fields);
    m_openFields = currentOpenFields();
    // Changing the model or the object keeps the links made so far; the canvas flags the ones
    // that no longer fit.
    const Mapping mapping = m_mappingFromSync ? m_sync.mapping : m_mapping->mapping();
    m_mappingFromSync = false;
    m_mapping->setColumns(schema.columns);
    m_mapping->setFields(m_fields, m_openFields);
    m_mapping->setMapping(mapping);
    QStringList errors;
    if (!schema.columnsError.isEmpty())
        errors << tr("Could not read the model's columns: %1").arg(schema.columnsError);
    if (!schema.fieldsError.isEmpty())
        errors << tr("Could not read the destination's fields: %1").arg(schema.fieldsError);
    m_schemaError = errors.join(QLatin1Char('\n'));
    m_schemaLoaded = true;
    fillKeyFields();
    m_filling = false;
    updateState();
}

void SyncEditor::fillKeyFields()
{
    const bool wasFilling = m_filling;
    m_filling = true;
    const QString current = m_keyField->currentIndex() >= 0 ? m_keyField->currentData().toString()
                                                            : qs(m_sync.keyField);
    // Fields that can identify a record; a destination that makes its own fields can match on
    // any field the mapping fills.
    QStringList candidates;
    for (const auto &f : m_fields)
        if (f.key && !f.readOnly)
            candidates << qs(f.name);
    if (m_openFields)
        for (const auto &f : m_mapping->mapping().destinationFields())
            if (!candidates.contains(qs(f)))
                candidates << qs(f);
    m_keyField->clear();
    if (m_openFields)
        m_keyField->addItem(tr("(none: the destination keeps its own key column)"), QString());
    for (const auto &c : candidates)
        m_keyField->addItem(c, c);
    int index = findData(m_keyField, current);
    if (index < 0 && !current.isEmpty()) {
        // Keep what was saved visible, flagged, instead of silently picking another field.
        m_keyField->addItem(tr("%1 (not available)").arg(current), current);
        index = m_keyField->count() - 1;
    }
    if (index < 0 && m_openFields)
        index = 0;
    m_keyField->setCurrentIndex(index);
    m_filling = wasFilling;
}

void SyncEditor::fillModeExplanation()
{
    const bool mirror = m_mode->currentIndex() >= 0 &&
                        static_cast<SyncMode>(m_mode->currentData().toInt()) == SyncMode::Mirror;
    if (m_mode->currentIndex() < 0)
        m_modeExplanation->setText(m_destination->currentIndex() < 0
                                       ? tr("Choose a destination to see its modes.")
                                       : QString());
    else
        m_modeExplanation->setText(
            qs(syncModeExplanation(static_cast<SyncMode>(m_mode->currentData().toInt()))));
    m_guardLabel->setVisible(mirror);
    m_guard->setVisible(mirror);
}

// ---------------------------------------------------------------------------------------------
// Schedule

void SyncEditor::fillScheduleFromJson(const nlohmann::json &schedule)
{
    const int otherIndex = findData(m_scheduleType, kOther);
    if (otherIndex >= 0)
        m_scheduleType->removeItem(otherIndex);
    m_otherSchedule = nullptr;
    const std::string type =
        schedule.is_object() && schedule.contains("type") && schedule["type"].is_string()
            ? schedule["type"].get<std::string>()
            : std::string();
    auto select = [this](const QString &data) {
        m_scheduleType->setCurrentIndex(findData(m_scheduleType, data));
    };
    if (type == "manual") {
        select(kManual);
        return;
    }
    if (type == "interval" && schedule.contains("minutes") &&
        schedule["minutes"].is_number_integer()) {
        const auto minutes = schedule["minutes"].get<std::int64_t>();
        if (minutes >= 60 && minutes % 60 == 0 && minutes / 60 <= 168) {
            select(kHours);
            m_every->setRange(1, 168);
            m_every->setValue(static_cast<int>(minutes / 60));
            return;
        }
        if (minutes >= 1 && minutes <= 1440) {
            select(kMinutes);
            m_every->setRange(1, 1440);
            m_every->setValue(static_cast<int>(minutes));
            return;
        }
    }
    if (type == "daily" && schedule.contains("time") && schedule["time"].is_string()) {
        const QTime time = QTime::fromString(qs(schedule["time"].get<std::string>()), "HH:mm");
        if (time.isValid()) {
            select(kDaily);
            m_dailyAt->setTime(time);
            return;
        }
    }
    // A shape this editor does not know (a later version, or edited by hand): keep it as is.
    m_otherSchedule = schedule;
    m_scheduleType->addItem(tr("Other (kept as it is): %1").arg(qs(schedule.dump())), kOther);
    select(kOther);
}

nlohmann::json SyncEditor::scheduleJson() const
{
    const QString type = m_scheduleType->currentData().toString();
    if (type == kMinutes)
        return {{"type", "interval"}, {"minutes", m_every->value()}};
    if (type == kHours)
        return {{"type", "interval"}, {"minutes", m_every->value() * 60}};
    if (type == kDaily)
        return {{"type", "daily"},
                {"time", m_dailyAt->time().toString(QStringLiteral("HH:mm")).toStdString()}};
    if (type == kOther && !m_otherSchedule.is_null())
        return m_otherSchedule;
    return manualSchedule();
}

// ---------------------------------------------------------------------------------------------
// State

SyncDef SyncEditor::currentDef() const
{
    SyncDef def = m_sync; // keeps what this editor does not show (enabled, batch size)
    def.name = m_name->text().trimmed().toStdString();
    if (const ModelDef *model = currentModel())
        def.modelId = model->id;
    def.destinationId =
        m_destination->currentData().isValid() ? m_destination->currentData().toLongLong() : 0;
    def.object = chosenObject().toStdString();
    if (m_mode->currentIndex() >= 0)
        def.mode = static_cast<SyncMode>(m_mode->currentData().toInt());
    def.keyField =
        m_keyField->currentIndex() >= 0 ? m_keyField->currentData().toString().toStdString() : "";
    def.mapping = m_schemaLoaded ? m_mapping->mapping() : m_sync.mapping;
    def.schedule = scheduleJson();
    def.options.mirrorMaxDeletePercent = m_guard->value();
    return def;
}

void SyncEditor::markDirty()
{
    if (m_filling)
        return;
    m_dirty = true;
    m_saveError->hide();
    updateState();
}

bool SyncEditor::isBusy() const
{
    return m_loading > 0 || m_saving || m_runner->isRunning();
}

QStringList SyncEditor::saveBlockers() const
{
    QStringList out;
    if (m_name->text().trimmed().isEmpty())
        out << tr("Give the sync a name.");
    const ModelDef *model = currentModel();
    if (!model)
        out << tr("Choose the model to read from.");
    else if (model->primaryKey.empty())
        out << tr("The model “%1” has no primary key. Set one in the model editor: it tells "
                  "Sluice which record each row is.")
                   .arg(qs(model->name));
    if (m_destination->currentIndex() < 0)
        out << tr("Choose a destination.");
    else if (!m_destinationError.isEmpty())
        out << tr("The destination cannot be used: %1").arg(m_destinationError);
    else if (chosenObject().isEmpty())
        out << tr("Choose the destination object (for a file: its name).");
    if (m_destination->currentIndex() >= 0 && m_destinationError.isEmpty() && m_loading == 0 &&
        m_mode->currentIndex() < 0)
        out << tr("The destination offers no sync mode to choose.");
    if (m_loading > 0) {
        out << tr("Loading the model's columns and the destination's fields…");
        return out;
    }
    if (!m_schemaError.isEmpty())
        out << m_schemaError;
    if (m_schemaLoaded) {
        if (m_mapping->mapping().fields.empty())
            out << tr("No fields are mapped. Drag a model column onto a destination field, or "
                      "press Auto-map.");
        out << m_mapping->problems();
        bool anyKeyField = false;
        for (const auto &f : m_fields)
            anyKeyField = anyKeyField || (f.key && !f.readOnly);
        const QString key =
            m_keyField->currentIndex() >= 0 ? m_keyField->currentData().toString() : QString();
        if (!m_openFields && anyKeyField && key.isEmpty())
            out << tr("Choose the destination field that matches the model's key.");
        if (!key.isEmpty() && m_keyField->currentText() != key)
            out << tr("The key field “%1” is not available in this destination object. Choose "
                      "another one.")
                       .arg(key);
    }
    return out;
}

void SyncEditor::updateState()
{
    const bool running = m_runner->isRunning();
    const QStringList blockers = saveBlockers();
    const bool canSave = blockers.isEmpty() && !m_saving && !running;
    m_saveButton->setEnabled(canSave && (m_dirty || m_sync.id == 0));
    // A run needs a saved sync; unsaved edits are saved first, so they must be savable.
    const bool canRun = !running && !m_saving && m_loading == 0 &&
                        (m_dirty || m_sync.id == 0 ? blockers.isEmpty() : m_sync.id != 0);
    m_dryRunButton->setEnabled(canRun);
    m_runButton->setEnabled(canRun);
    m_stopButton->setVisible(running);
    m_progress->setVisible(running);
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_name, m_model, m_destination, m_object, m_keyField,
                                          m_mode, m_guard, m_scheduleType, m_mapping})
        w->setEnabled(!running && !m_saving);
    const QString type = m_scheduleType->currentData().toString();
    m_every->setVisible(type == kMinutes || type == kHours);
    m_every->setEnabled(!running && !m_saving);
    m_dailyAt->setEnabled(!running && !m_saving);
    m_every->setSuffix(type == kHours ? tr(" h") : tr(" min"));
    m_dailyAt->setVisible(type == kDaily);
    m_scheduleNote->setVisible(type != kManual);
    m_loadError->setVisible(!m_loadError->text().isEmpty());

    if (blockers.isEmpty()) {
        m_blockers->setText(m_dirty ? tr("Unsaved changes.") : QString());
    } else {
        QStringList lines;
        for (const auto &b : blockers)
            lines << QStringLiteral("• ") + b;
        m_blockers->setText(tr("Cannot save yet:") + QLatin1Char('\n') +
                            lines.join(QLatin1Char('\n')));
    }
    m_blockers->setVisible(!m_blockers->text().isEmpty());
    QString title = m_sync.id ? tr("Sync “%1”").arg(qs(m_sync.name)) : tr("New sync");
    setWindowTitle(m_dirty ? title + QStringLiteral(" *") : title);
}

// ---------------------------------------------------------------------------------------------
// Saving and running

void SyncEditor::save()
{
    saveThen({});
}

void SyncEditor::saveThen(std::function<void()> next)
{
    if (m_saving || m_runner->isRunning())
        return;
    const QStringList blockers = saveBlockers();
    if (!blockers.isEmpty()) {
        // The reasons are listed under the tabs; point there.
        emit statusMessage(tr("The sync cannot be saved yet: %1").arg(blockers.first()));
        return;
    }
    m_saving = true;
    m_saveError->hide();
    updateState();
    const SyncDef def = currentDef();
    const std::filesystem::path path = m_workspacePath.toStdString();
    runThenCallback(
        this,
        [path, def]() -> Result<std::int64_t> {
            auto ws = Workspace::open(path);
            if (!ws)
                return std::unexpected(ws.error());
            return ws->saveSync(def);
        },
        [this, def, next = std::move(next)](Result<std::int64_t> id) {
            m_saving = false;
            if (!id) {
                m_saveError->setText(tr("Could not save the sync: %1").arg(errorText(id.error())));
                m_saveError->show();
                updateState();
                return;
            }
            m_sync = def;
            m_sync.id = *id;
            m_dirty = false;
            updateState();
            emit statusMessage(tr("Saved “%1”.").arg(qs(m_sync.name)));
            emit workspaceEdited();
            if (next)
                next();
        });
}

void SyncEditor::dryRun()
{
    startRun(true);
}

void SyncEditor::runNow()
{
    startRun(false);
}

void SyncEditor::startRun(bool dry)
{
    // The buttons' state says whether a run may start now (also for the keyboard shortcuts).
    if (!m_runButton->isEnabled())
        return;
    auto start = [this, dry] {
        RunOptions options;
        options.dryRun = dry;
        options.trigger = "manual";
        m_lastPhase = RunProgress::Phase::Done;
        m_logClock.start();
        if (dry) {
            m_planSummary->setText(tr("Planning…"));
            m_planTable->hide();
            m_tabs->setCurrentIndex(1);
        } else {
            m_log->clear();
            m_runResult->setText(tr("Running…"));
            m_tabs->setCurrentIndex(2);
            appendLog(tr("Run of “%1” started.").arg(qs(m_sync.name)));
        }
        m_progress->setRange(0, 0);
        m_progress->setFormat(QString());
        m_runner->start(m_workspacePath.toStdString(), m_sync.id, options);
        emit statusMessage(dry ? tr("Planning “%1”…").arg(qs(m_sync.name))
                               : tr("Running “%1”…").arg(qs(m_sync.name)));
        updateState();
    };
    if (m_dirty || m_sync.id == 0)
        saveThen(start);
    else
        start();
}

void SyncEditor::stop()
{
    if (!m_runner->isRunning())
        return;
    m_runner->stop();
    m_stopButton->setEnabled(false);
    if (!m_runner->isDryRun())
        appendLog(tr("Stopping…"));
}

void SyncEditor::onProgress(const RunProgress &progress)
{
    const QLocale locale;
    QString line;
    if (progress.phase == RunProgress::Phase::Reading) {
        m_progress->setRange(0, 0);
        line = tr("Reading… %1 rows").arg(locale.toString(progress.rowsRead));
    } else if (progress.phase == RunProgress::Phase::Sending) {
        const int max = static_cast<int>(std::min<std::int64_t>(progress.toSend, INT_MAX));
        m_progress->setRange(0, std::max(1, max));
        m_progress->setValue(static_cast<int>(std::min<std::int64_t>(progress.sent, max)));
        // A streamed run sends while it still reads, so both counts move.
        line = tr("Sending %1/%2 · %3 rows read")
                   .arg(locale.toString(progress.sent), locale.toString(progress.toSend),
                        locale.toString(progress.rowsRead));
    } else {
        return;
    }
    m_progress->setFormat(line);
    m_progress->setTextVisible(true);
    // The engine reports often; the log keeps one line a second and every change of phase.
    if (!m_runner->isDryRun() && (progress.phase != m_lastPhase || m_logClock.elapsed() >= 1000)) {
        appendLog(line);
        m_logClock.restart();
    }
    m_lastPhase = progress.phase;
}

void SyncEditor::onFinished(const RunResult &result)
{
    m_stopButton->setEnabled(true);
    if (m_runner->isDryRun()) {
        showPlan(result);
        emit statusMessage(tr("Dry run of “%1” finished.").arg(qs(m_sync.name)));
    } else {
        for (const auto &line : result.log)
            appendLog(qs(line));
        const QString outcome = RunDisplay::outcome(qs(m_sync.name), result.record);
        if (!result.record.error.empty())
            appendLog(tr("Error: %1").arg(qs(result.record.error)));
        appendLog(outcome);
        QString text = outcome;
        if (result.massDeleteBlocked)
            text += QLatin1Char('\n') +
                    tr("The mirror guard stopped this run. If the deletions are right, raise the "
                       "limit under Mode, save, and run again.");
        m_runResult->setText(text);
        emit statusMessage(outcome);
        emit workspaceEdited(); // a run was recorded
    }
    updateState();
}

void SyncEditor::showPlan(const RunResult &result)
{
    const RunCounts &c = result.record.counts;
    const QLocale locale;
    if (result.record.status == RunStatus::Failed || result.record.status == RunStatus::Cancelled) {
        m_planSummary->setText(result.record.status == RunStatus::Cancelled
                                   ? tr("The dry run was stopped.")
                                   : tr("The dry run failed: %1").arg(qs(result.record.error)));
        m_planTable->hide();
        return;
    }
    QString summary =
        tr("Nothing was written. A run now would create %1, update %2 and delete %3 records; "
           "%4 are unchanged (%5 rows read).")
            .arg(locale.toString(c.added), locale.toString(c.changed), locale.toString(c.removed),
                 locale.toString(c.unchanged), locale.toString(c.rowsRead));
    if (c.skipped > 0)
        summary += QLatin1Char(' ') +
                   tr("%1 changed rows are skipped: this sync's mode does not send them.")
                       .arg(locale.toString(c.skipped));
    if (c.rejected > 0)
        summary += QLatin1Char(' ') +
                   tr("%1 rows cannot be sent as they are.").arg(locale.toString(c.rejected));
    if (result.massDeleteBlocked)
        summary += QLatin1Char(' ') +
                   tr("A real run would stop here: it would delete more than the mirror guard "
                      "allows.");
    if (!result.record.error.empty() && !result.massDeleteBlocked)
        summary += QLatin1Char(' ') + qs(result.record.error);
    if (result.samples.empty())
        summary +=
            QLatin1Char('\n') + tr("There is nothing to send: the destination is up to date.");
    else
        summary += QLatin1Char('\n') + tr("Examples of the records a run would send, exactly as "
                                          "they would be sent:");
    m_planSummary->setText(summary);

    m_planTable->clear();
    m_planTable->setRowCount(static_cast<int>(result.samples.size()));
    m_planTable->setColumnCount(static_cast<int>(result.fields.size()) + 2);
    QStringList headers{tr("Action"), tr("Key")};
    for (const auto &f : result.fields)
        headers << qs(f);
    m_planTable->setHorizontalHeaderLabels(headers);
    for (int row = 0; row < m_planTable->rowCount(); ++row) {
        const PlanSample &s = result.samples[static_cast<std::size_t>(row)];
        const QString action = s.removed                     ? tr("Delete")
                               : s.kind == ChangeKind::Added ? tr("Create")
                                                             : tr("Update");
        m_planTable->setItem(row, 0, new QTableWidgetItem(action));
        m_planTable->setItem(row, 1, new QTableWidgetItem(qs(s.key)));
        for (std::size_t i = 0; i < s.values.size() && i < result.fields.size(); ++i) {
            const Value &v = s.values[i];
            auto *item = new QTableWidgetItem(v.isNull() ? QString() : qs(v.toString()));
            if (v.isNull())
                item->setToolTip(tr("empty (NULL)"));
            m_planTable->setItem(row, static_cast<int>(i) + 2, item);
        }
    }
    m_planTable->resizeColumnsToContents();
    m_planTable->setVisible(!result.samples.empty());
}

void SyncEditor::appendLog(const QString &line)
{
    m_log->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
}

void SyncEditor::reject()
{
    // Esc, Close and the window's close button all end up here (QDialog::closeEvent calls it).
    if (m_dirty && !m_runner->isRunning()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved changes"),
            tr("The sync has changes that are not saved. Close anyway and lose them?"),
            QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Discard)
            return;
    }
    // A run still under way is stopped; the runner's destructor waits for it to end.
    stop();
    QDialog::reject();
}

} // namespace sluice

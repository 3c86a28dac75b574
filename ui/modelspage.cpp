#include "modelspage.h"

#include "asyncjob.h"
#include "modeleditor.h"
#include "workspace/workspace.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace sluice {

namespace {

constexpr int IdRole = Qt::UserRole + 1;

} // namespace

ModelsPage::ModelsPage(QWidget *parent)
    : QWidget(parent), m_list(new QTreeView), m_listModel(new QStandardItemModel(this)),
      m_newButton(new QPushButton(tr("&New model"))),
      m_deleteButton(new QPushButton(tr("&Delete"))), m_editor(new ModelEditor)
{
    m_listModel->setHorizontalHeaderLabels(
        {tr("Name"), tr("Source"), tr("Primary key"), tr("Description")});
    m_list->setModel(m_listModel);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setAlternatingRowColors(true);
    m_newButton->setToolTip(tr("Start a new model (Ctrl+N)"));
    m_deleteButton->setToolTip(tr("Delete the selected model"));
    m_deleteButton->setEnabled(false);

    auto *listPanel = new QWidget;
    auto *listLayout = new QVBoxLayout(listPanel);
    listLayout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Models"));
    QFont f = title->font();
    f.setBold(true);
    title->setFont(f);
    listLayout->addWidget(title);
    listLayout->addWidget(m_list, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newButton);
    buttons->addWidget(m_deleteButton);
    buttons->addStretch(1);
    listLayout->addLayout(buttons);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(listPanel);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    m_list->setMinimumWidth(240);
    splitter->setSizes({300, 1100});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_newButton, &QPushButton::clicked, this, &ModelsPage::newModel);
    connect(m_deleteButton, &QPushButton::clicked, this, &ModelsPage::deleteModel);
    auto *newShortcut = new QShortcut(QKeySequence::New, this);
    newShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(newShortcut, &QShortcut::activated, this, &ModelsPage::newModel);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ModelsPage::selectionChanged);
    connect(m_editor, &ModelEditor::statusMessage, this, &ModelsPage::statusMessage);
    connect(m_editor, &ModelEditor::saved, this, [this](qint64 id) {
        emit workspaceEdited();
        reload(id);
    });
}

void ModelsPage::setWorkspace(const QString &workspacePath)
{
    m_workspacePath = workspacePath;
    m_shownId = -1;
    reload(selectedId());
}

void ModelsPage::reload(std::int64_t selectId)
{
    const quint64 generation = ++m_loadGeneration;
    const std::filesystem::path path = m_workspacePath.toStdString();
    runThenCallback(
        this,
        [path]() -> Result<Loaded> {
            auto ws = Workspace::open(path);
            if (!ws)
                return std::unexpected(ws.error());
            auto models = ws->models();
            if (!models)
                return std::unexpected(models.error());
            auto connections = ws->connections();
            if (!connections)
                return std::unexpected(connections.error());
            return Loaded{std::move(*models), std::move(*connections)};
        },
        [this, generation, selectId](Result<Loaded> result) {
            if (generation != m_loadGeneration)
                return;
            if (!result) {
                emit statusMessage(tr("Could not load the models: %1")
                                       .arg(QString::fromStdString(result.error().message)));
                return;
            }
            showLoaded(*result, selectId);
        });
}

void ModelsPage::showLoaded(const Loaded &loaded, std::int64_t selectId)
{
    m_models = loaded.models;
    m_connections = loaded.connections;
    m_changingSelection = true;
    m_listModel->removeRows(0, m_listModel->rowCount());
    for (const ModelDef &m : m_models) {
        QString source = tr("(missing connection)");
        for (const ConnectionDef &c : m_connections)
            if (c.id == m.connectionId)
                source = QString::fromStdString(c.name);
        auto *name = new QStandardItem(QString::fromStdString(m.name));
        name->setData(QVariant::fromValue(m.id), IdRole);
        auto *description = new QStandardItem(QString::fromStdString(m.description));
        description->setToolTip(QString::fromStdString(m.description));
        m_listModel->appendRow({name, new QStandardItem(source),
                                new QStandardItem(QString::fromStdString(m.primaryKey)),
                                description});
    }
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_changingSelection = false;

    // Keep a new, unsaved model in the editor rather than replacing it.
    const bool editingNew = m_shownId == 0 && m_editor->isModified();
    m_editor->setContext(m_workspacePath, m_connections);
    if (!editingNew) {
        if (selectId <= 0 && !m_models.empty())
            selectId = m_models.front().id;
        m_shownId = -1;
        selectModel(selectId);
        if (m_models.empty()) {
            m_shownId = 0;
            m_editor->setModel(ModelDef{});
        }
    }
    emit modelsLoaded();
}

void ModelsPage::selectModel(std::int64_t id)
{
    for (int r = 0; r < m_listModel->rowCount(); ++r) {
        if (m_listModel->item(r)->data(IdRole).value<std::int64_t>() == id) {
            m_list->setCurrentIndex(m_listModel->index(r, 0));
            selectionChanged();
            return;
        }
    }
}

std::int64_t ModelsPage::selectedId() const
{
    const QModelIndex index = m_list->currentIndex();
    if (!index.isValid())
        return 0;
    return m_listModel->item(index.row())->data(IdRole).value<std::int64_t>();
}

bool ModelsPage::confirmDiscard()
{
    if (!m_editor->isModified())
        return true;
    return QMessageBox::question(this, tr("Discard changes?"),
                                 tr("The model \"%1\" has changes that are not saved. Discard "
                                    "them?")
                                     .arg(QString::fromStdString(m_editor->definition().name)),
                                 QMessageBox::Discard | QMessageBox::Cancel,
                                 QMessageBox::Cancel) == QMessageBox::Discard;
}

void ModelsPage::selectionChanged()
{
    if (m_changingSelection)
        return;
    const std::int64_t id = selectedId();
    m_deleteButton->setEnabled(id > 0);
    if (id == m_shownId || id <= 0)
        return;
    if (m_shownId >= 0 && !confirmDiscard()) {
        // Go back to the model being edited.
        m_changingSelection = true;
        for (int r = 0; r < m_listModel->rowCount(); ++r)
            if (m_listModel->item(r)->data(IdRole).value<std::int64_t>() == m_shownId)
                m_list->setCurrentIndex(m_listModel->index(r, 0));
        m_changingSelection = false;
        return;
    }
    for (const ModelDef &m : m_models) {
        if (m.id == id) {
            m_shownId = id;
            m_editor->setModel(m);
            return;
        }
    }
}

void ModelsPage::newModel()
{
    if (!confirmDiscard())
        return;
    m_changingSelection = true;
    m_list->clearSelection();
    m_list->setCurrentIndex(QModelIndex());
    m_changingSelection = false;
    m_deleteButton->setEnabled(false);
    m_shownId = 0;
    ModelDef fresh;
    for (const ConnectionDef &c : m_connections)
        if (c.role == ConnectionRole::Source) {
            fresh.connectionId = c.id;
            break;
        }
    m_editor->setModel(fresh);
    m_editor->setFocus();
    emit statusMessage(tr("New model: write a query, run it, pick the key, then save."));
}

void ModelsPage::deleteModel()
{
    const std::int64_t id = selectedId();
    if (id <= 0)
        return;
    QString name;
    for (const ModelDef &m : m_models)
        if (m.id == id)
            name = QString::fromStdString(m.name);
    if (QMessageBox::question(this, tr("Delete model?"),
                              tr("Delete the model \"%1\"? This cannot be undone.").arg(name),
                              QMessageBox::Yes | QMessageBox::Cancel,
                              QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    const std::filesystem::path path = m_workspacePath.toStdString();
    runThenCallback(
        this,
        [path, id]() -> Result<void> {
            auto ws = Workspace::open(path);
            if (!ws)
                return std::unexpected(ws.error());
            return ws->removeModel(id);
        },
        [this, name](Result<void> result) {
            if (!result) {
                QMessageBox::warning(this, tr("Cannot delete the model"),
                                     QString::fromStdString(result.error().message));
                return;
            }
            emit statusMessage(tr("Model \"%1\" deleted.").arg(name));
            emit workspaceEdited();
            m_shownId = -1;
            reload(0);
        });
}

} // namespace sluice

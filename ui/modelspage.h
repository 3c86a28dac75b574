#pragma once
// The Models page: the workspace's models (name, source, key, description) and the editor
// for the selected one, with New and Delete.

#include "workspace/definitions.h"

#include <QWidget>

class QPushButton;
class QStandardItemModel;
class QTreeView;

namespace sluice {

class ModelEditor;

class ModelsPage : public QWidget
{
    Q_OBJECT

public:
    explicit ModelsPage(QWidget *parent = nullptr);
    // Loads (or reloads) the models and connections in the background.
    void setWorkspace(const QString &workspacePath);

    ModelEditor *editor() const { return m_editor; }
    QTreeView *list() const { return m_list; }
    // Selects the model with this id once it is listed.
    void selectModel(std::int64_t id);

public slots:
    void newModel();
    void deleteModel();

signals:
    void statusMessage(const QString &text);
    void workspaceEdited();
    void modelsLoaded();

private:
    struct Loaded
    {
        std::vector<ModelDef> models;
        std::vector<ConnectionDef> connections;
    };
    void reload(std::int64_t selectId);
    void showLoaded(const Loaded &loaded, std::int64_t selectId);
    void selectionChanged();
    std::int64_t selectedId() const;
    bool confirmDiscard();

    QString m_workspacePath;
    std::vector<ModelDef> m_models;
    std::vector<ConnectionDef> m_connections;
    quint64 m_loadGeneration = 0;
    bool m_changingSelection = false;
    std::int64_t m_shownId = -1;

    QTreeView *m_list;
    QStandardItemModel *m_listModel;
    QPushButton *m_newButton;
    QPushButton *m_deleteButton;
    ModelEditor *m_editor;
};

} // namespace sluice

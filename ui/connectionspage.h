#pragma once
// The Connections page: the workspace's sources and destinations (name, role, type, a one-line
// summary of the settings) with New, Edit, Delete and Test. Loading, deleting and testing run
// in the background.

#include "workspace/definitions.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTreeView;

namespace sluice {

class ConnectionsPage : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionsPage(QWidget *parent = nullptr);
    // Loads (or reloads) the connections in the background.
    void setWorkspace(const QString &workspacePath);

    QTreeView *list() const { return m_list; }
    QLabel *messageLabel() const { return m_messageText; }
    const std::vector<ConnectionDef> &connections() const { return m_connections; }
    // Selects the connection with this id (once listed).
    void selectConnection(std::int64_t id);

    // A one-line summary of a connection's settings, in the driver's own order and labels.
    static QString settingsSummary(const ConnectionDef &connection);

public slots:
    void newConnection();
    void editConnection();
    void deleteConnection();
    void testConnection();

signals:
    void statusMessage(const QString &text);
    void workspaceEdited();
    void connectionsLoaded();
    void testFinished();
    void deleteFinished();

private:
    void reload(std::int64_t selectId);
    void showLoaded(std::vector<ConnectionDef> connections, std::int64_t selectId);
    void openDialog(const ConnectionDef &connection);
    void updateButtons();
    void showMessage(bool ok, const QString &text);
    const ConnectionDef *selected() const;

    QString m_workspacePath;
    std::vector<ConnectionDef> m_connections;
    quint64 m_loadGeneration = 0;
    std::int64_t m_pendingSelect = 0;
    bool m_testing = false;

    QTreeView *m_list;
    QStandardItemModel *m_model;
    QPushButton *m_newButton;
    QPushButton *m_editButton;
    QPushButton *m_deleteButton;
    QPushButton *m_testButton;
    QLabel *m_messageIcon;
    QLabel *m_messageText;
};

} // namespace sluice

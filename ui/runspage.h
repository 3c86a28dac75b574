#pragma once
// The runs dashboard: every run of every sync, newest first, filtered by sync and status, with a
// chart of each run's changes and duration. Double-clicking a run opens its rejected records.

#include "workspace/runqueries.h"

#include <QWidget>

#include <filesystem>

class QComboBox;
class QLabel;
class QModelIndex;
class QPushButton;
class QTableView;

namespace sluice {

class RejectedDialog;
class RunCharts;
class RunsModel;

class RunsPage : public QWidget
{
    Q_OBJECT

public:
    explicit RunsPage(QWidget *parent = nullptr);

    // Loads (or reloads) the syncs and runs of the workspace in the background; keeps the filters
    // when the workspace is the same one.
    void setWorkspace(const QString &workspacePath);
    void refresh();

    RunsModel *runsModel() const { return m_model; }
    RunCharts *charts() const { return m_charts; }
    QTableView *table() const { return m_table; }
    QComboBox *syncFilter() const { return m_syncFilter; }
    QComboBox *statusFilter() const { return m_statusFilter; }
    RunFilter filter() const;
    // Opens the rejected records of the run in that row (non-modal); null for a bad row.
    RejectedDialog *openRejected(int row);

signals:
    void statusMessage(const QString &text);
    void workspaceEdited();
    void loaded(); // runs and chart are up to date

private:
    void loadSyncs();
    void loadRuns();
    void onRunsLoaded();
    void updateButtons();

    std::filesystem::path m_workspace;
    quint64 m_syncGeneration = 0;
    QComboBox *m_syncFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QPushButton *m_refreshButton = nullptr;
    QPushButton *m_rejectedButton = nullptr;
    QLabel *m_summary = nullptr;
    RunCharts *m_charts = nullptr;
    QTableView *m_table = nullptr;
    RunsModel *m_model = nullptr;
};

} // namespace sluice

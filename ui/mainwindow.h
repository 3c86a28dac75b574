#pragma once
// The main window: navigation between Syncs (each with its last run and recent runs, and actions
// to create, edit, run, dry-run and stop them), Models, Connections and Runs. Everything that
// touches the workspace or the engine runs off the GUI thread.

#include <QMainWindow>
#include <QStyle>

#include <filesystem>

class QAction;
class QLabel;
class QListWidget;
class QProgressBar;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace sluice {

struct RunProgress;
struct RunResult;
class ConnectionsPage;
class ModelsPage;
class RunsModel;
class RunsPage;
class SyncListModel;
class SyncRunner;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Shows the workspace at path once it is read; if it cannot be read, says why and keeps
    // the workspace shown so far.
    void openWorkspace(const std::filesystem::path &path);
    // Opens the demo workspace in the user's data folder, building it first if it has no syncs.
    void openDemoWorkspace();

private:
    enum class Page
    {
        Syncs,
        Empty,
        Busy
    };

    enum class Section
    {
        Syncs,
        Models,
        Connections,
        Runs
    };

    void createActions();
    QWidget *createNavigation();
    void addSection(QWidget *page, const QString &title, QStyle::StandardPixmap icon);
    void showSection(Section section);
    void workspaceEdited(QObject *origin);
    void editSync(std::int64_t syncId);
    QWidget *createSyncsPage();
    QWidget *createEmptyPage();
    QWidget *createBusyPage();

    void chooseWorkspace();
    void refresh();
    void startRun(bool dryRun);
    void showProgress(const RunProgress &progress);
    void runFinished(const RunResult &result);
    void syncsLoaded();
    void syncsLoadFailed(const QString &workspace, const QString &message);
    void selectionChanged();
    void loadHistory();
    void updatePage();
    void updateActions();
    void setRunWidgetsVisible(bool visible);
    void showError(const QString &title, const QString &message);
    int selectedRow() const;

    SyncListModel *m_syncs;
    RunsModel *m_history;
    SyncRunner *m_runner;
    std::filesystem::path m_workspacePath;
    std::int64_t m_selectedSyncId = 0;
    QString m_runSyncName;
    std::int64_t m_lastToSend = 0; // from the previous progress report
    bool m_settingUpDemo = false;

    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_sections = nullptr;
    ModelsPage *m_modelsPage = nullptr;
    ConnectionsPage *m_connectionsPage = nullptr;
    RunsPage *m_runsPage = nullptr;
    QStackedWidget *m_pages = nullptr;
    QTableView *m_syncTable = nullptr;
    QTableView *m_historyTable = nullptr;
    QLabel *m_historyTitle = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QLabel *m_progressLabel = nullptr;
    QProgressBar *m_progressBar = nullptr;
    QToolButton *m_stopButton = nullptr;

    QAction *m_openAction = nullptr;
    QAction *m_demoAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_newSyncAction = nullptr;
    QAction *m_editSyncAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_dryRunAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_quitAction = nullptr;
};

} // namespace sluice

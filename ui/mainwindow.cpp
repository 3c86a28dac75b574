#include "mainwindow.h"

#include "asyncjob.h"
#include "connectionspage.h"
#include "demo/demoworkspace.h"
#include "dryrundialog.h"
#include "modelspage.h"
#include "rundisplay.h"
#include "runsmodel.h"
#include "runspage.h"
#include "synceditor.h"
#include "synclistmodel.h"
#include "syncrunner.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace sluice {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_syncs(new SyncListModel(this)), m_history(new RunsModel(this)),
      m_runner(new SyncRunner(this))
{
    setWindowTitle(tr("Sluice"));
    createActions();

    m_pages = new QStackedWidget;
    m_pages->setObjectName("pages");
    m_pages->addWidget(createSyncsPage());
    m_pages->addWidget(createEmptyPage());
    m_pages->addWidget(createBusyPage());
    m_modelsPage = new ModelsPage;
    m_modelsPage->setObjectName("modelsPage");
    m_connectionsPage = new ConnectionsPage;
    m_connectionsPage->setObjectName("connectionsPage");
    m_runsPage = new RunsPage;
    m_runsPage->setObjectName("runsPage");
    setCentralWidget(createNavigation());
    addSection(m_pages, tr("Syncs"), QStyle::SP_BrowserReload);
    addSection(m_modelsPage, tr("Models"), QStyle::SP_FileDialogDetailedView);
    addSection(m_connectionsPage, tr("Connections"), QStyle::SP_DriveNetIcon);
    addSection(m_runsPage, tr("Runs"), QStyle::SP_FileDialogInfoView);
    m_navigation->setCurrentRow(0);

    m_progressLabel = new QLabel;
    m_progressLabel->setObjectName("progressLabel");
    m_progressBar = new QProgressBar;
    m_progressBar->setTextVisible(false);
    m_progressBar->setMaximumWidth(200);
    m_stopButton = new QToolButton;
    m_stopButton->setDefaultAction(m_stopAction);
    m_stopButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    statusBar()->addPermanentWidget(m_progressLabel);
    statusBar()->addPermanentWidget(m_progressBar);
    statusBar()->addPermanentWidget(m_stopButton);
    setRunWidgetsVisible(false);

    connect(m_syncs, &SyncListModel::loaded, this, &MainWindow::syncsLoaded);
    connect(m_syncs, &SyncListModel::loadFailed, this, &MainWindow::syncsLoadFailed);
    connect(m_history, &RunsModel::loadFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message); });
    connect(m_runner, &SyncRunner::progress, this, &MainWindow::showProgress);
    connect(m_runner, &SyncRunner::finished, this, &MainWindow::runFinished);

    updatePage();
    updateActions();
    resize(1200, 700);
}

void MainWindow::createActions()
{
    const auto action = [this](const QString &text, const char *name, QStyle::StandardPixmap icon,
                               const QKeySequence &shortcut, auto slot) {
        auto *a = new QAction(style()->standardIcon(icon), text, this);
        a->setObjectName(name);
        a->setShortcut(shortcut);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_openAction = action(tr("&Open workspace…"), "openAction", QStyle::SP_DialogOpenButton,
                          QKeySequence::Open, &MainWindow::chooseWorkspace);
    m_demoAction = action(tr("Open the &demo workspace"), "demoAction", QStyle::SP_DirHomeIcon, {},
                          &MainWindow::openDemoWorkspace);
    m_quitAction = action(tr("&Quit"), "quitAction", QStyle::SP_DialogCloseButton,
                          QKeySequence(Qt::CTRL | Qt::Key_Q), &QWidget::close);
    m_refreshAction = action(tr("Re&fresh"), "refreshAction", QStyle::SP_BrowserReload,
                             QKeySequence(Qt::Key_F5), &MainWindow::refresh);
    m_newSyncAction =
        action(tr("&New sync…"), "newSyncAction", QStyle::SP_FileIcon,
               QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), [this] { editSync(0); });
    m_editSyncAction =
        action(tr("&Edit sync…"), "editSyncAction", QStyle::SP_FileDialogContentsView,
               QKeySequence(Qt::CTRL | Qt::Key_E), [this] {
                   if (const int row = selectedRow(); row >= 0)
                       editSync(m_syncs->syncId(row));
               });
    m_runAction = action(tr("&Run now"), "runNowAction", QStyle::SP_MediaPlay,
                         QKeySequence(Qt::CTRL | Qt::Key_R), [this] { startRun(false); });
    m_runAction->setToolTip(tr("Send the selected sync's changes to its destination now"));
    m_dryRunAction =
        action(tr("&Dry run"), "dryRunAction", QStyle::SP_FileDialogContentsView,
               QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), [this] { startRun(true); });
    m_dryRunAction->setToolTip(tr("Show what a run would change, without writing anything"));
    m_stopAction = action(tr("&Stop"), "stopAction", QStyle::SP_MediaStop, {}, [this] {
        m_runner->stop();
        m_stopAction->setEnabled(false);
        m_progressLabel->setText(tr("Stopping…"));
    });

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_openAction, m_demoAction});
    file->addSeparator();
    file->addAction(m_quitAction);
    QMenu *sync = menuBar()->addMenu(tr("&Sync"));
    sync->addActions({m_newSyncAction, m_editSyncAction});
    sync->addSeparator();
    sync->addActions({m_runAction, m_dryRunAction, m_stopAction});
    sync->addSeparator();
    sync->addAction(m_refreshAction);

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addActions({m_openAction, m_refreshAction});
    toolBar->addSeparator();
    toolBar->addActions({m_newSyncAction, m_editSyncAction, m_runAction, m_dryRunAction});
}

QWidget *MainWindow::createNavigation()
{
    m_navigation = new QListWidget;
    m_navigation->setObjectName("navigation");
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setIconSize(QSize(20, 20));
    m_navigation->setMaximumWidth(170);
    m_sections = new QStackedWidget;
    m_sections->setObjectName("sections");
    connect(m_navigation, &QListWidget::currentRowChanged, m_sections,
            &QStackedWidget::setCurrentIndex);

    auto *central = new QWidget;
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_navigation);
    layout->addWidget(m_sections, 1);
    return central;
}

// Every page has the same small interface: setWorkspace() to (re)load, statusMessage() for the
// status bar, workspaceEdited() when it saved something the other pages show too.
void MainWindow::addSection(QWidget *page, const QString &title, QStyle::StandardPixmap icon)
{
    const int index = m_sections->addWidget(page);
    auto *item = new QListWidgetItem(style()->standardIcon(icon), title, m_navigation);
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(title).arg(index + 1));
    auto *shortcut = new QAction(this);
    shortcut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
    connect(shortcut, &QAction::triggered, this, [this, index] { showSection(Section(index)); });
    addAction(shortcut);
    const auto connectPage = [this](auto *p) {
        connect(p, &std::remove_pointer_t<decltype(p)>::statusMessage, this,
                [this](const QString &text) { statusBar()->showMessage(text, 10000); });
        connect(p, &std::remove_pointer_t<decltype(p)>::workspaceEdited, this,
                [this, p] { workspaceEdited(p); });
    };
    if (auto *p = qobject_cast<ModelsPage *>(page))
        connectPage(p);
    else if (auto *p = qobject_cast<ConnectionsPage *>(page))
        connectPage(p);
    else if (auto *p = qobject_cast<RunsPage *>(page))
        connectPage(p);
}

void MainWindow::showSection(Section section)
{
    m_navigation->setCurrentRow(static_cast<int>(section));
}

void MainWindow::workspaceEdited(QObject *origin)
{
    if (m_workspacePath.empty())
        return;
    const QString path = QString::fromStdString(m_workspacePath.string());
    refresh();
    if (origin != m_modelsPage)
        m_modelsPage->setWorkspace(path);
    if (origin != m_connectionsPage)
        m_connectionsPage->setWorkspace(path);
    if (origin != m_runsPage)
        m_runsPage->setWorkspace(path);
}

void MainWindow::editSync(std::int64_t syncId)
{
    if (m_workspacePath.empty())
        return;
    auto *editor = new SyncEditor(QString::fromStdString(m_workspacePath.string()), syncId, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &SyncEditor::statusMessage, this,
            [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(editor, &SyncEditor::workspaceEdited, this,
            [this, editor] { workspaceEdited(editor); });
    editor->open();
}

QWidget *MainWindow::createSyncsPage()
{
    m_syncTable = new QTableView;
    m_syncTable->setObjectName("syncTable");
    m_syncTable->setModel(m_syncs);
    m_syncTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_syncTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_syncTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_syncTable->setAlternatingRowColors(true);
    m_syncTable->setWordWrap(false);
    m_syncTable->verticalHeader()->hide();
    // A few dozen rows at most: fitting the columns to their contents on every change is cheap.
    // The destination takes what is left, and is the one cut short when space runs out.
    QHeaderView *syncHeader = m_syncTable->horizontalHeader();
    syncHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    syncHeader->setSectionResizeMode(SyncListModel::Destination, QHeaderView::Stretch);
    syncHeader->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(m_syncTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::selectionChanged);
    connect(m_syncTable, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { editSync(m_syncs->syncId(index.row())); });

    m_historyTitle = new QLabel;
    m_historyTitle->setObjectName("historyTitle");
    m_historyTable = new QTableView;
    m_historyTable->setObjectName("runHistory");
    m_historyTable->setModel(m_history);
    m_historyTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyTable->setWordWrap(true);
    m_historyTable->verticalHeader()->hide();
    // Rows grow to show the whole message, wrapped within the width the message column gets.
    m_historyTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QHeaderView *header = m_historyTable->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RunsModel::Message, QHeaderView::Stretch);
    m_historyTable->hideColumn(RunsModel::Sync); // they are all the selected sync's

    auto *details = new QWidget;
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 6, 0, 0);
    detailsLayout->addWidget(m_historyTitle);
    detailsLayout->addWidget(m_historyTable);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName("syncsPage");
    splitter->addWidget(m_syncTable);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    return splitter;
}

QWidget *MainWindow::createEmptyPage()
{
    auto *page = new QWidget;
    page->setObjectName("emptyPage");
    m_emptyLabel = new QLabel;
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    auto *demo = new QPushButton(tr("Open the demo workspace"));
    demo->setObjectName("openDemoButton");
    demo->setDefault(true);
    connect(demo, &QPushButton::clicked, this, &MainWindow::openDemoWorkspace);
    auto *open = new QPushButton(tr("Open workspace…"));
    connect(open, &QPushButton::clicked, this, &MainWindow::chooseWorkspace);

    auto *layout = new QVBoxLayout(page);
    layout->addStretch();
    layout->addWidget(m_emptyLabel);
    layout->addSpacing(12);
    layout->addWidget(demo, 0, Qt::AlignHCenter);
    layout->addWidget(open, 0, Qt::AlignHCenter);
    layout->addStretch();
    return page;
}

QWidget *MainWindow::createBusyPage()
{
    auto *page = new QWidget;
    page->setObjectName("busyPage");
    auto *label = new QLabel(tr("Setting up the demo workspace: building the Acme warehouse and "
                                "its syncs. This takes a few seconds the first time."));
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    auto *busy = new QProgressBar;
    busy->setRange(0, 0);
    busy->setTextVisible(false);
    busy->setMinimumWidth(300);

    auto *layout = new QVBoxLayout(page);
    layout->addStretch();
    layout->addWidget(label);
    layout->addWidget(busy, 0, Qt::AlignHCenter);
    layout->addStretch();
    return page;
}

void MainWindow::openWorkspace(const std::filesystem::path &path)
{
    m_syncs->load(path);
}

void MainWindow::openDemoWorkspace()
{
    if (m_settingUpDemo)
        return;
    m_settingUpDemo = true;
    updatePage();
    updateActions();
    const std::filesystem::path path = defaultDemoWorkspacePath();
    runThenCallback(
        this,
        [path]() -> Result<void> {
            auto ws = Workspace::open(path);
            if (!ws)
                return std::unexpected(ws.error());
            auto syncs = ws->syncs();
            if (!syncs)
                return std::unexpected(syncs.error());
            if (syncs->empty()) {
                if (auto r = setupDemoWorkspace(*ws); !r)
                    return std::unexpected(r.error());
            }
            return {};
        },
        [this, path](Result<void> ready) {
            m_settingUpDemo = false;
            updatePage();
            updateActions();
            if (!ready) {
                showError(tr("Cannot set up the demo workspace"),
                          QString::fromStdString(ready.error().message));
                return;
            }
            openWorkspace(path);
        });
}

void MainWindow::chooseWorkspace()
{
    const QString dir = m_workspacePath.empty()
                            ? QString()
                            : QString::fromStdString(m_workspacePath.parent_path().string());
    const QString file = QFileDialog::getOpenFileName(this, tr("Open workspace"), dir,
                                                      tr("Sluice workspaces (*.sluice)"));
    if (!file.isEmpty())
        openWorkspace(file.toStdString());
}

void MainWindow::refresh()
{
    if (m_workspacePath.empty())
        return;
    m_syncs->load(m_workspacePath);
    // F5 also refreshes the dashboard, which other processes' runs (the CLI) change.
    if (m_sections->currentWidget() == m_runsPage)
        m_runsPage->refresh();
}

void MainWindow::startRun(bool dryRun)
{
    const int row = selectedRow();
    if (row < 0 || m_runner->isRunning())
        return;
    m_runSyncName = m_syncs->syncName(row);
    RunOptions options;
    options.dryRun = dryRun;
    m_runner->start(m_workspacePath, m_syncs->syncId(row), options);

    statusBar()->clearMessage(); // the last run's outcome no longer applies
    m_progressLabel->setText(dryRun ? tr("Planning “%1”…").arg(m_runSyncName)
                                    : tr("Starting “%1”…").arg(m_runSyncName));
    m_progressBar->setRange(0, 0);
    m_lastToSend = 0;
    setRunWidgetsVisible(true);
    m_stopAction->setEnabled(true);
    updateActions();
}

void MainWindow::showProgress(const RunProgress &progress)
{
    if (!m_stopAction->isEnabled())
        return; // keep saying "Stopping…"
    const QLocale locale;
    switch (progress.phase) {
    case RunProgress::Phase::Reading:
        m_progressLabel->setText(tr("Reading… %1 rows").arg(locale.toString(progress.rowsRead)));
        m_progressBar->setRange(0, 0);
        break;
    case RunProgress::Phase::Sending:
        m_progressLabel->setText(
            tr("Sending %1/%2")
                .arg(locale.toString(progress.sent), locale.toString(progress.toSend)));
        // The engine may send while it still reads; a total that is still growing is no
        // total, so the bar only fills once it holds still.
        if (progress.toSend != m_lastToSend || progress.toSend == 0) {
            m_progressBar->setRange(0, 0);
        } else {
            // Per mille, so counts beyond the range of int still fit.
            m_progressBar->setRange(0, 1000);
            m_progressBar->setValue(static_cast<int>(progress.sent * 1000 / progress.toSend));
        }
        m_lastToSend = progress.toSend;
        break;
    case RunProgress::Phase::Done:
        break;
    }
}

void MainWindow::runFinished(const RunResult &result)
{
    setRunWidgetsVisible(false);
    updateActions();
    const RunRecord &run = result.record;
    if (!m_runner->isDryRun()) {
        statusBar()->showMessage(RunDisplay::outcome(m_runSyncName, run));
        workspaceEdited(this);
        return;
    }
    if (run.status == RunStatus::Succeeded) {
        auto *dialog = new DryRunDialog(m_runSyncName, result, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    } else if (run.status == RunStatus::Cancelled) {
        statusBar()->showMessage(tr("The dry run of “%1” was stopped.").arg(m_runSyncName));
    } else {
        showError(tr("The dry run of “%1” failed").arg(m_runSyncName),
                  QString::fromStdString(run.error));
    }
}

void MainWindow::syncsLoaded()
{
    if (m_syncs->workspacePath() != m_workspacePath) {
        m_workspacePath = m_syncs->workspacePath();
        setWindowTitle(
            tr("Sluice — %1").arg(QString::fromStdString(m_workspacePath.filename().string())));
        m_selectedSyncId = 0;
        const QString path = QString::fromStdString(m_workspacePath.string());
        m_modelsPage->setWorkspace(path);
        m_connectionsPage->setWorkspace(path);
        m_runsPage->setWorkspace(path);
        if (m_syncs->rowCount() > 0)
            statusBar()->showMessage(
                tr("Select a sync and press Run now (Ctrl+R) to run it; Dry run (Ctrl+Shift+R) "
                   "shows first what it would change."),
                15000);
    }
    updatePage();
    const int row = std::max(0, m_syncs->rowOfSync(m_selectedSyncId));
    if (row < m_syncs->rowCount() && row != selectedRow())
        m_syncTable->selectRow(row); // loads the history through selectionChanged
    else
        loadHistory(); // the same sync: its runs may have changed
    updateActions();
}

void MainWindow::syncsLoadFailed(const QString &workspace, const QString &message)
{
    if (workspace.toStdString() == m_workspacePath.string())
        statusBar()->showMessage(message);
    else
        showError(tr("Cannot open the workspace"), message);
}

void MainWindow::selectionChanged()
{
    const int row = selectedRow();
    m_selectedSyncId = m_syncs->syncId(row);
    loadHistory();
    updateActions();
}

void MainWindow::loadHistory()
{
    const int row = selectedRow();
    if (row < 0) {
        m_historyTitle->setText(tr("Select a sync to see its recent runs."));
        m_history->clear();
        return;
    }
    m_historyTitle->setText(tr("Recent runs of “%1”").arg(m_syncs->syncName(row)));
    RunFilter filter;
    filter.syncId = m_syncs->syncId(row);
    filter.limit = 50;
    m_history->load(m_workspacePath, filter);
}

void MainWindow::updatePage()
{
    if (m_settingUpDemo) {
        m_pages->setCurrentIndex(static_cast<int>(Page::Busy));
        return;
    }
    if (m_syncs->rowCount() > 0) {
        m_pages->setCurrentIndex(static_cast<int>(Page::Syncs));
        return;
    }
    m_emptyLabel->setText(m_workspacePath.empty()
                              ? tr("No workspace is open.")
                              : tr("This workspace has no syncs yet. The demo workspace has "
                                   "some ready to run, from a sample warehouse into CSV files."));
    m_pages->setCurrentIndex(static_cast<int>(Page::Empty));
}

void MainWindow::updateActions()
{
    const bool canRun = selectedRow() >= 0 && !m_runner->isRunning() && !m_settingUpDemo;
    m_runAction->setEnabled(canRun);
    m_newSyncAction->setEnabled(!m_workspacePath.empty() && !m_settingUpDemo);
    m_editSyncAction->setEnabled(selectedRow() >= 0 && !m_settingUpDemo);
    m_dryRunAction->setEnabled(canRun);
    m_refreshAction->setEnabled(!m_workspacePath.empty());
    m_demoAction->setEnabled(!m_settingUpDemo);
    if (!m_runner->isRunning())
        m_stopAction->setEnabled(false);
}

void MainWindow::setRunWidgetsVisible(bool visible)
{
    m_progressLabel->setVisible(visible);
    m_progressBar->setVisible(visible);
    m_stopButton->setVisible(visible);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    // Window-modal and non-blocking: the event loop (and any run) goes on behind it.
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

int MainWindow::selectedRow() const
{
    const QModelIndexList rows = m_syncTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

} // namespace sluice

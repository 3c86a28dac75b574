#include "runspage.h"

#include "asyncjob.h"
#include "rejecteddialog.h"
#include "runcharts.h"
#include "rundisplay.h"
#include "runsmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace sluice {

namespace {

struct SyncName
{
    std::int64_t id;
    QString name;
};

} // namespace

RunsPage::RunsPage(QWidget *parent) : QWidget(parent)
{
    m_syncFilter = new QComboBox(this);
    m_syncFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_syncFilter->setMinimumContentsLength(16);
    m_syncFilter->addItem(tr("All syncs"), QVariant::fromValue<qint64>(0));
    m_statusFilter = new QComboBox(this);
    m_statusFilter->addItem(tr("All"), -1);
    for (RunStatus status :
         {RunStatus::Succeeded, RunStatus::Partial, RunStatus::Failed, RunStatus::Cancelled})
        m_statusFilter->addItem(RunDisplay::statusIcon(status), RunDisplay::statusText(status),
                                int(status));
    auto *syncLabel = new QLabel(tr("S&ync:"), this);
    syncLabel->setBuddy(m_syncFilter);
    auto *statusLabel = new QLabel(tr("S&tatus:"), this);
    statusLabel->setBuddy(m_statusFilter);

    m_refreshButton = new QPushButton(tr("Refresh"), this);
    m_refreshButton->setToolTip(
        tr("Read the runs again (%1)")
            .arg(QKeySequence(QKeySequence::Refresh).toString(QKeySequence::NativeText)));
    m_rejectedButton = new QPushButton(tr("Rejected &records…"), this);
    m_rejectedButton->setToolTip(tr("Show the records the destination rejected in the selected "
                                    "run, export or retry them (double-click a run)"));
    m_summary = new QLabel(this);

    auto *filters = new QHBoxLayout;
    filters->addWidget(syncLabel);
    filters->addWidget(m_syncFilter);
    filters->addSpacing(12);
    filters->addWidget(statusLabel);
    filters->addWidget(m_statusFilter);
    filters->addSpacing(12);
    filters->addWidget(m_summary, 1);
    filters->addWidget(m_rejectedButton);
    filters->addWidget(m_refreshButton);

    m_charts = new RunCharts(this);

    m_model = new RunsModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RunsModel::Message, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Runs"));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_charts);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);

    connect(m_syncFilter, &QComboBox::currentIndexChanged, this, &RunsPage::loadRuns);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &RunsPage::loadRuns);
    connect(m_refreshButton, &QPushButton::clicked, this, &RunsPage::refresh);
    connect(m_table, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { openRejected(index.row()); });
    connect(m_rejectedButton, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            openRejected(rows.first().row());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsPage::updateButtons);
    connect(m_model, &RunsModel::loaded, this, &RunsPage::onRunsLoaded);
    connect(m_model, &RunsModel::loadFailed, this, [this](const QString &message) {
        emit statusMessage(tr("Could not read the runs: %1").arg(message));
    });
    updateButtons();
}

RunFilter RunsPage::filter() const
{
    RunFilter f;
    if (const qint64 id = m_syncFilter->currentData().toLongLong(); id > 0)
        f.syncId = id;
    if (const int status = m_statusFilter->currentData().toInt(); status >= 0)
        f.status = RunStatus(status);
    f.limit = RunsModel::runLimit;
    return f;
}

void RunsPage::setWorkspace(const QString &workspacePath)
{
    const std::filesystem::path path = workspacePath.toStdString();
    if (path != m_workspace) {
        // Sync ids of another workspace mean nothing here: start from everything.
        m_workspace = path;
        const QSignalBlocker syncs(m_syncFilter);
        const QSignalBlocker statuses(m_statusFilter);
        while (m_syncFilter->count() > 1)
            m_syncFilter->removeItem(1);
        m_syncFilter->setCurrentIndex(0);
        m_statusFilter->setCurrentIndex(0);
        m_model->clear();
        m_charts->setRuns({});
    }
    refresh();
}

void RunsPage::refresh()
{
    if (m_workspace.empty())
        return;
    loadSyncs();
    loadRuns();
}

void RunsPage::loadSyncs()
{
    const quint64 generation = ++m_syncGeneration;
    runThenCallback(
        this,
        [workspace = m_workspace]() -> Result<std::vector<SyncName>> {
            auto ws = Workspace::open(workspace);
            if (!ws)
                return std::unexpected(ws.error());
            auto syncs = ws->syncs();
            if (!syncs)
                return std::unexpected(syncs.error());
            std::vector<SyncName> names;
            names.reserve(syncs->size());
            for (const SyncDef &s : *syncs)
                names.push_back({s.id, QString::fromStdString(s.name)});
            return names;
        },
        [this, generation](Result<std::vector<SyncName>> names) {
            if (generation != m_syncGeneration || !names)
                return; // the runs load reports an unreadable workspace
            std::sort(names->begin(), names->end(), [](const SyncName &a, const SyncName &b) {
                return QString::localeAwareCompare(a.name, b.name) < 0;
            });
            const qint64 current = m_syncFilter->currentData().toLongLong();
            int keep = 0;
            {
                const QSignalBlocker blocker(m_syncFilter);
                while (m_syncFilter->count() > 1)
                    m_syncFilter->removeItem(1);
                for (const SyncName &s : *names) {
                    m_syncFilter->addItem(s.name, QVariant::fromValue<qint64>(s.id));
                    if (s.id == current)
                        keep = m_syncFilter->count() - 1;
                }
                m_syncFilter->setCurrentIndex(keep);
            }
            if (current != 0 && keep == 0)
                loadRuns(); // the chosen sync is gone: show all
        });
}

void RunsPage::loadRuns()
{
    if (m_workspace.empty())
        return;
    m_model->load(m_workspace, filter());
}

void RunsPage::onRunsLoaded()
{
    m_charts->setRuns(m_model->entries());
    const int count = m_model->rowCount();
    QString text = tr("Runs: %1").arg(QLocale().toString(count));
    if (count >= RunsModel::runLimit)
        text = tr("The newest %1 runs").arg(QLocale().toString(count));
    m_summary->setText(text);
    updateButtons();
    emit loaded();
}

void RunsPage::updateButtons()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    m_rejectedButton->setEnabled(!rows.isEmpty() &&
                                 m_model->entry(rows.first().row()).run.counts.rejected > 0);
}

RejectedDialog *RunsPage::openRejected(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return nullptr;
    const RunListEntry &entry = m_model->entry(row);
    if (entry.run.counts.rejected == 0) {
        emit statusMessage(entry.run.error.empty()
                               ? tr("That run had no rejected records.")
                               : tr("That run had no rejected records: %1")
                                     .arg(QString::fromStdString(entry.run.error)));
        return nullptr;
    }
    auto *dialog = new RejectedDialog(m_workspace, entry, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RejectedDialog::statusMessage, this, &RunsPage::statusMessage);
    connect(dialog, &RejectedDialog::workspaceEdited, this, [this] {
        refresh();
        emit workspaceEdited();
    });
    dialog->open();
    return dialog;
}

} // namespace sluice

#include "synclistmodel.h"

#include "asyncjob.h"
#include "rundisplay.h"
#include "workspace/workspace.h"

#include <QLocale>

#include <algorithm>

namespace sluice {

SyncListModel::SyncListModel(QObject *parent) : QAbstractTableModel(parent) {}

void SyncListModel::load(const std::filesystem::path &workspace)
{
    const quint64 generation = ++m_generation;
    runThenCallback(
        this,
        [workspace]() -> Result<std::vector<SyncSummary>> {
            auto ws = Workspace::open(workspace);
            if (!ws)
                return std::unexpected(ws.error());
            return ws->syncSummaries();
        },
        [this, workspace, generation](Result<std::vector<SyncSummary>> syncs) {
            if (generation != m_generation)
                return;
            if (!syncs) {
                emit loadFailed(QString::fromStdString(workspace.string()),
                                QString::fromStdString(syncs.error().message));
                return;
            }
            setSyncs(workspace, std::move(*syncs));
            emit loaded();
        });
}

void SyncListModel::setSyncs(std::filesystem::path path, std::vector<SyncSummary> syncs)
{
    // The same syncs in the same order (a refresh after a run) update in place, so the view
    // keeps its selection and scroll position.
    const bool sameRows =
        path == m_path && std::ranges::equal(
                              syncs, m_syncs, {}, [](const SyncSummary &s) { return s.sync.id; },
                              [](const SyncSummary &s) { return s.sync.id; });
    if (sameRows) {
        m_syncs = std::move(syncs);
        if (!m_syncs.empty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_path = std::move(path);
    m_syncs = std::move(syncs);
    endResetModel();
}

std::int64_t SyncListModel::syncId(int row) const
{
    return row >= 0 && row < rowCount() ? m_syncs[row].sync.id : 0;
}

QString SyncListModel::syncName(int row) const
{
    return row >= 0 && row < rowCount() ? QString::fromStdString(m_syncs[row].sync.name)
                                        : QString();
}

int SyncListModel::rowOfSync(std::int64_t syncId) const
{
    const auto it =
        std::ranges::find(m_syncs, syncId, [](const SyncSummary &s) { return s.sync.id; });
    return it == m_syncs.end() ? -1 : static_cast<int>(it - m_syncs.begin());
}

int SyncListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_syncs.size());
}

int SyncListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SyncListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SyncSummary &s = m_syncs[index.row()];
    const std::optional<RunRecord> &run = s.lastRun;
    const auto count = [&run](std::int64_t RunCounts::*field) -> QVariant {
        return run ? QLocale().toString(run->counts.*field) : QString();
    };
    if (role == SyncIdRole)
        return QVariant::fromValue<qint64>(s.sync.id);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            return QString::fromStdString(s.sync.name);
        case Source:
            return tr("%1 (%2)").arg(QString::fromStdString(s.modelName),
                                     QString::fromStdString(s.sourceName));
        case Destination:
            return tr("%1 / %2").arg(QString::fromStdString(s.destinationName),
                                     QString::fromStdString(s.sync.object));
        case Mode:
            return RunDisplay::modeText(s.sync.mode);
        case LastRun:
            return RunDisplay::statusText(run ? std::optional(run->status) : std::nullopt);
        case LastRunAt:
            return run ? RunDisplay::localTime(run->startedAt) : QString();
        case Added:
            return count(&RunCounts::added);
        case Changed:
            return count(&RunCounts::changed);
        case Removed:
            return count(&RunCounts::removed);
        case Rejected:
            return count(&RunCounts::rejected);
        }
        return {};
    }
    if (role == Qt::DecorationRole && index.column() == LastRun)
        return RunDisplay::statusIcon(run ? std::optional(run->status) : std::nullopt);
    if (role == Qt::ToolTipRole) {
        if (index.column() == Source || index.column() == Destination)
            return data(index, Qt::DisplayRole); // in full when the column is cut short
        if (index.column() == Mode)
            return QString::fromStdString(syncModeExplanation(s.sync.mode));
        if (index.column() == LastRun && run && !run->error.empty())
            return QString::fromStdString(run->error);
        if (index.column() == LastRunAt && run)
            return RunDisplay::longLocalTime(run->startedAt);
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Added)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant SyncListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Source:
        return tr("Source");
    case Destination:
        return tr("Destination");
    case Mode:
        return tr("Mode");
    case LastRun:
        return tr("Last run");
    case LastRunAt:
        return tr("Last run at");
    case Added:
        return tr("Added");
    case Changed:
        return tr("Changed");
    case Removed:
        return tr("Removed");
    case Rejected:
        return tr("Rejected");
    }
    return {};
}

} // namespace sluice

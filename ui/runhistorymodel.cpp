#include "runhistorymodel.h"

#include "asyncjob.h"
#include "rundisplay.h"
#include "workspace/workspace.h"

#include <QLocale>

namespace sluice {

RunHistoryModel::RunHistoryModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunHistoryModel::load(const std::filesystem::path &workspace, std::int64_t syncId)
{
    const quint64 generation = ++m_generation;
    runThenCallback(
        this,
        [workspace, syncId]() -> Result<std::vector<RunRecord>> {
            auto ws = Workspace::open(workspace);
            if (!ws)
                return std::unexpected(ws.error());
            return ws->runs(syncId, runLimit);
        },
        [this, syncId, generation](Result<std::vector<RunRecord>> runs) {
            if (generation != m_generation)
                return;
            if (!runs) {
                emit loadFailed(QString::fromStdString(runs.error().message));
                return;
            }
            setRuns(syncId, std::move(*runs));
            emit loaded();
        });
}

void RunHistoryModel::clear()
{
    ++m_generation; // a load still under way would refill the cleared list
    setRuns(0, {});
}

void RunHistoryModel::setRuns(std::int64_t syncId, std::vector<RunRecord> runs)
{
    beginResetModel();
    m_syncId = syncId;
    m_runs = std::move(runs);
    endResetModel();
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord &run = m_runs[index.row()];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Started:
            return RunDisplay::localTime(run.startedAt);
        case Status:
            return RunDisplay::statusText(run.status);
        case Duration:
            return run.status == RunStatus::Running ? QString()
                                                    : RunDisplay::duration(run.durationMs);
        case Added:
            return QLocale().toString(run.counts.added);
        case Changed:
            return QLocale().toString(run.counts.changed);
        case Removed:
            return QLocale().toString(run.counts.removed);
        case Rejected:
            return QLocale().toString(run.counts.rejected);
        case Message:
            return QString::fromStdString(run.error);
        }
        return {};
    }
    if (role == Qt::DecorationRole && index.column() == Status)
        return RunDisplay::statusIcon(run.status);
    if (role == Qt::ToolTipRole && index.column() == Started)
        return RunDisplay::longLocalTime(run.startedAt);
    if (role == Qt::TextAlignmentRole && index.column() >= Duration && index.column() < Message)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Started:
        return tr("Started");
    case Status:
        return tr("Status");
    case Duration:
        return tr("Duration");
    case Added:
        return tr("Added");
    case Changed:
        return tr("Changed");
    case Removed:
        return tr("Removed");
    case Rejected:
        return tr("Rejected");
    case Message:
        return tr("Message");
    }
    return {};
}

} // namespace sluice

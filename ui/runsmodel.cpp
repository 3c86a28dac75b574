#include "runsmodel.h"

#include "asyncjob.h"
#include "rundisplay.h"

#include <QLocale>

#include <algorithm>

namespace sluice {

RunsModel::RunsModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunsModel::load(const std::filesystem::path &workspace, const RunFilter &filter)
{
    const quint64 generation = ++m_generation;
    m_loading = true;
    RunFilter limited = filter;
    limited.limit = std::clamp(filter.limit, 1, runLimit);
    runThenCallback(
        this,
        [workspace, limited]() -> Result<std::vector<RunListEntry>> {
            auto ws = Workspace::open(workspace);
            if (!ws)
                return std::unexpected(ws.error());
            return queryRuns(*ws, limited);
        },
        [this, generation](Result<std::vector<RunListEntry>> entries) {
            if (generation != m_generation)
                return;
            m_loading = false;
            if (!entries) {
                emit loadFailed(QString::fromStdString(entries.error().message));
                return;
            }
            setEntries(std::move(*entries));
            emit loaded();
        });
}

void RunsModel::clear()
{
    ++m_generation; // a load still under way would refill the cleared list
    m_loading = false;
    setEntries({});
}

void RunsModel::setEntries(std::vector<RunListEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunListEntry &entry = m_entries[index.row()];
    const RunRecord &run = entry.run;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Status:
            return RunDisplay::statusText(run.status);
        case Sync:
            return QString::fromStdString(entry.syncName);
        case Started:
            return RunDisplay::localTime(run.startedAt);
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
        break;
    case Qt::DecorationRole:
        if (index.column() == Status)
            return RunDisplay::statusIcon(run.status);
        break;
    case Qt::ToolTipRole:
        if ((index.column() == Status || index.column() == Message) && !run.error.empty())
            return QString::fromStdString(run.error);
        if (index.column() == Started)
            return RunDisplay::longLocalTime(run.startedAt);
        if (index.column() == Rejected && run.counts.rejected > 0)
            return tr("Double-click to see the rejected records");
        break;
    case Qt::TextAlignmentRole:
        if (index.column() >= Added && index.column() <= Rejected)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case RunIdRole:
        return QVariant::fromValue<qint64>(run.id);
    }
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && section >= Added && section <= Rejected)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Status:
        return tr("Status");
    case Sync:
        return tr("Sync");
    case Started:
        return tr("Started");
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

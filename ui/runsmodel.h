#pragma once
// Runs, newest first, with each run's sync name and message: all syncs' for the runs
// dashboard, one sync's for the main window's details pane (which hides the Sync column).
// Filtered by sync and status in the query; loads in the background, and a generation counter
// drops the results of superseded loads.

#include "workspace/runqueries.h"

#include <QAbstractTableModel>

#include <filesystem>
#include <vector>

namespace sluice {

class RunsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Status,
        Sync,
        Started,
        Duration,
        Added,
        Changed,
        Removed,
        Rejected,
        Message,
        ColumnCount
    };
    static constexpr int runLimit = 500;
    static constexpr int RunIdRole = Qt::UserRole + 1;

    explicit RunsModel(QObject *parent = nullptr);

    // Reads the newest runs that pass the filter (at most filter.limit, itself at most
    // runLimit) off the GUI thread; loaded() when they arrive. A workspace that cannot be read
    // leaves the rows alone (loadFailed()).
    void load(const std::filesystem::path &workspace, const RunFilter &filter);
    void clear();
    bool isLoading() const { return m_loading; }

    const std::vector<RunListEntry> &entries() const { return m_entries; }
    const RunListEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void loaded();
    void loadFailed(const QString &message);

private:
    void setEntries(std::vector<RunListEntry> entries);

    std::vector<RunListEntry> m_entries;
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace sluice

#pragma once
// The main window's list of syncs: one row per sync with its source, destination, mode and
// last run. Loads in the background; a generation counter drops results of superseded loads.

#include "workspace/definitions.h"

#include <QAbstractTableModel>

#include <filesystem>
#include <vector>

namespace sluice {

class SyncListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Name,
        Source,
        Destination,
        Mode,
        LastRun,
        LastRunAt,
        Added,
        Changed,
        Removed,
        Rejected,
        ColumnCount
    };
    enum Role
    {
        SyncIdRole = Qt::UserRole + 1
    };

    explicit SyncListModel(QObject *parent = nullptr);

    // Reads the syncs of the workspace at path off the GUI thread. The rows change when the
    // result arrives (loaded), or stay as they are if it cannot be read (loadFailed).
    void load(const std::filesystem::path &workspace);
    // The workspace the current rows came from; empty before the first successful load.
    const std::filesystem::path &workspacePath() const { return m_path; }

    std::int64_t syncId(int row) const;
    QString syncName(int row) const;
    int rowOfSync(std::int64_t syncId) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void loaded();
    void loadFailed(const QString &workspace, const QString &message);

private:
    void setSyncs(std::filesystem::path path, std::vector<SyncSummary> syncs);

    std::vector<SyncSummary> m_syncs;
    std::filesystem::path m_path;
    quint64 m_generation = 0;
};

} // namespace sluice

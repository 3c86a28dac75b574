#pragma once
// The recent runs of one sync, newest first, for the main window's details pane. Loads in the
// background; a generation counter drops results of superseded loads.

#include "workspace/definitions.h"

#include <QAbstractTableModel>

#include <filesystem>
#include <vector>

namespace sluice {

class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Started,
        Status,
        Duration,
        Added,
        Changed,
        Removed,
        Rejected,
        Message,
        ColumnCount
    };
    static constexpr int runLimit = 50;

    explicit RunHistoryModel(QObject *parent = nullptr);

    // Reads the last runLimit runs of the sync off the GUI thread; loaded() when they arrive.
    void load(const std::filesystem::path &workspace, std::int64_t syncId);
    void clear();
    std::int64_t syncId() const { return m_syncId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void loaded();
    void loadFailed(const QString &message);

private:
    void setRuns(std::int64_t syncId, std::vector<RunRecord> runs);

    std::vector<RunRecord> m_runs;
    std::int64_t m_syncId = 0;
    quint64 m_generation = 0;
};

} // namespace sluice

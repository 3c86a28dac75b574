#pragma once
// The records one run's destination rejected, with the destination's reason for each: search by
// key, save them as CSV, and retry them (runs the sync again; the engine always re-sends
// rejected records) with a plain report of how many went through.

#include "engine/syncengine.h"
#include "workspace/runqueries.h"

#include <QDialog>

#include <filesystem>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QTimer;

namespace sluice {

class SyncRunner;

class RejectedDialog : public QDialog
{
    Q_OBJECT

public:
    static constexpr int recordLimit = 100000;

    RejectedDialog(const std::filesystem::path &workspace, const RunListEntry &run,
                   QWidget *parent = nullptr);
    ~RejectedDialog() override;

    // Key, operation, reason of the listed records.
    QStandardItemModel *recordsModel() const { return m_model; }
    QLineEdit *searchBox() const { return m_search; }
    QString outcomeText() const;
    bool isRetrying() const;

    // Writes the listed records (key, operation, reason) to path through a temporary file, so a
    // failed export never leaves half a file behind. Runs in the background; exported() reports.
    void exportCsv(const QString &path);
    // Runs the sync again in the background; retryFinished() reports.
    void retryRejected();
    // Closing while a retry is under way stops it and closes when the run has been recorded.
    void reject() override;

signals:
    void recordsLoaded();
    void exported(bool ok, const QString &message);
    void retryFinished(const QString &outcome);
    void workspaceEdited();
    void statusMessage(const QString &text);

private:
    void loadRecords();
    void setRecords(const std::vector<RejectedRecord> &records);
    void chooseExportFile();
    void onRetryFinished(const RunResult &result);
    void setOutcome(const QString &text);

    std::filesystem::path m_workspace;
    RunListEntry m_run;
    quint64 m_generation = 0;
    std::vector<RejectedRecord> m_records;
    QLabel *m_summary = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;
    QTableView *m_view = nullptr;
    QStandardItemModel *m_model = nullptr;
    QPushButton *m_exportButton = nullptr;
    QPushButton *m_retryButton = nullptr;
    QLabel *m_outcome = nullptr;
    SyncRunner *m_runner = nullptr;
};

} // namespace sluice

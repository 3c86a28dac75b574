#include "rejecteddialog.h"

#include "asyncjob.h"
#include "csv/csvwriter.h"
#include "rundisplay.h"
#include "syncrunner.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace sluice {

namespace {

QString opText(Op op)
{
    switch (op) {
    case Op::Create:
        return RejectedDialog::tr("Create");
    case Op::Update:
        return RejectedDialog::tr("Update");
    case Op::Upsert:
        return RejectedDialog::tr("Create or update");
    case Op::Delete:
        return RejectedDialog::tr("Delete");
    }
    return {};
}

struct RetryOutcome
{
    std::int64_t retried = 0;
    std::vector<RejectedRecord> stillRejected; // of the retried keys, as the new run saw them
    std::string error;
};

} // namespace

RejectedDialog::RejectedDialog(const std::filesystem::path &workspace, const RunListEntry &run,
                               QWidget *parent)
    : QDialog(parent), m_workspace(workspace), m_run(run)
{
    setWindowTitle(tr("Rejected records — %1").arg(QString::fromStdString(run.syncName)));
    resize(820, 480);

    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setText(
        tr("Records rejected in the run of %1: %2. Each row says what the destination answered.")
            .arg(RunDisplay::longLocalTime(run.run.startedAt),
                 QLocale().toString(run.run.counts.rejected)));

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search by key…"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search by key"));
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(250); // one query per pause in typing, not per key stroke
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this, &RejectedDialog::loadRecords);
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, m_search, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });

    m_model = new QStandardItemModel(0, 3, this);
    m_model->setHorizontalHeaderLabels({tr("Key"), tr("Operation"), tr("Reason")});
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(0, 160);
    m_view->setColumnWidth(1, 130);

    m_outcome = new QLabel(this);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcome->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_exportButton = buttons->addButton(tr("&Export CSV…"), QDialogButtonBox::ActionRole);
    m_exportButton->setToolTip(
        tr("Save the listed records (key, operation, reason) as a CSV "
           "file (%1)")
            .arg(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText)));
    m_retryButton = buttons->addButton(tr("&Retry rejected"), QDialogButtonBox::ActionRole);
    m_retryButton->setToolTip(tr("Run the sync again now: rejected records are always sent "
                                 "again, together with anything that changed since"));
    m_retryButton->setEnabled(run.run.counts.rejected > 0);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_exportButton, &QPushButton::clicked, this, &RejectedDialog::chooseExportFile);
    auto *save = new QShortcut(QKeySequence::Save, this);
    connect(save, &QShortcut::activated, this, &RejectedDialog::chooseExportFile);
    connect(m_retryButton, &QPushButton::clicked, this, [this] {
        if (isRetrying())
            m_runner->stop();
        else
            retryRejected();
    });

    m_runner = new SyncRunner(this);
    connect(m_runner, &SyncRunner::progress, this, [this](const RunProgress &p) {
        setOutcome(p.phase == RunProgress::Phase::Sending
                       ? tr("Retrying: sent %1 of %2…")
                             .arg(QLocale().toString(p.sent), QLocale().toString(p.toSend))
                       : tr("Retrying: read %1 rows…").arg(QLocale().toString(p.rowsRead)));
    });
    connect(m_runner, &SyncRunner::finished, this, &RejectedDialog::onRetryFinished);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_search);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_outcome);
    layout->addWidget(buttons);

    loadRecords();
}

RejectedDialog::~RejectedDialog() = default;

bool RejectedDialog::isRetrying() const
{
    return m_runner->isRunning();
}

QString RejectedDialog::outcomeText() const
{
    return m_outcome->text();
}

void RejectedDialog::setOutcome(const QString &text)
{
    m_outcome->setText(text);
    m_outcome->setVisible(!text.isEmpty());
}

void RejectedDialog::loadRecords()
{
    m_searchTimer->stop();
    const quint64 generation = ++m_generation;
    const std::string search = m_search->text().trimmed().toStdString();
    runThenCallback(
        this,
        [workspace = m_workspace, runId = m_run.run.id,
         search]() -> Result<std::vector<RejectedRecord>> {
            auto ws = Workspace::open(workspace);
            if (!ws)
                return std::unexpected(ws.error());
            return queryRejectedRecords(*ws, runId, search, recordLimit);
        },
        [this, generation](Result<std::vector<RejectedRecord>> records) {
            if (generation != m_generation)
                return;
            if (!records) {
                setOutcome(tr("Could not read the rejected records: %1")
                               .arg(QString::fromStdString(records.error().message)));
                setRecords({});
            } else {
                setRecords(*records);
            }
            emit recordsLoaded();
        });
}

void RejectedDialog::setRecords(const std::vector<RejectedRecord> &records)
{
    m_records = records;
    m_model->removeRows(0, m_model->rowCount());
    m_model->setRowCount(int(records.size()));
    for (int row = 0; row < int(records.size()); ++row) {
        const RejectedRecord &r = records[std::size_t(row)];
        auto *reason = new QStandardItem(QString::fromStdString(r.reason));
        reason->setToolTip(reason->text()); // long messages are cut off in the cell
        m_model->setItem(row, 0, new QStandardItem(QString::fromStdString(r.key)));
        m_model->setItem(row, 1, new QStandardItem(opText(r.op)));
        m_model->setItem(row, 2, reason);
    }
    m_exportButton->setEnabled(!records.empty());
    if (records.size() >= std::size_t(recordLimit))
        m_summary->setText(m_summary->text() + QLatin1Char(' ') +
                           tr("Showing the first %1.").arg(QLocale().toString(recordLimit)));
}

void RejectedDialog::chooseExportFile()
{
    if (m_records.empty())
        return;
    const QString suggested = QDir::home().filePath(tr("rejected-run-%1.csv").arg(m_run.run.id));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export rejected records"),
                                                      suggested, tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

void RejectedDialog::exportCsv(const QString &path)
{
    m_exportButton->setEnabled(false);
    runThenCallback(
        this,
        [path, records = m_records]() -> QString {
            const CsvWriteOptions options;
            std::string text;
            text.reserve(64 + records.size() * 64);
            text += "key,operation,reason\n";
            for (const RejectedRecord &r : records) {
                appendCsvField(text, r.key, options);
                text += ',';
                appendCsvField(text, opName(r.op), options);
                text += ',';
                appendCsvField(text, r.reason, options);
                text += '\n';
            }
            // QSaveFile writes a temporary file next to the target and renames it on commit.
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return RejectedDialog::tr("Could not write %1: %2. Choose a folder you can "
                                          "write to.")
                    .arg(QDir::toNativeSeparators(path), file.errorString());
            if (file.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
                !file.commit())
                return RejectedDialog::tr("Could not write %1: %2. Check the free disk space.")
                    .arg(QDir::toNativeSeparators(path), file.errorString());
            return {};
        },
        [this, path, count = m_records.size()](QString error) {
            m_exportButton->setEnabled(!m_records.empty());
            const bool ok = error.isEmpty();
            const QString message =
                ok ? tr("Saved the rejected records (%1) to %2.")
                         .arg(QLocale().toString(qint64(count)), QDir::toNativeSeparators(path))
                   : error;
            setOutcome(message);
            emit statusMessage(message);
            emit exported(ok, message);
        });
}

void RejectedDialog::retryRejected()
{
    if (isRetrying() || m_run.run.counts.rejected == 0)
        return;
    m_retryButton->setText(tr("&Stop retry"));
    setOutcome(
        tr("Retrying the rejected records of %1…").arg(QString::fromStdString(m_run.syncName)));
    RunOptions options;
    options.trigger = "manual";
    m_runner->start(m_workspace, m_run.run.syncId, options);
}

void RejectedDialog::onRetryFinished(const RunResult &result)
{
    m_retryButton->setText(tr("&Retry rejected"));
    if (result.record.id != 0)
        emit workspaceEdited(); // a run was recorded; the lists elsewhere are out of date
    if (result.record.status == RunStatus::Failed || result.record.status == RunStatus::Cancelled) {
        const QString text =
            result.record.status == RunStatus::Cancelled
                ? tr("The retry was stopped; the rejected records may not all have been sent.")
                : tr("The retry failed: %1").arg(QString::fromStdString(result.record.error));
        setOutcome(text);
        emit statusMessage(text);
        emit retryFinished(text);
        return;
    }
    // Which of this run's rejected keys the new run rejected again, read off the GUI thread.
    runThenCallback(
        this,
        [workspace = m_workspace, oldRun = m_run.run.id, newRun = result.record.id]() {
            RetryOutcome outcome;
            auto ws = Workspace::open(workspace);
            if (!ws) {
                outcome.error = ws.error().message;
                return outcome;
            }
            auto before = queryRejectedRecords(*ws, oldRun, {}, std::numeric_limits<int>::max());
            auto after = queryRejectedRecords(*ws, newRun, {}, std::numeric_limits<int>::max());
            if (!before || !after) {
                outcome.error = (!before ? before.error() : after.error()).message;
                return outcome;
            }
            std::unordered_map<std::string, const RejectedRecord *> again;
            for (const RejectedRecord &r : *after)
                again.emplace(r.key, &r);
            std::unordered_set<std::string> keys;
            for (const RejectedRecord &r : *before) {
                if (!keys.insert(r.key).second)
                    continue;
                if (auto it = again.find(r.key); it != again.end())
                    outcome.stillRejected.push_back(*it->second);
            }
            outcome.retried = std::int64_t(keys.size());
            return outcome;
        },
        [this](RetryOutcome outcome) {
            QString text;
            const QLocale locale;
            if (!outcome.error.empty()) {
                text = tr("The sync ran again, but its result could not be read: %1")
                           .arg(QString::fromStdString(outcome.error));
            } else {
                const std::int64_t through =
                    outcome.retried - std::int64_t(outcome.stillRejected.size());
                text = tr("%1 of %2 rejected records went through.")
                           .arg(locale.toString(through), locale.toString(outcome.retried));
                if (!outcome.stillRejected.empty()) {
                    text += QLatin1Char(' ') +
                            tr("Rejected again (%1):")
                                .arg(locale.toString(qint64(outcome.stillRejected.size())));
                    constexpr std::size_t shown = 5;
                    for (std::size_t i = 0; i < outcome.stillRejected.size() && i < shown; ++i) {
                        const RejectedRecord &r = outcome.stillRejected[i];
                        text += QLatin1Char('\n') + tr("• %1: %2")
                                                        .arg(QString::fromStdString(r.key),
                                                             QString::fromStdString(r.reason));
                    }
                    if (outcome.stillRejected.size() > shown)
                        text +=
                            QLatin1Char('\n') +
                            tr("…and %1 more.")
                                .arg(locale.toString(qint64(outcome.stillRejected.size() - shown)));
                }
            }
            setOutcome(text);
            emit statusMessage(text.section(QLatin1Char('\n'), 0, 0));
            emit retryFinished(text);
        });
}

void RejectedDialog::reject()
{
    // Closing must not leave a run half-told: stop it and close when it has ended.
    if (isRetrying()) {
        m_runner->stop();
        connect(m_runner, &SyncRunner::finished, this, &QDialog::reject, Qt::SingleShotConnection);
        return;
    }
    QDialog::reject();
}

} // namespace sluice

#include "dryrundialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sluice {

namespace {

QString sampleKind(const PlanSample &sample)
{
    if (sample.removed)
        return DryRunDialog::tr("Remove");
    return sample.kind == ChangeKind::Added ? DryRunDialog::tr("Add") : DryRunDialog::tr("Change");
}

// One row per sample: its kind, its key and the values that would be sent, one column a field.
QTableWidget *samplesTable(const RunResult &result)
{
    auto *table = new QTableWidget(static_cast<int>(result.samples.size()),
                                   static_cast<int>(result.fields.size()) + 2);
    table->setObjectName("dryRunSamples");
    QStringList headers{DryRunDialog::tr("Kind"), DryRunDialog::tr("Key")};
    for (const auto &field : result.fields)
        headers << QString::fromStdString(field);
    table->setHorizontalHeaderLabels(headers);
    for (int row = 0; row < table->rowCount(); ++row) {
        const PlanSample &sample = result.samples[row];
        table->setItem(row, 0, new QTableWidgetItem(sampleKind(sample)));
        table->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(sample.key)));
        for (std::size_t i = 0; i < sample.values.size() && i < result.fields.size(); ++i)
            table->setItem(
                row, static_cast<int>(i) + 2,
                new QTableWidgetItem(QString::fromStdString(sample.values[i].toString())));
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

} // namespace

DryRunDialog::DryRunDialog(const QString &syncName, const RunResult &result, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Dry run of “%1”").arg(syncName));
    const RunCounts &c = result.record.counts;
    const QLocale locale;
    QString summary = tr("Nothing was written. A run now would add %1, change %2 and remove %3 "
                         "records; %4 are unchanged.")
                          .arg(locale.toString(c.added), locale.toString(c.changed),
                               locale.toString(c.removed), locale.toString(c.unchanged));
    if (c.skipped > 0)
        summary += ' ' + tr("%1 changed rows are skipped: this sync's mode never updates.")
                             .arg(locale.toString(c.skipped));
    if (c.rejected > 0)
        summary += ' ' + tr("%1 rows cannot be sent as they are.").arg(locale.toString(c.rejected));
    auto *summaryLabel = new QLabel(summary);
    summaryLabel->setObjectName("dryRunSummary");
    summaryLabel->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(summaryLabel);
    if (result.samples.empty()) {
        layout->addWidget(new QLabel(
            c.rejected > 0 ? tr("There is nothing else to send.")
                           : tr("There is nothing to send: the destination is up to date.")));
        layout->addStretch();
        setMinimumWidth(520);
    } else {
        layout->addWidget(new QLabel(tr("Examples of the records a run would send:")));
        layout->addWidget(samplesTable(result), 1);
        resize(900, 450);
    }
    layout->addWidget(buttons);
}

} // namespace sluice

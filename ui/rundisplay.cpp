#include "rundisplay.h"

#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace sluice {

namespace {

QDateTime parseUtc(const std::string &isoUtc)
{
    QDateTime time = QDateTime::fromString(QString::fromStdString(isoUtc), Qt::ISODateWithMs);
    return time.isValid() ? time.toLocalTime() : QDateTime();
}

} // namespace

QString RunDisplay::statusText(std::optional<RunStatus> status)
{
    if (!status)
        return tr("Never run");
    switch (*status) {
    case RunStatus::Running:
        return tr("Running");
    case RunStatus::Succeeded:
        return tr("Succeeded");
    case RunStatus::Partial:
        return tr("Partly rejected");
    case RunStatus::Failed:
        return tr("Failed");
    case RunStatus::Cancelled:
        return tr("Stopped");
    }
    return {};
}

QIcon RunDisplay::statusIcon(std::optional<RunStatus> status)
{
    QColor colour(0x9e, 0x9e, 0x9e); // grey: stopped, never run
    if (status) {
        switch (*status) {
        case RunStatus::Running:
            colour = QColor(0x15, 0x65, 0xc0);
            break;
        case RunStatus::Succeeded:
            colour = QColor(0x2e, 0x7d, 0x32);
            break;
        case RunStatus::Partial:
            colour = QColor(0xf9, 0xa8, 0x25);
            break;
        case RunStatus::Failed:
            colour = QColor(0xc6, 0x28, 0x28);
            break;
        case RunStatus::Cancelled:
            break;
        }
    }
    QIcon icon;
    for (int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const qreal inset = size / 4.0;
        const QRectF dot = QRectF(pixmap.rect()).adjusted(inset, inset, -inset, -inset);
        if (status) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(colour);
        } else {
            // Hollow: nothing has happened yet.
            painter.setPen(QPen(colour, size / 12.0));
            painter.setBrush(Qt::NoBrush);
        }
        painter.drawEllipse(dot);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

QString RunDisplay::localTime(const std::string &isoUtc)
{
    const QDateTime time = parseUtc(isoUtc);
    if (!time.isValid())
        return {};
    const QLocale locale;
    const QString clock = locale.toString(time.time(), QLocale::ShortFormat);
    const qint64 daysAgo = time.date().daysTo(QDate::currentDate());
    if (daysAgo == 0)
        return tr("Today %1").arg(clock);
    if (daysAgo == 1)
        return tr("Yesterday %1").arg(clock);
    return locale.toString(time, QLocale::ShortFormat);
}

QString RunDisplay::longLocalTime(const std::string &isoUtc)
{
    const QDateTime time = parseUtc(isoUtc);
    return time.isValid() ? QLocale().toString(time, QLocale::LongFormat) : QString();
}

QString RunDisplay::duration(std::int64_t ms)
{
    const QLocale locale;
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 60 * 1000)
        return tr("%1 s").arg(locale.toString(ms / 1000.0, 'f', 1));
    const std::int64_t seconds = ms / 1000;
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
}

QString RunDisplay::modeText(SyncMode mode)
{
    switch (mode) {
    case SyncMode::Insert:
        return tr("Insert");
    case SyncMode::Update:
        return tr("Update");
    case SyncMode::Upsert:
        return tr("Upsert");
    case SyncMode::Mirror:
        return tr("Mirror");
    }
    return {};
}

QString RunDisplay::outcome(const QString &syncName, const RunRecord &run)
{
    const QLocale locale;
    const QString error = QString::fromStdString(run.error);
    switch (run.status) {
    case RunStatus::Succeeded:
        return tr("“%1” succeeded: %2 added, %3 changed, %4 removed, %5 unchanged.")
            .arg(syncName, locale.toString(run.counts.added), locale.toString(run.counts.changed),
                 locale.toString(run.counts.removed), locale.toString(run.counts.unchanged));
    case RunStatus::Partial:
        return tr("“%1” finished with problems: %2 added, %3 changed, %4 removed. %5")
            .arg(syncName, locale.toString(run.counts.added), locale.toString(run.counts.changed),
                 locale.toString(run.counts.removed), error);
    case RunStatus::Cancelled:
        return tr("“%1”: %2").arg(syncName, error); // the engine's words say it was stopped
    case RunStatus::Failed:
    case RunStatus::Running:
        break;
    }
    return tr("“%1” failed: %2").arg(syncName, error);
}

} // namespace sluice

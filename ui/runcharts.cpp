#include "runcharts.h"

#include "rundisplay.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QDate>
#include <QDateTime>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QSet>
#include <QStackedBarSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace sluice {

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

// The same hues in both modes; lighter shades on a dark background so they keep their contrast.
QColor seriesColour(int series, bool dark)
{
    static const QColor light[] = {QColor(0x2e, 0x7d, 0x32), QColor(0x15, 0x65, 0xc0),
                                   QColor(0xef, 0x6c, 0x00), QColor(0xc6, 0x28, 0x28)};
    static const QColor darkShades[] = {QColor(0x81, 0xc7, 0x84), QColor(0x64, 0xb5, 0xf6),
                                        QColor(0xff, 0xb7, 0x4d), QColor(0xef, 0x53, 0x50)};
    return dark ? darkShades[series] : light[series];
}

QDateTime localStart(const RunRecord &run)
{
    const QDateTime time =
        QDateTime::fromString(QString::fromStdString(run.startedAt), Qt::ISODateWithMs);
    return time.isValid() ? time.toLocalTime() : QDateTime();
}

struct DurationScale
{
    double divisor;
    QString title;
    QString format;
};

DurationScale durationScale(std::int64_t maxMs)
{
    if (maxMs >= 120'000)
        return {60'000.0, RunCharts::tr("Duration (min)"), QStringLiteral("%.1f")};
    if (maxMs >= 10'000)
        return {1000.0, RunCharts::tr("Duration (s)"), QStringLiteral("%.0f")};
    return {1000.0, RunCharts::tr("Duration (s)"), QStringLiteral("%.2f")};
}

// A round upper bound for an axis, so tick labels are whole, readable numbers.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

RunCharts::RunCharts(QWidget *parent) : QChartView(parent)
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));

    m_added = new QBarSet(tr("Added"));
    m_changed = new QBarSet(tr("Changed"));
    m_removed = new QBarSet(tr("Removed"));
    m_rejected = new QBarSet(tr("Rejected"));
    m_bars = new QStackedBarSeries;
    m_bars->append({m_added, m_changed, m_removed, m_rejected});
    m_bars->setBarWidth(0.7);
    for (QBarSet *set : m_bars->barSets()) {
        connect(set, &QBarSet::hovered, this, [this](bool status, int index) {
            if (status)
                showToolTip(index);
            else
                QToolTip::hideText();
        });
    }

    m_duration = new QLineSeries;
    m_duration->setName(tr("Duration"));
    m_duration->setPointsVisible(true);
    connect(m_duration, &QLineSeries::hovered, this, [this](const QPointF &point, bool state) {
        if (state)
            showToolTip(static_cast<int>(std::lround(point.x())));
        else
            QToolTip::hideText();
    });

    m_chart->addSeries(m_bars);
    m_chart->addSeries(m_duration);

    m_runAxis = new QBarCategoryAxis;
    m_runAxis->setTitleText(tr("Runs, oldest to newest (start time)"));
    m_countAxis = new QValueAxis;
    m_countAxis->setTitleText(tr("Records"));
    m_countAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_countAxis->setMinorTickCount(0);
    m_durationAxis = new QValueAxis;
    m_durationAxis->setTitleText(tr("Duration (s)"));
    m_chart->addAxis(m_runAxis, Qt::AlignBottom);
    m_chart->addAxis(m_countAxis, Qt::AlignLeft);
    m_chart->addAxis(m_durationAxis, Qt::AlignRight);
    m_bars->attachAxis(m_runAxis);
    m_bars->attachAxis(m_countAxis);
    m_duration->attachAxis(m_runAxis);
    m_duration->attachAxis(m_durationAxis);

    setChart(m_chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(300);
    applyPalette();
    setRuns({});
}

void RunCharts::setRuns(const std::vector<RunListEntry> &newestFirst)
{
    const std::size_t count = std::min<std::size_t>(newestFirst.size(), maxRuns);
    m_runs.assign(newestFirst.begin(), newestFirst.begin() + static_cast<std::ptrdiff_t>(count));
    std::reverse(m_runs.begin(), m_runs.end());

    m_added->remove(0, m_added->count());
    m_changed->remove(0, m_changed->count());
    m_removed->remove(0, m_removed->count());
    m_rejected->remove(0, m_rejected->count());
    m_duration->clear();

    // Runs of one day are labelled by time alone, the day going into the axis title. Category
    // labels must be unique: runs started in the same minute get their number added.
    const QLocale locale;
    QDate firstDay;
    bool oneDay = !m_runs.empty();
    for (const RunListEntry &entry : m_runs) {
        const QDate day = localStart(entry.run).date();
        if (!firstDay.isValid())
            firstDay = day;
        oneDay = oneDay && day.isValid() && day == firstDay;
    }
    const QString format = oneDay ? QStringLiteral("HH:mm") : QStringLiteral("d MMM HH:mm");
    QStringList labels;
    QSet<QString> seen;
    std::int64_t maxMs = 0;
    double maxCount = 0;
    QList<QPointF> points;
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        const RunRecord &run = m_runs[i].run;
        const QDateTime start = localStart(run);
        QString label = start.isValid() ? locale.toString(start, format) : tr("#%1").arg(run.id);
        if (seen.contains(label))
            label = tr("%1 #%2").arg(label).arg(run.id);
        seen.insert(label);
        labels << label;
        *m_added << double(run.counts.added);
        *m_changed << double(run.counts.changed);
        *m_removed << double(run.counts.removed);
        *m_rejected << double(run.counts.rejected);
        maxCount = std::max(maxCount, double(run.counts.added + run.counts.changed +
                                             run.counts.removed + run.counts.rejected));
        maxMs = std::max(maxMs, run.durationMs);
    }
    const DurationScale scale = durationScale(maxMs);
    double maxDuration = 0;
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        const double value = double(m_runs[i].run.durationMs) / scale.divisor;
        maxDuration = std::max(maxDuration, value);
        points << QPointF(double(i), value);
    }
    m_duration->replace(points);

    m_runAxis->setCategories(labels.isEmpty() ? QStringList{QString()} : labels);
    m_runAxis->setLabelsAngle(labels.size() > 8 ? -45 : 0);
    m_runAxis->setTitleText(oneDay ? tr("Runs of %1, oldest to newest (start time)")
                                         .arg(locale.toString(firstDay, QLocale::ShortFormat))
                                   : tr("Runs, oldest to newest (start time)"));
    m_countAxis->setRange(0, niceCeiling(maxCount));
    m_countAxis->applyNiceNumbers();
    m_countAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_durationAxis->setTitleText(scale.title);
    m_durationAxis->setLabelFormat(scale.format);
    m_durationAxis->setRange(0, maxDuration > 0 ? maxDuration * 1.1 : 1);
    m_chart->setTitle(m_runs.empty() ? tr("No runs to show yet")
                                     : tr("Records sent per run, and how long each run took"));
}

QString RunCharts::toolTipText(int index) const
{
    if (index < 0 || index >= int(m_runs.size()))
        return {};
    const RunListEntry &entry = m_runs[std::size_t(index)];
    const RunRecord &run = entry.run;
    const QLocale locale;
    return tr("%1\n%2 · %3\nAdded %4, changed %5, removed %6, rejected %7\nTook %8")
        .arg(QString::fromStdString(entry.syncName), RunDisplay::longLocalTime(run.startedAt),
             RunDisplay::statusText(run.status), locale.toString(run.counts.added),
             locale.toString(run.counts.changed), locale.toString(run.counts.removed),
             locale.toString(run.counts.rejected), RunDisplay::duration(run.durationMs));
}

void RunCharts::showToolTip(int index)
{
    const QString text = toolTipText(index);
    if (!text.isEmpty())
        QToolTip::showText(QCursor::pos(), text, this);
}

void RunCharts::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_applyingPalette)
        applyPalette();
}

void RunCharts::applyPalette()
{
    m_applyingPalette = true;
    const QPalette pal = palette();
    const bool dark = isDark(pal);
    const QColor text = pal.color(QPalette::Text);
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(40);

    m_chart->setBackgroundBrush(pal.base());
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->setTitleBrush(text);
    m_chart->legend()->setLabelColor(text);
    const QList<QBarSet *> sets{m_added, m_changed, m_removed, m_rejected};
    for (int i = 0; i < sets.size(); ++i) {
        sets[i]->setColor(seriesColour(i, dark));
        sets[i]->setBorderColor(pal.color(QPalette::Base));
    }
    QPen line(text);
    line.setWidthF(2);
    m_duration->setPen(line);
    m_duration->setColor(text);

    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_runAxis), static_cast<QAbstractAxis *>(m_countAxis),
          static_cast<QAbstractAxis *>(m_durationAxis)}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(pal.color(QPalette::Mid));
        axis->setGridLineColor(grid);
    }
    m_durationAxis->setGridLineVisible(false); // one grid, the records axis's, is enough
    m_runAxis->setGridLineVisible(false);
    setBackgroundBrush(pal.base());
    m_applyingPalette = false;
}

} // namespace sluice

#pragma once
// The runs dashboard's chart: one stacked bar per run (added, changed, removed, rejected), oldest
// on the left, with the run's duration as a line on a second axis, tooltips on hover, and colours
// that follow the palette so the chart reads in light and dark mode.

#include "workspace/runqueries.h"

#include <QChartView>

#include <vector>

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QLineSeries;
class QStackedBarSeries;
class QValueAxis;

namespace sluice {

class RunCharts : public QChartView
{
    Q_OBJECT

public:
    static constexpr int maxRuns = 30;

    explicit RunCharts(QWidget *parent = nullptr);

    // Shows the newest maxRuns of the given runs (newest first, as the runs model has them).
    void setRuns(const std::vector<RunListEntry> &newestFirst);

    // The runs on show, oldest first: index i is bar i and line point i.
    const std::vector<RunListEntry> &shownRuns() const { return m_runs; }
    QStackedBarSeries *barSeries() const { return m_bars; }
    QLineSeries *durationSeries() const { return m_duration; }
    // What hovering bar or point i shows.
    QString toolTipText(int index) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    void showToolTip(int index);

    std::vector<RunListEntry> m_runs;
    QChart *m_chart = nullptr;
    QStackedBarSeries *m_bars = nullptr;
    QBarSet *m_added = nullptr;
    QBarSet *m_changed = nullptr;
    QBarSet *m_removed = nullptr;
    QBarSet *m_rejected = nullptr;
    QLineSeries *m_duration = nullptr;
    QBarCategoryAxis *m_runAxis = nullptr;
    QValueAxis *m_countAxis = nullptr;
    QValueAxis *m_durationAxis = nullptr;
    bool m_applyingPalette = false;
};

} // namespace sluice

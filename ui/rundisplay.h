#pragma once
// How runs read on screen: status words and coloured status icons, local times and durations,
// shared by the sync list, the run history and the status bar.

#include "workspace/definitions.h"

#include <QCoreApplication>
#include <QIcon>
#include <QString>

#include <optional>

namespace sluice {

class RunDisplay
{
    Q_DECLARE_TR_FUNCTIONS(RunDisplay)

public:
    // No status means the sync has never run.
    static QString statusText(std::optional<RunStatus> status);
    static QIcon statusIcon(std::optional<RunStatus> status);
    // An ISO 8601 UTC time from the workspace as local time: "Today 09:30", "Yesterday 18:02",
    // else date and time in the locale's short format. Empty for an empty or unreadable time.
    static QString localTime(const std::string &isoUtc);
    static QString longLocalTime(const std::string &isoUtc);
    static QString duration(std::int64_t ms);
    static QString modeText(SyncMode mode);
    // One line for the status bar when a run has finished.
    static QString outcome(const QString &syncName, const RunRecord &run);
};

} // namespace sluice

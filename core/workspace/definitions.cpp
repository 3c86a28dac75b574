#include "workspace/definitions.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace sluice {

const char *connectionRoleName(ConnectionRole role)
{
    return role == ConnectionRole::Source ? "source" : "destination";
}

const char *runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return "running";
    case RunStatus::Succeeded:
        return "succeeded";
    case RunStatus::Partial:
        return "partial";
    case RunStatus::Failed:
        return "failed";
    case RunStatus::Cancelled:
        return "cancelled";
    }
    return "failed";
}

std::optional<RunStatus> runStatusFromName(std::string_view name)
{
    for (auto s : {RunStatus::Running, RunStatus::Succeeded, RunStatus::Partial, RunStatus::Failed,
                   RunStatus::Cancelled}) {
        if (name == runStatusName(s))
            return s;
    }
    return std::nullopt;
}

nlohmann::json SyncOptions::toJson() const
{
    nlohmann::json j = nlohmann::json::object();
    j["mirror_max_delete_percent"] = mirrorMaxDeletePercent;
    if (batchSize != 0)
        j["batch_size"] = batchSize;
    return j;
}

Result<SyncOptions> SyncOptions::fromJson(const nlohmann::json &json)
{
    SyncOptions o;
    if (json.is_null())
        return o;
    if (!json.is_object())
        return fail(ErrorKind::Invalid, "Sync options must be a JSON object.");
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (it.key() == "mirror_max_delete_percent") {
            if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 100)
                return fail(ErrorKind::Invalid,
                            "\"mirror_max_delete_percent\" must be a number from 0 to 100.");
            o.mirrorMaxDeletePercent = it->get<double>();
        } else if (it.key() == "batch_size") {
            if (!it->is_number_integer() || it->get<std::int64_t>() < 1 ||
                it->get<std::int64_t>() > 100000)
                return fail(ErrorKind::Invalid,
                            "\"batch_size\" must be a whole number from 1 to 100000.");
            o.batchSize = it->get<std::size_t>();
        } else {
            return fail(ErrorKind::Invalid, "Unknown sync option \"" + it.key() +
                                                "\"; known options are mirror_max_delete_percent "
                                                "and batch_size.");
        }
    }
    return o;
}

std::string utcNowIso()
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t t = system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return buf;
}

} // namespace sluice

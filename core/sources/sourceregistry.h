#pragma once
// The source drivers Sluice knows, by kind. Adding a driver means adding one entry here.

#include "data/driverinfo.h"
#include "sources/source.h"

#include <functional>

namespace sluice {

struct SourceDriver
{
    DriverInfo info;
    std::function<Result<std::unique_ptr<Source>>(const nlohmann::json &settings,
                                                  const DriverContext &context)>
        create;
};

const std::vector<SourceDriver> &sourceDrivers();
const SourceDriver *findSourceDriver(std::string_view kind);
// Validates the settings and creates the source; a clear error for an unknown kind.
Result<std::unique_ptr<Source>>
createSource(const std::string &kind, const nlohmann::json &settings, const DriverContext &context);

} // namespace sluice

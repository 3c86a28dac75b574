#pragma once
// The destination drivers Sluice knows, by kind. Adding a driver means adding one entry here.

#include "data/driverinfo.h"
#include "destinations/destination.h"

#include <functional>

namespace sluice {

struct DestinationDriver
{
    DriverInfo info;
    std::function<Result<std::unique_ptr<Destination>>(const nlohmann::json &settings,
                                                       const DriverContext &context)>
        create;
};

const std::vector<DestinationDriver> &destinationDrivers();
const DestinationDriver *findDestinationDriver(std::string_view kind);
Result<std::unique_ptr<Destination>> createDestination(const std::string &kind,
                                                       const nlohmann::json &settings,
                                                       const DriverContext &context);

} // namespace sluice

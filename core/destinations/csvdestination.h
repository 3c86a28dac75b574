#pragma once
// The CSV file destination: each object is a .csv file in one folder. "snapshot" rewrites the
// whole file atomically on every sync (readers never see half a file); "changes" appends one
// line per change, exactly once across crashes thanks to a length checkpoint.

#include "data/driverinfo.h"
#include "destinations/destination.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace sluice {

DriverInfo csvDestinationDriverInfo();
Result<std::unique_ptr<Destination>> createCsvDestination(const nlohmann::json &settings,
                                                          const DriverContext &context);

} // namespace sluice

#pragma once
// "Test connection": creates a connection's source or destination through the registries and
// asks it for its list of tables or objects, which proves the settings point at something
// usable. It never writes: a destination folder that does not exist yet is reported as fine,
// because the first run creates it.

#include "data/driverinfo.h"
#include "util/error.h"
#include "workspace/definitions.h"

#include <string>

namespace sluice {

// A short text for the user on success ("Connected: 12 tables"), or the driver's own error
// (missing file, a folder where a file was expected, not a database, unreadable, …).
Result<std::string> testConnection(const ConnectionDef &connection, const DriverContext &context);

} // namespace sluice

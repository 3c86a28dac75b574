#pragma once
// The demo workspace a new user starts from: the Acme warehouse (acme.db) next to the
// workspace file, and three ready syncs into CSV files under exports/.

#include "workspace/workspace.h"

namespace sluice {

// Builds the warehouse if it is missing and imports the demo definitions (importing again
// changes nothing). Returns a short description for the user.
Result<std::string> setupDemoWorkspace(Workspace &workspace);
// Where `sluice --demo` keeps its workspace: <user data dir>/demo/workspace.sluice.
std::filesystem::path defaultDemoWorkspacePath();

} // namespace sluice

#pragma once
// The bundled Acme demo: builds the demo warehouse (a SQLite file) from the script embedded in
// the binary, and hands out the demo workspace's definitions, so a new user can sync something
// in the first minute.

#include "util/error.h"

#include <filesystem>
#include <string>

namespace sluice {

// Builds the Acme warehouse as a new SQLite file at `path`, replacing any file already there.
// The data is the same on every build (no randomness, dates relative to 2026-11-01). The file is
// built under a temporary name in the same folder and renamed into place only when complete, so
// `path` never holds a half-built warehouse. Missing parent folders are created.
Result<void> createDemoWarehouse(const std::filesystem::path &path);

// The demo workspace's connections, models and syncs in Sluice's config format (see
// workspace/configio.h). Relative paths in it resolve against the workspace file's folder.
Result<std::string> demoWorkspaceConfig();

} // namespace sluice

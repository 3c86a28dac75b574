#pragma once
// Sync definitions as JSON, so they can live in git: export a sync with its model and both
// connections; import a file with any number of each. Importing matches by name (an existing
// connection, model or sync of the same name is updated), so importing twice changes nothing,
// and export → import → export gives the same text byte for byte. Secrets are never written:
// a secret setting is exported as {"$secret": true} (or its "env:NAME" reference), and importing
// that marker keeps the secret already stored for a connection of that name, if any.
//
// {
//   "sluice_config": 1,
//   "connections": [{"name", "role": "source"|"destination", "kind", "settings": {…}}],
//   "models": [{"name", "source", "sql" | "table", "primary_key", "description"}],
//   "syncs": [{"name", "model", "destination", "object", "mode", "key_field", "mapping": […],
//              "schedule": {…}, "options": {…}, "enabled"}]
// }

#include "workspace/workspace.h"

namespace sluice {

constexpr int kConfigFormatVersion = 1;

Result<nlohmann::json> exportSyncConfig(Workspace &workspace, const std::string &syncName);
std::string configToText(const nlohmann::json &config); // stable formatting, ends with "\n"

struct ImportSummary
{
    std::vector<std::string> connections;
    std::vector<std::string> models;
    std::vector<std::string> syncs;
};

// All or nothing: on any error nothing is imported, and the message names the entry.
Result<ImportSummary> importConfig(Workspace &workspace, const nlohmann::json &config);
Result<ImportSummary> importConfigText(Workspace &workspace, std::string_view text);

} // namespace sluice

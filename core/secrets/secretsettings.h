#pragma once
// How a connection's Secret settings (driverinfo.h) are kept out of the workspace file and
// exported configs, and turned back into real values for the drivers. A Secret setting's value:
//   - in the workspace: {"$secret": "<store key>"} (the value is in the SecretStore), or
//     "env:NAME" (a reference, resolved from the environment each time it is used), or absent;
//   - in an exported config: {"$secret": true} — a secret to be entered after import — or
//     "env:NAME";
//   - in memory before saving (typed in a form): the secret itself.

#include "data/driverinfo.h"
#include "secrets/secretstore.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sluice {

inline constexpr const char *kSecretMarkerKey = "$secret";

bool isSecretMarker(const nlohmann::json &value);
// The store key of a marker ({"$secret": "<key>"}); nullopt for {"$secret": true} and non-markers.
std::optional<std::string> secretMarkerKey(const nlohmann::json &value);
// "env:NAME" → NAME; nullopt for anything else.
std::optional<std::string> envReferenceName(const nlohmann::json &value);

// The settings a driver gets: every Secret setting replaced by its value from the store or the
// environment. Errors name the setting and say what to do (enter it, set the variable); they
// never contain a secret. An optional secret that was never entered is left out.
Result<nlohmann::json> resolveSecretSettings(const DriverInfo &info, const nlohmann::json &settings,
                                             SecretStore &store);

// Saving a connection. `incoming` is what the caller wants stored, `existing` what the workspace
// holds now (empty for a new connection). Per Secret setting: a typed value goes into the store
// under a new key and becomes a marker; "env:NAME" stays as the reference; absent, "" or a marker
// keep what is stored (an empty secret field on edit means "keep"); null removes it. A marker
// naming a store key is honoured only when it is this connection's own current one, so an
// imported file cannot point a connection at another connection's secret.
struct SecretSettingsUpdate
{
    nlohmann::json settings;          // what the workspace stores: markers and references only
    std::vector<std::string> written; // store keys written now: remove them if saving fails
    std::vector<std::string> dropped; // store keys no longer used: remove them once saved
};
Result<SecretSettingsUpdate> storeSecretSettings(const DriverInfo &info,
                                                 const nlohmann::json &incoming,
                                                 const nlohmann::json &existing,
                                                 SecretStore &store);

// The settings as validateSettings() should see them: markers count as a value that is there.
nlohmann::json settingsForValidation(const nlohmann::json &settings);

// Settings for an exported config: every marker becomes {"$secret": true}, and a typed secret
// (which the workspace never holds, but a caller's in-memory definition may) is replaced by one
// too. `info` may be null (an unknown driver): then only markers are recognised.
nlohmann::json settingsForExport(const DriverInfo *info, const nlohmann::json &settings);

// The store keys the settings' markers point at (to remove them with the connection).
std::vector<std::string> secretStoreKeys(const nlohmann::json &settings);

} // namespace sluice

#include "secrets/secretsettings.h"

#include <QUuid>

#include <cstdlib>

namespace sluice {

namespace {

bool validEnvName(std::string_view name)
{
    if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
        return false;
    for (char c : name) {
        const bool ok =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

bool isEmptyValue(const nlohmann::json &value)
{
    return value.is_null() || (value.is_string() && value.get_ref<const std::string &>().empty());
}

std::string quoted(const SettingSpec &spec)
{
    return "\"" + spec.label + "\"";
}

std::string newStoreKey(const std::string &settingKey)
{
    return "connection:" + QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString() + ":" +
           settingKey;
}

} // namespace

bool isSecretMarker(const nlohmann::json &value)
{
    return value.is_object() && value.size() == 1 && value.contains(kSecretMarkerKey);
}

std::optional<std::string> secretMarkerKey(const nlohmann::json &value)
{
    if (!isSecretMarker(value))
        return std::nullopt;
    const auto &key = value[kSecretMarkerKey];
    if (!key.is_string() || key.get_ref<const std::string &>().empty())
        return std::nullopt;
    return key.get<std::string>();
}

std::optional<std::string> envReferenceName(const nlohmann::json &value)
{
    if (!value.is_string())
        return std::nullopt;
    const auto &text = value.get_ref<const std::string &>();
    if (!text.starts_with("env:"))
        return std::nullopt;
    return text.substr(4);
}

Result<nlohmann::json> resolveSecretSettings(const DriverInfo &info, const nlohmann::json &settings,
                                             SecretStore &store)
{
    if (!settings.is_object())
        return settings; // validateSettings says what is wrong
    nlohmann::json out = settings;
    for (const auto &spec : info.settings) {
        if (spec.kind != SettingKind::Secret)
            continue;
        auto it = out.find(spec.key);
        if (it == out.end() || isEmptyValue(*it))
            continue;
        if (auto name = envReferenceName(*it)) {
            if (!validEnvName(*name))
                return fail(ErrorKind::Invalid,
                            "The secret " + quoted(spec) + " refers to \"env:" + *name +
                                "\", which is not a valid environment variable name. Use letters, "
                                "digits and _ (e.g. env:HUBSPOT_TOKEN).");
            const char *value = std::getenv(name->c_str());
            if (!value || !*value)
                return fail(ErrorKind::Invalid,
                            "The secret " + quoted(spec) +
                                " is read from the environment variable " + *name + ", which is " +
                                (value ? "empty" : "not set") +
                                ". Set it before starting Sluice, or edit the connection and "
                                "enter the secret itself.");
            *it = value;
            continue;
        }
        if (!isSecretMarker(*it))
            continue; // typed in a form and not saved yet: the value itself
        const auto key = secretMarkerKey(*it);
        if (!key) {
            if (!spec.required) {
                out.erase(it);
                continue;
            }
            return fail(ErrorKind::Invalid,
                        "The secret " + quoted(spec) +
                            " has not been entered for this connection (configurations "
                            "exported from Sluice never contain secrets). Edit the connection "
                            "and enter it.");
        }
        auto value = store.get(*key);
        if (!value)
            return fail(value.error().kind,
                        "The secret " + quoted(spec) + " cannot be read: " + value.error().message,
                        value.error().detail);
        if (!*value)
            return fail(ErrorKind::Invalid, "The secret " + quoted(spec) + " is missing from " +
                                                store.describe() +
                                                ". Edit the connection and enter it again.");
        *it = std::move(**value);
        wipeSecret(**value);
    }
    return out;
}

Result<SecretSettingsUpdate> storeSecretSettings(const DriverInfo &info,
                                                 const nlohmann::json &incoming,
                                                 const nlohmann::json &existing, SecretStore &store)
{
    SecretSettingsUpdate update;
    if (!incoming.is_object()) {
        update.settings = incoming; // validateSettings says what is wrong
        return update;
    }
    const nlohmann::json old = existing.is_object() ? existing : nlohmann::json::object();
    auto oldValue = [&](const std::string &key) -> const nlohmann::json * {
        auto it = old.find(key);
        return it == old.end() || isEmptyValue(*it) ? nullptr : &*it;
    };
    auto forget = [&](const nlohmann::json *value) {
        if (value)
            if (auto key = secretMarkerKey(*value))
                update.dropped.push_back(*key);
    };
    auto undo = [&] {
        for (const auto &key : update.written)
            (void)store.remove(key);
    };

    update.settings = nlohmann::json::object();
    for (auto it = incoming.begin(); it != incoming.end(); ++it) {
        const SettingSpec *spec = nullptr;
        for (const auto &s : info.settings)
            spec = s.key == it.key() ? &s : spec;
        if (!spec || spec->kind != SettingKind::Secret) {
            if (isSecretMarker(*it)) {
                undo();
                return fail(ErrorKind::Invalid,
                            "The setting \"" + (spec ? spec->label : it.key()) +
                                "\" is not a secret, so it cannot refer to the secret store.");
            }
            update.settings[it.key()] = *it; // validateSettings judges unknown keys
        }
    }
    // A setting that was a secret under the connection's old kind and is not one now.
    for (auto it = old.begin(); it != old.end(); ++it) {
        const bool stillSecret =
            std::any_of(info.settings.begin(), info.settings.end(), [&](const SettingSpec &s) {
                return s.key == it.key() && s.kind == SettingKind::Secret;
            });
        if (!stillSecret)
            forget(&*it);
    }

    for (const auto &spec : info.settings) {
        if (spec.kind != SettingKind::Secret)
            continue;
        const nlohmann::json *previous = oldValue(spec.key);
        auto in = incoming.find(spec.key);
        const bool keep = in == incoming.end() ||
                          (in->is_string() && in->get_ref<const std::string &>().empty()) ||
                          isSecretMarker(*in);
        if (keep) {
            if (previous)
                update.settings[spec.key] = *previous;
            else if (in != incoming.end() && isSecretMarker(*in))
                update.settings[spec.key] = {{kSecretMarkerKey, true}}; // still to be entered
            continue;
        }
        if (in->is_null()) {
            forget(previous);
            continue;
        }
        if (!in->is_string()) {
            undo();
            return fail(ErrorKind::Invalid, "The secret " + quoted(spec) + " must be text.");
        }
        if (auto name = envReferenceName(*in)) {
            if (!validEnvName(*name)) {
                undo();
                return fail(ErrorKind::Invalid,
                            "The secret " + quoted(spec) + " refers to \"env:" + *name +
                                "\", which is not a valid environment variable name. Use "
                                "letters, digits and _ (e.g. env:HUBSPOT_TOKEN).");
            }
            update.settings[spec.key] = *in;
            forget(previous);
            continue;
        }
        // The same secret typed again: keep its key, write nothing.
        if (previous) {
            if (auto key = secretMarkerKey(*previous)) {
                auto stored = store.get(*key);
                if (stored && *stored && **stored == in->get_ref<const std::string &>()) {
                    wipeSecret(**stored);
                    update.settings[spec.key] = *previous;
                    continue;
                }
                if (stored && *stored)
                    wipeSecret(**stored);
            }
        }
        // A new key rather than overwriting the old one: if saving the connection fails, the
        // workspace still points at the old secret, which is still there.
        const std::string key = newStoreKey(spec.key);
        if (auto r = store.set(key, in->get_ref<const std::string &>()); !r) {
            undo();
            return fail(r.error().kind,
                        "The secret " + quoted(spec) + " cannot be saved: " + r.error().message,
                        r.error().detail);
        }
        update.written.push_back(key);
        update.settings[spec.key] = {{kSecretMarkerKey, key}};
        forget(previous);
    }
    return update;
}

nlohmann::json settingsForValidation(const nlohmann::json &settings)
{
    if (!settings.is_object())
        return settings;
    nlohmann::json out = settings;
    for (auto &value : out) {
        if (isSecretMarker(value))
            value = "(stored secret)";
    }
    return out;
}

nlohmann::json settingsForExport(const DriverInfo *info, const nlohmann::json &settings)
{
    if (!settings.is_object())
        return settings;
    nlohmann::json out = settings;
    for (auto it = out.begin(); it != out.end(); ++it) {
        bool secret = isSecretMarker(*it);
        if (!secret && info) {
            for (const auto &spec : info->settings)
                secret = secret || (spec.key == it.key() && spec.kind == SettingKind::Secret &&
                                    !isEmptyValue(*it) && !envReferenceName(*it));
        }
        if (secret)
            *it = {{kSecretMarkerKey, true}};
    }
    return out;
}

std::vector<std::string> secretStoreKeys(const nlohmann::json &settings)
{
    std::vector<std::string> keys;
    if (!settings.is_object())
        return keys;
    for (const auto &value : settings) {
        if (auto key = secretMarkerKey(value))
            keys.push_back(*key);
    }
    return keys;
}

} // namespace sluice

#include "data/driverinfo.h"

#include "secrets/secretstore.h"

#include <algorithm>

namespace sluice {

std::filesystem::path DriverContext::resolve(const std::string &path) const
{
    std::filesystem::path p(path);
    if (p.is_absolute() || baseDir.empty())
        return p;
    return baseDir / p;
}

std::shared_ptr<SecretStore> DriverContext::secretStore() const
{
    return secrets ? secrets : defaultSecretStore();
}

std::string validateSettings(const DriverInfo &info, const nlohmann::json &settings)
{
    if (!settings.is_object())
        return "Connection settings must be a JSON object.";
    for (const auto &spec : info.settings) {
        auto it = settings.find(spec.key);
        const bool missing = it == settings.end() || it->is_null() ||
                             (it->is_string() && it->get<std::string>().empty());
        if (missing) {
            if (spec.required)
                return "The setting \"" + spec.label + "\" is required for a " + info.label +
                       " connection.";
            continue;
        }
        switch (spec.kind) {
        case SettingKind::Number:
            if (!it->is_number())
                return "The setting \"" + spec.label + "\" must be a number.";
            break;
        case SettingKind::Boolean:
            if (!it->is_boolean())
                return "The setting \"" + spec.label + "\" must be true or false.";
            break;
        case SettingKind::Choice: {
            if (!it->is_string() || std::find(spec.choices.begin(), spec.choices.end(),
                                              it->get<std::string>()) == spec.choices.end()) {
                std::string list;
                for (const auto &c : spec.choices)
                    list += (list.empty() ? "" : ", ") + c;
                return "The setting \"" + spec.label + "\" must be one of: " + list + ".";
            }
            break;
        }
        default:
            if (!it->is_string())
                return "The setting \"" + spec.label + "\" must be text.";
        }
    }
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        const bool known = std::any_of(info.settings.begin(), info.settings.end(),
                                       [&](const SettingSpec &s) { return s.key == it.key(); });
        if (!known)
            return "Unknown setting \"" + it.key() + "\" for a " + info.label + " connection.";
    }
    return {};
}

const char *settingKindName(SettingKind kind)
{
    switch (kind) {
    case SettingKind::Text:
        return "text";
    case SettingKind::Number:
        return "number";
    case SettingKind::FilePath:
        return "file";
    case SettingKind::FolderPath:
        return "folder";
    case SettingKind::Secret:
        return "secret";
    case SettingKind::Choice:
        return "choice";
    case SettingKind::Boolean:
        return "boolean";
    }
    return "text";
}

} // namespace sluice

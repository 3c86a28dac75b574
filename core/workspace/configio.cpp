#include "workspace/configio.h"

#include "destinations/destinationregistry.h"
#include "secrets/secretsettings.h"
#include "sources/sourceregistry.h"

namespace sluice {

namespace {

nlohmann::json connectionJson(const ConnectionDef &c)
{
    const DriverInfo *info = nullptr;
    if (c.role == ConnectionRole::Source) {
        if (auto *d = findSourceDriver(c.kind))
            info = &d->info;
    } else if (auto *d = findDestinationDriver(c.kind)) {
        info = &d->info;
    }
    // Secrets stay behind: {"$secret": true} says one is to be entered after import.
    return {{"name", c.name},
            {"role", connectionRoleName(c.role)},
            {"kind", c.kind},
            {"settings", settingsForExport(info, c.settings)}};
}

Result<std::string> requireString(const nlohmann::json &j, const char *key,
                                  const std::string &where, bool required = true)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (!required)
            return std::string();
        return fail(ErrorKind::Invalid, where + ": \"" + key + "\" is missing.");
    }
    if (!it->is_string())
        return fail(ErrorKind::Invalid, where + ": \"" + key + "\" must be text.");
    return it->get<std::string>();
}

Result<void> checkKeys(const nlohmann::json &j, std::initializer_list<const char *> allowed,
                       const std::string &where)
{
    if (!j.is_object())
        return fail(ErrorKind::Invalid, where + " must be a JSON object.");
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool ok = false;
        for (const char *k : allowed)
            ok = ok || it.key() == k;
        if (!ok)
            return fail(ErrorKind::Invalid, where + ": unknown key \"" + it.key() + "\".");
    }
    return {};
}

#define TRY_ASSIGN(var, expr)                                                                      \
    auto var##_r = (expr);                                                                         \
    if (!var##_r)                                                                                  \
        return std::unexpected(var##_r.error());                                                   \
    auto var = std::move(*var##_r)

Result<ImportSummary> importInto(Workspace &ws, const nlohmann::json &config)
{
    ImportSummary summary;
    if (!config.is_object() || !config.contains("sluice_config"))
        return fail(ErrorKind::Invalid,
                    "This is not a Sluice configuration file (it has no \"sluice_config\" key).");
    if (config["sluice_config"] != kConfigFormatVersion)
        return fail(ErrorKind::Invalid, "This configuration file has format version " +
                                            config["sluice_config"].dump() +
                                            "; this Sluice reads version " +
                                            std::to_string(kConfigFormatVersion) + ".");
    if (auto r = checkKeys(config, {"sluice_config", "connections", "models", "syncs"},
                           "The configuration");
        !r)
        return std::unexpected(r.error());
    auto list = [&](const char *key) -> Result<nlohmann::json> {
        auto it = config.find(key);
        if (it == config.end())
            return nlohmann::json::array();
        if (!it->is_array())
            return fail(ErrorKind::Invalid, std::string("\"") + key + "\" must be a list.");
        return *it;
    };

    TRY_ASSIGN(connections, list("connections"));
    for (std::size_t i = 0; i < connections.size(); ++i) {
        const auto &j = connections[i];
        const std::string where = "Connection " + std::to_string(i + 1);
        if (auto r = checkKeys(j, {"name", "role", "kind", "settings"}, where); !r)
            return std::unexpected(r.error());
        TRY_ASSIGN(name, requireString(j, "name", where));
        TRY_ASSIGN(role, requireString(j, "role", where));
        TRY_ASSIGN(kind, requireString(j, "kind", where));
        if (role != "source" && role != "destination")
            return fail(ErrorKind::Invalid,
                        where + " (\"" + name +
                            "\"): \"role\" must be \"source\" or \"destination\".");
        ConnectionDef c;
        if (auto existing = ws.connectionByName(name))
            c.id = existing->id;
        c.name = name;
        c.role = role == "source" ? ConnectionRole::Source : ConnectionRole::Destination;
        c.kind = kind;
        c.settings = j.value("settings", nlohmann::json::object());
        if (auto r = ws.saveConnection(c); !r)
            return std::unexpected(r.error());
        summary.connections.push_back(name);
    }

    TRY_ASSIGN(models, list("models"));
    for (std::size_t i = 0; i < models.size(); ++i) {
        const auto &j = models[i];
        const std::string where = "Model " + std::to_string(i + 1);
        if (auto r = checkKeys(j, {"name", "source", "sql", "table", "primary_key", "description"},
                               where);
            !r)
            return std::unexpected(r.error());
        TRY_ASSIGN(name, requireString(j, "name", where));
        TRY_ASSIGN(source, requireString(j, "source", where + " (\"" + name + "\")"));
        auto conn = ws.connectionByName(source);
        if (!conn)
            return fail(ErrorKind::Invalid, where + " (\"" + name + "\"): its source \"" + source +
                                                "\" is neither in the file nor in the workspace.");
        ModelDef m;
        if (auto existing = ws.modelByName(name))
            m.id = existing->id;
        m.name = name;
        m.connectionId = conn->id;
        TRY_ASSIGN(sql, requireString(j, "sql", where, false));
        TRY_ASSIGN(table, requireString(j, "table", where, false));
        TRY_ASSIGN(pk, requireString(j, "primary_key", where));
        TRY_ASSIGN(description, requireString(j, "description", where, false));
        m.sql = sql;
        m.table = table;
        m.primaryKey = pk;
        m.description = description;
        if (auto r = ws.saveModel(m); !r)
            return std::unexpected(r.error());
        summary.models.push_back(name);
    }

    TRY_ASSIGN(syncs, list("syncs"));
    for (std::size_t i = 0; i < syncs.size(); ++i) {
        const auto &j = syncs[i];
        const std::string where0 = "Sync " + std::to_string(i + 1);
        if (auto r = checkKeys(j,
                               {"name", "model", "destination", "object", "mode", "key_field",
                                "mapping", "schedule", "options", "enabled"},
                               where0);
            !r)
            return std::unexpected(r.error());
        TRY_ASSIGN(name, requireString(j, "name", where0));
        const std::string where = where0 + " (\"" + name + "\")";
        TRY_ASSIGN(modelName, requireString(j, "model", where));
        TRY_ASSIGN(destName, requireString(j, "destination", where));
        TRY_ASSIGN(object, requireString(j, "object", where));
        TRY_ASSIGN(modeName, requireString(j, "mode", where));
        TRY_ASSIGN(keyField, requireString(j, "key_field", where, false));
        auto model = ws.modelByName(modelName);
        if (!model)
            return fail(ErrorKind::Invalid, where + ": its model \"" + modelName +
                                                "\" is neither in the file nor in the workspace.");
        auto dest = ws.connectionByName(destName);
        if (!dest)
            return fail(ErrorKind::Invalid, where + ": its destination \"" + destName +
                                                "\" is neither in the file nor in the workspace.");
        auto mode = syncModeFromName(modeName);
        if (!mode)
            return fail(ErrorKind::Invalid, where + ": unknown mode \"" + modeName +
                                                "\"; use insert, update, upsert or mirror.");
        auto mapping = mappingFromJson(j.value("mapping", nlohmann::json::array()));
        if (!mapping)
            return fail(ErrorKind::Invalid, where + ": " + mapping.error().message);
        auto options = SyncOptions::fromJson(j.value("options", nlohmann::json::object()));
        if (!options)
            return fail(ErrorKind::Invalid, where + ": " + options.error().message);
        SyncDef d;
        if (auto existing = ws.syncByName(name))
            d.id = existing->id;
        d.name = name;
        d.modelId = model->id;
        d.destinationId = dest->id;
        d.object = object;
        d.mode = *mode;
        d.keyField = keyField;
        d.mapping = *mapping;
        d.schedule = j.value("schedule", nlohmann::json{{"type", "manual"}});
        if (!d.schedule.is_object())
            return fail(ErrorKind::Invalid, where + ": \"schedule\" must be a JSON object.");
        d.options = *options;
        auto enabled = j.value("enabled", nlohmann::json(true));
        if (!enabled.is_boolean())
            return fail(ErrorKind::Invalid, where + ": \"enabled\" must be true or false.");
        d.enabled = enabled.get<bool>();
        if (auto r = ws.saveSync(d); !r)
            return std::unexpected(r.error());
        summary.syncs.push_back(name);
    }
    return summary;
}

} // namespace

Result<nlohmann::json> exportSyncConfig(Workspace &ws, const std::string &syncName)
{
    auto sync = ws.syncByName(syncName);
    if (!sync)
        return std::unexpected(sync.error());
    auto model = ws.model(sync->modelId);
    if (!model)
        return std::unexpected(model.error());
    auto source = ws.connection(model->connectionId);
    if (!source)
        return std::unexpected(source.error());
    auto dest = ws.connection(sync->destinationId);
    if (!dest)
        return std::unexpected(dest.error());

    nlohmann::json m = {{"name", model->name},
                        {"source", source->name},
                        {"primary_key", model->primaryKey},
                        {"description", model->description}};
    if (!model->sql.empty())
        m["sql"] = model->sql;
    else
        m["table"] = model->table;
    nlohmann::json s = {{"name", sync->name},
                        {"model", model->name},
                        {"destination", dest->name},
                        {"object", sync->object},
                        {"mode", syncModeName(sync->mode)},
                        {"key_field", sync->keyField},
                        {"mapping", mappingToJson(sync->mapping)},
                        {"schedule", sync->schedule},
                        {"options", sync->options.toJson()},
                        {"enabled", sync->enabled}};
    return nlohmann::json{{"sluice_config", kConfigFormatVersion},
                          {"connections", {connectionJson(*source), connectionJson(*dest)}},
                          {"models", {m}},
                          {"syncs", {s}}};
}

std::string configToText(const nlohmann::json &config)
{
    return config.dump(2) + "\n";
}

Result<ImportSummary> importConfig(Workspace &ws, const nlohmann::json &config)
{
    SqliteTransaction tx(ws.db());
    if (auto r = tx.begin(); !r)
        return std::unexpected(r.error());
    auto summary = importInto(ws, config);
    if (!summary)
        return summary; // the transaction rolls back
    if (auto r = tx.commit(); !r)
        return std::unexpected(r.error());
    return summary;
}

Result<ImportSummary> importConfigText(Workspace &ws, std::string_view text)
{
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        return fail(ErrorKind::Invalid,
                    std::string("The file is not valid JSON: ") + e.what() +
                        ". Fix the file (a JSON validator shows the spot) and import again.");
    }
    return importConfig(ws, json);
}

} // namespace sluice

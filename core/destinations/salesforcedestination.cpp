#include "destinations/salesforcedestination.h"

#include "destinations/salesforcewriter.h"
#include "net/httptext.h"
#include "net/oauthsalesforce.h"
#include "net/oauthtokenrequest.h"
#include "secrets/secretstore.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace sluice {

namespace {

const char *const kDefaultLoginUrl = "https://login.salesforce.com";
const char *const kClientCredentials = "client_credentials";
const char *const kJwtBearer = "jwt_bearer";
const char *const kDefaultApiVersion = "60.0";
constexpr int kDefaultInFlight = 4;
constexpr int kMaxInFlight = 16;
constexpr int kDefaultTimeoutS = 120;
constexpr int kDefaultBulkThreshold = 10'000;
constexpr int kMaxBulkThreshold = 100'000;
// sObject Collections upsert by an external ID exists from API version 46.0.
constexpr int kMinApiVersion = 46;

Result<int> intSetting(const nlohmann::json &settings, const char *key, const char *label,
                       int fallback, int min, int max)
{
    auto it = settings.find(key);
    if (it == settings.end() || it->is_null())
        return fallback;
    if (!it->is_number())
        return fail(ErrorKind::Invalid,
                    std::string("The setting \"") + label + "\" must be a number.");
    const double v = it->get<double>();
    if (v != std::floor(v) || v < min || v > max)
        return fail(ErrorKind::Invalid,
                    std::string("The setting \"") + label + "\" must be a whole number from " +
                        std::to_string(min) + " to " + std::to_string(max) + ".");
    return static_cast<int>(v);
}

std::string textSetting(const nlohmann::json &settings, const char *key,
                        const std::string &fallback = {})
{
    auto it = settings.find(key);
    if (it == settings.end() || !it->is_string() || it->get<std::string>().empty())
        return fallback;
    return std::string(net::text::trim(it->get<std::string>()));
}

// The login URL as the origin Salesforce's token endpoint hangs off: a pasted token URL or
// Lightning page address is cut back to it (a Lightning host is the My Domain's other name).
Result<std::string> loginOrigin(std::string url)
{
    const std::string l = net::text::toLower(url);
    if (!l.starts_with("https://") && !l.starts_with("http://"))
        url = "https://" + url;
    const auto scheme = url.find("://") + 3;
    const auto path = url.find_first_of("/?#", scheme);
    std::string origin = url.substr(0, path);
    std::string host = net::text::toLower(origin.substr(scheme));
    const std::string lightning = ".lightning.force.com";
    if (host.ends_with(lightning))
        origin = origin.substr(0, scheme) + host.substr(0, host.size() - lightning.size()) +
                 ".my.salesforce.com";
    if (origin.size() <= scheme)
        return fail(ErrorKind::Invalid, "Enter the Salesforce login URL, such as your org's My "
                                        "Domain (https://yourcompany.my.salesforce.com).");
    if (auto ok = net::checkCredentialUrl(origin, "Salesforce login URL"); !ok)
        return fail(ErrorKind::Invalid, ok.error().message +
                                            " Use your org's My Domain URL, such as "
                                            "https://yourcompany.my.salesforce.com.");
    return origin;
}

Result<std::string> apiVersion(const std::string &text)
{
    std::string v = text;
    if (!v.empty() && (v.front() == 'v' || v.front() == 'V'))
        v.erase(v.begin());
    const auto dot = v.find('.');
    const std::string major = v.substr(0, dot);
    const bool digits =
        !major.empty() && major.size() <= 3 &&
        std::all_of(major.begin(), major.end(), [](char c) { return c >= '0' && c <= '9'; });
    const bool tail = dot == std::string::npos || v.substr(dot) == ".0";
    if (!digits || !tail || std::stoi(major) < kMinApiVersion)
        return fail(ErrorKind::Invalid,
                    "The Salesforce API version \"" + text + "\" should look like " +
                        kDefaultApiVersion + " and be at least " + std::to_string(kMinApiVersion) +
                        ".0 (the version that can upsert many records at once).");
    return major + ".0";
}

std::string audienceFor(const std::string &login)
{
    const std::string l = net::text::toLower(login);
    // Sandboxes sign in at test.salesforce.com (or a My Domain ending .sandbox.my.salesforce.com).
    if (l.find("test.salesforce.com") != std::string::npos ||
        l.find(".sandbox.my.salesforce.com") != std::string::npos)
        return "https://test.salesforce.com";
    return "https://login.salesforce.com";
}

ColumnType columnType(const std::string &type)
{
    if (type == "int" || type == "long")
        return ColumnType::Integer;
    if (type == "double" || type == "currency" || type == "percent")
        return ColumnType::Real;
    if (type == "boolean")
        return ColumnType::Boolean;
    if (type == "date")
        return ColumnType::Date;
    if (type == "datetime")
        return ColumnType::DateTime;
    return ColumnType::Text; // string, email, phone, url, textarea, picklist, id, reference, …
}

std::shared_ptr<net::TokenProvider> tokenProviderFor(const SalesforceConfig &config)
{
    const std::string tokenUrl = config.loginUrl + "/services/oauth2/token";
    if (config.auth == SalesforceConfig::Auth::JwtBearer) {
        net::SalesforceJwtBearerConfig jwt;
        jwt.tokenUrl = tokenUrl;
        jwt.audience = audienceFor(config.loginUrl);
        jwt.clientId = config.clientId;
        jwt.username = config.username;
        jwt.privateKey = config.privateKeyPem;
        return std::make_shared<net::SalesforceJwtBearerProvider>(std::move(jwt));
    }
    return std::make_shared<net::SalesforceClientCredentialsProvider>(tokenUrl, config.clientId,
                                                                      config.clientSecret);
}

} // namespace

SalesforceDestination::SalesforceDestination(SalesforceConfig config) : m_config(std::move(config))
{
    if (!m_config.tokens)
        m_config.tokens = tokenProviderFor(m_config);
    if (!m_config.usage)
        m_config.usage = std::make_shared<SalesforceUsageBox>();
    m_api = std::make_unique<SalesforceApi>(m_config);
}

DestinationCaps SalesforceDestination::capabilities() const
{
    DestinationCaps caps;
    caps.modes = {SyncMode::Insert, SyncMode::Update, SyncMode::Upsert, SyncMode::Mirror};
    caps.fullSnapshot = false;
    // Two rounds of full requests per write() keep every connection busy while the engine
    // stores the previous batch's results; with the Bulk API on, a write() must be able to
    // hold a change set as large as the threshold to send it as one job.
    const std::size_t rounds = SalesforceWriter::kMaxRecords *
                               static_cast<std::size_t>(std::max(1, m_config.requestsInFlight)) * 2;
    caps.batchSize = m_config.bulkThreshold > 0
                         ? std::max({rounds, m_config.bulkThreshold, kMaxBulkBatch})
                         : rounds;
    return caps;
}

Result<std::vector<ObjectInfo>> SalesforceDestination::objects()
{
    auto all = m_api->describeGlobal(m_cancel);
    if (!all)
        return std::unexpected(all.error());
    std::vector<ObjectInfo> out;
    for (const auto &o : *all) {
        // What a sync can write: objects records can be created in and changed (not history,
        // share or setup objects).
        if (o.createable && o.updateable && o.queryable)
            out.push_back(ObjectInfo{o.name, o.label, false});
    }
    std::sort(out.begin(), out.end(), [](const ObjectInfo &a, const ObjectInfo &b) {
        return a.label == b.label ? a.name < b.name : a.label < b.label;
    });
    return out;
}

Result<std::vector<FieldInfo>> SalesforceDestination::fields(const std::string &object)
{
    auto described = m_api->describe(object, m_cancel);
    if (!described)
        return std::unexpected(described.error());
    std::vector<FieldInfo> out;
    out.reserve(described->fields.size());
    for (const auto &f : described->fields) {
        // Compound and binary fields cannot be mapped (their parts can).
        if (f.hidden || f.type == "address" || f.type == "location" || f.type == "base64" ||
            f.type == "complexvalue")
            continue;
        FieldInfo info;
        info.name = f.name;
        if (f.label != f.name)
            info.label = f.label;
        info.type = columnType(f.type);
        info.readOnly = !f.createable && !f.updateable;
        info.required = !f.nillable && f.createable && !f.defaultedOnCreate;
        info.key = (f.externalId || f.idLookup) && !info.readOnly;
        out.push_back(std::move(info));
    }
    return out;
}

Result<std::unique_ptr<Writer>> SalesforceDestination::openWriter(const WriteSpec &spec)
{
    // The run's Stop and log reach the writer through the spec; setCancelToken() is for the
    // destination's own calls (objects, fields).
    SalesforceConfig config = m_config;
    config.log = net::teeLog(m_config.log, spec.log);
    return SalesforceWriter::open(std::make_unique<SalesforceApi>(std::move(config)), spec,
                                  spec.cancel ? spec.cancel : m_cancel,
                                  net::ClientTotals::adder(m_totals));
}

net::ClientStats SalesforceDestination::httpStats() const
{
    return m_totals->get();
}

DriverInfo salesforceDestinationDriverInfo()
{
    DriverInfo info;
    info.kind = "salesforce";
    info.label = "Salesforce";
    info.settings = {
        SettingSpec{"login_url",
                    "Login URL",
                    SettingKind::Text,
                    kDefaultLoginUrl,
                    false,
                    {},
                    "Your org's My Domain URL, such as https://yourcompany.my.salesforce.com "
                    "(needed for the client credentials sign-in). For the JWT sign-in "
                    "https://login.salesforce.com works too, or https://test.salesforce.com for "
                    "a sandbox. It must start with https://."},
        SettingSpec{"auth_method",
                    "Sign-in method",
                    SettingKind::Choice,
                    kClientCredentials,
                    false,
                    {kClientCredentials, kJwtBearer},
                    "client_credentials: the connected app's consumer key and secret, with the "
                    "client credentials flow enabled and a run-as user set in the app's "
                    "policies. jwt_bearer: the consumer key, a username, and the private key "
                    "whose certificate is uploaded to the connected app (the user must be "
                    "pre-authorized for the app)."},
        SettingSpec{"client_id",
                    "Consumer key",
                    SettingKind::Text,
                    nlohmann::json(),
                    true,
                    {},
                    "The connected app's consumer key (in Salesforce: Setup › App Manager › the "
                    "app › View › Manage Consumer Details)."},
        SettingSpec{"client_secret",
                    "Consumer secret",
                    SettingKind::Secret,
                    nlohmann::json(),
                    false,
                    {},
                    "The connected app's consumer secret, for the client credentials sign-in. "
                    "It is kept in the secret store, never in the workspace."},
        SettingSpec{"username",
                    "Username",
                    SettingKind::Text,
                    nlohmann::json(),
                    false,
                    {},
                    "For the JWT sign-in: the Salesforce username Sluice acts as, such as "
                    "integration@yourcompany.com."},
        SettingSpec{"private_key_file",
                    "Private key file",
                    SettingKind::FilePath,
                    nlohmann::json(),
                    false,
                    {},
                    "For the JWT sign-in: the PEM file with the private key of the certificate "
                    "uploaded to the connected app. A relative path starts at the workspace "
                    "file's folder."},
        SettingSpec{"api_version",
                    "API version",
                    SettingKind::Text,
                    kDefaultApiVersion,
                    false,
                    {},
                    "The Salesforce API version Sluice speaks, such as 60.0 (at least 46.0)."},
        SettingSpec{"requests_in_flight",
                    "Requests in flight",
                    SettingKind::Number,
                    kDefaultInFlight,
                    false,
                    {},
                    "How many requests of up to 200 records Sluice sends to Salesforce at the "
                    "same time (1 to 16). Salesforce limits how many long-running requests an "
                    "org may have at once, shared with its other integrations."},
        SettingSpec{"bulk_threshold",
                    "Bulk API threshold",
                    SettingKind::Number,
                    kDefaultBulkThreshold,
                    false,
                    {},
                    "Changes of one kind (creates, updates or deletes) from this many records up "
                    "go through Salesforce's Bulk API 2.0, which uses far fewer API requests "
                    "for large loads but takes a while to start. 0 never uses it; at most "
                    "100000."},
        SettingSpec{"timeout_seconds",
                    "Request timeout (seconds)",
                    SettingKind::Number,
                    kDefaultTimeoutS,
                    false,
                    {},
                    "How long one request may take before Sluice gives up on it and tries "
                    "again."},
    };
    return info;
}

Result<SalesforceConfig> salesforceConfigFromSettings(const nlohmann::json &settings,
                                                      const DriverContext &context)
{
    const DriverInfo info = salesforceDestinationDriverInfo();
    if (std::string problem = validateSettings(info, settings); !problem.empty())
        return fail(ErrorKind::Invalid, problem);
    SalesforceConfig config;
    auto login = loginOrigin(textSetting(settings, "login_url", kDefaultLoginUrl));
    if (!login)
        return std::unexpected(login.error());
    config.loginUrl = *login;
    config.clientId = textSetting(settings, "client_id");
    if (config.clientId.empty())
        return fail(ErrorKind::Invalid, "Enter the connected app's consumer key in the "
                                        "Salesforce connection's settings.");
    if (std::any_of(config.clientId.begin(), config.clientId.end(),
                    [](char c) { return static_cast<unsigned char>(c) <= 0x20; }))
        return fail(ErrorKind::Invalid,
                    "The consumer key contains spaces or line breaks. Copy it again from "
                    "Salesforce (Setup › App Manager › the app › View › Manage Consumer "
                    "Details).");
    const std::string method = textSetting(settings, "auth_method", kClientCredentials);
    if (method == kJwtBearer) {
        config.auth = SalesforceConfig::Auth::JwtBearer;
        config.username = textSetting(settings, "username");
        if (config.username.empty())
            return fail(ErrorKind::Invalid, "Enter the Salesforce username to sign in as (the "
                                            "JWT sign-in acts as that user).");
        const std::string file = textSetting(settings, "private_key_file");
        if (file.empty())
            return fail(ErrorKind::Invalid,
                        "Choose the private key file for the JWT sign-in: the PEM key of the "
                        "certificate uploaded to the connected app.");
        const auto path = context.resolve(file);
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return fail(ErrorKind::Io, "Cannot read the private key file " + path.string() +
                                           ". Check that it exists and that you may read it.");
        std::ostringstream text;
        text << in.rdbuf();
        config.privateKeyPem = text.str();
        if (config.privateKeyPem.find("PRIVATE KEY-----") == std::string::npos) {
            wipeSecret(config.privateKeyPem);
            return fail(ErrorKind::Invalid,
                        "The file " + path.string() +
                            " does not hold a private key (a PEM file starting with -----BEGIN "
                            "PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).");
        }
    } else {
        config.auth = SalesforceConfig::Auth::ClientCredentials;
        auto secret = settings.find("client_secret");
        if (secret == settings.end() || !secret->is_string() || secret->get<std::string>().empty())
            return fail(ErrorKind::Invalid, "Enter the connected app's consumer secret in the "
                                            "Salesforce connection's settings (or choose the "
                                            "jwt_bearer sign-in).");
        config.clientSecret = secret->get<std::string>();
    }
    auto version = apiVersion(textSetting(settings, "api_version", kDefaultApiVersion));
    if (!version)
        return std::unexpected(version.error());
    config.apiVersion = *version;
    auto inFlight = intSetting(settings, "requests_in_flight", "Requests in flight",
                               kDefaultInFlight, 1, kMaxInFlight);
    if (!inFlight)
        return std::unexpected(inFlight.error());
    config.requestsInFlight = *inFlight;
    auto threshold = intSetting(settings, "bulk_threshold", "Bulk API threshold",
                                kDefaultBulkThreshold, 0, kMaxBulkThreshold);
    if (!threshold)
        return std::unexpected(threshold.error());
    config.bulkThreshold = static_cast<std::size_t>(*threshold);
    auto timeout = intSetting(settings, "timeout_seconds", "Request timeout (seconds)",
                              kDefaultTimeoutS, 1, 600);
    if (!timeout)
        return std::unexpected(timeout.error());
    config.timeoutMs = *timeout * 1000;
    config.tokens = tokenProviderFor(config);
    config.tokens->setCache(context.secretStore());
    wipeSecret(config.privateKeyPem); // the token provider holds its own copy
    config.privateKeyPem.clear();
    return config;
}

Result<std::unique_ptr<Destination>> createSalesforceDestination(const nlohmann::json &settings,
                                                                 const DriverContext &context)
{
    auto config = salesforceConfigFromSettings(settings, context);
    if (!config)
        return std::unexpected(config.error());
    return std::make_unique<SalesforceDestination>(std::move(*config));
}

} // namespace sluice

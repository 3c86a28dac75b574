#include "destinations/hubspotdestination.h"

#include "destinations/hubspotwriter.h"

#include <algorithm>
#include <cmath>

namespace sluice {

namespace {

const char *const kDefaultBaseUrl = "https://api.hubapi.com";
constexpr int kDefaultInFlight = 4;
constexpr int kMaxInFlight = 16;
// HubSpot's documented limit for private apps on Professional and Enterprise accounts.
constexpr int kDefaultPer10s = 190;
constexpr int kDefaultTimeoutS = 60;

std::string lower(std::string s)
{
    for (auto &c : s) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

bool isContacts(const std::string &object)
{
    const std::string o = lower(object);
    return o == "contacts" || o == "contact" || o == "0-1";
}

ColumnType columnType(const HubSpotPropertyInfo &p)
{
    if (p.type == "number")
        return ColumnType::Real; // HubSpot numbers may have decimals
    if (p.type == "date")
        return ColumnType::Date;
    if (p.type == "datetime")
        return ColumnType::DateTime;
    if (p.type == "bool" || p.fieldType == "booleancheckbox")
        return ColumnType::Boolean;
    return ColumnType::Text; // string, enumeration, phone_number, …
}

// The base URL, checked: the token is sent with every request, so it only goes unencrypted to
// this computer (a local test server or proxy).
Result<std::string> checkBaseUrl(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    const std::string l = lower(url);
    if (l.starts_with("https://") && l.size() > 8)
        return url;
    if (l.starts_with("http://")) {
        std::string host = l.substr(7, l.find_first_of("/", 7) - 7);
        if (host.starts_with("[::1]"))
            host = "[::1]";
        else
            host = host.substr(0, host.find(':'));
        if (host == "127.0.0.1" || host == "localhost" || host == "[::1]")
            return url;
    }
    return fail(ErrorKind::Invalid,
                "The HubSpot base URL \"" + url +
                    "\" must start with https:// (http:// is accepted only for this computer, "
                    "such as a local test server), so the access token is never sent "
                    "unencrypted. The usual value is " +
                    kDefaultBaseUrl + ".");
}

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

} // namespace

HubSpotDestination::HubSpotDestination(HubSpotConfig config)
    : m_config(std::move(config)), m_api(std::make_unique<HubSpotApi>(m_config))
{
}

DestinationCaps HubSpotDestination::capabilities() const
{
    DestinationCaps caps;
    caps.modes = {SyncMode::Insert, SyncMode::Update, SyncMode::Upsert, SyncMode::Mirror};
    caps.fullSnapshot = false;
    // Two rounds of full requests per write() keep every connection busy while the engine
    // stores the previous batch's results.
    caps.batchSize = HubSpotWriter::kMaxInputs *
                     static_cast<std::size_t>(std::max(1, m_config.requestsInFlight)) * 2;
    return caps;
}

Result<std::vector<ObjectInfo>> HubSpotDestination::objects()
{
    std::vector<ObjectInfo> list = {{"contacts", "Contacts", false},
                                    {"companies", "Companies", false}};
    // Also checks the token: an unknown one is refused here, before any sync is set up.
    auto custom = m_api->customObjects();
    if (!custom)
        return std::unexpected(custom.error());
    std::sort(custom->begin(), custom->end(),
              [](const ObjectInfo &a, const ObjectInfo &b) { return a.label < b.label; });
    list.insert(list.end(), custom->begin(), custom->end());
    return list;
}

Result<std::vector<FieldInfo>> HubSpotDestination::fields(const std::string &object)
{
    auto props = m_api->properties(object);
    if (!props)
        return std::unexpected(props.error());
    const bool contacts = isContacts(object);
    std::vector<FieldInfo> out;
    out.reserve(props->size());
    for (const auto &p : *props) {
        if (p.hidden)
            continue;
        FieldInfo f;
        f.name = p.name;
        if (p.label != p.name)
            f.label = p.label;
        f.type = columnType(p);
        f.readOnly = p.readOnly;
        // Contacts are found by email although HubSpot does not flag it unique.
        f.key = (p.unique || (contacts && p.name == "email")) && !p.readOnly;
        out.push_back(std::move(f));
    }
    return out;
}

Result<std::unique_ptr<Writer>> HubSpotDestination::openWriter(const WriteSpec &spec)
{
    HubSpotConfig config = m_config;
    config.log = net::teeLog(m_config.log, spec.log);
    return HubSpotWriter::open(std::make_unique<HubSpotApi>(std::move(config)), spec,
                               net::ClientTotals::adder(m_totals));
}

net::ClientStats HubSpotDestination::httpStats() const
{
    return m_totals->get();
}

DriverInfo hubSpotDestinationDriverInfo()
{
    DriverInfo info;
    info.kind = "hubspot";
    info.label = "HubSpot";
    info.settings = {
        SettingSpec{"access_token",
                    "Access token",
                    SettingKind::Secret,
                    nlohmann::json(),
                    true,
                    {},
                    "The access token of a HubSpot private app (in HubSpot: Settings › "
                    "Integrations › Private apps; it starts with pat-). The app needs the "
                    "scopes crm.objects.contacts.read and .write and crm.objects.companies.read "
                    "and .write; for custom objects also crm.schemas.custom.read and "
                    "crm.objects.custom.read and .write."},
        SettingSpec{"base_url",
                    "Base URL",
                    SettingKind::Text,
                    kDefaultBaseUrl,
                    false,
                    {},
                    "HubSpot's API address. Change it only to go through an API gateway of your "
                    "own; it must start with https://."},
        SettingSpec{"requests_in_flight",
                    "Requests in flight",
                    SettingKind::Number,
                    kDefaultInFlight,
                    false,
                    {},
                    "How many requests of up to 100 records Sluice sends to HubSpot at the same "
                    "time (1 to 16). More is faster until HubSpot's rate limit is reached."},
        SettingSpec{"requests_per_10s",
                    "Requests per 10 seconds",
                    SettingKind::Number,
                    kDefaultPer10s,
                    false,
                    {},
                    "Sluice's own pace. HubSpot allows private apps 190 requests per 10 seconds "
                    "on Professional and Enterprise accounts (more with the API limit increase) "
                    "and about 100 on Free and Starter; other apps of the account share it. "
                    "When HubSpot still says \"too many\", Sluice waits and tries again."},
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

Result<std::unique_ptr<Destination>> createHubSpotDestination(const nlohmann::json &settings,
                                                              const DriverContext & /*context*/)
{
    const DriverInfo info = hubSpotDestinationDriverInfo();
    if (std::string problem = validateSettings(info, settings); !problem.empty())
        return fail(ErrorKind::Invalid, problem);
    HubSpotConfig config;
    auto token = settings.find("access_token");
    if (token == settings.end() || !token->is_string() || token->get<std::string>().empty())
        return fail(ErrorKind::Invalid, "Enter the HubSpot private app's access token in the "
                                        "connection settings.");
    config.accessToken = token->get<std::string>();
    for (char c : config.accessToken) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return fail(ErrorKind::Invalid,
                        "The HubSpot access token contains spaces or line breaks. Copy it again "
                        "from HubSpot (Settings › Integrations › Private apps).");
    }
    std::string baseUrl = kDefaultBaseUrl;
    if (auto it = settings.find("base_url");
        it != settings.end() && it->is_string() && !it->get<std::string>().empty())
        baseUrl = it->get<std::string>();
    auto url = checkBaseUrl(baseUrl);
    if (!url)
        return std::unexpected(url.error());
    config.baseUrl = *url;
    auto inFlight = intSetting(settings, "requests_in_flight", "Requests in flight",
                               kDefaultInFlight, 1, kMaxInFlight);
    if (!inFlight)
        return std::unexpected(inFlight.error());
    config.requestsInFlight = *inFlight;
    auto per10s = intSetting(settings, "requests_per_10s", "Requests per 10 seconds",
                             kDefaultPer10s, 1, 10'000);
    if (!per10s)
        return std::unexpected(per10s.error());
    config.rateLimit = net::RateLimit{*per10s, 10'000};
    auto timeout = intSetting(settings, "timeout_seconds", "Request timeout (seconds)",
                              kDefaultTimeoutS, 1, 600);
    if (!timeout)
        return std::unexpected(timeout.error());
    config.timeoutMs = *timeout * 1000;
    return std::make_unique<HubSpotDestination>(std::move(config));
}

} // namespace sluice

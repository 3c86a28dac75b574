#include "destinations/googlesheetsdestination.h"

#include "destinations/googlesheetswriter.h"
#include "net/oauthserviceaccount.h"
#include "net/oauthtokenrequest.h"
#include "secrets/secretstore.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace sluice {

namespace {

const char *const kDefaultBaseUrl = "https://sheets.googleapis.com";
const char *const kScope = "https://www.googleapis.com/auth/spreadsheets";
constexpr int kDefaultInFlight = 2;
constexpr int kMaxInFlight = 8;
constexpr int kDefaultPerMinute = 60; // Google's per-user write (and read) quota
constexpr int kDefaultTimeoutS = 120;
constexpr std::uintmax_t kMaxKeyFileBytes = 64 * 1024;

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

std::string stringSetting(const nlohmann::json &settings, const char *key)
{
    auto it = settings.find(key);
    return it != settings.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool isMarker(const SheetTab &t)
{
    return t.hidden && t.title.starts_with(GoogleSheetsWriter::kMarkerPrefix);
}

} // namespace

Result<GoogleSheetsConfig> googleSheetsConfig(const nlohmann::json &settings,
                                              const DriverContext &context)
{
    GoogleSheetsConfig config;
    const std::string keyPath = stringSetting(settings, "key_file");
    if (keyPath.empty())
        return fail(ErrorKind::Invalid,
                    "Choose the service account's key file (a .json file) in the Google Sheets "
                    "connection's settings.");
    const std::filesystem::path path = context.resolve(keyPath);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const std::string help = " Create a JSON key for the service account in the Google Cloud "
                             "console (IAM & Admin › Service accounts › Keys) and choose the "
                             "downloaded file in the connection settings.";
    if (ec)
        return fail(ErrorKind::Invalid,
                    "Cannot read the service account key file " + path.string() + ": " +
                        (std::filesystem::exists(path) ? ec.message() : "it does not exist") + "." +
                        help,
                    ec.message());
    if (size > kMaxKeyFileBytes)
        return fail(ErrorKind::Invalid, "The file " + path.string() +
                                            " is too large to be a service account key file." +
                                            help);
    std::string text;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return fail(ErrorKind::Invalid, "Cannot open the service account key file " +
                                                path.string() + ": check that you may read it.");
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    auto key = net::ServiceAccountKey::parse(text);
    wipeSecret(text);
    if (!key)
        return fail(ErrorKind::Invalid,
                    "The file " + path.string() +
                        " is not a usable service account key: " + key.error().message + help,
                    key.error().detail);
    config.clientEmail = key->clientEmail;
    auto provider = std::make_shared<net::GoogleServiceAccountProvider>(
        std::move(*key), std::vector<std::string>{kScope});
    provider->setCache(context.secretStore());
    config.tokens = std::move(provider);

    const std::string id = sheetsSpreadsheetId(stringSetting(settings, "spreadsheet_id"));
    if (id.empty())
        return fail(ErrorKind::Invalid,
                    "Enter the spreadsheet in the Google Sheets connection's settings: paste its "
                    "address (https://docs.google.com/spreadsheets/d/…/edit) or its ID.");
    for (char c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
            return fail(ErrorKind::Invalid,
                        "\"" + id +
                            "\" is not a spreadsheet ID. Paste the spreadsheet's address "
                            "(https://docs.google.com/spreadsheets/d/…/edit) or the long part of "
                            "it between /d/ and /edit.");
    }
    config.spreadsheetId = id;

    std::string baseUrl = stringSetting(settings, "base_url");
    if (baseUrl.empty())
        baseUrl = kDefaultBaseUrl;
    while (!baseUrl.empty() && baseUrl.back() == '/')
        baseUrl.pop_back();
    if (auto ok = net::checkCredentialUrl(baseUrl, "Google Sheets base URL"); !ok)
        return fail(ErrorKind::Invalid, ok.error().message + std::string(" The usual value is ") +
                                            kDefaultBaseUrl + ".");
    config.baseUrl = baseUrl;

    auto inFlight = intSetting(settings, "requests_in_flight", "Requests in flight",
                               kDefaultInFlight, 1, kMaxInFlight);
    if (!inFlight)
        return std::unexpected(inFlight.error());
    config.requestsInFlight = *inFlight;
    auto perMinute = intSetting(settings, "requests_per_minute", "Requests per minute",
                                kDefaultPerMinute, 1, 100'000);
    if (!perMinute)
        return std::unexpected(perMinute.error());
    config.rateLimit = net::RateLimit{*perMinute, 60'000};
    auto timeout = intSetting(settings, "timeout_seconds", "Request timeout (seconds)",
                              kDefaultTimeoutS, 1, 600);
    if (!timeout)
        return std::unexpected(timeout.error());
    config.timeoutMs = *timeout * 1000;
    return config;
}

GoogleSheetsDestination::GoogleSheetsDestination(GoogleSheetsConfig config)
    : m_config(std::move(config)), m_api(std::make_unique<GoogleSheetsApi>(m_config))
{
}

DestinationCaps GoogleSheetsDestination::capabilities() const
{
    DestinationCaps caps;
    caps.modes = {SyncMode::Insert, SyncMode::Update, SyncMode::Upsert, SyncMode::Mirror};
    caps.fullSnapshot = false;
    caps.batchSize = kBatchSize;
    return caps;
}

Result<std::vector<ObjectInfo>> GoogleSheetsDestination::objects()
{
    auto info = m_api->spreadsheet();
    if (!info)
        return std::unexpected(info.error());
    std::vector<ObjectInfo> list;
    for (const auto &t : info->tabs) {
        if (!isMarker(t))
            list.push_back(ObjectInfo{t.title, t.title, true});
    }
    return list;
}

Result<std::vector<FieldInfo>> GoogleSheetsDestination::fields(const std::string &object)
{
    auto info = m_api->spreadsheet();
    if (!info)
        return std::unexpected(info.error());
    const SheetTab *tab = info->tab(object);
    if (!tab)
        return std::vector<FieldInfo>{}; // a new tab: the mapping makes its columns
    auto header = m_api->values(sheetsRange(tab->title, 0, 0, 1, -1),
                                "reading the header row of the tab \"" + tab->title + "\"");
    if (!header)
        return std::unexpected(header.error());
    std::vector<FieldInfo> out;
    if (!header->empty() && (*header)[0].is_array()) {
        for (const auto &cell : (*header)[0]) {
            FieldInfo f;
            f.name = sheetsKeyText(cell);
            f.type = ColumnType::Unknown;
            if (!f.name.empty())
                out.push_back(std::move(f));
        }
    }
    return out;
}

bool GoogleSheetsDestination::recordsLost(const std::string &object)
{
    // One read: row 2 of the tab. A tab that is gone, or has no row 2, or an empty one, no
    // longer holds what Sluice wrote. Anything else (no network, no access) says nothing: the
    // writer reports it.
    net::Request r = m_api->request(
        "GET", m_api->url("/values/" + net::urlEncode(sheetsRange(object, 1, 0, 2, -1)) +
                          "?valueRenderOption=UNFORMATTED_VALUE"));
    auto response = m_api->send(std::move(r));
    if (!response)
        return false;
    if (response->status == 400)
        return true;
    if (response->status != 200)
        return false;
    const auto body = nlohmann::json::parse(response->body, nullptr, false);
    return body.is_object() &&
           (!body.contains("values") || !body["values"].is_array() || body["values"].empty());
}

Result<std::unique_ptr<Writer>> GoogleSheetsDestination::openWriter(const WriteSpec &spec)
{
    // The run's log gets the request lines too, and its Stop interrupts requests in flight.
    GoogleSheetsConfig config = m_config;
    config.log = net::teeLog(m_config.log, spec.log);
    auto api = std::make_unique<GoogleSheetsApi>(std::move(config));
    api->setCancel(spec.cancel);
    auto writer =
        GoogleSheetsWriter::open(std::move(api), spec, net::ClientTotals::adder(m_totals));
    if (!writer)
        return std::unexpected(writer.error());
    return std::unique_ptr<Writer>(std::move(*writer));
}

net::ClientStats GoogleSheetsDestination::httpStats() const
{
    return m_totals->get();
}

DriverInfo googleSheetsDestinationDriverInfo()
{
    DriverInfo info;
    info.kind = "google_sheets";
    info.label = "Google Sheets";
    info.settings = {
        SettingSpec{"key_file",
                    "Service account key file",
                    SettingKind::FilePath,
                    nlohmann::json(),
                    true,
                    {},
                    "The JSON key of a Google Cloud service account (IAM & Admin › Service "
                    "accounts › Keys › Add key). Sluice reads it when it syncs and never copies "
                    "it: keep the file where only you can read it. Share the spreadsheet with the "
                    "service account's email (client_email in the file) as an Editor."},
        SettingSpec{"spreadsheet_id",
                    "Spreadsheet",
                    SettingKind::Text,
                    nlohmann::json(),
                    true,
                    {},
                    "The spreadsheet's address (https://docs.google.com/spreadsheets/d/…/edit) or "
                    "its ID. Each tab is something a sync can write to; a sync may also name a "
                    "new tab, which Sluice creates."},
        SettingSpec{"base_url",
                    "Base URL",
                    SettingKind::Text,
                    kDefaultBaseUrl,
                    false,
                    {},
                    "Google Sheets' API address. Change it only to go through an API gateway of "
                    "your own; it must start with https://."},
        SettingSpec{"requests_in_flight",
                    "Requests in flight",
                    SettingKind::Number,
                    kDefaultInFlight,
                    false,
                    {},
                    "How many requests Sluice sends to Google Sheets at the same time (1 to 8)."},
        SettingSpec{"requests_per_minute",
                    "Requests per minute",
                    SettingKind::Number,
                    kDefaultPerMinute,
                    false,
                    {},
                    "Sluice's own pace. Google allows 60 write requests and 60 read requests a "
                    "minute per user; when Google still says \"too many\", Sluice waits and tries "
                    "again."},
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

Result<std::unique_ptr<Destination>> createGoogleSheetsDestination(const nlohmann::json &settings,
                                                                   const DriverContext &context)
{
    const DriverInfo info = googleSheetsDestinationDriverInfo();
    if (std::string problem = validateSettings(info, settings); !problem.empty())
        return fail(ErrorKind::Invalid, problem);
    auto config = googleSheetsConfig(settings, context);
    if (!config)
        return std::unexpected(config.error());
    return std::make_unique<GoogleSheetsDestination>(std::move(*config));
}

} // namespace sluice

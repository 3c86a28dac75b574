#include "destinations/webhookdestination.h"

#include "net/webhooksignature.h"
#include "secrets/secretstore.h"

#include <algorithm>
#include <cmath>

namespace sluice {

namespace {

constexpr int kDefaultBatchSize = 100;
constexpr int kMaxBatchSize = 1000;
constexpr int kDefaultInFlight = 4;
constexpr int kMaxInFlight = 16;
// Standard Webhooks asks senders to give up on a receiver after 15 to 30 seconds.
constexpr int kDefaultTimeoutS = 30;

std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string_view trimmed(std::string_view s)
{
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

// The URL, checked: events (and the extra header) go unencrypted only to this computer.
Result<std::string> checkUrl(std::string_view text)
{
    const std::string url(trimmed(text));
    const std::string l = lower(url);
    auto invalid = [&](const std::string &why) {
        return fail(ErrorKind::Invalid, "The webhook URL \"" + net::redact(url) + "\" " + why);
    };
    for (char c : url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return invalid("contains spaces or line breaks. Copy it again from the receiving "
                           "service.");
    }
    std::size_t start = 0;
    bool https = false;
    if (l.starts_with("https://")) {
        start = 8;
        https = true;
    } else if (l.starts_with("http://")) {
        start = 7;
    } else {
        return invalid("must start with https://, like "
                       "https://hooks.example.com/sluice.");
    }
    const std::size_t end = l.find_first_of("/?#", start);
    const std::string authority = l.substr(start, end == std::string::npos ? end : end - start);
    if (authority.find('@') != std::string::npos)
        return invalid("contains a user name or password. Those would be stored in plain text; "
                       "put the receiver's key in the extra header instead (its value is kept "
                       "as a secret).");
    std::string host;
    if (authority.starts_with("[")) {
        host = authority.substr(0, authority.find(']') + 1);
    } else {
        host = authority.substr(0, authority.find(':'));
    }
    if (host.empty() || host == "[")
        return invalid("has no host name.");
    if (!https && host != "127.0.0.1" && host != "localhost" && host != "[::1]")
        return invalid("must start with https:// (http:// is accepted only for this computer, "
                       "such as a local test receiver), so the events are never sent "
                       "unencrypted.");
    return url;
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

std::string stringSetting(const nlohmann::json &settings, const char *key)
{
    auto it = settings.find(key);
    return it != settings.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// RFC 9110 token characters.
bool isHeaderName(std::string_view name)
{
    if (name.empty())
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

} // namespace

WebhookDestination::WebhookDestination(WebhookConfig config) : m_config(std::move(config)) {}

WebhookDestination::~WebhookDestination()
{
    wipeSecret(m_config.signingSecret);
    wipeSecret(m_config.headerValue);
}

DestinationCaps WebhookDestination::capabilities() const
{
    DestinationCaps caps;
    caps.modes = {SyncMode::Insert, SyncMode::Update, SyncMode::Upsert, SyncMode::Mirror};
    caps.fullSnapshot = false;
    // Two rounds of full requests per write() keep every connection busy while the engine
    // stores the previous batch's results.
    caps.batchSize = static_cast<std::size_t>(std::max(1, m_config.batchSize)) *
                     static_cast<std::size_t>(std::max(1, m_config.requestsInFlight)) * 2;
    return caps;
}

Result<std::vector<ObjectInfo>> WebhookDestination::objects()
{
    net::ClientOptions options;
    options.maxInFlight = 1;
    options.retry.maxAttempts = 2;
    options.retry.maxTotalMs = std::min(m_config.timeoutMs, 15'000);
    options.caFile = m_config.caFile;
    net::HttpClient http(std::move(options));
    net::Request head;
    head.method = "HEAD";
    head.url = m_config.url;
    head.timeoutMs = std::min(m_config.timeoutMs, 15'000);
    if (!m_config.headerName.empty())
        head.headers.emplace_back(m_config.headerName, m_config.headerValue);
    auto response = http.send(std::move(head));
    auto scrub = [this](std::string text) {
        for (const std::string *secret : {&m_config.signingSecret, &m_config.headerValue}) {
            if (secret->size() < 4)
                continue;
            for (auto pos = text.find(*secret); pos != std::string::npos;
                 pos = text.find(*secret, pos))
                text.replace(pos, secret->size(), "[secret]");
        }
        return text;
    };
    const std::string where = scrub(net::redact(m_config.url));
    if (!response)
        return fail(response.error().kind == ErrorKind::Invalid ? ErrorKind::Invalid
                                                                : ErrorKind::Destination,
                    "Could not reach the webhook receiver at " + where + ": " +
                        scrub(response.error().message) +
                        " Check the URL in the connection settings and that the receiver is "
                        "running.",
                    scrub(response.error().detail));
    // Any other answer shows a server is there; receivers need not answer HEAD with 2xx.
    if (response->status == 410)
        return fail(ErrorKind::Destination,
                    "The receiver has disabled this endpoint: " + where +
                        " answered 410 Gone. Ask the receiver's owner for its new address.");
    return std::vector<ObjectInfo>{{kObject, "Events", true}};
}

Result<std::vector<FieldInfo>> WebhookDestination::fields(const std::string &object)
{
    if (object != kObject)
        return fail(ErrorKind::NotFound, "A webhook has one object, \"events\", not \"" + object +
                                             "\". Choose \"events\" for this sync.");
    // The mapping names the fields: each becomes a key of the events' data.
    return std::vector<FieldInfo>{};
}

Result<std::unique_ptr<Writer>> WebhookDestination::openWriter(const WriteSpec &spec)
{
    if (spec.object != kObject)
        return fail(ErrorKind::Invalid, "A webhook has one object, \"events\", not \"" +
                                            spec.object + "\". Choose \"events\" for this sync.");
    return WebhookWriter::open(m_config, spec, net::ClientTotals::adder(m_totals));
}

net::ClientStats WebhookDestination::httpStats() const
{
    return m_totals->get();
}

DriverInfo webhookDestinationDriverInfo()
{
    DriverInfo info;
    info.kind = "webhook";
    info.label = "Webhook";
    info.settings = {
        SettingSpec{"url",
                    "URL",
                    SettingKind::Text,
                    nlohmann::json(),
                    true,
                    {},
                    "Where Sluice POSTs the events, as the receiving service shows it (for "
                    "example https://hooks.example.com/sluice). It must start with https://. "
                    "Each request is a JSON batch: {\"type\": \"sluice.batch\", \"timestamp\", "
                    "\"data\": {\"events\": [...]}}; each event is {\"id\", \"type\": "
                    "\"record.created\" | \"record.updated\" | \"record.deleted\", \"timestamp\", "
                    "\"data\": {\"key\": the model's key, and every mapped field}}. A 2xx answer "
                    "delivers the whole batch; 410 stops the sync; other 4xx answers reject the "
                    "batch's records (they are sent again next run); 429 and 5xx are retried."},
        SettingSpec{"signing_secret",
                    "Signing secret",
                    SettingKind::Secret,
                    nlohmann::json(),
                    false,
                    {},
                    "Optional. The secret the receiver gave you, usually starting with whsec_. "
                    "Sluice then signs every request the Standard Webhooks way (headers "
                    "webhook-id, webhook-timestamp and webhook-signature), so the receiver can "
                    "check it came from you. webhook-id stays the same when a batch is sent "
                    "again: receivers drop ids they already have."},
        SettingSpec{"batch_size",
                    "Records per request",
                    SettingKind::Number,
                    kDefaultBatchSize,
                    false,
                    {},
                    "How many records one request carries (1 to 1000). A receiver that refuses "
                    "a request refuses all its records; use 1 to have each record accepted or "
                    "refused on its own."},
        SettingSpec{"requests_in_flight",
                    "Requests in flight",
                    SettingKind::Number,
                    kDefaultInFlight,
                    false,
                    {},
                    "How many requests Sluice sends at the same time (1 to 16). Use 1 if the "
                    "receiver needs the events in order."},
        SettingSpec{"timeout_seconds",
                    "Request timeout (seconds)",
                    SettingKind::Number,
                    kDefaultTimeoutS,
                    false,
                    {},
                    "How long one request may take before Sluice gives up on it and tries "
                    "again (1 to 120)."},
        SettingSpec{"header_name",
                    "Extra header name",
                    SettingKind::Text,
                    nlohmann::json(),
                    false,
                    {},
                    "Optional. A header sent with every request, for receivers that want an API "
                    "key, for example X-Api-Key or Authorization."},
        SettingSpec{"header_value",
                    "Extra header value",
                    SettingKind::Secret,
                    nlohmann::json(),
                    false,
                    {},
                    "The extra header's value, for example the API key (with \"Bearer \" in "
                    "front if the receiver wants an Authorization header). Kept as a secret."},
    };
    return info;
}

Result<std::unique_ptr<Destination>> createWebhookDestination(const nlohmann::json &settings,
                                                              const DriverContext & /*context*/)
{
    const DriverInfo info = webhookDestinationDriverInfo();
    if (std::string problem = validateSettings(info, settings); !problem.empty())
        return fail(ErrorKind::Invalid, problem);
    WebhookConfig config;
    auto url = checkUrl(stringSetting(settings, "url"));
    if (!url)
        return std::unexpected(url.error());
    config.url = *url;

    // A pasted secret often brings a line break along; no secret ends or starts with one.
    config.signingSecret = std::string(trimmed(stringSetting(settings, "signing_secret")));
    if (!config.signingSecret.empty()) {
        auto signer = net::WebhookSigner::fromSecret(config.signingSecret);
        if (!signer)
            return std::unexpected(signer.error());
    }

    config.headerName = std::string(trimmed(stringSetting(settings, "header_name")));
    config.headerValue = std::string(trimmed(stringSetting(settings, "header_value")));
    if (!config.headerName.empty()) {
        if (!isHeaderName(config.headerName))
            return fail(ErrorKind::Invalid,
                        "The extra header name \"" + config.headerName +
                            "\" is not a valid header name: use letters, digits and dashes, "
                            "like X-Api-Key.");
        const std::string l = lower(config.headerName);
        for (const char *reserved :
             {"content-type", "content-length", "host", "transfer-encoding", "connection", "expect",
              "webhook-id", "webhook-timestamp", "webhook-signature"}) {
            if (l == reserved)
                return fail(ErrorKind::Invalid, "Sluice sets the header \"" + config.headerName +
                                                    "\" itself. Choose another name for the "
                                                    "extra header.");
        }
        if (config.headerValue.empty())
            return fail(ErrorKind::Invalid, "Enter the value of the extra header \"" +
                                                config.headerName +
                                                "\", or clear its name to send none.");
        for (char c : config.headerValue) {
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                return fail(ErrorKind::Invalid,
                            "The value of the extra header \"" + config.headerName +
                                "\" contains line breaks or control characters. Copy it again.");
        }
    } else if (!config.headerValue.empty()) {
        return fail(ErrorKind::Invalid, "The extra header has a value but no name. Enter its "
                                        "name (for example X-Api-Key), or clear its value.");
    }

    auto batch = intSetting(settings, "batch_size", "Records per request", kDefaultBatchSize, 1,
                            kMaxBatchSize);
    if (!batch)
        return std::unexpected(batch.error());
    config.batchSize = *batch;
    auto inFlight = intSetting(settings, "requests_in_flight", "Requests in flight",
                               kDefaultInFlight, 1, kMaxInFlight);
    if (!inFlight)
        return std::unexpected(inFlight.error());
    config.requestsInFlight = *inFlight;
    auto timeout = intSetting(settings, "timeout_seconds", "Request timeout (seconds)",
                              kDefaultTimeoutS, 1, WebhookWriter::kMaxTimeoutMs / 1000);
    if (!timeout)
        return std::unexpected(timeout.error());
    config.timeoutMs = *timeout * 1000;
    return std::make_unique<WebhookDestination>(std::move(config));
}

} // namespace sluice
